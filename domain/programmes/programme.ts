import type { Fen } from '../money/fen.js';
import type { LocalDate } from '../time/local-date.js';

/** Who reviews applications under a measure. */
export type ReviewingDepartment = 'cac' | 'yangpu-fund' | 'yangpu-investment' | 'huangpu' | 'xuhui' | 'culture-tourism' | 'hrss';

export type ProgrammeFamily = 'hu9' | 'yangpu' | 'huangpu' | 'drama-hu8' | 'xuhui';
export type GovernmentLevel = 'city' | 'district';

/** What one award is counted against: the item a cap applies to and that must not be funded twice. */
export type FundedItem = 'content-item' | 'project' | 'course' | 'company' | 'person' | 'event' | 'voucher-item' | 'loan' | 'none';

/** The facts an applicant states; each measure names the ones it needs. */
export interface ApplicationFacts {
  requestedAmountFen?: Fen;
  applicantKind?: ApplicantKind;
  registeredDistrict?: string;
  age?: number;
  /** The item being funded (a content item, project, course …): what stacking is checked against. */
  itemId?: string;
  /** Actual R&D spend, for measures paid as a share of it. */
  rdSpendFen?: Fen;
  /** The drama clearly promotes the city's image and culture-commerce-tourism (+50%). */
  promotesCityImage?: boolean;
  monthlyRentFen?: Fen;
  months?: number;
  admittedToCarrier?: boolean;
  /**
   * The day the company was admitted to the carrier (入驻日期): the register entry's first day, put
   * here by the look-up that answers `admittedToCarrier`, never typed. A rent waiver's contract years
   * count from it (001 免: 入驻首年全免, 第二年 75%, 第三年 50%).
   */
  admittedOn?: LocalDate;
  hasImportantAward?: boolean;
  meetsCityTalentStandard?: boolean;
  /** 职称 review field. */
  titleField?: string;
  /** Selected by a national programme (广电总局精品工程 etc.) and holds the script copyright. */
  nationallySelected?: boolean;
  holdsScriptCopyright?: boolean;
  /** Loan facts for interest subsidies: principal, the rate paid and the same-period LPR, in basis points. */
  loanPrincipalFen?: Fen;
  loanRateBasisPoints?: number;
  lprBasisPoints?: number;
  termMonths?: number;
  /** 盾牌行动 complaint category: one of the listed harms, or 其他 with `complaintDescription`. */
  complaintCategory?: string;
  /** What the harm is when the category is 其他 (the source's list ends in 等): the official reviews it. */
  complaintDescription?: string;
  /** The 职称 field when it is 其他 (the source's list ends in 等): the official reviews it. */
  titleFieldDescription?: string;
  /** The loan that an interest subsidy is for: who lent it and the contract's number identify it. */
  loanLender?: string;
  loanContractNo?: string;
  /** Interest actually paid on the loan over the stated period (from the bank's statement). */
  interestPaidFen?: Fen;
  interestPeriodFrom?: LocalDate;
  interestPeriodTo?: LocalDate;
  /** The micro-drama's 备案号 (planning or online filing number): what identifies the drama. */
  dramaFilingNo?: string;
  /** The company's 统一社会信用代码: what identifies a company funded as such. */
  unifiedSocialCreditCode?: string;
  /** The company is a tenant of V聚场 (杨浦直播券 is open to V聚场 tenants only, 001); a register answers it. */
  vJuchangTenant?: boolean;
  /** Listed in the 重点文创企业名录 (a register answers it). */
  keyCulturalEnterprise?: boolean;
  /** 免罚急救包, Art. 33(1) second sentence: the party has evidence it bore no subjective fault. */
  noSubjectiveFault?: boolean;
  /** The trainees of a training course (沪8条 八: the award scales with the trainees). */
  trainees?: number;
  /** YOUNG人才公寓: the nights of this stay and the stays already taken this calendar year. */
  stayDays?: number;
  /**
   * YOUNG人才公寓 since catalogue 2026-12-03 (asked from 2026-12-05): the stay's first day (入住日期), a
   * Shanghai calendar date. Its calendar year is the one whose stays `staysThisYear` counts.
   */
  stayStartDate?: LocalDate;
  staysThisYear?: number;
  /** 免罚急救包: all three must hold. */
  firstViolation?: boolean;
  minorHarm?: boolean;
  correctedInTime?: boolean;
  /** Listed venue for 杨浦直播券. */
  venueOnPublishedList?: boolean;
}

export type ApplicantKind = 'individual-creator' | 'creator-team' | 'company' | 'mcn' | 'platform' | 'carrier-operator' | 'drama-producer' | 'training-institution' | 'event-organiser';

export type FactName = keyof ApplicationFacts;

/** How much a measure may pay. */
export type AmountRule =
  | { kind: 'none' }
  | { kind: 'cap'; capFen: Fen }
  | { kind: 'fixed'; amountFen: Fen }
  /** A share of a declared base (basis points of 1/100 %), capped. */
  | { kind: 'share-of-base'; base: 'rdSpendFen'; shareBasisPoints: number; capFen: Fen }
  /** A cap raised by a share when a fact holds (the +50% for city-image dramas). */
  | { kind: 'cap-with-uplift'; capFen: Fen; upliftBasisPoints: number; when: 'promotesCityImage' }
  /** Each month min(actual, cap) for at most `maxMonths` months. */
  | { kind: 'monthly'; monthlyCapFen: Fen; maxMonths: number; base: 'monthlyRentFen' }
  /** The tenant pays the rest: the share of rent waived in each contract year. */
  | { kind: 'rent-waiver'; waivedBasisPointsByYear: readonly number[]; base: 'monthlyRentFen' }
  /** Interest subsidy over the loan's term: a share of the same-period LPR (at most the loan's own rate), or a share of the loan's own rate. */
  | { kind: 'interest-subsidy'; shareBasisPoints: number; of: 'lpr' | 'loan-rate' }
  /**
   * Since catalogue 2026-12-03: a share of the interest actually paid over a stated period. With
   * `of: 'lpr'` the subsidised share of the interest is min(rate, share × LPR) / rate; with
   * 'loan-rate' it is `shareBasisPoints` of the interest paid.
   */
  | { kind: 'interest-paid-subsidy'; shareBasisPoints: number; of: 'lpr' | 'loan-rate' }
  /**
   * An amount per unit of a counted base (trainees), capped. `perUnitFen` null: the source scales
   * the award with the count but publishes no rate, so the official sets it within the cap.
   */
  | { kind: 'per-unit'; base: 'trainees'; perUnitFen: Fen | null; capFen: Fen }
  /** Services in kind worth at most `capFen` a year: nothing is paid in cash. */
  | { kind: 'in-kind'; capFen: Fen };

export type PayoutShape =
  | { kind: 'one-off' }
  | { kind: 'monthly'; maxMonths: number }
  | { kind: 'rent-waiver-years'; years: number }
  | { kind: 'voucher' }
  | { kind: 'none' };

/** A cap counted per award, or per calendar year for the same item. */
export type CapPeriod = 'per-award' | 'per-year';

export interface EligibilityRule {
  rule: string;
  description: string;
  /** The fact the rule reads, where a form shows its refusal (absent: the refusal belongs to the application as a whole). */
  fact?: FactName;
  /**
   * Where a rule reads several facts, the one a refusal of these facts is told at (the condition that
   * fails, a field the form has): `fact` otherwise.
   */
  factOf?(facts: ApplicationFacts): FactName;
  /** The only values the fact may take under this rule (the applicant kinds a measure is for): a form offers just these. */
  options?: readonly string[];
  /** Undefined when the facts satisfy the rule; otherwise the message naming the rule and the numbers. */
  check(facts: ApplicationFacts): string | undefined;
  /** Set when the rule passes only subject to the official's review (an open list's 其他): the note says what to review. */
  review?(facts: ApplicationFacts): string | undefined;
}

/** 'planned' where the source says 拟 (a measure announced, its implementing rules still to come). */
export type ProgrammeStatus = 'in-force' | 'planned';

export interface Programme {
  id: string;
  name: { zh: string; en: string };
  family: ProgrammeFamily;
  level: GovernmentLevel;
  /** The source document in shared/seeds (by its number) and the measure within it. */
  source: string;
  department: ReviewingDepartment;
  /** What kind of case it opens: an application for money, a service, or a filing. */
  caseKind: 'award' | 'loan' | 'service' | 'filing';
  requiredFacts: readonly FactName[];
  eligibility: readonly EligibilityRule[];
  amount: AmountRule;
  capPeriod: CapPeriod;
  fundedItem: FundedItem;
  payout: PayoutShape;
  /** Whether the programme's cases pass the 网信 content-compliance review. */
  requiresContentReview: boolean;
  /** Plain-words summary of the rules and caps, for the catalogue page. */
  rulesInWords: string;
  /**
   * Since catalogue 2026-12-03 (absent in older versions, whose rules stay as they were): the
   * version the measure belongs to. Measures carrying it are stacked by the matrix in stacking.ts
   * and counted against the item their identifying facts name (fundedItemKey).
   */
  catalogueVersion?: string;
  /** The first day an application may be made (沪九条: 15 July 2025). */
  effectiveFrom?: LocalDate;
  status?: ProgrammeStatus;
  /** The facts that identify the funded item (the loan's lender and contract …); absent: the stated itemId. */
  identifiedBy?: readonly FactName[];
  /** Where the service is delivered by someone else than the department: the case is a referral to them. */
  referral?: { to: string; source: string };
}
