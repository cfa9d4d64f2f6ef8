import { DEPARTMENTS, isOfficialOf, type Actor } from '../cases/actor.js';
import { forbidden, illegalState, notFound, validationError, type FieldIssue } from '../errors.js';
import type { Programme } from '../programmes/programme.js';
import { compareDates, shanghaiDateOf, type LocalDate } from '../time/local-date.js';
import { publishedTermsProblems, type PublishedTerms } from './published-terms.js';

/**
 * Published versions of a measure's terms (issue 14 part 4). One stream per measure,
 * `programme-terms-<programmeId>`: an officer of the measure's department drafts a version with the
 * day it takes effect and why; a second, different officer approves it (four-eyes) or it is
 * rejected. A new application takes the approved version in force on the day it is opened; a case
 * keeps the version it opened under for life. Version 0 is the code catalogue.
 */
export type OfficerRef = { accountId: string; displayName: string; department?: string };

export interface TermsVersion {
  programmeId: string;
  version: number;
  terms: PublishedTerms;
  effectiveFrom: LocalDate;
  status: 'draft' | 'approved' | 'rejected';
  drafted: { by: OfficerRef; reason: string; at: string };
  decided: { by: OfficerRef; note: string; at: string } | null;
}

export type TermsCommand =
  | { type: 'DraftTerms'; terms: PublishedTerms; effectiveFrom: LocalDate; reason: string }
  | { type: 'ApproveTerms'; version: number; note: string }
  | { type: 'RejectTerms'; version: number; reason: string };

export type TermsEvent =
  | { type: 'ProgrammeTermsDrafted'; data: { programmeId: string; version: number; terms: PublishedTerms; effectiveFrom: LocalDate; by: OfficerRef; reason: string; at: string } }
  | { type: 'ProgrammeTermsApproved'; data: { programmeId: string; version: number; effectiveFrom: LocalDate; by: OfficerRef; note: string; at: string } }
  | { type: 'ProgrammeTermsRejected'; data: { programmeId: string; version: number; by: OfficerRef; reason: string; at: string } };

export interface TermsState {
  programmeId: string;
  versions: readonly TermsVersion[];
}

export const initialTermsState = (programmeId: string): TermsState => ({ programmeId, versions: [] });

export function evolveTerms(state: TermsState, event: TermsEvent): TermsState {
  switch (event.type) {
    case 'ProgrammeTermsDrafted': {
      const d = event.data;
      const drafted: TermsVersion = { programmeId: d.programmeId, version: d.version, terms: d.terms, effectiveFrom: d.effectiveFrom, status: 'draft', drafted: { by: d.by, reason: d.reason, at: d.at }, decided: null };
      return { ...state, versions: [...state.versions, drafted] };
    }
    case 'ProgrammeTermsApproved':
    case 'ProgrammeTermsRejected': {
      const d = event.data;
      const status = event.type === 'ProgrammeTermsApproved' ? 'approved' : 'rejected';
      const note = event.type === 'ProgrammeTermsApproved' ? event.data.note : event.data.reason;
      return { ...state, versions: state.versions.map((v) => (v.version === d.version ? { ...v, status, decided: { by: d.by, note, at: d.at } } : v)) };
    }
  }
}

export interface TermsContext {
  actor: Actor;
  now: number;
  /** The measure as the code catalogue has it: whose department keeps its terms, and what may change. */
  programme: Programme;
}

export const officerRef = (actor: Actor): OfficerRef => ({ accountId: actor.accountId, displayName: actor.displayName, ...(actor.department ? { department: actor.department } : {}) });

/** Whether the actor may draft, approve or reject the measure's terms: an official of its department. */
export function termsOfficerRefusal(programme: Pick<Programme, 'name' | 'department'>, actor: Actor): string | undefined {
  if (isOfficialOf(actor, programme.department)) return undefined;
  return `「${programme.name.zh}」的条款由${DEPARTMENTS[programme.department]}的工作人员起草和批准，您不能办理。`;
}

function checkEffectiveFrom(effectiveFrom: LocalDate, today: LocalDate, state: TermsState): void {
  const problem = effectiveFromProblem(effectiveFrom, today, state);
  if (problem) throw validationError(problem.sentence, [problem.issue]);
}

function effectiveFromProblem(effectiveFrom: LocalDate, today: LocalDate, state: TermsState): { sentence: string; issue: FieldIssue } | undefined {
  if (compareDates(effectiveFrom, today) < 0) {
    return { sentence: `生效日期 ${effectiveFrom} 已过（今天是 ${today}）：生效日期不能早于今天。`, issue: { field: 'effectiveFrom', message: '不能早于今天' } };
  }
  const latest = latestApproved(state);
  if (latest && compareDates(effectiveFrom, latest.effectiveFrom) < 0) {
    return {
      sentence: `生效日期 ${effectiveFrom} 早于已批准的第 ${latest.version} 版的生效日期 ${latest.effectiveFrom}：新版本须在其后生效。`,
      issue: { field: 'effectiveFrom', message: `不能早于 ${latest.effectiveFrom}` },
    };
  }
  return undefined;
}

const latestApproved = (state: TermsState) => state.versions.filter((v) => v.status === 'approved').at(-1);

export function decideTerms(state: TermsState, command: TermsCommand, { actor, now, programme }: TermsContext): TermsEvent[] {
  const refusal = termsOfficerRefusal(programme, actor);
  if (refusal) throw forbidden(refusal);
  const today = shanghaiDateOf(now);
  const at = new Date(now).toISOString();
  const by = officerRef(actor);
  const programmeId = state.programmeId;
  switch (command.type) {
    case 'DraftTerms': {
      const reason = command.reason.trim();
      if (reason === '') throw validationError('起草新版条款须说明理由。', [{ field: 'reason', message: '请填写理由' }]);
      const open = state.versions.find((v) => v.status === 'draft');
      if (open) throw illegalState(`第 ${open.version} 版草案（${open.drafted.by.displayName} 起草）尚待批准或退回；一次只能有一份草案。`);
      // The terms' problems and the date's in one refusal (一次告知).
      const issues = publishedTermsProblems(programme, command.terms);
      const dateProblem = effectiveFromProblem(command.effectiveFrom, today, state);
      if (dateProblem && issues.length === 0) throw validationError(dateProblem.sentence, [dateProblem.issue]);
      if (issues.length > 0) {
        const sentence = `条款有误：${issues.map((i) => i.message).join('；')}。${dateProblem?.sentence ?? ''}`;
        throw validationError(sentence, dateProblem ? [...issues, dateProblem.issue] : issues);
      }
      return [{ type: 'ProgrammeTermsDrafted', data: { programmeId, version: state.versions.length + 1, terms: command.terms, effectiveFrom: command.effectiveFrom, by, reason, at } }];
    }
    case 'ApproveTerms': {
      const draft = openDraft(state, command.version);
      if (draft.drafted.by.accountId === actor.accountId) throw forbidden(`第 ${draft.version} 版由您起草：须由本部门另一位工作人员批准（双人复核）。`);
      checkEffectiveFrom(draft.effectiveFrom, today, { ...state, versions: state.versions.filter((v) => v.version !== draft.version) });
      return [{ type: 'ProgrammeTermsApproved', data: { programmeId, version: draft.version, effectiveFrom: draft.effectiveFrom, by, note: command.note.trim(), at } }];
    }
    case 'RejectTerms': {
      const draft = openDraft(state, command.version);
      const reason = command.reason.trim();
      if (reason === '') throw validationError('退回草案须说明理由。', [{ field: 'reason', message: '请填写理由' }]);
      return [{ type: 'ProgrammeTermsRejected', data: { programmeId, version: draft.version, by, reason, at } }];
    }
  }
}

function openDraft(state: TermsState, version: number): TermsVersion {
  const found = state.versions.find((v) => v.version === version);
  if (!found) throw notFound(`没有第 ${version} 版条款。`);
  if (found.status !== 'draft') throw illegalState(`第 ${version} 版条款已${found.status === 'approved' ? '批准' : '退回'}，不能再次办理。`);
  return found;
}

/** The approved version in force on a day: the latest to take effect on or before it; undefined: the code catalogue. */
export function versionInForce(versions: readonly TermsVersion[], on: LocalDate): TermsVersion | undefined {
  return versions
    .filter((v) => v.status === 'approved' && compareDates(v.effectiveFrom, on) <= 0)
    .reduce<TermsVersion | undefined>((best, v) => (!best || compareDates(v.effectiveFrom, best.effectiveFrom) > 0 || (v.effectiveFrom === best.effectiveFrom && v.version > best.version) ? v : best), undefined);
}
