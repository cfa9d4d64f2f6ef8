/** The facts an eligibility check asks for, as form fields: label, kind and hint. */
export interface FactField {
  label: string;
  kind: 'fen' | 'int' | 'bool' | 'text' | 'kind' | 'basis-points' | 'date';
  hint?: string;
  /**
   * A whole number that counts something there must be at least one of (months, trainees, days of a
   * stay): 0 is refused at the step with this message, as the endpoint refuses it. Counts where 0 is
   * a true answer (本年度已入住次数) and ages have none.
   */
  atLeastOne?: string;
}

export const APPLICANT_KINDS: { value: string; label: string }[] = [
  { value: 'individual-creator', label: '个人创作者（UP主、博主等）' },
  { value: 'creator-team', label: '创作团队 / 工作室' },
  { value: 'company', label: '企业' },
  { value: 'mcn', label: 'MCN 机构' },
  { value: 'platform', label: '平台企业' },
  { value: 'carrier-operator', label: '载体运营方' },
  { value: 'drama-producer', label: '微短剧制作方' },
  { value: 'training-institution', label: '培训机构' },
  { value: 'event-organiser', label: '节展/赛事主办方' },
];

export const FACTS: Record<string, FactField> = {
  applicantKind: { label: '申请主体类型', kind: 'kind' },
  requestedAmountFen: { label: '申请金额（元）', kind: 'fen' },
  registeredDistrict: { label: '注册区', kind: 'text', hint: '例如：杨浦区' },
  age: { label: '年龄（周岁）', kind: 'int' },
  itemId: { label: '项目或作品编号', kind: 'text', hint: '同一作品或项目在不同政策下是否可叠加，按此编号核对；微短剧请填写其备案号' },
  rdSpendFen: { label: '实际研发投入（元）', kind: 'fen' },
  promotesCityImage: { label: '作品明显提升城市形象、促进文商旅融合', kind: 'bool' },
  monthlyRentFen: { label: '每月实际租金（元）', kind: 'fen' },
  months: { label: '月数', kind: 'int', atLeastOne: '月数至少 1 个月' },
  admittedToCarrier: { label: '已入驻认定载体（如 V聚场）', kind: 'bool' },
  hasImportantAward: { label: '获得过重要奖项', kind: 'bool' },
  meetsCityTalentStandard: { label: '符合本市人才引进标准', kind: 'bool' },
  titleField: { label: '职称评审专业', kind: 'text', hint: '工艺美术、艺术、文物博物、经济等；都不是请填“其他”并在下一项说明' },
  titleFieldDescription: { label: '其他职称评审专业的说明', kind: 'text', hint: '选择“其他”时填写，由经办人审核' },
  nationallySelected: { label: '入选国家级项目（如广电总局精品工程）', kind: 'bool' },
  holdsScriptCopyright: { label: '持有剧本著作权', kind: 'bool' },
  loanPrincipalFen: { label: '贷款本金（元）', kind: 'fen' },
  loanRateBasisPoints: { label: '贷款年利率（%）', kind: 'basis-points' },
  lprBasisPoints: { label: '同期 LPR（%）', kind: 'basis-points', hint: '贷款市场报价利率，按付息期间对应的月份公布值' },
  termMonths: { label: '贷款期限（月）', kind: 'int', atLeastOne: '贷款期限至少 1 个月' },
  complaintCategory: { label: '维权类别', kind: 'text', hint: '敲诈勒索、造谣诽谤、抹黑攻击、网络暴力、账号假冒仿冒等；都不是请填“其他”并在下一项说明' },
  complaintDescription: { label: '其他侵权行为的说明', kind: 'text', hint: '选择“其他”时填写，由经办人审核' },
  stayDays: { label: '本次入住天数', kind: 'int', atLeastOne: '本次入住天数至少 1 天' },
  stayStartDate: { label: '入住日期', kind: 'date', hint: '本次入住的第一天，一年内；每年入住次数按入住日期所在的年份计算' },
  staysThisYear: { label: '本年度已入住次数', kind: 'int' },
  firstViolation: { label: '首次违规', kind: 'bool' },
  minorHarm: { label: '危害后果轻微', kind: 'bool' },
  correctedInTime: { label: '已及时改正', kind: 'bool' },
  venueOnPublishedList: { label: '场地在公布的共享直播场地名单内', kind: 'bool' },
  loanLender: { label: '贷款银行', kind: 'text', hint: '写到支行，例如：上海银行杨浦支行' },
  loanContractNo: { label: '借款合同编号', kind: 'text', hint: '同一笔贷款只能按合同编号申请贴息，市、区贴息合计不超过实际支付的利息' },
  interestPaidFen: { label: '付息期间实际支付的利息（元）', kind: 'fen', hint: '以银行付息凭证为准' },
  interestPeriodFrom: { label: '付息期间起始日', kind: 'date' },
  interestPeriodTo: { label: '付息期间截止日', kind: 'date' },
  dramaFilingNo: { label: '微短剧备案号', kind: 'text', hint: '规划备案或上线备案的编号：同一部剧按备案号核对是否已获资助' },
  unifiedSocialCreditCode: { label: '统一社会信用代码', kind: 'text', hint: '18 位，见营业执照' },
  vJuchangTenant: { label: '已入驻 V聚场', kind: 'bool' },
  noSubjectiveFault: { label: '有证据足以证明没有主观过错', kind: 'bool', hint: '行政处罚法第三十三条第一款：有证据的，不予处罚；由经办人核实' },
  trainees: { label: '参训人数', kind: 'int', atLeastOne: '参训人数至少 1 人' },
  keyCulturalEnterprise: { label: '已列入上海市重点文创企业名录', kind: 'bool' },
};

/**
 * Facts asked along with another although no measure requires them: an open list's 其他 needs its
 * description, and 免罚急救包's no-fault claim (行政处罚法 Art. 33(1), second sentence) goes with its three conditions.
 */
export const ASKED_WITH: Record<string, string[]> = {
  complaintCategory: ['complaintDescription'],
  titleField: ['titleFieldDescription'],
  correctedInTime: ['noSubjectiveFault'],
};

/** The facts a form asks for a measure: its required facts, each followed by those asked with it. */
export function askedFacts(requiredFacts: readonly string[]): string[] {
  return requiredFacts.flatMap((fact) => [fact, ...(ASKED_WITH[fact] ?? [])]).filter((fact) => FACTS[fact]);
}
