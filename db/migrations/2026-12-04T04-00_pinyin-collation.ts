import { sql, type Kysely } from 'kysely';

/**
 * `chinese_pinyin`: the order in which people in the office look a name up (安, 陈, 林, 王, 张, 周),
 * where the database's own compares code points (周 before 安). The lists sort applicants by it
 * (db/queries/worklist.ts). A PostgreSQL built without ICU has no such order: there the collation is
 * plain code-point order ("C"), which sorts as before, rather than a migration that fails.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      CREATE COLLATION chinese_pinyin (provider = icu, locale = 'zh');
    EXCEPTION WHEN OTHERS THEN
      CREATE COLLATION chinese_pinyin FROM "C";
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP COLLATION chinese_pinyin`.execute(db);
}
