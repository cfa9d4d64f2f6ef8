import type { CaseModule } from '../cases/case-module.js';
import type { Actor } from '../domain/cases/actor.js';
import { DomainError } from '../domain/errors.js';
import type { Db } from '../db/client.js';
import { readStream } from '../db/event-store.js';
import type { CaseActionResult } from '../workflows/case.messages.js';
import { fromDomainError, HttpError } from './http-errors.js';

/**
 * A closed case's workflow has ended and answers no update. The repeat of something it recorded —
 * the last repayment of a loan, whose answer was lost and whose sender retries — is answered from
 * its events with the first record, as the workflow answers it while open (`module.repeatOf`);
 * anything else is refused by the module's own rules (a new payment: the case is closed, 409).
 * Undefined when the case is not closed (its workflow is missing for another reason).
 */
export async function answerOnClosedCase(
  db: Db,
  module: CaseModule,
  closedCase: { caseId: string; referenceNo: string; statusLabel: string },
  command: { type: string },
  actor: Actor,
  now: number,
): Promise<CaseActionResult | undefined> {
  const { caseId } = closedCase;
  const state = (await readStream(db, caseId)).reduce((s, e) => module.evolve(s, { type: e.type, data: e.data }), module.initialState());
  if (!module.isTerminal(state)) return undefined;
  try {
    module.check(state, command, { actor, now, legacy: false });
    const recorded = module.repeatOf?.(state, command);
    if (recorded !== undefined && recorded !== null) return { caseId, version: state.version, status: state.status, events: [], recorded, alreadyRecorded: true };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = module.refusalDetails?.(error);
    throw fromDomainError(error, details && typeof details === 'object' ? (details as Record<string, unknown>) : {});
  }
  throw new HttpError(409, 'illegal-state', `办件 ${closedCase.referenceNo} 已办结（${closedCase.statusLabel}），不能再办理。`, [], {}, {}, `case ${closedCase.referenceNo} is closed (${closedCase.statusLabel}); nothing more can be done on it`);
}
