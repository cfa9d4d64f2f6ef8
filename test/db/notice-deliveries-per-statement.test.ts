import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as perStatement from '../../db/migrations/2026-12-07T01-00_notice-deliveries-per-statement.js';
import { seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccounts(database.db, new Date('2026-12-01T00:00:00Z'));
  // One official told by text message too, and one whose account is disabled: never mailed.
  await database.ownerDb.insertInto('notice_contacts').values({ account_id: 'demo-fund-reviewer', channel: 'sms', address: '13800000001' }).execute();
  await database.ownerDb.updateTable('accounts').set({ disabled_at: new Date('2026-12-02T00:00:00Z'), disabled_reason: '调离本岗位' }).where('account_id', '=', 'demo-fund-supervisor').execute();
});
afterAll(() => database?.drop());

const createdAt = new Date('2026-12-07T02:00:00Z');
const notice = (recipient: { account?: string; department?: string }) => ({
  notice_id: randomUUID(),
  recipient_account_id: recipient.account ?? null,
  recipient_department: recipient.department ?? null,
  kind: 'case-progress',
  title: '案件进展',
  body: '您的申请已受理。',
  case_id: null,
  reference_no: null,
  event_id: null,
  created_at: createdAt,
});
type Notice = ReturnType<typeof notice>;

/** Every notice in one INSERT, as an append's projection writes them: a notice already there is written over (its body again). */
const insertAtOnce = (table: 'notices' | 'scheduled_notices', notices: Notice[]) =>
  database.db
    .insertInto(table)
    .values(notices)
    .onConflict((oc) => oc.column('notice_id').doUpdateSet((eb) => ({ body: eb.ref('excluded.body') })))
    .execute();

const deliveriesOf = (notices: Notice[]) =>
  database.db
    .selectFrom('notice_deliveries')
    .select(['notice_id', 'channel', 'address', 'recipient_account_id', 'message_id', 'next_attempt_at', 'sent_at'])
    .where('notice_id', 'in', notices.map((n) => n.notice_id))
    .orderBy('notice_id')
    .orderBy('address')
    .execute();

/** Who each notice is mailed to, by its position among `notices`. */
async function addressesByNotice(notices: Notice[]): Promise<string[][]> {
  const rows = await deliveriesOf(notices);
  return notices.map((n) => rows.filter((r) => r.notice_id === n.notice_id).map((r) => `${r.channel}:${r.address}`).sort());
}

const FUND_OFFICIALS_MAILED = ['email:fund-approver@youchuang.example', 'email:fund-director@youchuang.example', 'email:fund-reviewer@youchuang.example', 'sms:13800000001'];

/** The outbox as migration 2026-12-03T00-10 wrote it, whichever trigger writes it. */
async function expectOutboxOfOneStatement(table: 'notices' | 'scheduled_notices'): Promise<void> {
  const notices = [notice({ account: 'demo-applicant' }), notice({ department: 'yangpu-fund' }), notice({ account: 'demo-fund-supervisor' }), notice({ account: 'nobody-known' })];
  await insertAtOnce(table, notices);
  expect(await addressesByNotice(notices)).toEqual([['email:creator@youchuang.example'], FUND_OFFICIALS_MAILED, [], []]);
  const rows = await deliveriesOf(notices);
  for (const row of rows) {
    expect(row.message_id).toBe(`<${row.notice_id}@youchuang>`);
    expect(row.next_attempt_at).toEqual(createdAt);
    expect(row.sent_at).toBeNull();
  }
  expect(rows.find((r) => r.channel === 'sms')!.recipient_account_id).toBe('demo-fund-reviewer');

  // Sent, then the same notices written again (a retried append): nothing is queued a second time.
  await database.ownerDb.updateTable('notice_deliveries').set({ sent_at: createdAt }).where('notice_id', 'in', notices.map((n) => n.notice_id)).execute();
  await insertAtOnce(table, [...notices, notice({ account: 'demo-applicant' })].reverse());
  const again = await deliveriesOf(notices);
  expect(again).toHaveLength(rows.length);
  expect(again.every((r) => r.sent_at !== null)).toBe(true);
}

const triggerLevels = () =>
  sql<{ table: string; level: string }>`
    SELECT tgrelid::regclass::text AS table, CASE WHEN tgtype & 1 = 1 THEN 'row' ELSE 'statement' END AS level
      FROM pg_trigger WHERE tgname IN ('notices_enqueue_deliveries', 'scheduled_notices_enqueue_deliveries') ORDER BY 1`
    .execute(database.ownerDb)
    .then((r) => r.rows);

describe('migration 2026-12-07T01-00: a notice’s outbox rows are written once a statement', () => {
  it('queues every contact of each recipient of a many-notice insert, a department’s officials but not a disabled one, and nothing twice', async () => {
    expect(await triggerLevels()).toEqual([
      { table: 'notices', level: 'statement' },
      { table: 'scheduled_notices', level: 'statement' },
    ]);
    await expectOutboxOfOneStatement('notices');
    await expectOutboxOfOneStatement('scheduled_notices');
  });

  it('reads only the recipients’ accounts and contacts, where the trigger before read every contact and account for each notice', async () => {
    // A year's applicants, each with an email contact: enough that reading them all is not the planner's cheapest way.
    await sql`INSERT INTO accounts (account_id, username, display_name, role, profile, created_at)
      SELECT 'applicant-' || g, 'applicant-' || g, '申请人' || g, 'applicant', '{}'::jsonb, ${createdAt} FROM generate_series(1, 3000) g`.execute(database.ownerDb);
    await sql`INSERT INTO notice_contacts (account_id, channel, address) SELECT 'applicant-' || g, 'email', 'applicant-' || g || '@example.com' FROM generate_series(1, 3000) g`.execute(database.ownerDb);
    await sql`ANALYZE accounts`.execute(database.ownerDb);
    await sql`ANALYZE notice_contacts`.execute(database.ownerDb);
    const contacts = Number((await database.db.selectFrom('notice_contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // The rows of accounts and contacts a two-notice insert reads, on a connection of its own with plans
    // made as a connection that has inserted many notices makes them (generic, not for the values at hand).
    const rowsReadForTwoNotices = async () => {
      const client = new pg.Client(database.appUrl);
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
        await client.query(
          `INSERT INTO notices (notice_id, recipient_account_id, recipient_department, kind, title, body, created_at) VALUES ($1, 'demo-applicant', NULL, 'k', 't', 'b', $3), ($2, NULL, 'yangpu-fund', 'k', 't', 'b', $3)`,
          [randomUUID(), randomUUID(), createdAt],
        );
        const { rows } = await client.query<{ read: string }>(
          `SELECT sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)) AS read FROM pg_stat_xact_user_tables WHERE relname IN ('accounts', 'notice_contacts')`,
        );
        await client.query('ROLLBACK');
        return Number(rows[0]!.read);
      } finally {
        await client.end();
      }
    };
    // The applicant, the fund's four officials and their five contacts, give or take the disabled one.
    expect(await rowsReadForTwoNotices()).toBeLessThanOrEqual(12);
    await perStatement.down(database.ownerDb);
    try {
      expect(await rowsReadForTwoNotices()).toBeGreaterThanOrEqual(2 * contacts);
    } finally {
      await perStatement.up(database.ownerDb);
    }
  });

  it('queues nothing for notices the backfill writes', async () => {
    const notices = [notice({ account: 'demo-applicant' }), notice({ department: 'yangpu-fund' })];
    await database.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('youchuang.notices_backfill', 'on', true)`.execute(trx);
      await trx.insertInto('notices').values(notices).execute();
    });
    expect(await database.db.selectFrom('notices').select('notice_id').where('notice_id', 'in', notices.map((n) => n.notice_id)).execute()).toHaveLength(2);
    expect(await deliveriesOf(notices)).toEqual([]);
  });

  it('goes down to the trigger of each row, which queues the same, and up again', async () => {
    await perStatement.down(database.ownerDb);
    try {
      expect(await triggerLevels()).toEqual([
        { table: 'notices', level: 'row' },
        { table: 'scheduled_notices', level: 'row' },
      ]);
      await expectOutboxOfOneStatement('notices');
    } finally {
      await perStatement.up(database.ownerDb);
    }
    expect(await triggerLevels()).toEqual([
      { table: 'notices', level: 'statement' },
      { table: 'scheduled_notices', level: 'statement' },
    ]);
    await expectOutboxOfOneStatement('notices');
  });
});
