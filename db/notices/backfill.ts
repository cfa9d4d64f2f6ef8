import { sql } from 'kysely';
import type { Db } from '../client.js';
import { toStoredEvent } from '../event-store.js';
import { NOTICE_EVENT_TYPES } from '../../domain/notices/notices.js';
import { projectNotices } from './notice-projection.js';

/** The migration that created the notices: a database that has just run it may hold events from before. */
export const NOTICES_MIGRATION = '2026-12-03T00-10_notices';

/** The migration after which money and replies are told too (LoanDisbursed, RepaymentReminderSent …): their earlier events get theirs. */
export const MONEY_AND_REPLY_NOTICES_MIGRATION = '2026-12-04T00-20_money-and-reply-notices';

/** The migration after which a date in a year whose holiday arrangement is not loaded is told as 暂定: the notices already written say so too. */
export const PROVISIONAL_DATES_NOTICES_MIGRATION = '2026-12-04T01-30_provisional-notices-and-follow-up-departments';

/** The migration after which a take-over of a claimed filing is told to its reviewer: earlier take-overs get theirs. */
export const TAKE_OVER_NOTICES_MIGRATION = '2026-12-04T03-20_take-over-notices';

/** The migration after which an application's notices name its measure (黄浦平台企业、MCN 机构扶持申请), not 申请 alone: the notices already written say so too. */
export const MEASURE_NAMED_NOTICES_MIGRATION = '2026-12-04T04-20_notices-name-the-measure';

/** The migration after which the applicant is told of an objection to their award and of its answer: earlier objections get theirs. */
export const OBJECTION_NOTICES_MIGRATION = '2026-12-04T04-40_objection-notices';

/** The migration after which a recovery (追回), the answer to its objection and a stopped monthly subsidy are told: earlier ones get theirs. */
export const RECOVERY_NOTICES_MIGRATION = '2026-12-04T05-10_recovery-notices';

/** The migration after which the applicant is told that the department recorded their leaving 杨浦, and on what: earlier records get theirs. */
export const LEFT_YANGPU_RECORDED_NOTICES_MIGRATION = '2026-12-04T06-00_left-yangpu-recorded-notices';
/** The migration after which the applicant is told when the official's deadline on their case page moves (extended, counted again, moved with the call's close): earlier moves get theirs. */
export const DEADLINE_MOVED_NOTICES_MIGRATION = '2026-12-04T06-20_deadline-moved-notices';
/** The migration after which an approval's notice gives what the decider wrote with it (决定意见): the notices already written say so too. */
export const DECISION_NOTES_NOTICES_MIGRATION = '2026-12-04T06-32_decision-notes-in-notices';

/** The migration after which a service that handles a complaint or a request is told 已受理并办结, not 已获批准: the notices already written say so too. */
export const HANDLED_SERVICES_NOTICES_MIGRATION = '2026-12-04T06-33_handled-services-told-so';

/** The migration after which a 雏鹰 borrower's report of a repayment is told to the fund: earlier reports get theirs. */
export const REPAYMENT_DECLARED_NOTICES_MIGRATION = '2026-12-04T07-00_repayment-declared-notices';

/** The migration after which the department's record that the applicant left 杨浦 is told to them once, with the stop: the stops' notices say so too. */
export const LEFT_YANGPU_TOLD_ONCE_NOTICES_MIGRATION = '2026-12-05T02-20_left-yangpu-told-once';
/** The migration after which a 雏鹰 borrower's withdrawal of a report of a repayment is told to the fund: earlier withdrawals get theirs. */
export const REPAYMENT_DECLARATION_WITHDRAWN_NOTICES_MIGRATION = '2026-12-05T03-00_repayment-declaration-withdrawn-notices';

/** The migration after which a 雏鹰 borrower is told when the due dates of their instalments are counted again (moved, or made final): earlier recounts get theirs. */
export const INSTALMENT_DUE_DATES_NOTICES_MIGRATION = '2026-12-05T03-20_instalment-due-dates-moved-notices';
/** The migration after which a notice's 理由 is parted by ； without a reason's own 。 before it (not 。； nor 。。): the notices already written say so too. */
export const REASONS_PARTED_NOTICES_MIGRATION = '2026-12-05T05-10_reasons-parted-without-double-stops';

/** The migration after which an award's 公示 counted again is told to the applicant and the department: earlier recounts get theirs. */
export const PUBLICITY_WINDOW_NOTICES_MIGRATION = '2026-12-05T08-10_publicity-window-moved-notices';

/** The migration after which the notice of an award's 公示 names the call whose list it is on: the notices already written say so too. */
export const CALL_NAMED_PUBLICITY_NOTICES_MIGRATION = '2026-12-05T11-00_publicity-notices-name-the-call';

/** The migration after which the notice of a recorded repayment names its bank reference and the instalments it settled: the notices already written say so too. */
export const REPAYMENT_TRANSFER_NAMED_NOTICES_MIGRATION = '2026-12-05T11-30_repayment-notices-name-the-transfer';

/** The migration after which the fund's return of a 雏鹰 borrower's report of a repayment is told to the borrower: earlier returns (none) get theirs. */
export const REPAYMENT_DECLARATION_REJECTED_NOTICES_MIGRATION = '2026-12-06T02-00_repayment-declaration-rejected-notices';

/** The migration after which a 雏鹰 approval cancelled by the fund, or declined by the borrower, is told: earlier ones (none) get theirs. */
export const FUNDING_CANCELLED_NOTICES_MIGRATION = '2026-12-06T02-10_funding-cancelled-notices';

/** The migration after which an objection to a 公示 is told to the department that answers it: earlier objections get that notice. */
export const OBJECTION_TOLD_TO_DEPARTMENT_MIGRATION = '2026-12-06T10-00_objection-told-to-department';

/** The migration after which a repayment's notice names its instalments as runs, and a settlement thanks no one for paying 按期: notices are written again. */
export const REPAYMENT_NOTICES_IN_RUNS_MIGRATION = '2026-12-06T12-40_repayment-notices-in-runs';

/** The migration after which a notice's last day for the applicant says it is included (2027年1月7日（含）前), as the case page does: notices are written again. */
export const NOTICES_SAY_THE_DAY_INCLUDED_MIGRATION = '2026-12-06T13-10_notices-say-the-day-included';

/** The migration after which an upheld objection's notice says what it did to the award (withdrawn, or cut to what) and names the letter: notices are written again. */
export const UPHELD_OBJECTION_OUTCOME_NOTICES_MIGRATION = '2026-12-07T09-00_upheld-objection-notices-say-the-outcome';

/** The migrations after which the inbox is read again from the events: a kind of notice added, or the words of notices changed. */
export const NOTICE_BACKFILL_MIGRATIONS: readonly string[] = [
  NOTICES_MIGRATION,
  MONEY_AND_REPLY_NOTICES_MIGRATION,
  PROVISIONAL_DATES_NOTICES_MIGRATION,
  TAKE_OVER_NOTICES_MIGRATION,
  MEASURE_NAMED_NOTICES_MIGRATION,
  OBJECTION_NOTICES_MIGRATION,
  RECOVERY_NOTICES_MIGRATION,
  LEFT_YANGPU_RECORDED_NOTICES_MIGRATION,
  DEADLINE_MOVED_NOTICES_MIGRATION,
  DECISION_NOTES_NOTICES_MIGRATION,
  HANDLED_SERVICES_NOTICES_MIGRATION,
  REPAYMENT_DECLARED_NOTICES_MIGRATION,
  LEFT_YANGPU_TOLD_ONCE_NOTICES_MIGRATION,
  REPAYMENT_DECLARATION_WITHDRAWN_NOTICES_MIGRATION,
  INSTALMENT_DUE_DATES_NOTICES_MIGRATION,
  REASONS_PARTED_NOTICES_MIGRATION,
  PUBLICITY_WINDOW_NOTICES_MIGRATION,
  CALL_NAMED_PUBLICITY_NOTICES_MIGRATION,
  REPAYMENT_TRANSFER_NAMED_NOTICES_MIGRATION,
  REPAYMENT_DECLARATION_REJECTED_NOTICES_MIGRATION,
  FUNDING_CANCELLED_NOTICES_MIGRATION,
  OBJECTION_TOLD_TO_DEPARTMENT_MIGRATION,
  REPAYMENT_NOTICES_IN_RUNS_MIGRATION,
  NOTICES_SAY_THE_DAY_INCLUDED_MIGRATION,
  UPHELD_OBJECTION_OUTCOME_NOTICES_MIGRATION,
];

/** Whether the migrations just applied call for the backfill: events recorded before their notices existed, or notices written in older words. */
export const noticesToBackfill = (applied: readonly string[]): boolean => NOTICE_BACKFILL_MIGRATIONS.some((m) => applied.includes(m));

/**
 * The notices of events recorded before the notices migration (issue 14), so that the inbox — a
 * read model — again matches what the auditors' rebuild makes of the events. They go to the inbox
 * only: the outbox trigger skips them (old news is not mailed). Idempotent: a notice already there
 * is written again in today's words (an upsert), as the rebuild writes it, and is not mailed again.
 * Answers how many events it read.
 */
export async function backfillNotices(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // An event appended meanwhile writes its own notice; meeting it here again only rewrites the same row.
    await sql`SET LOCAL youchuang.notices_backfill = 'on'`.execute(trx);
    const rows = await trx.selectFrom('events').selectAll().where('event_type', 'in', NOTICE_EVENT_TYPES).orderBy('global_position').execute();
    const byStream = new Map<string, ReturnType<typeof toStoredEvent>[]>();
    for (const row of rows) {
      const event = toStoredEvent(row);
      byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    }
    for (const events of byStream.values()) await projectNotices(trx, events);
    return rows.length;
  });
}
