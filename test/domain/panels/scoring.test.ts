import { describe, expect, it } from 'vitest';
import type { Criterion, PanelApplication } from '../../../domain/panels/events.js';
import { aggregateTotals, checkCriteria, checkScoreSheet, fitList, heaviestCriterion, rankApplications, weightedTotal, type CountedSheet } from '../../../domain/panels/scoring.js';
import { DomainError } from '../../../domain/errors.js';
import { app, CRITERIA, sheet } from './panel-spec.js';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  return expect.fail('expected a refusal');
}

describe('the call’s weighted criteria', () => {
  it('accepts whole-percent weights that sum to 100', () => {
    expect(() => checkCriteria(CRITERIA)).not.toThrow();
  });

  it('refuses weights that do not sum to 100, naming the sum', () => {
    const error = refusal(() => checkCriteria([{ ...CRITERIA[0]!, weightPercent: 30 }, CRITERIA[1]!, CRITERIA[2]!]));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('各项权重之和须为 100%，现为 90%');
  });

  it('refuses a repeated name, a zero maximum and a fractional weight', () => {
    const error = refusal(() =>
      checkCriteria([
        { id: 'a', name: '内容质量', weightPercent: 50.5, maxPoints: 10 },
        { id: 'b', name: '内容质量', weightPercent: 49.5, maxPoints: 0 },
      ]),
    );
    expect(error.message).toContain('评分标准名称“内容质量”为空或重复');
    expect(error.message).toContain('“内容质量”的权重须为 1 至 100 的整数（百分比），现为 50.5');
    expect(error.message).toContain('满分须为 1 至 1000 的整数，现为 0');
  });

  it('refuses a call without criteria', () => {
    expect(refusal(() => checkCriteria([])).message).toContain('至少设一项评分标准');
  });
});

describe('a score sheet: every criterion once, whole points 0..max, each with a comment', () => {
  it('accepts a full sheet at the bounds (0 and the maximum)', () => {
    expect(() => checkScoreSheet(CRITERIA, sheet(0, 10, 5))).not.toThrow();
  });

  it.each([
    ['above the maximum', sheet(101, 8, 4), '“内容质量”的得分须为 0 至 100 的整数，现为 101'],
    ['negative', sheet(80, -1, 4), '“传播影响”的得分须为 0 至 10 的整数，现为 -1'],
    ['fractional', sheet(80, 8, 4.5), '“团队能力”的得分须为 0 至 5 的整数，现为 4.5'],
    ['a criterion missing', sheet(80, 8, 4).slice(0, 2), '每项标准都须打分，尚缺：团队能力'],
    ['a criterion twice', [...sheet(80, 8, 4), { criterionId: 'team', points: 3, comment: '再评' }], '“团队能力”打了两次分'],
    ['an unknown criterion', [...sheet(80, 8, 4), { criterionId: 'budget', points: 3, comment: '预算' }], '本批次没有编号为“budget”的评分标准'],
    ['a blank comment', sheet(80, 8, 4).map((s, i) => (i === 1 ? { ...s, comment: '  ' } : s)), '“传播影响”须附评语'],
    ['a comment over 500 characters', sheet(80, 8, 4).map((s, i) => (i === 0 ? { ...s, comment: '好'.repeat(501) } : s)), '“内容质量”的评语不超过 500 字，现为 501 字'],
  ])('refuses a sheet with a score %s', (_what, scores, message) => {
    const error = refusal(() => checkScoreSheet(CRITERIA, scores));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain(message);
  });
});

describe('a member’s weighted total, in hundredths of a point on the 0–100 scale', () => {
  it.each([
    [sheet(100, 10, 5), 10_000],
    [sheet(80, 8, 4), 8_000],
    [sheet(70, 7, 3), 6_700],
    [sheet(0, 0, 0), 0],
    [sheet(33, 1, 1), 2_220], // 40 × 33/100 + 30 × 1/10 + 30 × 1/5 = 13.2 + 3 + 6
  ])('%j → %i', (scores, expected) => {
    expect(weightedTotal(CRITERIA, scores)).toBe(expected);
  });

  it('is exact over thirds and rounds half up once at the end', () => {
    const thirds: Criterion[] = [{ id: 'x', name: 'x', weightPercent: 100, maxPoints: 3 }];
    expect(weightedTotal(thirds, [{ criterionId: 'x', points: 1, comment: 'c' }])).toBe(3_333);
    expect(weightedTotal(thirds, [{ criterionId: 'x', points: 2, comment: 'c' }])).toBe(6_667);
    // 1 × 1/8 of a point = 0.125 points = 12.5 centi-points → 13.
    const eighths: Criterion[] = [
      { id: 'a', name: 'a', weightPercent: 1, maxPoints: 8 },
      { id: 'b', name: 'b', weightPercent: 99, maxPoints: 1 },
    ];
    expect(weightedTotal(eighths, [{ criterionId: 'a', points: 1, comment: 'c' }, { criterionId: 'b', points: 0, comment: 'c' }])).toBe(13);
  });

  it('stays exact when the maxima have a large common multiple', () => {
    const primes: Criterion[] = [997, 991, 983, 977, 971].map((max, i) => ({ id: `p${i}`, name: `p${i}`, weightPercent: 20, maxPoints: max }));
    const full = primes.map((c) => ({ criterionId: c.id, points: c.maxPoints, comment: 'c' }));
    expect(weightedTotal(primes, full)).toBe(10_000);
  });
});

describe('the aggregate across members: the mean, or the trimmed mean from five scorers on', () => {
  it('is the plain mean with up to four scorers, rounded half up', () => {
    expect(aggregateTotals([8_000, 9_300, 6_700])).toMatchObject({ method: 'mean', value: 8_000 });
    expect(aggregateTotals([8_000, 8_001])).toMatchObject({ method: 'mean', value: 8_001 }); // 8000.5 → 8001
    expect(aggregateTotals([1_000, 9_900, 8_000, 8_000])).toMatchObject({ method: 'mean', value: 6_725 });
  });

  it('drops one highest and one lowest with five or more', () => {
    expect(aggregateTotals([9_900, 8_000, 8_000, 8_000, 1_000])).toEqual({ method: 'trimmed-mean', value: 8_000, counted: [8_000, 8_000, 8_000] });
    // Only one of two equal highest totals is dropped.
    expect(aggregateTotals([9_000, 9_000, 7_000, 6_000, 5_000, 5_000])).toMatchObject({ method: 'trimmed-mean', value: 6_750, counted: [5_000, 6_000, 7_000, 9_000] });
  });

  it('is zero with nobody scoring (such an application is not ranked: see the minimum)', () => {
    expect(aggregateTotals([])).toMatchObject({ value: 0 });
  });
});

describe('ranking: by aggregate; ties by the heaviest criterion, then the earlier submission, then the reference number', () => {
  const sheetsBy = (table: Record<string, ReturnType<typeof sheet>[]>) => (caseId: string): CountedSheet[] => (table[caseId] ?? []).map((scores, i) => ({ memberId: `m${i}`, scores }));

  it('names 内容质量 (40%) the heaviest criterion; the first listed among equal weights', () => {
    expect(heaviestCriterion(CRITERIA)?.id).toBe('content');
    expect(heaviestCriterion([CRITERIA[1]!, CRITERIA[2]!])?.id).toBe('reach');
  });

  it('ranks by the trimmed mean where five scored: an outlier does not sink an application', () => {
    const outlier = app(1, 100);
    const steady = app(2, 100);
    const ranking = rankApplications(CRITERIA, [steady, outlier], sheetsBy({
      'case-1': [sheet(100, 10, 5), sheet(80, 8, 4), sheet(80, 8, 4), sheet(80, 8, 4), sheet(10, 1, 1)], // 100, 80, 80, 80, 13 → 80.00 (mean would be 70.60)
      'case-2': [sheet(75, 7, 4), sheet(75, 7, 4), sheet(75, 7, 4)], // 75.00
    }));
    expect(ranking.map((r) => [r.caseId, r.rank, r.aggregate, r.method, r.scorers])).toEqual([
      ['case-1', 1, 8_000, 'trimmed-mean', 5],
      ['case-2', 2, 7_500, 'mean', 3],
    ]);
  });

  it('breaks an equal aggregate by the heaviest criterion, even against an earlier submission', () => {
    const later = app(3, 100, '2026-10-05T02:00:00.000Z');
    const earlier = app(4, 100, '2026-10-01T02:00:00.000Z');
    const ranking = rankApplications(CRITERIA, [earlier, later], sheetsBy({
      'case-3': [sheet(100, 5, 2)], // 40 + 15 + 12 = 67, content 100%
      'case-4': [sheet(70, 7, 3)], // 28 + 21 + 18 = 67, content 70%
    }));
    expect(ranking.map((r) => [r.caseId, r.aggregate, r.heaviestCriterion])).toEqual([
      ['case-3', 6_700, 10_000],
      ['case-4', 6_700, 7_000],
    ]);
  });

  it('then by the earlier submission, then by the reference number', () => {
    const same = [sheet(80, 8, 4)];
    const a: PanelApplication = { ...app(5, 100, '2026-10-02T02:00:00.000Z'), referenceNo: 'AP-2026-000009' };
    const b: PanelApplication = { ...app(6, 100, '2026-10-01T02:00:00.000Z'), referenceNo: 'AP-2026-000008' };
    const c: PanelApplication = { ...app(7, 100, '2026-10-02T02:00:00.000Z'), referenceNo: 'AP-2026-000007' };
    const ranking = rankApplications(CRITERIA, [a, b, c], sheetsBy({ 'case-5': same, 'case-6': same, 'case-7': same }));
    expect(ranking.map((r) => [r.referenceNo, r.rank])).toEqual([
      ['AP-2026-000008', 1],
      ['AP-2026-000007', 2],
      ['AP-2026-000009', 3],
    ]);
    // The order does not depend on the order of referral.
    expect(rankApplications(CRITERIA, [c, a, b], sheetsBy({ 'case-5': same, 'case-6': same, 'case-7': same })).map((r) => r.referenceNo)).toEqual(ranking.map((r) => r.referenceNo));
  });
});

describe('the proposed list: rank order, within the quota and the budget', () => {
  const ranking = rankApplications(
    CRITERIA,
    [app(1, 30_000_000), app(2, 50_000_000), app(3, 20_000_000)],
    (caseId) => [{ memberId: 'm', scores: { 'case-1': sheet(80, 8, 4), 'case-2': sheet(75, 7, 4), 'case-3': sheet(70, 7, 3) }[caseId]! }],
  );

  it('passes over an application that does not fit what is left of the budget and tries the next', () => {
    // Budget 600,000.00: #1 takes 300,000.00; #2 asks 500,000.00 of the 300,000.00 left; #3 fits.
    expect(fitList(ranking, null, 60_000_000)).toEqual({
      proposed: [
        { caseId: 'case-1', referenceNo: 'AP-2026-000001', rank: 1, amountFen: 30_000_000 },
        { caseId: 'case-3', referenceNo: 'AP-2026-000003', rank: 3, amountFen: 20_000_000 },
      ],
      passedOver: [{ caseId: 'case-2', referenceNo: 'AP-2026-000002', rank: 2, amountFen: 50_000_000, reason: 'over-budget', remainingFen: 30_000_000 }],
      totalFen: 50_000_000,
    });
  });

  it('takes an amount that uses the budget up exactly', () => {
    const fit = fitList(ranking, null, 80_000_000);
    expect(fit.proposed.map((p) => p.caseId)).toEqual(['case-1', 'case-2']);
    expect(fit.passedOver).toEqual([{ caseId: 'case-3', referenceNo: 'AP-2026-000003', rank: 3, amountFen: 20_000_000, reason: 'over-budget', remainingFen: 0 }]);
    expect(fit.totalFen).toBe(80_000_000);
  });

  it('stops at the quota: the rest are passed over as the quota is full', () => {
    const fit = fitList(ranking, 1, 100_000_000);
    expect(fit.proposed.map((p) => p.caseId)).toEqual(['case-1']);
    expect(fit.passedOver.map((p) => [p.caseId, p.reason])).toEqual([
      ['case-2', 'quota-full'],
      ['case-3', 'quota-full'],
    ]);
  });

  it('counts the quota in awards proposed, not in ranks passed: a skipped application leaves its place to the next', () => {
    const fit = fitList(ranking, 2, 60_000_000);
    expect(fit.proposed.map((p) => p.rank)).toEqual([1, 3]);
  });

  it('proposes nothing with no budget left, and says why for each', () => {
    const fit = fitList(ranking, null, 0);
    expect(fit.proposed).toEqual([]);
    expect(fit.passedOver.every((p) => p.reason === 'over-budget' && p.remainingFen === 0)).toBe(true);
  });
});
