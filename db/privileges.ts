import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { createDb } from './client.js';
import { migrateToLatest } from './migrations/index.js';

/**
 * Least privilege for the application's own connection. Migrations run as an owner role that owns
 * the schema; the API and the worker connect as a role that owns nothing, so it can neither
 * `ALTER TABLE … DISABLE TRIGGER` nor drop a table, and is no superuser, so it cannot
 * `SET session_replication_role = replica` to silence the append-only triggers either.
 *
 * What the application role may do is derived from the schema rather than listed table by table,
 * so a table added by any later migration gets its grants on the next migrate:
 * - every table: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, REFERENCES or TRIGGER);
 * - a table whose trigger refuses UPDATE (an append-only table such as `events` or
 *   `audit_checkpoints`): no UPDATE;
 * - a table whose trigger refuses DELETE or TRUNCATE (`events`, `audit_checkpoints`, `streams`):
 *   no DELETE.
 * A refusing trigger is one whose function is named `refuse_…` or whose own name ends in
 * `_append_only` / `_no_truncate`, the convention the event-store and audit migrations set.
 * The migrator's bookkeeping tables are the owner's alone.
 */

const REFUSING_TRIGGER = sql`(p.proname LIKE 'refuse\\_%' OR t.tgname LIKE '%\\_append\\_only' OR t.tgname LIKE '%\\_no\\_truncate')`;
// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const TRIGGER_TYPE_DELETE = 8;
const TRIGGER_TYPE_UPDATE = 16;
const TRIGGER_TYPE_TRUNCATE = 32;
const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export interface TableGrant {
  table: string;
  privileges: ('SELECT' | 'INSERT' | 'UPDATE' | 'DELETE')[];
}

/** What the application role gets on each table of the public schema, read from the catalog. */
export async function applicationGrants(db: Kysely<Database>): Promise<TableGrant[]> {
  const { rows } = await sql<{ table: string; refuses_update: boolean; refuses_delete: boolean }>`
    SELECT c.relname AS table,
           coalesce(bool_or(${REFUSING_TRIGGER} AND t.tgtype & ${sql.lit(TRIGGER_TYPE_UPDATE)} <> 0), false) AS refuses_update,
           coalesce(bool_or(${REFUSING_TRIGGER} AND t.tgtype & ${sql.lit(TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE)} <> 0), false) AS refuses_delete
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
      LEFT JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     GROUP BY c.relname
     ORDER BY c.relname`.execute(db);
  return rows
    .filter((row) => !MIGRATOR_TABLES.includes(row.table))
    .map((row) => ({
      table: row.table,
      privileges: ['SELECT', 'INSERT', ...(row.refuses_update ? [] : ['UPDATE' as const]), ...(row.refuses_delete ? [] : ['DELETE' as const])] as TableGrant['privileges'],
    }));
}

/**
 * Brings the application role's privileges to exactly `applicationGrants`, idempotently and in one
 * transaction (the role never sees a moment without its grants). Run as the owner of the tables,
 * after every migration. Returns warnings (tables the caller cannot grant on because another role owns them).
 */
export async function grantApplicationRole(ownerDb: Kysely<Database>, appRole: string): Promise<string[]> {
  return ownerDb.transaction().execute(async (trx) => {
    const { rows: whoami } = await sql<{ me: string; superuser: boolean }>`
      SELECT current_user AS me, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`.execute(trx);
    const me = whoami[0]!;
    if (me.me === appRole) throw new Error(`the application role ${appRole} is the role that owns the schema: give the application a role of its own (see README, "PostgreSQL roles")`);
    const role = sql.id(appRole);
    const warnings: string[] = [];
    if (!me.superuser) {
      const { rows: foreign } = await sql<{ table: string; owner: string }>`
        SELECT c.relname AS table, pg_get_userbyid(c.relowner) AS owner
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)`.execute(trx);
      for (const row of foreign) warnings.push(`${row.table} is owned by ${row.owner}, not ${me.me}: its grants to ${appRole} cannot be set (ALTER TABLE ${row.table} OWNER TO ${me.me})`);
    }
    await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(trx);
    // From nothing, so a privilege granted by hand or by an earlier version of this step does not linger.
    await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`.execute(trx);
    await sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`.execute(trx);
    for (const grant of await applicationGrants(trx)) {
      await sql`GRANT ${sql.raw(grant.privileges.join(', '))} ON TABLE ${sql.id(grant.table)} TO ${role}`.execute(trx);
    }
    // nextval() on stand-alone sequences (case reference numbers). Identity columns need no grant,
    // and a role that could call nextval() on events' own sequence could only burn positions.
    const { rows: sequences } = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'S'
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))`.execute(trx);
    for (const sequence of sequences) await sql`GRANT USAGE, SELECT ON SEQUENCE ${sql.id(sequence.name)} TO ${role}`.execute(trx);
    // The auditor's drift check (audit/read-model-drift.ts) rebuilds the read models into a scratch
    // schema of its own, so the role may create schemas; it still cannot create in public, and what
    // it creates it owns alone. (Owners pin search_path, so such a schema never shadows their tables.)
    const { rows: database } = await sql<{ name: string; grantable: boolean }>`
      SELECT current_database() AS name, has_database_privilege(current_database(), 'CREATE WITH GRANT OPTION') AS grantable`.execute(trx);
    if (database[0]!.grantable) await sql`GRANT CREATE ON DATABASE ${sql.id(database[0]!.name)} TO ${role}`.execute(trx);
    else warnings.push(`${me.me} may not grant CREATE on database ${database[0]!.name}: the auditor's read-model drift check will fail for ${appRole} (make ${me.me} the database's owner)`);
    // Tables created later by this owner outside the migrator are usable at once; the next run of this step narrows them.
    await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`.execute(trx);
    await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`.execute(trx);
    return warnings;
  });
}

/** The role a connection string logs in as (asked of the server: the URL may leave it to PGUSER). */
export async function roleOfConnection(url: string): Promise<string> {
  const db = createDb(url, { max: 1 });
  try {
    const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(db);
    return rows[0]!.role;
  } finally {
    await db.destroy();
  }
}

/**
 * Migrates as the owner and grants the application role (the one `appUrl` logs in as) what it
 * needs. Without an owner URL, or when both log in as the same role, it migrates as that one role,
 * as before, and says what that leaves open.
 */
export async function migrateWithRoles(options: { ownerUrl: string | undefined; appUrl: string; say: (line: string) => void }): Promise<string[]> {
  const appRole = await roleOfConnection(options.appUrl);
  const ownerRole = options.ownerUrl ? await roleOfConnection(options.ownerUrl) : appRole;
  if (!options.ownerUrl || ownerRole === appRole) {
    options.say(
      `warning: migrating as ${appRole}, the role the API and worker use: it owns the tables and can disable the append-only triggers. ` +
        'Set DATABASE_OWNER_URL to an owner role and DATABASE_URL to an application role (README, "PostgreSQL roles").',
    );
    const db = createDb(options.appUrl, { max: 2 });
    try {
      return await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
  }
  const ownerDb = createDb(options.ownerUrl, { max: 2 });
  try {
    const applied = await migrateToLatest(ownerDb);
    for (const warning of await grantApplicationRole(ownerDb, appRole)) options.say(`warning: ${warning}`);
    return applied;
  } finally {
    await ownerDb.destroy();
  }
}

/**
 * What the application's own connection could do to the event log that it should not be able to:
 * empty when it is a plain role without ownership of, or write access past INSERT to, `events`.
 */
export async function privilegeWarnings(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ role: string; superuser: boolean; owns_events: boolean | null; may_rewrite: boolean | null }>`
    SELECT current_user AS role,
           r.rolsuper AS superuser,
           (SELECT pg_get_userbyid(relowner) = current_user FROM pg_class WHERE oid = to_regclass('public.events')) AS owns_events,
           (SELECT has_table_privilege(to_regclass('public.events'), 'UPDATE') OR has_table_privilege(to_regclass('public.events'), 'DELETE')
                   OR has_table_privilege(to_regclass('public.events'), 'TRUNCATE')
              WHERE to_regclass('public.events') IS NOT NULL) AS may_rewrite
      FROM pg_roles r WHERE r.rolname = current_user`.execute(db);
  const row = rows[0];
  if (!row) return [];
  const warnings: string[] = [];
  if (row.superuser) warnings.push(`DATABASE_URL connects as ${row.role}, a superuser: it could switch off the append-only triggers and rewrite events`);
  else if (row.owns_events) warnings.push(`DATABASE_URL connects as ${row.role}, which owns the events table: it could disable the append-only trigger`);
  else if (row.may_rewrite) warnings.push(`DATABASE_URL connects as ${row.role}, which may UPDATE, DELETE or TRUNCATE events`);
  return warnings.map((w) => `${w}. Give the API and worker a role of their own (README, "PostgreSQL roles").`);
}
