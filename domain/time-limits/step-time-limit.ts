import { DEPARTMENTS, isDirectorOf, isOfficialOf, type Actor, type Department } from '../cases/actor.js';
import { internalCheck, refusal as asRefusal, validationError, type Refusal } from '../errors.js';
import { chineseDate } from '../time/local-date.js';
import type { RecomputeReason } from '../cases/calendar-load.js';
import type { LocalDate } from '../time/local-date.js';
import { recountDue, recountReplaces } from '../time/recount.js';

/**
 * A promised time limit (承诺时限) on an official step, shared by every case type that promises one
 * (applications, the 雏鹰 loan, 追回). The limit is counted in working days from the day the case
 * reached the step (行政许可法 Art. 82), recorded in the event that starts it, extended once by a
 * director with a reason and the applicant told (Art. 42), and when it passes with the step not
 * done, the breach is recorded and the case escalated to the supervising official of the step's
 * department, as a drama filing's review is.
 */

/**
 * Since issue 13: cases opened under terms with time limits look up and keep them. Every new look-up
 * and timer is gated on it, and on the terms the case opened under, so older histories replay as recorded.
 */
export const STEP_TIME_LIMITS_PATCH = 'step-time-limits';

/**
 * Since issue 13's limit on every step: a step that promises a limit on arrival (a call's budget
 * approval and panel review, an application awaiting its call's panel, a loan awaiting disbursement)
 * has it counted and recorded by the driver when the case reaches it (CaseModule.limitOnArrival).
 * Histories before it reached those steps without one.
 */
export const STEP_LIMIT_ON_ARRIVAL_PATCH = 'step-limit-on-arrival';

/** Art. 42: the head of the office may extend the limit once, by at most 10 (working) days. */
export const MAX_EXTENSION_WORKING_DAYS = 10;

/** "Within N working days" of `startedOn`: the computeWorkingDayWindow look-up's answer. */
export interface WorkingDayCount {
  workingDays: number;
  startedOn: LocalDate;
  lastWorkingDay: LocalDate;
  /** ISO instant of 24:00 Shanghai at the end of `lastWorkingDay`. */
  deadlineAt: string;
  /** A year without a loaded holiday arrangement was counted provisionally (weekends and the fixed-date holidays). */
  provisional: boolean;
}

/** The working days a programme promises for its official steps after the completeness check. */
export interface StepTimeLimitTerms {
  /** The 网信 content review. */
  contentReviewWorkingDays: number;
  /** Scoring and deciding, counted from the day the case reaches the decision (Art. 42: 20). */
  decisionWorkingDays: number;
}

/** Defaults for every programme (README: "a promised time limit on every step"). */
export const DEFAULT_STEP_TIME_LIMITS: StepTimeLimitTerms = {
  // Half the decision's 20: the content review is one opinion the decision waits for (Art. 45 keeps such time apart).
  contentReviewWorkingDays: 10,
  decisionWorkingDays: 20,
};

export type ActorRef = Pick<Actor, 'accountId' | 'displayName'>;

export interface TimeLimitExtension {
  extraWorkingDays: number;
  reason: string;
  by: ActorRef;
  at: string;
  previous: WorkingDayCount;
}

/** The limit on the step a case is at: which step, whose officials act, and when it ends. */
export interface StepTimeLimit extends WorkingDayCount {
  /** The case status the limit is on; it ends when the case leaves that step. */
  step: string;
  /** zh-CN name of the step, for the escalation's reason and the case page. */
  stepLabel: string;
  /** Whose officials act at the step: its director extends, its supervisor receives the escalation. */
  department: Department;
  /** The working days as first promised, before any extension. */
  promisedWorkingDays: number;
  extension?: TimeLimitExtension;
  breachedAt?: string;
  escalatedAt?: string;
}

/** The events every case type with time limits records; their data is the same in each. */
export type TimeLimitEvent =
  | { type: 'TimeLimitStarted'; data: { limit: StepTimeLimit; at: string } }
  | {
      type: 'TimeLimitExtended';
      data: { step: string; by: ActorRef; reason: string; extraWorkingDays: number; previous: WorkingDayCount; current: WorkingDayCount; applicantTold: true; at: string };
    }
  | { type: 'TimeLimitBreached'; data: { step: string; department: Department; workingDays: number; lastWorkingDay: LocalDate; deadlineAt: string; at: string } }
  | { type: 'TimeLimitEscalated'; data: { step: string; to: { role: 'official'; department: Department; duty: 'supervisor' }; reason: string; at: string } }
  /** A limit counted again when its year's holiday arrangement is loaded: a provisional one, or one the load corrects. */
  | { type: 'TimeLimitRecomputed'; data: { step: string; previous: WorkingDayCount; current: WorkingDayCount; reason: RecomputeReason; at: string } };

export type TimeLimitEventType = TimeLimitEvent['type'];

/** Titles of the events for timelines and the audit view (each module's eventLabels). */
export const TIME_LIMIT_EVENT_LABELS: Readonly<Record<TimeLimitEventType, string>> = {
  TimeLimitStarted: '办理时限开始计算',
  TimeLimitExtended: '延长办理时限（已告知申请人）',
  TimeLimitBreached: '超过办理时限',
  TimeLimitEscalated: '超期上报分管领导',
  TimeLimitRecomputed: '按节假日安排重算办理时限',
};

export const isTimeLimitEvent = (event: { type: string }): event is TimeLimitEvent => Object.hasOwn(TIME_LIMIT_EVENT_LABELS, event.type);

/** The extension command, the same in every case type. */
export interface ExtendTimeLimitCommand {
  type: 'ExtendTimeLimit';
  extraWorkingDays: number;
  reason: string;
}

/** The limit a step starts with, from the working days counted by the look-up. */
export function startTimeLimit(step: { step: string; stepLabel: string; department: Department }, counted: WorkingDayCount, now: number): TimeLimitEvent {
  return { type: 'TimeLimitStarted', data: { limit: { ...step, ...counted, promisedWorkingDays: counted.workingDays }, at: new Date(now).toISOString() } };
}

/** The limit after one of its events. */
export function evolveTimeLimit(limit: StepTimeLimit | undefined, event: TimeLimitEvent): StepTimeLimit | undefined {
  switch (event.type) {
    case 'TimeLimitStarted':
      return event.data.limit;
    case 'TimeLimitExtended': {
      if (!limit) return limit;
      const { by, reason, extraWorkingDays, previous, current, at } = event.data;
      return { ...limit, ...current, extension: { extraWorkingDays, reason, by, at, previous } };
    }
    case 'TimeLimitBreached':
      return limit && { ...limit, breachedAt: event.data.at };
    case 'TimeLimitEscalated':
      return limit && { ...limit, escalatedAt: event.data.at };
    case 'TimeLimitRecomputed':
      return limit && { ...limit, ...event.data.current };
  }
}

/**
 * The count a running limit is counted again with when a year is loaded (domain/time/recount.ts:
 * provisional, or, with `corrections`, counted through the year loaded): all its working days (an
 * extension's included) from the day it started. None when it is not due a recount, or breached.
 */
export function recountOf(limit: StepTimeLimit | undefined, reason?: Pick<RecomputeReason, 'calendarYear'>, corrections = false): { startedOn: LocalDate; workingDays: number } | undefined {
  if (!limit || limit.breachedAt || !(reason ? recountDue(limit, reason, corrections) : limit.provisional)) return undefined;
  return { startedOn: limit.startedOn, workingDays: limit.workingDays };
}

/**
 * The recounted limit, recorded with its old and new values, and only when something changed. A
 * final limit only moves later (a correction never takes a day from the official's step).
 */
export function decideLimitRecomputed(limit: StepTimeLimit | undefined, recounted: WorkingDayCount, reason: RecomputeReason, now: number, corrections = false): TimeLimitEvent[] {
  const recount = recountOf(limit, reason, corrections);
  if (!limit || !recount || recounted.startedOn !== recount.startedOn || recounted.workingDays !== recount.workingDays) return [];
  const previous = pickCount(limit);
  if (previous.lastWorkingDay === recounted.lastWorkingDay && previous.deadlineAt === recounted.deadlineAt && previous.provisional === recounted.provisional) return [];
  if (!recountReplaces(previous, recounted, corrections ? reason.calendarYear : undefined)) return [];
  return [{ type: 'TimeLimitRecomputed', data: { step: limit.step, previous, current: pickCount(recounted), reason, at: new Date(now).toISOString() } }];
}

/** The limit of the step the case is at now; a limit of a step the case has left is over. */
export function runningLimit(limit: StepTimeLimit | undefined, status: string): StepTimeLimit | undefined {
  return limit?.step === status ? limit : undefined;
}

/** The instant the running limit is breached, unless it already was. */
export function breachThreshold(limit: StepTimeLimit | undefined): number | undefined {
  return limit && !limit.breachedAt ? Date.parse(limit.deadlineAt) : undefined;
}

/** Once the limit has passed with the step not done: the breach, and the escalation to the supervising official. */
export function decideBreach(limit: StepTimeLimit | undefined, now: number): TimeLimitEvent[] {
  const at = breachThreshold(limit);
  if (!limit || at === undefined || now < at) return [];
  const when = new Date(now).toISOString();
  const { step, department, workingDays, lastWorkingDay, deadlineAt } = limit;
  return [
    { type: 'TimeLimitBreached', data: { step, department, workingDays, lastWorkingDay, deadlineAt, at: when } },
    {
      type: 'TimeLimitEscalated',
      data: {
        step,
        to: { role: 'official', department, duty: 'supervisor' },
        reason: `${limit.stepLabel}未在 ${workingDays} 个工作日内（${lastWorkingDay} 24:00 前）办结`,
        at: when,
      },
    },
  ];
}

/** Why this actor may not extend the step's limit now (the body aside): undefined when they may. */
export function extensionRefusal(limit: StepTimeLimit | undefined, actor: Actor, now: number): Refusal | undefined {
  if (actor.role === 'auditor') return asRefusal('forbidden', { code: 'auditor-read-only', zh: '审计人员只能查看案件，不能办理。', en: 'auditors read cases and change nothing' });
  if (!limit) return asRefusal('illegal-state', { code: 'no-time-limit', zh: '本步骤没有办理时限，无需延长。', en: 'this step has no time limit to extend' });
  const departmentName = DEPARTMENTS[limit.department];
  if (!isDirectorOf(actor, limit.department)) {
    return asRefusal('forbidden', { code: 'director-extends', zh: `延长办理时限须由${departmentName}负责人（处长）决定。`, en: `a time limit is extended by a director of ${departmentName}`, params: { department: limit.department } });
  }
  if (limit.extension) {
    const { extraWorkingDays, by } = limit.extension;
    const extendedOnce = asRefusal('illegal-state', {
      code: 'extended-once',
      zh: `${limit.stepLabel}的办理时限已由 ${by.displayName} 延长过 ${extraWorkingDays} 个工作日，只能延长一次。`,
      en: `the time limit of ${limit.step} was already extended by ${extraWorkingDays} working days (by ${by.displayName}); it is extended once`,
      params: { extraWorkingDays },
    });
    return { ...extendedOnce, zh: `办理时限已延长过一次（${extraWorkingDays} 个工作日），不能再延长。` };
  }
  if (now >= Date.parse(limit.deadlineAt)) {
    const passed = asRefusal('illegal-state', {
      code: 'time-limit-passed',
      zh: `${limit.stepLabel}的办理时限已于${chineseDate(limit.lastWorkingDay)}24时届满，届满后不能再延长。`,
      en: `the time limit of ${limit.step} ended at 24:00 on ${limit.lastWorkingDay}; it cannot be extended after it ended`,
      params: { lastWorkingDay: limit.lastWorkingDay },
    });
    return { ...passed, zh: `办理时限已于${chineseDate(limit.lastWorkingDay)}24时届满，不能再延长。` };
  }
  return undefined;
}

/** Throws unless this extension may be recorded now. */
export function checkExtension(limit: StepTimeLimit | undefined, command: ExtendTimeLimitCommand, actor: Actor, now: number): StepTimeLimit {
  const refusal = extensionRefusal(limit, actor, now);
  if (refusal) throw refusal.error;
  const days = command.extraWorkingDays;
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXTENSION_WORKING_DAYS) {
    throw validationError(
      { code: 'extension-days-out-of-range', zh: `延长的工作日数须为 1 至 ${MAX_EXTENSION_WORKING_DAYS} 的整数，填写的是 ${days}。`, en: `the extra working days must be a whole number from 1 to ${MAX_EXTENSION_WORKING_DAYS}; got ${days}`, params: { extraWorkingDays: days, max: MAX_EXTENSION_WORKING_DAYS } },
      [{ field: 'extraWorkingDays', message: `须为 1 至 ${MAX_EXTENSION_WORKING_DAYS} 的整数`, code: 'extension-days-out-of-range', english: `1 to ${MAX_EXTENSION_WORKING_DAYS}` }],
    );
  }
  if (command.reason.trim() === '') {
    throw validationError({ code: 'extension-reason-required', zh: '延长办理时限须写明理由。', en: 'an extension gives its reason' }, [{ field: 'reason', message: '请写明理由', code: 'extension-reason-required', english: 'required' }]);
  }
  return limit!;
}

/**
 * The extension, counted by the look-up from the limit's last working day: the new limit keeps its
 * start, so it is the promised days plus the extra ones.
 */
export function decideExtension(limit: StepTimeLimit | undefined, command: ExtendTimeLimitCommand, actor: Actor, now: number, counted: WorkingDayCount | undefined): TimeLimitEvent[] {
  const running = checkExtension(limit, command, actor, now);
  if (!counted || counted.startedOn !== running.lastWorkingDay || counted.workingDays !== command.extraWorkingDays) {
    throw internalCheck(`the extension must be counted for ${command.extraWorkingDays} working days from ${running.lastWorkingDay} before it is recorded`);
  }
  const previous: WorkingDayCount = pickCount(running);
  const current: WorkingDayCount = { ...counted, startedOn: running.startedOn, workingDays: running.workingDays + command.extraWorkingDays, provisional: running.provisional || counted.provisional };
  return [
    {
      type: 'TimeLimitExtended',
      data: { step: running.step, by: { accountId: actor.accountId, displayName: actor.displayName }, reason: command.reason.trim(), extraWorkingDays: command.extraWorkingDays, previous, current, applicantTold: true, at: new Date(now).toISOString() },
    },
  ];
}

/** The count alone, without the step's other fields. */
export function pickCount(limit: WorkingDayCount): WorkingDayCount {
  const { workingDays, startedOn, lastWorkingDay, deadlineAt, provisional } = limit;
  return { workingDays, startedOn, lastWorkingDay, deadlineAt, provisional };
}

/**
 * Escalation lets the supervising official of the step's department take the step over, as with a
 * drama filing: before it, the supervisor is refused (the step is the reviewers' and deciders' own).
 * Undefined when this actor is not a supervisor, or the step was escalated.
 */
export function supervisorRefusal(limit: StepTimeLimit | undefined, actor: Actor, department: Department): Refusal | undefined {
  if (actor.duty !== 'supervisor' || !isOfficialOf(actor, department)) return undefined;
  if (limit?.escalatedAt) return undefined;
  return asRefusal('forbidden', {
    code: 'supervisor-after-escalation',
    zh: '分管领导在本步骤超期上报后才能接手办理。',
    en: `${actor.displayName} is the supervising official of ${DEPARTMENTS[department]}: a supervisor takes this step over only once its time limit has passed and it was escalated`,
  });
}

/** The deadline people see for the step. */
export function limitDeadline(limit: StepTimeLimit): { kind: string; dueOn: LocalDate; at: string; provisional: boolean } {
  return { kind: `time-limit:${limit.step}`, dueOn: limit.lastWorkingDay, at: limit.deadlineAt, provisional: limit.provisional };
}

/** The step's limit as the case page shows it. */
export interface TimeLimitView {
  step: string;
  stepLabel: string;
  department: Department;
  workingDays: number;
  promisedWorkingDays: number;
  startedOn: LocalDate;
  lastWorkingDay: LocalDate;
  deadlineAt: string;
  provisional: boolean;
  extension: { extraWorkingDays: number; reason: string; by: string; at: string } | null;
  breachedAt: string | null;
  escalatedAt: string | null;
}

export function timeLimitView(limit: StepTimeLimit | undefined): TimeLimitView | null {
  if (!limit) return null;
  return {
    step: limit.step,
    stepLabel: limit.stepLabel,
    department: limit.department,
    workingDays: limit.workingDays,
    promisedWorkingDays: limit.promisedWorkingDays,
    startedOn: limit.startedOn,
    lastWorkingDay: limit.lastWorkingDay,
    deadlineAt: limit.deadlineAt,
    provisional: limit.provisional,
    extension: limit.extension ? { extraWorkingDays: limit.extension.extraWorkingDays, reason: limit.extension.reason, by: limit.extension.by.displayName, at: limit.extension.at } : null,
    breachedAt: limit.breachedAt ?? null,
    escalatedAt: limit.escalatedAt ?? null,
  };
}

/** The 办理时限 line of the case page's overview. */
export function describeTimeLimit(limit: TimeLimitView): string {
  const notes = [
    `${limit.stepLabel} ${limit.promisedWorkingDays} 个工作日`,
    ...(limit.extension ? [`经 ${limit.extension.by} 延长 ${limit.extension.extraWorkingDays} 个工作日：${limit.extension.reason}`] : []),
    ...(limit.provisional ? [PROVISIONAL_NOTE] : []),
    ...(limit.escalatedAt ? ['已超期，已上报分管领导'] : []),
  ];
  return `${chineseDate(limit.lastWorkingDay)}（含）前（${notes.join('；')}）`;
}

/** Why a date is 暂定: the year's arrangement is not published, so only weekends and the holidays fixed by date are known. */
const PROVISIONAL_NOTE = '暂定：按周末和元旦、劳动节、国庆节计算，节假日安排公布后重算';

/** The 办理时限 line of any deadline a step shows (the completeness window, a reply, an objection period). */
export function describeDeadline(deadline: { dueOn: string; provisional: boolean }, what: string): string {
  return `${chineseDate(deadline.dueOn as LocalDate)}（含）前（${what}${deadline.provisional ? `；${PROVISIONAL_NOTE}` : ''}）`;
}
