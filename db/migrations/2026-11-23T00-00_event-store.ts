import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('streams')
    .addColumn('stream_id', 'text', (c) => c.primaryKey())
    .addColumn('stream_type', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 0`))
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('global_position', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('stream_id', 'text', (c) => c.notNull().references('streams.stream_id'))
    .addColumn('stream_version', 'integer', (c) => c.notNull().check(sql`stream_version >= 1`))
    .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'smallint', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('prev_hash', 'char(64)', (c) => c.notNull())
    .addColumn('hash', 'char(64)', (c) => c.notNull())
    .addUniqueConstraint('events_stream_version_unique', ['stream_id', 'stream_version'])
    .execute();

  // Append-only at the database level too: a mistaken UPDATE or DELETE fails loudly. (A superuser
  // can still drop the trigger; the hash chain and signed checkpoints are what catch that.)
  await sql`
    CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'events are append-only: % refused', TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change()`.execute(db);

  await db.schema
    .createTable('accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('applicant', 'official', 'auditor')`))
    .addColumn('department', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('profile', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey())
    .addColumn('reference_no', 'text', (c) => c.notNull().unique())
    .addColumn('case_type', 'text', (c) => c.notNull())
    .addColumn('applicant_account_id', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_label', 'text', (c) => c.notNull())
    .addColumn('waiting_for_role', 'text')
    .addColumn('waiting_for_department', 'text')
    .addColumn('requested_fen', 'bigint', (c) => c.notNull())
    .addColumn('approved_fen', 'bigint')
    .addColumn('outstanding_fen', 'bigint', (c) => c.notNull())
    .addColumn('next_deadline_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_applicant_idx').on('cases').columns(['applicant_account_id', 'opened_at']).execute();
  await db.schema.createIndex('cases_queue_idx').on('cases').columns(['waiting_for_department', 'next_deadline_at']).execute();

  await db.schema
    .createTable('loan_instalments')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.case_id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provisional', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('loan_instalments_pk', ['case_id', 'number'])
    .execute();

  await sql`CREATE SEQUENCE case_reference_seq`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SEQUENCE case_reference_seq`.execute(db);
  for (const table of ['loan_instalments', 'cases', 'sessions', 'accounts', 'events', 'streams']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP FUNCTION refuse_event_change()`.execute(db);
}
