import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/client.js';
import { grantApplicationRole } from '../../db/privileges.js';
import { APP_ROLE, OWNER_ROLE } from '../../dev/embedded-postgres.js';

export interface TestDatabase {
  /** As the application role, like the API and the worker in production: what code under test gets. */
  db: Db;
  /** As the owner role: for a test about what only the owner of the tables can do (the append-only triggers firing). */
  ownerDb: Db;
  /**
   * As the cluster's superuser: for tests that tamper past the triggers on purpose, create
   * scratch databases, or run a tool that must see everything.
   */
  url: string;
  /** As the owner role (migrations, grants). */
  ownerUrl: string;
  /** As the application role (a child worker or the API in a process of its own). */
  appUrl: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const withDatabase = (url: string, name: string) => url.replace(/\/[^/?]*(\?.*)?$/, `/${name}$1`);

/** A fresh, migrated database of its own (a copy of the template made by the global setup). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE youchuang_template OWNER ${OWNER_ROLE}`));
  const appUrl = withDatabase(inject('postgresAppUrl'), name);
  const ownerUrl = withDatabase(inject('postgresOwnerUrl'), name);
  const db = createDb(appUrl);
  const ownerDb = createDb(ownerUrl, { max: 2 });
  // A copy keeps the template's table grants but not its database-level ones (CREATE, for the drift check's scratch schemas).
  await grantApplicationRole(ownerDb, APP_ROLE);
  return {
    db,
    ownerDb,
    url: withDatabase(inject('postgresAdminUrl'), name),
    ownerUrl,
    appUrl,
    async drop() {
      await Promise.all([db.destroy(), ownerDb.destroy()]);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
