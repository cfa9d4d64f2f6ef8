import { loanApplicationProblems } from '../chuying/decide.js';
import { CHUYING_LOAN_TERMS } from '../chuying/terms.js';
import { yuan } from '../money/fen.js';
import { chineseDate, parseLocalDate } from '../time/local-date.js';
import type { EligibilityRule, Programme } from './programme.js';
import { applicantKinds, factHolds, minimumAge, oneOf, openList, penaltyExemptionArticle33, penaltyExemptionConditions, registeredIn, stayQuota } from './rules.js';

/**
 * Every measure of the programmes in shared/DOMAIN.md, as data. The catalogue is versioned: a case
 * records the version it opened under and keeps it for life; change a rule by adding a version.
 * Sources: 000–004 are the files in shared/seeds.
 */
export const CATALOGUE_VERSION = '2026-12-03';

/** The first catalogue: frozen, for the cases that opened under it and their recorded histories. */
export const CATALOGUE_VERSION_2026_11_23 = '2026-11-23';

const CREATORS = ['individual-creator', 'creator-team', 'company', 'mcn'] as const;
const service = { amount: { kind: 'none' }, capPeriod: 'per-award', fundedItem: 'none', payout: { kind: 'none' }, caseKind: 'service' } as const;
const oneOff = (capYuan: number) => ({ amount: { kind: 'cap', capFen: yuan(capYuan) }, capPeriod: 'per-award', payout: { kind: 'one-off' }, caseKind: 'award' }) as const;
const perYear = (capYuan: number) => ({ amount: { kind: 'cap', capFen: yuan(capYuan) }, capPeriod: 'per-year', payout: { kind: 'one-off' }, caseKind: 'award' }) as const;

export const PROGRAMMES_2026_11_23: readonly Programme[] = [
  // ── City: 沪九条 (002, 001, 000) ─────────────────────────────────────────────
  {
    id: 'hu9-loan-interest-subsidy',
    name: { zh: '沪九条 银行贷款贴息', en: 'City loan interest subsidy' },
    family: 'hu9', level: 'city', source: '002 Q8', department: 'cac', caseKind: 'award',
    requiredFacts: ['applicantKind', 'loanPrincipalFen', 'loanRateBasisPoints', 'lprBasisPoints', 'termMonths'],
    eligibility: [applicantKinds(...CREATORS, 'platform', 'carrier-operator')],
    amount: { kind: 'interest-subsidy', shareBasisPoints: 5_000, of: 'lpr' }, capPeriod: 'per-award', fundedItem: 'project', payout: { kind: 'one-off' },
    requiresContentReview: true,
    rulesInWords: '对优质内容创作者及生态企业的银行贷款给予贴息，贴息不超过同期 LPR 的 50%',
  },
  {
    id: 'hu9-policy-guarantee',
    name: { zh: '沪九条 政策性担保（优惠费率）', en: 'City policy guarantee at a preferential fee' },
    family: 'hu9', level: 'city', source: '002 Q8', department: 'cac', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds(...CREATORS, 'platform', 'carrier-operator')], requiresContentReview: true,
    rulesInWords: '为优质内容创作者及生态企业提供政策性担保，实行优惠费率',
  },
  {
    id: 'hu9-hukou',
    name: { zh: '沪九条 获重要奖项创作者落户支持', en: 'Household registration for award-winning creators' },
    family: 'hu9', level: 'city', source: '002 Q9', department: 'hrss', ...service,
    requiredFacts: ['applicantKind', 'hasImportantAward'],
    eligibility: [applicantKinds('individual-creator'), factHolds('hasImportantAward', 'important-award', '获得重要奖项', '落户支持面向获得重要奖项的创作者')],
    requiresContentReview: false,
    rulesInWords: '获得重要奖项的创作者可获落户支持',
  },
  {
    id: 'hu9-all-media-operator-certification',
    name: { zh: '全媒体运营师职业技能等级认定', en: 'All-media operator skill certification' },
    family: 'hu9', level: 'city', source: '002 Q10', department: 'hrss', ...service,
    requiredFacts: ['applicantKind', 'age'], eligibility: [applicantKinds('individual-creator'), minimumAge(16)], requiresContentReview: false,
    rulesInWords: '年满 16 周岁且符合全媒体运营师国家职业技能标准申报条件',
  },
  {
    id: 'hu9-professional-title',
    name: { zh: '互联网内容创作者职称评审', en: 'Professional title review' },
    family: 'hu9', level: 'city', source: '002 Q11', department: 'hrss', ...service,
    requiredFacts: ['applicantKind', 'titleField'],
    eligibility: [applicantKinds('individual-creator'), oneOf('titleField', ['工艺美术', '艺术', '文物博物', '经济'], 'title-field', '评审系列：工艺美术、艺术、文物博物、经济')],
    requiresContentReview: false,
    rulesInWords: '可参加工艺美术、艺术、文物博物、经济系列职称评审',
  },
  {
    id: 'hu9-starlight',
    name: { zh: '星光计划（优质内容推荐，可自荐）', en: 'Starlight: recommending quality content (self-recommendation)' },
    family: 'hu9', level: 'city', source: '002 Q6–7', department: 'cac', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds(...CREATORS)], requiresContentReview: true,
    rulesInWords: '推荐优质内容参评荣誉，创作者可自荐',
  },
  {
    id: 'hu9-shield',
    name: { zh: '盾牌行动（维权，优先处理）', en: 'Shield: rights protection, handled first' },
    family: 'hu9', level: 'city', source: '002 Q6–7', department: 'cac', ...service,
    requiredFacts: ['applicantKind', 'complaintCategory'],
    eligibility: [
      applicantKinds(...CREATORS),
      oneOf('complaintCategory', ['敲诈勒索', '造谣诽谤', '抹黑攻击', '网络暴力', '账号假冒仿冒'], 'complaint-category', '敲诈勒索、造谣诽谤、抹黑攻击、网络暴力、账号假冒仿冒'),
    ],
    requiresContentReview: false,
    rulesInWords: '遭受敲诈勒索、造谣诽谤、抹黑攻击、网络暴力、账号假冒仿冒的，属地网信部门优先处置',
  },
  {
    id: 'hu9-compliance-engine',
    name: { zh: '合规引擎（生成式人工智能合规指导）', en: 'Compliance engine: generative-AI guidance' },
    family: 'hu9', level: 'city', source: '002 Q6–7', department: 'cac', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds(...CREATORS, 'platform', 'drama-producer')], requiresContentReview: false,
    rulesInWords: '为使用生成式人工智能的创作提供合规指导',
  },
  {
    id: 'hu9-crowd-wisdom',
    name: { zh: '众智平台（法规建言）', en: 'Crowd wisdom: suggestions on laws' },
    family: 'hu9', level: 'city', source: '002 Q6–7', department: 'cac', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds(...CREATORS)], requiresContentReview: false,
    rulesInWords: '创作者可就相关法律法规提出建议',
  },

  // ── 杨浦 YOUNG立方 (001, 003) ───────────────────────────────────────────────
  {
    id: 'yangpu-rent-waiver',
    name: { zh: 'V聚场入驻企业房租减免', en: 'V-Space rent waiver' },
    family: 'yangpu', level: 'district', source: '001 免 / 003', department: 'yangpu-investment', caseKind: 'award',
    requiredFacts: ['applicantKind', 'admittedToCarrier', 'monthlyRentFen'],
    eligibility: [applicantKinds('company', 'mcn', 'creator-team'), factHolds('admittedToCarrier', 'admitted-to-carrier', '经认定入驻 V聚场或认定载体', '房租减免面向经认定入驻 V聚场或认定载体的企业')],
    amount: { kind: 'rent-waiver', waivedBasisPointsByYear: [10_000, 7_500, 5_000], base: 'monthlyRentFen' }, capPeriod: 'per-award', fundedItem: 'company',
    payout: { kind: 'rent-waiver-years', years: 3 }, requiresContentReview: false,
    rulesInWords: '首年房租全免，第二年减免 75%，第三年减免 50%（租户分别承担 0%、25%、50%）',
  },
  {
    id: 'yangpu-content-award',
    name: { zh: '杨浦优质内容年度奖励', en: 'Yangpu annual content award' },
    family: 'yangpu', level: 'district', source: '001 奖', department: 'yangpu-investment', ...oneOff(100_000), fundedItem: 'content-item',
    requiredFacts: ['applicantKind', 'itemId', 'requestedAmountFen'], eligibility: [applicantKinds(...CREATORS)], requiresContentReview: true,
    rulesInWords: '每个内容作品最高 10 万元',
  },
  {
    id: 'yangpu-honour-title',
    name: { zh: '杨浦创作者分赛道荣誉称号', en: 'Yangpu creator honour title by track' },
    family: 'yangpu', level: 'district', source: '001 奖', department: 'yangpu-investment', ...oneOff(100_000), fundedItem: 'person',
    requiredFacts: ['applicantKind', 'requestedAmountFen'], eligibility: [applicantKinds('individual-creator', 'creator-team')], requiresContentReview: true,
    rulesInWords: '分赛道授予荣誉称号，一次性最高 10 万元',
  },
  ...(
    [
      ['yangpu-overseas-service', '出海服务', 'Going-overseas service'],
      ['yangpu-young-v-internship', 'YOUNG V 实习', 'YOUNG V internships'],
      ['yangpu-university-road-card', '大学路串门儿卡', 'University Road community card'],
      ['yangpu-platform-support', '平台扶持服务', 'Platform support'],
      ['yangpu-cac-fast-channel', '网信快速通道', 'Cyberspace-office fast channel'],
    ] as const
  ).map(
    ([id, zh, en]): Programme => ({
      id, name: { zh: `杨浦“服” ${zh}`, en }, family: 'yangpu', level: 'district', source: '001 服', department: 'yangpu-investment', ...service,
      requiredFacts: ['applicantKind'], eligibility: [applicantKinds(...CREATORS)], requiresContentReview: false, rulesInWords: `杨浦“五项服务”之一：${zh}`,
    }),
  ),
  {
    id: 'yangpu-investment-fund',
    name: { zh: '互联网内容创作投资基金（不少于 10 亿元）', en: 'Content investment fund (at least 1 billion)' },
    family: 'yangpu', level: 'district', source: '001 投 / 003', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('company', 'mcn', 'drama-producer', 'platform')], requiresContentReview: false,
    rulesInWords: '与头部平台共同设立不少于 10 亿元的投资基金，投资微短剧、二次元、动漫游戏、网络文学、直播经济等项目（投资决策，非补贴）',
  },
  {
    id: 'yangpu-seed-fund',
    name: { zh: '种子期基金（与上海市大学生科技创业基金会合作）', en: 'Seed-stage fund' },
    family: 'yangpu', level: 'district', source: '001 投', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('creator-team', 'company')], requiresContentReview: false,
    rulesInWords: '与上海市大学生科技创业基金会合作支持种子期项目',
  },
  {
    id: 'yangpu-financial-partner-loans',
    name: { zh: '金融伙伴计划（园区贷、批次贷、创新贷）', en: 'Financial partner bank products' },
    family: 'yangpu', level: 'district', source: '001 投', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('company', 'mcn', 'creator-team')], requiresContentReview: false,
    rulesInWords: '合作银行提供园区贷、批次贷、创新贷等产品',
  },
  {
    id: 'yangpu-policy-guarantee',
    name: { zh: '杨浦政策性担保（费率 0.5%）', en: 'Yangpu policy guarantee at 0.5%' },
    family: 'yangpu', level: 'district', source: '003', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('company', 'mcn', 'creator-team')], requiresContentReview: false,
    rulesInWords: '政策性担保费率 0.5%',
  },
  {
    id: 'yangpu-loan-interest-subsidy',
    name: { zh: '杨浦银行贷款贴息 50%', en: 'Yangpu 50% loan interest subsidy' },
    family: 'yangpu', level: 'district', source: '003', department: 'yangpu-investment', caseKind: 'award',
    requiredFacts: ['applicantKind', 'loanPrincipalFen', 'loanRateBasisPoints', 'termMonths'],
    eligibility: [applicantKinds('company', 'mcn', 'creator-team')],
    amount: { kind: 'interest-subsidy', shareBasisPoints: 5_000, of: 'loan-rate' }, capPeriod: 'per-award', fundedItem: 'project', payout: { kind: 'one-off' }, requiresContentReview: false,
    rulesInWords: '对银行贷款给予 50% 贴息',
  },
  {
    id: 'chuying-loan',
    name: { zh: '雏鹰计划（V聚场基金）创业借款', en: 'Chuying start-up loan (V-Space fund)' },
    family: 'yangpu', level: 'district', source: '003', department: 'yangpu-fund', caseKind: 'loan',
    requiredFacts: ['applicantKind', 'registeredDistrict', 'requestedAmountFen', 'itemId'],
    eligibility: [applicantKinds('company', 'mcn'), registeredIn('杨浦区')],
    amount: { kind: 'cap', capFen: yuan(500_000) }, capPeriod: 'per-award', fundedItem: 'project', payout: { kind: 'monthly', maxMonths: 36 }, requiresContentReview: true,
    rulesInWords: '面向在杨浦注册的公司的创业项目，最高 50 万元，资助期 3 年，分 36 个月等额免息还款',
  },
  {
    id: 'yangpu-live-stream-vouchers',
    name: { zh: '杨浦直播券', en: 'Yangpu live-streaming vouchers' },
    family: 'yangpu', level: 'district', source: '001 补', department: 'yangpu-investment', caseKind: 'award',
    requiredFacts: ['applicantKind', 'venueOnPublishedList'],
    eligibility: [applicantKinds(...CREATORS), factHolds('venueOnPublishedList', 'listed-venue', '用于公布名单内的共享直播场地', '直播券仅用于公布名单内的共享直播场地')],
    amount: { kind: 'none' }, capPeriod: 'per-award', fundedItem: 'voucher-item', payout: { kind: 'voucher' }, requiresContentReview: false,
    rulesInWords: '发放直播券，用于公布名单内的共享直播场地',
  },
  {
    id: 'yangpu-event-support',
    name: { zh: '杨浦活动节展支持', en: 'Yangpu event and festival support' },
    family: 'yangpu', level: 'district', source: '001 补', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('event-organiser', 'platform', 'company')], requiresContentReview: true,
    rulesInWords: '支持在杨浦举办的活动、节展',
  },
  {
    id: 'yangpu-talent-hukou',
    name: { zh: '杨浦人才落户', en: 'Yangpu talent household registration' },
    family: 'yangpu', level: 'district', source: '001 补', department: 'hrss', ...service,
    requiredFacts: ['applicantKind', 'meetsCityTalentStandard'],
    eligibility: [applicantKinds('individual-creator'), factHolds('meetsCityTalentStandard', 'city-talent-standard', '符合本市人才引进标准', '落户须符合本市人才引进标准')],
    requiresContentReview: false,
    rulesInWords: '符合条件的创作者人才落户支持',
  },
  {
    id: 'yangpu-talent-rent',
    name: { zh: '杨浦人才租房补贴', en: 'Yangpu talent rent subsidy' },
    family: 'yangpu', level: 'district', source: '003', department: 'yangpu-investment', caseKind: 'award',
    requiredFacts: ['applicantKind', 'monthlyRentFen'], eligibility: [applicantKinds('individual-creator')],
    amount: { kind: 'monthly', monthlyCapFen: yuan(8_000), maxMonths: 36, base: 'monthlyRentFen' }, capPeriod: 'per-award', fundedItem: 'person',
    payout: { kind: 'monthly', maxMonths: 36 }, requiresContentReview: false,
    rulesInWords: '每人每月按实际租金补贴，最高 8,000 元，最长 3 年（36 个月）；离开杨浦即停',
  },
  {
    id: 'yangpu-first-home-subsidy',
    name: { zh: '杨浦人才首套购房一次性补贴', en: 'Yangpu first-home purchase subsidy' },
    family: 'yangpu', level: 'district', source: '003', department: 'yangpu-investment', caseKind: 'award',
    requiredFacts: ['applicantKind', 'requestedAmountFen'], eligibility: [applicantKinds('individual-creator')],
    // The source names a one-off subsidy without a cap: the amount is the committee's to set.
    amount: { kind: 'none' }, capPeriod: 'per-award', fundedItem: 'person', payout: { kind: 'one-off' }, requiresContentReview: false,
    rulesInWords: '首套购房一次性补贴（额度由评审确定）',
  },
  {
    id: 'yangpu-talent-apartment',
    name: { zh: 'YOUNG人才公寓免费入住', en: 'YOUNG talent apartment free stays' },
    family: 'yangpu', level: 'district', source: '003', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind', 'stayDays', 'staysThisYear'], eligibility: [applicantKinds('individual-creator', 'creator-team'), ...stayQuota(5, 2)], requiresContentReview: false,
    rulesInWords: '参加重大非商业活动的创作者免费入住，每次不超过 5 天，每年不超过 2 次',
  },
  {
    id: 'yangpu-growth-assistant',
    name: { zh: '成长小助手（风险提示：五大雷区、十大场景）', en: 'Growth assistant: risk warnings' },
    family: 'yangpu', level: 'district', source: '003 管', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds(...CREATORS)], requiresContentReview: false,
    rulesInWords: '提供“五大雷区”“十大场景”风险提示',
  },
  {
    id: 'yangpu-penalty-exemption',
    name: { zh: '免罚急救包', en: 'Penalty-exemption first-aid kit' },
    family: 'yangpu', level: 'district', source: '003 管', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind', 'firstViolation', 'minorHarm', 'correctedInTime'], eligibility: [applicantKinds(...CREATORS), penaltyExemptionConditions], requiresContentReview: false,
    rulesInWords: '初次违法、危害后果轻微并及时改正的，可免于处罚（三者同时满足）',
  },

  // ── 黄浦 (001) ───────────────────────────────────────────────────────────
  {
    id: 'huangpu-platform-subsidy',
    name: { zh: '黄浦平台企业、MCN 机构扶持', en: 'Huangpu platform and MCN subsidy' },
    family: 'huangpu', level: 'district', source: '001 黄浦 ①', department: 'huangpu', ...oneOff(5_000_000), fundedItem: 'company',
    requiredFacts: ['applicantKind', 'requestedAmountFen'], eligibility: [applicantKinds('platform', 'mcn')], requiresContentReview: true,
    rulesInWords: '依据影响力及集聚优质创作者情况，最高 500 万元',
  },
  {
    id: 'huangpu-creator-reward',
    name: { zh: '黄浦优质内容创作者奖励', en: 'Huangpu quality creator reward' },
    family: 'huangpu', level: 'district', source: '001 黄浦 ②', department: 'huangpu', ...oneOff(1_000_000), fundedItem: 'person',
    requiredFacts: ['applicantKind', 'requestedAmountFen'], eligibility: [applicantKinds('individual-creator', 'creator-team')], requiresContentReview: true,
    rulesInWords: '优质内容创作者最高 100 万元奖励',
  },
  {
    id: 'huangpu-creator-hukou',
    name: { zh: '黄浦创作者落户资格', en: 'Huangpu creator household registration' },
    family: 'huangpu', level: 'district', source: '001 黄浦 ②', department: 'hrss', ...service,
    requiredFacts: ['applicantKind', 'meetsCityTalentStandard'],
    eligibility: [applicantKinds('individual-creator'), factHolds('meetsCityTalentStandard', 'city-talent-standard', '符合市人才引进标准', '落户须符合本市人才引进标准')],
    requiresContentReview: false,
    rulesInWords: '符合市人才引进标准、具有较高影响力的创作者给予落户资格',
  },
  {
    id: 'huangpu-housing-quota',
    name: { zh: '黄浦创作者安居房源', en: 'Huangpu creator housing quota' },
    family: 'huangpu', level: 'district', source: '001 黄浦 ②', department: 'huangpu', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('individual-creator')], requiresContentReview: false,
    rulesInWords: '符合条件的优质创作者可申请安居房源',
  },
  {
    id: 'huangpu-carrier-operator',
    name: { zh: '黄浦内容创作特色载体运营方扶持', en: 'Huangpu carrier operator subsidy' },
    family: 'huangpu', level: 'district', source: '001 黄浦 ③', department: 'huangpu', ...oneOff(5_000_000), fundedItem: 'company',
    requiredFacts: ['applicantKind', 'requestedAmountFen'], eligibility: [applicantKinds('carrier-operator')], requiresContentReview: false,
    rulesInWords: '载体运营方最高 500 万元',
  },
  {
    id: 'huangpu-carrier-shared-services',
    name: { zh: '黄浦载体内创作者共享服务', en: 'Huangpu shared services for creators in carriers' },
    family: 'huangpu', level: 'district', source: '001 黄浦 ③', department: 'huangpu', ...perYear(300_000), fundedItem: 'person',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'admittedToCarrier'],
    eligibility: [applicantKinds('individual-creator', 'creator-team', 'company'), factHolds('admittedToCarrier', 'admitted-to-carrier', '入驻特色载体', '共享服务面向入驻特色载体的创作者')],
    requiresContentReview: false,
    rulesInWords: '入驻载体的创作者每年最高 30 万元共享服务',
  },
  {
    id: 'huangpu-event-subsidy',
    name: { zh: '黄浦节展赛事项目补贴', en: 'Huangpu events and festivals subsidy' },
    family: 'huangpu', level: 'district', source: '001 黄浦 ④', department: 'huangpu', ...oneOff(5_000_000), fundedItem: 'event',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId'], eligibility: [applicantKinds('event-organiser', 'platform')], requiresContentReview: true,
    rulesInWords: '具有重大影响力的节展、赛事项目最高 500 万元',
  },

  // ── AI 微短剧 沪8条, 市文旅局 (004) ─────────────────────────────────────────
  {
    id: 'drama-agent-project',
    name: { zh: 'AI 智能体项目', en: 'AI agent project' },
    family: 'drama-hu8', level: 'city', source: '004 沪8条 一', department: 'culture-tourism', caseKind: 'award',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'rdSpendFen', 'itemId'], eligibility: [applicantKinds('company', 'drama-producer', 'platform')],
    amount: { kind: 'share-of-base', base: 'rdSpendFen', shareBasisPoints: 2_000, capFen: yuan(10_000_000) }, capPeriod: 'per-award', fundedItem: 'project', payout: { kind: 'one-off' },
    requiresContentReview: false,
    rulesInWords: '按实际研发投入的 20% 给予支持，最高 1,000 万元',
  },
  {
    id: 'drama-national-selection',
    name: { zh: '入选国家级评选项目剧本奖励', en: 'National selection: script copyright holder award' },
    family: 'drama-hu8', level: 'city', source: '004 沪8条 三', department: 'culture-tourism', caseKind: 'award',
    requiredFacts: ['applicantKind', 'nationallySelected', 'holdsScriptCopyright', 'itemId'],
    eligibility: [
      applicantKinds('company', 'drama-producer', 'individual-creator'),
      factHolds('nationallySelected', 'national-selection', '入选广电总局精品创作传播工程等国家级评选', '本奖励面向入选国家级评选项目的作品'),
      factHolds('holdsScriptCopyright', 'script-copyright-holder', '剧本版权方', '本奖励发给剧本版权方'),
    ],
    amount: { kind: 'fixed', amountFen: yuan(50_000) }, capPeriod: 'per-award', fundedItem: 'content-item', payout: { kind: 'one-off' }, requiresContentReview: false,
    rulesInWords: '一次性给予剧本版权方 5 万元',
  },
  {
    id: 'drama-excellent-project',
    name: { zh: '优秀微短剧项目（含 AI）', en: 'Excellent micro-drama project' },
    family: 'drama-hu8', level: 'city', source: '004 沪8条 三', department: 'culture-tourism', caseKind: 'award',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId', 'promotesCityImage'], eligibility: [applicantKinds('drama-producer', 'company')],
    amount: { kind: 'cap-with-uplift', capFen: yuan(3_000_000), upliftBasisPoints: 5_000, when: 'promotesCityImage' }, capPeriod: 'per-award', fundedItem: 'content-item',
    payout: { kind: 'one-off' }, requiresContentReview: true,
    rulesInWords: '最高 300 万元；显著推介城市形象、促进文商旅融合的，在此基础上增加 50%（最高 450 万元）',
  },
  {
    id: 'drama-production-entity',
    name: { zh: '稳定产能制作主体一次性奖励', en: 'Production entity with stable output' },
    family: 'drama-hu8', level: 'city', source: '004 沪8条 四', department: 'culture-tourism', ...oneOff(2_000_000), fundedItem: 'company',
    requiredFacts: ['applicantKind', 'requestedAmountFen'], eligibility: [applicantKinds('drama-producer', 'company')], requiresContentReview: false,
    rulesInWords: '具有稳定产能、制作精良的主体一次性最高 200 万元',
  },
  {
    id: 'drama-overseas',
    name: { zh: '微短剧出海', en: 'Micro-drama going overseas' },
    family: 'drama-hu8', level: 'city', source: '004 沪8条 六', department: 'culture-tourism', ...oneOff(500_000), fundedItem: 'content-item',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId'], eligibility: [applicantKinds('drama-producer', 'company')], requiresContentReview: true,
    rulesInWords: '优质作品出海最高 50 万元',
  },
  {
    id: 'drama-training-course',
    name: { zh: '微短剧技能培训课程', en: 'Micro-drama training course' },
    family: 'drama-hu8', level: 'city', source: '004 沪8条 八', department: 'culture-tourism', ...oneOff(200_000), fundedItem: 'course',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId'], eligibility: [applicantKinds('training-institution', 'company')], requiresContentReview: false,
    rulesInWords: '每门培训课程最高 20 万元',
  },
  {
    id: 'drama-planning-filing',
    name: { zh: '微短剧规划备案', en: 'Micro-drama planning filing' },
    family: 'drama-hu8', level: 'city', source: '004 随报随审', department: 'culture-tourism', ...service, caseKind: 'filing',
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('drama-producer', 'company')], requiresContentReview: false,
    rulesInWords: '工作日随报随审，2 个工作日内审核反馈',
  },
  {
    id: 'drama-release-filing',
    name: { zh: '微短剧完成片上线备案', en: 'Micro-drama completed-film online filing' },
    family: 'drama-hu8', level: 'city', source: '004 随报随审', department: 'culture-tourism', ...service, caseKind: 'filing',
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('drama-producer', 'company')], requiresContentReview: false,
    rulesInWords: '工作日随报随审，5 个工作日内审核反馈',
  },

  // ── 徐汇 AI+微短剧 (004) ─────────────────────────────────────────────────
  ...(
    [
      ['xuhui-company-settling', '企业落户', 'Company settling', 30_000_000, 'per-year', 'company', '落户企业每年最高 3,000 万元'],
      ['xuhui-base-operator', '基地运营方', 'Base operator', 3_000_000, 'per-year', 'company', '基地运营方每年最高 300 万元'],
      ['xuhui-ip-library', '数字资产库、IP 库建设', 'Digital-asset and IP library', 3_000_000, 'per-award', 'project', '数字资产库、IP 库建设最高 300 万元'],
      ['xuhui-quality-works', '优质短剧、获奖作品', 'Quality or award-winning works', 1_000_000, 'per-award', 'content-item', '单个作品最高 100 万元'],
      ['xuhui-ai-skill-library', 'AI 技能库、智能体研发', 'AI skill library or agent', 3_000_000, 'per-award', 'project', '单个项目最高 300 万元'],
      ['xuhui-culture-commerce-tourism', '文商旅融合作品', 'Culture-commerce-tourism works', 2_000_000, 'per-award', 'content-item', '最高 200 万元'],
      ['xuhui-summit-contest', '峰会、赛事', 'Summits and contests', 3_000_000, 'per-award', 'event', '最高 300 万元'],
    ] as const
  ).map(
    ([id, zh, en, capYuan, capPeriod, fundedItem, words]): Programme => ({
      id, name: { zh: `徐汇 ${zh}`, en: `Xuhui ${en.toLowerCase()}` }, family: 'xuhui', level: 'district', source: '004 徐汇', department: 'xuhui', caseKind: 'award',
      requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId'],
      eligibility: [applicantKinds('company', 'drama-producer', 'platform', 'carrier-operator', 'event-organiser')],
      amount: { kind: 'cap', capFen: yuan(capYuan) }, capPeriod, fundedItem, payout: { kind: 'one-off' }, requiresContentReview: fundedItem === 'content-item',
      rulesInWords: words,
    }),
  ),
  {
    id: 'xuhui-compute-voucher',
    name: { zh: '徐汇 算力券、模型券、语料券', en: 'Xuhui compute, model and corpus vouchers' },
    family: 'xuhui', level: 'district', source: '004 徐汇', department: 'xuhui', caseKind: 'award',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId'], eligibility: [applicantKinds('company', 'drama-producer', 'platform')],
    amount: { kind: 'cap', capFen: yuan(1_000_000) }, capPeriod: 'per-year', fundedItem: 'voucher-item', payout: { kind: 'voucher' }, requiresContentReview: false,
    rulesInWords: '每年每项最高 100 万元',
  },
];

// ── Catalogue 2026-12-03: the rules corrected against the sources (issue 14) ───────────────────

/** 沪九条 was issued on 15 July 2025 (000: 去年7月15日《若干举措》推出并施行). */
const HU9_EFFECTIVE_FROM = parseLocalDate('2025-07-15');

const CORPORATE = ['company', 'mcn', 'platform', 'carrier-operator', 'drama-producer', 'training-institution', 'event-organiser'] as const;
const loanFacts = ['loanLender', 'loanContractNo', 'interestPaidFen', 'interestPeriodFrom', 'interestPeriodTo'] as const;

/** The period the interest was paid over is a real one: it starts before it ends. */
const interestPeriod: EligibilityRule = {
  rule: 'interest-period',
  fact: 'interestPeriodFrom',
  description: '付息期间的起止日期',
  check: (f) =>
    f.interestPeriodFrom !== undefined && f.interestPeriodTo !== undefined && f.interestPeriodFrom > f.interestPeriodTo
      ? `付息期间起始日 ${chineseDate(f.interestPeriodFrom)} 晚于截止日 ${chineseDate(f.interestPeriodTo)}`
      : undefined,
};

/**
 * 雏鹰计划's district rule as the loan itself applies it (domain/chuying/decide.ts), under the loan's
 * terms: the self-check refuses what the loan form refuses, in the same words.
 */
const chuyingLoanDistrict: EligibilityRule = {
  rule: 'district-required',
  fact: 'registeredDistrict',
  description: `注册在${CHUYING_LOAN_TERMS.requiredDistrict}的企业`,
  check: (f) =>
    loanApplicationProblems({ company: { name: '', unifiedSocialCreditCode: '', registeredDistrict: f.registeredDistrict ?? '' }, requestedAmountFen: f.requestedAmountFen ?? 1 }, CHUYING_LOAN_TERMS).find(
      (problem) => problem.issue.field === 'company.registeredDistrict',
    )?.wording.zh,
};

/** What changes for one measure, by id; every other field is as in 2026-11-23. */
const CORRECTIONS: Readonly<Record<string, Partial<Programme>>> = {
  'hu9-loan-interest-subsidy': {
    // 002 Q8: 拟…对银行贷款给予不超过同期贷款市场报价利率50%的贴息支持.
    status: 'planned',
    requiredFacts: ['applicantKind', ...loanFacts, 'loanRateBasisPoints', 'lprBasisPoints'],
    eligibility: [applicantKinds(...CREATORS, 'platform', 'carrier-operator'), interestPeriod],
    amount: { kind: 'interest-paid-subsidy', shareBasisPoints: 5_000, of: 'lpr' },
    fundedItem: 'loan',
    identifiedBy: ['loanLender', 'loanContractNo'],
    rulesInWords: '（拟）对银行贷款给予贴息：按实际支付的利息，贴息利率不超过同期 LPR 的 50%（且不超过贷款利率）；与区级贴息叠加时，同一笔贷款的贴息合计不超过实际支付的利息',
  },
  'hu9-policy-guarantee': { status: 'planned', rulesInWords: '（拟）为优质内容创作者及生态企业提供政策性担保，实行优惠费率' },
  'hu9-all-media-operator-certification': {
    referral: { to: '经人社部门备案的社会评价机构（如上海市多媒体行业协会、咪咕视讯科技有限公司）', source: '002 Q10' },
    rulesInWords: '年满 16 周岁且符合全媒体运营师国家职业技能标准申报条件的创作者，向社会评价机构申请职业技能等级认定；人社部门负责转介',
  },
  'hu9-professional-title': {
    eligibility: [applicantKinds('individual-creator'), openList('titleField', 'titleFieldDescription', ['工艺美术', '艺术', '文物博物', '经济'], 'title-field', '评审专业：工艺美术、艺术、文物博物、经济等')],
    rulesInWords: '可参加工艺美术、艺术、文物博物、经济等专业领域职称评审（其他专业须说明，由经办人审核）',
  },
  'hu9-shield': {
    eligibility: [
      applicantKinds(...CREATORS),
      openList('complaintCategory', 'complaintDescription', ['敲诈勒索', '造谣诽谤', '抹黑攻击', '网络暴力', '账号假冒仿冒'], 'complaint-category', '敲诈勒索、造谣诽谤、抹黑攻击、网络暴力、账号假冒仿冒等'),
    ],
    rulesInWords: '遭受敲诈勒索、造谣诽谤、抹黑攻击、网络暴力、账号假冒仿冒等网络侵权的，属地网信部门优先处置（其他侵权行为须说明，由经办人审核）',
  },
  'yangpu-loan-interest-subsidy': {
    requiredFacts: ['applicantKind', ...loanFacts],
    eligibility: [applicantKinds('company', 'mcn', 'creator-team'), interestPeriod],
    amount: { kind: 'interest-paid-subsidy', shareBasisPoints: 5_000, of: 'loan-rate' },
    fundedItem: 'loan',
    identifiedBy: ['loanLender', 'loanContractNo'],
    rulesInWords: '对银行贷款按实际支付利息的 50% 贴息；与市级贴息叠加时，同一笔贷款的贴息合计不超过实际支付的利息',
  },
  'chuying-loan': {
    // The loan has its own form (the company with its 注册区, the project, the amount): the self-check
    // asks what that form asks and judges it by the loan's own terms. No 项目或作品编号 (the loan is
    // counted against the company), no 申请主体类型 (the form is a company's).
    requiredFacts: ['registeredDistrict', 'requestedAmountFen'],
    eligibility: [chuyingLoanDistrict],
    amount: { kind: 'cap', capFen: CHUYING_LOAN_TERMS.capFen },
  },
  // 004 徐汇: the company settling and the base operator fund the company itself, per year. The
  // application counts the award against the applicant (terms.ts withServerFacts) and refuses a
  // 项目或作品编号, so neither form asks one.
  'xuhui-company-settling': { requiredFacts: ['applicantKind', 'requestedAmountFen'] },
  'xuhui-base-operator': { requiredFacts: ['applicantKind', 'requestedAmountFen'] },
  'yangpu-live-stream-vouchers': {
    requiredFacts: ['applicantKind', 'vJuchangTenant', 'venueOnPublishedList'],
    eligibility: [
      applicantKinds('company', 'mcn'),
      factHolds('vJuchangTenant', 'v-juchang-tenant', '入驻“V聚场”的企业', '杨浦直播券仅对入驻“V聚场”的企业开放'),
      factHolds('venueOnPublishedList', 'listed-venue', '用于共享直播资源清单内的场景', '直播券仅用于杨浦区共享直播资源清单内的场景'),
    ],
    rulesInWords: '对入驻“V聚场”的企业开放共享直播资源清单内的场景，以直播券形式补贴场景使用费',
  },
  'yangpu-event-support': {
    // 003 补: 活动补贴. Neither 001 nor 003 states a cap: the amount is the committee's to set, as for the first-home subsidy.
    caseKind: 'award',
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId'],
    amount: { kind: 'none' }, capPeriod: 'per-award', fundedItem: 'event', payout: { kind: 'one-off' },
    rulesInWords: '对在杨浦落地、推动集聚区建设的活动、节展给予活动补贴（政策原文未列最高额，额度由评审确定）',
  },
  'yangpu-talent-apartment': {
    // ≤ 2 stays a calendar year: the year the stay is in, not the year it is applied for or approved in
    // (a stay in January applied for in December counts against January's year), so the stay's first day is asked.
    requiredFacts: ['applicantKind', 'stayDays', 'stayStartDate', 'staysThisYear'],
  },
  'yangpu-penalty-exemption': {
    // The first sentence's three facts are always stated (each may be 否); the no-fault claim is asked with them.
    requiredFacts: ['applicantKind', 'firstViolation', 'minorHarm', 'correctedInTime'],
    eligibility: [applicantKinds(...CREATORS), penaltyExemptionArticle33],
    rulesInWords: '初次违法、危害后果轻微并及时改正的，可以不予处罚；当事人有证据足以证明没有主观过错的，不予处罚（行政处罚法第三十三条第一款）',
  },
  'huangpu-housing-quota': {
    requiredFacts: ['applicantKind'],
    eligibility: [applicantKinds(...CORPORATE)],
    rulesInWords: '为重点企业和机构提供一定数量的安居额度（由企业、机构申请，不面向个人）',
  },
  'huangpu-carrier-shared-services': {
    caseKind: 'service',
    requiredFacts: ['applicantKind', 'admittedToCarrier'],
    amount: { kind: 'in-kind', capFen: yuan(300_000) }, capPeriod: 'per-year', fundedItem: 'person', payout: { kind: 'none' },
    rulesInWords: '入驻载体的优质内容创作者每年最高 30 万元共享服务（服务形式提供，不发放现金）',
  },
  'drama-national-selection': {
    requiredFacts: ['applicantKind', 'nationallySelected', 'holdsScriptCopyright', 'dramaFilingNo'],
    identifiedBy: ['dramaFilingNo'],
  },
  'drama-excellent-project': {
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'dramaFilingNo', 'promotesCityImage'],
    identifiedBy: ['dramaFilingNo'],
  },
  'drama-overseas': {
    // 004 六: 对…微短剧出海企业…给予最高50万元奖励 — per company; the source names no period, so once.
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'unifiedSocialCreditCode'],
    fundedItem: 'company',
    identifiedBy: ['unifiedSocialCreditCode'],
    rulesInWords: '出品质量高、传播效果好并达到一定规模的微短剧出海企业，每家企业最高 50 万元',
  },
  'drama-training-course': {
    requiredFacts: ['applicantKind', 'requestedAmountFen', 'itemId', 'trainees'],
    amount: { kind: 'per-unit', base: 'trainees', perUnitFen: null, capFen: yuan(200_000) },
    rulesInWords: '按参训规模给予每个课程不超过 20 万元奖励',
  },
};

const districtOf: Partial<Record<Programme['family'], string>> = { huangpu: '黄浦区', xuhui: '徐汇区' };

/** One measure of 2026-11-23 as 2026-12-03 has it. */
function corrected(p: Programme): Programme {
  const next: Programme = { ...p, ...CORRECTIONS[p.id], catalogueVersion: CATALOGUE_VERSION };
  const district = districtOf[p.family];
  if (district !== undefined) {
    // 001 黄浦 / 004 徐汇: the district's measures are for those registered in the district.
    next.requiredFacts = [...next.requiredFacts, 'registeredDistrict'];
    next.eligibility = [...next.eligibility, registeredIn(district)];
  }
  if (p.family === 'hu9') next.effectiveFrom = HU9_EFFECTIVE_FROM;
  return next;
}

const ADDED: readonly Programme[] = [
  {
    id: 'hu9-key-cultural-enterprise-list',
    name: { zh: '纳入上海市重点文创企业名录', en: 'Listing in the Shanghai key cultural and creative enterprise list' },
    family: 'hu9', level: 'city', source: '002 Q9 / 001 黄浦 ①', department: 'cac', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('platform', 'mcn')], requiresContentReview: false,
    effectiveFrom: HU9_EFFECTIVE_FROM,
    rulesInWords: '将平台企业及 MCN 机构纳入重点文创企业名录，依法享受相应支持政策（认定，不发放资金）',
  },
  {
    id: 'yangpu-foreign-creator-facilitation',
    name: { zh: '外籍创作者通关通行、在华工作、证照办理便利', en: 'Foreign creators: entry, work in China and permits' },
    family: 'yangpu', level: 'district', source: '003 人才', department: 'yangpu-investment', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('individual-creator')], requiresContentReview: false,
    rulesInWords: '经认定符合条件的外籍创作者，在通关通行、在华工作、证照办理等方面给予便利',
  },
  {
    id: 'xuhui-workstation-fee-waiver',
    name: { zh: '徐汇 入驻初创企业工位费减免', en: 'Xuhui workstation fee waiver for start-ups' },
    family: 'xuhui', level: 'district', source: '004 徐汇', department: 'xuhui', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('company', 'drama-producer')], requiresContentReview: false,
    rulesInWords: '入驻产业基地的初创企业可享受工位费减免（政策原文未列减免比例）',
  },
  {
    id: 'xuhui-guangqi-talent',
    name: { zh: '徐汇 光启人才行动计划配套保障', en: 'Xuhui Guangqi talent programme' },
    family: 'xuhui', level: 'district', source: '004 徐汇', department: 'xuhui', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('individual-creator')], requiresContentReview: false,
    rulesInWords: '依托“光启人才行动计划”，为行业复合型人才提供落户、租房、子女教育等配套保障',
  },
  {
    id: 'drama-export-key-enterprise-recommendation',
    name: { zh: '推荐申报国家文化出口重点企业和项目', en: 'Recommendation to the national key cultural-export list' },
    family: 'drama-hu8', level: 'city', source: '004 沪8条 六', department: 'culture-tourism', ...service,
    requiredFacts: ['applicantKind'], eligibility: [applicantKinds('drama-producer', 'company')], requiresContentReview: false,
    rulesInWords: '出品质量高、传播效果好、社会反响佳并达到一定规模的微短剧出海企业，支持申报国家文化出口重点企业和项目',
  },
];

export const PROGRAMMES: readonly Programme[] = [...PROGRAMMES_2026_11_23.map(corrected), ...ADDED.map(corrected)];

const BY_ID: ReadonlyMap<string, Programme> = new Map(PROGRAMMES.map((p) => [p.id, p]));

export function findProgramme(id: string): Programme | undefined {
  return BY_ID.get(id);
}
