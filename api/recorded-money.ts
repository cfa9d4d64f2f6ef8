import type { Actor } from '../domain/cases/actor.js';
import type { ChuyingLoanAction } from '../domain/chuying/commands.js';
import { ensureActionAllowed } from '../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../domain/chuying/events.js';
import { alreadyRecordedMoney, MoneyAlreadyRecordedError } from '../domain/chuying/money.js';
import { foldChuyingLoan, isTerminal } from '../domain/chuying/state.js';
import type { Db } from '../db/client.js';
import { readStream } from '../db/event-store.js';
import type { CaseActionResult } from '../workflows/chuying-loan.messages.js';
import { HttpError } from './http-errors.js';

/**
 * A closed loan's workflow answers no update. The repeat of its last payment (the answer to the
 * one that repaid it was lost, the sender retries) is answered from its events with the first
 * record, as the workflow answers it while open; anything else is refused by the same rules
 * (a new payment: the case is closed, 409). Undefined when the case is not a closed loan.
 */
export async function answerOnClosedLoan(db: Db, caseId: string, action: ChuyingLoanAction, actor: Actor, now: number): Promise<CaseActionResult | undefined> {
  if (action.type !== 'RecordRepayment' && action.type !== 'RecordDisbursement') return undefined;
  const state = foldChuyingLoan((await readStream(db, caseId)).map((e) => ({ type: e.type, data: e.data }) as ChuyingLoanEvent));
  if (!isTerminal(state)) return undefined;
  try {
    ensureActionAllowed(state, action, { actor, now });
    const recorded = alreadyRecordedMoney(state, action);
    return recorded && { caseId, version: state.version, status: state.status, events: [], recorded, alreadyRecorded: true };
  } catch (error) {
    if (error instanceof MoneyAlreadyRecordedError) throw new HttpError(409, 'conflict', error.message, [], { alreadyRecorded: error.first });
    throw error;
  }
}
