import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream } from '../../db/event-store.js';
import { backfillNotices, DEADLINE_MOVED_NOTICES_MIGRATION, INSTALMENT_DUE_DATES_NOTICES_MIGRATION, LEFT_YANGPU_RECORDED_NOTICES_MIGRATION, REPAYMENT_DECLARED_NOTICES_MIGRATION, MEASURE_NAMED_NOTICES_MIGRATION, OBJECTION_NOTICES_MIGRATION, MONEY_AND_REPLY_NOTICES_MIGRATION, NOTICES_MIGRATION, noticesToBackfill, PROVISIONAL_DATES_NOTICES_MIGRATION, CALL_NAMED_PUBLICITY_NOTICES_MIGRATION, PUBLICITY_WINDOW_NOTICES_MIGRATION, REPAYMENT_TRANSFER_NAMED_NOTICES_MIGRATION, REASONS_PARTED_NOTICES_MIGRATION, TAKE_OVER_NOTICES_MIGRATION } from '../../db/notices/backfill.js';
import { sql } from 'kysely';
import { claimDueDeliveries, retryDelayMs, scheduleReminders } from '../../db/notices/outbox.js';
import { noticeIdOf } from '../../db/notices/notice-projection.js';
import { seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { sendDueNotices, type NoticeTransport } from '../../worker/notices/notice-sender.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newEvent, plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccounts(database.db, new Date('2026-12-01T00:00:00Z'));
});
afterAll(() => database?.drop());

// 10:00 on 3 December 2026 in Shanghai.
const now = new Date('2026-12-03T02:00:00Z');
const caseRow = (n: number, values: Record<string, unknown>) => plainCaseRow(n, { reference_no: `CY-2026-0000${n}`, opened_at: now, updated_at: now, ...values });

describe('reminders no event records', () => {
  it('are written once however often the scan runs, with their outbox rows, to the applicant and to every official of the department', async () => {
    await database.ownerDb
      .insertInto('cases')
      .values([
        caseRow(1, {}),
        caseRow(2, { case_type: 'application', status: 'completeness-check', waiting_for_role: 'official', waiting_for_department: 'yangpu-fund', next_deadline_at: new Date('2026-12-03T16:00:00Z') }),
        // A loan whose borrower's report waits for the fund: its deadline is the instalment's day, the borrower's, not the fund's time limit.
        caseRow(4, {
          status_label: '还款中，待核对还款申报',
          waiting_for_role: 'official',
          waiting_for_department: 'yangpu-fund',
          next_deadline_at: new Date('2026-12-03T16:00:00Z'),
          details: JSON.stringify({ deadline: { kind: 'instalment', dueOn: '2026-12-03', at: '2026-12-03T16:00:00.000Z', provisional: false } }),
        }),
      ])
      .execute();
    await database.ownerDb
      .insertInto('loan_instalments')
      .values([
        { case_id: caseRow(1, {}).case_id, number: 1, due_on: '2026-12-05', amount_fen: 1_388_889, paid_fen: 0, status: 'due', provisional: false },
        { case_id: caseRow(1, {}).case_id, number: 2, due_on: '2027-01-05', amount_fen: 1_388_889, paid_fen: 0, status: 'due', provisional: false },
      ])
      .execute();
    expect(await scheduleReminders(database.db, now)).toBe(2);
    expect(await scheduleReminders(database.db, new Date(now.getTime() + 600_000))).toBe(0);
    const reminders = await database.db.selectFrom('scheduled_notices').select(['kind', 'recipient_account_id', 'recipient_department', 'body']).orderBy('kind').execute();
    expect(reminders).toMatchObject([
      { kind: 'deadline-approaching', recipient_department: 'yangpu-fund' },
      { kind: 'instalment-due-soon', recipient_account_id: 'demo-applicant' },
    ]);
    expect(reminders[1]!.body).toContain('13,888.89元将于2026年12月5日到期');
    const addresses = (await database.db.selectFrom('notice_deliveries').select('address').execute()).map((d) => d.address).sort();
    // The fund's four officials (its director too) by email, and the applicant.
    expect(addresses).toEqual(['creator@youchuang.example', 'fund-approver@youchuang.example', 'fund-director@youchuang.example', 'fund-reviewer@youchuang.example', 'fund-supervisor@youchuang.example']);
  });
});

describe('the sender', () => {
  it('retries a failed send later with backoff, then records it sent, always with the same Message-ID', async () => {
    const noticeId = noticeIdOf('outbox-unit');
    await database.db
      .insertInto('notices')
      .values({ notice_id: noticeId, recipient_account_id: 'demo-individual-creator', recipient_department: null, kind: 'decision', title: '测试', body: '正文', case_id: null, reference_no: null, event_id: null, created_at: now })
      .execute();
    const seen: string[] = [];
    let fail = true;
    const email: NoticeTransport = {
      send: async (d) => {
        if (d.noticeId !== noticeId) return;
        seen.push(d.messageId);
        if (fail) throw new Error('451 try again later');
      },
    };
    let clock = new Date(now.getTime() + 1_000);
    await sendDueNotices({ db: database.db, clock: () => clock, transports: { email } });
    let row = await database.db.selectFrom('notice_deliveries').selectAll().where('notice_id', '=', noticeId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, sent_at: null, last_error: '451 try again later' });
    expect(row.next_attempt_at.getTime()).toBe(clock.getTime() + retryDelayMs(1));
    // Not due again before then.
    expect(await claimDueDeliveries(database.db, { now: clock, leaseMs: 1_000, limit: 10, channels: ['email'] })).toEqual([]);
    fail = false;
    clock = new Date(row.next_attempt_at.getTime());
    await sendDueNotices({ db: database.db, clock: () => clock, transports: { email } });
    row = await database.db.selectFrom('notice_deliveries').selectAll().where('notice_id', '=', noticeId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 2, last_error: null });
    expect(row.sent_at).toEqual(clock);
    expect(seen).toEqual([`<${noticeId}@youchuang>`, `<${noticeId}@youchuang>`]);
  });

  it('leaves deliveries on a channel it has no transport for waiting, not lost', async () => {
    const later = new Date(now.getTime() + 86_400_000);
    const unsent = async () => (await database.db.selectFrom('notice_deliveries').select('notice_id').where('channel', '=', 'email').where('sent_at', 'is', null).execute()).length;
    await database.db
      .insertInto('notices')
      .values({ notice_id: noticeIdOf('outbox-unit-2'), recipient_account_id: 'demo-applicant', recipient_department: null, kind: 'decision', title: '测试', body: '正文', case_id: null, reference_no: null, event_id: null, created_at: now })
      .execute();
    const before = await unsent();
    expect(before).toBe(1);
    const texts: string[] = [];
    // Email off (no SMTP_URL): only SMS goes out, and no email delivery is claimed or counted as tried.
    await sendDueNotices({ db: database.db, clock: () => later, transports: { sms: { send: async (d) => void texts.push(d.address) } } });
    expect(texts).toEqual([]);
    expect(await unsent()).toBe(before);
    expect(retryDelayMs(3)).toBe(120_000);
    expect(retryDelayMs(50)).toBe(3_600_000);
  });
});

describe('notices of events recorded before notices existed', () => {
  it('are written to the inbox by the backfill, once, and mailed to nobody', async () => {
    const caseId = caseRow(1, {}).case_id;
    // Appended without projections, as before the notices migration.
    const event = newEvent('SupplementRequested', { missingItems: ['还款计划表'], replyDueOn: '2026-12-20', requestedAt: now.toISOString() });
    await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: 0, events: [event] }, { now: () => now });
    const deliveriesBefore = (await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length;
    expect(await backfillNotices(database.db)).toBe(1);
    expect(await backfillNotices(database.db)).toBe(1);
    const notices = await database.db.selectFrom('notices').selectAll().where('event_id', '=', event.eventId).execute();
    expect(notices).toMatchObject([{ kind: 'supplement-requested', recipient_account_id: 'demo-applicant', reference_no: 'CY-2026-00001' }]);
    expect((await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length).toBe(deliveriesBefore);
  });

  it('run again when the migration that tells of money and replies is applied: a reminder recorded before gets its notice, not mailed', () => {
    expect(noticesToBackfill([MONEY_AND_REPLY_NOTICES_MIGRATION])).toBe(true);
    expect(noticesToBackfill([TAKE_OVER_NOTICES_MIGRATION])).toBe(true);
    expect(noticesToBackfill([MEASURE_NAMED_NOTICES_MIGRATION])).toBe(true);
    expect(noticesToBackfill([OBJECTION_NOTICES_MIGRATION])).toBe(true);
    expect(noticesToBackfill([LEFT_YANGPU_RECORDED_NOTICES_MIGRATION])).toBe(true);
    expect(noticesToBackfill([NOTICES_MIGRATION, 'something-else'])).toBe(true);
    expect(noticesToBackfill(['2026-12-04T00-10_grants-for-resets-and-enabling'])).toBe(false);
  });

  it('read a loan’s reminder recorded before it was told into the inbox', async () => {
    const caseId = caseRow(1, {}).case_id;
    const reminder = newEvent('RepaymentReminderSent', { number: 1, dueOn: '2026-11-30', outstandingFen: 1_000_000, at: now.toISOString() });
    const version = (await database.db.selectFrom('streams').select('version').where('stream_id', '=', caseId).executeTakeFirstOrThrow()).version;
    await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: Number(version), events: [reminder] }, { now: () => now });
    await backfillNotices(database.db);
    const notices = await database.db.selectFrom('notices').selectAll().where('event_id', '=', reminder.eventId).execute();
    expect(notices).toMatchObject([{ kind: 'instalment-overdue', recipient_account_id: 'demo-applicant', title: expect.stringContaining('还款催告') }]);
    // A notice written in older words (贷款 for the fund's 借款) is written again in today's, as the rebuild writes it.
    await database.db.updateTable('notices').set({ title: '还款催告：雏鹰计划贷款申请（CY-2026-00001）' }).where('event_id', '=', reminder.eventId).execute();
    await backfillNotices(database.db);
    const again = await database.db.selectFrom('notices').select('title').where('event_id', '=', reminder.eventId).executeTakeFirstOrThrow();
    expect(again.title).toBe('还款催告：雏鹰计划借款申请（CY-2026-00001）');
  });

  it('run again when the migration that tells a moved deadline is applied: an extension recorded before gets its notice, not mailed', async () => {
    expect(noticesToBackfill([DEADLINE_MOVED_NOTICES_MIGRATION])).toBe(true);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.ownerDb);
    expect(rows.map((r) => r.name)).toContain(DEADLINE_MOVED_NOTICES_MIGRATION);
    const caseId = caseRow(1, {}).case_id;
    const count = (lastWorkingDay: string) => ({ workingDays: 20, startedOn: '2026-12-01', lastWorkingDay, deadlineAt: `${lastWorkingDay}T16:00:00.000Z`, provisional: false });
    const extended = newEvent('TimeLimitExtended', { step: 'funding-decision', by: { accountId: 'demo-director', displayName: '郑处长' }, reason: '需补充尽职调查', extraWorkingDays: 5, previous: count('2026-12-29'), current: count('2027-01-05'), applicantTold: true, at: now.toISOString() });
    const version = (await database.db.selectFrom('streams').select('version').where('stream_id', '=', caseId).executeTakeFirstOrThrow()).version;
    await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: Number(version), events: [extended] }, { now: () => now });
    const deliveriesBefore = (await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length;
    await backfillNotices(database.db);
    const notices = await database.db.selectFrom('notices').selectAll().where('event_id', '=', extended.eventId).execute();
    expect(notices).toMatchObject([{ kind: 'deadline-moved', recipient_account_id: 'demo-applicant', title: '办理期限已延长：雏鹰计划借款申请（CY-2026-00001）', body: expect.stringContaining('由2026年12月29日改为2027年1月5日。延长理由：需补充尽职调查。') }]);
    expect((await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length).toBe(deliveriesBefore);
  });

  it('run again when the migration that tells the fund of a borrower’s reported repayment is applied: a report recorded before gets its notice, to the fund, not mailed', async () => {
    expect(noticesToBackfill([REPAYMENT_DECLARED_NOTICES_MIGRATION])).toBe(true);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.ownerDb);
    expect(rows.map((r) => r.name)).toContain(REPAYMENT_DECLARED_NOTICES_MIGRATION);
    const caseId = caseRow(1, {}).case_id;
    const declared = newEvent('RepaymentDeclared', { by: { accountId: 'demo-applicant', displayName: '上海星河文化传媒有限公司' }, amountFen: 1_388_889, paidOn: '2026-12-02', reference: 'ICBC-20261202-01', note: '', declaredAt: now.toISOString() });
    const version = (await database.db.selectFrom('streams').select('version').where('stream_id', '=', caseId).executeTakeFirstOrThrow()).version;
    await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: Number(version), events: [declared] }, { now: () => now });
    // A loan's row names its fund (this file's rows are written by hand, without it).
    await database.ownerDb.updateTable('cases').set({ department: 'yangpu-fund' }).where('case_id', '=', caseId).execute();
    // As a store from before this change holds it: the report told nobody.
    await database.db.deleteFrom('notices').where('event_id', '=', declared.eventId).execute();
    const deliveriesBefore = (await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length;
    await backfillNotices(database.db);
    const notices = await database.db.selectFrom('notices').selectAll().where('event_id', '=', declared.eventId).execute();
    expect(notices).toMatchObject([
      {
        kind: 'repayment-declared',
        recipient_account_id: null,
        recipient_department: 'yangpu-fund',
        title: '借款人报告已还款，待核对：雏鹰计划借款申请（CY-2026-00001）',
        body: '雏鹰计划借款申请（CY-2026-00001）的借款人报告已于2026年12月2日还款13,888.89元（银行流水号 ICBC-20261202-01）。请与银行到账核对，核对无误后在案件页面登记还款。',
      },
    ]);
    expect((await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length).toBe(deliveriesBefore);
  });

  it('run again when the migration that tells the borrower of instalment due dates counted again is applied: a recount recorded before gets its notice, not mailed', async () => {
    expect(noticesToBackfill([INSTALMENT_DUE_DATES_NOTICES_MIGRATION])).toBe(true);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.ownerDb);
    expect(rows.map((r) => r.name)).toContain(INSTALMENT_DUE_DATES_NOTICES_MIGRATION);
    const caseId = caseRow(1, {}).case_id;
    const recount = newEvent('InstalmentDueDatesRecomputed', {
      changes: [{ number: 13, previous: { dueOn: '2027-01-01', provisional: true }, current: { dueOn: '2027-01-04', provisional: false } }],
      reason: { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'demo-admin', displayName: '系统管理员' } },
      at: now.toISOString(),
    });
    const version = (await database.db.selectFrom('streams').select('version').where('stream_id', '=', caseId).executeTakeFirstOrThrow()).version;
    await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: Number(version), events: [recount] }, { now: () => now });
    // As a store from before this change holds it: the recount told nobody.
    await database.db.deleteFrom('notices').where('event_id', '=', recount.eventId).execute();
    const deliveriesBefore = (await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length;
    await backfillNotices(database.db);
    expect(await database.db.selectFrom('notices').selectAll().where('event_id', '=', recount.eventId).execute()).toMatchObject([
      {
        kind: 'deadline-moved',
        recipient_account_id: 'demo-applicant',
        title: '还款应还日已变更：雏鹰计划借款申请（CY-2026-00001）',
        body: '2027 年节假日安排公布后重新计算，您的雏鹰计划借款申请（CY-2026-00001）第13期应还日由2027年1月1日改为2027年1月4日。请按新的应还日还款，各期应还日见办件页面的还款计划。',
      },
    ]);
    expect((await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length).toBe(deliveriesBefore);
  });

  it('run again when the migration that tells an award’s 公示 counted again is applied: a recount recorded before tells the applicant and the department, not mailed', async () => {
    expect(noticesToBackfill([PUBLICITY_WINDOW_NOTICES_MIGRATION])).toBe(true);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.ownerDb);
    expect(rows.map((r) => r.name)).toContain(PUBLICITY_WINDOW_NOTICES_MIGRATION);
    const onNotice = caseRow(5, { case_type: 'application', reference_no: 'AP-2026-00005', status: 'publicity', status_label: '公示中', department: 'huangpu', programme_id: 'huangpu-carrier-operator' });
    await database.ownerDb.insertInto('cases').values(onNotice).execute();
    const window = (lastWorkingDay: string, provisional: boolean) => ({ workingDays: 5, publishedOn: '2026-12-29', firstDay: '2026-12-29', lastWorkingDay, opensAt: '2026-12-28T16:00:00.000Z', endsAt: `${lastWorkingDay}T16:00:00.000Z`, provisional });
    const recount = newEvent('PublicityWindowRecomputed', {
      previous: window('2027-01-04', true),
      current: window('2027-01-05', false),
      reason: { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'demo-admin', displayName: '系统管理员' } },
      at: now.toISOString(),
    });
    await appendToStream(database.db, { streamId: onNotice.case_id, streamType: 'application', expectedVersion: 0, events: [recount] }, { now: () => now });
    // As a store from before this change holds it: the recount told nobody.
    await database.db.deleteFrom('notices').where('event_id', '=', recount.eventId).execute();
    const deliveriesBefore = (await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length;
    await backfillNotices(database.db);
    const name = '黄浦内容创作特色载体运营方扶持申请（AP-2026-00005）';
    const told = await database.db.selectFrom('notices').select(['kind', 'recipient_account_id', 'recipient_department', 'title', 'body']).where('event_id', '=', recount.eventId).orderBy('recipient_department', 'desc').execute();
    expect(told).toEqual([
      {
        kind: 'deadline-moved',
        recipient_account_id: 'demo-applicant',
        recipient_department: null,
        title: `公示截止日已变更：${name}`,
        body: `2027 年节假日安排公布后重新计算，您的${name}的公示截止日由2027年1月4日改为2027年1月5日。公众可在该日24时前提出异议；公示期满无异议的，奖励生效。`,
      },
      {
        kind: 'deadline-moved',
        recipient_account_id: null,
        recipient_department: 'huangpu',
        title: `公示截止日已变更：${name}`,
        body: `2027 年节假日安排公布后重新计算，${name}的公示截止日由2027年1月4日改为2027年1月5日。异议受理至该日24时，请按新的截止日受理和答复异议；期满无待答复异议的，资助自动确定。`,
      },
    ]);
    expect((await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length).toBe(deliveriesBefore);
  });

  it('run again when the migration that tells provisional dates as 暂定 is applied, one the database has run', async () => {
    expect(noticesToBackfill([PROVISIONAL_DATES_NOTICES_MIGRATION])).toBe(true);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.ownerDb);
    expect(rows.map((r) => r.name)).toContain(PROVISIONAL_DATES_NOTICES_MIGRATION);
  });

  it('write a 放款 told before with its provisional first due date as a plain date again, saying 暂定, as the rebuild writes it, and mail it to nobody', async () => {
    const caseId = caseRow(1, {}).case_id;
    const disbursed = newEvent('LoanDisbursed', { amountFen: 36_000_000, disbursedOn: '2026-12-03', bankReference: 'BOC-1', schedule: [{ number: 1, dueOn: '2027-01-04', amountFen: 1_000_000, provisional: true }], recordedAt: now.toISOString() });
    const version = (await database.db.selectFrom('streams').select('version').where('stream_id', '=', caseId).executeTakeFirstOrThrow()).version;
    await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: Number(version), events: [disbursed] }, { now: () => now });
    await backfillNotices(database.db);
    const body = async () => (await database.db.selectFrom('notices').select('body').where('event_id', '=', disbursed.eventId).executeTakeFirstOrThrow()).body;
    expect(await body()).toContain('第1期还款应于2027年1月4日（含；暂定：2027 年节假日安排尚未公布，公布后重新确定）前还清');
    // As the inbox held it before: the provisional day told as final. The backfill writes it again in today's words.
    await database.db.updateTable('notices').set({ body: '您的雏鹰计划借款申请（CY-2026-00001）已于2026年12月3日放款360,000.00元。第1期还款应于2027年1月4日前还清，还款计划见办件页面。' }).where('event_id', '=', disbursed.eventId).execute();
    const deliveriesBefore = (await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length;
    await backfillNotices(database.db);
    expect(await body()).toContain('2027年1月4日（含；暂定：');
    expect((await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length).toBe(deliveriesBefore);
  });
});

/**
 * A migration that changed the words of a kind of notice: it is one the database has run, and it
 * calls for the backfill, which writes `event`'s notice, held in the inbox in the old words
 * (`before`), again in today's and mails it to nobody. Answers the notice's body after.
 */
async function rewordedByBackfill(migration: string, caseId: string, streamType: string, event: ReturnType<typeof newEvent>, before: string): Promise<string> {
  expect(noticesToBackfill([migration])).toBe(true);
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.ownerDb);
  expect(rows.map((r) => r.name)).toContain(migration);
  const stream = await database.db.selectFrom('streams').select('version').where('stream_id', '=', caseId).executeTakeFirst();
  await appendToStream(database.db, { streamId: caseId, streamType, expectedVersion: Number(stream?.version ?? 0), events: [event] }, { now: () => now });
  await backfillNotices(database.db);
  const held = await database.db.updateTable('notices').set({ body: before }).where('event_id', '=', event.eventId).executeTakeFirst();
  expect(Number(held.numUpdatedRows)).toBe(1);
  const deliveriesBefore = (await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length;
  await backfillNotices(database.db);
  expect((await database.db.selectFrom('notice_deliveries').select('notice_id').execute()).length).toBe(deliveriesBefore);
  return (await database.db.selectFrom('notices').select('body').where('event_id', '=', event.eventId).executeTakeFirstOrThrow()).body;
}

describe('notices in words changed since they were written', () => {
  it('a refusal with its reasons is parted by ； without 。； or 。。', async () => {
    const rejected = newEvent('FundingRejected', { reasons: ['材料不全。', '金额超限。'], decidedAt: now.toISOString() });
    const body = await rewordedByBackfill(REASONS_PARTED_NOTICES_MIGRATION, caseRow(1, {}).case_id, 'chuying-loan', rejected, '您的雏鹰计划借款申请（CY-2026-00001）未获批准。理由：材料不全。；金额超限。。');
    expect(body).toContain('理由：材料不全；金额超限。');
    expect(body).not.toMatch(/。；|。。/);
  });

  it('an award’s 公示 started names the call whose list it is on', async () => {
    const row = caseRow(6, { case_type: 'application', reference_no: 'AP-2026-000006', status: 'publicity', department: 'huangpu', details: JSON.stringify({ call: { callId: 'c-6', title: '2026 年黄浦平台集聚补贴（第二批）' } }) });
    await database.ownerDb.insertInto('cases').values(row).execute();
    const started = newEvent('PublicityStarted', { amountFen: 5_000_000, window: { publishedOn: '2026-12-03', lastWorkingDay: '2026-12-10' }, recordedAt: now.toISOString() });
    const body = await rewordedByBackfill(CALL_NAMED_PUBLICITY_NOTICES_MIGRATION, row.case_id, 'application', started, '您的申请（AP-2026-000006）拟奖励50,000.00元，已开始公示，公示期至2026年12月10日。公示期内无异议的，奖励生效。');
    expect(body).toContain('已列入“2026 年黄浦平台集聚补贴（第二批）”拟资助名单，已开始公示，公示期至2026年12月10日');
  });

  it('a repayment the fund recorded names the transfer and the instalments it settled', async () => {
    const recorded = newEvent('RepaymentRecorded', { amountFen: 1_000_000, paidOn: '2026-12-03', reference: 'ICBC-H2-R1', allocations: [{ number: 2, amountFen: 1_000_000 }], recordedAt: now.toISOString() });
    const body = await rewordedByBackfill(REPAYMENT_TRANSFER_NAMED_NOTICES_MIGRATION, caseRow(1, {}).case_id, 'chuying-loan', recorded, '您于2026年12月3日的还款10,000.00元已登记。各期已还和尚欠金额见办件页面。');
    expect(body).toBe('您于2026年12月3日的还款10,000.00元（银行流水号 ICBC-H2-R1）已登记，计入第2期。各期已还和尚欠金额见办件页面。');
  });
});

describe('the reminder of an instalment due in a year whose holiday arrangement is not loaded', () => {
  it('says the due date is 暂定', async () => {
    const caseId = caseRow(3, {}).case_id;
    await database.ownerDb.insertInto('cases').values(caseRow(3, {})).execute();
    await database.ownerDb.insertInto('loan_instalments').values({ case_id: caseId, number: 1, due_on: '2027-01-04', amount_fen: 1_388_889, paid_fen: 0, status: 'due', provisional: true }).execute();
    expect(await scheduleReminders(database.db, new Date('2027-01-01T02:00:00Z'))).toBe(1);
    const reminder = await database.db.selectFrom('scheduled_notices').select('body').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(reminder.body).toContain('13,888.89元将于2027年1月4日（暂定：2027 年节假日安排尚未公布，公布后重新确定）到期');
  });
});
