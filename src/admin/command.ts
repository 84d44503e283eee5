import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.js';
import type { Db } from '../store/open.js';

/** What a command may use: the writable store, the configuration, the clock and two output streams. */
export interface CommandContext {
  db: Db;
  config: Config;
  now(): Date;
  out(line: string): void;
  err(line: string): void;
}

/** Option values as node:util parseArgs returns them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** One admin command: its help text, its options, and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines of help below the usage: arguments, options, examples. */
  help: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
  /** The exit code; a command that waits on I/O (the online backup) returns it as a promise. */
  run(ctx: CommandContext, values: OptionValues, positionals: string[]): number | Promise<number>;
}

/** A usage mistake: the CLI prints it with the command's usage and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A request the store cannot honour (an unknown id, a record already deleted): exit 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}
