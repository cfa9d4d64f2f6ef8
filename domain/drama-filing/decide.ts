import { DEPARTMENTS, isOfficialOf, isSupervisorOf, type Actor, type Department } from '../cases/actor.js';
import type { ActorRef } from '../chuying/events.js';
import { DomainError, forbidden, illegalState, internalCheck, refusal as asRefusal, validationError, type FieldIssue, type Refusal } from '../errors.js';
import { shanghaiDateOf, startOfShanghaiDay, type LocalDate } from '../time/local-date.js';
import { recountDue, recountReplaces } from '../time/recount.js';
import type { DramaFilingAction, FilingActionContext } from './commands.js';
import { sameDeadline } from './deadline.js';
import type { DramaFilingEvent, DramaSubmission, RecomputeReason, ReviewDeadline } from './events.js';
import { currentRound, heldBySupervisor, isClockRunning, type DramaFilingState, type DramaFilingStatus } from './state.js';
import { categoryOf, DRAMA_FILING_TYPES, promisesReviewDeadline, type DramaCategory, type DramaFilingTerms, type DramaFilingType } from './terms.js';

export interface FilingApplication {
  caseId: string;
  referenceNo: string;
  filingType: DramaFilingType;
  applicant: ActorRef;
  submission: DramaSubmission;
}

export const FILING_STATUS_LABELS: Record<DramaFilingStatus, string> = {
  'not-submitted': '未提交',
  'awaiting-claim': '待认领审查',
  'in-review': '审查中',
  returned: '退回修改',
  approved: '备案通过',
  rejected: '不予备案',
};

/** The filing's own rules on what was filed; the API's zod schema checks the same shape first. */
/** The files a filing carries at most, as an application's. */
export const MAX_FILING_DOCUMENTS = 20;

export function checkDramaSubmission(submission: DramaSubmission): void {
  const issues: FieldIssue[] = [];
  for (const field of ['title', 'producer', 'synopsis', 'platform'] as const) {
    if (typeof submission[field] !== 'string' || submission[field].trim() === '') {
      issues.push({ field: `submission.${field}`, message: `请填写${SUBMISSION_FIELD_LABELS[field]}`, code: 'required', english: 'must not be blank' });
    }
  }
  if (!Number.isSafeInteger(submission.episodeCount) || submission.episodeCount < 1) {
    issues.push({ field: 'submission.episodeCount', message: '集数须为整数，至少 1 集', code: 'episode-count-invalid', english: 'a whole number of episodes, at least 1' });
  }
  if (!Number.isFinite(submission.episodeLengthMinutes) || submission.episodeLengthMinutes <= 0) {
    issues.push({ field: 'submission.episodeLengthMinutes', message: '单集时长须大于 0 分钟', code: 'episode-length-invalid', english: 'minutes per episode, more than 0' });
  }
  if (typeof submission.aiGenerated !== 'boolean') issues.push({ field: 'submission.aiGenerated', message: '请选择是否使用生成式人工智能制作', code: 'required', english: 'true or false' });
  // The route replaces each file's id by the stored document with its hash; a file without one did not come through it.
  if (submission.documents && (submission.documents.length > MAX_FILING_DOCUMENTS || submission.documents.some((d) => !/^[0-9a-f]{64}$/.test(d.sha256 ?? '')))) {
    issues.push({ field: 'submission.documents', message: `备案材料须为已上传的文件，最多 ${MAX_FILING_DOCUMENTS} 个`, code: 'documents-invalid', english: `at most ${MAX_FILING_DOCUMENTS} uploaded documents` });
  }
  if (issues.length > 0) {
    throw validationError(
      { code: 'filing-incomplete', zh: `备案信息不完整，请修改以下 ${issues.length} 处：${issues.map((i) => i.message).join('；')}。`, en: `the filing is incomplete: ${issues.map((i) => `${i.field} ${i.english}`).join('; ')}` },
      issues,
    );
  }
}

/**
 * A review clock must start on the day of the (re)submission and count the case's working days; a
 * 重点 drama has none (source 004 promises the working days for 普通 dramas only).
 */
function checkDeadline(deadline: ReviewDeadline | undefined, terms: DramaFilingTerms, now: number, category: DramaCategory): { deadline?: ReviewDeadline } {
  if (!promisesReviewDeadline(category)) {
    if (deadline) throw internalCheck('a 重点 drama has no promised review deadline; none may be recorded');
    return {};
  }
  const today = shanghaiDateOf(now);
  if (!deadline || deadline.startedOn !== today || deadline.workingDays !== terms.reviewWorkingDays) {
    throw internalCheck(`the review deadline must be computed for ${terms.reviewWorkingDays} working days from ${today} before the filing is recorded`);
  }
  return { deadline };
}

export function decideFilingSubmission(application: FilingApplication, terms: DramaFilingTerms, now: number, deadline: ReviewDeadline | undefined): DramaFilingEvent[] {
  checkDramaSubmission(application.submission);
  if (terms.filingType !== application.filingType) throw internalCheck(`terms for ${terms.filingType} cannot open a ${application.filingType}`);
  return [
    {
      type: 'FilingSubmitted',
      data: {
        ...application,
        submittedAt: new Date(now).toISOString(),
        submittedOn: shanghaiDateOf(now),
        terms,
        ...checkDeadline(deadline, terms, now, categoryOf(application.submission)),
      },
    },
  ];
}

/**
 * What a resubmission records: the drama stays of the category it was filed as (its review promise
 * is the case's), whatever the form sends.
 */
function resubmittedAs(state: DramaFilingState, submission: DramaSubmission): DramaSubmission {
  const { category: _sent, ...rest } = submission;
  return state.submission?.category ? { ...rest, category: state.submission.category } : rest;
}

/** What each action is called: the case page's label for it (the module's action reads it here) and the refusals that name it. */
export const FILING_ACTION_LABELS: Record<DramaFilingAction['type'], string> = {
  ClaimFiling: '认领审查',
  ReleaseFiling: '交回待认领',
  ApproveFiling: '备案通过',
  ReturnFilingForRevision: '退回修改',
  RejectFiling: '不予备案',
  ResubmitFiling: '修改后重新提交',
};

const SUBMISSION_FIELD_LABELS = { title: '剧名', producer: '制作机构', synopsis: '剧情梗概', platform: '播出平台' } as const;

const AUDITOR_READS_ONLY = { code: 'auditor-read-only', zh: '审计人员只能查看案件，不能办理。', en: 'auditors read cases and change nothing' };
const ADMIN_DOES_NOT_ACT = { code: 'admin-does-not-act', zh: '管理员负责日历和账户，不办理案件。', en: 'administrators manage the calendar; they do not act on cases' };

/** The steps (statuses) at which each action can be taken at all. */
export const STEP_FOR_ACTION: Record<DramaFilingAction['type'], readonly DramaFilingStatus[]> = {
  ClaimFiling: ['awaiting-claim', 'in-review'],
  ReleaseFiling: ['in-review'],
  ApproveFiling: ['in-review'],
  ReturnFilingForRevision: ['in-review'],
  RejectFiling: ['in-review'],
  ResubmitFiling: ['returned'],
};

/**
 * Since 2026-12-06 taking over a filing a colleague holds is said in the request (`takeOver: true`),
 * however it arrives: a supervising official's claim by the API without it is refused (409) naming who
 * holds the filing and how to take it over, where before it silently took the claim (an outside
 * tester's). The queue's 确认接手 and the case page's 确认接手 send it. Take-overs recorded before
 * replay without it.
 */
export const CLAIM_TAKE_OVER_CONFIRMED_PATCH = 'claim-take-over-confirmed';

/** The refusal of a take-over not said in the request: who holds the filing, and how to take it over. */
function takeOverNotConfirmed(state: DramaFilingState, holder: ActorRef): Error {
  const name = claimantWords(state, holder);
  return new DomainError(
    'illegal-state',
    {
      code: 'take-over-not-confirmed',
      zh: `本备案正由 ${name} 认领审查。如需接手，请勾选“确认接手”后再提交：接手后由您审查，${holder.displayName} 不再审查本备案，并会收到通知。`,
      en: `filing ${state.referenceNo} is claimed by ${holder.displayName}; to take it over, send takeOver: true (they are told)`,
      params: { field: 'takeOver', holder: holder.displayName },
    },
    [{ field: 'takeOver', code: 'take-over-not-confirmed', message: `本备案正由 ${name} 认领审查：接手须勾选“确认接手”`, english: 'send takeOver: true to take over a filing someone else has claimed' }],
  );
}

/** Throws unless the action is allowed now, by this actor; update validators call it and record nothing. */
export function ensureFilingActionAllowed(state: DramaFilingState, action: DramaFilingAction, actor: Actor, legacy = false, patched?: (changeId: string) => boolean): void {
  // Before the step: an auditor or an administrator is refused as such, whatever the filing's step.
  if (actor.role === 'auditor') throw forbidden(AUDITOR_READS_ONLY);
  if (actor.role === 'admin') throw forbidden(ADMIN_DOES_NOT_ACT);
  const allowed = STEP_FOR_ACTION[action.type];
  if (!allowed.includes(state.status)) {
    throw illegalState({
      code: 'not-at-this-step',
      zh: `${state.referenceNo ? `备案 ${state.referenceNo} ` : '本备案'}目前处于“${FILING_STATUS_LABELS[state.status]}”，不能办理“${FILING_ACTION_LABELS[action.type]}”：此项只在${allowed.map((s) => `“${FILING_STATUS_LABELS[s]}”`).join('、')}时办理。`,
      en: `${action.type} is not allowed while filing ${state.referenceNo} is at step "${state.status}" (${FILING_STATUS_LABELS[state.status]}); allowed at: ${allowed.join(', ')}`,
      params: { action: action.type, status: state.status, allowed: allowed.join(',') },
    });
  }
  const refusal = actorRefusal(state, action.type, actor, legacy);
  if (refusal) throw refusal.error;
  switch (action.type) {
    case 'ClaimFiling': {
      // A claim someone else holds is taken over only when the request says so; asked of those claims only.
      const holder = state.status === 'in-review' ? currentRound(state)?.reviewer : undefined;
      if (!legacy && holder && holder.accountId !== actor.accountId && action.takeOver !== true && (patched?.(CLAIM_TAKE_OVER_CONFIRMED_PATCH) ?? true)) throw takeOverNotConfirmed(state, holder);
      return;
    }
    case 'ResubmitFiling':
      checkDramaSubmission(action.submission);
      return;
    case 'ReleaseFiling':
      if (action.reason.trim() === '') {
        throw validationError(
          { code: 'reason-required', zh: '交回待认领须写明理由（例如：休假、工作调整），以便接手的审查人了解情况。', en: 'a release gives its reason', params: { field: 'reason' } },
          [{ field: 'reason', message: '请填写交回的理由', code: 'reason-required', english: 'required' }],
        );
      }
      return;
    case 'ReturnFilingForRevision':
    case 'RejectFiling':
      if (action.reasons.length === 0 || action.reasons.some((r) => r.trim() === '')) {
        throw validationError(
          { code: 'list-required', zh: '退回修改或不予备案须写明理由：至少填写一项，且每一项都不能空白。', en: 'a return or a rejection gives its reasons: at least one, none blank', params: { field: 'reasons' } },
          [{ field: 'reasons', message: '至少填写一项理由，且每一项都不能空白', code: 'list-required', english: 'at least one non-blank reason' }],
        );
      }
  }
}

/**
 * Since 2026-12-05 the supervising official (分管领导) claiming an unclaimed filing records it
 * (`claimedAs`), as a take-over always said it (`takenOverFrom`): a colleague is told that the supervisor
 * has it, not asked to have the supervisor take it over, and the case page names the claimant as the
 * supervisor. Claims recorded before carry nothing, and their histories replay so.
 */
export const FILING_CLAIM_RECORDS_DUTY_PATCH = 'filing-claim-records-duty';

/** The claimant as a refusal names them: the supervising official as such. */
function claimantWords(state: DramaFilingState, reviewer: ActorRef): string {
  return heldBySupervisor(currentRound(state)) ? `分管领导 ${reviewer.displayName}` : reviewer.displayName;
}

/** Whether this official holds the claim on the filing's review now: claiming it again is nothing to do. */
export function holdsClaim(state: DramaFilingState, actor: Actor): boolean {
  return state.status === 'in-review' && currentRound(state)?.reviewer?.accountId === actor.accountId;
}

/**
 * Who may take an action of this type on this filing (the step aside): its applicant resubmits;
 * an official of the reviewing department claims it, and once it is claimed only the claimant
 * decides it, or the supervising official after it was escalated. The supervising official may take
 * a claimed filing over at any time — its reviewer has left, is away, or was disabled — so that the
 * 2- and 5-working-day promise can still be kept (before 2026-12-04, `legacy`, only once escalated).
 * One rule, in two languages: the error the workflow refuses with, and the reason the UI shows
 * beside a disabled action.
 */
export function actorRefusal(state: DramaFilingState, type: DramaFilingAction['type'], actor: Actor, legacy = false): Refusal | undefined {
  if (actor.role === 'auditor') return asRefusal('forbidden', AUDITOR_READS_ONLY);
  if (actor.role === 'admin') return asRefusal('forbidden', ADMIN_DOES_NOT_ACT);
  const department = state.terms?.reviewingDepartment ?? 'culture-tourism';
  const departmentName = DEPARTMENTS[department];
  const round = currentRound(state);
  const reviewer = round?.reviewer;
  switch (type) {
    case 'ResubmitFiling':
      if (actor.role !== 'applicant' || actor.accountId !== state.applicant?.accountId) {
        return asRefusal('forbidden', { code: 'applicant-only', zh: '只有本备案的申请人可以修改后重新提交。', en: `only the applicant of filing ${state.referenceNo} may resubmit it`, params: { action: type } });
      }
      return undefined;
    case 'ClaimFiling':
      if (!isOfficialOf(actor, department)) {
        return asRefusal('forbidden', { code: 'department-official-only', zh: `备案由${departmentName}审查人员认领审查。`, en: `filings are reviewed by officials of ${departmentName}`, params: { department } });
      }
      // Claiming an unclaimed filing is open to every official of the department; taking one over is not.
      if (state.status !== 'in-review') return undefined;
      if (holdsClaim(state, actor)) {
        return asRefusal('illegal-state', { code: 'already-claimed', zh: '您已认领本备案。', en: `${actor.displayName} has already claimed filing ${state.referenceNo}` });
      }
      if (!(isSupervisorOf(actor, department) && (round?.escalatedAt || !legacy))) {
        return asRefusal('illegal-state', {
          code: 'claimed-by-another',
          // A claim the supervising official holds (taken over, or claimed unclaimed): asking them to take it over is asking who already has.
          zh: heldBySupervisor(round) && reviewer
            ? `本备案已由分管领导 ${reviewer.displayName} ${round?.takenOverFrom ? '接手' : '认领'}办理，不能再认领。`
            : legacy
            ? `本备案由 ${reviewer?.displayName ?? '其他审查人'} 审查中；超期上报后，仅分管领导可以接手。`
            : `本备案由 ${reviewer?.displayName ?? '其他审查人'} 审查中；如需改由他人审查，请分管领导接手，或由认领人（或分管领导）交回待认领后再认领。`,
          en: `filing ${state.referenceNo} is being reviewed by ${reviewer?.displayName ?? 'another reviewer'}; only the supervising official may take it over`,
        });
      }
      return undefined;
    case 'ReleaseFiling': {
      // The system hands back the claims of a reviewer who can no longer review (disabled, moved, no longer an official): api/filings-of-departed-reviewers.ts.
      if (actor.role === 'system') return undefined;
      if (!isOfficialOf(actor, department)) {
        return asRefusal('forbidden', { code: 'department-official-only', zh: `备案由${departmentName}审查人员办理。`, en: `filings are handled by officials of ${departmentName}`, params: { department } });
      }
      // The claimant hands back their own claim; the supervising official any claim (its reviewer is away, and another should review it).
      if (reviewer?.accountId === actor.accountId || isSupervisorOf(actor, department)) return undefined;
      return asRefusal('forbidden', {
        code: 'claimant-releases',
        zh: `本备案由 ${reviewer ? claimantWords(state, reviewer) : '其他审查人'} 认领，只有认领人或分管领导可以交回待认领。`,
        en: `filing ${state.referenceNo} is handed back by the reviewer who claimed it (${reviewer?.displayName ?? 'nobody'}) or by the supervising official`,
      });
    }
    default: {
      if (!isOfficialOf(actor, department)) {
        return asRefusal('forbidden', { code: 'department-official-only', zh: `备案由${departmentName}审查人员作出决定。`, en: `filings are decided by officials of ${departmentName}`, params: { department } });
      }
      const isReviewer = reviewer?.accountId === actor.accountId;
      const supervisorOfEscalated = isSupervisorOf(actor, department) && round?.escalatedAt !== undefined;
      if (isReviewer || supervisorOfEscalated) return undefined;
      return asRefusal('forbidden', {
        code: reviewer ? 'claimant-decides' : 'claim-first',
        en: `filing ${state.referenceNo} is decided by the reviewer who claimed it (${reviewer?.displayName ?? 'nobody yet'}), or by the supervising official once it is escalated`,
        zh: !reviewer
          ? '请先认领，再作出决定。'
          : round?.escalatedAt
            ? `本备案由 ${claimantWords(state, reviewer)} 认领，已超期上报；只有认领人或分管领导可以作出决定。`
            : `本备案由 ${claimantWords(state, reviewer)} 认领，只有认领人（或超期上报后的分管领导）可以作出决定。`,
      });
    }
  }
}

export function decideFilingAction(state: DramaFilingState, action: DramaFilingAction, context: FilingActionContext): DramaFilingEvent[] {
  const { actor, now } = context;
  ensureFilingActionAllowed(state, action, actor, context.legacy === true, context.patched);
  const at = new Date(now).toISOString();
  const by: ActorRef = { accountId: actor.accountId, displayName: actor.displayName };
  const round = currentRound(state)!.round;
  switch (action.type) {
    case 'ClaimFiling': {
      const previous = currentRound(state)?.reviewer;
      // The supervising official claiming an unclaimed filing says so (a take-over says it by whom it was taken from).
      // Asked of those claims only: a reviewer's claim and a take-over record what they always did.
      const asSupervisor = !previous && isSupervisorOf(actor, state.terms?.reviewingDepartment ?? 'culture-tourism') && (context.patched?.(FILING_CLAIM_RECORDS_DUTY_PATCH) ?? true);
      return [{ type: 'FilingClaimed', data: { by, round, claimedAt: at, ...(previous ? { takenOverFrom: previous } : {}), ...(asSupervisor ? { claimedAs: 'supervisor' as const } : {}) } }];
    }
    case 'ReleaseFiling':
      return [{ type: 'FilingClaimReleased', data: { by, round, from: currentRound(state)!.reviewer!, reason: action.reason.trim(), releasedAt: at } }];
    case 'ApproveFiling':
      return [{ type: 'FilingApproved', data: { by, round, notes: action.notes, decidedAt: at } }];
    case 'ReturnFilingForRevision':
      return [{ type: 'FilingReturnedForRevision', data: { by, round, reasons: action.reasons, returnedAt: at } }];
    case 'RejectFiling':
      return [{ type: 'FilingRejected', data: { by, round, reasons: action.reasons, decidedAt: at } }];
    case 'ResubmitFiling':
      return [
        {
          type: 'FilingResubmitted',
          data: {
            by,
            round: round + 1,
            submission: resubmittedAs(state, action.submission),
            changeNote: action.changeNote,
            resubmittedAt: at,
            submittedOn: shanghaiDateOf(now),
            ...checkDeadline(context.deadline, state.terms!, now, categoryOf(state.submission)),
          },
        },
      ];
  }
}

/** The instants at which time alone changes the filing: the reminder and the deadline of the running clock. */
function timeThresholds(state: DramaFilingState): { at: number; kind: 'reminder' | 'breach' }[] {
  const round = currentRound(state);
  if (!round?.deadline || !isClockRunning(state) || round.breachedAt) return [];
  const thresholds: { at: number; kind: 'reminder' | 'breach' }[] = [];
  // At 00:00 Shanghai at the start of the last working day: the reviewer has that day left.
  if (!round.remindedAt) thresholds.push({ at: startOfShanghaiDay(round.deadline.lastWorkingDay), kind: 'reminder' });
  thresholds.push({ at: Date.parse(round.deadline.deadlineAt), kind: 'breach' });
  return thresholds;
}

export function nextFilingThreshold(state: DramaFilingState): number | undefined {
  const instants = timeThresholds(state).map((t) => t.at);
  return instants.length === 0 ? undefined : Math.min(...instants);
}

/** Events caused by time having reached `now`. A reminder is not sent once the deadline itself has passed. */
export function decideFilingTimeElapsed(state: DramaFilingState, now: number): DramaFilingEvent[] {
  const round = currentRound(state);
  const due = timeThresholds(state).filter((t) => t.at <= now);
  if (!round?.deadline || due.length === 0) return [];
  const at = new Date(now).toISOString();
  const { lastWorkingDay, deadlineAt } = round.deadline;
  const department = state.terms?.reviewingDepartment ?? 'culture-tourism';
  if (due.some((t) => t.kind === 'breach')) {
    return [
      { type: 'ReviewSlaBreached', data: { round: round.round, reviewer: round.reviewer ?? null, lastWorkingDay, deadlineAt, at } },
      {
        type: 'FilingEscalated',
        data: {
          round: round.round,
          to: { role: 'official', department, duty: 'supervisor' },
          reason: `未在 ${round.deadline.workingDays} 个工作日内（${lastWorkingDay} 24:00 前）完成审查反馈`,
          at,
        },
      },
    ];
  }
  return [{ type: 'ReviewReminderSent', data: { round: round.round, to: round.reviewer ?? null, department, lastWorkingDay, deadlineAt, at } }];
}

/**
 * The running round's deadline, when a year loaded counts it again (domain/time/recount.ts): a
 * provisional one, or, with `corrections`, one counted through the year loaded and not yet breached.
 */
export function deadlineDueRecount(state: DramaFilingState, reason: Pick<RecomputeReason, 'calendarYear'>, corrections = false): ReviewDeadline | undefined {
  const round = currentRound(state);
  if (!round?.deadline || !isClockRunning(state)) return undefined;
  if (round.deadline.provisional) return round.deadline;
  return !round.breachedAt && recountDue(round.deadline, reason, corrections) ? round.deadline : undefined;
}

/** A recounted deadline is recorded with its old and new values, and only when something changed; a final one only moves later. */
export function decideDeadlineRecomputed(state: DramaFilingState, recomputed: ReviewDeadline, reason: RecomputeReason, now: number, corrections = false): DramaFilingEvent[] {
  const deadline = deadlineDueRecount(state, reason, corrections);
  if (!deadline) return [];
  if (recomputed.startedOn !== deadline.startedOn || recomputed.workingDays !== deadline.workingDays) {
    throw internalCheck(`a recomputed deadline must count ${deadline.workingDays} working days from ${deadline.startedOn}`);
  }
  if (sameDeadline(deadline, recomputed) || !recountReplaces(deadline, recomputed, corrections ? reason.calendarYear : undefined)) return [];
  return [{ type: 'DeadlineRecomputed', data: { round: currentRound(state)!.round, previous: deadline, current: recomputed, reason, at: new Date(now).toISOString() } }];
}

export interface FilingNextStep {
  status: DramaFilingStatus;
  label: string;
  waitingFor: { role: 'applicant' | 'official'; department?: Department; accountId?: string; note: string } | null;
  deadline?: { kind: 'filing-review'; dueOn: LocalDate; at: string; provisional: boolean };
  /** Past its deadline without a decision: escalated to the supervising official. */
  flagged: boolean;
}

export function filingNextStep(state: DramaFilingState): FilingNextStep {
  const round = currentRound(state);
  const base = { status: state.status, label: FILING_STATUS_LABELS[state.status], flagged: false };
  const department = state.terms?.reviewingDepartment ?? 'culture-tourism';
  const deadline = round?.deadline ? { kind: 'filing-review' as const, dueOn: round.deadline.lastWorkingDay, at: round.deadline.deadlineAt, provisional: round.deadline.provisional } : undefined;
  const overdue = round?.breachedAt ? '；已超期，已上报分管领导' : '';
  switch (state.status) {
    case 'awaiting-claim':
      return { ...base, flagged: Boolean(round?.breachedAt), deadline, waitingFor: { role: 'official', department, note: `${DEPARTMENTS[department]}审查人员认领${overdue}` } };
    case 'in-review':
      return {
        ...base,
        flagged: Boolean(round?.breachedAt),
        deadline,
        waitingFor: { role: 'official', department, ...(round?.reviewer ? { accountId: round.reviewer.accountId } : {}), note: `${heldBySupervisor(round) ? '分管领导 ' : ''}${round?.reviewer?.displayName ?? ''} 审查${overdue}` },
      };
    case 'returned':
      return { ...base, waitingFor: { role: 'applicant', note: `申请人按退回意见修改后重新提交：${state.reasons.join('；')}` } };
    default:
      return { ...base, waitingFor: null };
  }
}

export function filingTypeLabel(filingType: DramaFilingType): string {
  return DRAMA_FILING_TYPES[filingType].zh;
}
