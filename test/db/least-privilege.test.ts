import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { appendToStream, readStream, verifyChain } from '../../db/event-store.js';
import { applicationGrants, grantApplicationRole, privilegeWarnings } from '../../db/privileges.js';
import { APP_ROLE, OWNER_ROLE } from '../../dev/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countEvents, fixedClock, someEvents } from './support.js';

/**
 * The API and the worker connect as the application role. Whatever that connection is made to
 * send, it cannot rewrite the event log: not by a plain UPDATE/DELETE/TRUNCATE (no privilege),
 * not by switching the append-only trigger off (it owns no table), not by replica mode (no superuser).
 */

let database: TestDatabase;
const STREAM = 'least-privilege-stream';

beforeAll(async () => {
  database = await createTestDatabase();
  await appendToStream(database.db, { streamId: STREAM, streamType: 'test-stream', expectedVersion: 0, events: someEvents(3) }, { now: fixedClock('2026-12-01T02:00:00Z') });
});

afterAll(async () => {
  await database?.drop();
});

/** Runs one statement on its own connection as `url`'s role and returns the PostgreSQL error code it failed with. */
async function sqlState(url: string, statement: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  } finally {
    await client.end();
  }
}

const INSUFFICIENT_PRIVILEGE = '42501';

describe('the application role', () => {
  it('is a plain role: no superuser, cannot create roles or databases, owns no table', async () => {
    const { rows } = await sql<{ usename: string; usesuper: boolean; usecreatedb: boolean; rolcreaterole: boolean; rolbypassrls: boolean; owned: number }>`
      SELECT u.usename, u.usesuper, u.usecreatedb, r.rolcreaterole, r.rolbypassrls,
             (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned
        FROM pg_user u JOIN pg_roles r ON r.rolname = u.usename WHERE u.usename = current_user`.execute(database.db);
    expect(rows).toEqual([{ usename: APP_ROLE, usesuper: false, usecreatedb: false, rolcreaterole: false, rolbypassrls: false, owned: 0 }]);
    const { rows: owner } = await sql<{ owner: string }>`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'events'::regclass`.execute(database.db);
    expect(owner).toEqual([{ owner: OWNER_ROLE }]);
  });

  it.each([
    ['UPDATE an event', `UPDATE events SET payload = '{"note": "改过的记录"}'::jsonb WHERE stream_id = '${STREAM}' AND stream_version = 2`],
    ['DELETE an event', `DELETE FROM events WHERE stream_id = '${STREAM}' AND stream_version = 3`],
    ['TRUNCATE events', 'TRUNCATE events'],
    ['disable the append-only trigger', 'ALTER TABLE events DISABLE TRIGGER events_append_only'],
    ['disable every trigger', 'ALTER TABLE events DISABLE TRIGGER ALL'],
    ['switch to replica mode (triggers do not fire)', 'SET session_replication_role = replica'],
    ['drop the events table', 'DROP TABLE events'],
    ['add a trigger of its own to events', 'CREATE TRIGGER mine BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_event_change()'],
    ['rewrite a stream head', `DELETE FROM streams WHERE stream_id = '${STREAM}'`],
    ['rewrite a checkpoint', `UPDATE audit_checkpoints SET reason = 'interval'`],
    ['delete checkpoints', 'DELETE FROM audit_checkpoints'],
    ['create a table in the schema', 'CREATE TABLE shadow_events (LIKE events)'],
    ['touch the migrations record', 'DELETE FROM kysely_migration'],
    ['take ownership of events', `ALTER TABLE events OWNER TO ${APP_ROLE}`],
  ])('cannot %s (insufficient_privilege)', async (_what, statement) => {
    expect(await sqlState(database.appUrl, statement)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("may create a scratch schema of its own (the auditor's drift check), which never comes first for the owner", async () => {
    await sql`CREATE SCHEMA ${sql.id(OWNER_ROLE)}`.execute(database.db);
    await sql`CREATE TABLE ${sql.id(OWNER_ROLE, 'events')} (LIKE public.events)`.execute(database.db);
    const { rows } = await sql<{ table: string }>`SELECT 'events'::regclass::text AS table`.execute(database.ownerDb);
    expect(rows).toEqual([{ table: 'events' }]);
    await sql`DROP SCHEMA ${sql.id(OWNER_ROLE)} CASCADE`.execute(database.db);
  });

  it('leaves the stream exactly as appended after all those attempts, and may still append to it', async () => {
    expect(await countEvents(database.db, STREAM)).toBe(3);
    await appendToStream(database.db, { streamId: STREAM, streamType: 'test-stream', expectedVersion: 3, events: someEvents(1, 'Appended') }, { now: fixedClock('2026-12-01T03:00:00Z') });
    const stream = await readStream(database.db, STREAM);
    expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(verifyChain(stream)).toBeUndefined();
    const { rows } = await sql<{ tgenabled: string }>`SELECT tgenabled FROM pg_trigger WHERE tgname = 'events_append_only'`.execute(database.db);
    expect(rows).toEqual([{ tgenabled: 'O' }]);
  });

  it('is told apart from a superuser or an owner connection', async () => {
    expect(await privilegeWarnings(database.db)).toEqual([]);
    expect((await privilegeWarnings(database.ownerDb)).join()).toContain('owns the events table');
    const superuser = createDb(database.url, { max: 1 });
    try {
      expect((await privilegeWarnings(superuser)).join()).toContain('a superuser');
    } finally {
      await superuser.destroy();
    }
  });
});

describe('the grants step', () => {
  it('gives the append-only tables SELECT and INSERT only, and never TRUNCATE, REFERENCES or TRIGGER', async () => {
    const grants = new Map((await applicationGrants(database.ownerDb)).map((g) => [g.table, g.privileges]));
    expect(grants.get('events')).toEqual(['SELECT', 'INSERT']);
    expect(grants.get('audit_checkpoints')).toEqual(['SELECT', 'INSERT']);
    expect(grants.get('streams')).toEqual(['SELECT', 'INSERT', 'UPDATE']);
    expect(grants.get('cases')).toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    expect(grants.has('kysely_migration')).toBe(false);
    const { rows } = await sql<{ table: string; privilege: string }>`
      SELECT table_name AS table, privilege_type AS privilege FROM information_schema.role_table_grants
       WHERE grantee = current_user AND table_schema = 'public' AND privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER')`.execute(database.db);
    expect(rows).toEqual([]);
  });

  it('covers a table added by a later migration, append-only ones included, and is idempotent', async () => {
    await sql`CREATE TABLE later_read_model (id int PRIMARY KEY, note text)`.execute(database.ownerDb);
    await sql`CREATE TABLE later_log (id int PRIMARY KEY, note text)`.execute(database.ownerDb);
    await sql`
      CREATE TRIGGER later_log_append_only BEFORE UPDATE OR DELETE ON later_log
      FOR EACH ROW EXECUTE FUNCTION refuse_event_change()`.execute(database.ownerDb);
    await grantApplicationRole(database.ownerDb, APP_ROLE);
    await grantApplicationRole(database.ownerDb, APP_ROLE);

    await sql`INSERT INTO later_read_model VALUES (1, '初稿')`.execute(database.db);
    await sql`UPDATE later_read_model SET note = '定稿' WHERE id = 1`.execute(database.db);
    await sql`DELETE FROM later_read_model WHERE id = 1`.execute(database.db);
    await sql`INSERT INTO later_log VALUES (1, '记录')`.execute(database.db);
    expect(await sqlState(database.appUrl, `UPDATE later_log SET note = '改' WHERE id = 1`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await sqlState(database.appUrl, 'DELETE FROM later_log')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await sqlState(database.appUrl, 'TRUNCATE later_read_model')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await sqlState(database.appUrl, 'UPDATE events SET event_type = event_type')).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('takes back a privilege granted by hand', async () => {
    await sql`GRANT UPDATE, DELETE, TRUNCATE ON events TO ${sql.id(APP_ROLE)}`.execute(database.ownerDb);
    await grantApplicationRole(database.ownerDb, APP_ROLE);
    expect(await sqlState(database.appUrl, 'TRUNCATE events')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await sqlState(database.appUrl, `DELETE FROM events WHERE stream_id = '${STREAM}'`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('refuses to run as the application role itself', async () => {
    await expect(grantApplicationRole(database.db, APP_ROLE)).rejects.toThrow(/is the role that owns the schema/);
  });
});
