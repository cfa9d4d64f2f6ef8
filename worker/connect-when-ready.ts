import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';

export interface Readiness {
  ready: boolean;
  /** What the worker is waiting for, or what it connected to. */
  detail: string;
}

const reportToConsole = ({ ready, detail }: Readiness) => console.log(`[worker] ${ready ? 'ready' : 'not ready'}: ${detail}`);

/**
 * Connects the worker to Temporal, waiting while the server is not there yet (a worker may well
 * start before it, or while it restarts) instead of exiting: each failed attempt is reported as
 * not ready, and attempts go on with backoff until one succeeds or `signal` aborts the wait.
 */
export async function connectWhenReady(
  options: NativeConnectionOptions,
  { report = reportToConsole, signal, initialDelayMs = 200, maxDelayMs = 5_000 }: { report?: (readiness: Readiness) => void; signal?: AbortSignal; initialDelayMs?: number; maxDelayMs?: number } = {},
): Promise<NativeConnection> {
  const address = options.address ?? 'localhost:7233';
  for (let delay = initialDelayMs; ; delay = Math.min(delay * 2, maxDelayMs)) {
    signal?.throwIfAborted();
    try {
      const connection = await NativeConnection.connect(options);
      report({ ready: true, detail: `connected to Temporal at ${address}` });
      return connection;
    } catch (error) {
      report({ ready: false, detail: `waiting for Temporal at ${address} (${(error as Error).message.slice(0, 200)}); next attempt in ${delay} ms` });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
