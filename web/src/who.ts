import type { CaseEvent, CaseView } from './case-model.js';
import { departmentName, ROLE_NAMES } from './format.js';

// Who acts on a case and who acted, in words: pure, so the case page, the audit page and their tests share them.

/** Whose move it is, in words for whoever reads it: 您 to the applicant of the case, 申请人 to everyone else. */
export function waitingForWho(c: Pick<CaseView, 'waitingFor' | 'applicant' | 'finished' | 'statusLabel'>, me: { accountId: string }): string {
  if (!c.waitingFor) return c.finished ? '无（已办结）' : `暂无（${c.statusLabel}）`;
  if (c.waitingFor.role === 'applicant') return c.applicant.accountId === me.accountId ? '您' : '申请人';
  return departmentName(c.waitingFor.department) || '经办部门';
}

/**
 * Events the system makes in the turn of someone's action, recorded with that action: the plan paid a
 * payout, not the person (an outsider read 发放 … 沈处长); a call's application goes to its panel when a
 * member first touches it, not by that expert's choice (an outsider read 申请提交评审 under the expert).
 */
const MADE_BY_THE_SYSTEM: Readonly<Record<string, (name: string) => string>> = {
  PayoutIssued: (name) => `系统（按发放计划，与${name}的办理一并记入）`,
  // A payment falls due by the plan (the one-off with its approval): the official who approved it did not pay it.
  PayoutFellDue: (name) => `系统（按发放计划到期，与${name}的办理一并记入）`,
  ApplicationReferred: (name) => `系统（${name}首次办理该申请时自动提交评审）`,
};

/**
 * Who took a step, as the timeline names them. The system records a director's batch decision on
 * each application of the call, the director named in the event (`by`): the director is named, as
 * recorded by the system. An objection lodged without signing in is the public's, no one's role.
 */
export function whoTookIt(e: Pick<CaseEvent, 'actor'> & { type?: string; data?: CaseEvent['data'] }): string {
  const actor = e.actor;
  if (!actor) return '—';
  if (actor.accountId === 'public') return actor.displayName;
  const madeBySystem = e.type !== undefined ? MADE_BY_THE_SYSTEM[e.type] : undefined;
  if (madeBySystem && actor.role !== 'system') return madeBySystem(actor.displayName);
  if (actor.role === 'system') {
    const { by, batchId } = (e.data ?? {}) as { by?: { displayName?: unknown }; batchId?: unknown };
    return typeof batchId === 'string' && typeof by?.displayName === 'string' ? `${by.displayName}（批次决定，由系统记入本案）` : '系统（自动）';
  }
  return `${actor.displayName}（${departmentName(actor.department) || ROLE_NAMES[actor.role] || actor.role}）`;
}

