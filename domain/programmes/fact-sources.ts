import type { RegisterKind } from '../registers/registers.js';
import type { ApplicantKind, FactName } from './programme.js';

/**
 * Where each fact of an application comes from (issue 14 part 1). A fact a department's register
 * can answer is looked up there, keyed as below, and whatever the applicant typed for it is
 * replaced by the register's answer. Every other fact is claimed (申请人声明) and must be verified
 * by the official at the completeness check before money is decided on it.
 */
export type FactLookup =
  /** An entry for the applicant's 统一社会信用代码 (only entries of this carrier, when named). */
  | { register: 'carrier-tenants'; by: 'credit-code'; carrier?: string }
  | { register: 'key-enterprises'; by: 'credit-code'; category: string }
  /** A company's 统一社会信用代码, or a person's account. */
  | { register: 'talent-recognitions'; by: 'credit-code-or-account' }
  /** The applicant's 统一社会信用代码 and the item (drama) the application is for. */
  | { register: 'national-selections'; by: 'credit-code-and-item' }
  /** The venue the applicant names. */
  | { register: 'live-venues'; by: 'venue' }
  /** The LPR last published on or before the day of the application, of the loan's tenor. */
  | { register: 'lpr'; by: 'month' };

export const FACT_LOOKUPS: Partial<Record<FactName, FactLookup>> = {
  admittedToCarrier: { register: 'carrier-tenants', by: 'credit-code' },
  vJuchangTenant: { register: 'carrier-tenants', by: 'credit-code', carrier: 'V聚场' },
  keyCulturalEnterprise: { register: 'key-enterprises', by: 'credit-code', category: '重点文创企业' },
  meetsCityTalentStandard: { register: 'talent-recognitions', by: 'credit-code-or-account' },
  nationallySelected: { register: 'national-selections', by: 'credit-code-and-item' },
  venueOnPublishedList: { register: 'live-venues', by: 'venue' },
  lprBasisPoints: { register: 'lpr', by: 'month' },
};

export const factSourceOf = (fact: FactName): FactLookup | 'claimed' => FACT_LOOKUPS[fact] ?? 'claimed';

/**
 * Facts that are no claim to verify: the amount asked for is a request, and what the server derives
 * itself (the stays already taken, the funded item of a measure that funds the applicant) is not the applicant's word.
 */
export const NOT_CLAIMS: readonly FactName[] = ['requestedAmountFen', 'staysThisYear', 'unifiedSocialCreditCode'];

/** Applicants that are organisations: they have a 统一社会信用代码, and a register keyed on it needs it. */
export const ORGANISATION_KINDS: readonly ApplicantKind[] = ['company', 'mcn', 'platform', 'carrier-operator', 'drama-producer', 'training-institution', 'event-organiser'];

/** The Chinese name of a fact, for messages and the case page. */
export const FACT_LABELS: Readonly<Partial<Record<FactName, string>>> = {
  requestedAmountFen: '申请金额',
  applicantKind: '申请主体类型',
  registeredDistrict: '注册区',
  age: '年龄',
  itemId: '项目或作品编号',
  rdSpendFen: '实际研发投入',
  promotesCityImage: '作品明显提升城市形象',
  monthlyRentFen: '每月实际租金',
  months: '月数',
  admittedToCarrier: '已入驻认定载体',
  vJuchangTenant: '入驻 V聚场',
  keyCulturalEnterprise: '列入重点文创企业名录',
  hasImportantAward: '获得过重要奖项',
  meetsCityTalentStandard: '符合本市人才引进标准',
  titleField: '职称评审专业',
  nationallySelected: '入选国家级项目',
  holdsScriptCopyright: '持有剧本著作权',
  loanPrincipalFen: '贷款本金',
  loanRateBasisPoints: '贷款年利率',
  lprBasisPoints: '同期 LPR',
  termMonths: '贷款期限',
  complaintCategory: '维权类别',
  stayDays: '本次入住天数',
  staysThisYear: '本年度已入住次数',
  firstViolation: '首次违规',
  minorHarm: '危害后果轻微',
  correctedInTime: '已及时改正',
  venueOnPublishedList: '场地在公布的共享直播场地名单内',
  unifiedSocialCreditCode: '统一社会信用代码',
};

export const factLabel = (fact: string): string => FACT_LABELS[fact as FactName] ?? fact;

/** The fact a name or a Chinese label stands for (a form shows the label); unknown text is returned as it is. */
export const factNamed = (text: string): string => (Object.entries(FACT_LABELS).find(([, label]) => label === text.trim())?.[0] ?? text.trim());

export type { RegisterKind };
