import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { DEPARTMENTS, type Department } from '../../domain/cases/actor.js';
import { moduleForStreamType } from '../../cases/registry.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { decideCloseFollowUp, decideRating, departmentOfCase, RATING_STREAM, ratingState, ratingStreamId, type RatingEvent } from '../../domain/ratings/rating.js';
import { appendToStream, readStream } from '../../db/event-store.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { caseNotFound, HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { followUpTasksResponse, ratingResponse } from '../schemas/responses.schemas.js';
import { caseIdParams, optionalText } from '../schemas/common.schemas.js';
import { caseFinished } from '../views/case.view.js';
import { caseTypeName, departmentName } from '../views/worklist.view.js';

const ratingBody = z.strictObject({
  score: z.int('评分应为 1 至 5 的整数').min(1, '最低 1 分').max(5, '最高 5 分'),
  comment: optionalText(1000),
});

const DEFAULT_DEPARTMENT: Record<string, Department> = {
  'chuying-loan': 'yangpu-fund',
  'drama-planning-filing': 'culture-tourism',
  'drama-release-filing': 'culture-tourism',
};

const isDepartment = (value: unknown): value is Department => typeof value === 'string' && Object.hasOwn(DEPARTMENTS, value);

type CaseRow = Selectable<CasesTable>;

/** 好差评 after a case ends, and the follow-up tasks a rating of 1 or 2 opens for the department's supervisor. */
export function ratingRoutes({ db, clock }: ApiDependencies) {
  async function visibleCase(caseId: string, account: Account): Promise<CaseRow> {
    const row = await db.selectFrom('cases').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    if (!row || (account.role === 'applicant' && row.applicant_account_id !== account.accountId)) throw caseNotFound();
    return row;
  }

  /**
   * The department whose official last acted on the case; else, whatever the case's status (an
   * application withdrawn before any official acted), the case's own department from its row
   * (`departmentOfCase`, as the ratings projection reads it); else the one that runs its programme.
   */
  async function handlingDepartment(row: CaseRow): Promise<Department | null> {
    const events = await readStream(db, row.case_id);
    const last = events.map((e) => e.metadata.actor).filter((a) => a?.role === 'official' && isDepartment(a.department)).at(-1);
    if (last) return last.department as Department;
    const terms = (row.state as { terms?: { department?: unknown; reviewingDepartment?: unknown } } | null)?.terms;
    const own = departmentOfCase({
      department: row.department,
      departments: row.departments,
      termsDepartment: typeof terms?.department === 'string' ? terms.department : null,
      termsReviewingDepartment: typeof terms?.reviewingDepartment === 'string' ? terms.reviewingDepartment : null,
    });
    if (isDepartment(own)) return own;
    const department = DEFAULT_DEPARTMENT[row.case_type] ?? findProgramme(row.programme_id ?? row.case_type)?.department;
    return isDepartment(department) ? department : null;
  }

  async function ratingEvents(caseId: string) {
    const stored = await readStream(db, ratingStreamId(caseId));
    return { version: stored.length, events: stored.map((e) => ({ type: e.type, data: e.data }) as RatingEvent) };
  }

  const append = (caseId: string, expectedVersion: number, events: RatingEvent[], account: Account) =>
    appendToStream(
      db,
      {
        streamId: ratingStreamId(caseId),
        streamType: RATING_STREAM,
        expectedVersion,
        events: events.map((e) => ({
          eventId: randomUUID(),
          type: e.type,
          data: e.data as unknown as Record<string, unknown>,
          metadata: {
            actor: { accountId: account.accountId, displayName: account.displayName, role: account.role, ...(account.department ? { department: account.department } : {}) },
            correlationId: caseId,
            causationId: randomUUID(),
          },
        })),
      },
      { now: clock, project: projectReadModels },
    );

  const ratingView = async (caseId: string) => {
    const rating = await db.selectFrom('case_ratings').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    const task = await db.selectFrom('follow_up_tasks').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    return {
      rating: rating
        ? { score: rating.score, comment: rating.comment, ratedBy: rating.rated_by_name, ratedAt: rating.rated_at.toISOString(), department: rating.department, departmentName: departmentName(rating.department) }
        : null,
      // A task no department was given reaches no supervisor: the case page must not say it was forwarded (转…分管领导跟进).
      followUp: task?.department ? taskView(task) : null,
    };
  };

  return [
    route({
      method: 'POST',
      url: '/api/cases/:caseId/rating',
      summary: '好差评: the applicant rates a case once it has ended, 1 to 5 with a comment; 1 or 2 opens a follow-up task for the supervisor of the department that handled it',
      tag: 'ratings',
      access: 'signed-in',
      params: caseIdParams,
      body: ratingBody,
      status: 201,
      response: ratingResponse,
      async handle({ params, body, account }) {
        const row = await visibleCase(params.caseId, account!);
        const { version, events } = await ratingEvents(params.caseId);
        const decided = decideRating(
          {
            caseId: row.case_id,
            referenceNo: row.reference_no,
            caseType: row.case_type,
            applicantAccountId: row.applicant_account_id,
            // Ended by the case type's own rule: a case on 公示 waits on nobody, yet an objection may still undo it.
            ended: row.status !== 'not-submitted' && caseFinished(moduleForStreamType(row.case_type), row),
            department: await handlingDepartment(row),
          },
          ratingState(events),
          { score: body.score, comment: body.comment, by: account!, taskId: randomUUID(), now: clock().getTime() },
        );
        try {
          await append(row.case_id, version, decided, account!);
        } catch (error) {
          // Another rating of the case landed first (the same form sent twice at once): said as the rule says a second rating.
          if ((error as { kind?: string }).kind === 'concurrency') throw new HttpError(409, 'illegal-state', `办件 ${row.reference_no} 已评价过，每件只评价一次。`, [], {}, {}, `case ${row.reference_no} has already been rated; a rating is given once`, { code: 'already-rated' });
          throw error;
        }
        return ratingView(row.case_id);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:caseId/rating',
      summary: "The case's 好差评, if given, and the follow-up task it opened",
      tag: 'ratings',
      access: 'signed-in',
      params: caseIdParams,
      response: ratingResponse,
      async handle({ params, account }) {
        await visibleCase(params.caseId, account!);
        return ratingView(params.caseId);
      },
    }),
    route({
      method: 'GET',
      url: '/api/follow-up-tasks',
      summary: "Follow-up tasks opened by ratings of 1 or 2: an official sees the department's, an auditor all; open ones first",
      tag: 'ratings',
      access: 'signed-in',
      response: followUpTasksResponse,
      async handle({ account }) {
        const me = account!;
        if (me.role !== 'official' && me.role !== 'auditor') throw new HttpError(403, 'forbidden', '差评整改任务仅供工作人员和审计人员查看。', [], {}, {}, 'follow-up tasks are for officials and auditors');
        // With the case it follows up, so the supervisor reads whose case, under which measure and where it ended (an outside tester's read only a number and a score).
        let q = db
          .selectFrom('follow_up_tasks as t')
          .leftJoin('cases as c', 'c.case_id', 't.case_id')
          .selectAll('t')
          .select(['c.applicant_name', 'c.case_type', 'c.programme_id', 'c.status_label', 'c.decided_on']);
        if (me.role === 'official') q = q.where('t.department', '=', me.department ?? '');
        const rows = await q.orderBy('t.status', 'desc').orderBy('t.opened_at', 'asc').limit(200).execute();
        return { canClose: me.role === 'official' && me.duty === 'supervisor', tasks: rows.map(taskView) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/cases/:caseId/rating/follow-up/close',
      summary: "The department's supervising official closes the follow-up task of a 差评, saying what was done",
      tag: 'ratings',
      access: 'signed-in',
      params: caseIdParams,
      body: z.strictObject({ note: z.string().trim().min(1, '不能为空').max(2000, '最多 2000 个字').meta({ title: '跟进情况' }) }),
      response: ratingResponse,
      async handle({ params, body, account }) {
        const row = await visibleCase(params.caseId, account!);
        const { version, events } = await ratingEvents(row.case_id);
        await append(row.case_id, version, decideCloseFollowUp(ratingState(events), { by: account!, note: body.note, now: clock().getTime() }), account!);
        return ratingView(row.case_id);
      },
    }),
  ];
}

function taskView(task: {
  task_id: string;
  case_id: string;
  reference_no: string;
  department: string | null;
  score: number;
  reason: string;
  status: string;
  opened_at: Date;
  closed_at: Date | null;
  closed_by_name: string | null;
  note: string | null;
  applicant_name?: string | null;
  case_type?: string | null;
  programme_id?: string | null;
  status_label?: string | null;
  decided_on?: string | null;
}) {
  const measure = task.programme_id || task.case_type ? caseTypeName(task.programme_id ?? task.case_type!).zh : undefined;
  return {
    taskId: task.task_id,
    caseId: task.case_id,
    referenceNo: task.reference_no,
    department: task.department,
    departmentName: departmentName(task.department),
    assignee: `${departmentName(task.department)}分管领导`,
    score: task.score,
    reason: task.reason,
    status: task.status,
    openedAt: task.opened_at.toISOString(),
    closedAt: task.closed_at?.toISOString() ?? null,
    closedBy: task.closed_by_name,
    note: task.note,
    applicantName: task.applicant_name ?? null,
    programme: measure ?? null,
    caseStatusLabel: task.status_label ?? null,
    decidedOn: task.decided_on ?? null,
  };
}
