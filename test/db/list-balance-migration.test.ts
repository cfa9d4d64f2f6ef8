import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listBalanceAsProposed from '../../db/migrations/2026-12-05T14-10_list-balance-as-proposed.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const call = (n: number, list: { summary: string } | null) =>
  plainCaseRow(n, { reference_no: `LB-${n}`, case_type: 'call', status: 'closed', status_label: '已提前截止', state: JSON.stringify({}), details: JSON.stringify({ panel: { status: 'proposed', list } }) });

describe('migration 2026-12-05T14-10: a proposed list says the balance it was proposed against', () => {
  it('rewrites 预算余额 as 提出名单时预算余额 in the lists projected before, once, and back down; other rows are left as they were', async () => {
    const { ownerDb } = database;
    const before = '拟资助 5 项，合计 400,000.00 元（预算余额 1,000,000.00 元）；因预算余额不足顺延 1 项';
    await ownerDb.insertInto('cases').values([call(1, { summary: before }), call(2, null)]).execute();
    const summaries = async () =>
      (await ownerDb.selectFrom('cases').select(['reference_no', 'details']).where('reference_no', 'like', 'LB-%').orderBy('reference_no').execute()).map((r) => (r.details as { panel: { list: { summary: string } | null } }).panel.list?.summary ?? null);

    await listBalanceAsProposed.up(ownerDb);
    await listBalanceAsProposed.up(ownerDb);
    // Only the balance is renamed: 因预算余额不足顺延 is about the list's order, and stays.
    expect(await summaries()).toEqual(['拟资助 5 项，合计 400,000.00 元（提出名单时预算余额 1,000,000.00 元）；因预算余额不足顺延 1 项', null]);
    await listBalanceAsProposed.down(ownerDb);
    expect(await summaries()).toEqual([before, null]);
  });
});
