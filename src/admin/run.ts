import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { IngestError } from '../ingest/errors.js';
import { describeRestamp } from '../store/formats.js';
import { openWritable, type Db } from '../store/open.js';
import { describeStoreError, isStoreError } from '../store/store-error.js';
import { initializeStore } from '../store/open-store.js';
import { CommandError, UsageError, type Command, type CommandContext } from './command.js';
import { checkCommand } from './commands/check.js';
import { deleteCommand, restoreCommand } from './commands/delete.js';
import { importCommand } from './commands/import.js';
import { journalCommand } from './commands/journal.js';
import { listCommand, showCommand } from './commands/list.js';
import { confirmCommand, pendingCommand } from './commands/pending.js';
import { renderCommand } from './commands/render.js';
import { setCommand } from './commands/set.js';
import { backupCommand } from './commands/backup.js';
import { snapshotCommand } from './commands/snapshot.js';
import { selfcheckCommand } from './commands/selfcheck.js';
import { activityCommand } from './commands/activity.js';

/** Every admin command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  importCommand,
  setCommand,
  deleteCommand,
  restoreCommand,
  listCommand,
  showCommand,
  checkCommand,
  journalCommand,
  pendingCommand,
  confirmCommand,
  snapshotCommand,
  backupCommand,
  renderCommand,
  selfcheckCommand,
  activityCommand,
];

/** Where the CLI writes and what it reads besides its arguments. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  out(line: string): void;
  err(line: string): void;
  now?: () => Date;
}

function overview(): string[] {
  return [
    'usage: npm run admin -- <command> [arguments]   (or: oai-admin <command> ...)',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`),
    '',
    'Each command has --help. The store is the one the server uses: DATABASE_PATH and the other',
    'settings come from the same environment variables (see docs/configuration.md).',
  ];
}

function commandHelp(command: Command): string[] {
  return [`usage: npm run admin -- ${command.usage}`, '', command.summary, ...(command.help.length > 0 ? ['', ...command.help] : [])];
}

/**
 * Runs one admin command and returns its exit code: 0 done, 1 refused (bad input, an unknown id,
 * problems found by `check`), 2 a usage or configuration mistake.
 */
export function runCli(argv: readonly string[], io: CliIo): number | Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    (topic ? commandHelp(topic) : overview()).forEach((l) => io.out(l));
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`error: unknown command "${name}"; run with --help for the list`);
    return 2;
  }

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    io.err(`usage: npm run admin -- ${command.usage}`);
    return 2;
  }
  if (values['help'] === true) {
    commandHelp(command).forEach((l) => io.out(l));
    return 0;
  }
  if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
    io.err(`error: wrong number of arguments`);
    io.err(`usage: npm run admin -- ${command.usage}`);
    return 2;
  }

  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`configuration error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const now = io.now ?? (() => new Date());
  let db: Db;
  try {
    db = openWritable(config.databasePath);
  } catch (error) {
    if (!isStoreError(error)) throw error;
    io.err(`error: cannot open the database ${config.databasePath}: ${describeStoreError(error)}`);
    return 1;
  }
  // The exit code for a failure: the store is as it was, whatever the command had begun.
  const failed = (error: unknown): number => {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err(`usage: npm run admin -- ${command.usage}`);
      return 2;
    }
    if (error instanceof IngestError || error instanceof CommandError) {
      io.err(`error: ${error.message}`);
      if (error instanceof IngestError) io.err('nothing was written: the store is as it was');
      return 1;
    }
    // A full disk or a read-only file mid-command: the transaction was rolled back.
    if (isStoreError(error)) {
      io.err(`error: the database ${config.databasePath}: ${describeStoreError(error)}`);
      io.err('the command was rolled back: the store is as it was');
      return 1;
    }
    throw error;
  };
  let outcome: number | Promise<number>;
  try {
    const { seeded, restamps, renderContext } = initializeStore(db, config, now(), 'admin');
    if (seeded) io.err(`created ${config.databasePath} with issue ${seeded.issue} (${seeded.articles} articles) from db/seed`);
    for (const r of restamps) io.err(describeRestamp(r));
    if (renderContext.publicUrl !== config.publicUrl || renderContext.repositoryIdentifier !== config.repositoryIdentifier) {
      io.err(`note: records keep the server's PUBLIC_URL ${renderContext.publicUrl} and identifier ${renderContext.repositoryIdentifier}; this command's settings differ`);
    }
    const ctx: CommandContext = { db, config, now, out: io.out, err: io.err };
    outcome = command.run(ctx, values, positionals);
  } catch (error) {
    db.close();
    return failed(error);
  }
  if (typeof outcome === 'number') {
    db.close();
    return outcome;
  }
  // A command that waits (the online backup) keeps the store open until it is done.
  return outcome.then(
    (code) => (db.close(), code),
    (error: unknown) => (db.close(), failed(error)),
  );
}
