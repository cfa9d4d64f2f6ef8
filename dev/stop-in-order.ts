/** One thing `npm start` stops on Ctrl-C: what it is (for the console), and how. */
export interface Stop {
  what: string;
  stop: () => Promise<unknown>;
  /** How long it may take before the shutdown goes on without it; the default of `stopInOrder` otherwise. */
  timeoutMs?: number;
}

/**
 * Stops each in turn (the API first, the servers last), reporting a step that fails or does not
 * finish within `timeoutMs` and going on with the rest.
 *
 * A Ctrl-C reaches the embedded servers directly (they share the terminal's process group), so a
 * server may be gone before its turn; a step waiting for an exit that has already happened never
 * settles. Awaited bare, such a step left Node nothing to run, and it ended the process there,
 * silently, with the later steps never run and no `stopped` said. The step's timer both keeps the
 * process alive and ends the wait.
 */
export async function stopInOrder(stops: readonly Stop[], report: (line: string) => void, timeoutMs = 20_000): Promise<void> {
  for (const { what, stop, timeoutMs: own } of stops) {
    const limit = own ?? timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), limit);
    });
    const stopped = Promise.resolve()
      .then(stop)
      .then(() => 'stopped' as const, (error: unknown) => error);
    const outcome = await Promise.race([stopped, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timed out') report(`while stopping: ${what} did not stop within ${limit / 1000} s; going on`);
    else if (outcome !== 'stopped') report(`while stopping ${what}: ${outcome instanceof Error ? outcome.message : String(outcome)}`);
  }
}
