import type { FieldIssue } from '../errors.js';
import { yuanText } from '../programmes/fact-labels.js';
import type { AmountRule, CapPeriod, EligibilityRule, PayoutShape, Programme } from '../programmes/programme.js';
import { minimumAge, openList, stayQuota } from '../programmes/rules.js';
import type { StepTimeLimitTerms } from '../time-limits/step-time-limit.js';

/**
 * The part of a measure's terms the office sets (issue 14 part 4): the amount formula's parameters
 * and caps, the cap period, the numeric and list parameters of its conditions, the time limits and
 * the documents required. The formula's kind, what it is based on, who may apply and what the case
 * does stay in the code catalogue: an officer changes numbers and lists, not the rule's shape.
 */
export interface PublishedTerms {
  amount: AmountRule;
  capPeriod: CapPeriod;
  timeLimits: StepTimeLimitTerms;
  conditions: ConditionParameters;
  /** The materials an applicant is asked to submit (names, in Chinese); the code catalogue names none. */
  requiredDocuments: readonly string[];
}

/** The conditions of the catalogue that carry a number or a list, by measure. */
export interface ConditionParameters {
  /** 全媒体运营师: 年满 N 周岁. */
  minimumAge?: number;
  /** YOUNG人才公寓: days a stay, stays a calendar year. */
  maxStayDays?: number;
  maxStaysPerYear?: number;
  /** 职称 fields and 盾牌行动 harms: the listed values of lists that end in 等 (其他 is always open). */
  listedTitleFields?: readonly string[];
  listedComplaintCategories?: readonly string[];
}

const TITLE_FIELDS = ['工艺美术', '艺术', '文物博物', '经济'] as const;
const COMPLAINT_CATEGORIES = ['敲诈勒索', '造谣诽谤', '抹黑攻击', '网络暴力', '账号假冒仿冒'] as const;

/** The condition parameters the code catalogue (2026-12-03) has, by measure: what a first version starts from. */
const CODE_CONDITIONS: Readonly<Record<string, ConditionParameters>> = {
  'hu9-all-media-operator-certification': { minimumAge: 16 },
  'yangpu-talent-apartment': { maxStayDays: 5, maxStaysPerYear: 2 },
  'hu9-professional-title': { listedTitleFields: TITLE_FIELDS },
  'hu9-shield': { listedComplaintCategories: COMPLAINT_CATEGORIES },
};

export const CONDITION_LABELS: Readonly<Record<keyof ConditionParameters, string>> = {
  minimumAge: '最低年龄（周岁）',
  maxStayDays: '每次入住最多天数',
  maxStaysPerYear: '每年最多入住次数',
  listedTitleFields: '职称评审专业（列举项，另可选“其他”）',
  listedComplaintCategories: '盾牌行动受理的侵权类型（列举项，另可选“其他”）',
};

/** The terms as the code catalogue has them: version 0 of every measure. */
export function codeTermsOf(programme: Programme, timeLimits: StepTimeLimitTerms): PublishedTerms {
  return {
    amount: programme.amount,
    capPeriod: programme.capPeriod,
    timeLimits,
    conditions: programme.catalogueVersion === undefined ? {} : (CODE_CONDITIONS[programme.id] ?? {}),
    requiredDocuments: [],
  };
}

/** The numeric fields of each amount rule an officer may set; every other field is the formula's shape. */
const AMOUNT_PARAMETERS: Readonly<Record<AmountRule['kind'], readonly string[]>> = {
  none: [],
  cap: ['capFen'],
  fixed: ['amountFen'],
  'share-of-base': ['shareBasisPoints', 'capFen'],
  'cap-with-uplift': ['capFen', 'upliftBasisPoints'],
  monthly: ['monthlyCapFen', 'maxMonths'],
  'rent-waiver': ['waivedBasisPointsByYear'],
  'interest-subsidy': ['shareBasisPoints'],
  'interest-paid-subsidy': ['shareBasisPoints'],
  'per-unit': ['perUnitFen', 'capFen'],
  'in-kind': ['capFen'],
};

const FIELD_NAMES: Readonly<Record<string, string>> = {
  capFen: '最高额（分）',
  amountFen: '定额（分）',
  shareBasisPoints: '比例（基点，1% = 100）',
  upliftBasisPoints: '上浮比例（基点）',
  monthlyCapFen: '每月最高额（分）',
  maxMonths: '最长月数',
  waivedBasisPointsByYear: '各年减免比例（基点）',
  perUnitFen: '每人标准（分）',
};

const MAX_FEN = 100_000_000_000; // 1,000,000,000.00: far above any cap the sources name, below the safe-integer range.
const isCount = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= max;

/** A parameter's value as the source documents state it, for the message that holds a draft to it. */
function sourceValueText(field: string, value: number): string {
  if (field.endsWith('Fen')) return yuanText(value);
  if (field.endsWith('BasisPoints') || field === 'waivedBasisPointsByYear') return `${value / 100}%`;
  return `${value} 个月`;
}

/**
 * Every problem of a draft, at once: what is not the office's to change, and numbers out of range,
 * each naming its field in plain Chinese. `base` is the code catalogue's measure. The catalogue's
 * amounts, shares and
 * periods are the source documents' maxima (徐汇: 优质作品 ≤ 1,000,000 each): an office may lower
 * them, never raise them; and a minimum age the sources set may be raised, never lowered.
 */
export function publishedTermsProblems(base: Programme, terms: PublishedTerms): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const amount = terms.amount as unknown as Record<string, unknown>;
  const original = base.amount as unknown as Record<string, unknown>;
  if (terms.amount.kind !== base.amount.kind) {
    issues.push({ field: 'amount.kind', message: '金额规则的计算方式不能改变，只能调整其中的金额、比例或期限' });
  } else {
    const parameters = AMOUNT_PARAMETERS[base.amount.kind];
    for (const [field, value] of Object.entries(original)) {
      if (field === 'kind' || parameters.includes(field)) continue;
      if (JSON.stringify(amount[field]) !== JSON.stringify(value)) issues.push({ field: `amount.${field}`, message: '金额规则的计算依据不能改变' });
    }
    for (const field of Object.keys(amount)) {
      if (field !== 'kind' && !(field in original)) issues.push({ field: `amount.${field}`, message: `本措施的金额规则没有“${FIELD_NAMES[field] ?? field}”这一项` });
    }
    for (const field of parameters) {
      const value = amount[field];
      const label = FIELD_NAMES[field] ?? field;
      const sourceValue = original[field];
      if (field === 'waivedBasisPointsByYear') {
        const years = original[field] as readonly number[];
        if (!Array.isArray(value) || value.length !== years.length || !value.every((bp) => isCount(bp, 10_000))) {
          issues.push({ field: `amount.${field}`, message: `${label}须为 ${years.length} 个 0 至 10000 的整数` });
        } else if (value.some((bp, year) => bp > years[year]!)) {
          issues.push({ field: `amount.${field}`, message: `${label}不能高于政策文件规定的逐年比例（${years.map((bp) => sourceValueText(field, bp)).join('、')}）` });
        }
        continue;
      }
      if (typeof sourceValue === 'number' && typeof value === 'number' && Number.isSafeInteger(value) && value > sourceValue) {
        issues.push({ field: `amount.${field}`, message: `${label.replace(/（[^）]*）$/, '')}不能高于政策文件规定的 ${sourceValueText(field, sourceValue)}（可以调低，不能调高）` });
      } else if (field === 'perUnitFen' && value === null) {
        continue;
      } else if (field.endsWith('BasisPoints')) {
        if (!isCount(value, 10_000) || value === 0) issues.push({ field: `amount.${field}`, message: `${label}须为 1 至 10000 的整数` });
      } else if (field === 'maxMonths') {
        if (!isCount(value, 120) || value === 0) issues.push({ field: `amount.${field}`, message: `${label}须为 1 至 120 的整数` });
      } else if (!isCount(value, MAX_FEN) || value === 0) {
        issues.push({ field: `amount.${field}`, message: `${label}须为大于零的整数（以分计），不超过 ${yuanText(MAX_FEN)}` });
      }
    }
  }
  if (terms.capPeriod !== base.capPeriod && !(base.amount.kind === 'cap' || base.amount.kind === 'in-kind')) {
    issues.push({ field: 'capPeriod', message: '只有按最高额计的措施可以改为按年或按次计算上限' });
  }
  for (const [field, label] of [['contentReviewWorkingDays', '网信内容审查时限'], ['decisionWorkingDays', '作出决定时限']] as const) {
    const days = terms.timeLimits[field];
    if (!isCount(days, 60) || days === 0) issues.push({ field: `timeLimits.${field}`, message: `${label}须为 1 至 60 个工作日` });
  }
  // A legal limit is not the office's to lengthen: 行政许可法 Art. 42 gives 20 working days to decide.
  if (isCount(terms.timeLimits.decisionWorkingDays, 60) && terms.timeLimits.decisionWorkingDays > 20) {
    issues.push({ field: 'timeLimits.decisionWorkingDays', message: '作出决定时限不得超过 20 个工作日（行政许可法第四十二条）' });
  }
  const allowed = Object.keys(CODE_CONDITIONS[base.id] ?? {});
  for (const [field, value] of Object.entries(terms.conditions)) {
    const label = CONDITION_LABELS[field as keyof ConditionParameters] ?? field;
    if (!allowed.includes(field)) {
      issues.push({ field: `conditions.${field}`, message: `本措施的条件没有“${label}”这一参数` });
    } else if (Array.isArray(value)) {
      if (value.length === 0 || value.some((v) => typeof v !== 'string' || v.trim() === '' || v.trim() === '其他')) {
        issues.push({ field: `conditions.${field}`, message: `${label}至少列一项，每项不能为空，也不必列“其他”` });
      }
    } else if (!isCount(value, 100) || (field !== 'minimumAge' && value === 0)) {
      issues.push({ field: `conditions.${field}`, message: `${label}须为 0 至 100 的整数` });
    }
  }
  for (const field of allowed) {
    if (!(field in terms.conditions)) issues.push({ field: `conditions.${field}`, message: `请填写${CONDITION_LABELS[field as keyof ConditionParameters]}` });
  }
  if (terms.requiredDocuments.some((d) => d.trim() === '')) issues.push({ field: 'requiredDocuments', message: '所需材料的名称不能为空' });
  if (new Set(terms.requiredDocuments.map((d) => d.trim())).size !== terms.requiredDocuments.length) issues.push({ field: 'requiredDocuments', message: '所需材料不能重复' });
  const sourceConditions = base.catalogueVersion === undefined ? {} : (CODE_CONDITIONS[base.id] ?? {});
  for (const field of ['maxStayDays', 'maxStaysPerYear'] as const) {
    const value = terms.conditions[field];
    const limit = sourceConditions[field];
    if (limit !== undefined && isCount(value, 100) && value > limit) issues.push({ field: `conditions.${field}`, message: `${CONDITION_LABELS[field]}不能多于政策文件规定的 ${limit}` });
  }
  const { minimumAge } = terms.conditions;
  if (sourceConditions.minimumAge !== undefined && isCount(minimumAge, 100) && minimumAge < sourceConditions.minimumAge) {
    issues.push({ field: 'conditions.minimumAge', message: `${CONDITION_LABELS.minimumAge}不能低于政策文件规定的 ${sourceConditions.minimumAge}` });
  }
  return issues;
}

/** The payout follows the amount rule where the rule fixes its length (the months of a monthly subsidy). */
function payoutUnder(payout: PayoutShape, amount: AmountRule): PayoutShape {
  if (payout.kind === 'monthly' && amount.kind === 'monthly') return { kind: 'monthly', maxMonths: amount.maxMonths };
  return payout;
}

/** The conditions with the published parameters in place of the code's: the same rules, other numbers and lists. */
function eligibilityUnder(rules: readonly EligibilityRule[], conditions: ConditionParameters): EligibilityRule[] {
  const out: EligibilityRule[] = [];
  for (const rule of rules) {
    if (rule.rule === 'minimum-age' && conditions.minimumAge !== undefined) out.push(minimumAge(conditions.minimumAge));
    else if (rule.rule === 'stay-length' && conditions.maxStayDays !== undefined) out.push(stayQuota(conditions.maxStayDays, conditions.maxStaysPerYear ?? 2)[0]!);
    else if (rule.rule === 'stays-per-year' && conditions.maxStaysPerYear !== undefined) out.push(stayQuota(conditions.maxStayDays ?? 5, conditions.maxStaysPerYear)[1]!);
    else if (rule.rule === 'title-field' && conditions.listedTitleFields) {
      out.push(openList('titleField', 'titleFieldDescription', conditions.listedTitleFields, 'title-field', `评审专业：${conditions.listedTitleFields.join('、')}等`));
    } else if (rule.rule === 'complaint-category' && conditions.listedComplaintCategories) {
      out.push(openList('complaintCategory', 'complaintDescription', conditions.listedComplaintCategories, 'complaint-category', `${conditions.listedComplaintCategories.join('、')}等`));
    } else out.push(rule);
  }
  return out;
}

/** The measure as a published version has it: the code's rules with the office's numbers, lists and limits. */
export function programmeUnder(programme: Programme, terms: Pick<PublishedTerms, 'amount' | 'capPeriod' | 'conditions'>): Programme {
  return {
    ...programme,
    amount: terms.amount,
    capPeriod: terms.capPeriod,
    payout: payoutUnder(programme.payout, terms.amount),
    eligibility: eligibilityUnder(programme.eligibility, terms.conditions),
  };
}
