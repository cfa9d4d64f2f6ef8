import { sql } from 'kysely';
import type { Db } from '../client.js';
import { remindersDue, type InstalmentDue, type OfficialDeadline } from '../../domain/notices/notices.js';
import { addDays, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { noticeRow } from './notice-projection.js';
import { countingFor, deadlineKindOf } from '../../domain/time/deadline-counting.js';

/** A delivery claimed for sending, with the notice it carries. */
export interface ClaimedDelivery {
  noticeId: string;
  channel: 'email' | 'sms';
  address: string;
  messageId: string;
  attempts: number;
  title: string;
  body: string;
  referenceNo: string | null;
  createdAt: Date;
}

/**
 * Claims up to `limit` deliveries due at `now` on the given channels: each one's attempt is counted
 * and its next attempt moved `leaseMs` ahead before anything is sent, so two senders never send the
 * same one at once (SKIP LOCKED), and one that dies mid-send leaves it due again when the lease ends.
 */
export async function claimDueDeliveries(db: Db, options: { now: Date; leaseMs: number; limit: number; channels: readonly ('email' | 'sms')[] }): Promise<ClaimedDelivery[]> {
  if (options.channels.length === 0) return [];
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const { rows } = await sql<{ notice_id: string; channel: 'email' | 'sms'; address: string; message_id: string; attempts: number }>`
    UPDATE notice_deliveries d SET attempts = d.attempts + 1, next_attempt_at = ${leaseUntil}
    FROM (
      SELECT notice_id, channel, address FROM notice_deliveries
      WHERE sent_at IS NULL AND next_attempt_at <= ${options.now} AND channel = ANY(${sql.val([...options.channels])}::text[])
      ORDER BY next_attempt_at LIMIT ${options.limit}
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE d.notice_id = due.notice_id AND d.channel = due.channel AND d.address = due.address
    RETURNING d.notice_id, d.channel, d.address, d.message_id, d.attempts`.execute(db);
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.notice_id))];
  const columns = ['notice_id', 'title', 'body', 'reference_no', 'created_at'] as const;
  const notices = [
    ...(await db.selectFrom('notices').select(columns).where('notice_id', 'in', ids).execute()),
    ...(await db.selectFrom('scheduled_notices').select(columns).where('notice_id', 'in', ids).execute()),
  ];
  const byId = new Map(notices.map((n) => [n.notice_id, n]));
  return rows.flatMap((r) => {
    const notice = byId.get(r.notice_id);
    // A delivery always has its notice (the trigger writes it with one); none means a notice removed by hand: nothing to send.
    if (!notice) return [];
    return [{ noticeId: r.notice_id, channel: r.channel, address: r.address, messageId: r.message_id, attempts: r.attempts, title: notice.title, body: notice.body, referenceNo: notice.reference_no, createdAt: notice.created_at }];
  });
}

export async function recordSent(db: Db, delivery: Pick<ClaimedDelivery, 'noticeId' | 'channel' | 'address'>, at: Date): Promise<void> {
  await db
    .updateTable('notice_deliveries')
    .set({ sent_at: at, last_error: null })
    .where('notice_id', '=', delivery.noticeId)
    .where('channel', '=', delivery.channel)
    .where('address', '=', delivery.address)
    .execute();
}

/** Waits before the next attempt: 30 s, 1, 2, 4 … minutes, at most an hour; it never gives up (a notice is never lost). */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export async function recordFailure(db: Db, delivery: Pick<ClaimedDelivery, 'noticeId' | 'channel' | 'address' | 'attempts'>, at: Date, error: string): Promise<void> {
  await db
    .updateTable('notice_deliveries')
    .set({ next_attempt_at: new Date(at.getTime() + retryDelayMs(delivery.attempts)), last_error: error.slice(0, 1_000) })
    .where('notice_id', '=', delivery.noticeId)
    .where('channel', '=', delivery.channel)
    .where('address', '=', delivery.address)
    .where('sent_at', 'is', null)
    .execute();
}

/**
 * Writes the reminders due at `now` that no event records (domain/notices `remindersDue`): each has
 * an id from what it reminds of, so a second scan (or a second worker) adds nothing.
 */
export async function scheduleReminders(db: Db, now: Date): Promise<number> {
  const today = shanghaiDateOf(now);
  const instalments = await db
    .selectFrom('loan_instalments as i')
    .innerJoin('cases as c', 'c.case_id', 'i.case_id')
    .select(['i.case_id', 'c.reference_no', 'c.applicant_account_id', 'i.number', sql<string>`i.due_on::text`.as('due_on'), 'i.amount_fen', 'i.paid_fen', 'i.provisional'])
    .where(sql<boolean>`i.due_on BETWEEN ${today}::date AND ${addDays(today, 3)}::date`)
    .whereRef('i.paid_fen', '<', 'i.amount_fen')
    .execute();
  const deadlines = await db
    .selectFrom('cases')
    .select(['case_id', 'reference_no', 'case_type', 'waiting_for_department', 'next_deadline_at', 'details'])
    .where('waiting_for_role', '=', 'official')
    .where('waiting_for_department', 'is not', null)
    .where('next_deadline_at', '>', now)
    .where('next_deadline_at', '<=', new Date(now.getTime() + 24 * 3_600_000))
    .execute();
  const notices = remindersDue(
    now,
    instalments.map((i): InstalmentDue => ({ caseId: i.case_id, referenceNo: i.reference_no, applicantAccountId: i.applicant_account_id, number: i.number, dueOn: i.due_on as LocalDate, outstandingFen: i.amount_fen - i.paid_fen, provisional: i.provisional })),
    // An official's time limit only: a 雏鹰 instalment's day, shown while the fund checks a reported repayment, is the borrower's (reminded above).
    deadlines.filter((d) => countingFor('official', deadlineKindOf(d.details)) !== 'calendar-days').map((d): OfficialDeadline => ({ caseId: d.case_id, referenceNo: d.reference_no, caseType: d.case_type, department: d.waiting_for_department!, deadlineAt: d.next_deadline_at!.toISOString() })),
  );
  if (notices.length === 0) return 0;
  const result = await db.insertInto('scheduled_notices').values(notices.map(noticeRow)).onConflict((oc) => oc.column('notice_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
