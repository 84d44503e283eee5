import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The server's logger: one JSON object per line on stdout, with an ISO time. Log shippers read it
 * as it is; `npx pino-pretty` makes it readable in a terminal.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: null, timestamp: pino.stdTimeFunctions.isoTime };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** A logger that writes nothing, for apps built in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
