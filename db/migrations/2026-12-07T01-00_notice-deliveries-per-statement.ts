import { sql, type Kysely } from 'kysely';

/**
 * A notice's outbox rows are written by a look-up of who to tell that reads indexes, once for each
 * statement that inserts notices (issue 17: what an append writes costs what it touches, not what the
 * store holds).
 *
 * The trigger of 2026-12-03T00-10 ran, for every notice, an INSERT … SELECT whose OR (the recipient's
 * contacts, or a department's officials') the planner could answer only by reading every contact. With
 * 10,000 accounts that have an email contact, a notice insert took 1.6–2.0 ms under it and 0.65–0.85 ms
 * under this one; the cost grew with the year's applicants, on every append that tells anyone anything.
 *
 * This one reads the two ways to a recipient apart, each by an index (the account by its key; a
 * department's officials by the partial index below), over the statement's transition table
 * (`inserted_notices`), which holds only the rows the statement inserted: a notice already there
 * (`ON CONFLICT`) is not mailed again, as before. Who is mailed is unchanged: each contact of the
 * recipient account and, for a department's notice, of each of its officials, never of a disabled
 * account; nothing while the backfill writes old news (`youchuang.notices_backfill`).
 *
 * The trigger names stay, so the rebuild and the earlier migrations find them as before. The old
 * function stays too, for `down`, and goes with 2026-12-03T00-10's own `down`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX accounts_officials_by_department_idx ON accounts (department) WHERE role = 'official' AND disabled_at IS NULL`.execute(db);
  await sql`
    CREATE FUNCTION enqueue_inserted_notice_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Notices of events recorded before notices existed (db/notices/backfill.ts) go to the inbox only: old news is not mailed.
      IF current_setting('youchuang.notices_backfill', true) = 'on' THEN RETURN NULL; END IF;
      INSERT INTO notice_deliveries (notice_id, channel, address, recipient_account_id, message_id, next_attempt_at)
      SELECT n.notice_id, c.channel, c.address, c.account_id, '<' || n.notice_id || '@youchuang>', n.created_at
        FROM inserted_notices n
        CROSS JOIN LATERAL (
          SELECT a.account_id FROM accounts a
           WHERE a.account_id = n.recipient_account_id AND a.disabled_at IS NULL
          UNION
          SELECT a.account_id FROM accounts a
           WHERE n.recipient_department IS NOT NULL AND a.department = n.recipient_department AND a.role = 'official' AND a.disabled_at IS NULL
        ) recipient
        JOIN notice_contacts c ON c.account_id = recipient.account_id
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`.execute(db);
  for (const table of ['notices', 'scheduled_notices']) {
    await sql`DROP TRIGGER ${sql.id(`${table}_enqueue_deliveries`)} ON ${sql.id(table)}`.execute(db);
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_enqueue_deliveries`)} AFTER INSERT ON ${sql.id(table)}
      REFERENCING NEW TABLE AS inserted_notices
      FOR EACH STATEMENT EXECUTE FUNCTION enqueue_inserted_notice_deliveries()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notices', 'scheduled_notices']) {
    await sql`DROP TRIGGER ${sql.id(`${table}_enqueue_deliveries`)} ON ${sql.id(table)}`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_enqueue_deliveries`)} AFTER INSERT ON ${sql.id(table)} FOR EACH ROW EXECUTE FUNCTION enqueue_notice_deliveries()`.execute(db);
  }
  await sql`DROP FUNCTION enqueue_inserted_notice_deliveries()`.execute(db);
  await sql`DROP INDEX accounts_officials_by_department_idx`.execute(db);
}
