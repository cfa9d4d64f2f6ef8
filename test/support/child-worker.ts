import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A worker in a child process (test/reliability/fault-worker.ts) that a test can SIGKILL, and what it has said. */
export interface ChildWorker {
  child: ChildProcess;
  /** Every line it printed on stdout so far. */
  lines: string[];
  /** Resolves with the first line (already printed or still to come) that matches. */
  waitForLine(pattern: RegExp, what?: string): Promise<string>;
  /** Sends the signal and resolves once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LINE_WAIT_MS = 120_000;

export function spawnChildWorker(env: Record<string, string>): ChildWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/reliability/fault-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => {
    for (const wake of waiters) wake();
  });

  return {
    child,
    lines,
    waitForLine(pattern, what = String(pattern)) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line !== undefined) return finish(() => resolve(line));
          if (child.exitCode !== null || child.signalCode !== null) {
            return finish(() => reject(new Error(`worker exited before printing ${what}; stdout: ${lines.join(' | ')}; stderr: ${stderr}`)));
          }
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`worker did not print ${what} in ${LINE_WAIT_MS} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr}`))), LINE_WAIT_MS);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
