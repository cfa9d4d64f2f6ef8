import { findProgrammeAt } from '../applications/terms.js';
import { DEPARTMENTS, isOfficialOf, type Actor } from '../cases/actor.js';
import { forbidden, illegalState, validationError, type DomainError } from '../errors.js';
import { formatFen, type Fen } from '../money/fen.js';
import type { CallCommand, CallCommandType, OpenCall } from './commands.js';
import type { ActorRef, CallChanges, CallEvent } from './events.js';
import { CALL_PANEL_STEPS, callPanelRefusal, decideCallPanel, ensureCallPanelCommandAllowed, isCallPanelCommand, isCallPanelCommandType, type PanelPrepared } from './panel.js';
import { chineseMinute, formatShanghaiMinute } from './shanghai-time.js';
import { SHANGHAI_UTC_OFFSET_MS } from '../time/local-date.js';
import { CALL_STATUS_LABELS, type CallState, type CallStatus } from './state.js';
import { callBreachThreshold, decideCallBreach, runningCallLimit } from './time-limits.js';
import { checkExtension, decideExtension, extensionRefusal, type WorkingDayCount } from '../time-limits/step-time-limit.js';

/** The 公示 lasts this many working days unless the call says otherwise (issue 13). */
export const DEFAULT_PUBLICITY_WORKING_DAYS = 5;
const MAX_PUBLICITY_WORKING_DAYS = 30;
const MAX_TITLE_LENGTH = 200;

/** The steps at which each action can be taken at all. */
export const CALL_STEPS: Record<CallCommandType, readonly CallStatus[]> = {
  ApproveCallBudget: ['draft'],
  ChangeCall: ['draft', 'approved'],
  CloseCall: ['draft', 'approved'],
  // The running limit decides (domain/calls/time-limits.ts): the budget's approval, a closed competitive call's panel.
  ExtendTimeLimit: ['draft', 'closed', 'ended'],
  ...CALL_PANEL_STEPS,
};

export interface CallContext {
  actor: Actor;
  now: number;
  /** Replaying a close recorded before CALL_CLOSED_BEFORE_OPENING_PATCH: it is recorded as it was then. */
  legacy?: boolean;
  /** In the workflow's handler, Temporal's patched(): the rules as the history recorded them (absent: the rules of now). */
  patched?: (changeId: string) => boolean;
}

/**
 * Since 2026-12-04: a call closed before its opening instant took no application, so it ends with
 * the close; a competitive one does not go on to a panel that has nothing to review (and whose limit
 * would run out). Histories before it recorded such closes without the mark, and replay so.
 */
export const CALL_CLOSED_BEFORE_OPENING_PATCH = 'call-closed-before-opening-ends';

export interface CallDecideContext extends CallContext {
  /** What the budget ledger has committed on the call, looked up before a change (the budget may not drop below it). */
  committedFen?: Fen;
  /** The places (名额) approvals have taken, looked up before a change that lowers the quota (it may not drop below them). */
  placesTaken?: number;
  /** What a panel command looked up (domain/calls/panel.ts). */
  panel?: PanelPrepared;
  /** For an extension: the extra working days counted from the limit's last working day. */
  extension?: WorkingDayCount;
  /** For a close (since CALL_CLOSED_EMPTY_ENDS_PATCH): how many applications of the call are still open, looked up before it. */
  openApplications?: number;
  /** For a change that raises or removes the quota (since QUOTA_RAISE_NEEDS_APPROVAL_PATCH): the budget awaits approval again. */
  quotaNeedsApproval?: boolean;
}

/** A quota raised, or removed (no limit), by a change: more places than the approval covered. */
export const quotaRaisedBy = (state: Pick<CallState, 'quota'>, quota: number | null | undefined): boolean =>
  quota !== undefined && state.quota !== null && (quota === null || quota > state.quota);

const ref = (actor: Actor): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });
const iso = (ms: number) => new Date(ms).toISOString();
const sameActor = (a: ActorRef | undefined, b: Actor) => a !== undefined && a.accountId === b.accountId;

/** The call's dates as people read them: 2026-09-20 09:00 至 2026-10-31 17:00（北京时间）. */
export function callPeriodInWords(state: Pick<CallState, 'opensAt' | 'closesAt'>): string {
  return `${chineseMinute(Date.parse(state.opensAt!))} 至 ${chineseMinute(Date.parse(state.closesAt!))}（北京时间）`;
}

/**
 * Whether the call takes an application at `now`: its budget approved, `opensAt <= now < closesAt`,
 * and not closed early. A refusal names the call and its dates, for the applicant.
 */
export function callAcceptsApplicationsAt(state: CallState, now: number): { accepts: true } | { accepts: false; reason: string } {
  const name = `「${state.title}」`;
  if (state.status === 'not-opened') return { accepts: false, reason: '该申报批次不存在' };
  if (state.status === 'closed') {
    return { accepts: false, reason: `${name}已于 ${chineseMinute(Date.parse(state.closed!.closedAt))}（北京时间）提前截止（${state.closed!.reason}），不再受理申报` };
  }
  const opensAt = Date.parse(state.opensAt!);
  const closesAt = Date.parse(state.closesAt!);
  if (state.status === 'ended' || now < opensAt || now >= closesAt) {
    return { accepts: false, reason: `${name}申报时间为 ${callPeriodInWords(state)}，现在不在申报期内` };
  }
  if (!state.budgetApproved) return { accepts: false, reason: `${name}的预算尚在审批中，暂不受理申报（申报时间为 ${callPeriodInWords(state)}）` };
  return { accepts: true };
}

/** The next call of a measure, as a refusal names it: its title and dates. */
export interface NextCallInWords {
  title: string;
  opensAt: string;
  closesAt: string;
}

/** Where a first-come call that takes no more applications leaves the applicant: still listed until its close, and the next call where one is to come. */
function stillListedUntilClose(call: { closesAt: string }, next?: NextCallInWords): string {
  const nextWords = next ? `下一批次「${next.title}」申报时间为 ${callPeriodInWords(next)}，届时可申报` : '目前没有下一批次的安排，请留意申报批次列表';
  return `该批次仍在申报批次列表中列出至 ${chineseMinute(Date.parse(call.closesAt))}（北京时间）。${nextWords}`;
}

/**
 * A first-come call (先到先审) whose budget is used up takes no more applications: each would be
 * refused at its approval for want of money. It stays listed until its close, saying so; the refusal
 * names it, that it is still listed, and the next call of the measure where one is to come.
 */
export function firstComeBudgetUsedUp(call: { title: string; budgetFen: number; closesAt: string }, next?: NextCallInWords): string {
  return `申报批次「${call.title}」为先到先审，预算已用完（${formatFen(call.budgetFen)} 元已全部核定），不再受理申报；${stillListedUntilClose(call, next)}`;
}

/**
 * A first-come call whose places (名额) are all taken — by approvals standing, as the ledger counts
 * them (`placesLeftIn`, db/budget-ledger.ts) — takes no more applications, money left or not: each
 * would be refused at its approval (本批次名额 … 个已满). Worded as the budget's refusal.
 */
export function firstComePlacesFull(call: { title: string; quota: number; closesAt: string }, next?: NextCallInWords): string {
  return `申报批次「${call.title}」为先到先审，本批次名额已满（共 ${call.quota} 个名额，均已获批），不再受理申报；${stillListedUntilClose(call, next)}`;
}

function checkTitle(title: string): void {
  if (title.trim() === '') throw validationError('请填写批次名称', [{ field: 'title', message: '必填' }]);
  if (title.length > MAX_TITLE_LENGTH) throw validationError(`批次名称不超过 ${MAX_TITLE_LENGTH} 个字`, [{ field: 'title', message: `不超过 ${MAX_TITLE_LENGTH} 个字` }]);
}

function checkBudget(budgetFen: number): void {
  if (!Number.isSafeInteger(budgetFen) || budgetFen <= 0) throw validationError('预算须为大于 0 的整数（分）', [{ field: 'budgetFen', message: '须大于 0' }]);
}

function checkQuota(quota: number | null | undefined): void {
  if (quota === undefined || quota === null) return;
  if (!Number.isSafeInteger(quota) || quota <= 0) throw validationError('名额须为正整数', [{ field: 'quota', message: '须为正整数' }]);
}

function checkPeriod(opensAt: number, closesAt: number, now: number): void {
  if (!(opensAt < closesAt)) {
    throw validationError(`申报开始时间 ${formatShanghaiMinute(opensAt)} 须早于截止时间 ${formatShanghaiMinute(closesAt)}`, [{ field: 'closesAt', message: '须晚于开始时间' }]);
  }
  if (closesAt <= now) {
    throw validationError(`截止时间 ${formatShanghaiMinute(closesAt)} 已过（现在是 ${formatShanghaiMinute(now)}），请填写将来的时间`, [{ field: 'closesAt', message: '须晚于现在' }]);
  }
}

/**
 * Since 2026-12-06: a call's period is bounded. Calls of one programme may not overlap, so a close a
 * century on (a slip of the year) blocks the programme's every later call; programme calls run weeks
 * to months, and a year is generous. Changes recorded before replay without the bound.
 */
export const CALL_PERIOD_BOUNDED_PATCH = 'call-period-bounded';

/** The same Shanghai wall-clock minute one calendar year on (29 February runs on to 1 March). */
export function oneYearAfter(epochMs: number): number {
  const wall = new Date(epochMs + SHANGHAI_UTC_OFFSET_MS);
  wall.setUTCFullYear(wall.getUTCFullYear() + 1);
  return wall.getTime() - SHANGHAI_UTC_OFFSET_MS;
}

/** A close more than a year after the opening, at its field (the schema, which has no clock, tells it too). */
export const closesTooLateMessage = (opensAt: number) => `不能晚于开始时间后一年（${formatShanghaiMinute(oneYearAfter(opensAt))}），请核对年份`;

/** Why the period is unreasonably long or far off, each at its field; none when it is not. */
export function callPeriodTooFar(opensAt: number, closesAt: number, now: number): { field: 'opensAt' | 'closesAt'; zh: string; message: string }[] {
  const problems: { field: 'opensAt' | 'closesAt'; zh: string; message: string }[] = [];
  const latestOpening = oneYearAfter(now);
  if (opensAt > latestOpening) {
    const message = `不能晚于一年后（${formatShanghaiMinute(latestOpening)}），请核对年份`;
    problems.push({ field: 'opensAt', zh: `申报开始时间${message}`, message });
  }
  if (closesAt > oneYearAfter(opensAt)) {
    const message = closesTooLateMessage(opensAt);
    problems.push({ field: 'closesAt', zh: `申报截止时间${message}`, message });
  }
  return problems;
}

export function periodTooFarError(problems: ReturnType<typeof callPeriodTooFar>): DomainError {
  return validationError(problems.map((p) => p.zh).join('；'), problems.map((p) => ({ field: p.field, message: p.message })));
}

/** Opening a call: by an official of the programme's department, for an award or loan programme of the catalogue. */
export function decideCallOpening(command: OpenCall, { actor, now }: CallContext): CallEvent[] {
  const programme = findProgrammeAt(command.catalogueVersion, command.programmeId);
  if (!programme) throw validationError(`目录版本 ${command.catalogueVersion} 中没有扶持项目 ${command.programmeId}`, [{ field: 'programmeId', message: '不是目录中的项目' }]);
  if (programme.caseKind !== 'award' && programme.caseKind !== 'loan') {
    throw validationError(`「${programme.name.zh}」是常态化受理的服务或备案，不设申报批次`, [{ field: 'programmeId', message: '只有奖补和借款项目设申报批次' }]);
  }
  if (!isOfficialOf(actor, programme.department)) throw forbidden(`「${programme.name.zh}」的申报批次由${DEPARTMENTS[programme.department]}工作人员设立`);
  checkTitle(command.title);
  checkBudget(command.budgetFen);
  checkQuota(command.quota);
  checkPeriod(command.opensAt, command.closesAt, now);
  const publicityWorkingDays = command.publicityWorkingDays ?? DEFAULT_PUBLICITY_WORKING_DAYS;
  if (!Number.isSafeInteger(publicityWorkingDays) || publicityWorkingDays < 1 || publicityWorkingDays > MAX_PUBLICITY_WORKING_DAYS) {
    throw validationError(`公示期须为 1 至 ${MAX_PUBLICITY_WORKING_DAYS} 个工作日`, [{ field: 'publicityWorkingDays', message: `1 至 ${MAX_PUBLICITY_WORKING_DAYS}` }]);
  }
  return [
    {
      type: 'CallOpened',
      data: {
        callId: command.callId,
        referenceNo: command.referenceNo,
        programmeId: programme.id,
        programmeName: programme.name.zh,
        department: programme.department,
        catalogueVersion: command.catalogueVersion,
        title: command.title.trim(),
        opensAt: iso(command.opensAt),
        closesAt: iso(command.closesAt),
        budgetFen: command.budgetFen,
        quota: command.quota ?? null,
        mode: command.mode,
        publicityWorkingDays,
        openedBy: ref(actor),
        openedAt: iso(now),
      },
    },
  ];
}

/**
 * Since 2026-12-05: nobody who opened or changed a call since its budget was last approved approves
 * it (before, only the last to change it was refused). Histories before replay without.
 */
export const BUDGET_APPROVER_NOT_A_CHANGER_PATCH = 'budget-approver-not-a-changer';

/**
 * Why this actor may not take the action on this call (the step aside), as the error the workflow
 * refuses with and the line the UI shows; undefined when they may.
 */
export function callActorRefusal(state: CallState, type: CallCommandType, actor: Actor, now: number, patched?: (changeId: string) => boolean): { error: DomainError; zh: string } | undefined {
  if (isCallPanelCommandType(type)) return callPanelRefusal(state, type, actor);
  // A director of the department, while the step's limit runs, once (domain/time-limits/).
  if (type === 'ExtendTimeLimit') return extensionRefusal(runningCallLimit(state), actor, now);
  const department = state.department!;
  const departmentName = DEPARTMENTS[department];
  if (!isOfficialOf(actor, department)) {
    return { error: forbidden(`申报批次「${state.title}」由${departmentName}办理`), zh: `此步骤由${departmentName}工作人员办理。` };
  }
  if (type !== 'ApproveCallBudget') return undefined;
  const lastToChange = sameActor(state.lastChangedBy, actor);
  const changedSince = (state.changedSinceApprovalBy ?? []).some((a) => a.accountId === actor.accountId) && (patched?.(BUDGET_APPROVER_NOT_A_CHANGER_PATCH) ?? true);
  if (!lastToChange && !changedSince) return undefined;
  // Version 1 is the opening alone: its one changer is who opened it.
  const what = state.version === 1 ? '设立' : lastToChange ? '最后修改' : '在上次审批后修改';
  return {
    error: forbidden(`预算须由另一名工作人员审批：${actor.displayName}${what}了申报批次「${state.title}」，不能审批其预算`),
    zh: `您${what}了本批次，预算须由另一名工作人员审批。`,
  };
}

function stepRefusal(state: CallState, type: CallCommandType): DomainError | undefined {
  if (CALL_STEPS[type].includes(state.status)) return undefined;
  if (type === 'ApproveCallBudget' && state.status === 'approved') return illegalState(`申报批次「${state.title}」的预算 ${formatFen(state.budgetFen)} 元已经批准`);
  return illegalState(`申报批次「${state.title}」${CALL_STATUS_LABELS[state.status]}，不能再${type === 'ChangeCall' ? '修改' : type === 'CloseCall' ? '截止' : '审批预算'}`);
}

/** The changes a ChangeCall command really makes (fields equal to the call's are left out). */
function changesOf(state: CallState, command: Extract<CallCommand, { type: 'ChangeCall' }>): CallChanges {
  const changes: CallChanges = {};
  if (command.title !== undefined && command.title.trim() !== state.title) changes.title = command.title.trim();
  if (command.opensAt !== undefined && iso(command.opensAt) !== state.opensAt) changes.opensAt = iso(command.opensAt);
  if (command.closesAt !== undefined && iso(command.closesAt) !== state.closesAt) changes.closesAt = iso(command.closesAt);
  if (command.budgetFen !== undefined && command.budgetFen !== state.budgetFen) changes.budgetFen = command.budgetFen;
  if (command.quota !== undefined && command.quota !== state.quota) changes.quota = command.quota;
  return changes;
}

/** Throws a DomainError unless the command may be taken now by this actor: the update's validator and the decider run it alike. */
export function ensureCallCommandAllowed(state: CallState, command: CallCommand, context: CallDecideContext): void {
  const { actor, now } = context;
  if (actor.role === 'auditor') throw forbidden('审计人员只能查阅，不能办理');
  if (state.status === 'not-opened') throw illegalState('申报批次尚未设立');
  if (isCallPanelCommand(command)) return ensureCallPanelCommandAllowed(state, command, { actor, now });
  if (command.type === 'ExtendTimeLimit') {
    checkExtension(runningCallLimit(state), command, actor, now);
    return;
  }
  const refusal = callActorRefusal(state, command.type, actor, now, context.patched);
  if (refusal) throw refusal.error;
  const wrongStep = stepRefusal(state, command.type);
  if (wrongStep) throw wrongStep;
  switch (command.type) {
    case 'ApproveCallBudget':
      return;
    case 'CloseCall':
      if (command.reason.trim() === '') throw validationError('请写明提前截止的理由', [{ field: 'reason', message: '必填' }]);
      return;
    case 'ChangeCall': {
      const changes = changesOf(state, command);
      if (Object.keys(changes).length === 0) throw validationError('没有修改任何内容', []);
      if (changes.title !== undefined) checkTitle(changes.title);
      if (changes.budgetFen !== undefined) {
        checkBudget(changes.budgetFen);
        const committed = context.committedFen ?? 0;
        if (changes.budgetFen < committed) {
          throw validationError(`本批次已核定 ${formatFen(committed)} 元，预算不能调减至 ${formatFen(changes.budgetFen)} 元`, [{ field: 'budgetFen', message: `不少于 ${formatFen(committed)} 元` }]);
        }
      }
      checkQuota(changes.quota);
      if (changes.quota !== undefined && changes.quota !== null && context.placesTaken !== undefined && changes.quota < context.placesTaken) {
        throw validationError(`本批次已核定 ${context.placesTaken} 个名额，名额不能调减至 ${changes.quota} 个`, [{ field: 'quota', message: `不少于 ${context.placesTaken} 个` }]);
      }
      const opensAt = Date.parse(state.opensAt!);
      if (changes.opensAt !== undefined && opensAt <= now) {
        throw validationError(`申报已于 ${formatShanghaiMinute(opensAt)} 开始，不能再修改开始时间`, [{ field: 'opensAt', message: '申报已开始' }]);
      }
      if (changes.opensAt !== undefined || changes.closesAt !== undefined) {
        const period = [Date.parse(changes.opensAt ?? state.opensAt!), Date.parse(changes.closesAt ?? state.closesAt!)] as const;
        checkPeriod(period[0], period[1], now);
        const tooFar = callPeriodTooFar(period[0], period[1], now);
        if (tooFar.length > 0 && (context.patched?.(CALL_PERIOD_BOUNDED_PATCH) ?? true)) throw periodTooFarError(tooFar);
      }
      return;
    }
  }
}

/** The events a command on an open call records. */
export function decideCall(command: CallCommand, state: CallState, context: CallDecideContext): CallEvent[] {
  ensureCallCommandAllowed(state, command, context);
  if (isCallPanelCommand(command)) return decideCallPanel(command, state, { actor: context.actor, now: context.now, prepared: context.panel ?? {} });
  const by = ref(context.actor);
  const at = iso(context.now);
  switch (command.type) {
    case 'ApproveCallBudget':
      return [{ type: 'CallBudgetApproved', data: { budgetFen: state.budgetFen, by, approvedAt: at } }];
    case 'ChangeCall': {
      const changes = changesOf(state, command);
      return [{ type: 'CallChanged', data: { changes, by, changedAt: at, budgetAwaitsApproval: changes.budgetFen !== undefined || (context.quotaNeedsApproval === true && quotaRaisedBy(state, changes.quota)) } }];
    }
    case 'CloseCall': {
      const beforeOpening = !context.legacy && context.now < Date.parse(state.opensAt!);
      // Open, but nobody applied (or every application has ended): nothing for a panel either.
      const noApplications = !beforeOpening && state.mode === 'competitive' && context.openApplications === 0;
      return [{ type: 'CallClosed', data: { by, reason: command.reason.trim(), closedAt: at, ...(beforeOpening ? { beforeOpening: true as const } : {}), ...(noApplications ? { noApplications: true as const } : {}) } }];
    }
    case 'ExtendTimeLimit':
      return decideExtension(runningCallLimit(state), command, context.actor, context.now, context.extension);
  }
}

/** The instant the call's close passes by itself, while it takes (or awaits) applications. */
function closeThreshold(state: CallState): number | undefined {
  return state.status === 'draft' || state.status === 'approved' ? Date.parse(state.closesAt!) : undefined;
}

/** The next instant at which time alone changes the call: its close, or the breach of its step's limit. */
export function nextCallThreshold(state: CallState): number | undefined {
  const instants = [closeThreshold(state), callBreachThreshold(state)].filter((at): at is number => at !== undefined);
  return instants.length > 0 ? Math.min(...instants) : undefined;
}

/** True when `now` is at or past the call's planned close while it still takes applications: time alone ends it then. */
export function callCloseCame(state: CallState, now: number): boolean {
  const closeAt = closeThreshold(state);
  return closeAt !== undefined && now >= closeAt;
}

/**
 * What time alone records: a breach of the running limit (on the step it ran on), then the close.
 * `openApplications`, when the close looked it up: a competitive call with none open ends with no panel owed.
 */
export function decideCallTimeElapsed(state: CallState, now: number, openApplications?: number): CallEvent[] {
  const closeAt = closeThreshold(state);
  const noApplications = state.mode === 'competitive' && openApplications === 0;
  return [
    ...decideCallBreach(state, now),
    ...(closeAt !== undefined && now >= closeAt ? [{ type: 'CallEnded' as const, data: { endedAt: iso(closeAt), ...(noApplications ? { noApplications: true as const } : {}) } }] : []),
  ];
}
