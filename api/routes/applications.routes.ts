import { applicantKindProblem } from '../../domain/accounts/applicant-kind.js';
import { applicantCodeProblem, registeredCompanyOf } from '../../domain/accounts/applicant-company.js';
import { accountHoldingCreditCode } from '../../db/accounts/account-stream.js';
import { DocumentReferenceError, noteDocumentReferences, resolveDocumentReferences } from '../../db/documents/document-references.js';
import type { DocumentReference } from '../../domain/documents/document-reference.js';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { applicationTermsOf, countsStaysThisYear, isApplicationProgramme, programmeOfTerms, stayYearOf, withServerFacts } from '../../domain/applications/terms.js';
import { openingTermsFor, recordOpeningTerms } from '../../db/programme-terms/terms-store.js';
import type { FieldIssue } from '../../domain/errors.js';
import { CATALOGUE_VERSION, findProgramme } from '../../domain/programmes/catalogue.js';
import { applicationProblems } from '../../domain/programmes/check.js';
import type { Programme } from '../../domain/programmes/programme.js';
import type { LocalDate } from '../../domain/time/local-date.js';
import type { FastifyRequest } from 'fastify';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { ledgerForApplication } from '../../db/awards-ledger.js';
import { lookUpRegisterFacts } from '../../db/registers/register-store.js';
import { approvedStaysInYear } from '../../db/projections/application.projection.js';
import { applicationSubmissionRecordedUpdate } from '../../workflows/application.messages.js';
import { applicationWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import type { Account } from '../auth/sessions.js';
import { nextReferenceNo } from '../../db/case-references.js';
import type { ApiDependencies } from '../dependencies.js';
import { visibleCase } from '../authorization/case-access.js';
import { fromRefusalFailure, HttpError } from '../http-errors.js';
import { checkApplicationPersonalData, recordApplicationPersonalData } from '../personal-data.js';
import { route } from '../route.js';
import { openedApplicationResponse } from '../schemas/responses.schemas.js';
import { applicationBodyUnder, createApplicationBody } from '../schemas/application.schemas.js';
import { programmeIdParams } from '../schemas/programme.schemas.js';
import { applicantAwards } from '../views/application.view.js';
import { caseView } from '../views/case.view.js';
import { caseIdFor } from './cases.routes.js';

const refusalIssues = (details: unknown): FieldIssue[] => (Array.isArray(details) ? (details as FieldIssue[]) : []);

export function applicationRoutes(deps: ApiDependencies) {
  const { db, temporal, taskQueue, clock } = deps;

  /**
   * The terms an application opened now opens under, read once per request: the body's check
   * judges the rules by them, and the handler opens the case under the same ones.
   */
  const openings = new WeakMap<FastifyRequest, Promise<{ today: LocalDate; terms: ReturnType<typeof applicationTermsOf>; measure: Programme }>>();
  function openingOf(request: FastifyRequest, programme: Programme & { caseKind: 'award' | 'service' }) {
    let opening = openings.get(request);
    if (!opening) {
      const today = shanghaiDateOf(clock());
      // The terms the office published for the day it is opened (issue 14 part 4), and the stacking matrix as approved: the case keeps both.
      opening = openingTermsFor(db, programme, today).then((published) => {
        const terms = applicationTermsOf(programme, CATALOGUE_VERSION, published);
        return { today, terms, measure: programmeOfTerms(terms) ?? programme };
      });
      openings.set(request, opening);
    }
    return opening;
  }

  async function view(caseId: string, account: Account) {
    const row = await visibleCase(db, caseId, account);
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
      // The rules' refusal with its code, its Chinese and its English (api/http-errors.ts).
      if (failure?.type === 'validation') throw fromRefusalFailure(failure) ?? new HttpError(400, 'validation', failure.message, refusalIssues(failure.details?.[0]));
      throw error;
    }
  }

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
      // Under the measure's own rules, so that one answer names the fields' problems and the rules' together.
      async bodyFor({ params, request, account }) {
        const programme = findProgramme(params.programmeId);
        if (!programme || !isApplicationProgramme(programme) || account?.role !== 'applicant') return createApplicationBody;
        const { measure, today } = await openingOf(request, programme);
        return applicationBodyUnder({ measure, on: today, applicantAccountId: account.accountId });
      },
      status: 201,
      response: openedApplicationResponse,
      refusals: [404],
      async handle({ params, body, account, request }) {
        const me = account!;
        if (me.role !== 'applicant') throw new HttpError(403, 'forbidden', '只有申请人可以提交申请。', [], {}, {}, 'only applicants open cases');
        const programme = findProgramme(params.programmeId);
        if (!programme) throw new HttpError(404, 'not-found', `没有编号为 ${params.programmeId} 的政策事项：请在“政策目录”中查找。`, [], {}, {}, `no programme ${params.programmeId}; GET /api/programmes lists them`);
        if (!isApplicationProgramme(programme)) {
          const where = programme.caseKind === 'loan' ? 'POST /api/cases/chuying-loan' : 'the filing endpoints';
          const page = programme.caseKind === 'loan' ? '“申请雏鹰借款”（POST /api/cases/chuying-loan）' : '微短剧备案';
          throw new HttpError(
            409,
            'illegal-state',
            `${programme.name.zh}有自己的办理流程，不在这里申请：请通过${page}办理。`,
            [],
            {},
            {},
            `${programme.name.zh} (${programme.id}) is a ${programme.caseKind} with its own case type: apply through ${where}`,
          );
        }
        const key = request.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key))) {
          throw new HttpError(400, 'validation', 'Idempotency-Key 应为 8 至 100 个可打印的 ASCII 字符。', [], {}, {}, 'Idempotency-Key must be 8 to 100 printable ASCII characters');
        }
        // The files submitted with it, each to its SHA-256 in the submission's event; only the applicant's own uploads.
        const documentIds = await resolveDocumentReferences(db, body, { accountId: me.accountId }).catch((error: unknown) => {
          if (error instanceof DocumentReferenceError) throw new HttpError(400, 'validation', error.message, error.issues);
          throw error;
        });
        const caseId = caseIdFor(me, key);
        // A retry of an application already stored answers with that case.
        const existing = await db.selectFrom('cases').select('case_id').where('case_id', '=', caseId).executeTakeFirst();
        if (existing) {
          // Personal data goes to the vault, never into the workflow (api/personal-data.ts); a retry completes it.
          await recordApplicationPersonalData(deps.personalData, programme.id, caseId, me, body.personalData);
          return view(caseId, me);
        }

        // Checked here first, so that a refused application starts no workflow; the workflow checks again in an activity.
        const { today, terms, measure } = await openingOf(request, programme);
        const staysThisYear = countsStaysThisYear(programme)
          ? await approvedStaysInYear(db, { programmeId: programme.id, applicantAccountId: me.accountId, year: stayYearOf(body.facts, today), excludingCaseId: caseId })
          : undefined;
        // What the departments' registers hold replaces what was typed (issue 14); the workflow looks them up again, recorded.
        const creditCode = body.facts.unifiedSocialCreditCode;
        const answered = await lookUpRegisterFacts(db, {
          requiredFacts: programme.requiredFacts,
          facts: body.facts,
          keys: { applicantAccountId: me.accountId, ...(creditCode ? { creditCode } : {}), ...(body.venue ? { venue: body.venue } : {}) },
          on: today,
        });
        const facts = withServerFacts(programme, answered.facts, { applicantAccountId: me.accountId, staysThisYear });
        const ledger = await ledgerForApplication(db, { ...(facts.itemId !== undefined ? { itemId: facts.itemId } : {}), applicantAccountId: me.accountId });
        // Every rule at once, the registers' answers and the whole ledger counted, each at the fact it reads.
        // The account is the applicant: a person's account applies as that person, an organisation's never as one.
        const kindOfAccount = applicantKindProblem(me.applicantKind, body.facts.applicantKind);
        // A company applies from its own account: a code registered to another is not this applicant's.
        const codeOfAnother = creditCode ? applicantCodeProblem(creditCode, me, await accountHoldingCreditCode(db, creditCode), 'facts.unifiedSocialCreditCode') : undefined;
        // A 微短剧备案号 the system's filings do not have, or another applicant's, is refused at its field (answered.problems).
        // Under another's code, or another's filing, the ledger is not asked: what that applicant was funded is not this one's to read.
        const anothersItem = codeOfAnother !== undefined || (answered.problems ?? []).some((p) => p.code === 'drama-filing-of-another-applicant');
        const problems = [...(kindOfAccount ? [kindOfAccount] : []), ...(codeOfAnother ? [codeOfAnother] : []), ...(answered.problems ?? []), ...applicationProblems(measure, facts, { on: today, ledger: anothersItem ? [] : ledger, applicantAccountId: me.accountId })];
        if (problems.length > 0) {
          throw new HttpError(
            400,
            'validation',
            `${programme.name.zh}不予受理，请修改以下 ${problems.length} 处：${problems.map((p) => p.message).join('；')}`,
            problems,
            {},
            {},
            `${programme.name.en} cannot be accepted: ${problems.map((p) => `${p.field}: ${p.english}`).join('; ')}`,
            { code: 'not-eligible', params: { programmeId: programme.id } },
          );
        }
        await checkApplicationPersonalData(deps.personalData, programme.id, me, body.personalData, { ...(typeof body.facts.age === 'number' ? { age: body.facts.age } : {}), on: today });
        await noteDocumentReferences(db, caseId, documentIds, clock());
        // Before the workflow starts: its look-ups read the terms it opened under by the case's id.
        await recordOpeningTerms(db, caseId, terms);

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
                // A company registered on the account applies under its licence name: the lists and the 公示 name it so.
                applicant: { accountId, displayName: registeredCompanyOf(me.profile)?.name || displayName, role: 'applicant' },
                terms,
                facts: body.facts,
                details: { title: body.title, summary: body.summary, ...(body.documents?.length ? { documents: body.documents as DocumentReference[] } : {}) },
                requestId: randomUUID(),
                ...(body.venue ? { venue: body.venue } : {}),
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
  ];
}
