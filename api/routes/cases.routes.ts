import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { ChuyingLoanAction } from '../../domain/chuying/commands.js';
import { checkLoanApplication } from '../../domain/chuying/decide.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import { readStream } from '../../db/event-store.js';
import { actionUpdateFor, submissionRecordedUpdate } from '../../workflows/chuying-loan.messages.js';
import { chuyingLoanWorkflow } from '../../workflows/chuying-loan.workflow.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import type { Account } from '../auth/sessions.js';
import { nextReferenceNo } from '../../db/case-references.js';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCase as visibleCaseOf, visibleCaseRead, visibleCasesOnly } from '../authorization/case-access.js';
import { HttpError } from '../http-errors.js';
import { answerOnClosedLoan } from '../recorded-money.js';
import { casePersonalData } from '../personal-data.js';
import { route } from '../route.js';
import { SHARED_APPLICATION_ACTIONS } from '../schemas/application.schemas.js';
import { chuyingLoanActionBodies, createChuyingLoanCaseBody, type ChuyingLoanActionName } from '../schemas/chuying-loan.schemas.js';
import { caseIdParams, queryInteger } from '../schemas/common.schemas.js';
import { actionResultResponse, caseDetailResponse, caseEventsResponse, caseListResponse, caseResponse } from '../schemas/responses.schemas.js';
import { applicantAwardsView } from '../views/application.view.js';
import { caseSummary, caseView } from '../views/case.view.js';

type ActionBody<N extends ChuyingLoanActionName> = z.output<(typeof chuyingLoanActionBodies)[N]>;

/** From the URL's action name and its validated body to the domain action. */
const toAction: { [N in ChuyingLoanActionName]: (body: ActionBody<N>) => ChuyingLoanAction } = {
  'request-supplement': (b) => ({ type: 'RequestSupplement', missingItems: b.missingItems }),
  'provide-supplement': (b) => ({ type: 'ProvideSupplement', responses: b.responses }),
  'accept-materials': () => ({ type: 'AcceptMaterials' }),
  'pass-compliance-review': (b) => ({ type: 'PassComplianceReview', notes: b.notes }),
  'fail-compliance-review': (b) => ({ type: 'FailComplianceReview', reasons: b.reasons }),
  'approve-funding': (b) => ({ type: 'ApproveFunding', approvedAmountFen: b.approvedAmountFen, notes: b.notes }),
  'reject-funding': (b) => ({ type: 'RejectFunding', reasons: b.reasons }),
  'record-disbursement': (b) => ({ type: 'RecordDisbursement', disbursedOn: b.disbursedOn, bankReference: b.bankReference }),
  'record-repayment': (b) => ({ type: 'RecordRepayment', amountFen: b.amountFen, paidOn: b.paidOn, reference: b.reference }),
  withdraw: (b) => ({ type: 'Withdraw', reason: b.reason }),
};

const ACTION_SUMMARIES: Record<ChuyingLoanActionName, string> = {
  'request-supplement': 'Official: request 补正, listing every missing item (the applicant has 30 days)',
  'provide-supplement': 'Applicant: answer the 补正 request, item by item',
  'accept-materials': 'Official: the materials are complete',
  'pass-compliance-review': '网信 reviewer: content compliance passed',
  'fail-compliance-review': '网信 reviewer: content compliance failed, with reasons',
  'approve-funding': 'Fund committee (not a reviewer of this case): approve, for the requested amount or less',
  'reject-funding': 'Fund committee (not a reviewer of this case): reject, with reasons',
  'record-disbursement': 'Official: record the disbursement; the 36-instalment schedule starts',
  'record-repayment': 'Official: record a repayment received (partial payments allowed)',
  withdraw: 'Applicant: withdraw before the funding decision',
};

/** A retried POST with the same Idempotency-Key opens no second case: the key decides the case id. */
export function caseIdFor(account: Account, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${account.accountId}\u0000${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function caseRoutes(deps: ApiDependencies) {
  const { db, temporal, taskQueue, clock } = deps;

  /** A case the account may see (api/authorization/case-access.ts); anyone else's is indistinguishable from a missing one. */
  const visibleCase = (caseId: string, account: Account) => visibleCaseOf(db, caseId, account);


  const actionRoutes = (Object.keys(chuyingLoanActionBodies) as ChuyingLoanActionName[]).map((name) =>
    route({
      method: 'POST',
      url: `/api/cases/:caseId/${name}`,
      summary: ACTION_SUMMARIES[name],
      tag: 'cases',
      access: 'signed-in',
      params: caseIdParams,
      response: actionResultResponse,
      body: chuyingLoanActionBodies[name] as z.ZodType<ActionBody<typeof name>>,
      async handle({ params, body, account }) {
        const row = await visibleCase(params.caseId, account!);
        // Programme applications share the completeness, 网信 and withdrawal actions (same names and bodies).
        const shared = row.case_type === 'application' && SHARED_APPLICATION_ACTIONS.includes(name);
        if (row.case_type !== 'chuying-loan' && !shared) throw new HttpError(409, 'illegal-state', `${name} is an action on 雏鹰 loan cases; case ${row.reference_no} is a ${row.case_type}`);
        const action = (toAction[name] as (b: typeof body) => ChuyingLoanAction)(body);
        const { accountId, displayName, role, department } = account!;
        const actor = { accountId, displayName, role, ...(department ? { department } : {}) };
        const result = await temporal.workflow
          .getHandle(caseWorkflowId(params.caseId))
          .executeUpdate(actionUpdateFor(action.type), { args: [{ actor, requestId: randomUUID(), expectedVersion: body.expectedVersion, action }] })
          .catch(async (error: unknown) => {
            // A repaid loan's workflow has ended: a repeat of its money is still answered with the first record.
            const answer = error instanceof WorkflowNotFoundError ? await answerOnClosedLoan(db, params.caseId, action, actor, clock().getTime()) : undefined;
            if (!answer) throw error;
            return answer;
          });
        return { result, case: caseView(await visibleCase(params.caseId, account!)) };
      },
    }),
  );

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
        if (account!.role !== 'applicant') throw new HttpError(403, 'forbidden', 'only applicants open cases');
        checkLoanApplication(body, CHUYING_LOAN_TERMS);
        const key = request.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key))) {
          throw new HttpError(400, 'validation', 'Idempotency-Key must be 8 to 100 printable ASCII characters');
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
                applicant: { accountId, displayName, role: 'applicant' },
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
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
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
        status: z.string().max(50).optional(),
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
        return { cases: rows.map(caseSummary), limit: query.limit, offset: query.offset };
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
        // The row the central check read for this request, with the applicant's awards across
        // programmes (the stacking ledger) read beside it: one statement for the whole page.
        const { row, applicantAwards } = await visibleCaseRead(db, params.caseId, account!, request);
        // Personal data in clear for the department's officials only, masked for everyone else.
        return {
          ...caseView(row),
          applicantAwards: applicantAwardsView(applicantAwards),
          personalData: await casePersonalData(deps.personalData, row, account!),
        };
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
        await visibleCase(params.caseId, account!);
        const events = await readStream(db, params.caseId);
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
    ...actionRoutes,
  ];
}
