import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { describeStoreError } from '../store/store-error.js';
import { openActivity, type Activity } from './activity.js';

// One failure a minute is enough in the log: a full disk would otherwise say so every second.
const ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * The server's activity, or null when it is not recorded: switched off, or the file cannot be
 * opened (a replica whose only writable place is not configured, say). Activity never stops the
 * server from serving; the log says why it is not recorded.
 */
export function startActivity(config: Pick<Config, 'activity'>, logger: Logger): Activity | null {
  const settings = config.activity;
  if (settings.path === null) {
    logger.info('harvest activity is not recorded (ACTIVITY_RECORDING=0)');
    return null;
  }
  let lastLogged = Number.NEGATIVE_INFINITY;
  try {
    return openActivity(
      { ...settings, path: settings.path },
      {
        onError: (error) => {
          if (Date.now() - lastLogged < ERROR_LOG_INTERVAL_MS) return;
          lastLogged = Date.now();
          logger.error(`harvest activity: cannot write ${settings.path}: ${describeStoreError(error)}`);
        },
      },
    );
  } catch (error) {
    logger.error(`harvest activity is not recorded: cannot open ${settings.path}: ${describeStoreError(error)}; set ACTIVITY_PATH to a writable file`);
    return null;
  }
}
