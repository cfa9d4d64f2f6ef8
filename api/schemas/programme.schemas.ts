import { z } from 'zod';
import { APPLICANT_KIND_NAMES } from '../../domain/programmes/rules.js';
import { creditCode, fen, localDate, referenceText, shanghaiDistrict } from './common.schemas.js';

const fact = {
  basisPoints: z.int().min(0).max(100_000),
  flag: z.boolean(),
};

/** The facts of an application, for the eligibility check; every field optional, none unknown. */
export const applicationFactsBody = z.strictObject({
  requestedAmountFen: fen.optional(),
  applicantKind: z
    .enum(['individual-creator', 'creator-team', 'company', 'mcn', 'platform', 'carrier-operator', 'drama-producer', 'training-institution', 'event-organiser'])
    .meta({ enumLabels: APPLICANT_KIND_NAMES })
    .optional(),
  registeredDistrict: shanghaiDistrict.optional(),
  age: z.int().min(0).max(150).optional(),
  itemId: referenceText(200).optional(),
  rdSpendFen: fen.optional(),
  promotesCityImage: fact.flag.optional(),
  monthlyRentFen: fen.optional(),
  months: z.int('月数须为整数').min(1, '月数至少 1 个月').max(600, '月数不超过 600 个月').optional(),
  admittedToCarrier: fact.flag.optional(),
  hasImportantAward: fact.flag.optional(),
  meetsCityTalentStandard: fact.flag.optional(),
  titleField: z.string().trim().min(1).max(50).optional(),
  nationallySelected: fact.flag.optional(),
  holdsScriptCopyright: fact.flag.optional(),
  loanPrincipalFen: fen.optional(),
  loanRateBasisPoints: fact.basisPoints.optional(),
  lprBasisPoints: fact.basisPoints.optional(),
  termMonths: z.int('贷款期限须为整数（月）').min(1, '贷款期限至少 1 个月').max(600, '贷款期限不超过 600 个月').optional(),
  complaintCategory: z.string().trim().min(1).max(50).optional(),
  stayDays: z.int('本次入住天数须为整数').min(1, '本次入住天数至少 1 天').max(366, '本次入住天数不超过 366 天').optional(),
  stayStartDate: localDate.optional(),
  staysThisYear: z.int().min(0).max(366).optional(),
  firstViolation: fact.flag.optional(),
  minorHarm: fact.flag.optional(),
  correctedInTime: fact.flag.optional(),
  venueOnPublishedList: fact.flag.optional(),
  /** Since issue 14: the applicant's 统一社会信用代码, what the departments' registers are looked up by. */
  unifiedSocialCreditCode: z.string().trim().toUpperCase().pipe(creditCode).optional(),
  /** Answered by the carrier-tenant register (typed values are replaced by the register's answer). */
  vJuchangTenant: fact.flag.optional(),
  keyCulturalEnterprise: fact.flag.optional(),
  // Since catalogue 2026-12-03 (issue 14): the identified loan and the interest actually paid, the drama's 备案号, open lists' 其他.
  complaintDescription: z.string().trim().min(1, '请填写说明').max(500, '说明不超过 500 字').optional(),
  titleFieldDescription: z.string().trim().min(1, '请填写说明').max(200, '说明不超过 200 字').optional(),
  loanLender: z.string().trim().min(1, '请填写贷款银行').max(100, '贷款银行名称不超过 100 字').optional(),
  loanContractNo: z.string().trim().min(1, '请填写借款合同编号').max(100, '借款合同编号不超过 100 字').optional(),
  interestPaidFen: fen.optional(),
  interestPeriodFrom: localDate.optional(),
  interestPeriodTo: localDate.optional(),
  dramaFilingNo: z.string().trim().min(1, '请填写备案号').max(100, '备案号不超过 100 字').optional(),
  noSubjectiveFault: fact.flag.optional(),
  trainees: z.int('参训人数须为整数').min(1, '参训人数至少 1 人').max(1_000_000, '参训人数过大').optional(),
});

export const programmeIdParams = z.strictObject({ programmeId: z.string().regex(/^[a-z0-9-]{1,80}$/, '政策事项编号格式不对（如 chuying-loan）') });
