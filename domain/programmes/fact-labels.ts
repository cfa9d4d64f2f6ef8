import { formatFen, type Fen } from '../money/fen.js';
import type { FactName } from './programme.js';

/**
 * Each fact by the name a person reads it under, for the rules' messages (issue 15: plain Chinese).
 * Partial so that a fact added elsewhere does not break the build; factLabel falls back to its name.
 */
export const FACT_LABELS: Partial<Record<FactName, string>> = {
  requestedAmountFen: '申请金额',
  applicantKind: '申请主体类型',
  registeredDistrict: '注册区',
  age: '年龄',
  itemId: '项目或作品编号',
  rdSpendFen: '实际研发投入',
  promotesCityImage: '作品明显提升城市形象、促进文商旅融合',
  monthlyRentFen: '每月实际租金',
  months: '月数',
  admittedToCarrier: '已入驻认定载体',
  admittedOn: '入驻日期',
  hasImportantAward: '获得过重要奖项',
  meetsCityTalentStandard: '符合本市人才引进标准',
  titleField: '职称评审专业',
  titleFieldDescription: '其他职称评审专业的说明',
  nationallySelected: '入选国家级评选项目',
  holdsScriptCopyright: '持有剧本版权',
  loanPrincipalFen: '贷款本金',
  loanRateBasisPoints: '贷款年利率',
  lprBasisPoints: '同期贷款市场报价利率（LPR）',
  termMonths: '贷款期限（月）',
  complaintCategory: '维权类别',
  complaintDescription: '其他侵权行为的说明',
  stayDays: '本次入住天数',
  stayStartDate: '入住日期',
  staysThisYear: '本年度已入住次数',
  firstViolation: '初次违法',
  minorHarm: '危害后果轻微',
  correctedInTime: '及时改正',
  venueOnPublishedList: '场地在公布的共享直播资源清单内',
  loanLender: '贷款银行',
  loanContractNo: '借款合同编号',
  interestPaidFen: '实际支付的利息',
  interestPeriodFrom: '付息期间起始日',
  interestPeriodTo: '付息期间截止日',
  dramaFilingNo: '微短剧备案号',
  unifiedSocialCreditCode: '统一社会信用代码',
  vJuchangTenant: '已入驻 V聚场',
  noSubjectiveFault: '有证据足以证明没有主观过错',
  trainees: '参训人数',
  keyCulturalEnterprise: '已列入上海市重点文创企业名录',
};

export const factLabel = (fact: string): string => FACT_LABELS[fact as FactName] ?? fact;

/** An amount as messages write it: "500,000.00 元". */
export const yuanText = (fen: Fen): string => `${formatFen(fen)} 元`;
