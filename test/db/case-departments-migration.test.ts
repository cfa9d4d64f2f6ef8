import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as caseDepartments from '../../db/migrations/2026-12-02T03-00_case-departments.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const row = (n: number, caseType: string, state: object, department: string | null = null) =>
  plainCaseRow(n, { reference_no: `X-${n}`, case_type: caseType, state: JSON.stringify(state), department });

describe('migration 2026-12-02T03-00: the departments of cases projected before it', () => {
  it('fills each row by the rule access was decided by until then', async () => {
    const { ownerDb } = database;
    await ownerDb
      .insertInto('cases')
      .values([
        row(1, 'chuying-loan', {}),
        row(2, 'drama-planning-filing', { terms: { reviewingDepartment: 'culture-tourism' } }),
        row(3, 'application', { terms: { department: 'huangpu', requiresContentReview: true } }),
        row(4, 'application', { terms: { department: 'xuhui', requiresContentReview: false } }),
        row(5, 'application', { terms: { department: 'cac', requiresContentReview: true } }),
        row(6, 'recovery', {}, 'yangpu-investment'),
      ])
      .execute();
    // Run the migration again over these rows, as over a database that had them before it.
    await caseDepartments.down(ownerDb);
    await caseDepartments.up(ownerDb);
    const rows = await ownerDb.selectFrom('cases').select(['reference_no', 'departments']).orderBy('reference_no').execute();
    expect(rows).toEqual([
      { reference_no: 'X-1', departments: ['yangpu-fund', 'cac'] },
      { reference_no: 'X-2', departments: ['culture-tourism'] },
      { reference_no: 'X-3', departments: ['huangpu', 'cac'] },
      { reference_no: 'X-4', departments: ['xuhui'] },
      { reference_no: 'X-5', departments: ['cac'] },
      { reference_no: 'X-6', departments: ['yangpu-investment'] },
    ]);
  });
});
