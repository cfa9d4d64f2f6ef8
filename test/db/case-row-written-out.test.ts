import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/client.js';
import * as caseRowWrittenOut from '../../db/migrations/2026-12-03T04-00_case-row-written-out.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { appendLoanLife, preparedReadModelWrites } from './support.js';

let database: TestDatabase;
/** One connection, so that the statements the function prepared are the ones this test sees. */
let oneConnection: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  oneConnection = createDb(database.appUrl, { max: 1 });
});
afterAll(async () => {
  await oneConnection?.destroy();
  await database?.drop();
});

// If a column is added to the case row (db/projections/case-read-model.ts caseRowOf), add it to the
// written-out statement in a new migration too, or every append pays for the general way.
describe('migration 2026-12-03T04-00: the case row is written by the statement written out for it', () => {
  it('writes a 雏鹰 loan through its life, one event an append, with no general statement for cases or instalments', async () => {
    const { history, events } = await appendLoanLife(oneConnection, 2);
    const row = await oneConnection.selectFrom('cases').select(['version', 'status', 'details', 'departments', 'outstanding_fen']).where('case_id', '=', history.caseId).executeTakeFirstOrThrow();
    expect(row.version).toBe(events.length);
    expect(row.departments.length).toBeGreaterThan(0);
    expect((row.details as { schedule?: unknown[] }).schedule).toHaveLength(36);
    const paid = await oneConnection.selectFrom('loan_instalments').select(({ fn }) => fn.countAll<string>().as('n')).where('case_id', '=', history.caseId).where('paid_fen', '>', 0).executeTakeFirstOrThrow();
    expect(Number(paid.n)).toBe(2);

    const prepared = await preparedReadModelWrites(oneConnection);
    expect(prepared.filter((s) => /INTO "?cases"? /.test(s) || /INTO "?loan_instalments"? /.test(s))).toEqual([]);
    // The general way still serves other tables (the awards ledger's row at approval).
    expect(prepared.some((s) => /INTO "?awards"? /.test(s))).toBe(true);
  });

  it('keeps the function before it for every other write, and its down puts that function back', async () => {
    const functions = async () => (await sql<{ name: string }>`SELECT proname AS name FROM pg_proc WHERE proname LIKE 'apply%read_model_writes' ORDER BY 1`.execute(database.db)).rows.map((r) => r.name);
    expect(await functions()).toEqual(['apply_other_read_model_writes', 'apply_read_model_writes']);
    await caseRowWrittenOut.down(database.ownerDb);
    expect(await functions()).toEqual(['apply_read_model_writes']);
    await caseRowWrittenOut.up(database.ownerDb);
    expect(await functions()).toEqual(['apply_other_read_model_writes', 'apply_read_model_writes']);
  });
});
