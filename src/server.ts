import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { oaiContext } from './context.js';
import { describeRestamp } from './store/formats.js';
import { openStore } from './store/open-store.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  let store = openStore(config);
  for (const r of store.restamps) console.log(describeRestamp(r));
  if (store.seeded) {
    const s = store.seeded;
    console.log(`created ${config.databasePath}: issue ${s.issue} of ${s.journal}, ${s.articles} articles, ${s.titles} titles from confirmed sources, ${s.pendingFacts} facts waiting for an admin`);
  }
  if (store.seeded) {
    // Lists end one second before the harvest starts (see handlers/list-records.ts), so records
    // stamped this second would not show yet: wait for the next second before serving them.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
  }
  const context = oaiContext(config, store);
  const app = createApp(context);
  const onListening = () => {
    console.log(`OAI-PMH base URL ${config.baseUrl} (listening on ${config.host ?? 'all interfaces'}, port ${config.port})`);
  };
  // Without HOST, Node picks every interface, IPv6 where the machine has it.
  const server: Server = config.host === undefined ? app.listen(config.port, onListening) : app.listen(config.port, config.host, onListening);
  server.on('error', (error) => {
    console.error(`cannot listen on port ${config.port}: ${error.message}`);
    store.close();
    process.exit(1);
  });

  // Finish the requests in flight, then close the database, so no harvest gets a cut-off page.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close(() => {
      store.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      console.error('shutdown timed out; closing remaining connections');
      server.closeAllConnections();
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  // SIGHUP reopens DATABASE_PATH: how a replica switches to a new snapshot without a restart.
  // Requests read the store synchronously, so none is half-way through the old file here.
  process.on('SIGHUP', () => {
    try {
      const next = openStore(config);
      const previous = store;
      Object.assign(context, oaiContext(config, next));
      store = next;
      previous.close();
      const records = next.db.prepare<[], number>('SELECT count(*) FROM article').pluck().get() ?? 0;
      console.log(`SIGHUP: reopened ${config.databasePath}, ${records} records`);
    } catch (error) {
      console.error(`SIGHUP: kept the open database; cannot reopen ${config.databasePath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
