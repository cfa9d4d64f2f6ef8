import { formatFen, type Fen } from '../money/fen.js';
import type { AmountRule, ApplicantKind, ApplicationFacts, EligibilityRule } from './programme.js';

const APPLICANT_KIND_NAMES: Record<ApplicantKind, string> = {
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
  description: `申请主体：${kinds.map((k) => APPLICANT_KIND_NAMES[k]).join('、')}`,
  check: (f) =>
    f.applicantKind && kinds.includes(f.applicantKind)
      ? undefined
      : `open to ${kinds.join(', ')}; the applicant is ${f.applicantKind ?? 'not stated'}`,
});

export const registeredIn = (district: string): EligibilityRule => ({
  rule: 'registered-district',
  description: `注册在${district}`,
  check: (f) => (f.registeredDistrict === district ? undefined : `open to applicants registered in ${district}; this one is registered in ${f.registeredDistrict ?? 'no stated district'}`),
});

export const minimumAge = (years: number): EligibilityRule => ({
  rule: 'minimum-age',
  description: `年满 ${years} 周岁`,
  check: (f) => (f.age !== undefined && f.age >= years ? undefined : `the applicant must be at least ${years} years old; stated age is ${f.age ?? 'missing'}`),
});

export const factHolds = (fact: keyof ApplicationFacts, rule: string, description: string, failure: string): EligibilityRule => ({
  rule,
  description,
  check: (f) => (f[fact] === true ? undefined : failure),
});

export const oneOf = (fact: 'titleField' | 'complaintCategory', allowed: readonly string[], rule: string, description: string): EligibilityRule => ({
  rule,
  description,
  check: (f) => (f[fact] !== undefined && allowed.includes(f[fact]!) ? undefined : `${fact} must be one of ${allowed.join('、')}; got ${f[fact] ?? 'nothing'}`),
});

/** YOUNG人才公寓: ≤ `maxDays` days a stay and ≤ `maxStays` stays a calendar year. */
export const stayQuota = (maxDays: number, maxStays: number): EligibilityRule[] => [
  {
    rule: 'stay-length',
    description: `每次入住不超过 ${maxDays} 天`,
    check: (f) => (f.stayDays !== undefined && f.stayDays >= 1 && f.stayDays <= maxDays ? undefined : `a stay is 1 to ${maxDays} days; requested ${f.stayDays ?? 'no'} days`),
  },
  {
    rule: 'stays-per-year',
    description: `每年不超过 ${maxStays} 次`,
    check: (f) => ((f.staysThisYear ?? 0) < maxStays ? undefined : `at most ${maxStays} stays a calendar year; ${f.staysThisYear} already taken`),
  },
];

/** 免罚急救包: no penalty only when the violation is the first, the harm minor and it was corrected in time — all three. */
export const penaltyExemptionConditions: EligibilityRule = {
  rule: 'penalty-exemption-conditions',
  description: '初次违法、危害后果轻微、及时改正，三者同时满足',
  check: (f) => {
    const missing = [
      f.firstViolation === true ? undefined : '初次违法 (first violation)',
      f.minorHarm === true ? undefined : '危害后果轻微 (minor harm)',
      f.correctedInTime === true ? undefined : '及时改正 (corrected in time)',
    ].filter((m): m is string => m !== undefined);
    return missing.length === 0 ? undefined : `exemption needs all three conditions; not met: ${missing.join(', ')}`;
  },
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

export function assessAmount(rule: AmountRule, facts: ApplicationFacts): AmountAssessment {
  switch (rule.kind) {
    case 'none':
      return { maxAmountFen: null, explanation: 'no payment: a service or filing' };
    case 'cap':
      return { maxAmountFen: rule.capFen, explanation: `cap ${formatFen(rule.capFen)}` };
    case 'fixed':
      return { maxAmountFen: rule.amountFen, explanation: `fixed ${formatFen(rule.amountFen)}` };
    case 'share-of-base': {
      const base = facts[rule.base];
      if (base === undefined) return { maxAmountFen: 0, explanation: 'needs the R&D spend', missingFact: rule.base };
      const portion = share(base, rule.shareBasisPoints);
      return {
        maxAmountFen: Math.min(portion, rule.capFen),
        explanation: `min(${pct(rule.shareBasisPoints)} of R&D spend ${formatFen(base)} = ${formatFen(portion)}, cap ${formatFen(rule.capFen)})`,
      };
    }
    case 'cap-with-uplift': {
      const uplifted = facts[rule.when] === true;
      const cap = uplifted ? rule.capFen + share(rule.capFen, rule.upliftBasisPoints) : rule.capFen;
      return {
        maxAmountFen: cap,
        explanation: uplifted ? `cap ${formatFen(rule.capFen)} + ${pct(rule.upliftBasisPoints)} for promoting the city's image = ${formatFen(cap)}` : `cap ${formatFen(rule.capFen)}`,
      };
    }
    case 'monthly': {
      const rent = facts[rule.base];
      const months = facts.months ?? rule.maxMonths;
      if (rent === undefined) return { maxAmountFen: 0, explanation: 'needs the monthly rent', missingFact: rule.base };
      const monthly = Math.min(rent, rule.monthlyCapFen);
      const counted = Math.min(months, rule.maxMonths);
      return {
        maxAmountFen: monthly * counted,
        explanation: `min(rent ${formatFen(rent)}, ${formatFen(rule.monthlyCapFen)}) a month × ${counted} months (at most ${rule.maxMonths}) = ${formatFen(monthly * counted)}`,
      };
    }
    case 'rent-waiver': {
      const rent = facts[rule.base];
      if (rent === undefined) return { maxAmountFen: 0, explanation: 'needs the monthly rent', missingFact: rule.base };
      const yearly = rule.waivedBasisPointsByYear.map((bp) => share(rent * 12, bp));
      const total = yearly.reduce((a, b) => a + b, 0);
      return {
        maxAmountFen: total,
        explanation: `rent ${formatFen(rent)} a month waived ${rule.waivedBasisPointsByYear.map(pct).join(' / ')} in years 1–${yearly.length}: ${yearly.map(formatFen).join(' + ')} = ${formatFen(total)}`,
      };
    }
    case 'interest-subsidy': {
      const { loanPrincipalFen, loanRateBasisPoints, lprBasisPoints, termMonths } = facts;
      if (loanPrincipalFen === undefined || loanRateBasisPoints === undefined || termMonths === undefined || (rule.of === 'lpr' && lprBasisPoints === undefined)) {
        return { maxAmountFen: 0, explanation: 'needs the loan principal, its rate and term (and the same-period LPR where the subsidy refers to it)', missingFact: 'loanPrincipalFen' };
      }
      const subsidisedRate =
        rule.of === 'lpr' ? Math.min(loanRateBasisPoints, share(lprBasisPoints!, rule.shareBasisPoints)) : share(loanRateBasisPoints, rule.shareBasisPoints);
      const rateInWords =
        rule.of === 'lpr'
          ? `min(loan rate ${pct(loanRateBasisPoints)}, ${pct(rule.shareBasisPoints)} of LPR ${pct(lprBasisPoints ?? 0)})`
          : `${pct(rule.shareBasisPoints)} of the loan rate ${pct(loanRateBasisPoints)}`;
      // Basis points of a yearly rate over months: principal × rate/10,000 × months/12, rounded down to the fen.
      const amount = Math.floor((loanPrincipalFen * subsidisedRate * termMonths) / (10_000 * 12));
      return { maxAmountFen: amount, explanation: `principal ${formatFen(loanPrincipalFen)} × ${rateInWords} × ${termMonths}/12 years = ${formatFen(amount)}` };
    }
  }
}
