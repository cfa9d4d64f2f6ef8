import { APPLICATION_STATUS_LABELS } from '../applications/decide.js';
import { findProgrammeAt } from '../applications/terms.js';
import { findProgramme } from '../programmes/catalogue.js';
import { stackingViolations, type LedgerAward } from '../programmes/stacking.js';
import { shanghaiDateOf, type LocalDate } from '../time/local-date.js';
import { SYSTEM_ACTOR, type Actor } from '../cases/actor.js';
import { forbidden, illegalState, notFound, type DomainError } from '../errors.js';
import { formatFen, type Fen } from '../money/fen.js';
import type { MemberAccount, PanelCommand, PanelContext } from '../panels/commands.js';
import { decidePanel, ensurePanelCommandAllowed, panelRefusal, PROPOSAL_BEFORE_LOOK_UP } from '../panels/decide.js';
import type { PanelApplication, PanelEvent, PanelMember, ProposedAward } from '../panels/events.js';
import { evolvePanel, type PanelState } from '../panels/state.js';
import type { CallPanelCommand, CallPanelCommandType } from './commands.js';
import type { CallEvent } from './events.js';
import { formatShanghaiMinute } from './shanghai-time.js';
import { closedBeforeOpening, closedWithNothingToReview, type CallState, type CallStatus } from './state.js';

/**
 * The panel (评审组) of a competitive call, as the call takes it: the pure panel rules
 * (domain/panels/) with what only the call knows — whether it is competitive, where it stands, its
 * department, quota and budget — and what is looked up before deciding: the members' accounts, an
 * application touched for the first time, what remains of the budget.
 */

export const CALL_PANEL_COMMAND_TYPES: readonly CallPanelCommandType[] = [
  'NamePanel',
  'AddPanelMember',
  'DeclareNoConflict',
  'DeclareConflict',
  'SubmitScore',
  'ProposeList',
  'ReturnList',
  'ApproveBatch',
];

export const isCallPanelCommandType = (type: string): type is CallPanelCommandType => (CALL_PANEL_COMMAND_TYPES as readonly string[]).includes(type);
export const isCallPanelCommand = (command: { type: string }): command is CallPanelCommand => isCallPanelCommandType(command.type);

/**
 * The call's steps at which each panel command can be taken at all. The panel may be named and
 * score while applications still come in; the list is ranked only once the call takes no more,
 * so that every application of the batch competes in it.
 */
export const CALL_PANEL_STEPS: Record<CallPanelCommandType, readonly CallStatus[]> = {
  NamePanel: ['approved', 'ended', 'closed'],
  AddPanelMember: ['approved', 'ended', 'closed'],
  DeclareNoConflict: ['approved', 'ended', 'closed'],
  DeclareConflict: ['approved', 'ended', 'closed'],
  SubmitScore: ['approved', 'ended', 'closed'],
  ProposeList: ['ended', 'closed'],
  ReturnList: ['ended', 'closed'],
  ApproveBatch: ['ended', 'closed'],
};

/** An account as the members' look-up answers it: the panel's `MemberAccount` and the name people know it by. */
export interface NamedMemberAccount extends MemberAccount {
  displayName: string;
}

/** Whether an application may enter the call's panel: it belongs to the call and waits for the panel ('panel-review'). */
export type PanelCandidateAnswer = { eligible: true; application: PanelApplication } | { eligible: false; kind: 'not-found' | 'illegal-state'; refusal: string };

/**
 * An application waiting for the panel, as the list is proposed: with the item the awards ledger will
 * key its award on and its applicant (a look-up recorded before 2026-12-06 has neither: its items were not compared).
 */
export type PanelCandidate = PanelApplication & { item?: { itemId: string; applicantAccountId: string } };

/** What `prepare` looked up for a panel command. */
export interface PanelPrepared {
  memberAccounts?: readonly NamedMemberAccount[];
  /** The application a member touches for the first time. */
  candidate?: PanelCandidateAnswer;
  /** Every application of the call waiting for the panel, when the list is proposed. */
  candidates?: readonly PanelCandidate[];
  /** What remains of the call's budget in its ledger, when the list is proposed. */
  remainingFen?: Fen;
  budgetApproved?: boolean;
  /** The proposed list's id, from the workflow. */
  listId?: string;
  /**
   * Since PANEL_WITHDRAWALS_PATCH: a referred application missing from `candidates` has left the
   * panel (withdrawn by its applicant); a proposal records that it left, and a batch approval is
   * refused while its list names one.
   */
  withdrawalsChecked?: boolean;
  /**
   * Since PROPOSE_AFTER_EVERY_CHECK_PATCH, when the list is proposed: how many of the call's
   * applications are still at each step before the panel (looked up, so the answer is in history).
   */
  beforePanel?: readonly ApplicationsAtStep[];
  /**
   * Since PROPOSE_AFTER_FACTS_VERIFIED_PATCH, when the list is proposed: the applications at the
   * panel whose applicants' stated facts are not all verified yet, with those facts' names.
   */
  unverified?: readonly ApplicationWithUnverifiedFacts[];
}

/** An application at the panel with facts its applicant stated that no official has verified (核验事实). */
export interface ApplicationWithUnverifiedFacts {
  caseId: string;
  referenceNo: string;
  facts: readonly string[];
}

/**
 * Since this change a list is proposed only once the facts of every application at the panel are
 * verified: a director approved a list whose selected applications had unverified facts, and each
 * was then rejected, with 不予支持 letters saying to verify first. Proposals before replay as they were.
 */
export const PROPOSE_AFTER_FACTS_VERIFIED_PATCH = 'propose-list-after-facts-verified';

/** The refusal of a proposal while applications at the panel have facts to verify; undefined when none has. */
export function unverifiedFactsInWords(unverified: readonly ApplicationWithUnverifiedFacts[]): string | undefined {
  if (unverified.length === 0) return undefined;
  return `以下申请尚有申请人声明的事实未核验，不能提出名单：${unverified.map((a) => `${a.referenceNo}（${a.facts.join('、')}）`).join('；')}。请先由审查人员在各申请中“核验事实”，再提出名单。`;
}

/**
 * Since this change a list is proposed only once every application filed in time has reached the
 * panel or left the call: a call proposing before it ranked only those already at the panel, and
 * the rest waited for a panel that had ended. Proposals recorded before replay as they were.
 */
export const PROPOSE_AFTER_EVERY_CHECK_PATCH = 'propose-list-after-every-check';

/** An application's steps before its call's panel: completeness check, 补正 awaited, the 网信 review (and review alone, never expected in a competitive call). */
export const STEPS_BEFORE_PANEL = ['completeness-check', 'awaiting-supplement', 'compliance-review', 'review'] as const;
export type StepBeforePanel = (typeof STEPS_BEFORE_PANEL)[number];

/** How many of a call's applications are at one step before its panel. */
export interface ApplicationsAtStep {
  status: StepBeforePanel;
  count: number;
}

/**
 * Why the list may not be proposed yet, in words the office reads on the call's page and in the
 * refusal (尚有 110 件申请未审查完毕（材料审查 108 件、网信内容审查 2 件），审查完毕后才能拟定资助名单。);
 * undefined when none is before the panel.
 */
export function applicationsBeforePanelInWords(atSteps: readonly ApplicationsAtStep[]): string | undefined {
  const waiting = atSteps.filter((s) => s.count > 0);
  const total = waiting.reduce((sum, s) => sum + s.count, 0);
  if (total === 0) return undefined;
  return `尚有 ${total} 件申请未审查完毕（${waiting.map((s) => `${APPLICATION_STATUS_LABELS[s.status]} ${s.count} 件`).join('、')}），审查完毕后才能拟定资助名单。`;
}

/** Since issue 13's withdrawals fix: proposals and batch approvals look up which applications still wait for the panel. */
export const PANEL_WITHDRAWALS_PATCH = 'panel-withdrawals';

const refusalOf = (kind: 'forbidden' | 'illegal-state', zh: string): { error: DomainError; zh: string } => ({ error: kind === 'forbidden' ? forbidden(zh) : illegalState(zh), zh });

/**
 * Why this actor may not take the panel command on this call now, in plain Chinese (the UI's line
 * beside a disabled action, the error the workflow refuses with); undefined when they may.
 */
export function callPanelRefusal(state: CallState, type: CallPanelCommandType, actor: Actor): { error: DomainError; zh: string } | undefined {
  if (state.mode !== 'competitive') return refusalOf('illegal-state', '先到先审的申报批次逐案审批，不设评审组。');
  if (closedBeforeOpening(state)) return refusalOf('illegal-state', '本批次在申报开始前已截止，没有受理任何申报，不组建评审组、不评审。');
  if (closedWithNothingToReview(state)) return refusalOf('illegal-state', '本批次截止时没有待评审的申报，不组建评审组、不评审。');
  if (!CALL_PANEL_STEPS[type].includes(state.status)) {
    if (state.status === 'draft') return refusalOf('illegal-state', '本批次预算尚未批准，评审组须在预算批准后组建。');
    if (state.status === 'approved') return refusalOf('illegal-state', `申报截止（${formatShanghaiMinute(Date.parse(state.closesAt!))}）后才能提出和审批拟资助名单，以便本批次所有申请一起排名。`);
    return refusalOf('illegal-state', '本批次尚未设立。');
  }
  const refusal = panelRefusal(state.panel, type, actor, state.department);
  return refusal ? refusalOf(refusal.kind, refusal.zh) : undefined;
}

const isReferred = (panel: PanelState, caseId: string) => panel.applications.some((a) => a.caseId === caseId);

/** Referred applications that no longer wait for the panel, where the look-up says which still do. */
function leftThePanel(panel: PanelState, prepared: PanelPrepared): PanelApplication[] {
  if (!prepared.withdrawalsChecked || !prepared.candidates) return [];
  const waiting = new Set(prepared.candidates.map((c) => c.caseId));
  return panel.applications.filter((a) => !waiting.has(a.caseId));
}

/** The panel as it would be with the application referred: what a first touch is checked against before the look-up. */
function withReferral(panel: PanelState, application: PanelApplication): PanelState {
  return isReferred(panel, application.caseId) ? panel : { ...panel, applications: [...panel.applications, application] };
}

const placeholder = (caseId: string): PanelApplication => ({ caseId, referenceNo: caseId, applicantName: '', amountFen: 1, submittedAt: new Date(0).toISOString() });

function memberOf(accountId: string, accounts: readonly NamedMemberAccount[]): PanelMember {
  const account = accounts.find((a) => a.accountId === accountId);
  // An account not found keeps its id for a name: the panel rules refuse it by its place in the list, never by the id.
  return { accountId, displayName: account?.displayName ?? accountId, kind: account?.role === 'expert' ? 'expert' : 'official' };
}

/** The panel command as the panel rules take it, with what the call and the look-ups supply. */
function panelCommandOf(state: CallState, command: CallPanelCommand, prepared: PanelPrepared): PanelCommand {
  switch (command.type) {
    case 'NamePanel':
      return {
        type: 'NamePanel',
        callId: state.callId!,
        department: state.department!,
        members: command.memberAccountIds.map((id) => memberOf(id, prepared.memberAccounts ?? [])),
        criteria: command.criteria,
        ...(command.minScorers !== undefined ? { minScorers: command.minScorers } : {}),
      };
    case 'AddPanelMember':
      return { type: 'AddPanelMember', member: memberOf(command.accountId, prepared.memberAccounts ?? []) };
    case 'ProposeList':
      return { type: 'ProposeList', quota: state.quota, remainingBudgetFen: prepared.remainingFen ?? 0 };
    default:
      return command;
  }
}

/**
 * Throws a DomainError unless the command may be taken now: the update's validator runs it before
 * anything is looked up, so a member's first touch of an application is checked as if it were
 * referred (the look-up decides whether it may be), and the members' accounts are checked in `decide`.
 */
export function ensureCallPanelCommandAllowed(state: CallState, command: CallPanelCommand, { actor, now }: { actor: Actor; now: number }): void {
  const refusal = callPanelRefusal(state, command.type, actor);
  if (refusal) throw refusal.error;
  switch (command.type) {
    case 'NamePanel':
    case 'AddPanelMember':
      return;
    case 'SubmitScore':
      // Never referred, so never declared on: said without the case's id, which is all the placeholder knows of it (an expert read a UUID here).
      if (!isReferred(state.panel, command.caseId)) throw illegalState('打分前须先就该申请声明是否存在利益冲突（回避）。');
      return ensurePanelCommandAllowed(state.panel, command, { actor, now });
    case 'DeclareNoConflict':
    case 'DeclareConflict':
      return ensurePanelCommandAllowed(withReferral(state.panel, placeholder(command.caseId)), command, { actor, now });
    case 'ProposeList':
      return ensurePanelCommandAllowed(state.panel, panelCommandOf(state, command, {}), { actor, now, listId: PROPOSAL_BEFORE_LOOK_UP });
    default:
      return ensurePanelCommandAllowed(state.panel, command, { actor, now });
  }
}

/** The events a panel command records on the call: an application's referral first, where a member touches it for the first time. */
export function decideCallPanel(command: CallPanelCommand, state: CallState, { actor, now, prepared }: { actor: Actor; now: number; prepared: PanelPrepared }): CallEvent[] {
  ensureCallPanelCommandAllowed(state, command, { actor, now });
  switch (command.type) {
    case 'NamePanel':
    case 'AddPanelMember': {
      if (!prepared.memberAccounts) throw illegalState('评审组成员的账户须先查询，才能组建评审组。');
      return decidePanel(panelCommandOf(state, command, prepared), state.panel, { actor, now, memberAccounts: prepared.memberAccounts });
    }
    case 'DeclareNoConflict':
    case 'DeclareConflict':
    case 'SubmitScore': {
      let panel = state.panel;
      const referral: PanelEvent[] = [];
      if (!isReferred(panel, command.caseId)) {
        const candidate = prepared.candidate;
        if (!candidate) throw illegalState(`申请 ${command.caseId} 须先查询，才能提交评审。`);
        if (!candidate.eligible) throw candidate.kind === 'not-found' ? notFound(candidate.refusal) : illegalState(candidate.refusal);
        // The system refers it: the member only touched it, and the application is the call's by its own record.
        referral.push(...decidePanel({ type: 'ReferApplication', application: candidate.application }, panel, { actor: SYSTEM_ACTOR, now }));
        panel = referral.reduce(evolvePanel, panel);
      }
      return [...referral, ...decidePanel(command, panel, { actor, now })];
    }
    case 'ProposeList': {
      if (prepared.remainingFen === undefined || !prepared.listId) throw illegalState('须先查询本批次预算余额，才能提出拟资助名单。');
      if (prepared.budgetApproved === false) throw illegalState(`本批次预算尚未批准（预算 ${formatFen(state.budgetFen)} 元），不能提出拟资助名单。`);
      // Every application filed in time is weighed: none may still be on its way to the panel.
      const stillChecked = applicationsBeforePanelInWords(prepared.beforePanel ?? []);
      if (stillChecked) throw illegalState(stillChecked);
      // Nor while facts its applicants stated wait to be verified: a selected application would be rejected for them.
      const toVerify = unverifiedFactsInWords(prepared.unverified ?? []);
      if (toVerify) throw illegalState(toVerify);
      // Applications withdrawn since they were referred leave the ranking first, on record.
      const leaving: PanelEvent[] = leftThePanel(state.panel, prepared).map((a) => ({ type: 'ApplicationLeftPanel', data: { caseId: a.caseId, referenceNo: a.referenceNo, leftAt: new Date(now).toISOString() } }));
      const panel = leaving.reduce(evolvePanel, state.panel);
      const unreviewed = (prepared.candidates ?? []).filter((a) => !isReferred(panel, a.caseId));
      if (unreviewed.length > 0) {
        throw illegalState(`以下申请在等待评审，尚无评审声明或打分，不能提出名单：${unreviewed.map((a) => `${a.referenceNo}（${a.applicantName}）`).join('、')}。请待评审组评审后再提出。`);
      }
      const sameItemOf = sameItemRule(state, prepared.candidates ?? [], shanghaiDateOf(now));
      return [...leaving, ...decidePanel(panelCommandOf(state, command, prepared), panel, { actor, now, listId: prepared.listId, ...(sameItemOf ? { sameItemOf } : {}) })];
    }
    case 'ApproveBatch': {
      const gone = prepared.withdrawalsChecked ? (state.panel.list?.proposed ?? []).filter((p) => !(prepared.candidates ?? []).some((c) => c.caseId === p.caseId)) : [];
      const goneInWords = goneFromListInWords(gone);
      if (goneInWords) throw illegalState(goneInWords);
      return decidePanel(command, state.panel, { actor, now });
    }
    default:
      return decidePanel(command, state.panel, { actor, now });
  }
}

/**
 * Which award already on a list an application would be refused beside, by the measure's own ledger
 * rules (stacking.ts: an item funded once, or a yearly cap for one item): as if the list's awards were
 * in the ledger on the day it is proposed. Two organisers of one festival, its name typed two ways,
 * were both listed; the second's delivery was then refused by the ledger without end. The award that
 * tips it is named: the first of the list (in rank order) with which the rules refuse it.
 */
function sameItemRule(state: CallState, candidates: readonly PanelCandidate[], on: LocalDate): PanelContext['sameItemOf'] {
  const programme = state.catalogueVersion && state.programmeId ? findProgrammeAt(state.catalogueVersion, state.programmeId) : undefined;
  const items = new Map(candidates.flatMap((c) => (c.item ? [[c.caseId, c.item] as const] : [])));
  if (!programme || items.size === 0) return undefined;
  const asAward = (award: ProposedAward): LedgerAward[] => {
    const item = items.get(award.caseId);
    return item ? [{ awardId: award.referenceNo, caseId: award.caseId, applicantAccountId: item.applicantAccountId, programmeId: programme.id, itemId: item.itemId, amountFen: award.amountFen, awardedOn: on }] : [];
  };
  return (candidate, proposed) => {
    const item = items.get(candidate.caseId);
    if (!item) return undefined;
    const application = { itemId: item.itemId, requestedAmountFen: candidate.amountFen, on, applicantAccountId: item.applicantAccountId };
    const ledger: LedgerAward[] = [];
    for (const award of proposed) {
      ledger.push(...asAward(award));
      const violation = stackingViolations(programme, application, ledger, findProgramme)[0];
      if (violation) return { caseId: award.caseId, referenceNo: award.referenceNo, rank: award.rank, rule: violation.rule === 'cap-per-year' ? 'cap-per-year' : 'funded-once' };
    }
    return undefined;
  };
}

/** Why a proposed list cannot be approved as it stands: applications on it that no longer wait for the panel (withdrawn by their applicants). */
export function goneFromListInWords(gone: readonly { referenceNo: string }[]): string | undefined {
  if (gone.length === 0) return undefined;
  return `拟资助名单中的申请 ${gone.map((p) => p.referenceNo).join('、')} 已不在评审中（申请人已撤回），不能批准本名单。请退回名单，由工作人员重新提出。`;
}
