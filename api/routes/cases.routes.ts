import { applicantCodeProblem, registeredCompanyOf } from '../../domain/accounts/applicant-company.js';
import { accountHoldingCreditCode } from '../../db/accounts/account-stream.js';
import { loanApplicantProblem } from '../../domain/accounts/applicant-kind.js';
import { audienceOf } from '../../db/documents/document-references.js';
import { asSeenByAnotherDepartment, asSeenByApplicant } from '../../domain/documents/official-attachments.js';
import { panelRecordAsSeenByApplicant } from '../../domain/panels/application-record.js';
import { applicationEventsAsSeenOutside, scoreAsSeenByApplicant } from '../../domain/applications/score-record.js';
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { CaseStateBase } from '../../cases/case-module.js';
import { CASE_MODULES, moduleForStreamType } from '../../cases/registry.js';
import { checkLoanApplication } from '../../domain/chuying/decide.js';
import { secondLoanRefusalForAnotherAccount } from '../../domain/chuying/one-loan.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { tooSmallToRepay } from '../../domain/chuying/repayment-schedule.js';
import { validationError } from '../../domain/errors.js';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import { readStream } from '../../db/event-store.js';
import { submissionRecordedUpdate } from '../../workflows/chuying-loan.messages.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import type { Account } from '../auth/sessions.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { nextReferenceNo } from '../../db/case-references.js';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCase as visibleCaseOf, visibleCaseRead, visibleCasesOnly } from '../authorization/case-access.js';
import { HttpError, toHttpError } from '../http-errors.js';
import { casePersonalData, objectionContactsFor } from '../personal-data.js';
import { progressCodeOf } from '../progress-code.js';
import { route } from '../route.js';
import { createChuyingLoanCaseBody } from '../schemas/chuying-loan.schemas.js';
import { caseIdParams, queryInteger } from '../schemas/common.schemas.js';
import { caseDetailResponse, caseEventsResponse, caseListResponse, caseResponse } from '../schemas/responses.schemas.js';
import { applicantAwardsFor } from '../views/application.view.js';
import { availableActions, availableOpenings, caseIdOfKey, openingCaseIds, openingSourceOf } from '../views/available-actions.js';
import { caseSummary, caseView } from '../views/case.view.js';
import { callListHeldUpBy, listApprovalHeldUpBy, withApprovalHeldUp, withListHeldUp } from '../views/call-review-progress.js';
import { withDistrictCheck } from '../views/district-check.js';
import { withFilingCheck } from '../views/filing-check.js';
import { withProducerCheck } from '../views/producer-check.js';
import { DRAMA_FILING_TYPES } from '../../domain/drama-filing/terms.js';
import { caseRowAsSeenBy, documentAudienceOn, outsideTheOfficeFor, outstandingAsSeenBy, readsAsAnotherDepartment, readsTheOfficesWork } from '../views/panel-confidentiality.js';
import { ledgerReviewFor } from '../views/stacking-review.js';

/**
 * Every status a case type has, with the label people know it by. A filter by a status no case can
 * be in listed nothing, as though the queue were empty (`status=评审` answered 200 with no cases).
 */
const CASE_STATUS_LABELS = new Map(CASE_MODULES.flatMap((module) => Object.entries(module.statuses)).reverse());
const caseStatusFilter = z
  .string()
  .refine((status) => CASE_STATUS_LABELS.has(status), {
    error: (issue) => `没有“${String(issue.input).slice(0, 50)}”这个办理状态；状态用代码写，可选：${[...CASE_STATUS_LABELS].map(([code, label]) => `${code}（${label}）`).join('、')}`,
  })
  .meta({ description: 'a status code of any case type, e.g. completeness-check, repaying, panel-review' });

/** A retried POST with the same Idempotency-Key opens no second case: the key decides the case id. */
export function caseIdFor(account: Account, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${account.accountId}\u0000${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A case as GET /api/cases/:caseId shows it to this account: its view, the applicant's awards
 * across programmes, personal data as the account may see it, and what the account may do now.
 * With the request, the row the central check read for it (one statement for the whole page).
 */
export async function caseDetail(deps: ApiDependencies, caseId: string, account: Account, request?: object) {
  const { row, applicantAwards } = await visibleCaseRead(deps.db, caseId, account, request);
  // The stated 注册区 against the credit code's registering authority, for whoever verifies the facts.
  // The panel's work as this account may read it: the applicant and the experts not all of it (panel-confidentiality.ts).
  // And the 微短剧备案号 against the filings the system keeps: its type, status and whether it is the applicant's.
  // And a filing's 制作机构 against the account that filed it, for the reviewer.
  const checked = await withFilingCheck(
    deps.db,
    row,
    await withProducerCheck(
      deps.db,
      row,
      account,
      await withDistrictCheck(deps.db, row, caseView(caseRowAsSeenBy(row, account)) as ReturnType<typeof caseView> & { factChecks?: { fact: string; value: unknown }[]; facts?: Record<string, unknown>; overview?: { label: string; value: string }[]; filing?: { producer?: string } | null }),
    ),
  );
  const module = moduleForStreamType(row.case_type);
  const state = row.state as unknown as CaseStateBase;
  const ledger = await ledgerReviewFor(deps.db, row, account, deps.clock());
  // A closed competitive call's applications still before its panel hold up its list: said among its facts and beside the proposal.
  const { view, actions } = withListHeldUp(
    checked,
    module ? availableActions(module, state, account, deps.clock().getTime(), ledger.standing ? { ledger: ledger.standing } : undefined) : [],
    await callListHeldUpBy(deps.db, row, account),
  );
  return {
    ...view,
    waitingFor: view.waitingFor ?? (module ? module.nextStep(state).waitingFor : null),
    // What the applicant already holds: for the officials, auditors and the applicant, never a panel expert.
    ...applicantAwardsFor(account, applicantAwards, row),
    // For its officials before the decision: the item funded under another measure the sources say nothing of, to weigh (叠加待审核).
    stackingNotes: ledger.stackingNotes,
    // And what it states otherwise than another decided application of the same item (the interest paid on one loan).
    factConflicts: ledger.factConflicts,
    // Personal data in clear for the officials of the case's own department only, masked for everyone else (网信 included).
    personalData: await casePersonalData(deps.personalData, row, account),
    // The contacts objectors left, for the department that answers them (and only for it).
    ...(await objectionContactsFor(deps.personalData, row, (state as { publicity?: { objections?: { objectionId: string; contactRef: string | null }[] } }).publicity?.objections ?? [], account)),
    // What this account may do at the case's step, each with why not where it may not now.
    // The approval form says what is left of a yearly cap this year and starts from it (the decider checks again).
    availableActions: withApprovalHeldUp(actions, await listApprovalHeldUpBy(deps.db, row, account)),
    // Cases of another type this account may open against this one (a recovery of what was overpaid).
    availableOpenings: await openingsOn(deps, row, account),
    // The 查询码 for 办件进度查询: its applicant's, and the case's own department's officials' to read out on the phone;
    // never an auditor's or an expert's, nor 网信's on the case it reviews (it calls no applicant), nor a call's.
    ...(module?.progressLookup !== false && (row.applicant_account_id === account.accountId || (account.role === 'official' && !readsAsAnotherDepartment(row, account))) ? await progressCodeLines(deps, row, (view as { overview?: { label: string; value: string }[] }).overview) : {}),
  };
}

/** The case's 查询码, as a field and as lines of its overview (so the case page's facts show it without a change of their own). */
async function progressCodeLines(deps: ApiDependencies, row: Pick<Selectable<CasesTable>, 'case_id' | 'case_type'>, overview: readonly { label: string; value: string }[] | undefined) {
  const progressCode = await progressCodeOf(deps.db, row.case_id, deps.clock());
  // A filing's number is its 备案编号 (as its page names it).
  const number = Object.hasOwn(DRAMA_FILING_TYPES, row.case_type) ? '备案编号' : '申请编号';
  return {
    progressCode,
    overview: [...(overview ?? []), { label: '查询码', value: progressCode }, { label: '进度查询', value: `凭${number}和查询码，无需登录即可在“办件进度查询”页查看办理进度` }],
  };
}

/** The openings offered on a case, each naming the case already opened for it where its type allows one per case. */
async function openingsOn(deps: ApiDependencies, row: Selectable<CasesTable>, account: Account) {
  const source = openingSourceOf(row);
  const ids = openingCaseIds(CASE_MODULES, source, caseIdOfKey);
  const existing = ids.length === 0 ? [] : await deps.db.selectFrom('cases').select('case_id').where('case_id', 'in', ids).execute();
  return availableOpenings(CASE_MODULES, source, account, caseIdOfKey, new Set(existing.map((r) => r.case_id)));
}

/**
 * A refusal as this applicant may read it: the second-loan refusal names the company's first case
 * only to the applicant who made it (domain/chuying/one-loan.ts). A first case not yet in the read
 * model (openings racing) is not known to be theirs, so it is not named.
 */
async function refusalToldTo(db: ApiDependencies['db'], account: Account, error: unknown, company: { name: string; unifiedSocialCreditCode: string }): Promise<unknown> {
  const refusal = toHttpError(error);
  const heldBy = refusal.rule?.code === 'one-loan-per-company' ? refusal.rule.params?.heldBy : undefined;
  if (typeof heldBy !== 'string') return error;
  const first = await db.selectFrom('cases').select('applicant_account_id').where('reference_no', '=', heldBy).executeTakeFirst();
  return first?.applicant_account_id === account.accountId ? error : secondLoanRefusalForAnotherAccount(company);
}

export function caseRoutes(deps: ApiDependencies) {
  const { db, temporal, taskQueue, clock } = deps;

  /** A case the account may see (api/authorization/case-access.ts); anyone else's is indistinguishable from a missing one. */
  const visibleCase = (caseId: string, account: Account) => visibleCaseOf(db, caseId, account);

  return [
    route({
      method: 'POST',
      url: '/api/cases/chuying-loan',
      summary: 'Applicant: apply for a 雏鹰计划 loan (company registered in 杨浦, at most 500,000.00). Send Idempotency-Key to make retries safe.',
      tag: 'cases',
      access: 'signed-in',
      body: createChuyingLoanCaseBody,
      status: 201,
      response: caseResponse,
      async handle({ body, account, request }) {
        if (account!.role !== 'applicant') throw new HttpError(403, 'forbidden', '只有申请人可以提交申请。', [], {}, {}, 'only applicants open cases');
        const individual = loanApplicantProblem(account!.applicantKind);
        if (individual) throw new HttpError(400, 'validation', individual.message, [individual], {}, {}, individual.english);
        checkLoanApplication(body, CHUYING_LOAN_TERMS);
        // Asked for here, at the edge: the workflow's own submission check stays as recorded cases had it.
        const tooSmall = tooSmallToRepay(body.requestedAmountFen, CHUYING_LOAN_TERMS.instalmentCount);
        if (tooSmall) throw validationError(tooSmall, [{ field: 'requestedAmountFen', message: tooSmall.zh.replace(/。$/, ''), code: tooSmall.code, english: tooSmall.en }]);
        // A company borrows from its own account: a code registered to another is not this applicant's.
        const code = body.company.unifiedSocialCreditCode;
        const codeOfAnother = applicantCodeProblem(code, account!, await accountHoldingCreditCode(db, code), 'company.unifiedSocialCreditCode');
        if (codeOfAnother) throw new HttpError(400, 'validation', codeOfAnother.message, [codeOfAnother], {}, {}, codeOfAnother.english);
        // The company borrows under its licence name as registered, not one typed (an outsider's loan was listed as 别家公司).
        const registered = registeredCompanyOf(account!.profile);
        if (registered?.name && body.company.name.trim() !== registered.name) {
          const message = `企业名称须与账户登记的一致：${registered.name}；如登记有误，请联系管理员更正`;
          throw new HttpError(400, 'validation', message, [{ field: 'company.name', code: 'company-name-of-account', message }], {}, {}, 'the company name is the one registered on the account');
        }
        const key = request.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key))) {
          throw new HttpError(400, 'validation', 'Idempotency-Key 应为 8 至 100 个可打印的 ASCII 字符。', [], {}, {}, 'Idempotency-Key must be 8 to 100 printable ASCII characters');
        }
        const caseId = caseIdFor(account!, key);
        const { accountId, displayName } = account!;
        try {
          const handle = await temporal.workflow.start(chuyingLoanWorkflow, {
            workflowId: caseWorkflowId(caseId),
            taskQueue,
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [
              {
                caseId,
                referenceNo: await nextReferenceNo(db, 'CY', clock()),
                applicant: { accountId, displayName: registered?.name || displayName, role: 'applicant' },
                company: body.company,
                project: body.project,
                requestedAmountFen: body.requestedAmountFen,
                terms: CHUYING_LOAN_TERMS,
                requestId: randomUUID(),
              },
            ],
          });
          await handle.executeUpdate(submissionRecordedUpdate);
        } catch (error) {
          // The same key after the first case has closed: answer with that case, open no other.
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw await refusalToldTo(db, account!, error, body.company);
        }
        return caseView(await visibleCase(caseId, account!));
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases',
      summary: 'Cases the account may see (an applicant: their own), priority cases (盾牌行动) first, then newest first',
      tag: 'cases',
      access: 'signed-in',
      response: caseListResponse,
      query: z.strictObject({
        status: caseStatusFilter.optional(),
        waitingFor: z.enum(['applicant', ...(Object.keys(DEPARTMENTS) as (keyof typeof DEPARTMENTS)[])]).optional(),
        limit: queryInteger(1, 100).default(25),
        offset: queryInteger(0, 1_000_000).default(0),
      }),
      async handle({ query, account }) {
        // An applicant lists their own cases, an official their department's, an auditor all.
        let q = db.selectFrom('cases').selectAll().where((eb) => visibleCasesOnly(eb, account!));
        if (query.status) q = q.where('status', '=', query.status);
        if (query.waitingFor === 'applicant') q = q.where('waiting_for_role', '=', 'applicant');
        else if (query.waitingFor) q = q.where('waiting_for_department', '=', query.waitingFor);
        const rows = await q.orderBy('priority', 'desc').orderBy('opened_at', 'desc').orderBy('case_id').limit(query.limit).offset(query.offset).execute();
        return { cases: rows.map((row) => ({ ...caseSummary(row), outstandingFen: outstandingAsSeenBy(row, account!) })), limit: query.limit, offset: query.offset };
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:caseId',
      summary: 'A case: status, who acts next, deadlines, and the repayment schedule with what is paid and overdue',
      tag: 'cases',
      access: 'signed-in',
      params: caseIdParams,
      response: caseDetailResponse,
      async handle({ params, account, request }) {
        return caseDetail(deps, params.caseId, account!, request);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:caseId/events',
      summary: "The case's events in order, with actor, time and hash chain",
      tag: 'cases',
      access: 'signed-in',
      params: caseIdParams,
      response: caseEventsResponse,
      async handle({ params, account }) {
        const row = await visibleCase(params.caseId, account!);
        // An official's internal attachment shows the applicant (and an expert) only that one was made;
        // the panel's record on an application, only its rank and aggregate (not who scored what, nor who recused and why);
        // a reviewer's score on an application outside a panel, only that it was scored (not who, nor the points).
        // An official of another department (网信 reviewing the content) reads the attachments, not the scoring;
        // on a loan, the fund's internal attachments as the applicant does (documentAudienceOn).
        // An application's review steps name the department's staff, not the person, outside the office (any of them may score it).
        const stored = await readStream(db, params.caseId);
        const outsider = audienceOf(account!) !== 'all' ? 'applicant' : readsTheOfficesWork(row, account!) ? null : 'other-department';
        const documents = documentAudienceOn(row, account!);
        const attachmentsSeen =
          documents === 'applicant' ? stored.map((e) => asSeenByApplicant(e)) : documents === 'all' ? stored : stored.map((e) => asSeenByAnotherDepartment(e, documents.ownDepartment));
        const reviewSeen = !outsider ? attachmentsSeen : row.case_type === 'application' ? applicationEventsAsSeenOutside(attachmentsSeen, account!) : attachmentsSeen.map((e) => scoreAsSeenByApplicant(e));
        const panelSeen = outsider ? reviewSeen.map((e) => panelRecordAsSeenByApplicant(e)) : reviewSeen;
        // And what the case's module keeps to its office (a loan's money, from 网信).
        const outsideTheOffice = outsideTheOfficeFor(row, account!);
        const events = outsideTheOffice ? panelSeen.map((e) => outsideTheOffice.event(e)) : panelSeen;
        return {
          events: events.map((e) => ({
            position: e.globalPosition,
            version: e.streamVersion,
            eventId: e.eventId,
            type: e.type,
            data: e.data,
            actor: e.metadata.actor,
            recordedAt: e.recordedAt.toISOString(),
            prevHash: e.prevHash,
            hash: e.hash,
          })),
        };
      },
    }),
  ];
}
