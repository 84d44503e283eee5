import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openActivity } from '../../src/activity/activity.js';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('the activity settings', () => {
  it('keep the activity file beside the database by default, 90 days, abandoned after an hour idle', () => {
    const config = loadConfig({ DATABASE_PATH: '/srv/oai/oai.sqlite' });
    expect(config.activity).toEqual({ path: path.resolve('/srv/oai/oai-activity.sqlite'), retentionDays: 90, abandonedAfterSeconds: 3600 });
  });

  it('keep a replica\'s out of its snapshot folder, which is served as it is: in the temporary folder, named after the host', () => {
    const config = loadConfig({ DATABASE_PATH: '/snapshots/oai.sqlite', DATABASE_READ_ONLY: '1' });
    expect(config.activity.path).toBe(path.join(os.tmpdir(), `oai-activity-${os.hostname()}.sqlite`));
  });

  it('take ACTIVITY_PATH, with {hostname} for replicas sharing a volume', () => {
    const config = loadConfig({ DATABASE_PATH: '/snapshots/oai.sqlite', DATABASE_READ_ONLY: '1', ACTIVITY_PATH: '/activity/{hostname}.sqlite' });
    expect(config.activity.path).toBe(path.resolve(`/activity/${os.hostname()}.sqlite`));
  });

  it('keep it in memory with an in-memory database, and none when ACTIVITY_RECORDING is 0', () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).activity.path).toBe(':memory:');
    expect(loadConfig({ ACTIVITY_RECORDING: '0' }).activity.path).toBeNull();
    expect(loadConfig({ ACTIVITY_RECORDING: '1' }).activity.path).toBe(path.resolve('data/oai-activity.sqlite'));
  });

  it.each([
    [{ ACTIVITY_RETENTION_DAYS: '0' }, /ACTIVITY_RETENTION_DAYS must be between 1 and 3650/],
    [{ ACTIVITY_RETENTION_DAYS: 'ninety' }, /ACTIVITY_RETENTION_DAYS must be a whole number/],
    [{ ACTIVITY_ABANDONED_AFTER_SECONDS: '5' }, /ACTIVITY_ABANDONED_AFTER_SECONDS must be between 60/],
    [{ ACTIVITY_RECORDING: 'maybe' }, /ACTIVITY_RECORDING must be 1, true, 0 or false/],
    [{ DATABASE_PATH: '/srv/oai.sqlite', ACTIVITY_PATH: '/srv/oai.sqlite' }, /ACTIVITY_PATH must be a file of its own/],
  ])('refuse %o, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('open an in-memory activity store that records and reports', () => {
    const activity = openActivity({ path: ':memory:', retentionDays: 90, abandonedAfterSeconds: 3600 });
    try {
      activity.recorder.record({
        at: Date.now(),
        address: '::1',
        userAgent: 'memory/1',
        status: 200,
        broken: false,
        head: false,
        verb: 'Identify',
        errors: null,
        items: 0,
        prefix: null,
        set: null,
        from: null,
        until: null,
        tokenIn: null,
        tokenOut: null,
        tokenExpires: null,
        completeListSize: null,
      });
      expect(activity.report(1).harvesters).toMatchObject([{ userAgent: 'memory/1', network: '::/48', requests: 1 }]);
    } finally {
      activity.close();
    }
  });
});
