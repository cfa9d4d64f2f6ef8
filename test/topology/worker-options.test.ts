import { describe, expect, it } from 'vitest';
import { DEFAULT_STICKY_SCHEDULE_TO_START_TIMEOUT, runtimeMetricsAddress, workerOptionsFromEnvironment } from '../../config/worker-options.js';

/** The worker tuning a deployment sets through the environment (the topology test shows what the default buys: production.topology.ts). */
describe('worker options from the environment', () => {
  it('defaults the sticky schedule-to-start timeout to 1 s, not the SDK’s 10 s', () => {
    expect(DEFAULT_STICKY_SCHEDULE_TO_START_TIMEOUT).toBe('1s');
    expect(workerOptionsFromEnvironment({})).toEqual({ stickyQueueScheduleToStartTimeout: 1_000 });
  });

  it('reads WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT in s or ms', () => {
    expect(workerOptionsFromEnvironment({ WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT: '500ms' })).toEqual({ stickyQueueScheduleToStartTimeout: 500 });
    expect(workerOptionsFromEnvironment({ WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT: '2.5s' })).toEqual({ stickyQueueScheduleToStartTimeout: 2_500 });
  });

  it('refuses what is not a duration, or is out of bounds, naming the variable', () => {
    for (const text of ['1', '10m', 'soon', '50ms', '61s']) {
      expect(() => workerOptionsFromEnvironment({ WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT: text })).toThrow(/WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT/);
    }
  });

  it('gives the Temporal runtime an IP literal for localhost, whose name its socket address refuses', () => {
    expect(runtimeMetricsAddress({ host: 'localhost', port: 9464 })).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(runtimeMetricsAddress({ host: '0.0.0.0', port: 9464 })).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(runtimeMetricsAddress(undefined)).toBeUndefined();
  });
});
