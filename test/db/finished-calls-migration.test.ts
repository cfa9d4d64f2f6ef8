import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as finishedCalls from '../../db/migrations/2026-12-04T04-30_finished-calls-say-so.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const call = (n: number, status: string, label: string, mode: string, panel: string) =>
  plainCaseRow(n, {
    reference_no: `FC-${n}`,
    case_type: 'call',
    status,
    status_label: label,
    state: JSON.stringify({ mode, panel: { status: panel } }),
    details: JSON.stringify({ next: { status, label } }),
  });

describe('migration 2026-12-04T04-30: a competitive call whose list was approved says so', () => {
  it('adds 名单已批准 to the label and the next step of those calls only, once', async () => {
    const { ownerDb } = database;
    await ownerDb
      .insertInto('cases')
      .values([
        call(1, 'closed', '已提前截止', 'competitive', 'approved'),
        call(2, 'ended', '申报期已结束', 'competitive', 'approved'),
        call(3, 'closed', '已提前截止，评审打分中', 'competitive', 'scoring'),
        call(4, 'ended', '申报期已结束', 'first-come', 'not-named'),
      ])
      .execute();
    await finishedCalls.up(ownerDb);
    await finishedCalls.up(ownerDb);
    const rows = await ownerDb.selectFrom('cases').select(['reference_no', 'status_label', 'details']).where('reference_no', 'like', 'FC-%').orderBy('reference_no').execute();
    expect(rows.map((r) => [r.reference_no, r.status_label, (r.details as { next: { label: string } }).next.label])).toEqual([
      ['FC-1', '已提前截止，名单已批准', '已提前截止，名单已批准'],
      ['FC-2', '申报期已结束，名单已批准', '申报期已结束，名单已批准'],
      ['FC-3', '已提前截止，评审打分中', '已提前截止，评审打分中'],
      ['FC-4', '申报期已结束', '申报期已结束'],
    ]);
  });
});
