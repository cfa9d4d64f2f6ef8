import type { CaseModule } from '../cases/case-module.js';
import type { Actor } from '../domain/cases/actor.js';
import { DomainError } from '../domain/errors.js';
import { formatFen } from '../domain/money/fen.js';
import { chineseDate, shanghaiDateOf } from '../domain/time/local-date.js';
import type { Db } from '../db/client.js';
import { readStream } from '../db/event-store.js';
import type { CaseActionResult } from '../workflows/case.messages.js';
import { fromDomainError, HttpError } from './http-errors.js';

/**
 * A closed case's workflow has ended and answers no update. The repeat of something it recorded —
 * the last repayment of a loan, whose answer was lost and whose sender retries — is answered from
 * its events with the first record, as the workflow answers it while open (`module.repeatOf`); a
 * conflict with that record (a bank reference with another amount) and a refusal of who is asking
 * are told as the module words them; anything else is refused because the case is closed (409),
 * said so plainly, not as an action at the wrong step. Undefined when the case is not closed (its
 * workflow is missing for another reason).
 */
export async function answerOnClosedCase(
  db: Db,
  module: CaseModule,
  closedCase: { caseId: string; referenceNo: string; statusLabel: string },
  command: { type: string },
  actor: Actor,
  now: number,
  actionLabel: string,
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
    if (error.kind === 'forbidden' || error.kind === 'conflict') {
      const details = module.refusalDetails?.(error);
      throw fromDomainError(error, details && typeof details === 'object' ? (details as Record<string, unknown>) : {});
    }
  }
  throw caseClosed({ ...closedCase, state }, command.type, actionLabel);
}

/**
 * The refusal of an action on a case that has ended: closed, with its final status, when and why
 * where its state keeps them (a loan's cancellation, a rejection, a withdrawal), and that nothing
 * more can be done on it. An official about to pay out a loan cancelled meanwhile reads by whose
 * decision it ended, not only that it did.
 */
export function caseClosed(closedCase: { referenceNo: string; statusLabel: string; state?: unknown }, action: string, actionLabel: string): HttpError {
  const { referenceNo, statusLabel } = closedCase;
  const { on, reasons, approvedFen } = closingOf(closedCase.state);
  // A status that is itself 已办结 is not said twice (已于…办结（已办结）): what it ended in is said instead, where the state keeps it.
  const ending = statusLabel !== '已办结' ? statusLabel : approvedFen !== undefined ? `已批准，核定金额 ${formatFen(approvedFen)} 元` : '';
  const how = [ending, reasons.length ? `理由：${reasons.join('；')}` : ''].filter(Boolean).join('，');
  return new HttpError(
    409,
    'illegal-state',
    `办件 ${referenceNo} ${on ? `已于${chineseDate(on)}办结` : '已办结'}${how ? `（${how}）` : ''}，不能再办理“${actionLabel}”。`,
    [],
    {},
    {},
    `case ${referenceNo} is closed (${statusLabel}); ${action} can no longer be taken on it`,
    { code: 'case-closed', params: { action, status: statusLabel, ...(on ? { closedOn: on } : {}), ...(reasons.length ? { reasons: reasons.join('；') } : {}) } },
  );
}

/** When, why and with what amount a case ended, from the state of the case types that keep them (`closedAt`, `closingReasons`, `approvedAmountFen`). */
function closingOf(state: unknown): { on?: ReturnType<typeof shanghaiDateOf>; reasons: string[]; approvedFen?: number } {
  const { closedAt, closingReasons, approvedAmountFen } = (state ?? {}) as { closedAt?: unknown; closingReasons?: unknown; approvedAmountFen?: unknown };
  const at = typeof closedAt === 'string' ? Date.parse(closedAt) : NaN;
  const reasons = Array.isArray(closingReasons) ? closingReasons.filter((r): r is string => typeof r === 'string' && r.trim() !== '') : [];
  return { ...(Number.isFinite(at) ? { on: shanghaiDateOf(at) } : {}), reasons, ...(typeof approvedAmountFen === 'number' && approvedAmountFen > 0 ? { approvedFen: approvedAmountFen } : {}) };
}
