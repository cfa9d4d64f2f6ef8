import type { RecomputeReason } from '../cases/calendar-load.js';
import { DEPARTMENTS, isOfficialOf } from '../cases/actor.js';
import { forbidden, illegalState, internalCheck, notFound, validationError } from '../errors.js';
import { formatFen } from '../money/fen.js';
import { formatShanghaiInstant, shanghaiDateOf } from '../time/local-date.js';
import type { AwardForPublicity, PublicityCommand, PublicityContext } from './commands.js';
import type { ActorRef, PublicityEvent } from './events.js';
import { publicRecipientName } from './masking.js';
import { evolvePublicity, initialPublicityState, pendingObjections, PUBLICITY_STATUS_LABELS, type PublicityState } from './state.js';
import type { PublicityWindow } from './window.js';

export const OBJECTION_REASONS_MAX_LENGTH = 1000;
export const OBJECTION_CONTACT_MAX_LENGTH = 100;
export const ANSWER_MAX_LENGTH = 2000;

/** Why an objection is refused once the 公示 has ended: the day it ended, as the public list gave it. */
export const publicityEndedMessage = (lastWorkingDay: string) => `公示期已于 ${lastWorkingDay} 24:00 结束，不再受理异议。`;
export const AWARD_WITHDRAWN_MESSAGE = '该资助已因异议成立而撤销，不再受理异议。';

function text(field: string, value: string | undefined, what: string, maxLength: number, required: boolean): string | undefined {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') {
    if (required) throw validationError(`${what}不能为空。`, [{ field, message: '必填' }]);
    return undefined;
  }
  const length = [...trimmed].length;
  if (length > maxLength) throw validationError(`${what}不超过 ${maxLength} 字，现为 ${length} 字。`, [{ field, message: `不超过 ${maxLength} 字` }]);
  return trimmed;
}

/**
 * The award goes on the 公示 list: the window must be the one computed for today (the day of
 * publication) by the activity, and the recipient is named as the public list shows it.
 */
export function decidePublicityStart(state: PublicityState, award: AwardForPublicity, window: PublicityWindow, now: number): PublicityEvent[] {
  if (state.status !== 'not-started') throw illegalState(`案件 ${award.referenceNo} 已于 ${state.window?.publishedOn ?? ''} 开始公示，不能重复公示。`);
  const today = shanghaiDateOf(now);
  if (window.publishedOn !== today) throw internalCheck(`the 公示 window must be computed from today (${today}), not ${window.publishedOn}`);
  if (!Number.isSafeInteger(award.amountFen) || award.amountFen <= 0) {
    throw validationError(`公示的资助金额须为正整数（分），案件 ${award.referenceNo} 为 ${award.amountFen}。`, [{ field: 'amountFen', message: '正整数（分）' }]);
  }
  return [
    {
      type: 'PublicityStarted',
      data: { ...award, publicName: publicRecipientName(award.recipient), window, startedAt: new Date(now).toISOString() },
    },
  ];
}

/** Why an objection cannot be lodged now, in words for the public page; undefined while it can. */
export function objectionUnavailable(state: PublicityState, now: number): string | undefined {
  const window = state.window;
  if (state.status === 'not-started' || !window) return '该资助尚未公示，暂不受理异议。';
  if (state.status === 'withdrawn') return AWARD_WITHDRAWN_MESSAGE;
  if (now < Date.parse(window.opensAt)) return `公示自 ${window.publishedOn} 起，届时方可提出异议。`;
  if (now >= Date.parse(window.endsAt) || state.status === 'final') return publicityEndedMessage(window.lastWorkingDay);
  return undefined;
}

/** Throws a DomainError unless the command may be taken now by this actor; records nothing. */
export function ensurePublicityCommandAllowed(state: PublicityState, command: PublicityCommand, context: PublicityContext): void {
  if (command.type === 'LodgeObjection') {
    const closed = objectionUnavailable(state, context.now);
    if (closed) throw illegalState({ code: 'objection-closed', zh: closed, en: 'objections are taken only while the 公示 runs' });
    text('reasons', command.reasons, '异议理由', OBJECTION_REASONS_MAX_LENGTH, true);
    const contact = text('contact', command.contact, '联系方式', OBJECTION_CONTACT_MAX_LENGTH, false);
    if (contact !== undefined && !context.contactRef) throw internalCheck('an objector’s contact is stored in the personal-data vault before the objection is recorded');
    if (!context.objectionId) throw internalCheck('an objection needs its id from the workflow');
    return;
  }
  const { actor } = context;
  const department = state.department;
  if (actor?.role === 'auditor') throw forbidden('审计人员只能查看，不能答复异议。');
  if (!actor || !department || !isOfficialOf(actor, department)) throw forbidden(`异议由${department ? DEPARTMENTS[department] : '项目主管部门'}工作人员书面答复。`);
  const objection = state.objections.find((o) => o.objectionId === command.objectionId);
  if (!objection) throw notFound(`案件 ${state.referenceNo ?? ''} 没有编号为 ${command.objectionId} 的异议。`);
  if (objection.answer) {
    throw illegalState(`该异议已于 ${formatShanghaiInstant(Date.parse(objection.answer.answeredAt)).slice(0, 16).replace('T', ' ')} 答复（${objection.answer.outcome === 'upheld' ? '异议成立' : '异议不成立'}），不能再次答复。`);
  }
  text('answer', command.answer, '书面答复', ANSWER_MAX_LENGTH, true);
  if (command.type === 'UpholdObjection' && command.remedy.kind === 'reduce') {
    if (state.status === 'withdrawn') throw illegalState('该资助已因异议成立而撤销，不能再调整金额。');
    const amount = command.remedy.amountFen;
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount >= state.amountFen) {
      throw validationError(`调整后的金额须低于现资助金额 ${formatFen(state.amountFen)} 元且大于零，现为 ${Number.isSafeInteger(amount) ? `${formatFen(amount)} 元` : String(amount)}；如应全部取消，请选择撤销资助。`, [
        // The field of the action's form (uphold-objection's reducedAmountFen), where the message is shown.
        { field: 'reducedAmountFen', message: `须大于 0，且低于现资助金额 ${formatFen(state.amountFen)} 元` },
      ]);
    }
  }
}

export function decidePublicity(command: PublicityCommand, state: PublicityState, context: PublicityContext): PublicityEvent[] {
  ensurePublicityCommandAllowed(state, command, context);
  const at = new Date(context.now).toISOString();
  const by: ActorRef | null = context.actor ? { accountId: context.actor.accountId, displayName: context.actor.displayName } : null;
  switch (command.type) {
    case 'LodgeObjection':
      return [
        {
          type: 'ObjectionLodged',
          data: { objectionId: context.objectionId!, reasons: command.reasons.trim(), contactRef: command.contact?.trim() ? context.contactRef! : null, lodgedBy: by, lodgedAt: at },
        },
      ];
    case 'UpholdObjection': {
      const upheld: PublicityEvent = {
        type: 'ObjectionUpheld',
        data: { objectionId: command.objectionId, by: by!, answer: command.answer.trim(), remedy: command.remedy, previousAmountFen: state.amountFen, answeredAt: at },
      };
      if (command.remedy.kind !== 'withdraw') return withFinalisation(state, upheld, context.now);
      // The award withdrawn, the case ends: every other objection still waiting is answered with it.
      const others = pendingObjections(state).filter((o) => o.objectionId !== command.objectionId);
      return [
        upheld,
        ...others.map(
          (o): PublicityEvent => ({
            type: 'ObjectionClosedWithAward',
            data: { objectionId: o.objectionId, upheldObjectionId: command.objectionId, by: by!, answer: CLOSED_WITH_AWARD_ANSWER, answeredAt: at },
          }),
        ),
      ];
    }
    case 'DismissObjection':
      return withFinalisation(state, { type: 'ObjectionDismissed', data: { objectionId: command.objectionId, by: by!, answer: command.answer.trim(), answeredAt: at } }, context.now);
  }
}

/** The written answer an objection gets when another one withdrew the award it objected to. */
export const CLOSED_WITH_AWARD_ANSWER = '经核查，针对该资助的另一项异议成立，资助已撤销；你提出的异议随之办结，不再单独处理。';

/** The answer to the last pending objection after the 公示 ended finalises the award at once: nothing else waits. */
function withFinalisation(state: PublicityState, answer: PublicityEvent, now: number): PublicityEvent[] {
  const after = evolvePublicity(state, answer);
  return [answer, ...decidePublicityTimeElapsed(after, now)];
}

/** The instant at which time alone changes the 公示: its end, while nothing holds finalisation. */
export function nextPublicityThreshold(state: PublicityState): number | undefined {
  if (state.status !== 'in-publicity' || !state.window) return undefined;
  return Date.parse(state.window.endsAt);
}

/** At the end of the 公示, with no objection pending and the award not withdrawn, the award is final. */
export function decidePublicityTimeElapsed(state: PublicityState, now: number): PublicityEvent[] {
  const at = nextPublicityThreshold(state);
  if (at === undefined || now < at || pendingObjections(state).length > 0) return [];
  return [{ type: 'AwardFinalised', data: { amountFen: state.amountFen, finalisedAt: new Date(now).toISOString(), finalisedOn: shanghaiDateOf(now) } }];
}

export interface PublicityNextStep {
  status: PublicityState['status'];
  label: string;
  waitingFor: { role: 'official'; department: NonNullable<PublicityState['department']>; note: string } | null;
  deadline?: { kind: 'publicity'; dueOn: string; at: string; provisional: boolean };
}

export function publicityNextStep(state: PublicityState): PublicityNextStep {
  const base = { status: state.status, label: PUBLICITY_STATUS_LABELS[state.status] };
  const window = state.window;
  const deadline = window ? { kind: 'publicity' as const, dueOn: window.lastWorkingDay, at: window.endsAt, provisional: window.provisional } : undefined;
  switch (state.status) {
    case 'in-publicity':
      return { ...base, waitingFor: null, deadline };
    case 'objection-pending':
      return {
        ...base,
        waitingFor: { role: 'official', department: state.department!, note: `${DEPARTMENTS[state.department!]}书面答复 ${pendingObjections(state).length} 件异议；答复前资助不能确定` },
        deadline,
      };
    default:
      return { ...base, waitingFor: null };
  }
}

/** Emmett's decider shape, for a case module that keeps the 公示 as a part of its state. */
/**
 * A running 公示 counted on weekends only (its year's holiday arrangement not yet loaded), counted
 * again once it is: recorded with the old and new window, and only when something changed. Ended
 * or withdrawn notices keep the window they ran on.
 */
export function decidePublicityWindowRecomputed(state: PublicityState, recomputed: PublicityWindow, reason: RecomputeReason, now: number): PublicityEvent[] {
  const previous = state.window;
  if (!previous?.provisional || (state.status !== 'in-publicity' && state.status !== 'objection-pending')) return [];
  if (recomputed.publishedOn !== previous.publishedOn || recomputed.workingDays !== previous.workingDays) {
    throw internalCheck(`the 公示 must be recounted from ${previous.publishedOn} for ${previous.workingDays} working days`);
  }
  if (recomputed.lastWorkingDay === previous.lastWorkingDay && recomputed.endsAt === previous.endsAt && recomputed.provisional === previous.provisional) return [];
  return [{ type: 'PublicityWindowRecomputed', data: { previous, current: recomputed, reason, at: new Date(now).toISOString() } }];
}

/** The window to count again, when the running 公示 is provisional. */
export function publicityRecount(state: PublicityState): { publishedOn: string; workingDays: number } | undefined {
  const window = state.window;
  if (!window?.provisional || (state.status !== 'in-publicity' && state.status !== 'objection-pending')) return undefined;
  return { publishedOn: window.publishedOn, workingDays: window.workingDays };
}

export const publicityDecider = {
  decide: decidePublicity,
  evolve: evolvePublicity,
  initialState: initialPublicityState,
};
