import { validationError, type FieldIssue } from '../errors.js';
import { divideRoundHalfUp, formatFen, type Fen } from '../money/fen.js';
import type { AggregateMethod, CentiPoints, Criterion, CriterionScore, PanelApplication, PassedOver, ProposedAward, RankedApplication, SameItemAs } from './events.js';

export const SCORE_COMMENT_MAX_LENGTH = 500;
/** From this many scorers on, one highest and one lowest total are dropped before the mean. */
export const TRIMMED_MEAN_FROM = 5;
export const DEFAULT_MIN_SCORERS = 3;

/** A call's criteria: at least one, distinct ids and names, whole-percent weights summing to 100, whole positive maxima. */
export function checkCriteria(criteria: readonly Criterion[]): void {
  const issues = criteriaProblems(criteria);
  if (issues.length > 0) throw validationError(`评分标准不符合要求：${issues.map((i) => i.message).join('；')}`, issues);
}

/** What is wrong with the criteria, each at its field (told with a panel's other problems at once). */
export function criteriaProblems(criteria: readonly Criterion[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (criteria.length === 0) issues.push({ field: 'criteria', message: '至少设一项评分标准' });
  const ids = new Set<string>();
  const names = new Set<string>();
  criteria.forEach((c, i) => {
    const at = `criteria.${i}`;
    if (c.id.trim() === '' || ids.has(c.id)) issues.push({ field: `${at}.id`, message: `评分标准编号“${c.id}”为空或重复` });
    if (c.name.trim() === '' || names.has(c.name.trim())) issues.push({ field: `${at}.name`, message: `评分标准名称“${c.name}”为空或重复` });
    ids.add(c.id);
    names.add(c.name.trim());
    if (!Number.isInteger(c.weightPercent) || c.weightPercent < 1 || c.weightPercent > 100) {
      issues.push({ field: `${at}.weightPercent`, message: `“${c.name}”的权重须为 1 至 100 的整数（百分比），现为 ${c.weightPercent}` });
    }
    if (!Number.isInteger(c.maxPoints) || c.maxPoints < 1 || c.maxPoints > 1000) {
      issues.push({ field: `${at}.maxPoints`, message: `“${c.name}”的满分须为 1 至 1000 的整数，现为 ${c.maxPoints}` });
    }
  });
  const sum = criteria.reduce((s, c) => s + c.weightPercent, 0);
  if (criteria.length > 0 && sum !== 100) issues.push({ field: 'criteria', message: `各项权重之和须为 100%，现为 ${sum}%` });
  return issues;
}

/** A member's score sheet: every criterion exactly once, whole points from 0 to its maximum, each with a comment. */
export function checkScoreSheet(criteria: readonly Criterion[], scores: readonly CriterionScore[]): void {
  const issues: FieldIssue[] = [];
  const known = new Map(criteria.map((c) => [c.id, c]));
  const seen = new Set<string>();
  scores.forEach((s, i) => {
    const at = `scores.${i}`;
    const criterion = known.get(s.criterionId);
    if (!criterion) return void issues.push({ field: `${at}.criterionId`, message: `本批次没有编号为“${s.criterionId}”的评分标准` });
    if (seen.has(s.criterionId)) return void issues.push({ field: `${at}.criterionId`, message: `“${criterion.name}”打了两次分` });
    seen.add(s.criterionId);
    if (!Number.isInteger(s.points) || s.points < 0 || s.points > criterion.maxPoints) {
      issues.push({ field: `${at}.points`, message: `“${criterion.name}”的得分须为 0 至 ${criterion.maxPoints} 的整数，现为 ${s.points}` });
    }
    const comment = s.comment.trim();
    if (comment === '') issues.push({ field: `${at}.comment`, message: `“${criterion.name}”须附评语` });
    else if ([...comment].length > SCORE_COMMENT_MAX_LENGTH) {
      issues.push({ field: `${at}.comment`, message: `“${criterion.name}”的评语不超过 ${SCORE_COMMENT_MAX_LENGTH} 字，现为 ${[...comment].length} 字` });
    }
  });
  const missing = criteria.filter((c) => !seen.has(c.id)).map((c) => c.name);
  if (missing.length > 0) issues.push({ field: 'scores', message: `每项标准都须打分，尚缺：${missing.join('、')}` });
  if (issues.length > 0) throw validationError(`评分表不完整或有误：${issues.map((i) => i.message).join('；')}`, issues);
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/**
 * A member's weighted total on the 0–100 scale, in centi-points: Σ weight × points / max, computed
 * exactly over a common denominator (in bigint: the maxima's least common multiple can be large) and
 * rounded half up once, so no float decides a rank.
 */
export function weightedTotal(criteria: readonly Criterion[], scores: readonly CriterionScore[]): CentiPoints {
  const denominator = criteria.reduce((d, c) => (d / gcd(d, BigInt(c.maxPoints))) * BigInt(c.maxPoints), 1n);
  let numerator = 0n;
  for (const c of criteria) {
    const points = scores.find((s) => s.criterionId === c.id)?.points ?? 0;
    numerator += BigInt(c.weightPercent) * BigInt(points) * 100n * (denominator / BigInt(c.maxPoints));
  }
  const quotient = numerator / denominator;
  return Number(2n * (numerator - quotient * denominator) >= denominator ? quotient + 1n : quotient);
}

export interface Aggregate {
  method: AggregateMethod;
  value: CentiPoints;
  /** The totals that counted, after trimming. */
  counted: CentiPoints[];
}

/** The mean of the totals, or with five or more the mean after dropping one highest and one lowest; rounded half up. */
export function aggregateTotals(totals: readonly CentiPoints[]): Aggregate {
  if (totals.length === 0) return { method: 'mean', value: 0, counted: [] };
  const sorted = [...totals].sort((a, b) => a - b);
  const trimmed = sorted.length >= TRIMMED_MEAN_FROM;
  const counted = trimmed ? sorted.slice(1, -1) : sorted;
  const sum = counted.reduce((s, t) => s + t, 0);
  return { method: trimmed ? 'trimmed-mean' : 'mean', value: divideRoundHalfUp(sum, counted.length), counted };
}

/** The criterion with the greatest weight; the first listed among equals. */
export function heaviestCriterion(criteria: readonly Criterion[]): Criterion | undefined {
  return criteria.reduce<Criterion | undefined>((best, c) => (!best || c.weightPercent > best.weightPercent ? c : best), undefined);
}

/** The scores that count for one application: one sheet per member who scored it and is not excluded from it. */
export interface CountedSheet {
  memberId: string;
  scores: readonly CriterionScore[];
}

/**
 * The order of the applications, best first. Ties are broken, in this order, by: the aggregate of
 * the heaviest criterion alone (the call says what matters most); then the earlier submission (the
 * applicant who was ready first); then the reference number, so the order is total and repeatable.
 */
export function rankApplications(criteria: readonly Criterion[], applications: readonly PanelApplication[], sheetsOf: (caseId: string) => readonly CountedSheet[]): RankedApplication[] {
  const heaviest = heaviestCriterion(criteria);
  const rows = applications.map((application) => {
    const sheets = sheetsOf(application.caseId);
    const overall = aggregateTotals(sheets.map((s) => weightedTotal(criteria, s.scores)));
    const onHeaviest = heaviest ? aggregateTotals(sheets.map((s) => weightedTotal([{ ...heaviest, weightPercent: 100 }], s.scores))) : overall;
    return { ...application, scorers: sheets.length, method: overall.method, aggregate: overall.value, heaviestCriterion: onHeaviest.value };
  });
  rows.sort(
    (a, b) =>
      b.aggregate - a.aggregate ||
      b.heaviestCriterion - a.heaviestCriterion ||
      Date.parse(a.submittedAt) - Date.parse(b.submittedAt) ||
      (a.referenceNo < b.referenceNo ? -1 : a.referenceNo > b.referenceNo ? 1 : 0),
  );
  return rows.map((row, i) => ({ ...row, rank: i + 1 }));
}

export interface ListProposal {
  proposed: ProposedAward[];
  passedOver: PassedOver[];
  totalFen: Fen;
}

/**
 * The proposed list: in rank order, within the quota and the budget. An application whose amount
 * does not fit what is left of the budget is passed over and the next one tried: stopping there
 * would leave public money unspent on applications the panel ranked fundable, and the passed-over
 * one could not be funded anyway (the list does not cut amounts). It stays recorded, with the
 * budget that was left, so the order of merit is visible. Once the quota is full, the rest are passed over.
 * An application for the same item as one higher on the list, where the measure would not fund the
 * two (`sameItemOf`), is passed over too: its delivery would only be refused by the awards ledger.
 */
export function fitList(
  ranking: readonly RankedApplication[],
  quota: number | null,
  budgetFen: Fen,
  sameItemOf?: (candidate: ProposedAward, proposed: readonly ProposedAward[]) => SameItemAs | undefined,
): ListProposal {
  const proposed: ProposedAward[] = [];
  const passedOver: PassedOver[] = [];
  let remainingFen = budgetFen;
  for (const row of ranking) {
    const award = { caseId: row.caseId, referenceNo: row.referenceNo, rank: row.rank, amountFen: row.amountFen };
    const sameItemAs = sameItemOf?.(award, proposed);
    if (sameItemAs) passedOver.push({ ...award, reason: 'same-item', remainingFen, sameItemAs });
    else if (quota !== null && proposed.length >= quota) passedOver.push({ ...award, reason: 'quota-full', remainingFen });
    else if (row.amountFen > remainingFen) passedOver.push({ ...award, reason: 'over-budget', remainingFen });
    else {
      proposed.push(award);
      remainingFen -= row.amountFen;
    }
  }
  return { proposed, passedOver, totalFen: budgetFen - remainingFen };
}

/** How a centi-point figure is written: 8750 → "87.50". */
export function formatPoints(value: CentiPoints): string {
  return formatFen(value);
}

export const PASSED_OVER_LABELS: Record<PassedOver['reason'], string> = {
  'over-budget': '预算余额不足，顺延下一名',
  'quota-full': '名额已满',
  'same-item': '与排名更前的申请为同一事项，不重复资助，顺延下一名',
};
