import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAndCompare, rebuildCaseAndCompare, UndeclaredReadModelError } from '../../audit/read-model-drift.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { interleavedStore, LoanCase } from './support.js';

let database: TestDatabase;
let approved: LoanCase;
let repaying: LoanCase;

beforeAll(async () => {
  database = await createTestDatabase();
  approved = await new LoanCase(database.db).toApproval();
  repaying = await new LoanCase(database.db).toFirstRepayment();
  // Streams without a read model are replayed too, and project nothing.
  await interleavedStore(database.db, { rounds: 2 });
});
afterAll(async () => {
  await database?.drop();
});

async function scratchSchemas(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE 'audit_rebuild_%'`.execute(database.db);
  return rows.map((r) => r.name);
}

describe('rebuilding the read models from the events', () => {
  it('matches the live read models row for row when nothing drifted, and leaves no scratch schema behind', async () => {
    const report = await rebuildAndCompare(database.db);
    expect(report.drift).toEqual([]);
    expect(report.intact).toBe(true);
    expect(report.eventsReplayed).toBe(4 + 6 + 6);
    const tables = Object.fromEntries(report.tables.map((t) => [t.table, t]));
    expect(tables.cases).toEqual({ table: 'cases', liveRows: 2, rebuiltRows: 2, changed: 0, missing: 0, extra: 0 });
    expect(tables.loan_instalments).toMatchObject({ liveRows: 36, rebuiltRows: 36 });
    expect(await scratchSchemas()).toEqual([]);
  });

  it('reports each live row that differs from its events: changed columns, a missing row, an extra row', async () => {
    await sql`UPDATE cases SET approved_fen = 46000000, status = 'completed' WHERE case_id = ${approved.caseId}`.execute(database.db);
    await sql`UPDATE loan_instalments SET paid_fen = 0 WHERE case_id = ${repaying.caseId} AND number = 1`.execute(database.db);
    await sql`DELETE FROM loan_instalments WHERE case_id = ${repaying.caseId} AND number = 36`.execute(database.db);
    await sql`INSERT INTO cases SELECT '00000000-0000-4000-8000-0000000000ff', 'CY-FAKE-1', case_type, applicant_account_id, applicant_name, status, status_label, waiting_for_role, waiting_for_department, requested_fen, approved_fen, outstanding_fen, next_deadline_at, version, opened_at, updated_at, state FROM cases WHERE case_id = ${approved.caseId}`.execute(database.db);
    try {
      const report = await rebuildAndCompare(database.db);
      expect(report.intact).toBe(false);
      expect(report.driftCount).toBe(4);
      const changedCase = report.drift.find((d) => d.table === 'cases' && d.kind === 'changed')!;
      expect(changedCase.key).toEqual({ case_id: approved.caseId });
      expect(changedCase.columns).toHaveLength(2);
      expect(changedCase.columns).toEqual(
        expect.arrayContaining([
          { column: 'status', live: 'completed', rebuilt: 'awaiting-disbursement' },
          { column: 'approved_fen', live: 46_000_000, rebuilt: 36_000_000 },
        ]),
      );
      expect(report.drift.find((d) => d.table === 'cases' && d.kind === 'extra')!.key).toEqual({ case_id: '00000000-0000-4000-8000-0000000000ff' });
      const instalment = report.drift.find((d) => d.table === 'loan_instalments' && d.kind === 'changed')!;
      expect(instalment.key).toEqual({ case_id: repaying.caseId, number: 1 });
      expect(instalment.columns).toEqual([{ column: 'paid_fen', live: 0, rebuilt: 1_000_000 }]);
      expect(report.drift.find((d) => d.kind === 'missing')).toMatchObject({ table: 'loan_instalments', key: { case_id: repaying.caseId, number: 36 } });
      expect(report.tables.find((t) => t.table === 'loan_instalments')).toMatchObject({ liveRows: 35, rebuiltRows: 36, changed: 1, missing: 1, extra: 0 });
    } finally {
      await sql`DELETE FROM cases WHERE case_id = '00000000-0000-4000-8000-0000000000ff'`.execute(database.db);
    }
  });

  it('reports an account changed outside its events: an official given a duty by hand', async () => {
    await seedDemoAccounts(database.db, new Date('2026-05-01T00:00:00Z'));
    // (The cases and instalments the test before changed by hand stay changed: only the accounts are looked at here.)
    const ofAccounts = (report: Awaited<ReturnType<typeof rebuildAndCompare>>) => report.drift.filter((d) => d.table === 'accounts' || d.table === 'account_grants');
    const seeded = await rebuildAndCompare(database.db);
    expect(ofAccounts(seeded)).toEqual([]);
    expect(seeded.tables.find((t) => t.table === 'accounts')).toMatchObject({ liveRows: expect.any(Number), changed: 0 });
    await sql`UPDATE accounts SET duties = '{reviewer,approver}' WHERE username = 'fund-reviewer'`.execute(database.db);
    try {
      const report = await rebuildAndCompare(database.db);
      expect(report.intact).toBe(false);
      expect(ofAccounts(report)).toEqual([{ table: 'accounts', key: { account_id: 'demo-fund-reviewer' }, kind: 'changed', columns: [{ column: 'duties', live: ['reviewer', 'approver'], rebuilt: ['reviewer'] }] }]);
      expect(report.tables.find((t) => t.table === 'accounts')).toMatchObject({ changed: 1, missing: 0, extra: 0 });
    } finally {
      await sql`UPDATE accounts SET duties = '{reviewer}' WHERE username = 'fund-reviewer'`.execute(database.db);
    }
  });

  it('stops, and changes nothing live, when a projection writes a table not declared as a read model', async () => {
    const before = await database.db.selectFrom('loan_instalments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const attempt = rebuildAndCompare(database.db, { tables: ['cases'] });
    await expect(attempt).rejects.toBeInstanceOf(UndeclaredReadModelError);
    // The first undeclared tables a loan's projection reaches are the budget ledger's (its approval draws the 雏鹰 pool).
    await expect(attempt).rejects.toThrow(/投影写入了 .*budget_commitments.*不在 READ_MODEL_TABLES/);
    const after = await database.db.selectFrom('loan_instalments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await scratchSchemas()).toEqual([]);
  });
});

describe("rebuilding one case's own read-model rows from its events (verify --case)", () => {
  const counts = async () => {
    const { rows } = await sql<{ tables: string }>`
      SELECT (SELECT count(*) FROM cases) || '/' || (SELECT count(*) FROM loan_instalments) || '/' || (SELECT count(*) FROM awards) || '/' || (SELECT count(*) FROM budget_commitments) || '/' ||
             (SELECT count(*) FROM pg_class WHERE relpersistence = 't') AS tables`.execute(database.db);
    return rows[0]!.tables;
  };

  it('matches a loan being repaid, its row and its 36 instalments, and leaves nothing behind', async () => {
    const loan = await new LoanCase(database.db).toFirstRepayment();
    const before = await counts();
    const report = await rebuildCaseAndCompare(database.db, loan.caseId);
    expect(report).toMatchObject({ caseId: loan.caseId, intact: true, eventsReplayed: 6, driftCount: 0, drift: [] });
    expect(report.tables).toEqual([
      { table: 'cases', liveRows: 1, rebuiltRows: 1, changed: 0, missing: 0, extra: 0 },
      { table: 'loan_instalments', liveRows: 36, rebuiltRows: 36, changed: 0, missing: 0, extra: 0 },
      { table: 'filing_reviews', liveRows: 0, rebuiltRows: 0, changed: 0, missing: 0, extra: 0 },
    ]);
    // Rolled back: no row written live, no temporary table left on the pooled connection.
    expect(await counts()).toBe(before);
  });

  it("reports the case's row changed by hand, an instalment deleted, and nothing of any other case", async () => {
    const loan = await new LoanCase(database.db).toFirstRepayment();
    const other = await new LoanCase(database.db).toApproval();
    await sql`UPDATE cases SET approved_fen = 46000000, status = 'completed' WHERE case_id IN (${loan.caseId}, ${other.caseId})`.execute(database.db);
    await sql`DELETE FROM loan_instalments WHERE case_id = ${loan.caseId} AND number = 36`.execute(database.db);
    const report = await rebuildCaseAndCompare(database.db, loan.caseId);
    expect(report.intact).toBe(false);
    expect(report.driftCount).toBe(2);
    expect(report.drift).toEqual([
      {
        table: 'cases',
        key: { case_id: loan.caseId },
        kind: 'changed',
        columns: expect.arrayContaining([
          { column: 'status', live: 'completed', rebuilt: 'repaying' },
          { column: 'approved_fen', live: 46_000_000, rebuilt: 36_000_000 },
        ]),
      },
      { table: 'loan_instalments', key: { case_id: loan.caseId, number: 36 }, kind: 'missing', rebuilt: expect.objectContaining({ case_id: loan.caseId, number: 36 }) },
    ]);
    expect(report.drift[0]!.columns).toHaveLength(2);
  });

  it('reports a row nothing in the events explains, for an id with no events', async () => {
    const loan = await new LoanCase(database.db).toApproval();
    const ghost = '00000000-0000-4000-8000-0000000000fe';
    await sql`INSERT INTO cases SELECT ${ghost}, 'CY-FAKE-2', case_type, applicant_account_id, applicant_name, status, status_label, waiting_for_role, waiting_for_department, requested_fen, approved_fen, outstanding_fen, next_deadline_at, version, opened_at, updated_at, state FROM cases WHERE case_id = ${loan.caseId}`.execute(database.db);
    try {
      expect(await rebuildCaseAndCompare(database.db, ghost)).toMatchObject({ intact: false, eventsReplayed: 0, drift: [{ table: 'cases', key: { case_id: ghost }, kind: 'extra' }] });
    } finally {
      await sql`DELETE FROM cases WHERE case_id = ${ghost}`.execute(database.db);
    }
  });
});
