import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
/**
 * Notices (issue 14): the in-app inbox and the outbox that sends it by email and SMS.
 * `notices` is a read model (each row follows from one event, rebuilt by the auditors);
 * `scheduled_notices` holds the reminders no event records (found by the worker's scan, so not
 * in the rebuild); `notice_deliveries` is the outbox: a row per channel and address, written by a
 * trigger in the transaction that writes the notice, i.e. the one that appends its event.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['notices', 'scheduled_notices']) {
    await db.schema
      .createTable(table)
      .addColumn('notice_id', 'uuid', (c) => c.primaryKey())
      .addColumn('recipient_account_id', 'text')
      .addColumn('recipient_department', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('case_id', 'uuid')
      .addColumn('reference_no', 'text')
      .addColumn('event_id', 'uuid')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addCheckConstraint(`${table}_one_recipient`, sql`(recipient_account_id IS NULL) <> (recipient_department IS NULL)`)
      .execute();
    await db.schema.createIndex(`${table}_account_idx`).on(table).columns(['recipient_account_id', 'created_at']).execute();
    await db.schema.createIndex(`${table}_department_idx`).on(table).columns(['recipient_department', 'created_at']).execute();
  }

  // Where an account is told beyond the inbox: one address per channel.
  await db.schema
    .createTable('notice_contacts')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel IN ('email', 'sms')`))
    .addColumn('address', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_contacts_pk', ['account_id', 'channel'])
    .execute();

  await db.schema
    .createTable('notice_deliveries')
    .addColumn('notice_id', 'uuid', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel IN ('email', 'sms')`))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('recipient_account_id', 'text', (c) => c.notNull())
    // The same on every copy sent: a copy sent again after a crash is recognisable as the same message.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Also the lease of a claimed delivery: a sender that dies holding it leaves it due again then.
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addPrimaryKeyConstraint('notice_deliveries_pk', ['notice_id', 'channel', 'address'])
    .execute();
  await sql`CREATE INDEX notice_deliveries_due_idx ON notice_deliveries (next_attempt_at) WHERE sent_at IS NULL`.execute(db);

  await db.schema
    .createTable('notice_reads')
    .addColumn('notice_id', 'uuid', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_reads_pk', ['notice_id', 'account_id'])
    .execute();

  // The outbox row is written with the notice, whichever path wrote it (the append's one statement
  // or its transaction). The auditors' rebuild writes copies of `notices` without this trigger.
  await sql`
    CREATE FUNCTION enqueue_notice_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Notices of events recorded before notices existed (db/notices/backfill.ts) go to the inbox only: old news is not mailed.
      IF current_setting('youchuang.notices_backfill', true) = 'on' THEN RETURN NULL; END IF;
      INSERT INTO notice_deliveries (notice_id, channel, address, recipient_account_id, message_id, next_attempt_at)
      SELECT NEW.notice_id, c.channel, c.address, c.account_id, '<' || NEW.notice_id || '@youchuang>', NEW.created_at
      FROM notice_contacts c JOIN accounts a ON a.account_id = c.account_id
      WHERE a.disabled_at IS NULL
        AND (c.account_id = NEW.recipient_account_id
             OR (NEW.recipient_department IS NOT NULL AND a.role = 'official' AND a.department = NEW.recipient_department))
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`.execute(db);
  for (const table of ['notices', 'scheduled_notices']) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_enqueue_deliveries`)} AFTER INSERT ON ${sql.id(table)} FOR EACH ROW EXECUTE FUNCTION enqueue_notice_deliveries()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notice_reads', 'notice_deliveries', 'notice_contacts', 'scheduled_notices', 'notices']) await db.schema.dropTable(table).execute();
  await sql`DROP FUNCTION enqueue_notice_deliveries()`.execute(db);
}
