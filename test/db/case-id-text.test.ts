import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseIdFromText } from '../../db/queries/case-id-text.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const asUuid = async (text: string | null) =>
  (await sql<{ id: string | null }>`SELECT ${caseIdFromText(sql.val(text))} AS id`.execute(database.db)).rows[0]!.id;

describe('caseIdFromText: a case id written as text, compared as the uuid cases.case_id is', () => {
  it('reads a uuid in either letter case, and anything else (the pool’s call, a mistyped address) as no case', async () => {
    const id = randomUUID();
    expect(await asUuid(id)).toBe(id);
    expect(await asUuid(id.toUpperCase())).toBe(id);
    for (const text of ['chuying-fund', '', 'not-a-uuid', `${id}x`, ` ${id}`, id.replaceAll('-', ''), null]) expect(await asUuid(text)).toBeNull();
  });

  it('finds the case by its primary key, where comparing case_id as text reads the whole table', async () => {
    // The planner's choice for a handful of rows is a scan either way; barring scans shows which comparisons can use the key.
    const plan = async (where: ReturnType<typeof sql>) =>
      database.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT reference_no FROM cases WHERE ${where}`.execute(trx);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    const id = randomUUID();
    expect(await plan(sql`case_id = ${caseIdFromText(sql.val(id))}`)).toMatch(/Index Scan using cases_pkey/);
    expect(await plan(sql`case_id::text = ${id}`)).not.toMatch(/cases_pkey/);
  });
});
