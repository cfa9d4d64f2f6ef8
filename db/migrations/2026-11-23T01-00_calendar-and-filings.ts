import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // A year's holiday arrangement as loaded by an admin; it overrides the packaged data for that year.
  // Read model of the 'calendar' event streams (one stream per year), written in the appending transaction.
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey().check(sql`year BETWEEN 1990 AND 2200`))
    .addColumn('holidays', 'jsonb', (c) => c.notNull())
    .addColumn('make_up_workdays', 'jsonb', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('revision', 'integer', (c) => c.notNull().check(sql`revision >= 1`))
    .addColumn('loaded_by_account_id', 'text', (c) => c.notNull())
    .addColumn('loaded_by_name', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // A minimal administrator role: admins manage calendars, never case decisions.
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_role_check`.execute(db);
  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('applicant', 'official', 'auditor', 'admin'))`.execute(db);

  // One row per review clock of a drama filing (the first submission and each resubmission):
  // the reviewer queue reads the open ones, the SLA statistics all of them.
  await db.schema
    .createTable('filing_reviews')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.case_id'))
    .addColumn('round', 'integer', (c) => c.notNull().check(sql`round >= 1`))
    .addColumn('filing_type', 'text', (c) => c.notNull())
    .addColumn('reference_no', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_on', 'date', (c) => c.notNull())
    .addColumn('working_days', 'integer', (c) => c.notNull())
    .addColumn('last_working_day', 'date', (c) => c.notNull())
    .addColumn('deadline_at', 'timestamptz', (c) => c.notNull())
    .addColumn('provisional', 'boolean', (c) => c.notNull())
    .addColumn('reviewer_account_id', 'text')
    .addColumn('reviewer_name', 'text')
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('breached_at', 'timestamptz')
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_on', 'date')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome IN ('approved', 'returned', 'rejected')`))
    .addPrimaryKeyConstraint('filing_reviews_pk', ['case_id', 'round'])
    .execute();
  await db.schema.createIndex('filing_reviews_open_idx').on('filing_reviews').columns(['deadline_at']).where(sql.ref('outcome'), 'is', null).execute();
  await db.schema.createIndex('filing_reviews_month_idx').on('filing_reviews').columns(['submitted_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('filing_reviews').execute();
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_role_check`.execute(db);
  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('applicant', 'official', 'auditor'))`.execute(db);
  await db.schema.dropTable('calendar_years').execute();
}
