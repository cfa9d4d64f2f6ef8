import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awardsOnNotice } from '../../db/queries/awards-on-notice.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** An application whose award's 公示 is at `status`, published on `publishedOn` (none: never on 公示). */
const application = (n: number, publicity?: { status: string; publishedOn: string }) =>
  plainCaseRow(n, {
    case_type: 'application',
    reference_no: `HP-2026-${String(n).padStart(5, '0')}`,
    status: 'approved',
    status_label: '已批准',
    department: 'huangpu',
    details: JSON.stringify({
      call: { callId: 'call-1', title: '2026年第一批' },
      publicEntry: publicity ? { ...publicity, lastWorkingDay: '2026-12-20', statusLabel: '', recipient: '上海某某文化有限公司', amountFen: 100_000_00 } : null,
    }),
  });

describe('the awards on notice (the public 公示 list)', () => {
  it('are those 公示中 or 异议处理中, by the day published and then reference; one case is found whatever its 公示 came to', async () => {
    await database.ownerDb
      .insertInto('cases')
      .values([
        application(1, { status: 'in-publicity', publishedOn: '2026-12-08' }),
        application(2, { status: 'objection-pending', publishedOn: '2026-12-01' }),
        application(3, { status: 'final', publishedOn: '2026-11-20' }),
        application(4, { status: 'withdrawn', publishedOn: '2026-11-21' }),
        application(5),
        application(6, { status: 'in-publicity', publishedOn: '2026-12-01' }),
        // A loan's details never hold a public entry; one that did is not an award on notice.
        plainCaseRow(7, { details: JSON.stringify({ publicEntry: { status: 'in-publicity', publishedOn: '2026-12-01' } }) }),
      ])
      .execute();
    const listed = (await awardsOnNotice().execute(database.db)).rows;
    expect(listed.map((r) => [r.reference_no, r.entry.status])).toEqual([
      ['HP-2026-00002', 'objection-pending'],
      ['HP-2026-00006', 'in-publicity'],
      ['HP-2026-00001', 'in-publicity'],
    ]);
    expect(listed[0]).toMatchObject({ call_id: 'call-1', call_title: '2026年第一批', department: 'huangpu' });

    const one = async (caseId: string) => (await awardsOnNotice(caseId).execute(database.db)).rows.map((r) => r.entry.status);
    expect(await one(application(3).case_id)).toEqual(['final']);
    expect(await one(application(4).case_id)).toEqual(['withdrawn']);
    expect(await one(application(5).case_id)).toEqual([]);
    expect(await one('not-a-case')).toEqual([]);
    expect(await one('')).toEqual([]);
  });

  it('are read by the index of those on notice, already in order, not from every case', async () => {
    // With a handful of rows a scan is cheaper either way; barring scans shows whether the list can be read by the index.
    const plan = await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${awardsOnNotice()}`.execute(trx);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Scan using cases_on_notice_idx/);
    expect(plan).not.toMatch(/Sort/);
  });
});
