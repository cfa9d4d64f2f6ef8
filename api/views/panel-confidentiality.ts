import type { Selectable } from 'kysely';
import type { CallPanelDetails, MemberRankingRow } from '../../cases/call.case.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { audienceOf, type DocumentAudience } from '../../db/documents/document-references.js';
import { isExpert } from '../authorization/case-access.js';
import { moduleForStreamType } from '../../cases/registry.js';
import type { CaseModule } from '../../cases/case-module.js';
import { departmentName } from './worklist.view.js';
import { DECISION_STEP_NOTE } from '../../domain/applications/decide.js';
import { declarationOf, type PanelState } from '../../domain/panels/state.js';

interface ReaderOfTheCase {
  role: string;
  accountId: string;
  displayName: string;
  department?: string | null;
}

/**
 * Whether the account reads the scoring of a case whole: the auditors, and the officials of the
 * department the case belongs to. Not the applicant, not an expert, and not an official of another
 * department that sees the case for a step of its own (网信 reviewing the content of an application
 * needs the content, not who scored it how). A case that names no department of its own leaves
 * every official who may open it in the office, as before there was this rule.
 */
export function readsTheOfficesWork(row: Pick<Selectable<CasesTable>, 'department'>, account: ReaderOfTheCase): boolean {
  if (audienceOf(account) !== 'all') return false;
  if (account.role !== 'official' || !row.department) return true;
  return account.department === row.department;
}

/**
 * Whether the account is an official of another department than the one the case belongs to: one
 * that sees the case for a step of its own (网信 reviewing a loan's content). The case's module says
 * what such an official reads of it (`outsideTheOffice`).
 */
export function readsAsAnotherDepartment(row: Pick<Selectable<CasesTable>, 'department'>, account: ReaderOfTheCase): boolean {
  return account.role === 'official' && row.department !== null && account.department !== row.department;
}

/** What the case's module keeps from this account as an official of another department, or undefined where it reads the case as the office does. */
export function outsideTheOfficeFor(row: Pick<Selectable<CasesTable>, 'case_type' | 'department'>, account: ReaderOfTheCase): CaseModule['outsideTheOffice'] {
  return readsAsAnotherDepartment(row, account) ? moduleForStreamType(row.case_type)?.outsideTheOffice : undefined;
}

/**
 * Which of the case's documents the account reads: an official of another department, on a case whose
 * module keeps internal attachments in the office (a loan's 征信报告 is the fund's, not 网信's), reads
 * as the applicant does, save what their own department attached; an application's 网信 reviewer
 * reads them all, as the content review needs.
 */
export function documentAudienceOn(row: Pick<Selectable<CasesTable>, 'case_type' | 'department'>, account: ReaderOfTheCase): DocumentAudience {
  const audience = audienceOf(account);
  if (audience !== 'all') return audience;
  return outsideTheOfficeFor(row, account)?.internalAttachmentsStayInTheOffice ? { ownDepartment: account.department ?? null } : 'all';
}

/** What is left to repay on a case, or null where that is its office's business alone (a loan's, as 网信 reads it). */
export function outstandingAsSeenBy(row: Pick<Selectable<CasesTable>, 'case_type' | 'department' | 'outstanding_fen'>, account: ReaderOfTheCase): number | null {
  return outsideTheOfficeFor(row, account) ? null : row.outstanding_fen;
}

/**
 * A panel's work is the office's (the department's officials, and the auditors): who sat on it, each
 * member's scores and comments, who recused from which application and why. Outside the office:
 *
 * - the applicant reads their application's rank and aggregate score, and the decision — not who
 *   recused from it (`panel.excluded` is absent, and so is the 回避 of the 评审结果 line);
 * - an expert of the panel reads the application's result the same way; on the call, of each
 *   application only their own standing (whether they may still score it, whether they recused) —
 *   no aggregate, rank or count of scorers while they may still score, which would lean on their
 *   own score, no other member's recusal, and not the office's proposed list (a list returned goes
 *   back to scoring).
 *
 * A measure without a call panel is scored by the department's reviewers (评审打分): who scored and
 * with how many points is the office's as well. Outside the office each score is only that one was
 * given, and when (`scores` without `by`, `score`, `comments`; the 评审打分 line says 已打分).
 * Officials of another department that sees an application for a step of its own (网信's content
 * review) read its scoring and its panel's recusals as the applicant does (`readsTheOfficesWork`).
 *
 * The events are redacted alike (domain/panels/application-record.ts `panelRecordAsSeenByApplicant`,
 * domain/applications/score-record.ts `scoreAsSeenByApplicant`).
 * The row is left as it is; the answer is a copy with `details` as this account may read them.
 */
export function caseRowAsSeenBy<R extends Pick<Selectable<CasesTable>, 'case_type' | 'details' | 'department'>>(row: R, account: ReaderOfTheCase): R {
  const details = row.details as Record<string, unknown> | null;
  if (!details) return row;
  const outside = outsideTheOfficeFor(row, account);
  if (outside) return { ...row, details: outside.details(details) };
  if (row.case_type === 'application' && !readsTheOfficesWork(row, account)) return { ...row, details: applicationDetailsOutsideTheOffice(details, row.department) };
  if (typeof details.panel !== 'object' || details.panel === null) return row;
  if (row.case_type === 'call' && isExpert(account)) {
    const panel = details.panel as Partial<Pick<CallPanelDetails, 'ranking'>> & Record<string, unknown>;
    const own = (names: readonly string[]) => names.filter((name) => name === account.displayName);
    // Their own declaration, which the ranking's "who may still score" does not tell from none: an outside tester's expert was asked to declare again after declaring.
    const declared = (row as { state?: { panel?: PanelState } }).state?.panel;
    const ranking = (panel.ranking ?? []).map((r): MemberRankingRow => ({
      caseId: r.caseId,
      referenceNo: r.referenceNo,
      applicantName: r.applicantName,
      amountFen: r.amountFen,
      awaiting: own(r.awaiting),
      recused: own(r.recused),
      ...(declared ? { declaredNoConflict: declarationOf(declared, r.caseId, account.accountId)?.conflicted === false } : {}),
    }));
    return { ...row, details: { ...details, panel: { ...panel, ranking, list: null } } };
  }
  return row;
}

/**
 * An application's details as the applicant (or an expert) reads them: no recusals of the panel, no
 * reviewer's name, points or comments; the department, not the person, on a fact verified in the
 * review, as on the review's events (applicationEventsAsSeenOutside: any of its officials may score
 * the application; the decision names its decider); and at the decision step, that the department
 * decides, not the office's rule of who may.
 */
function applicationDetailsOutsideTheOffice(details: Record<string, unknown>, department: string | null): Record<string, unknown> {
  const office = departmentName(department) ?? '主管部门';
  const named = <T extends { by?: unknown }>(line: T): T => (typeof line.by === 'string' ? { ...line, by: office } : line);
  const withheld: Record<string, unknown> = {
    ...details,
    scores: Array.isArray(details.scores) ? (details.scores as { scoredAt: string }[]).map((s) => ({ scoredAt: s.scoredAt })) : details.scores,
  };
  if (Array.isArray(details.factChecks)) withheld.factChecks = (details.factChecks as { by?: unknown; status?: unknown }[]).map((f) => (f.status === 'verified' ? named(f) : f));
  // Who may decide and above what amount the director must is the office's rule: outside it, the department decides.
  const waiting = details.waitingFor as { note?: unknown } | null | undefined;
  if (isObject(waiting) && typeof waiting.note === 'string' && waiting.note.startsWith(`${DECISION_STEP_NOTE}（`)) withheld.waitingFor = { ...waiting, note: `${office}作出决定` };
  if (!isObject(details.panel)) return withheld;
  const { excluded: _excluded, ...panel } = details.panel;
  return { ...withheld, panel };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
