import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase, ensureLocalRoles, loadEmbeddedPostgres, postgresDataDir, startFailure } from './embedded-postgres.js';
import { freePort } from './free-port.js';

/**
 * One PostgreSQL for a production-style run (dev/temporal-cluster.ts, the topology test and the
 * cluster benchmark), as a managed instance would hold both: Temporal's `temporal` and
 * `temporal_visibility` databases, owned by a `temporal` role, and the application's database with
 * the owner and application roles of dev/embedded-postgres.ts. Started here rather than through
 * startEmbeddedPostgres because it needs more connections than PostgreSQL's default 100: four
 * Temporal services' pools plus two APIs' and two workers'.
 */
export interface TopologyPostgres {
  host: string;
  port: number;
  /** Superuser, `postgres` maintenance database: create and drop databases. */
  adminUrl: string;
  /** The role Temporal's services and schema tool log in as (CREATEDB, no superuser). */
  temporal: { user: string; password: string };
  /** The application database's URL for the superuser (rebuilds, tampering); its owner role (migrations); its application role (API, workers). */
  app: { database: string; url: string; ownerUrl: string; appUrl: string };
  dataDir: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'youchuang';
const SUPERUSER_PASSWORD = 'youchuang';
const TEMPORAL_ROLE = { user: 'temporal', password: 'temporal' };
/** 4 services × (20 + 2) Temporal connections at most, 4 application pools of 10, the tests' own, and headroom. */
const MAX_CONNECTIONS = 300;

export async function startTopologyPostgres(options: { dataDir: string; appDatabase?: string }): Promise<TopologyPostgres> {
  const dataDir = postgresDataDir(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const port = await freePort();
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', `max_connections=${MAX_CONNECTIONS}`],
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    throw startFailure(dataDir, error, logs);
  }
  const adminUrl = `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
  const database = options.appDatabase ?? 'youchuang';
  try {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`ALTER ROLE ${pg.escapeIdentifier(SUPERUSER)} SET search_path = public`);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [TEMPORAL_ROLE.user]);
      if (exists.rowCount === 0) await client.query(`CREATE ROLE ${pg.escapeIdentifier(TEMPORAL_ROLE.user)}`);
      await client.query(`ALTER ROLE ${pg.escapeIdentifier(TEMPORAL_ROLE.user)} WITH LOGIN CREATEDB NOSUPERUSER PASSWORD ${pg.escapeLiteral(TEMPORAL_ROLE.password)}`);
    } finally {
      await client.end();
    }
    await ensureDatabase(adminUrl, database);
    const roles = await ensureLocalRoles(adminUrl, database);
    return {
      host: '127.0.0.1',
      port,
      adminUrl,
      temporal: TEMPORAL_ROLE,
      app: { database, url: adminUrl.replace(/\/postgres$/, `/${database}`), ...roles },
      dataDir,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop().catch(() => {});
    throw error;
  }
}
