import { z } from 'zod';
import type { Actor } from '../domain/cases/actor.js';
import type { Department } from '../domain/cases/actor.js';
import { openStatuses, withAttachedDocuments } from './attach-documents-action.js';
import type { DramaFilingAction } from '../domain/drama-filing/commands.js';
import {
  actorRefusal,
  holdsClaim,
  deadlineDueRecount,
  decideDeadlineRecomputed,
  decideFilingAction,
  decideFilingSubmission,
  decideFilingTimeElapsed,
  ensureFilingActionAllowed,
  FILING_STATUS_LABELS,
  filingNextStep,
  type FilingNextStep,
  nextFilingThreshold,
  STEP_FOR_ACTION,
  FILING_ACTION_LABELS,
} from '../domain/drama-filing/decide.js';
import type { ActorRef } from '../domain/chuying/events.js';
import { filingTitleKey, ONE_OPEN_FILING_PATCH, RESUBMISSION_CLAIMS_TITLE_PATCH, secondFilingRefusal } from '../domain/drama-filing/one-open-filing.js';
import type { DramaFilingEvent, DramaSubmission, ReviewDeadline } from '../domain/drama-filing/events.js';
import { currentRound, evolveDramaFiling, heldBySupervisor, initialDramaFilingState, isFilingTerminal, type DramaFilingState, type ReviewOutcome } from '../domain/drama-filing/state.js';
import { categoryOf, DRAMA_CATEGORIES, DRAMA_FILING_TYPES, promisesReviewDeadline, type DramaCategory, type DramaFilingTerms, type DramaFilingType } from '../domain/drama-filing/terms.js';
import { formatShanghaiInstant, shanghaiDateOf, type LocalDate } from '../domain/time/local-date.js';
import { letterForDramaFiling } from '../domain/decisions/case-letters.js';
import { describeDeadline } from '../domain/time-limits/step-time-limit.js';
import type { CaseAction, CaseLookups, CaseModule, CaseReadModel, CaseRow } from './case-module.js';
import { documentReferences, minutesPerEpisode, optionalText, reasonLines, text } from './fields.js';

/**
 * The two micro-drama filings of 沪8条 (规划备案 and 完成片上线备案): a producer files, an official of
 * 市文旅局 claims and reviews it within the filing's working days (reminded at the start of the last
 * one, escalated to the supervising official at 24:00 that day), and approves, rejects or returns
 * it; a returned filing is resubmitted and a new review clock starts.
 */

export interface DramaFilingInput {
  caseId: string;
  referenceNo: string;
  filingType: DramaFilingType;
  applicant: Actor;
  submission: DramaSubmission;
  terms: DramaFilingTerms;
  requestId: string;
}

type Type = DramaFilingAction['type'];
type FilingAction = CaseAction<DramaFilingState, DramaFilingAction>;

/**
 * What a producer files, with the form's labels, in the order the filing form asks for them: the
 * resubmission's form, and the opening route's body with the category added (api/schemas/drama-filing.schemas.ts).
 */
export const dramaSubmissionFields = z.strictObject({
  title: text(200).meta({ title: '剧名' }),
  producer: text(200).meta({ title: '制作机构' }),
  episodeCount: z.int('集数应为整数').min(1, '至少 1 集').max(10_000, '最多 10,000 集').meta({ title: '集数' }),
  episodeLengthMinutes: minutesPerEpisode.meta({ title: '单集时长（分钟）' }),
  platform: text(100).meta({ title: '播出平台', description: '例如：抖音、快手、红果短剧' }),
  aiGenerated: z.boolean('请选择是否使用生成式人工智能制作').meta({ title: '使用生成式人工智能制作' }),
  synopsis: text(5000).meta({ title: '剧情梗概' }),
  documents: documentReferences('备案材料'),
});

/** The filing as its resubmission form starts: without the category (the case's), its files by their ids as the form sends them. */
function withoutCategory(submission: DramaSubmission): Omit<DramaSubmission, 'category' | 'documents'> & { documents?: { documentId: string }[] } {
  const { category: _kept, documents, ...rest } = submission;
  return { ...rest, ...(documents?.length ? { documents: documents.map(({ documentId }) => ({ documentId })) } : {}) };
}

/** What the case page says of a 重点 drama's review time: source 004 promises none. */
const KEY_DRAMA_NO_PROMISE = '重点微短剧：沪8条只对普通微短剧承诺工作日随报随审时限，本备案无承诺审查时限';


/** An action on a filing: its step table and who may take it come from the decider (domain/drama-filing/decide.ts). */
function action(type: Type, declaration: Omit<FilingAction, 'type' | 'at' | 'availability'>): FilingAction {
  return {
    ...declaration,
    type,
    at: STEP_FOR_ACTION[type],
    availability: (state, actor) => actorRefusal(state, type, actor)?.zh,
  };
}

/** Since 2026-12-04 the supervising official may take over any claimed filing, escalated or not. */
export const SUPERVISOR_TAKES_OVER_ANY_CLAIM_PATCH = 'supervisor-takes-over-any-claim';

/** The route grant of the reviewers' actions: the reviewers and the supervising official of 市文旅局. */
export const FILING_OFFICIALS = { official: { duties: ['reviewer', 'supervisor'], departments: ['culture-tourism'] } } as const;

export const DRAMA_FILING_ACTIONS: readonly FilingAction[] = [
  action('ClaimFiling', {
    name: 'claim',
    update: 'claimFiling',
    label: FILING_ACTION_LABELS.ClaimFiling,
    submit: '认领',
    done: '已认领，请在期限内反馈。',
    summary: '市文旅局 reviewer: claim a filing for review (the supervising official may take over one claimed by someone else: its reviewer left, is away or was disabled)',
    body: z.strictObject({
      takeOver: z.boolean('“确认接手”应为是或否').optional().meta({ title: '确认接手', description: '本备案已由他人认领时须勾选：接手后由您审查，原审查人不再审查，并会收到通知' }),
    }),
    // A plain claim is the command it always was; a take-over says so (CLAIM_TAKE_OVER_CONFIRMED_PATCH).
    toCommand: (b) => ({ type: 'ClaimFiling', ...(b.takeOver === true ? { takeOver: true as const } : {}) }),
    // Asked only where it means something: a filing someone has claimed.
    notAsked: (state) => (state.status === 'in-review' ? [] : ['takeOver']),
    who: FILING_OFFICIALS,
    // Only the supervising official may claim a filing someone holds: say that it is a taking over (an outside tester took one unawares).
    explain: (state) => {
      const holder = state.status === 'in-review' ? currentRound(state)?.reviewer : undefined;
      return holder ? `本备案正由${holder.displayName}审查。认领即接手：此后由您审查，${holder.displayName}不再审查本备案，并会收到通知。请勾选“确认接手”后提交。` : undefined;
    },
    alreadyTaken: holdsClaim,
    // Before this change only an escalated filing could be taken over: claims recorded then replay so.
    legacyBeforePatch: SUPERVISOR_TAKES_OVER_ANY_CLAIM_PATCH,
  }),
  action('ReleaseFiling', {
    name: 'release',
    update: 'releaseFiling',
    label: FILING_ACTION_LABELS.ReleaseFiling,
    submit: '交回',
    done: '已交回待认领：本科室审查人员可以认领，审查期限不变。',
    summary: 'The reviewer who claimed it, or the supervising official: hand the filing back to the department’s queue (交回待认领) with a reason — leave, a change of work — so that another reviewer claims it; the review deadline does not move',
    body: z.strictObject({ reason: text(500).meta({ title: '交回理由', description: '例如：休假，请其他审查人员认领' }) }),
    toCommand: (b) => ({ type: 'ReleaseFiling', reason: b.reason as string }),
    who: FILING_OFFICIALS,
  }),
  action('ApproveFiling', {
    name: 'approve',
    update: 'approveFiling',
    label: FILING_ACTION_LABELS.ApproveFiling,
    submit: '通过',
    done: '备案已通过。',
    summary: 'The reviewer who claimed it (or the supervising official once escalated): approve the filing',
    body: z.strictObject({ notes: optionalText(2000).meta({ title: '审查意见（可选）' }) }),
    toCommand: (b) => ({ type: 'ApproveFiling', notes: b.notes as string }),
    who: FILING_OFFICIALS,
  }),
  action('ReturnFilingForRevision', {
    name: 'return-for-revision',
    update: 'returnFilingForRevision',
    label: FILING_ACTION_LABELS.ReturnFilingForRevision,
    done: '已退回修改。',
    summary: 'The reviewer: return for revision (退回修改) with reasons; the review clock stops',
    body: z.strictObject({ reasons: reasonLines('需修改的内容') }),
    toCommand: (b) => ({ type: 'ReturnFilingForRevision', reasons: b.reasons as string[] }),
    who: FILING_OFFICIALS,
  }),
  action('RejectFiling', {
    name: 'reject',
    update: 'rejectFiling',
    label: FILING_ACTION_LABELS.RejectFiling,
    done: '已记录不予备案及理由。',
    tone: 'danger',
    summary: 'The reviewer: reject the filing, with reasons',
    body: z.strictObject({ reasons: reasonLines('不予备案的理由') }),
    toCommand: (b) => ({ type: 'RejectFiling', reasons: b.reasons as string[] }),
    who: FILING_OFFICIALS,
  }),
  action('ResubmitFiling', {
    name: 'resubmit',
    update: 'resubmitFiling',
    label: FILING_ACTION_LABELS.ResubmitFiling,
    submit: '重新提交',
    done: '已重新提交，新的审查期限已开始计算。',
    summary: 'Producer: resubmit a returned filing; a new review clock starts',
    body: z.strictObject({ filing: dramaSubmissionFields.meta({ title: '备案内容' }), changeNote: optionalText(2000).meta({ title: '修改说明' }) }),
    toCommand: (b) => ({ type: 'ResubmitFiling', submission: b.filing as DramaSubmission, changeNote: b.changeNote as string }),
    who: { applicant: true },
    // The category is the case's, asked at the first filing only: a resubmission keeps it (the decider restores it).
    prefill: (state) => ({ ...(state.submission ? { filing: withoutCategory(state.submission) } : {}), changeNote: '' }),
    explain: (state) => (state.reasons.length > 0 ? `退回修改意见：${state.reasons.join('；')}` : undefined),
  }),
];

/** A review clock of the filing's working days from the Shanghai day of `now`, by the calendar look-up. */
function reviewDeadlineFrom(now: number, workingDays: number, lookups: CaseLookups): Promise<ReviewDeadline> {
  return lookups.computeReviewDeadline({ startedOn: shanghaiDateOf(now), workingDays });
}

/** The programme a filing belongs to, as the case list and the case page name it. */
export function filingProgramme(filingType: DramaFilingType): { zh: string; en: string } {
  return { zh: `AI 微短剧沪8条 · ${DRAMA_FILING_TYPES[filingType].zh}`, en: DRAMA_FILING_TYPES[filingType].en };
}

/** One review clock as the case page lists it; instants as recorded (ISO, UTC), null until they happen. */
export type FilingRoundDetails = {
  round: number;
  submittedAt: string;
  submittedOn: LocalDate;
  /** Null for a 重点 drama: source 004 promises no review time for it. */
  workingDays: number | null;
  lastWorkingDay: LocalDate | null;
  deadlineAt: string | null;
  provisional: boolean;
  reviewer: ActorRef | null;
  /** The reviewer holds the claim as the supervising official (分管领导); absent for a reviewer's own claim. */
  reviewerDuty?: 'supervisor';
  remindedAt: string | null;
  breachedAt: string | null;
  escalatedAt: string | null;
  endedAt: string | null;
  outcome: ReviewOutcome | null;
};

/** What people see of a filing beyond its `cases` columns: the filing's `details`, written by its projection and read by its `view`. */
export type DramaFilingDetails = {
  waitingFor: FilingNextStep['waitingFor'];
  deadline: NonNullable<FilingNextStep['deadline']> | null;
  /** Past its deadline without a decision: escalated to the supervising official. */
  flagged: boolean;
  /** 普通 or 重点 (issue 14); absent from a row projected before, which was 普通. */
  category?: DramaCategory;
  filing: DramaSubmission | null;
  /** Why the last decision returned or rejected the filing. */
  reasons: string[];
  decidedBy: ActorRef | null;
  rounds: FilingRoundDetails[];
};

/** The filing's row in the read model: no money, no programme of the catalogue, as filings have always been projected. */
export function dramaFilingReadModel(state: DramaFilingState): CaseReadModel {
  const step = filingNextStep(state);
  const details: DramaFilingDetails = {
    waitingFor: step.waitingFor,
    deadline: step.deadline ?? null,
    flagged: step.flagged,
    category: categoryOf(state.submission),
    filing: state.submission ?? null,
    reasons: state.reasons,
    decidedBy: state.decidedBy ?? null,
    rounds: state.rounds.map((r) => ({
      round: r.round,
      submittedAt: r.submittedAt,
      submittedOn: r.submittedOn,
      workingDays: r.deadline?.workingDays ?? null,
      lastWorkingDay: r.deadline?.lastWorkingDay ?? null,
      deadlineAt: r.deadline?.deadlineAt ?? null,
      provisional: r.deadline?.provisional ?? false,
      reviewer: r.reviewer ?? null,
      ...(heldBySupervisor(r) ? { reviewerDuty: 'supervisor' as const } : {}),
      remindedAt: r.remindedAt ?? null,
      breachedAt: r.breachedAt ?? null,
      escalatedAt: r.escalatedAt ?? null,
      endedAt: r.endedAt ?? null,
      outcome: r.outcome ?? null,
    })),
  };
  return {
    referenceNo: state.referenceNo,
    applicantAccountId: state.applicant?.accountId ?? '',
    // The account that filed, not the 制作机构 it typed: an outsider filed forty dramas under another
    // company's name, and the queue showed that company as their applicant (the producer stays on the case page).
    applicantName: state.applicant?.displayName ?? state.submission?.producer ?? '',
    status: state.status,
    statusLabel: step.label,
    waitingFor: step.waitingFor,
    requestedFen: 0,
    approvedFen: null,
    outstandingFen: 0,
    nextDeadlineAt: step.deadline?.at ?? null,
    programmeId: null,
    department: state.terms?.reviewingDepartment ?? null,
    departments: [state.terms?.reviewingDepartment ?? 'culture-tourism'],
    sourceCaseId: null,
    decidedOn: null,
    details,
  };
}

/** 24:00 Shanghai and the other instants of a filing are shown with +08:00. */
const shanghai = (iso: string | null) => (iso === null ? null : formatShanghaiInstant(Date.parse(iso)));

/** A drama filing as its producer and the reviewers see it: the step, the review clock, every round. */
function filingView(row: CaseRow): Record<string, unknown> {
  const d = row.details as DramaFilingDetails;
  const category = d.category ?? 'ordinary';
  return {
    programme: filingProgramme(row.case_type as DramaFilingType),
    waitingFor: d.waitingFor,
    // Provisional while a year the clock reaches has no loaded holiday arrangement.
    deadline: d.deadline ? { ...d.deadline, at: shanghai(d.deadline.at) } : null,
    flagged: d.flagged,
    category,
    filing: d.filing,
    reasons: d.reasons,
    decidedBy: d.decidedBy,
    rounds: d.rounds.map((r) => ({
      round: r.round,
      submittedAt: shanghai(r.submittedAt),
      submittedOn: r.submittedOn,
      workingDays: r.workingDays,
      lastWorkingDay: r.lastWorkingDay,
      deadline: shanghai(r.deadlineAt),
      provisional: r.provisional,
      reviewer: r.reviewer,
      reviewerDuty: r.reviewerDuty ?? null,
      remindedAt: shanghai(r.remindedAt),
      breachedAt: shanghai(r.breachedAt),
      escalatedAt: shanghai(r.escalatedAt),
      endedAt: shanghai(r.endedAt),
      outcome: r.outcome,
    })),
    // Fields of the types added since issue 11 that a filing's view never had.
    requestedAmountFen: undefined,
    outstandingFen: undefined,
    department: undefined,
    sourceCaseId: undefined,
    // What the case is, in words: the case page's facts card.
    overview: [
      { label: '剧名', value: d.filing?.title ?? '' },
      // Who filed it beside the 制作机构 it names: the reviewer sees both (api/views/producer-check.ts notes a mismatch).
      { label: '申请人', value: row.applicant_name },
      { label: '制作机构', value: d.filing?.producer ?? '' },
      { label: '集数 / 单集时长', value: `${d.filing?.episodeCount ?? ''} 集 / ${d.filing?.episodeLengthMinutes ?? ''} 分钟` },
      { label: '播出平台', value: d.filing?.platform ?? '' },
      { label: '使用生成式人工智能制作', value: d.filing?.aiGenerated ? '是' : '否' },
      { label: '剧情梗概', value: d.filing?.synopsis ?? '' },
      { label: '微短剧类别', value: DRAMA_CATEGORIES[category] },
      // The 2- or 5-working-day promise, as every case type shows its step's time limit.
      ...(d.deadline ? [{ label: '办理时限', value: describeDeadline(d.deadline, '备案审查反馈') }] : []),
      ...(promisesReviewDeadline(category) || d.waitingFor?.role !== 'official' ? [] : [{ label: '办理时限', value: KEY_DRAMA_NO_PROMISE }]),
    ],
  };
}

const dramaFilingModule: CaseModule<DramaFilingState, DramaFilingEvent, DramaFilingAction, DramaFilingInput> = {
  caseType: 'drama-filing',
  streamTypes: ['drama-planning-filing', 'drama-release-filing'],
  streamTypeOf: (input) => input.filingType,
  workflowType: 'dramaFilingWorkflow',
  stateQuery: 'dramaFilingState',
  name: '微短剧备案',

  initialState: initialDramaFilingState,
  evolve: evolveDramaFiling,
  isTerminal: isFilingTerminal,

  async open(input, ask) {
    // The submission is decided with the instant read before the deadline look-up, as it always was.
    const now = ask.now();
    const { caseId, referenceNo, filingType, applicant, submission, terms } = input;
    // Since ONE_OPEN_FILING_PATCH: the filing claims its title; a second of the same title while the first is open is refused, recording nothing.
    if (ask.patched(ONE_OPEN_FILING_PATCH)) {
      const claim = await ask.lookups.claimDramaFiling({ applicantAccountId: applicant.accountId, filingType, titleKey: filingTitleKey(submission.title), caseId, referenceNo });
      if (!claim.granted) throw secondFilingRefusal(filingType, claim.heldBy);
    }
    // A 重点 drama's review has no promised time (source 004): nothing to count. Histories before the category are all 普通.
    const deadline = promisesReviewDeadline(categoryOf(submission)) ? await reviewDeadlineFrom(now, terms.reviewWorkingDays, ask.lookups) : undefined;
    return decideFilingSubmission({ caseId, referenceNo, filingType, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, submission }, terms, now, deadline);
  },

  actions: DRAMA_FILING_ACTIONS,
  check: (state, command, { actor, legacy, patched }) => ensureFilingActionAllowed(state, command, actor, legacy, patched),
  decide: (command, state, { actor, now, prepared, legacy, patched }) =>
    // A resubmission is decided at the instant its new clock was computed from (recorded histories say so).
    decideFilingAction(state, command, { actor, now: (prepared.decidedAt as number | undefined) ?? now, deadline: prepared.deadline as ReviewDeadline | undefined, legacy, ...(patched ? { patched } : {}) }),
  async prepare(command, state, ask) {
    if (command.type !== 'ResubmitFiling') return {};
    // Resubmitted under a new title, it claims that title as a new filing would (a second outside tester
    // renamed a returned filing to the title of another open one). Asked only where the title changes.
    const { applicant, filingType, submission } = state;
    const titleKey = filingTitleKey(command.submission.title);
    if (applicant && filingType && submission && titleKey !== filingTitleKey(submission.title) && ask.patched(RESUBMISSION_CLAIMS_TITLE_PATCH)) {
      const claim = await ask.lookups.claimDramaFiling({ applicantAccountId: applicant.accountId, filingType, titleKey, caseId: ask.caseId, referenceNo: state.referenceNo });
      if (!claim.granted) throw secondFilingRefusal(filingType, claim.heldBy);
    }
    const now = ask.now();
    if (!promisesReviewDeadline(categoryOf(state.submission))) return { decidedAt: now };
    const deadline = await reviewDeadlineFrom(now, state.terms!.reviewWorkingDays, ask.lookups);
    return { deadline, decidedAt: now };
  },

  nextThreshold: nextFilingThreshold,
  onThreshold: decideFilingTimeElapsed,
  calendar: {
    async recompute(state, reason, ask, corrections) {
      const deadline = deadlineDueRecount(state, reason, corrections);
      if (!deadline) return [];
      const recomputed = await ask.lookups.computeReviewDeadline({ startedOn: deadline.startedOn, workingDays: deadline.workingDays });
      return decideDeadlineRecomputed(state, recomputed, reason, ask.now(), corrections);
    },
  },

  statuses: FILING_STATUS_LABELS,
  nextStep: filingNextStep,
  // A filing belongs to no funding programme: its type is the case type, and no ProgrammeId is set.
  searchView: (state, input) => ({
    caseType: input.filingType,
    status: state.status,
    referenceNo: state.referenceNo ?? input.referenceNo,
    department: input.terms.reviewingDepartment,
    nextDeadline: nextFilingThreshold(state),
  }),
  describe: (state) => ({ zh: `备案 ${state.referenceNo}`, en: `filing ${state.referenceNo}` }),
  decisionLetter: letterForDramaFiling,
  readModel: dramaFilingReadModel,
  view: filingView,
};

/** 附加材料 (issue 14): officials of the reviewing department, while the filing is open. */
export const dramaFilingCase = withAttachedDocuments(dramaFilingModule, {
  at: openStatuses(FILING_STATUS_LABELS, ['approved', 'rejected', 'not-submitted']),
  departmentsOf: (state) => dramaFilingReadModel(state).departments as Department[],
});
