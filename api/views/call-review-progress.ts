import type { Selectable } from 'kysely';
import type { Account } from '../auth/sessions.js';
import { applicationsBeforePanelOf } from '../../db/call-applications.js';
import type { Db } from '../../db/client.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { applicationsBeforePanelInWords, goneFromListInWords } from '../../domain/calls/panel.js';
import { closedBeforeOpening, closedWithNothingToReview, type CallState } from '../../domain/calls/state.js';

/** A call's state, where the reader is one of its department's officials or an auditor: who is told what holds its list up. */
function callAsItsOfficeReadsIt(row: Selectable<CasesTable>, account: Account): CallState | undefined {
  if (row.case_type !== 'call') return undefined;
  const state = row.state as unknown as CallState;
  return account.role === 'auditor' || (account.role === 'official' && account.department === state.department) ? state : undefined;
}

/**
 * What holds up a closed competitive call's list, for its department's officials and auditors:
 * its applications still on their way to the panel (尚有 3 件申请未审查完毕（材料审查 2 件、网信内容审查 1 件）…),
 * as the proposal would be refused with it. Undefined for any other case, reader or moment.
 */
export async function callListHeldUpBy(db: Db, row: Selectable<CasesTable>, account: Account): Promise<string | undefined> {
  const state = callAsItsOfficeReadsIt(row, account);
  if (!state || state.mode !== 'competitive' || (state.status !== 'ended' && state.status !== 'closed')) return undefined;
  if (closedBeforeOpening(state) || closedWithNothingToReview(state) || (state.panel.status !== 'not-named' && state.panel.status !== 'scoring')) return undefined;
  return applicationsBeforePanelInWords(await applicationsBeforePanelOf(db, row.case_id));
}

/** The call's page: the hold-up among its facts, and the proposal offered disabled with it as the reason. */
export function withListHeldUp<V extends object, A extends { name: string; enabled: boolean; disabledReason: string | null }>(
  view: V,
  actions: A[],
  heldUpBy: string | undefined,
): { view: V; actions: A[] } {
  if (!heldUpBy) return { view, actions };
  return {
    view: { ...view, overview: [...((view as { overview?: { label: string; value: string }[] }).overview ?? []), { label: '尚未审查完毕的申请', value: heldUpBy }] },
    actions: actions.map((a) => (a.name === 'propose-list' && a.enabled ? { ...a, enabled: false, disabledReason: heldUpBy } : a)),
  };
}

/**
 * What holds up a proposed list's approval, for the department's officials and auditors: applications
 * on it that no longer wait for the panel (withdrawn since), as the approval would be refused with it.
 * An outside tester's director found the approval offered as if nothing had changed, and refused only
 * once sent. Undefined for any other case, reader or moment.
 */
export async function listApprovalHeldUpBy(db: Db, row: Selectable<CasesTable>, account: Account): Promise<string | undefined> {
  const state = callAsItsOfficeReadsIt(row, account);
  const proposed = state?.panel?.status === 'list-proposed' ? (state.panel.list?.proposed ?? []) : [];
  if (proposed.length === 0) return undefined;
  const waiting = await db.selectFrom('cases').select('case_id').where('case_id', 'in', proposed.map((p) => p.caseId)).where('status', '=', 'panel-review').execute();
  const still = new Set(waiting.map((r) => r.case_id));
  return goneFromListInWords(proposed.filter((p) => !still.has(p.caseId)));
}

/** The call's page: the batch approval offered disabled, with why, while the list names an application gone from the panel. */
export function withApprovalHeldUp<A extends { name: string; enabled: boolean; disabledReason: string | null }>(actions: A[], heldUpBy: string | undefined): A[] {
  return heldUpBy ? actions.map((a) => (a.name === 'approve-batch' && a.enabled ? { ...a, enabled: false, disabledReason: heldUpBy } : a)) : actions;
}
