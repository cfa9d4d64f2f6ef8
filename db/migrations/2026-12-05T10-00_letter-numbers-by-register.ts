import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
/**
 * 文号 from a register, as an office numbers its letters: each issuer's letters of a year in the
 * order they are issued (杨V基金决〔2026〕1号, 2号 …), where before a letter's number was made of its
 * case's reference and the decision event's position (杨V基金决〔2026〕CY-2026-000001-4号). Letters
 * issued before keep the numbers they were issued with (their PDFs and hashes are stored). One row
 * an issuer and year (`prefix`, e.g. 杨V基金决〔2026〕): the last serial given. A number is given in
 * the transaction that stores its letter, so a letter not stored leaves no gap.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('letter_number_register')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('last_serial', 'integer', (c) => c.notNull().check(sql`last_serial > 0`))
    .execute();
  // No two letters of the register share a 文号. Only over the register's numbers (they end in 〕12号,
  // not -4号): a decision retried after its letter was stored (the event not recorded) drew a second
  // letter with the same old-style number, and such pairs may exist, so an index over those would fail.
  await sql`CREATE UNIQUE INDEX decision_letters_letter_no_key ON decision_letters (letter_no) WHERE letter_no !~ '-[0-9]+号$'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('decision_letters_letter_no_key').execute();
  await db.schema.dropTable('letter_number_register').execute();
}
