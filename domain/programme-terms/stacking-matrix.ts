import { DEPARTMENTS, type Actor, type Department } from '../cases/actor.js';
import { forbidden, illegalState, notFound, validationError } from '../errors.js';
import type { Programme, ProgrammeFamily } from '../programmes/programme.js';
import { FAMILY_NAMES, STACKING_MATRIX, type StackingEntry, type StackingSide } from '../programmes/stacking.js';

import { officerRef, type OfficerRef } from './terms-versions.js';

/**
 * The stacking matrix the office sets (issue 14 part 4), one stream `stacking-matrix`. It starts as
 * the seed of stacking.ts — only what the sources say (002 Q5) — and changes one pair at a time: an
 * officer of a department concerned proposes a verdict with the reason, a second, different officer
 * approves it (or it is rejected) — of another department concerned where the pair is two
 * departments' measures, so that no department binds another's measure alone. 'unspecified' takes
 * a pair out: the official reviews such a pair case by case. New applications take the matrix as approved when they open; a case keeps it.
 */
export type StackingVerdict = 'stack' | 'do-not-stack' | 'unspecified';

export interface StackingChange {
  changeId: string;
  between: readonly [StackingSide, StackingSide];
  verdict: StackingVerdict;
  status: 'proposed' | 'approved' | 'rejected';
  proposed: { by: OfficerRef; reason: string; at: string };
  decided: { by: OfficerRef; note: string; at: string } | null;
  /** The matrix's version this change made (the count of approved changes), once approved. */
  matrixVersion: number | null;
}

export type StackingCommand =
  | { type: 'ProposeStackingChange'; changeId: string; between: readonly [StackingSide, StackingSide]; verdict: StackingVerdict; reason: string }
  | { type: 'ApproveStackingChange'; changeId: string; note: string }
  | { type: 'RejectStackingChange'; changeId: string; reason: string };

export type StackingEvent =
  | { type: 'StackingChangeProposed'; data: { changeId: string; between: readonly [StackingSide, StackingSide]; verdict: StackingVerdict; by: OfficerRef; reason: string; at: string } }
  | { type: 'StackingChangeApproved'; data: { changeId: string; matrixVersion: number; by: OfficerRef; note: string; at: string } }
  | { type: 'StackingChangeRejected'; data: { changeId: string; by: OfficerRef; reason: string; at: string } };

export interface StackingMatrixState {
  changes: readonly StackingChange[];
}

export const initialStackingMatrixState: StackingMatrixState = { changes: [] };

export function evolveStackingMatrix(state: StackingMatrixState, event: StackingEvent): StackingMatrixState {
  const d = event.data;
  switch (event.type) {
    case 'StackingChangeProposed': {
      const p = event.data;
      return { changes: [...state.changes, { changeId: p.changeId, between: p.between, verdict: p.verdict, status: 'proposed', proposed: { by: p.by, reason: p.reason, at: p.at }, decided: null, matrixVersion: null }] };
    }
    case 'StackingChangeApproved':
      return { changes: state.changes.map((c) => (c.changeId === d.changeId ? { ...c, status: 'approved', decided: { by: d.by, note: event.data.note, at: d.at }, matrixVersion: event.data.matrixVersion } : c)) };
    case 'StackingChangeRejected':
      return { changes: state.changes.map((c) => (c.changeId === d.changeId ? { ...c, status: 'rejected', decided: { by: d.by, note: event.data.reason, at: d.at } } : c)) };
  }
}

const sameSide = (a: StackingSide, b: StackingSide) => ('programmeId' in a ? 'programmeId' in b && a.programmeId === b.programmeId : 'family' in b && a.family === b.family);
const samePair = (a: readonly [StackingSide, StackingSide], b: readonly [StackingSide, StackingSide]) =>
  (sameSide(a[0], b[0]) && sameSide(a[1], b[1])) || (sameSide(a[0], b[1]) && sameSide(a[1], b[0]));
const specificity = (e: StackingEntry) => e.between.filter((s) => 'programmeId' in s).length;

export function sideInWords(side: StackingSide, programmes: readonly Programme[]): string {
  if ('family' in side) return `${FAMILY_NAMES[side.family]}各项政策`;
  return programmes.find((p) => p.id === side.programmeId)?.name.zh ?? side.programmeId;
}

const VERDICT_WORDS: Record<StackingVerdict, string> = { stack: '可叠加', 'do-not-stack': '不可叠加', unspecified: '未明确（逐案审核）' };

/** The matrix as approved: the seed with every approved change applied in order; a pair named by a measure comes before a family's. */
export function currentMatrix(state: StackingMatrixState, programmes: readonly Programme[]): { matrixVersion: number; entries: StackingEntry[] } {
  let entries: StackingEntry[] = [...STACKING_MATRIX];
  const approved = state.changes.filter((c) => c.status === 'approved').sort((a, b) => (a.matrixVersion ?? 0) - (b.matrixVersion ?? 0));
  for (const change of approved) {
    entries = entries.filter((e) => !samePair(e.between, change.between));
    if (change.verdict === 'unspecified') continue;
    entries.push({
      between: change.between,
      verdict: change.verdict,
      // Applicants read this as the basis of a refusal: the departments that agreed it, not their staff (the change keeps who).
      source: `叠加规则变更第 ${change.matrixVersion ?? 0} 号（${departmentName(change.proposed.by)}提出，${change.decided ? departmentName(change.decided.by) : ''}批准）`,
      inWords: `${sideInWords(change.between[0], programmes)}与${sideInWords(change.between[1], programmes)}${VERDICT_WORDS[change.verdict]}：${change.proposed.reason}`,
    });
  }
  return { matrixVersion: approved.length, entries: entries.map((e, i) => ({ e, i })).sort((a, b) => specificity(b.e) - specificity(a.e) || a.i - b.i).map(({ e }) => e) };
}

const departmentName = (officer: OfficerRef): string => (officer.department && officer.department in DEPARTMENTS ? DEPARTMENTS[officer.department as Department] : officer.displayName);

/** The departments whose measures a side names: their officers may propose and approve a change of the pair. */
export function departmentsOf(side: StackingSide, programmes: readonly Programme[]): Department[] {
  const named = programmes.filter((p) => ('programmeId' in side ? p.id === side.programmeId : p.family === side.family));
  return [...new Set(named.map((p) => p.department))];
}

function checkSide(side: StackingSide, programmes: readonly Programme[], field: string): string | undefined {
  if ('programmeId' in side) {
    const p = programmes.find((q) => q.id === side.programmeId);
    if (!p) return `${field}：目录中没有措施 ${side.programmeId}`;
    if (p.fundedItem === 'none') return `${field}：「${p.name.zh}」不资助任何事项，不涉及叠加`;
    return undefined;
  }
  return side.family in FAMILY_NAMES ? undefined : `${field}：没有政策系列 ${String(side.family as ProgrammeFamily)}`;
}

export function decideStackingMatrix(state: StackingMatrixState, command: StackingCommand, context: { actor: Actor; now: number; programmes: readonly Programme[] }): StackingEvent[] {
  const { actor, now, programmes } = context;
  const at = new Date(now).toISOString();
  const by = officerRef(actor);
  const concerned = (between: readonly [StackingSide, StackingSide]) => [...new Set([...departmentsOf(between[0], programmes), ...departmentsOf(between[1], programmes)])];
  const authorise = (between: readonly [StackingSide, StackingSide]) => {
    const departments = concerned(between);
    if (actor.role === 'official' && actor.department && departments.includes(actor.department)) return;
    throw forbidden(`这两项政策能否叠加，由${departments.map((d) => DEPARTMENTS[d]).join('、')}的工作人员提出和批准，您不能办理。`);
  };
  switch (command.type) {
    case 'ProposeStackingChange': {
      const issues = [checkSide(command.between[0], programmes, '第一项'), checkSide(command.between[1], programmes, '第二项')].filter((m): m is string => m !== undefined);
      if (issues.length === 0 && sameSide(command.between[0], command.between[1])) issues.push('两项不能相同：同一措施对同一事项只资助一次，另有规则');
      if (issues.length > 0) throw validationError(`叠加规则变更有误：${issues.join('；')}`, issues.map((message) => ({ field: 'between', message })));
      authorise(command.between);
      const reason = command.reason.trim();
      if (reason === '') throw validationError('变更叠加规则须说明理由（依据的文件和条款）。', [{ field: 'reason', message: '请填写理由' }]);
      if (state.changes.some((c) => c.changeId === command.changeId)) throw illegalState(`变更 ${command.changeId} 已存在。`);
      const pending = state.changes.find((c) => c.status === 'proposed' && samePair(c.between, command.between));
      if (pending) throw illegalState(`这两项政策已有待批准的变更 ${pending.changeId}（${pending.proposed.by.displayName} 提出）。`);
      const entry = currentMatrix(state, programmes).entries.find((e) => samePair(e.between, command.between));
      if ((entry?.verdict ?? 'unspecified') === command.verdict) throw illegalState(`这两项政策现在已是“${VERDICT_WORDS[command.verdict]}”，无需变更。`);
      return [{ type: 'StackingChangeProposed', data: { changeId: command.changeId, between: command.between, verdict: command.verdict, by, reason, at } }];
    }
    case 'ApproveStackingChange':
    case 'RejectStackingChange': {
      const change = state.changes.find((c) => c.changeId === command.changeId);
      if (!change) throw notFound(`没有叠加规则变更 ${command.changeId}。`);
      if (change.status !== 'proposed') throw illegalState(`变更 ${command.changeId} 已${change.status === 'approved' ? '批准' : '退回'}。`);
      authorise(change.between);
      if (command.type === 'RejectStackingChange') {
        const reason = command.reason.trim();
        if (reason === '') throw validationError('退回须说明理由。', [{ field: 'reason', message: '请填写理由' }]);
        return [{ type: 'StackingChangeRejected', data: { changeId: change.changeId, by, reason, at } }];
      }
      if (change.proposed.by.accountId === actor.accountId) throw forbidden('这项变更由您提出：须由另一位工作人员批准（双人复核）。');
      // A pair of two departments' measures binds both: the one that did not propose the change agrees to it.
      const others = concerned(change.between).filter((d) => d !== change.proposed.by.department);
      if (others.length > 0 && others.length < concerned(change.between).length && actor.department === change.proposed.by.department) {
        throw forbidden(`这项变更涉及${concerned(change.between).map((d) => DEPARTMENTS[d]).join('、')}的政策，由${DEPARTMENTS[change.proposed.by.department as Department]}提出：须由${others.map((d) => DEPARTMENTS[d]).join('或')}的工作人员批准。`);
      }
      const version = state.changes.filter((c) => c.status === 'approved').length + 1;
      return [{ type: 'StackingChangeApproved', data: { changeId: change.changeId, matrixVersion: version, by, note: command.note.trim(), at } }];
    }
  }
}

