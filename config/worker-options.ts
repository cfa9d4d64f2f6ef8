import type { WorkerOptions } from '@temporalio/worker';

/**
 * The Temporal worker options a deployment may tune, from the environment.
 *
 * WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT: how long the server holds a case's next workflow task
 * for the worker that has the case in its cache before any worker may take it. The SDK's default
 * is 10 s: when that worker dies (kill -9, a lost host), every case it had cached waits 10 s before
 * its next action runs elsewhere. A healthy worker picks a sticky task up within milliseconds, so
 * 1 s costs nothing while it is alive and bounds the stall to about a second when it is not (the
 * topology test asserts the action completes within 2 s on the other worker). Too low on a loaded
 * worker, and tasks fall back to the shared queue and are replayed from history elsewhere: slower,
 * never wrong.
 */
export const DEFAULT_STICKY_SCHEDULE_TO_START_TIMEOUT = '1s';

export type TunableWorkerOptions = Pick<WorkerOptions, 'stickyQueueScheduleToStartTimeout'>;

export function workerOptionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): TunableWorkerOptions {
  const text = env.WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT || DEFAULT_STICKY_SCHEDULE_TO_START_TIMEOUT;
  const ms = parseDuration('WORKER_STICKY_SCHEDULE_TO_START_TIMEOUT', text);
  return { stickyQueueScheduleToStartTimeout: ms };
}

/** "500ms", "1s", "2.5s": at least 100 ms (the server's own floor is coarser) and at most 60 s. */
function parseDuration(name: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 100 || ms > 60_000) throw new Error(`${name} must be a duration from 100ms to 60s (e.g. 1s or 500ms), got "${text}"`);
  return Math.round(ms);
}

/**
 * The Temporal runtime binds its Prometheus endpoint to a socket address, an IP literal: the
 * default METRICS_HOST `localhost` is refused there ("invalid socket address syntax") and the
 * worker would not start. `localhost` is the loopback address; any other name is left for the
 * runtime to refuse with its own message.
 */
export function runtimeMetricsAddress<A extends { host: string; port: number }>(address: A | undefined): A | undefined {
  if (!address) return undefined;
  return address.host === 'localhost' ? { ...address, host: '127.0.0.1' } : address;
}
