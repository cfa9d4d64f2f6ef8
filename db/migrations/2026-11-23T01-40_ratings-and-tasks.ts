import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // 好差评: one rating per case, read model of the 'case-rating' streams.
  await db.schema
    .createTable('case_ratings')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('cases.case_id'))
    .addColumn('reference_no', 'text', (c) => c.notNull())
    .addColumn('case_type', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score BETWEEN 1 AND 5`))
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('rated_by_account_id', 'text', (c) => c.notNull())
    .addColumn('rated_by_name', 'text', (c) => c.notNull())
    .addColumn('department', 'text')
    .addColumn('rated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // A follow-up task for a department's supervising official (opened by a rating of 1 or 2).
  await db.schema
    .createTable('follow_up_tasks')
    .addColumn('task_id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.case_id'))
    .addColumn('reference_no', 'text', (c) => c.notNull())
    .addColumn('department', 'text')
    .addColumn('duty', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('open', 'closed')`))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by_name', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('follow_up_tasks_department_idx').on('follow_up_tasks').columns(['department', 'status', 'opened_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('follow_up_tasks').execute();
  await db.schema.dropTable('case_ratings').execute();
}
