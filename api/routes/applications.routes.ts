import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { ApplicationAction } from '../../domain/applications/commands.js';
import { applicationTermsOf, countsStaysThisYear, fundsTheApplicant, isApplicationProgramme, withServerFacts } from '../../domain/applications/terms.js';
import type { FieldIssue } from '../../domain/errors.js';
import { CATALOGUE_VERSION, findProgramme } from '../../domain/programmes/catalogue.js';
import { checkApplication } from '../../domain/programmes/check.js';
import { shanghaiDateOf, yearOf } from '../../domain/time/local-date.js';
import { ledgerAwards } from '../../db/awards-ledger.js';
import { APPLICATION_STREAM, approvedStaysInYear } from '../../db/projections/application.projection.js';
import { applicationSubmissionRecordedUpdate, applicationUpdateFor } from '../../workflows/application.messages.js';
import { applicationWorkflow } from '../../workflows/application.workflow.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import type { Account } from '../auth/sessions.js';
import { nextReferenceNo } from '../../db/case-references.js';
import type { ApiDependencies } from '../dependencies.js';
import { caseNotFound, HttpError } from '../http-errors.js';
import { checkApplicationPersonalData, recordApplicationPersonalData } from '../personal-data.js';
import { route } from '../route.js';
import { applicationActionResultResponse, openedApplicationResponse } from '../schemas/responses.schemas.js';
import { applicationActionBodies, createApplicationBody, type ApplicationActionName } from '../schemas/application.schemas.js';
import { caseIdParams } from '../schemas/common.schemas.js';
import { programmeIdParams } from '../schemas/programme.schemas.js';
import { applicantAwards } from '../views/application.view.js';
import { caseView } from '../views/case.view.js';
import { caseIdFor } from './cases.routes.js';

type ActionBody<N extends ApplicationActionName> = z.output<(typeof applicationActionBodies)[N]>;

const toAction: { [N in ApplicationActionName]: (body: ActionBody<N>) => ApplicationAction } = {
  'score-application': (b) => ({ type: 'ScoreApplication', score: b.score, comments: b.comments }),
  'approve-application': (b) => ({ type: 'ApproveApplication', notes: b.notes, ...(b.approvedAmountFen === undefined ? {} : { approvedAmountFen: b.approvedAmountFen }) }),
  'reject-application': (b) => ({ type: 'RejectApplication', reasons: b.reasons }),
  'report-left-yangpu': (b) => ({ type: 'ReportLeftYangpu', leftOn: b.leftOn, note: b.note }),
};

const ACTION_SUMMARIES: Record<ApplicationActionName, string> = {
  'score-application': "Programme application — a reviewer of the programme's department: score it, 0 to 100, once",
  'approve-application':
    "Programme application — an official of the programme's department who did not review it (four-eyes); above 1,000,000.00 a director. approvedAmountFen for one-off payments and vouchers (at most the request); none where the rule fixes the amount (monthly rent subsidy, rent waiver) or nothing is paid (services)",
  'reject-application': "Programme application — an official of the programme's department who did not review it: reject, with reasons",
  'report-left-yangpu': 'Programme application — the applicant: report leaving 杨浦; the monthly talent rent subsidy stops',
};

const refusalIssues = (details: unknown): FieldIssue[] => (Array.isArray(details) ? (details as FieldIssue[]) : []);

export function applicationRoutes(deps: ApiDependencies) {
  const { db, temporal, taskQueue, clock } = deps;

  async function visibleCase(caseId: string, account: Account) {
    const row = await db.selectFrom('cases').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    if (!row || (account.role === 'applicant' && row.applicant_account_id !== account.accountId)) throw caseNotFound(caseId);
    return row;
  }

  async function view(caseId: string, account: Account) {
    const row = await visibleCase(caseId, account);
    return { ...caseView(row), applicantAwards: await applicantAwards(db, row.applicant_account_id) };
  }


  /**
   * Waits until the workflow has stored the submission. A refusal by the rules (stacking against the
   * ledger as it is at that moment, the stays quota) fails the update — or, if the workflow refused
   * before the update reached it, the workflow itself — with the rules' message: a 400 either way.
   */
  async function submissionRecorded(handle: WorkflowHandle<typeof applicationWorkflow>): Promise<void> {
    try {
      await handle.executeUpdate(applicationSubmissionRecordedUpdate);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw error;
      const failure = await handle.result().then(
        () => undefined,
        (failed: unknown) => (failed instanceof WorkflowFailedError && failed.cause instanceof ApplicationFailure ? failed.cause : undefined),
      );
      if (failure?.type === 'validation') throw new HttpError(400, 'validation', failure.message, refusalIssues(failure.details?.[0]));
      throw error;
    }
  }

  const actionRoutes = (Object.keys(applicationActionBodies) as ApplicationActionName[]).map((name) =>
    route({
      method: 'POST',
      url: `/api/cases/:caseId/${name}`,
      summary: ACTION_SUMMARIES[name],
      tag: 'applications',
      access: 'signed-in',
      params: caseIdParams,
      body: applicationActionBodies[name] as z.ZodType<ActionBody<typeof name>>,
      response: applicationActionResultResponse,
      async handle({ params, body, account }) {
        const row = await visibleCase(params.caseId, account!);
        if (row.case_type !== APPLICATION_STREAM) {
          throw new HttpError(409, 'illegal-state', `${name} is an action on programme applications; case ${row.reference_no} is a ${row.case_type}`);
        }
        const action = (toAction[name] as (b: typeof body) => ApplicationAction)(body);
        const { accountId, displayName, role, department, duty } = account!;
        const actor = { accountId, displayName, role, ...(department ? { department } : {}), ...(duty ? { duty } : {}) };
        const result = await temporal.workflow
          .getHandle(caseWorkflowId(params.caseId))
          .executeUpdate(applicationUpdateFor(action.type), { args: [{ actor, requestId: randomUUID(), expectedVersion: body.expectedVersion, action }] })
          .catch((error: unknown) => {
            // A closed case's workflow has finished: the action comes too late, the case is still there.
            if (error instanceof WorkflowNotFoundError) throw new HttpError(409, 'illegal-state', `case ${row.reference_no} is closed (${row.status_label}); nothing more can be done on it`);
            throw error;
          });
        return { result, case: await view(params.caseId, account!) };
      },
    }),
  );

  return [
    route({
      method: 'POST',
      url: '/api/applications/:programmeId',
      summary:
        'Applicant: apply under a programme of the catalogue (an award or a service): title, summary and the facts its rules read. Refused with every rule broken, stacking included. Send Idempotency-Key to make retries safe.',
      tag: 'applications',
      access: 'signed-in',
      params: programmeIdParams,
      body: createApplicationBody,
      status: 201,
      response: openedApplicationResponse,
      refusals: [404],
      async handle({ params, body, account, request }) {
        const me = account!;
        if (me.role !== 'applicant') throw new HttpError(403, 'forbidden', 'only applicants open cases');
        const programme = findProgramme(params.programmeId);
        if (!programme) throw new HttpError(404, 'not-found', `no programme ${params.programmeId}; GET /api/programmes lists them`);
        if (!isApplicationProgramme(programme)) {
          const where = programme.caseKind === 'loan' ? 'POST /api/cases/chuying-loan' : 'the filing endpoints';
          throw new HttpError(409, 'illegal-state', `${programme.name.zh} (${programme.id}) is a ${programme.caseKind} with its own case type: apply through ${where}`);
        }
        if (fundsTheApplicant(programme.fundedItem) && body.facts.itemId !== undefined) {
          throw new HttpError(400, 'validation', `${programme.name.zh} funds the applicant (${programme.fundedItem}): the funded item is the applicant, so facts.itemId is not given`, [
            { field: 'facts.itemId', message: 'not allowed for this programme' },
          ]);
        }
        const key = request.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key))) {
          throw new HttpError(400, 'validation', 'Idempotency-Key must be 8 to 100 printable ASCII characters');
        }
        const caseId = caseIdFor(me, key);
        // A retry of an application already stored answers with that case.
        const existing = await db.selectFrom('cases').select('case_id').where('case_id', '=', caseId).executeTakeFirst();
        if (existing) {
          // Personal data goes to the vault, never into the workflow (api/personal-data.ts); a retry completes it.
          await recordApplicationPersonalData(deps.personalData, programme.id, caseId, me, body.personalData);
          return view(caseId, me);
        }

        // Checked here first, so that a refused application starts no workflow; the workflow checks again in an activity.
        const today = shanghaiDateOf(clock());
        const staysThisYear = countsStaysThisYear(programme)
          ? await approvedStaysInYear(db, { programmeId: programme.id, applicantAccountId: me.accountId, year: yearOf(today), excludingCaseId: caseId })
          : undefined;
        const facts = withServerFacts(programme, body.facts, { applicantAccountId: me.accountId, staysThisYear });
        const ledger = facts.itemId === undefined ? [] : await ledgerAwards(db, { itemId: facts.itemId });
        const check = checkApplication(programme, facts, { on: today, ledger });
        if (check.violations.length > 0) {
          throw new HttpError(
            400,
            'validation',
            `${programme.name.zh} (${programme.id}) refuses this application: ${check.violations.map((v) => v.message).join('; ')}`,
            check.violations.map((v) => ({ field: v.rule, message: v.message })),
          );
        }
        await checkApplicationPersonalData(deps.personalData, programme.id, me, body.personalData);

        const { accountId, displayName } = me;
        const handle = await temporal.workflow
          .start(applicationWorkflow, {
            workflowId: caseWorkflowId(caseId),
            taskQueue,
            // A refused submission fails its workflow and opens no case: the same key may try again.
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [
              {
                caseId,
                referenceNo: await nextReferenceNo(db, 'AP', clock()),
                applicant: { accountId, displayName, role: 'applicant' },
                terms: applicationTermsOf(programme, CATALOGUE_VERSION),
                facts: body.facts,
                details: { title: body.title, summary: body.summary },
                requestId: randomUUID(),
              },
            ],
          })
          .catch((error: unknown) => {
            // The same key after the first case has closed: answer with that case, open no other.
            if (error instanceof WorkflowExecutionAlreadyStartedError) return temporal.workflow.getHandle<typeof applicationWorkflow>(caseWorkflowId(caseId));
            throw error;
          });
        await submissionRecorded(handle);
        await recordApplicationPersonalData(deps.personalData, programme.id, caseId, me, body.personalData);
        return view(caseId, me);
      },
    }),
    ...actionRoutes,
  ];
}
