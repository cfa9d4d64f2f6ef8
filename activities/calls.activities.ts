import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import { STEP_FOR_ACTION } from '../domain/applications/decide.js';
import type { ApplicationState } from '../domain/applications/state.js';
import type { ApplicationsAtStep, ApplicationWithUnverifiedFacts, NamedMemberAccount, PanelCandidate, PanelCandidateAnswer } from '../domain/calls/panel.js';
import { ledgerItemId } from '../domain/applications/terms.js';
import { wordingOf } from '../domain/errors.js';
import { OFFICIAL_DUTIES, SYSTEM_ACTOR, type Department, type OfficialDuty } from '../domain/cases/actor.js';
import type { ApplicationPanelEvent } from '../domain/panels/application-record.js';
import type { PanelApplication } from '../domain/panels/events.js';
import { factLabel } from '../domain/programmes/fact-labels.js';
import { unverifiedClaims } from '../domain/registers/answer-facts.js';
import { placesTakenIn, readCallLedger, type CallLedgerView } from '../db/budget-ledger.js';
import { applicationsBeforePanelOf } from '../db/call-applications.js';
import type { Db } from '../db/client.js';
import { readStream } from '../db/event-store.js';
import { caseActionUpdate, type CaseActionRequest } from '../workflows/case.messages.js';
import { caseWorkflowId } from '../workflows/task-queues.js';
import { findOpenCall, type FindOpenCallAnswer } from '../db/calls/open-call.js';

export type { CallSummary, FindOpenCallAnswer } from '../db/calls/open-call.js';

export interface CallActivityDependencies {
  db: Db;
  /** Delivers a batch decision to the applications' workflows (worker/create-worker.ts builds it from the worker's connection). */
  temporal?: Client;
}

/** The application's update that records a panel's batch decision (cases/application.case.ts). */
export const RECORD_BATCH_DECISION_UPDATE = 'recordBatchDecision';

/** The application's update that records its call's close when it moves (cases/application.case.ts). */
export const RECORD_CALL_CLOSE_UPDATE = 'recordCallClose';

interface RecordCallClose {
  type: 'RecordCallClose';
  callId: string;
  closesAt: string;
  closedEarly: boolean;
}

/** A move of a call's close: the instant, whether it closed early, and the call's version that recorded it (one delivery per move). */
export interface CallCloseMove {
  callId: string;
  closesAt: string;
  closedEarly: boolean;
  callVersion: number;
}

/** The command the application's `record-batch-decision` takes: the events `applicationRecordsOf` yields for that case. */
export interface RecordBatchDecision {
  type: 'RecordBatchDecision';
  callId: string;
  batchId: string;
  records: ApplicationPanelEvent[];
}

export interface BatchDelivery {
  callId: string;
  batchId: string;
  deliveries: { caseId: string; records: ApplicationPanelEvent[] }[];
}

/** The application read model as the panel reads it: the call it belongs to is in `details.call.callId` (cases/application.case.ts). */
type ApplicationRow = Awaited<ReturnType<ReturnType<typeof applicationRows>['executeTakeFirstOrThrow']>>;

const AWAITING_PANEL = 'panel-review';

const panelApplicationOf = (row: ApplicationRow): PanelApplication => ({
  caseId: row.case_id,
  referenceNo: row.reference_no,
  applicantName: row.applicant_name,
  amountFen: Number(row.requested_fen),
  submittedAt: row.opened_at.toISOString(),
});

/** Delivered batches go out a few at a time: the applications' workflows take them one update each. */
const DELIVERY_CONCURRENCY = 4;

export function createCallActivities({ db, temporal }: CallActivityDependencies) {
  return {
    async findOpenCall(input: { programmeId: string; at: number }): Promise<FindOpenCallAnswer> {
      return findOpenCall(db, input);
    },

    /** A call's budget ledger (or the 雏鹰 pool's): budget, committed, paid, recovered, remaining. */
    async callBudget(input: { callId: string }): Promise<(CallLedgerView & { placesTaken: number }) | null> {
      const ledger = await readCallLedger(db, input.callId);
      return ledger ? { ...ledger, placesTaken: await placesTakenIn(db, input.callId) } : null;
    },

    /** Whether an application may enter the call's panel: it is an application of this call, waiting for the panel. */
    async panelCandidate(input: { callId: string; caseId: string }): Promise<PanelCandidateAnswer> {
      const row = await applicationRows(db).where('case_id', '=', input.caseId).executeTakeFirst();
      // Another call's application is answered as a missing one: a panel member (an outside expert) learns
      // nothing of applications outside the call, not even their reference number.
      const notThisCalls = { eligible: false as const, kind: 'not-found' as const, refusal: `本批次没有编号为 ${input.caseId} 的申请，不能由本批次评审组评审。` };
      if (!row || row.case_type !== 'application' || row.call_id !== input.callId) return notThisCalls;
      if (row.status !== AWAITING_PANEL) {
        return { eligible: false, kind: 'illegal-state', refusal: `申请 ${row.reference_no} 目前为“${row.status_label}”，尚未进入评审（须先完成材料审查及所需的内容审查）。` };
      }
      return { eligible: true, application: panelApplicationOf(row) };
    },

    /** How many applications of the call are not yet decided (at any step before the decision): what a panel would be owed. */
    async openApplicationCount(input: { callId: string }): Promise<number> {
      return (await openApplicationsOf(db, input.callId)).length;
    },

    /**
     * At a competitive call's close (planned, or early): fences its intake and counts its open applications, in
     * one transaction under the call's intake lock (migration 2026-12-04T05-00). An application being
     * recorded at the same moment is either in the count or refused as after the close; a retried
     * activity finds the fence already there and counts again.
     */
    async closeIntakeAndCount(input: { callId: string; closedAt: string }): Promise<number> {
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`youchuang call intake:${input.callId}`}))`.execute(trx);
        await sql`INSERT INTO call_intake_fences (call_id, closed_at) VALUES (${input.callId}, ${new Date(input.closedAt)}) ON CONFLICT (call_id) DO NOTHING`.execute(trx);
        return (await openApplicationsOf(trx, input.callId)).length;
      });
    },

    /**
     * Every application of the call waiting for its panel, in the order they were filed, each with the
     * item its award would be held under in the ledger (as db/projections/application.projection.ts
     * holds it at the approval), so that a list never selects two the ledger would not fund together.
     */
    async panelCandidates(input: { callId: string }): Promise<PanelCandidate[]> {
      const rows = await applicationRows(db).select('state').$call(waitingForPanel(input.callId)).execute();
      return rows.map((row) => {
        const { terms, facts, applicant } = row.state as unknown as Pick<ApplicationState, 'terms' | 'facts' | 'applicant'>;
        const item = terms && applicant ? { itemId: ledgerItemId(terms, facts, applicant.accountId, row.case_id), applicantAccountId: applicant.accountId } : undefined;
        return { ...panelApplicationOf(row), ...(item ? { item } : {}) };
      });
    },

    /** How many of the call's applications are at each step before its panel: while any is, its list is not proposed. */
    async applicationsBeforePanel(input: { callId: string }): Promise<ApplicationsAtStep[]> {
      return applicationsBeforePanelOf(db, input.callId);
    },

    /** The call's applications at its panel whose applicants' stated facts are not all verified, with those facts' names. */
    async applicationsWithUnverifiedFacts(input: { callId: string }): Promise<ApplicationWithUnverifiedFacts[]> {
      const rows = await db.selectFrom('cases').select(['case_id', 'reference_no', 'state']).$call(waitingForPanel(input.callId)).execute();
      return rows.flatMap((row) => {
        const state = row.state as unknown as Pick<ApplicationState, 'factSources' | 'verifiedFacts'>;
        const facts = unverifiedClaims(state.factSources, state.verifiedFacts).map(factLabel);
        return facts.length > 0 ? [{ caseId: row.case_id, referenceNo: row.reference_no, facts }] : [];
      });
    },

    /** The accounts named to a panel, as the administrators assigned them; disabled accounts are not found. */
    async lookUpMemberAccounts(input: { accountIds: string[] }): Promise<NamedMemberAccount[]> {
      if (input.accountIds.length === 0) return [];
      const rows = await db
        .selectFrom('accounts')
        .select(['account_id', 'display_name', 'role', 'department', 'duties'])
        .where('account_id', 'in', input.accountIds)
        .where('disabled_at', 'is', null)
        .execute();
      return rows.map((r) => ({
        accountId: r.account_id,
        displayName: r.display_name,
        role: r.role,
        department: (r.department as Department | null) ?? null,
        duties: OFFICIAL_DUTIES.filter((d: OfficialDuty) => r.duties.includes(d)),
      }));
    },

    /**
     * A director's batch decision, delivered to every application ranked in it: each records it
     * through its own workflow's `recordBatchDecision`, as the system. The request id is the batch
     * and the case, so a retried activity repeats the same request; a case that already recorded
     * the batch counts as delivered. An award the ledger refused in a race is sent again (below). Any
     * other refusal fails the activity, naming the case.
     */
    async deliverBatchDecision(input: BatchDelivery): Promise<{ delivered: string[]; alreadyRecorded: string[]; withdrawn?: string[] }> {
      if (!temporal) throw ApplicationFailure.nonRetryable('the worker was started without a Temporal client: batch decisions cannot be delivered', 'configuration');
      const delivered: string[] = [];
      const alreadyRecorded: string[] = [];
      const withdrawn: string[] = [];
      const deliverOne = async ({ caseId, records }: BatchDelivery['deliveries'][number]) => {
        const send = async (requestId: string) => {
          const request: CaseActionRequest<RecordBatchDecision> = { actor: SYSTEM_ACTOR, requestId, action: { type: 'RecordBatchDecision', callId: input.callId, batchId: input.batchId, records } };
          // The update's id is the request's too: the server answers a retried update with the first one's outcome.
          return temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(caseActionUpdate<RecordBatchDecision>(RECORD_BATCH_DECISION_UPDATE), { args: [request], updateId: requestId });
        };
        try {
          let result: Awaited<ReturnType<typeof send>> | undefined;
          let error: unknown;
          // An award the awards ledger refused in the appending transaction (another award of its item landed between the
          // application's look-up of the ledger and its append) is sent again as a new request: the application then
          // looks the ledger up afresh and records its rejection with the reason. The same request would only be answered
          // with the first refusal, for ever. The ids follow one sequence, so a retried activity repeats the same requests.
          for (let attempt = 0; attempt <= LEDGER_RACE_RESENDS && result === undefined; attempt++) {
            try {
              result = await send(attempt === 0 ? `${input.batchId}:${caseId}` : `${input.batchId}:${caseId}:ledger-${attempt}`);
            } catch (refused) {
              error = refused;
              if (refusalCodeOf(refused) !== 'award-conflicts-with-ledger') break;
            }
          }
          if (result === undefined) throw error;
          (result.alreadyRecorded ? alreadyRecorded : delivered).push(caseId);
        } catch (error) {
          // The case's own record decides whether a refusal means "already there" — a refused update, or a case
          // whose workflow has ended since it recorded the batch (not selected): no error wording is relied on.
          if (await recordedBatch(db, caseId, input.batchId)) {
            alreadyRecorded.push(caseId);
            return;
          }
          // Withdrawn by its applicant after the batch was approved: nothing is owed to it (it committed nothing), and retrying cannot change that.
          if (await withdrawnBeforeTheBatch(db, caseId)) {
            withdrawn.push(caseId);
            return;
          }
          throw new Error(`申请 ${caseId}：${describeFailure(error)}`, { cause: error });
        }
      };
      const failures: string[] = [];
      // One case that cannot take the decision does not hold up the others; the activity then fails naming it, and its retry repeats only what is not yet recorded.
      for (let i = 0; i < input.deliveries.length; i += DELIVERY_CONCURRENCY) {
        const settled = await Promise.allSettled(input.deliveries.slice(i, i + DELIVERY_CONCURRENCY).map(deliverOne));
        for (const outcome of settled) if (outcome.status === 'rejected') failures.push(describeFailure(outcome.reason));
      }
      if (failures.length > 0) throw new Error(`批量审批决定未能送达 ${failures.length} 份申请（批次 ${input.callId}，名单 ${input.batchId}）：${failures.join('；')}`);
      return { delivered, alreadyRecorded, ...(withdrawn.length > 0 ? { withdrawn } : {}) };
    },

    /**
     * A call's close moved (closed early, or changed while it takes applications), told to every
     * application of it that has not been decided: each records it through its own workflow's
     * `recordCallClose`, as the system (a panel limit counted from the previous close is counted
     * from the new one). The request id is the call's move and the case, so a retried activity
     * repeats the same request and the next move is a request of its own. A case decided or
     * withdrawn meanwhile owes nothing; any other refusal fails the activity, naming the case.
     */
    async deliverCallClose(input: CallCloseMove): Promise<{ delivered: string[]; ended: string[] }> {
      if (!temporal) throw ApplicationFailure.nonRetryable('the worker was started without a Temporal client: a call’s close cannot be delivered', 'configuration');
      const open: readonly string[] = OPEN_APPLICATION_STEPS;
      const rows = await openApplicationsOf(db, input.callId);
      const delivered: string[] = [];
      const ended: string[] = [];
      const failures: string[] = [];
      const deliverOne = async (caseId: string) => {
        const request: CaseActionRequest<RecordCallClose> = {
          actor: SYSTEM_ACTOR,
          requestId: `${input.callId}:close@${input.callVersion}:${caseId}`,
          action: { type: 'RecordCallClose', callId: input.callId, closesAt: input.closesAt, closedEarly: input.closedEarly },
        };
        try {
          await temporal.workflow.getHandle(caseWorkflowId(caseId)).executeUpdate(caseActionUpdate<RecordCallClose>(RECORD_CALL_CLOSE_UPDATE), { args: [request], updateId: request.requestId });
          delivered.push(caseId);
        } catch (error) {
          const now = await db.selectFrom('cases').select('status').where('case_id', '=', caseId).executeTakeFirst();
          if (now && !open.includes(now.status)) {
            ended.push(caseId);
            return;
          }
          throw new Error(`申请 ${caseId}：${describeFailure(error)}`, { cause: error });
        }
      };
      for (let i = 0; i < rows.length; i += DELIVERY_CONCURRENCY) {
        const settled = await Promise.allSettled(rows.slice(i, i + DELIVERY_CONCURRENCY).map((row) => deliverOne(row.case_id)));
        for (const outcome of settled) if (outcome.status === 'rejected') failures.push(describeFailure(outcome.reason));
      }
      if (failures.length > 0) throw new Error(`申报批次 ${input.callId} 的截止时间变更未能告知 ${failures.length} 份申请：${failures.join('；')}`);
      return { delivered, ended };
    },
  };
}

/** The steps of an application before its decision: every step at which it still counts from its call's close (and would be owed a panel). */
const OPEN_APPLICATION_STEPS = STEP_FOR_ACTION.RecordCallClose;

/** The call's applications not yet decided, in the order they were filed: what a close moves and a panel would be owed. */
function openApplicationsOf(db: Db, callId: string) {
  return applicationRows(db).where('case_type', '=', 'application').where('status', 'in', OPEN_APPLICATION_STEPS).where(sql<string>`details->'call'->>'callId'`, '=', callId).orderBy('opened_at').orderBy('case_id').execute();
}

/** The call's applications waiting for its panel, in the order they were filed. */
function waitingForPanel(callId: string) {
  return <QB extends SelectQueryBuilder<Database, 'cases', object>>(query: QB): QB =>
    query.where('case_type', '=', 'application').where('status', '=', AWAITING_PANEL).where(sql<string>`details->'call'->>'callId'`, '=', callId).orderBy('opened_at').orderBy('case_id') as QB;
}

function applicationRows(db: Db) {
  return db
    .selectFrom('cases')
    .select(['case_id', 'case_type', 'reference_no', 'applicant_name', 'requested_fen', 'opened_at', 'status', 'status_label', sql<string | null>`details->'call'->>'callId'`.as('call_id')]);
}

/** Whether the application's own stream holds this batch's decision. */
async function recordedBatch(db: Db, caseId: string, batchId: string): Promise<boolean> {
  const events = await readStream(db, caseId);
  return events.some((e) => e.type === 'BatchDecisionRecorded' && (e.data as { listId?: unknown }).listId === batchId);
}

/** Whether the application ended withdrawn (by its applicant, or deemed) without any batch decision. */
async function withdrawnBeforeTheBatch(db: Db, caseId: string): Promise<boolean> {
  const row = await db.selectFrom('cases').select('status').where('case_id', '=', caseId).executeTakeFirst();
  return row?.status === 'withdrawn';
}

/** How many times a delivery the awards ledger refused in a race is sent again (each new request looks the ledger up again). */
const LEDGER_RACE_RESENDS = 3;

/** The rule's code of a refused update: its wording among the failure's details (workflows/support/case-workflow.ts refusalFailure). */
function refusalCodeOf(error: unknown): string | undefined {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : error;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  return cause.details?.map(wordingOf).find((wording) => wording !== undefined)?.code;
}

function describeFailure(error: unknown): string {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

export type CallActivities = ReturnType<typeof createCallActivities>;
