import type { Fen } from '../money/fen.js';
import type { AmountRule, ApplicationFacts, PayoutShape } from '../programmes/programme.js';
import { addDays, addMonthsClamped, chineseDate, compareDates, type LocalDate } from '../time/local-date.js';
import { chineseAmount } from '../money/fen.js';

/**
 * How an award is paid, fixed when it is granted: the programme's payout shape with its numbers.
 * Dates are Asia/Shanghai; a payment or a contract year falls due at 00:00 of its date.
 */
export type PayoutPlan =
  | { kind: 'one-off'; amountFen: Fen }
  /** Payment n (1…months) on the award date's day of month, n months later (clamped to the month's end). */
  | { kind: 'monthly'; monthlyFen: Fen; months: number; startOn: LocalDate }
  /**
   * Contract year n (1…) starts 12·(n−1) months after `startOn`; the waiver ends after the last year.
   * `firstYear` is set when `startOn` is the day of admission to the carrier (from its register): the
   * contract year in progress on the decision day, the first one waived — years that ended before
   * it are not waived after the fact. Absent (a waiver decided before admission was known): year 1,
   * counted from the decision day.
   */
  | { kind: 'rent-waiver-years'; monthlyRentFen: Fen; waivedBasisPointsByYear: readonly number[]; startOn: LocalDate; firstYear?: number }
  | { kind: 'voucher'; amountFen: Fen }
  | { kind: 'none' };

const share = (amount: Fen, basisPoints: number) => Math.floor((amount * basisPoints) / 10_000);

export function monthlyPaymentDueOn(plan: Extract<PayoutPlan, { kind: 'monthly' }>, number: number): LocalDate {
  return addMonthsClamped(plan.startOn, number);
}

export function waiverYear(plan: Extract<PayoutPlan, { kind: 'rent-waiver-years' }>, year: number) {
  const waivedBasisPoints = plan.waivedBasisPointsByYear[year - 1]!;
  const yearlyRent = plan.monthlyRentFen * 12;
  const waivedFen = share(yearlyRent, waivedBasisPoints);
  return {
    year,
    from: addMonthsClamped(plan.startOn, 12 * (year - 1)),
    // The last day of the contract year: the day before the next one starts.
    until: addDays(addMonthsClamped(plan.startOn, 12 * year), -1),
    waivedBasisPoints,
    waivedFen,
    tenantPaysFen: yearlyRent - waivedFen,
  };
}

export function waiverEndsOn(plan: Extract<PayoutPlan, { kind: 'rent-waiver-years' }>): LocalDate {
  return addMonthsClamped(plan.startOn, 12 * plan.waivedBasisPointsByYear.length);
}

/** The contract year (1…) counted from `startOn` that `on` falls in. */
export function contractYearOn(startOn: LocalDate, on: LocalDate): number {
  let year = 1;
  while (compareDates(addMonthsClamped(startOn, 12 * year), on) <= 0) year++;
  return year;
}

/** The contract years a waiver plan waives, first to last (none when the decision came after the last had ended). */
export function waivedYears(plan: Extract<PayoutPlan, { kind: 'rent-waiver-years' }>) {
  const first = plan.firstYear ?? 1;
  return plan.waivedBasisPointsByYear.map((_, i) => waiverYear(plan, i + 1)).filter((y) => y.year >= first);
}

/** The whole award: what the stacking ledger records and the director threshold is measured against. */
export function planTotalFen(plan: PayoutPlan): Fen {
  switch (plan.kind) {
    case 'one-off':
    case 'voucher':
      return plan.amountFen;
    case 'monthly':
      return plan.monthlyFen * plan.months;
    case 'rent-waiver-years':
      return waivedYears(plan).reduce((sum, y) => sum + y.waivedFen, 0);
    case 'none':
      return 0;
  }
}

/**
 * The plan for an award whose amount follows from the rule (monthly subsidies, rent waivers), or
 * from the approved amount (one-off payments, vouchers). Undefined where the facts it needs are
 * missing (the submission check makes that impossible for a case that was accepted).
 */
export function planFor(shape: PayoutShape, amount: AmountRule, facts: ApplicationFacts, approvedAmountFen: Fen | undefined, startOn: LocalDate): PayoutPlan | undefined {
  switch (shape.kind) {
    case 'none':
      return { kind: 'none' };
    case 'one-off':
      return approvedAmountFen === undefined ? undefined : { kind: 'one-off', amountFen: approvedAmountFen };
    case 'voucher':
      return approvedAmountFen === undefined ? undefined : { kind: 'voucher', amountFen: approvedAmountFen };
    case 'monthly': {
      if (amount.kind !== 'monthly' || facts.monthlyRentFen === undefined) return undefined;
      const months = Math.min(facts.months ?? shape.maxMonths, shape.maxMonths, amount.maxMonths);
      return { kind: 'monthly', monthlyFen: Math.min(facts.monthlyRentFen, amount.monthlyCapFen), months, startOn };
    }
    case 'rent-waiver-years': {
      if (amount.kind !== 'rent-waiver' || facts.monthlyRentFen === undefined) return undefined;
      const waivedBasisPointsByYear = amount.waivedBasisPointsByYear.slice(0, shape.years);
      if (facts.admittedOn === undefined) return { kind: 'rent-waiver-years', monthlyRentFen: facts.monthlyRentFen, waivedBasisPointsByYear, startOn };
      // 001 免: the years are the tenancy's own, from admission (a tenant in its fifth year was waived three more from the decision).
      const firstYear = Math.min(contractYearOn(facts.admittedOn, startOn), waivedBasisPointsByYear.length + 1);
      return { kind: 'rent-waiver-years', monthlyRentFen: facts.monthlyRentFen, waivedBasisPointsByYear, startOn: facts.admittedOn, firstYear };
    }
  }
}

/** Payout shapes whose amount is the rule's, not the approver's. */
export function amountFollowsFromRule(shape: PayoutShape): boolean {
  return shape.kind === 'monthly' || shape.kind === 'rent-waiver-years';
}

/**
 * A monthly subsidy in words: payment n falls due n months after the award date, so the words name the
 * first payment's day (and the last), not the award date — 自2026年12月5日起每月发放 read as if the first
 * payment were made on the day of approval. (Migration 2026-12-05T01-00 carries a frozen copy.)
 */
function monthlyPlanInWords(plan: Extract<PayoutPlan, { kind: 'monthly' }>): string {
  const perMonth = `每月发放 ${chineseAmount(plan.monthlyFen)}，共 ${plan.months} 个月`;
  if (plan.months < 1) return `${perMonth}，不发放资金`;
  const first = chineseDate(monthlyPaymentDueOn(plan, 1));
  if (plan.months === 1) return `${perMonth}，于${first}发放`;
  return `${perMonth}，${first}首次发放，${chineseDate(monthlyPaymentDueOn(plan, plan.months))}末次发放`;
}

/** The plan in words for the case page: amounts in 元, dates in Chinese form. */
export function describePlan(plan: PayoutPlan): string {
  switch (plan.kind) {
    case 'one-off':
      return `一次性发放 ${chineseAmount(plan.amountFen)}`;
    case 'voucher':
      return `发放消费券 ${chineseAmount(plan.amountFen)}（一次发放）`;
    case 'monthly':
      return monthlyPlanInWords(plan);
    case 'rent-waiver-years':
      if (plan.firstYear === undefined) return `月租金 ${chineseAmount(plan.monthlyRentFen)}，自${chineseDate(plan.startOn)}起按合同年度依次减免 ${plan.waivedBasisPointsByYear.map((bp) => `${bp / 100}%`).join(' / ')}`;
      return `月租金 ${chineseAmount(plan.monthlyRentFen)}，按${chineseDate(plan.startOn)}入驻起的合同年度减免：${waivedYears(plan).map((y) => `第${y.year}年（${chineseDate(y.from)}至${chineseDate(y.until)}）${y.waivedBasisPoints / 100}%`).join('，') || '减免期已结束，不予减免'}`;
    case 'none':
      return '不发放资金';
  }
}
