import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/client.js';
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

const applyWrites = (writes: unknown) => sql`SELECT apply_read_model_writes(${JSON.stringify(writes)}::jsonb)`.execute(oneConnection);

describe('migration 2026-12-04T02-00: a read-model write is matched by its shape without a query', () => {
  it('writes a 雏鹰 loan through its life with no general statement for its case row, instalments or notices, and its money moved', async () => {
    const { history } = await appendLoanLife(oneConnection, 3);
    const notices = await oneConnection.selectFrom('notices').select(({ fn }) => fn.countAll<string>().as('n')).where('case_id', '=', history.caseId).executeTakeFirstOrThrow();
    expect(Number(notices.n)).toBeGreaterThanOrEqual(3 + 2);
    const commitment = await oneConnection.selectFrom('budget_commitments').select(['paid_fen', 'recovered_fen']).where('case_id', '=', history.caseId).executeTakeFirstOrThrow();
    expect(Number(commitment.paid_fen)).toBe(history.state.disbursement!.amountFen);
    expect(Number(commitment.recovered_fen)).toBe(history.state.repaidFen);
    expect(Number(commitment.recovered_fen)).toBeGreaterThan(0);

    const prepared = await preparedReadModelWrites(oneConnection);
    expect(prepared.filter((s) => /INTO "?(cases|loan_instalments|notices)"? /.test(s))).toEqual([]);
    // Another table still goes the general way: the awards ledger's row at approval.
    expect(prepared.some((s) => /INTO "?awards"? /.test(s))).toBe(true);
  });

  it('sends a write with fewer columns than the written-out statement the general way, which leaves the others as they are', async () => {
    const noticeId = randomUUID();
    const caseId = randomUUID();
    const full = {
      notice_id: noticeId, recipient_account_id: null, recipient_department: 'yangpu-investment', kind: 'test', title: '原标题', body: '正文',
      case_id: caseId, reference_no: 'CY-2026-000001', event_id: randomUUID(), created_at: new Date().toISOString(),
    };
    await applyWrites([{ op: 'upsert', table: 'notices', key: ['notice_id'], rows: [full] }]);
    // Written out, the columns left out would be set to NULL: the general way updates only those given.
    const { case_id: _case, reference_no: _reference, event_id: _event, ...partial } = full;
    await applyWrites([{ op: 'upsert', table: 'notices', key: ['notice_id'], rows: [{ ...partial, title: '新标题' }] }]);
    const row = await oneConnection.selectFrom('notices').select(['title', 'body', 'case_id', 'reference_no']).where('notice_id', '=', noticeId).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: '新标题', body: '正文', case_id: caseId, reference_no: 'CY-2026-000001' });
  });

  it('refuses a row with a column the table does not have, as the general way always did', async () => {
    const row = { notice_id: randomUUID(), recipient_account_id: null, recipient_department: 'yangpu-investment', kind: 'test', title: 't', body: 'b', case_id: null, reference_no: null, event_id: null, created_at: new Date().toISOString(), colour: 'red' };
    await expect(applyWrites([{ op: 'upsert', table: 'notices', key: ['notice_id'], rows: [row] }])).rejects.toThrow(/colour/);
  });
});
