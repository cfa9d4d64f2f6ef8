import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearCountInFlight, countsInFlight, noteCountInFlight } from '../../db/calendar/counts-in-flight.js';
import { createDb, type Db } from '../../db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
/** One connection only: whatever a note leaves on its session, the next statement meets it. */
let oneConnection: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  oneConnection = createDb(database.url, { max: 1 });
});
afterAll(async () => {
  await oneConnection?.destroy();
  await database?.drop();
});

const synchronousCommit = async (db: Db) => (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db)).rows[0]!.synchronous_commit;

describe('a count in flight is noted without waiting for the disk, and only the note is', () => {
  it('the connection that noted and cleared goes on committing durably: the appends that follow on it wait for the disk', async () => {
    expect(await synchronousCommit(oneConnection)).toBe('on');
    await noteCountInFlight(oneConnection, 'case-a', 'read-1');
    expect(await synchronousCommit(oneConnection)).toBe('on');
    await clearCountInFlight(oneConnection, 'case-a', 'read-1');
    expect(await synchronousCommit(oneConnection)).toBe('on');
  });

  it('a note is seen by another connection once noted; a later read replaces it; a clear of the earlier read leaves the later one', async () => {
    await noteCountInFlight(oneConnection, 'case-b', 'read-1');
    expect(await countsInFlight(database.db)).toContainEqual({ workflowId: 'case-b', token: 'read-1' });
    await noteCountInFlight(oneConnection, 'case-b', 'read-2');
    await clearCountInFlight(oneConnection, 'case-b', 'read-1');
    expect((await countsInFlight(database.db)).filter((c) => c.workflowId === 'case-b')).toEqual([{ workflowId: 'case-b', token: 'read-2' }]);
    await clearCountInFlight(oneConnection, 'case-b', 'read-2');
    expect((await countsInFlight(database.db)).filter((c) => c.workflowId === 'case-b')).toEqual([]);
  });
});
