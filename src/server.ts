import http, { type Server } from 'node:http';
import { startActivity } from './activity/start.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { oaiContext } from './context.js';
import { describeProgress, describeRestamp } from './store/formats.js';
import { openStore, type Store } from './store/open-store.js';
import { describeStoreError, isStoreError } from './store/store-error.js';

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
  const logger = createLogger(config.logLevel);
  let store: Store;
  try {
    // A changed PUBLIC_URL re-renders every record before the server listens: say how long it takes
    // (`admin render` does it beforehand, while the old server still serves).
    const ahead = ' (before listening; `npm run admin -- render` does it ahead of a restart)';
    store = openStore(config, new Date(), (p) => logger.info(`${describeProgress(p)}${p.reason.startsWith('PUBLIC_URL') ? ahead : ' (before listening)'}`));
  } catch (error) {
    if (!isStoreError(error)) throw error;
    logger.fatal(`cannot open the database ${config.databasePath}: ${describeStoreError(error)}`);
    process.exit(1);
  }
  for (const r of store.restamps) logger.info(describeRestamp(r));
  if (store.seeded) {
    const s = store.seeded;
    logger.info(`created ${config.databasePath}: issue ${s.issue} of ${s.journal}, ${s.articles} articles, ${s.titles} titles from confirmed sources, ${s.pendingFacts} facts waiting for an admin`);
  }
  if (store.seeded) {
    // Lists end one second before the harvest starts (see handlers/list-records.ts), so records
    // stamped this second would not show yet: wait for the next second before serving them.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
  }
  const context = oaiContext(config, store);
  // Its own writable file, a replica's too: the protocol store stays read-only.
  const activity = startActivity(config, logger);
  const app = createApp(context, { logger, limits: config.limits, trustProxy: config.trustProxy, activity });
  const onListening = () => {
    logger.info(`OAI-PMH base URL ${config.baseUrl} (listening on ${config.host ?? 'all interfaces'}, port ${config.port})`);
  };
  // Without HOST, Node picks every interface, IPv6 where the machine has it.
  // A slow-loris client that dribbles its headers or body is cut off at the timeouts, checked
  // every second (Node checks every 30 s by default), so it ties up a socket, not the server.
  const server: Server = http.createServer(
    {
      headersTimeout: config.timeouts.headersSeconds * 1000,
      requestTimeout: config.timeouts.requestSeconds * 1000,
      connectionsCheckingInterval: 1000,
    },
    app,
  );
  if (config.host === undefined) server.listen(config.port, onListening);
  else server.listen(config.port, config.host, onListening);
  server.on('error', (error) => {
    logger.fatal(`cannot listen on port ${config.port}: ${error.message}`);
    activity?.close();
    store.close();
    process.exit(1);
  });

  // Finish the requests in flight, then close the database, so no harvest gets a cut-off page.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing the requests in flight, then exiting`);
    server.close(() => {
      // The responses are done, so their events are in the buffer: write them before exiting.
      activity?.close();
      store.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      logger.warn('shutdown timed out; closing the remaining connections');
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
      logger.info(`SIGHUP: reopened ${config.databasePath}, ${records} records`);
    } catch (error) {
      logger.error(`SIGHUP: kept the open database; cannot reopen ${config.databasePath}: ${describeStoreError(error)}`);
    }
  });
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
