import { chuyingLoanReadModel } from '../../cases/chuying-loan.case.js';
import { instalmentStatus } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { CHUYING_LOAN_PROGRAMME_ID, loanAwardId, loanLedgerItemId } from '../../domain/chuying/one-loan.js';
import { evolveChuyingLoan, initialChuyingLoanState, type ChuyingLoanState, type InstalmentState } from '../../domain/chuying/state.js';
import { readStream, type PlannedEvent, type ProjectionPlan, type ProjectionPlanner, type ReadModelWrite } from '../event-store.js';
import { caseRowOf, loadCaseReadModel, upsertCase, type CaseReadModel } from './case-read-model.js';

export const CHUYING_LOAN_STREAM = 'chuying-loan';

/**
 * The case row (the columns and `details` of the loan module's read model) and its instalments,
 * folded with the same `evolveChuyingLoan` the workflow uses.
 * The folded state is kept in `cases.state`, so each append folds only its new events; of the
 * instalments, only the rows whose columns changed are written (a repayment touches the ones it
 * settles, not all 36).
 */
export const chuyingLoanPlanner: ProjectionPlanner = {
  async load(trx, _streamType, streamId) {
    const stored = await loadCaseReadModel<ChuyingLoanState>(trx, streamId);
    // A state stored before cases kept their money by bank reference (issue 12) lacks those records:
    // it is refolded once from the stream, so the read model holds what the workflow folds.
    if (!stored || Array.isArray((stored.state as Partial<ChuyingLoanState>).repayments)) return stored;
    // Only what the stored state had folded: inside the appending transaction the stream already holds the new events, which `plan` folds next.
    const events = (await readStream(trx, streamId)).filter((e) => e.streamVersion <= (stored.state as ChuyingLoanState).version);
    return { ...stored, state: events.reduce((s, e) => evolveChuyingLoan(s, { type: e.type, data: e.data } as ChuyingLoanEvent), initialChuyingLoanState()) };
  },
  plan: (_streamType, before, events) => planChuyingLoan(before as CaseReadModel<ChuyingLoanState> | undefined, events),
};

function planChuyingLoan(before: CaseReadModel<ChuyingLoanState> | undefined, events: readonly PlannedEvent[]): ProjectionPlan {
  const caseId = events[0]!.streamId;
  const prior = before?.state ?? initialChuyingLoanState();
  const state = events.reduce((s, e) => evolveChuyingLoan(s, { type: e.type, data: e.data } as ChuyingLoanEvent), prior);
  const model = chuyingLoanReadModel(state);
  // The first event's time, not the batch's last: a rebuild folds a whole stream in one call.
  const openedAt = before?.openedAt ?? events[0]!.recordedAt;
  const writes: ReadModelWrite[] = [
    upsertCase(caseRowOf(model, { caseId, caseType: CHUYING_LOAN_STREAM, version: state.version, state, openedAt, updatedAt: events[events.length - 1]!.recordedAt, priority: 0 })),
  ];

  const award = awardOf(caseId, state, events);
  if (award) writes.push({ op: 'upsert', table: 'awards', key: ['award_id'], rows: [award] });
  // Undone after the approval's own append: only the amount changes (a rebuild writes the row once, at 0.00, with the approval's time).
  else if (undoneBeforeDisbursement(state, events)) writes.push({ op: 'update', table: 'awards', key: ['award_id'], rows: [{ award_id: loanAwardId(caseId), amount_fen: 0 }] });

  const was = new Map(prior.instalments.map((i) => [i.number, instalmentRow(caseId, i)]));
  const changed = state.instalments.map((i) => instalmentRow(caseId, i)).filter((row) => !sameRow(was.get(row.number), row));
  const kept = new Set(state.instalments.map((i) => i.number));
  const removed = prior.instalments.filter((i) => !kept.has(i.number)).map((i) => ({ case_id: caseId, number: i.number }));
  if (removed.length) writes.push({ op: 'delete', table: 'loan_instalments', key: ['case_id', 'number'], rows: removed });
  if (changed.length) writes.push({ op: 'upsert', table: 'loan_instalments', key: ['case_id', 'number'], rows: changed });
  return { writes, after: { state, openedAt } satisfies CaseReadModel<ChuyingLoanState> };
}

/**
 * The catalogue whose 'chuying-loan' entry the ledger names for a loan. A loan keeps its own terms
 * in its events; a fixed value keeps a rebuilt ledger the same whatever catalogue is current.
 */
const LOAN_CATALOGUE_VERSION = '2026-11-23';

/**
 * A loan enters the awards ledger when the fund approves it (issue 14), for the approved amount and
 * keyed on the company, so that stacking checks of other measures see it. Disbursement and
 * repayments do not change what was awarded. An approval cancelled, or declined by the borrower,
 * before the money went out funded nothing: its row stays, at 0.00, as an award whose payments
 * stopped before the first does (domain/programmes/stacking.ts fundedSomething).
 */
/** An approval cancelled by the fund or declined by the borrower, in these events, before any money went out. */
function undoneBeforeDisbursement(state: ChuyingLoanState, events: readonly PlannedEvent[]): boolean {
  return state.approvedOn !== undefined && !state.disbursement && events.some((e) => e.type === 'FundingCancelled' || e.type === 'ApplicationWithdrawn');
}

function awardOf(caseId: string, state: ChuyingLoanState, events: readonly PlannedEvent[]) {
  const approved = events.find((e) => e.type === 'FundingApproved');
  if (!approved || !state.company || !state.applicant || state.approvedAmountFen === undefined || !state.approvedOn) return undefined;
  const undone = undoneBeforeDisbursement(state, events);
  return {
    award_id: loanAwardId(caseId),
    case_id: caseId,
    applicant_account_id: state.applicant.accountId,
    programme_id: CHUYING_LOAN_PROGRAMME_ID,
    catalogue_version: LOAN_CATALOGUE_VERSION,
    item_id: loanLedgerItemId(state.company),
    amount_fen: undone ? 0 : state.approvedAmountFen,
    awarded_on: state.approvedOn,
    recorded_at: approved.recordedAt,
  };
}

function instalmentRow(caseId: string, i: InstalmentState) {
  return { case_id: caseId, number: i.number, due_on: i.dueOn, amount_fen: i.amountFen, paid_fen: i.paidFen, status: instalmentStatus(i), provisional: i.provisional };
}

function sameRow(a: ReturnType<typeof instalmentRow> | undefined, b: ReturnType<typeof instalmentRow>): boolean {
  return a !== undefined && a.due_on === b.due_on && a.amount_fen === b.amount_fen && a.paid_fen === b.paid_fen && a.status === b.status && a.provisional === b.provisional;
}
