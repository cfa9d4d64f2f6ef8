import { sql } from 'kysely';
import { z } from 'zod';
import type { Account } from '../auth/sessions.js';
import { titleOf } from '../../db/queries/worklist.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';

const pageNumber = (max: number, what: string) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `${what}须为1到${max}之间的整数`)
    .transform(Number)
    .pipe(z.int().min(1, `${what}至少为1`).max(max, `${what}至多为${max}`));

export const inboxQuery = z.strictObject({
  page: pageNumber(100_000, '页码').optional(),
  pageSize: pageNumber(100, '每页条数').optional(),
  unread: z.enum(['true', 'false'], '只看未读须为 true 或 false').optional(),
});

export const noticeParams = z.strictObject({ noticeId: z.uuid('消息编号格式不对') });

const noticeResponse = z.strictObject({
  noticeId: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  caseId: z.string().nullable(),
  referenceNo: z.string().nullable(),
  /** The project's or drama's name of the case, where it has one: notices of fifty cases do not look alike. */
  caseTitle: z.string().nullable(),
  /** Sent to the official's department rather than to them by name. */
  forDepartment: z.boolean(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const inboxResponse = z.strictObject({
  notices: z.array(noticeResponse),
  unreadCount: z.int(),
  total: z.int(),
  page: z.int(),
  pageSize: z.int(),
});

/** Every notice an account may read: its own, and (an official's) those to its department; event notices and reminders alike. */
function inboxOf(account: Account) {
  const department = account.role === 'official' && account.department ? account.department : null;
  const mine = (table: 'notices' | 'scheduled_notices') =>
    sql`SELECT notice_id, kind, title, body, case_id, reference_no, recipient_department, created_at FROM ${sql.table(table)}
        WHERE recipient_account_id = ${account.accountId}${department ? sql` OR recipient_department = ${department}` : sql``}`;
  return sql`(${mine('notices')} UNION ALL ${mine('scheduled_notices')}) AS n LEFT JOIN notice_reads r ON r.notice_id = n.notice_id AND r.account_id = ${account.accountId}`;
}

/** The in-app inbox (issue 14): what each signed-in person has been told, newest first, with what they have read. */
export function inboxRoutes(deps: ApiDependencies) {
  const { db, clock } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/inbox',
      summary: "The signed-in account's notices (an official's include those to their department), newest first, by page, with the unread count",
      tag: 'inbox',
      access: 'signed-in',
      query: inboxQuery,
      response: inboxResponse,
      async handle({ query, account }) {
        const page = query.page ?? 1;
        const pageSize = query.pageSize ?? 20;
        const from = inboxOf(account!);
        const { rows: counts } = await sql<{ total: string; unread: string }>`
          SELECT count(*) AS total, count(*) FILTER (WHERE r.read_at IS NULL) AS unread FROM ${from}`.execute(db);
        const { rows } = await sql<{ notice_id: string; kind: string; title: string; body: string; case_id: string | null; reference_no: string | null; recipient_department: string | null; created_at: Date; read_at: Date | null }>`
          SELECT n.*, r.read_at FROM ${from}
          ${query.unread === 'true' ? sql`WHERE r.read_at IS NULL` : sql``}
          ORDER BY n.created_at DESC, n.notice_id
          LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(db);
        const caseIds = [...new Set(rows.flatMap((r) => (r.case_id ? [r.case_id] : [])))];
        const titles = new Map(
          caseIds.length === 0
            ? []
            : (await db.selectFrom('cases').select((eb) => ['case_id', titleOf(eb).as('title')]).where('case_id', 'in', caseIds).execute()).map((c) => [c.case_id, c.title] as const),
        );
        return {
          notices: rows.map((r) => ({
            noticeId: r.notice_id,
            kind: r.kind,
            title: r.title,
            body: r.body,
            caseId: r.case_id,
            referenceNo: r.reference_no,
            caseTitle: (r.case_id && titles.get(r.case_id)) || null,
            forDepartment: r.recipient_department !== null,
            createdAt: new Date(r.created_at).toISOString(),
            readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
          })),
          unreadCount: Number(counts[0]?.unread ?? 0),
          total: Number(counts[0]?.total ?? 0),
          page,
          pageSize,
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/inbox/:noticeId/read',
      summary: 'Marks one of the signed-in account\'s notices read (again: no change); another\'s notice answers 404 like a missing one',
      tag: 'inbox',
      access: 'signed-in',
      params: noticeParams,
      response: z.strictObject({ noticeId: z.string(), readAt: z.string() }),
      refusals: [404],
      async handle({ params, account }) {
        const { rows } = await sql<{ notice_id: string }>`SELECT n.notice_id FROM ${inboxOf(account!)} WHERE n.notice_id = ${params.noticeId}`.execute(db);
        if (rows.length === 0) throw new HttpError(404, 'not-found', '没有这条消息');
        await db
          .insertInto('notice_reads')
          .values({ notice_id: params.noticeId, account_id: account!.accountId, read_at: clock() })
          .onConflict((oc) => oc.columns(['notice_id', 'account_id']).doNothing())
          .execute();
        const read = await db.selectFrom('notice_reads').select('read_at').where('notice_id', '=', params.noticeId).where('account_id', '=', account!.accountId).executeTakeFirstOrThrow();
        return { noticeId: params.noticeId, readAt: read.read_at.toISOString() };
      },
    }),
  ];
}
