import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oneOpenFiling from '../../db/migrations/2026-12-06T11-00_one-open-filing-per-title.js';
import { filingTitleKey } from '../../domain/drama-filing/one-open-filing.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const filing = (n: number, values: { type?: string; account?: string; title: string; status: string; openedAt: string }) =>
  plainCaseRow(n, {
    reference_no: `BA-2026-${String(n).padStart(6, '0')}`,
    case_type: values.type ?? 'drama-release-filing',
    applicant_account_id: values.account ?? 'demo-applicant',
    status: values.status,
    opened_at: new Date(values.openedAt),
    state: JSON.stringify({ submission: { title: values.title } }),
  });

describe('migration 2026-12-06T11-00: the filings open before it claim their titles', () => {
  it('copes with duplicate open filings of one title: the first filed holds it, the others stay as they are; a decided filing holds none', async () => {
    const { ownerDb } = database;
    await oneOpenFiling.down(ownerDb);
    await ownerDb
      .insertInto('cases')
      .values([
        // Three open filings of one title, as the outside tester made them, typed three ways.
        filing(1, { title: '外滩往事', status: 'in-review', openedAt: '2026-12-01T02:00:00Z' }),
        filing(2, { title: '外滩 往事', status: 'awaiting-claim', openedAt: '2026-12-01T02:00:01Z' }),
        filing(3, { title: '外滩·往事', status: 'returned', openedAt: '2026-12-01T02:00:02Z' }),
        // Decided before: it holds nothing, and an open one of the title after it holds it.
        filing(4, { title: '弄堂', status: 'approved', openedAt: '2026-11-01T02:00:00Z' }),
        filing(5, { title: '弄堂', status: 'awaiting-claim', openedAt: '2026-12-02T02:00:00Z' }),
        filing(6, { title: '石库门', status: 'rejected', openedAt: '2026-11-01T02:00:00Z' }),
        // Another filing type, another account: titles of their own.
        filing(7, { type: 'drama-planning-filing', title: '外滩往事', status: 'awaiting-claim', openedAt: '2026-12-03T02:00:00Z' }),
        filing(8, { account: 'other-applicant', title: '外滩往事', status: 'awaiting-claim', openedAt: '2026-12-03T02:00:00Z' }),
      ])
      .execute();
    await oneOpenFiling.up(ownerDb);
    const claims = await ownerDb.selectFrom('filing_claims').select(['applicant_account_id', 'filing_type', 'title_key', 'reference_no']).orderBy('reference_no').execute();
    expect(claims).toEqual([
      { applicant_account_id: 'demo-applicant', filing_type: 'drama-release-filing', title_key: filingTitleKey('外滩往事'), reference_no: 'BA-2026-000001' },
      { applicant_account_id: 'demo-applicant', filing_type: 'drama-release-filing', title_key: filingTitleKey('弄堂'), reference_no: 'BA-2026-000005' },
      { applicant_account_id: 'demo-applicant', filing_type: 'drama-planning-filing', title_key: filingTitleKey('外滩往事'), reference_no: 'BA-2026-000007' },
      { applicant_account_id: 'other-applicant', filing_type: 'drama-release-filing', title_key: filingTitleKey('外滩往事'), reference_no: 'BA-2026-000008' },
    ]);
    // The duplicates are left open, to be decided.
    expect(await ownerDb.selectFrom('cases').select('status').where('reference_no', 'in', ['BA-2026-000002', 'BA-2026-000003']).orderBy('reference_no').execute()).toEqual([
      { status: 'awaiting-claim' },
      { status: 'returned' },
    ]);
  });

  it('folds a title as the claim does: the SQL twin of filingTitleKey', async () => {
    const { ownerDb } = database;
    const titles = ['外滩往事', ' 外滩　往事 ', '外滩－往事', 'ａｉ短剧：第1季', 'AI短剧 第1季', '《弄堂》'];
    await oneOpenFiling.down(ownerDb);
    await ownerDb.deleteFrom('cases').execute();
    await ownerDb
      .insertInto('cases')
      .values(titles.map((title, i) => filing(20 + i, { account: `account-${i}`, title, status: 'awaiting-claim', openedAt: '2026-12-01T02:00:00Z' })))
      .execute();
    await oneOpenFiling.up(ownerDb);
    const claims = await ownerDb.selectFrom('filing_claims').select(['applicant_account_id', 'title_key']).orderBy('applicant_account_id').execute();
    expect(claims).toEqual(titles.map((title, i) => ({ applicant_account_id: `account-${i}`, title_key: filingTitleKey(title) })));
  });
});
