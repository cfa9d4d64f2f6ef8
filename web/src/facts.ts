/** The facts an eligibility check asks for, as form fields: label, kind and hint. */
export interface FactField {
  label: string;
  kind: 'fen' | 'int' | 'bool' | 'text' | 'kind' | 'basis-points';
  hint?: string;
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
  { value: 'event-organiser', label: '活动主办方' },
];

export const FACTS: Record<string, FactField> = {
  applicantKind: { label: '申请主体类型', kind: 'kind' },
  requestedAmountFen: { label: '申请金额（元）', kind: 'fen' },
  registeredDistrict: { label: '注册区', kind: 'text', hint: '例如：杨浦区' },
  age: { label: '年龄（周岁）', kind: 'int' },
  itemId: { label: '项目或作品编号', kind: 'text', hint: '同一作品或项目在不同政策下是否可叠加，按此编号核对' },
  rdSpendFen: { label: '实际研发投入（元）', kind: 'fen' },
  promotesCityImage: { label: '作品明显提升城市形象、促进文商旅融合', kind: 'bool' },
  monthlyRentFen: { label: '每月实际租金（元）', kind: 'fen' },
  months: { label: '月数', kind: 'int' },
  admittedToCarrier: { label: '已入驻认定载体（如 V聚场）', kind: 'bool' },
  hasImportantAward: { label: '获得过重要奖项', kind: 'bool' },
  meetsCityTalentStandard: { label: '符合本市人才引进标准', kind: 'bool' },
  titleField: { label: '职称评审专业', kind: 'text', hint: '工艺美术、艺术、文物博物或经济' },
  nationallySelected: { label: '入选国家级项目（如广电总局精品工程）', kind: 'bool' },
  holdsScriptCopyright: { label: '持有剧本著作权', kind: 'bool' },
  loanPrincipalFen: { label: '贷款本金（元）', kind: 'fen' },
  loanRateBasisPoints: { label: '贷款年利率（%）', kind: 'basis-points' },
  lprBasisPoints: { label: '同期 LPR（%）', kind: 'basis-points' },
  termMonths: { label: '贷款期限（月）', kind: 'int' },
  complaintCategory: { label: '维权类别', kind: 'text', hint: '敲诈勒索、造谣诽谤、抹黑攻击、网络暴力或账号假冒仿冒' },
  stayDays: { label: '本次入住天数', kind: 'int' },
  staysThisYear: { label: '本年度已入住次数', kind: 'int' },
  firstViolation: { label: '首次违规', kind: 'bool' },
  minorHarm: { label: '危害后果轻微', kind: 'bool' },
  correctedInTime: { label: '已及时改正', kind: 'bool' },
  venueOnPublishedList: { label: '场地在公布的共享直播场地名单内', kind: 'bool' },
};
