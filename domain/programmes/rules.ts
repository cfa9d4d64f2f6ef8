import type { Fen } from '../money/fen.js';
import { supportInWords, type SupportTerms } from './amount-words.js';
import { yearOf } from '../time/local-date.js';
import { factLabel, yuanText } from './fact-labels.js';
import type { AmountRule, ApplicantKind, ApplicationFacts, EligibilityRule, FactName } from './programme.js';

export const APPLICANT_KIND_NAMES: Record<ApplicantKind, string> = {
  'individual-creator': '个人创作者',
  'creator-team': '创作团队/工作室',
  company: '企业',
  mcn: 'MCN 机构',
  platform: '平台企业',
  'carrier-operator': '载体运营方',
  'drama-producer': '微短剧制作方',
  'training-institution': '培训机构',
  'event-organiser': '节展/赛事主办方',
};

export const applicantKinds = (...kinds: ApplicantKind[]): EligibilityRule => ({
  rule: 'applicant-kind',
  fact: 'applicantKind',
  options: kinds,
  description: `申请主体：${kinds.map((k) => APPLICANT_KIND_NAMES[k]).join('、')}`,
  check: (f) =>
    f.applicantKind && kinds.includes(f.applicantKind)
      ? undefined
      : `本措施仅面向${kinds.map((k) => APPLICANT_KIND_NAMES[k]).join('、')}；申请主体为${f.applicantKind ? APPLICANT_KIND_NAMES[f.applicantKind] : '（未填写）'}`,
});

export const registeredIn = (district: string): EligibilityRule => ({
  rule: 'registered-district',
  fact: 'registeredDistrict',
  description: `注册在${district}`,
  check: (f) => (f.registeredDistrict === district ? undefined : `本措施仅面向注册在${district}的申请人；申请人注册区为${f.registeredDistrict ?? '（未填写）'}`),
});

export const minimumAge = (years: number): EligibilityRule => ({
  rule: 'minimum-age',
  fact: 'age',
  description: `年满 ${years} 周岁`,
  check: (f) => (f.age !== undefined && f.age >= years ? undefined : `申请人须年满 ${years} 周岁；填写的年龄为${f.age === undefined ? '（未填写）' : ` ${f.age} 周岁`}`),
});

export const factHolds = (fact: keyof ApplicationFacts, rule: string, description: string, failure: string): EligibilityRule => ({
  rule,
  fact,
  description,
  check: (f) => (f[fact] === true ? undefined : failure),
});

export const oneOf = (fact: 'titleField' | 'complaintCategory', allowed: readonly string[], rule: string, description: string): EligibilityRule => ({
  rule,
  fact,
  description,
  check: (f) => (f[fact] !== undefined && allowed.includes(f[fact]!) ? undefined : `${factLabel(fact)}须为${allowed.join('、')}之一；填写的是${f[fact] ?? '（未填写）'}`),
});

/** What an open list's "other" is called: the value an applicant picks when the listed ones do not fit. */
export const OTHER = '其他';

/**
 * A list that the source ends in 等 (盾牌行动's harms, 职称's fields): the listed values, or 其他
 * with a description. 其他 passes, with a note for the official, who reviews whether it belongs.
 */
export const openList = (
  fact: 'titleField' | 'complaintCategory',
  describedBy: 'titleFieldDescription' | 'complaintDescription',
  listed: readonly string[],
  rule: string,
  description: string,
): EligibilityRule => ({
  rule,
  fact,
  description,
  check: (f) => {
    const value = f[fact];
    if (value !== undefined && listed.includes(value)) return undefined;
    if (value === OTHER) return f[describedBy]?.trim() ? undefined : `选择“${OTHER}”时须填写${factLabel(describedBy)}`;
    return `${factLabel(fact)}须为${listed.join('、')}等，或选择“${OTHER}”并说明；填写的是${value ?? '（未填写）'}`;
  },
  review: (f) => (f[fact] === OTHER ? `${factLabel(fact)}为“${OTHER}”（${f[describedBy] ?? ''}）：请经办人核实是否属于本措施的范围` : undefined),
});

/**
 * YOUNG人才公寓: ≤ `maxDays` days a stay and ≤ `maxStays` stays a calendar year — the year the stay
 * begins in (入住日期), whose approved stays `staysThisYear` counts. An application from before 入住日期
 * was asked has none, and counts the year it is judged in, as it always did.
 */
export const stayQuota = (maxDays: number, maxStays: number): EligibilityRule[] => [
  {
    rule: 'stay-length',
    fact: 'stayDays',
    description: `每次入住不超过 ${maxDays} 天`,
    check: (f) => (f.stayDays !== undefined && f.stayDays >= 1 && f.stayDays <= maxDays ? undefined : `每次入住 1 至 ${maxDays} 天；申请入住${f.stayDays === undefined ? '天数未填写' : ` ${f.stayDays} 天`}`),
  },
  {
    rule: 'stays-per-year',
    fact: 'staysThisYear',
    // The stays are the system's count, no field of the form: the refusal is told at the stay's first day, whose year they count.
    factOf: (f) => (f.stayStartDate !== undefined ? 'stayStartDate' : 'staysThisYear'),
    description: `每年不超过 ${maxStays} 次`,
    check: (f) =>
      (f.staysThisYear ?? 0) < maxStays ? undefined : `每个自然年最多入住 ${maxStays} 次；${f.stayStartDate !== undefined ? `${yearOf(f.stayStartDate)}年` : '本年度'}已入住 ${f.staysThisYear} 次`,
  },
];

/** 免罚急救包: no penalty only when the violation is the first, the harm minor and it was corrected in time — all three. */
/** The first of the three conditions not met: where a form tells the refusal (it was always at 初次违法). */
const firstUnmetCondition = (f: ApplicationFacts): FactName => (f.firstViolation !== true ? 'firstViolation' : f.minorHarm !== true ? 'minorHarm' : f.correctedInTime !== true ? 'correctedInTime' : 'firstViolation');

export const penaltyExemptionConditions: EligibilityRule = {
  rule: 'penalty-exemption-conditions',
  fact: 'firstViolation',
  factOf: firstUnmetCondition,
  description: '初次违法、危害后果轻微、及时改正，三者同时满足',
  check: (f) => {
    const missing = [
      f.firstViolation === true ? undefined : '初次违法',
      f.minorHarm === true ? undefined : '危害后果轻微',
      f.correctedInTime === true ? undefined : '及时改正',
    ].filter((m): m is string => m !== undefined);
    return missing.length === 0 ? undefined : `免于处罚须三项条件同时满足；不满足：${missing.join('、')}`;
  },
};

/**
 * 免罚急救包 since catalogue 2026-12-03: both sentences of 行政处罚法 Art. 33(1) — the first
 * violation, with minor harm, corrected in time; or (second sentence) the party has evidence enough
 * to prove it bore no subjective fault (当事人有证据足以证明没有主观过错的，不予行政处罚).
 */
export const penaltyExemptionArticle33: EligibilityRule = {
  rule: 'penalty-exemption-conditions',
  fact: 'firstViolation',
  factOf: firstUnmetCondition,
  description: '初次违法、危害后果轻微并及时改正的，可以不予处罚；或当事人有证据足以证明没有主观过错的，不予处罚（行政处罚法第三十三条第一款）',
  check: (f) => {
    if (f.noSubjectiveFault === true) return undefined;
    const firstSentence = penaltyExemptionConditions.check(f);
    return firstSentence === undefined ? undefined : `${firstSentence}；也未主张有证据足以证明没有主观过错`;
  },
  review: (f) => (f.noSubjectiveFault === true ? '申请人主张没有主观过错：请经办人核实其证据是否足以证明' : undefined),
};

export interface AmountAssessment {
  /** The most this application may receive under the rule; null for measures that pay nothing. */
  maxAmountFen: Fen | null;
  /** How the maximum was reached, in words and numbers. */
  explanation: string;
  /** Set when a stated fact the rule needs is missing. */
  missingFact?: string;
}

const pct = (basisPoints: number) => `${basisPoints / 100}%`;
const share = (amount: Fen, basisPoints: number) => Math.floor((amount * basisPoints) / 10_000);

/**
 * The most an application may receive under the rule, and how. `terms` (the measure's cap period,
 * payout and funded item) word a cap and a measure without one as the catalogue does (supportInWords):
 * a per-year cap as 每年最高, an uncapped one-off subsidy or voucher as paid in an amount the decision sets.
 */
export function assessAmount(rule: AmountRule, facts: ApplicationFacts, terms: Omit<SupportTerms, 'amount'> = {}): AmountAssessment {
  switch (rule.kind) {
    case 'none':
      return { maxAmountFen: null, explanation: supportInWords({ ...terms, amount: rule }) };
    case 'cap':
      return { maxAmountFen: rule.capFen, explanation: supportInWords({ ...terms, amount: rule }) };
    case 'fixed':
      return { maxAmountFen: rule.amountFen, explanation: `定额 ${yuanText(rule.amountFen)}` };
    case 'share-of-base': {
      const base = facts[rule.base];
      if (base === undefined) return { maxAmountFen: 0, explanation: `需填写${factLabel(rule.base)}`, missingFact: rule.base };
      const portion = share(base, rule.shareBasisPoints);
      return {
        maxAmountFen: Math.min(portion, rule.capFen),
        explanation: `实际研发投入 ${yuanText(base)} 的 ${pct(rule.shareBasisPoints)} 为 ${yuanText(portion)}，且不超过 ${yuanText(rule.capFen)}`,
      };
    }
    case 'cap-with-uplift': {
      const uplifted = facts[rule.when] === true;
      const cap = uplifted ? rule.capFen + share(rule.capFen, rule.upliftBasisPoints) : rule.capFen;
      return {
        maxAmountFen: cap,
        explanation: uplifted ? `最高 ${yuanText(rule.capFen)}，因显著推介城市形象增加 ${pct(rule.upliftBasisPoints)}，合计 ${yuanText(cap)}` : `最高 ${yuanText(rule.capFen)}`,
      };
    }
    case 'monthly': {
      const rent = facts[rule.base];
      const months = facts.months ?? rule.maxMonths;
      if (rent === undefined) return { maxAmountFen: 0, explanation: `需填写${factLabel(rule.base)}`, missingFact: rule.base };
      const monthly = Math.min(rent, rule.monthlyCapFen);
      const counted = Math.min(months, rule.maxMonths);
      return {
        maxAmountFen: monthly * counted,
        explanation: `每月取实际租金 ${yuanText(rent)} 与 ${yuanText(rule.monthlyCapFen)} 中的较低者，乘以 ${counted} 个月（最长 ${rule.maxMonths} 个月），合计 ${yuanText(monthly * counted)}`,
      };
    }
    case 'rent-waiver': {
      const rent = facts[rule.base];
      if (rent === undefined) return { maxAmountFen: 0, explanation: `需填写${factLabel(rule.base)}`, missingFact: rule.base };
      const yearly = rule.waivedBasisPointsByYear.map((bp) => share(rent * 12, bp));
      const total = yearly.reduce((a, b) => a + b, 0);
      return {
        maxAmountFen: total,
        explanation: `每月租金 ${yuanText(rent)}，第 1–${yearly.length} 年分别减免 ${rule.waivedBasisPointsByYear.map(pct).join(' / ')}：${yearly.map(yuanText).join(' + ')} = ${yuanText(total)}`,
      };
    }
    case 'interest-subsidy': {
      const { loanPrincipalFen, loanRateBasisPoints, lprBasisPoints, termMonths } = facts;
      if (loanPrincipalFen === undefined || loanRateBasisPoints === undefined || termMonths === undefined || (rule.of === 'lpr' && lprBasisPoints === undefined)) {
        return { maxAmountFen: 0, explanation: '需填写贷款本金、贷款年利率和贷款期限（按 LPR 贴息的还需同期 LPR）', missingFact: 'loanPrincipalFen' };
      }
      const subsidisedRate =
        rule.of === 'lpr' ? Math.min(loanRateBasisPoints, share(lprBasisPoints!, rule.shareBasisPoints)) : share(loanRateBasisPoints, rule.shareBasisPoints);
      const rateInWords =
        rule.of === 'lpr'
          ? `贷款年利率 ${pct(loanRateBasisPoints)} 与同期 LPR ${pct(lprBasisPoints ?? 0)} 的 ${pct(rule.shareBasisPoints)} 中的较低者`
          : `贷款年利率 ${pct(loanRateBasisPoints)} 的 ${pct(rule.shareBasisPoints)}`;
      // Basis points of a yearly rate over months: principal × rate/10,000 × months/12, rounded down to the fen.
      const amount = Math.floor((loanPrincipalFen * subsidisedRate * termMonths) / (10_000 * 12));
      return { maxAmountFen: amount, explanation: `本金 ${yuanText(loanPrincipalFen)} × ${rateInWords} × ${termMonths}/12 年 = ${yuanText(amount)}` };
    }
    case 'interest-paid-subsidy': {
      const { interestPaidFen, loanRateBasisPoints, lprBasisPoints } = facts;
      if (interestPaidFen === undefined) return { maxAmountFen: 0, explanation: `需填写${factLabel('interestPaidFen')}`, missingFact: 'interestPaidFen' };
      if (rule.of === 'loan-rate') {
        const amount = share(interestPaidFen, rule.shareBasisPoints);
        return { maxAmountFen: amount, explanation: `实际支付利息 ${yuanText(interestPaidFen)} 的 ${pct(rule.shareBasisPoints)} = ${yuanText(amount)}` };
      }
      if (loanRateBasisPoints === undefined || loanRateBasisPoints <= 0 || lprBasisPoints === undefined) {
        return { maxAmountFen: 0, explanation: `需填写${factLabel('loanRateBasisPoints')}和${factLabel('lprBasisPoints')}`, missingFact: loanRateBasisPoints === undefined ? 'loanRateBasisPoints' : 'lprBasisPoints' };
      }
      // The subsidised rate over the loan's rate is the subsidised share of every fen of interest paid.
      const subsidisedRate = Math.min(loanRateBasisPoints, share(lprBasisPoints, rule.shareBasisPoints));
      const amount = Math.floor((interestPaidFen * subsidisedRate) / loanRateBasisPoints);
      return {
        maxAmountFen: amount,
        explanation: `实际支付利息 ${yuanText(interestPaidFen)} × 贷款年利率 ${pct(loanRateBasisPoints)} 与同期 LPR ${pct(lprBasisPoints)} 的 ${pct(rule.shareBasisPoints)} 中的较低者 ÷ 贷款年利率 = ${yuanText(amount)}`,
      };
    }
    case 'per-unit': {
      const count = facts[rule.base];
      if (count === undefined) return { maxAmountFen: 0, explanation: `需填写${factLabel(rule.base)}`, missingFact: rule.base };
      if (rule.perUnitFen === null) {
        return { maxAmountFen: rule.capFen, explanation: `按参训规模（${count} 人）核定，每门课程不超过 ${yuanText(rule.capFen)}（每人标准由主管部门核定）` };
      }
      const scaled = rule.perUnitFen * count;
      return { maxAmountFen: Math.min(scaled, rule.capFen), explanation: `每人 ${yuanText(rule.perUnitFen)} × ${count} 人 = ${yuanText(scaled)}，且不超过 ${yuanText(rule.capFen)}` };
    }
    case 'in-kind':
      return { maxAmountFen: null, explanation: `提供每年最高价值 ${yuanText(rule.capFen)} 的共享服务，不以现金发放` };
  }
}
