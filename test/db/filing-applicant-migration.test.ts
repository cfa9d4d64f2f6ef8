import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as filingApplicant from '../../db/migrations/2026-12-04T03-10_filing-applicant-is-the-account.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const row = (n: number, caseType: string, applicantName: string, state: object) =>
  plainCaseRow(n, { reference_no: `F-${n}`, case_type: caseType, applicant_name: applicantName, state: JSON.stringify(state) });

describe('migration 2026-12-04T03-10: a filing projected before it is listed under the account that filed', () => {
  it('writes the account’s name where the producer typed stood, and touches no other case type', async () => {
    const { ownerDb } = database;
    await ownerDb
      .insertInto('cases')
      .values([
        row(1, 'drama-planning-filing', '上海星河文化传媒有限公司', { applicant: { accountId: 'a', displayName: '林小创' }, submission: { producer: '上海星河文化传媒有限公司' } }),
        row(2, 'drama-release-filing', '林小创工作室', { applicant: { accountId: 'a', displayName: '林小创' }, submission: { producer: '林小创工作室' } }),
        row(3, 'application', '某公司', { applicant: { accountId: 'a', displayName: '林小创' } }),
      ])
      .execute();
    await filingApplicant.up(ownerDb);
    const rows = await ownerDb.selectFrom('cases').select(['reference_no', 'applicant_name']).where('reference_no', 'like', 'F-%').orderBy('reference_no').execute();
    expect(rows).toEqual([
      { reference_no: 'F-1', applicant_name: '林小创' },
      { reference_no: 'F-2', applicant_name: '林小创' },
      { reference_no: 'F-3', applicant_name: '某公司' },
    ]);
  });
});
