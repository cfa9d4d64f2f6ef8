import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as callListed from '../../db/migrations/2026-12-04T04-10_call-listed-under-its-department.js';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const row = (n: number, caseType: string, department: string, applicantName: string) =>
  plainCaseRow(n, { reference_no: `PC-${n}`, case_type: caseType, department, applicant_name: applicantName, state: JSON.stringify({ applicant: { accountId: 'o', displayName: applicantName } }) });

describe('migration 2026-12-04T04-10: a call projected before it is listed under its department, not the official who opened it', () => {
  it('writes the department’s name where the opener’s stood, as the read model now does, and touches no other case type', async () => {
    const { ownerDb } = database;
    await ownerDb
      .insertInto('cases')
      .values([row(1, 'call', 'huangpu', '孙评审'), row(2, 'call', 'culture-tourism', '陈文旅'), row(3, 'application', 'huangpu', '某公司')])
      .execute();
    await callListed.up(ownerDb);
    const rows = await ownerDb.selectFrom('cases').select(['reference_no', 'applicant_name']).where('reference_no', 'like', 'PC-%').orderBy('reference_no').execute();
    expect(rows).toEqual([
      { reference_no: 'PC-1', applicant_name: DEPARTMENTS.huangpu },
      { reference_no: 'PC-2', applicant_name: DEPARTMENTS['culture-tourism'] },
      { reference_no: 'PC-3', applicant_name: '某公司' },
    ]);
  });
});
