import { DEPARTMENTS, isDirectorOf, isOfficialOf, type Actor, type Department } from '../cases/actor.js';
import { forbidden, illegalState, internalCheck, notFound, refuseProblems, validationError, type FieldProblem } from '../errors.js';
import { formatFen } from '../money/fen.js';
import { shanghaiDateOf } from '../time/local-date.js';
import type { MemberAccount, PanelCommand, PanelCommandType, PanelContext } from './commands.js';
import type { ActorRef, PanelApplication, PanelEvent, PanelMember } from './events.js';
import { checkScoreSheet, criteriaProblems, DEFAULT_MIN_SCORERS, fitList, rankApplications, weightedTotal } from './scoring.js';
import { countedSheets, declarationOf, evolvePanel, initialPanelState, isExcluded, pendingScorers, recusedMembers, sheetOf, PANEL_STATUS_LABELS, type PanelState, type PanelStatus } from './state.js';

export const CONFLICT_REASON_MAX_LENGTH = 500;

/**
 * The list id a proposal is checked with before its look-ups (the update's validator): the
 * applications and their scorers are counted only once the call knows which still wait for it.
 */
export const PROPOSAL_BEFORE_LOOK_UP = 'before-look-up';

/** The panel's statuses at which each command can be taken at all. */
export const PANEL_STEP_FOR_COMMAND: Record<PanelCommandType, readonly PanelStatus[]> = {
  NamePanel: ['not-named'],
  AddPanelMember: ['scoring'],
  ReferApplication: ['not-named', 'scoring'],
  DeclareNoConflict: ['scoring'],
  DeclareConflict: ['scoring'],
  SubmitScore: ['scoring'],
  ProposeList: ['scoring'],
  ReturnList: ['list-proposed'],
  ApproveBatch: ['list-proposed'],
};

const COMMAND_LABELS: Record<PanelCommandType, string> = {
  NamePanel: '组建评审组',
  AddPanelMember: '增补评审专家',
  ReferApplication: '提交评审',
  DeclareNoConflict: '声明无利益冲突',
  DeclareConflict: '申请回避',
  SubmitScore: '打分',
  ProposeList: '提出拟资助名单',
  ReturnList: '退回拟资助名单',
  ApproveBatch: '批准拟资助名单',
};

const ref = (actor: Actor): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });
const departmentName = (department: Department | undefined) => (department ? DEPARTMENTS[department] : '项目主管部门');

/**
 * Why this actor may not take the command now, in plain Chinese, or undefined when they may. The
 * one answer for the UI (beside a disabled action) and for `decidePanel`, which refuses with it.
 */
export function panelRefusal(state: PanelState, type: PanelCommandType, actor: Actor, department = state.department): { kind: 'forbidden' | 'illegal-state'; zh: string } | undefined {
  if (actor.role === 'auditor') return { kind: 'forbidden', zh: '审计人员只能查看，不能办理。' };
  const allowed = PANEL_STEP_FOR_COMMAND[type];
  if (!allowed.includes(state.status)) {
    return { kind: 'illegal-state', zh: `评审组目前处于“${PANEL_STATUS_LABELS[state.status]}”阶段，不能${COMMAND_LABELS[type]}。` };
  }
  const member = state.members.some((m) => m.accountId === actor.accountId);
  switch (type) {
    case 'NamePanel':
    case 'AddPanelMember':
    case 'ProposeList':
      return department && isOfficialOf(actor, department) ? undefined : { kind: 'forbidden', zh: `${COMMAND_LABELS[type]}由${departmentName(department)}工作人员办理。` };
    case 'ReferApplication':
      return actor.role === 'system' || (department && isOfficialOf(actor, department)) ? undefined : { kind: 'forbidden', zh: '申请由系统或主管部门工作人员提交评审。' };
    case 'DeclareNoConflict':
    case 'DeclareConflict':
    case 'SubmitScore':
      return member ? undefined : { kind: 'forbidden', zh: `您不是本批次评审组成员，不能${COMMAND_LABELS[type]}。` };
    case 'ReturnList':
    case 'ApproveBatch': {
      // Whoever proposed the list may take it back (returning approves nothing). A department's only
      // director who proposed one had left it with nobody to approve or return it (an outside tester).
      if (type === 'ReturnList' && state.list?.by.accountId === actor.accountId) return undefined;
      if (!department || !isDirectorOf(actor, department)) return { kind: 'forbidden', zh: `拟资助名单由${departmentName(department)}处长审批。` };
      if (member) return { kind: 'forbidden', zh: '您是本批次评审组成员，不能审批本批次名单，请由其他处长审批。' };
      if (state.list?.by.accountId === actor.accountId) return { kind: 'forbidden', zh: '名单由您提出，不能由您本人审批，请由其他处长审批；也可由您退回名单，再由工作人员重新提出。' };
      return undefined;
    }
  }
}

function application(state: PanelState, caseId: string): PanelApplication {
  const found = state.applications.find((a) => a.caseId === caseId);
  if (!found) throw notFound(`案件 ${caseId} 未提交本批次评审。`);
  return found;
}

function nonBlank(field: string, value: string, what: string, maxLength: number): string {
  const text = value.trim();
  if (text === '') throw validationError(`${what}不能为空。`, [{ field, message: '必填' }]);
  const length = [...text].length;
  if (length > maxLength) throw validationError(`${what}不超过 ${maxLength} 字，现为 ${length} 字。`, [{ field, message: `不超过 ${maxLength} 字` }]);
  return text;
}

/** The kind of an account that cannot sit on a panel, as its refusal names it beside the person. */
const ACCOUNT_KINDS: Record<string, string> = { applicant: '申请人账户', auditor: '审计账户', admin: '管理员账户', system: '系统账户' };

const problem = (field: string, code: string, zh: string, en: string, message: string): FieldProblem => ({ wording: { code, zh, en }, issue: { field, message, code, english: en } });

/**
 * Members as named: distinct accounts, each an official with a reviewer duty or an account of the
 * external experts' role, as the administrators assigned them (looked up before deciding). Every
 * member's problem is told, each at the body's field that named them (`fieldOf` their place): an
 * account that exists by the name people know it by; one not found without its id (what was typed
 * is in the field), since an id is not a name anyone reads.
 */
function memberProblems(members: readonly PanelMember[], accounts: readonly MemberAccount[], already: readonly PanelMember[], fieldOf: (index: number) => string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set(already.map((m) => m.accountId));
  members.forEach((m, index) => {
    const field = fieldOf(index);
    const place = members.length > 1 ? `评审组成员第 ${index + 1} 位` : '该成员';
    if (seen.has(m.accountId)) {
      problems.push(problem(field, 'member-repeated', `${m.displayName} 已在评审组中，不能重复列入。`, `${m.accountId} is already on the panel`, `重复：${m.displayName}`));
      return;
    }
    seen.add(m.accountId);
    const account = accounts.find((a) => a.accountId === m.accountId);
    if (!account) {
      problems.push(problem(field, 'member-not-found', `${place}：找不到该账户（或已停用），不能列入评审组。`, 'no such account (or it is disabled)', '找不到该账户（或已停用）'));
      return;
    }
    const kind = ACCOUNT_KINDS[account.role];
    if (kind) {
      problems.push(problem(field, 'member-cannot-serve', `${m.displayName}（${kind}）不是评审专家或承担评审职责的工作人员，不能担任评审。`, `${m.accountId} is a ${account.role} account: neither an expert nor an official with a reviewer duty`, `${m.displayName}（${kind}）：须为评审专家或承担评审职责的工作人员`));
    } else if (m.kind === 'official' && !(account.role === 'official' && account.duties.includes('reviewer'))) {
      problems.push(problem(field, 'member-not-reviewer', `${m.displayName} 不是承担评审职责的工作人员，不能担任评审。`, `${m.accountId} has no reviewer duty`, `${m.displayName}：须为有评审职责的工作人员`));
    } else if (m.kind === 'expert' && account.role !== 'expert') {
      problems.push(problem(field, 'member-not-expert', `${m.displayName} 的账户不是评审专家账户，不能以外部专家身份列入评审组。`, `${m.accountId} is not an expert account`, `${m.displayName}：须为评审专家账户`));
    }
  });
  return problems;
}

function lookedUp(accounts: readonly MemberAccount[] | undefined): readonly MemberAccount[] {
  if (!accounts) throw illegalState('评审组成员的账户须先查询，才能组建评审组。');
  return accounts;
}

/** A panel as named: its criteria, its minimum of scorers against its members, and every member, all told at once (一次告知). */
function namingProblems(command: Extract<PanelCommand, { type: 'NamePanel' }>, accounts: readonly MemberAccount[]): FieldProblem[] {
  const problems: FieldProblem[] = criteriaProblems(command.criteria).map((issue) => problem(issue.field, 'criteria-invalid', `评分标准不符合要求：${issue.message}。`, `criteria: ${issue.message}`, issue.message));
  const minScorers = command.minScorers ?? DEFAULT_MIN_SCORERS;
  if (!Number.isInteger(minScorers) || minScorers < 1) {
    problems.push(problem('minScorers', 'min-scorers-invalid', `最少评分人数须为正整数，现为 ${minScorers}。`, 'minScorers must be a positive whole number', '正整数'));
  } else if (command.members.length < minScorers) {
    problems.push(
      problem('minScorers', 'too-few-members', `评审组至少 ${minScorers} 人（每份申请须有 ${minScorers} 位评审有效打分），现只有 ${command.members.length} 人。`, `minScorers ${minScorers} is more than the ${command.members.length} members`, `不能多于评审组人数（${command.members.length} 人）`),
    );
  }
  return [...problems, ...memberProblems(command.members, accounts, [], (index) => `memberAccountIds.${index}`)];
}

/** Throws a DomainError unless the command may be taken now by this actor; records nothing (update validators call it). */
export function ensurePanelCommandAllowed(state: PanelState, command: PanelCommand, context: PanelContext): void {
  const { actor } = context;
  const refusal = panelRefusal(state, command.type, actor, command.type === 'NamePanel' ? command.department : state.department);
  if (refusal) throw refusal.kind === 'forbidden' ? forbidden(refusal.zh) : illegalState(refusal.zh);
  switch (command.type) {
    case 'NamePanel':
      // The same commands are refused as before; only now every problem is told in one refusal.
      refuseProblems('panel-naming-problems', namingProblems(command, lookedUp(context.memberAccounts)));
      return;
    case 'AddPanelMember':
      refuseProblems('panel-member-problems', memberProblems([command.member], lookedUp(context.memberAccounts), state.members, () => 'accountId'));
      return;
    case 'ReferApplication': {
      const a = command.application;
      if (state.applications.some((x) => x.caseId === a.caseId)) throw illegalState(`案件 ${a.referenceNo} 已提交评审，不能重复提交。`);
      if (!Number.isSafeInteger(a.amountFen) || a.amountFen <= 0) throw validationError(`案件 ${a.referenceNo} 的申请金额须为正整数（分）。`, [{ field: 'application.amountFen', message: '正整数（分）' }]);
      return;
    }
    case 'DeclareNoConflict': {
      const a = application(state, command.caseId);
      if (declarationOf(state, a.caseId, actor.accountId)) throw illegalState(`您已就案件 ${a.referenceNo} 作出过声明。`);
      return;
    }
    case 'DeclareConflict': {
      const a = application(state, command.caseId);
      nonBlank('reason', command.reason, '回避事由', CONFLICT_REASON_MAX_LENGTH);
      if (isExcluded(state, a.caseId, actor.accountId)) throw illegalState(`您已就案件 ${a.referenceNo} 申请回避。`);
      return;
    }
    case 'SubmitScore': {
      const a = application(state, command.caseId);
      const declaration = declarationOf(state, a.caseId, actor.accountId);
      if (!declaration) throw illegalState(`打分前须先就案件 ${a.referenceNo} 声明是否存在利益冲突（回避）。`);
      if (declaration.conflicted) throw illegalState(`您已就案件 ${a.referenceNo} 回避，不能为其打分。`);
      if (sheetOf(state, a.caseId, actor.accountId)) throw illegalState(`您已为案件 ${a.referenceNo} 打过分，每位评审只打一次分，不能重新打分。`);
      checkScoreSheet(state.criteria, command.scores);
      return;
    }
    case 'ProposeList': {
      if (command.quota !== null && (!Number.isInteger(command.quota) || command.quota < 1)) {
        throw validationError(`资助名额须为正整数，现为 ${command.quota}。`, [{ field: 'quota', message: '正整数或不限' }]);
      }
      if (!Number.isSafeInteger(command.remainingBudgetFen) || command.remainingBudgetFen < 0) {
        throw validationError('预算余额须为非负整数（分）。', [{ field: 'remainingBudgetFen', message: '非负整数（分）' }]);
      }
      // Before the call has looked up which applications still wait for the panel, nothing more can be counted.
      if (context.listId === PROPOSAL_BEFORE_LOOK_UP) return;
      if (state.applications.length === 0) throw illegalState('本批次尚无申请提交评审，无法提出名单。');
      const short = state.applications
        .map((a) => ({ a, scorers: countedSheets(state, a.caseId).length, recused: state.declarations.filter((d) => d.caseId === a.caseId && d.conflicted).length }))
        .filter((x) => x.scorers < state.minScorers);
      if (short.length > 0) {
        const list = short.map((x) => `${x.a.referenceNo}（${x.scorers} 人有效打分${x.recused > 0 ? `，${x.recused} 人回避` : ''}）`).join('、');
        throw illegalState(`每份申请须至少 ${state.minScorers} 位评审有效打分才能排名，以下申请不足：${list}。请待其余评审打分，或增补评审专家。`);
      }
      if (!context.listId) throw internalCheck('the list needs its id from the workflow');
      return;
    }
    case 'ReturnList':
      if (command.reasons.length === 0 || command.reasons.some((r) => r.trim() === '')) {
        throw validationError('退回名单须写明理由，至少一条，不能为空。', [{ field: 'reasons', message: '至少一条非空理由' }]);
      }
      return;
    case 'ApproveBatch':
      return;
  }
}

export function decidePanel(command: PanelCommand, state: PanelState, context: PanelContext): PanelEvent[] {
  ensurePanelCommandAllowed(state, command, context);
  const at = new Date(context.now).toISOString();
  const by = ref(context.actor);
  switch (command.type) {
    case 'NamePanel':
      return [
        {
          type: 'PanelNamed',
          data: {
            callId: command.callId,
            department: command.department,
            members: command.members,
            criteria: command.criteria.map((c) => ({ ...c, name: c.name.trim() })),
            minScorers: command.minScorers ?? DEFAULT_MIN_SCORERS,
            by,
            namedAt: at,
          },
        },
      ];
    case 'AddPanelMember':
      return [{ type: 'PanelMemberAdded', data: { member: command.member, by, addedAt: at } }];
    case 'ReferApplication':
      return [{ type: 'ApplicationReferred', data: { application: command.application, referredAt: at } }];
    case 'DeclareNoConflict':
      return [{ type: 'NoConflictDeclared', data: { caseId: command.caseId, member: by, declaredAt: at } }];
    case 'DeclareConflict':
      return [
        {
          type: 'ConflictDeclared',
          data: { caseId: command.caseId, member: by, reason: command.reason.trim(), declaredAt: at, voidsScore: sheetOf(state, command.caseId, by.accountId) !== undefined },
        },
      ];
    case 'SubmitScore': {
      const scores = command.scores.map((s) => ({ ...s, comment: s.comment.trim() }));
      return [{ type: 'ScoreSubmitted', data: { caseId: command.caseId, member: by, scores, total: weightedTotal(state.criteria, scores), submittedAt: at } }];
    }
    case 'ProposeList': {
      const ranking = currentRanking(state);
      const fit = fitList(ranking, command.quota, command.remainingBudgetFen, context.sameItemOf);
      return [{ type: 'ListProposed', data: { listId: context.listId!, by, proposedAt: at, quota: command.quota, budgetFen: command.remainingBudgetFen, ranking, ...fit } }];
    }
    case 'ReturnList':
      return [{ type: 'ListReturned', data: { listId: state.list!.listId, by, reasons: command.reasons.map((r) => r.trim()), returnedAt: at } }];
    case 'ApproveBatch': {
      const list = state.list!;
      return [{ type: 'BatchApproved', data: { listId: list.listId, by, approvedAt: at, approvedOn: shanghaiDateOf(context.now), awards: list.proposed, totalFen: list.totalFen } }];
    }
  }
}

/** The ranking as it stands (every referred application, however many have scored it yet). */
export function currentRanking(state: PanelState) {
  return rankApplications(state.criteria, state.applications, (caseId) => countedSheets(state, caseId));
}

/**
 * The ranking as the programme office watches it fill: each row says whether it has the scorers it
 * needs to be ranked, who may still score it (on the panel, not excluded, not yet scored) and who
 * recused from it. An expert, who may not read the call's events, learns from the last two whether
 * an application they are done with was scored or recused from.
 */
export function rankingView(state: PanelState) {
  const rows = currentRanking(state).map((row) => ({
    ...row,
    rankable: row.scorers >= state.minScorers,
    awaiting: pendingScorers(state, row.caseId).map((m) => m.displayName),
    recused: recusedMembers(state, row.caseId).map((m) => m.displayName),
  }));
  // Only an application with the scorers it needs has a place: one scored by fewer is 暂不排名, after
  // the ranked ones, with no number (an outside tester read 第 1 名 on an application one expert had scored).
  const ranked = rows.filter((r) => r.rankable).map((r, i) => ({ ...r, rank: (i + 1) as number | null }));
  return [...ranked, ...rows.filter((r) => !r.rankable).map((r) => ({ ...r, rank: null as number | null }))];
}

/** A one-line summary of a proposed list for people: "拟资助 3 项，合计 ¥…，顺延 1 项". */
export function describeList(state: PanelState): string | undefined {
  const list = state.list;
  if (!list) return undefined;
  const budget = list.passedOver.filter((p) => p.reason === 'over-budget').length;
  const quota = list.passedOver.filter((p) => p.reason === 'quota-full').length;
  const sameItem = list.passedOver.filter((p) => p.reason === 'same-item').length;
  // The balance the list was proposed against: approving it commits the list, and the ledger's 剩余 then reads less (an outsider read the two as disagreeing).
  return `拟资助 ${list.proposed.length} 项，合计 ${formatFen(list.totalFen)} 元（提出名单时预算余额 ${formatFen(list.budgetFen)} 元）${budget ? `；因预算余额不足顺延 ${budget} 项` : ''}${quota ? `；因名额已满未入选 ${quota} 项` : ''}${sameItem ? `；因与排名更前的申请为同一事项未入选 ${sameItem} 项` : ''}`;
}

/** Emmett's decider shape, for a call module that keeps the panel as a part of its state. */
export const panelDecider = {
  decide: decidePanel,
  evolve: evolvePanel,
  initialState: initialPanelState,
};
