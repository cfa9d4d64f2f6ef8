import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../database.js';
import { applyReadModelWrites, type PlannedEvent, type ProjectionPlan, type ReadModelWrite } from '../event-store.js';
import { noticesFor, type Notice, type NoticeCase } from '../../domain/notices/notices.js';

/** A notice's id: a UUID (version-5 layout) from its key, so the same event and recipient give the same notice anywhere. */
export function noticeIdOf(key: string): string {
  const hex = createHash('sha256').update(`youchuang notice:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function noticeRow(notice: Notice) {
  return {
    notice_id: noticeIdOf(notice.key),
    recipient_account_id: 'accountId' in notice.recipient ? notice.recipient.accountId : null,
    recipient_department: 'department' in notice.recipient ? notice.recipient.department : null,
    kind: notice.kind,
    title: notice.title,
    body: notice.body,
    case_id: notice.caseId,
    reference_no: notice.referenceNo,
    event_id: notice.eventId,
    created_at: notice.createdAt,
  };
}

/**
 * The department's record that the applicant left 杨浦, as an application's row gives it
 * (`details.stopped`: the day, and `recordedBy` only where the department recorded it).
 */
function leftYangpuRecordedOf(details: unknown): NoticeCase['leftYangpuRecorded'] {
  const stopped = (details as { stopped?: { leftOn?: unknown; recordedBy?: { department?: unknown; note?: unknown } } | null } | null | undefined)?.stopped;
  const by = stopped?.recordedBy;
  if (!by || typeof by.department !== 'string') return null;
  return { department: by.department, note: typeof by.note === 'string' ? by.note : '', leftOn: typeof stopped.leftOn === 'string' ? stopped.leftOn : null };
}

/** The title of the call an application was made in, as its row's `details.call` gives it. */
function callTitleOf(details: unknown): string | null {
  const title = (details as { call?: { title?: unknown } | null } | null | undefined)?.call?.title;
  return typeof title === 'string' && title.trim() !== '' ? title : null;
}

/** The case a stream's notices are about, from the `cases` row a plan writes for it. */
function caseOfWrites(streamId: string, writes: readonly ReadModelWrite[]): NoticeCase | undefined {
  for (const write of writes) {
    if (write.table !== 'cases' || write.op !== 'upsert') continue;
    const row = write.rows.find((r) => r.case_id === streamId);
    if (row && typeof row.applicant_account_id === 'string' && typeof row.reference_no === 'string') {
      return {
        caseId: streamId,
        referenceNo: row.reference_no,
        caseType: String(row.case_type),
        applicantAccountId: row.applicant_account_id,
        department: (row.department as string | null | undefined) ?? null,
        programmeId: (row.programme_id as string | null | undefined) ?? null,
        leftYangpuRecorded: leftYangpuRecordedOf(row.details),
        callTitle: callTitleOf(row.details),
      };
    }
  }
  return undefined;
}

function noticeWrites(events: readonly Pick<PlannedEvent, 'eventId' | 'type' | 'data' | 'recordedAt'>[], c: NoticeCase | undefined): ReadModelWrite[] {
  const rows = events.flatMap((e) => noticesFor(e, c)).map(noticeRow);
  // A notice is written once and never changed: the upsert only meets its own row again in a rebuild.
  return rows.length ? [{ op: 'upsert', table: 'notices', key: ['notice_id'], rows }] : [];
}

/** A projection plan with the notices of its events added, in the same statement as the append. */
export function withNotices(streamId: string, events: readonly PlannedEvent[], plan: ProjectionPlan): ProjectionPlan {
  const writes = noticeWrites(events, caseOfWrites(streamId, plan.writes));
  return writes.length ? { ...plan, writes: [...plan.writes, ...writes] } : plan;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The notices of events already projected in this transaction (the transaction path and the rebuild): the case as its row now is. */
export async function projectNotices(trx: Transaction<Database>, events: readonly Pick<PlannedEvent, 'eventId' | 'type' | 'data' | 'recordedAt' | 'streamId'>[]): Promise<void> {
  // Only a case (a UUID stream) has notices; a calendar's or an account's stream has none.
  if (events.length === 0 || !UUID.test(events[0]!.streamId)) return;
  const row = await trx
    .selectFrom('cases')
    .select(['case_id', 'reference_no', 'case_type', 'applicant_account_id', 'department', 'programme_id', 'details'])
    .where('case_id', '=', events[0]!.streamId)
    .executeTakeFirst();
  const c: NoticeCase | undefined = row
    ? {
        caseId: row.case_id,
        referenceNo: row.reference_no,
        caseType: row.case_type,
        applicantAccountId: row.applicant_account_id,
        department: row.department,
        programmeId: row.programme_id,
        leftYangpuRecorded: leftYangpuRecordedOf(row.details),
        callTitle: callTitleOf(row.details),
      }
    : undefined;
  await applyReadModelWrites(trx, noticeWrites(events, c));
}
