import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../dev/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The system's own processes as a deployment runs them: `npm run worker` (worker/main.ts) and
 * `npm run api` (api/server.ts), each started with `node --import tsx <script>` rather than
 * through npm and the tsx launcher, so the pid the test holds is the process that does the work
 * (kill -9 reaches it, and a worker's Temporal identity is `<pid>@<host>`).
 */
export interface SystemProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every stdout line so far. */
  readonly lines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends the signal and resolves once the process is gone. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines of stdout and stderr, for a failure's message. */
  tail(): string;
}

export function startScript(name: string, script: string, env: Record<string, string>, args: string[] = []): SystemProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const wake = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    if (lines.length > 5_000) lines.splice(0, lines.length - 5_000);
    for (const w of wake) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-6_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const w of wake) w();
      resolve({ code, signal });
    }),
  );
  const tail = () => `${name} stdout: ${lines.slice(-15).join('\n')}\n${name} stderr: ${stderr}`;
  return {
    name,
    child,
    pid: child.pid!,
    lines,
    tail,
    waitForLine(pattern, timeoutMs = 180_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line !== undefined) return finish(() => resolve(line));
          if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`${name} exited before printing ${pattern}\n${tail()}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`${name} did not print ${pattern} in ${timeoutMs} ms\n${tail()}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          wake.delete(check);
          settle();
        };
        wake.add(check);
        check();
      });
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A one-off command (the bootstrap, the audit tools), `node --import tsx <script> <args>`: its exit code and output. */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Deployment {
  TEMPORAL_ADDRESS: string;
  DATABASE_URL: string;
  PERSONAL_DATA_KEY: string;
}

export const newPersonalDataKey = () => randomBytes(32).toString('base64');

/** `npm run worker` with its metrics endpoint; resolves once it polls. */
export async function startWorker(name: string, deployment: Deployment): Promise<SystemProcess & { metricsPort: number }> {
  const metricsPort = await freePort();
  const worker = startScript(name, 'worker/main.ts', { ...deployment, WORKER_METRICS_PORT: String(metricsPort), AUDIT_CHECKPOINT_INTERVAL: 'off' });
  await worker.waitForLine(/^\[worker\] running: /);
  return Object.assign(worker, { metricsPort });
}

/** `npm run api` on a port of its own; resolves once GET /api/health answers 200. */
export async function startApi(name: string, deployment: Deployment): Promise<SystemProcess & { base: string }> {
  const port = await freePort();
  const api = startScript(name, 'api/server.ts', { ...deployment, HOST: '127.0.0.1', PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`${name} exited\n${api.tail()}`);
    const health = await fetch(`${base}/api/health`).catch(() => undefined);
    if (health?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`${name} did not answer /api/health in 120 s\n${api.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Object.assign(api, { base });
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field by the test
  body: any;
  headers: Headers;
}

export async function request(base: string, method: string, path: string, options: { token?: string; body?: unknown; key?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key) headers['idempotency-key'] = options.key;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (an error page): kept as text for the failure message.
  }
  return { status: response.status, body, headers: response.headers };
}

/**
 * What a careful client does with a write it must not lose nor send twice: the same
 * Idempotency-Key on every attempt; a connection that fails (the API process died) or a 5xx is
 * retried on the next API; a 409 `in-progress` (the first attempt's claim is still held) is retried
 * after its Retry-After. Resolves with the first other answer and how many attempts it took.
 */
export async function sendReliably(
  bases: () => string[],
  method: string,
  path: string,
  options: { token: string; body?: unknown; key: string; giveUpAfterMs?: number },
): Promise<Answer & { attempts: number }> {
  const deadline = Date.now() + (options.giveUpAfterMs ?? 200_000);
  let attempts = 0;
  let last = '';
  for (let i = 0; Date.now() < deadline; i++) {
    const alive = bases();
    const base = alive[i % alive.length]!;
    attempts++;
    let answer: Answer;
    try {
      answer = await request(base, method, path, options);
    } catch (error) {
      last = `${base}: ${(error as Error).message}`;
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    if (answer.status >= 500 || answer.status === 429) {
      last = `${answer.status} ${JSON.stringify(answer.body)}`;
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    if (answer.status === 409 && answer.body?.error === 'in-progress') {
      last = `409 in-progress`;
      await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get('retry-after') ?? 1) * 1000));
      i--; // the same API again: it is alive, and the claim is what must expire
      continue;
    }
    return { ...answer, attempts };
  }
  throw new Error(`${method} ${path} (Idempotency-Key ${options.key}) not answered in time; last: ${last}`);
}
