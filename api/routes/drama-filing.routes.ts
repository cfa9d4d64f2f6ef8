import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { sql } from 'kysely';
import { accountsHoldingCompanyNames } from '../../db/accounts/account-stream.js';
import { companyNameKey, producerProblem } from '../../domain/accounts/applicant-company.js';
import { checkDramaSubmission } from '../../domain/drama-filing/decide.js';
import type { DramaSubmission } from '../../domain/drama-filing/events.js';
import { DRAMA_CATEGORIES, DRAMA_FILING_TYPE_NAMES, DRAMA_FILING_TYPES, dramaFilingTerms, type DramaFilingType } from '../../domain/drama-filing/terms.js';
import { formatShanghaiInstant, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { monthOf, workingDaysBetween } from '../../domain/time/working-days.js';
import { workingDaysLeft } from '../views/countdown.view.js';
import { filingSubmissionRecordedUpdate } from '../../workflows/drama-filing.messages.js';
import { dramaFilingWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import type { Account } from '../auth/sessions.js';
import { nextReferenceNo } from '../../db/case-references.js';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCase } from '../authorization/case-access.js';
import { DocumentReferenceError, noteDocumentReferences, resolveDocumentReferences } from '../../db/documents/document-references.js';
import { openFilingHoldingTitle } from '../../db/filing-claims.js';
import { filingTitleKey, secondFilingRefusal } from '../../domain/drama-filing/one-open-filing.js';
import { fromDomainError, HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { dramaFilingCaseResponse, filingQueueResponse, filingSlaResponse } from '../schemas/responses.schemas.js';
import { dramaSubmissionBody, filingQueueQuery, filingSlaQuery } from '../schemas/drama-filing.schemas.js';
import { caseView } from '../views/case.view.js';
import { producerNotes } from '../views/producer-check.js';
import { caseIdFor } from './cases.routes.js';

const CULTURE_TOURISM = 'culture-tourism';

function requireFilingOfficial(account: Account, alsoAuditors = false): void {
  const official = account.role === 'official' && account.department === CULTURE_TOURISM;
  if (!official && !(alsoAuditors && account.role === 'auditor')) {
    throw new HttpError(
      403,
      'forbidden',
      `${alsoAuditors ? '备案办理统计仅供市文旅局工作人员和审计人员查看' : '备案审查队列仅供市文旅局工作人员查看'}。`,
      [],
      {},
      {},
      `the filing ${alsoAuditors ? 'statistics are' : 'queue is'} for officials of 市文旅局${alsoAuditors ? ' and auditors' : ''}`,
    );
  }
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function dramaFilingRoutes(deps: ApiDependencies) {
  const { db, temporal, taskQueue, clock, calendar } = deps;

  const openRoutes = DRAMA_FILING_TYPE_NAMES.map((filingType: DramaFilingType) =>
    route({
      method: 'POST',
      url: `/api/cases/${filingType}`,
      summary: `Producer: file a ${DRAMA_FILING_TYPES[filingType].en} (${DRAMA_FILING_TYPES[filingType].zh}); reviewed within ${DRAMA_FILING_TYPES[filingType].workingDays} working days. Send Idempotency-Key to make retries safe. Refused (409, one-open-filing-per-title) while the account has an open filing of this type with the same title (width, spaces and separators aside), naming it.`,
      tag: 'filings',
      access: 'signed-in',
      body: dramaSubmissionBody,
      status: 201,
      response: dramaFilingCaseResponse,
      refusals: [409],
      async handle({ body, account, request }) {
        if (account!.role !== 'applicant') throw new HttpError(403, 'forbidden', '只有申请人可以提交微短剧备案。', [], {}, {}, 'only applicants file micro-dramas');
        // The files filed with it, each to its SHA-256 in the submission's event; only the producer's own uploads.
        const documentIds = await resolveDocumentReferences(db, body, { accountId: account!.accountId }).catch((error: unknown) => {
          if (error instanceof DocumentReferenceError) throw new HttpError(400, 'validation', error.message, error.issues);
          throw error;
        });
        const submission = body as DramaSubmission;
        checkDramaSubmission(submission);
        // A company files as its own registered company, and nobody under an organisation registered to another account.
        const holder = (await accountsHoldingCompanyNames(db, [body.producer])).get(companyNameKey(body.producer));
        const producerIssue = producerProblem(body.producer, account!, holder, 'producer');
        if (producerIssue) throw new HttpError(400, 'validation', `制作机构不符，请修改：${producerIssue.message}。`, [producerIssue], {}, {}, producerIssue.english);
        const key = request.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key))) {
          throw new HttpError(400, 'validation', 'Idempotency-Key 应为 8 至 100 个可打印的 ASCII 字符。', [], {}, {}, 'Idempotency-Key must be 8 to 100 printable ASCII characters');
        }
        const caseId = caseIdFor(account!, key === undefined ? undefined : `${filingType}:${key}`);
        // A retry of a filing already stored is answered with it, and a second filing of a title still
        // open is refused, before a 备案编号 is drawn: neither uses up a number (no gaps in the register).
        if (await db.selectFrom('cases').select('case_id').where('case_id', '=', caseId).executeTakeFirst()) return caseView(await visibleCase(db, caseId, account!));
        const titleHolder = await openFilingHoldingTitle(db, { applicantAccountId: account!.accountId, filingType, titleKey: filingTitleKey(submission.title) }, clock());
        if (titleHolder && titleHolder.caseId !== caseId) throw fromDomainError(secondFilingRefusal(filingType, titleHolder));
        await noteDocumentReferences(db, caseId, documentIds, clock());
        try {
          const handle = await temporal.workflow.start(dramaFilingWorkflow, {
            workflowId: caseWorkflowId(caseId),
            taskQueue,
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [
              {
                caseId,
                referenceNo: await nextReferenceNo(db, 'BA', clock()),
                filingType,
                applicant: { accountId: account!.accountId, displayName: account!.displayName, role: 'applicant' },
                submission,
                terms: dramaFilingTerms(filingType),
                requestId: randomUUID(),
              },
            ],
          });
          await handle.executeUpdate(filingSubmissionRecordedUpdate);
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
        return caseView(await visibleCase(db, caseId, account!));
      },
    }),
  );

  return [
    ...openRoutes,
    route({
      method: 'GET',
      url: '/api/filings/queue',
      summary: '市文旅局: filings under review, most urgent deadline first, with the working days left and breaches flagged',
      tag: 'filings',
      access: 'signed-in',
      query: filingQueueQuery,
      response: filingQueueResponse,
      async handle({ query, account }) {
        requireFilingOfficial(account!);
        let q = db
          .selectFrom('filing_reviews')
          .innerJoin('cases', 'cases.case_id', 'filing_reviews.case_id')
          .select(['filing_reviews.case_id', 'filing_reviews.round', 'filing_reviews.filing_type', 'filing_reviews.reference_no', 'filing_reviews.title'])
          .select(['filing_reviews.submitted_at', 'filing_reviews.last_working_day', 'filing_reviews.deadline_at', 'filing_reviews.provisional', 'filing_reviews.reviewer_account_id'])
          .select(['filing_reviews.reviewer_name', 'filing_reviews.reminded_at', 'filing_reviews.breached_at', 'filing_reviews.escalated_at', 'filing_reviews.category', 'cases.status', 'cases.status_label', 'cases.version'])
          // Who filed it (the account) and the 制作机构 it names, side by side: the reviewer sees both, and a mismatch.
          .select(['cases.applicant_account_id', 'cases.applicant_name as applicant', sql<string>`coalesce(cases.details->'filing'->>'producer', '')`.as('producer')])
          .where('filing_reviews.outcome', 'is', null)
          .where('cases.status', 'in', ['awaiting-claim', 'in-review']);
        if (query.filingType) q = q.where('filing_reviews.filing_type', '=', query.filingType);
        if (query.mine) q = q.where('filing_reviews.reviewer_account_id', '=', account!.accountId);
        if (query.escalated !== undefined) q = q.where('filing_reviews.escalated_at', query.escalated ? 'is not' : 'is', null);
        // The promised deadlines first, most urgent first; then the 重点 filings, which have none, oldest first.
        const [rows, counted] = await Promise.all([
          q.orderBy(sql`filing_reviews.deadline_at ASC NULLS LAST`).orderBy('filing_reviews.submitted_at').orderBy('filing_reviews.case_id').limit(query.limit).offset(query.offset).execute(),
          // How many match, so that a queue longer than a page says so.
          q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
        ]);
        const cal = await calendar();
        const now = clock();
        const today = shanghaiDateOf(now);
        const notes = await producerNotes(db, rows.map((r) => ({ caseId: r.case_id, applicantAccountId: r.applicant_account_id, producer: r.producer })));
        return {
          asOf: formatShanghaiInstant(now.getTime()),
          total: Number(counted.n),
          limit: query.limit,
          offset: query.offset,
          filings: rows.map((r) => {
            const deadlineAt = r.deadline_at;
            const overdue = r.breached_at !== null || (deadlineAt !== null && deadlineAt.getTime() <= now.getTime());
            return {
              caseId: r.case_id,
              referenceNo: r.reference_no,
              filingType: r.filing_type,
              title: r.title,
              applicantName: r.applicant,
              producer: r.producer,
              producerNote: notes.get(r.case_id) ?? null,
              round: r.round,
              status: r.status,
              statusLabel: r.status_label,
              version: r.version,
              category: r.category,
              categoryLabel: DRAMA_CATEGORIES[r.category],
              reviewer: r.reviewer_account_id ? { accountId: r.reviewer_account_id, displayName: r.reviewer_name } : null,
              submittedAt: formatShanghaiInstant(r.submitted_at.getTime()),
              lastWorkingDay: r.last_working_day,
              deadline: deadlineAt === null ? null : formatShanghaiInstant(deadlineAt.getTime()),
              provisional: r.provisional,
              // As the case page counts them (0 on the last working day, until 24:00). None is promised a 重点 filing.
              workingDaysLeft: r.last_working_day === null ? null : overdue ? 0 : workingDaysLeft(cal, today, r.last_working_day as LocalDate),
              reminded: r.reminded_at !== null,
              breached: overdue,
              escalated: r.escalated_at !== null,
            };
          }),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/filings/sla',
      summary:
        'SLA statistics per month of submission (each submission or resubmission starts one review): filings, decided, on-time %, breaches, median review time in working days',
      tag: 'filings',
      access: 'signed-in',
      query: filingSlaQuery,
      response: filingSlaResponse,
      async handle({ query, account }) {
        requireFilingOfficial(account!, true);
        let q = db.selectFrom('filing_reviews').select(['submitted_on', 'decided_on', 'decided_at', 'deadline_at', 'breached_at', 'filing_type', 'category']);
        if (query.from) q = q.where('submitted_on', '>=', `${query.from}-01`);
        if (query.to) q = q.where('submitted_on', '<', nextMonthStart(query.to));
        if (query.filingType) q = q.where('filing_type', '=', query.filingType);
        const rows = await q.orderBy('submitted_on').execute();
        const cal = await calendar();
        const byMonth = new Map<string, typeof rows>();
        for (const row of rows) {
          const month = monthOf(row.submitted_on as LocalDate);
          byMonth.set(month, [...(byMonth.get(month) ?? []), row]);
        }
        return {
          months: [...byMonth.entries()].map(([month, all]) => {
            const reviewDays = (decided: typeof all) => median(decided.map((r) => workingDaysBetween(cal, r.submitted_on as LocalDate, r.decided_on as LocalDate)));
            // The promise (and so on time and breaches) is for 普通 filings; 重点 ones are counted apart.
            const reviews = all.filter((r) => r.category === 'ordinary');
            const keyReviews = all.filter((r) => r.category === 'key');
            const keyDecided = keyReviews.filter((r) => r.decided_at !== null);
            const decided = reviews.filter((r) => r.decided_at !== null);
            const onTime = decided.filter((r) => r.breached_at === null && r.deadline_at !== null && r.decided_at!.getTime() <= r.deadline_at.getTime());
            return {
              month,
              filings: reviews.length,
              decided: decided.length,
              open: reviews.length - decided.length,
              onTime: onTime.length,
              onTimePercent: decided.length === 0 ? null : Math.round((onTime.length / decided.length) * 1000) / 10,
              breaches: reviews.filter((r) => r.breached_at !== null).length,
              medianReviewWorkingDays: reviewDays(decided),
              key: { filings: keyReviews.length, decided: keyDecided.length, open: keyReviews.length - keyDecided.length, medianReviewWorkingDays: reviewDays(keyDecided) },
            };
          }),
        };
      },
    }),
  ];
}

function nextMonthStart(month: string): string {
  const [year, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  // Four-digit years: '0027-10' must not become the date '27-11-01' (found by the property tests).
  const yyyy = (y: number) => String(y).padStart(4, '0');
  return m === 12 ? `${yyyy(year + 1)}-01-01` : `${yyyy(year)}-${String(m + 1).padStart(2, '0')}-01`;
}
