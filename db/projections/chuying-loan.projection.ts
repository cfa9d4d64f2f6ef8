import type { Transaction } from 'kysely';
import { instalmentStatus, nextStep } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { evolveChuyingLoan, initialChuyingLoanState, outstandingFen, type ChuyingLoanState } from '../../domain/chuying/state.js';
import type { Database } from '../database.js';
import { readStream, type StoredEvent } from '../event-store.js';

export const CHUYING_LOAN_STREAM = 'chuying-loan';

/**
 * The case row and its instalments, folded with the same `evolveChuyingLoan` the workflow uses.
 * The folded state is kept in `cases.state`, so each append folds only its new events.
 */
export async function projectChuyingLoan(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
  const caseId = events[0]!.streamId;
  const row = await trx.selectFrom('cases').select(['state', 'opened_at']).where('case_id', '=', caseId).executeTakeFirst();
  const stored = row?.state as unknown as Partial<ChuyingLoanState> | undefined;
  // A state stored before cases kept their money by bank reference (issue 12) lacks those records:
  // it is refolded from the whole stream once, so the read model holds what the workflow folds.
  const refold = stored !== undefined && !Array.isArray(stored.repayments);
  const folded = refold ? await readStream(trx, caseId) : events;
  const before = stored && !refold ? (stored as ChuyingLoanState) : initialChuyingLoanState();
  const state = folded.reduce((s, e) => evolveChuyingLoan(s, { type: e.type, data: e.data } as ChuyingLoanEvent), before);
  const updatedAt = events[events.length - 1]!.recordedAt;
  const step = nextStep(state);
  const values = {
    case_id: caseId,
    reference_no: state.referenceNo,
    case_type: CHUYING_LOAN_STREAM,
    applicant_account_id: state.applicant?.accountId ?? '',
    applicant_name: state.company?.name ?? state.applicant?.displayName ?? '',
    status: state.status,
    status_label: step.label,
    waiting_for_role: step.waitingFor?.role ?? null,
    waiting_for_department: step.waitingFor?.department ?? null,
    requested_fen: state.requestedAmountFen,
    approved_fen: state.approvedAmountFen ?? null,
    outstanding_fen: outstandingFen(state),
    next_deadline_at: step.deadline ? new Date(step.deadline.at) : null,
    version: state.version,
    // The first event's time, not the batch's last: a rebuild folds a whole stream in one call.
    opened_at: row?.opened_at ?? events[0]!.recordedAt,
    updated_at: updatedAt,
    state: JSON.stringify(state),
  };
  await trx.insertInto('cases').values(values).onConflict((oc) => oc.column('case_id').doUpdateSet(values)).execute();

  if (events.some((e) => ['LoanDisbursed', 'RepaymentRecorded', 'InstalmentOverdue', 'InstalmentDelinquent', 'InstalmentDueDatesRecomputed'].includes(e.type))) {
    await trx.deleteFrom('loan_instalments').where('case_id', '=', caseId).execute();
    if (state.instalments.length > 0) {
      await trx
        .insertInto('loan_instalments')
        .values(
          state.instalments.map((i) => ({
            case_id: caseId,
            number: i.number,
            due_on: i.dueOn,
            amount_fen: i.amountFen,
            paid_fen: i.paidFen,
            status: instalmentStatus(i),
            provisional: i.provisional,
          })),
        )
        .execute();
    }
  }
}
