import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Since issue 11 a case type's module writes its own read-model columns: what people see of a case
// (`details`, the module's view model, never the decider's state), the case it was opened against
// (a recovery against an award), and the department that acts on it. The awards ledger keeps what
// was recovered from an award and what was written off.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('cases')
    .addColumn('details', 'jsonb')
    .addColumn('source_case_id', 'uuid')
    .addColumn('department', 'text')
    .execute();
  await db.schema.createIndex('cases_source_case_idx').on('cases').column('source_case_id').where(sql.ref('source_case_id'), 'is not', null).execute();
  await db.schema
    .alterTable('awards')
    .addColumn('recovered_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('written_off_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('awards').dropColumn('written_off_fen').dropColumn('recovered_fen').execute();
  await db.schema.dropIndex('cases_source_case_idx').execute();
  await db.schema.alterTable('cases').dropColumn('department').dropColumn('source_case_id').dropColumn('details').execute();
}
