import type { Selectable } from 'kysely';
import type { Account } from '../auth/sessions.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { fundedItemKey, stackingReview } from '../../domain/programmes/stacking.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { ledgerForApplication } from '../../db/awards-ledger.js';
import type { Db } from '../../db/client.js';
import { caseProgramme } from '../../db/programme-terms/terms-store.js';
import type { CasesTable } from '../../db/tables/cases.table.js';

/** The steps before anyone decides an application: where an official still weighs its award. */
const UNDECIDED: readonly ApplicationState['status'][] = ['completeness-check', 'awaiting-supplement', 'compliance-review', 'review', 'panel-review'];

/**
 * What the stacking ledger leaves to the officials of an undecided application: its item already
 * funded under another measure the sources say nothing of (政策未明确…能否与其叠加，请经办人审核).
 * The rules refuse what does not stack; these pairs an official must weigh before approving, so
 * they are told on the case, against the ledger as it is now. Nobody else is told: none for an
 * applicant, an auditor or a decided case.
 */
export async function stackingNotesFor(db: Db, row: Pick<Selectable<CasesTable>, 'case_id' | 'case_type' | 'state'>, account: Account, now: Date): Promise<string[]> {
  if (row.case_type !== 'application' || account.role !== 'official') return [];
  const state = row.state as unknown as ApplicationState;
  if (!state.terms || !state.applicant || !UNDECIDED.includes(state.status)) return [];
  const programme = await caseProgramme(db, { caseId: row.case_id, catalogueVersion: state.terms.catalogueVersion, programmeId: state.terms.programmeId });
  if (!programme) return [];
  const itemId = fundedItemKey(programme, state.facts);
  if (itemId === undefined) return [];
  const applicantAccountId = state.applicant.accountId;
  const ledger = await ledgerForApplication(db, { itemId, applicantAccountId, excludingCaseId: row.case_id });
  const requestedAmountFen = typeof state.facts.requestedAmountFen === 'number' ? state.facts.requestedAmountFen : 0;
  const review = stackingReview(programme, { itemId, requestedAmountFen, on: shanghaiDateOf(now.getTime()), applicantAccountId }, ledger, findProgramme);
  return review.notes.filter((note) => note.rule === 'stacking-unspecified').map((note) => note.message);
}
