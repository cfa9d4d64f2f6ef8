import { moduleForStreamType } from '../cases/registry.js';
import { DEPARTMENTS } from '../domain/cases/actor.js';
import { CALL_STATUS_LABELS } from '../domain/calls/state.js';
import { DRAMA_CATEGORIES, DRAMA_FILING_TYPES } from '../domain/drama-filing/terms.js';
import { formatFen } from '../domain/money/fen.js';
import { APPLICATION_PANEL_EVENT_LABELS } from '../domain/panels/application-record.js';
import { formatPoints, PASSED_OVER_LABELS } from '../domain/panels/scoring.js';
import { PANEL_STATUS_LABELS } from '../domain/panels/state.js';
import { factLabel, FACT_LABELS } from '../domain/programmes/fact-labels.js';
import { APPLICANT_KIND_NAMES } from '../domain/programmes/rules.js';
import { FAMILY_NAMES } from '../domain/programmes/stacking.js';
import { PUBLICITY_STATUS_LABELS } from '../domain/publicity/state.js';
import { REGISTERS } from '../domain/registers/registers.js';
import { chineseDate, formatShanghaiInstant, isLocalDate, shanghaiDateOf, type LocalDate } from '../domain/time/local-date.js';
import { isPersonRef, readableDiff, type Change } from './structural-diff.js';

/**
 * The auditor's diff in words (issue 15): every field of every case type's state by its Chinese
 * name, every value as people read it. The labels of the facts an applicant states are the rules'
 * own (domain/programmes/fact-labels.ts); the rest of a state's fields are named here, once.
 */

/** A field by where it sits (indices left out): the whole path, or its tail under a named prefix. */
const PATH_LABELS: Record<string, string> = {
  company: '申请企业',
  'company.name': '企业名称',
  'company.registeredDistrict': '企业注册区',
  'company.unifiedSocialCreditCode': '统一社会信用代码',
  project: '项目',
  'project.name': '项目名称',
  'project.summary': '项目简介',
  'project.contentTrack': '内容赛道',
  terms: '适用条款',
  'terms.name.zh': '适用条款 · 政策名称',
  'terms.capFen': '适用条款 · 借款上限',
  'terms.amount.capFen': '适用条款 · 金额规则 · 上限',
  'terms.termsVersion.version': '适用条款 · 条款版本',
  'terms.timeLimits.completenessWorkingDays': '适用条款 · 办理时限 · 材料审查',
  'terms.timeLimits.contentReviewWorkingDays': '适用条款 · 办理时限 · 网信审查',
  'terms.timeLimits.decisionWorkingDays': '适用条款 · 办理时限 · 决定',
  supplement: '补正',
  completeness: '材料审查期限',
  limitIfDeemedComplete: '视为齐全后下一环节的期限',
  timeLimit: '本环节办理时限',
  'timeLimit.step': '本环节办理时限 · 环节',
  'timeLimit.stepLabel': '本环节办理时限 · 环节名称',
  details: '申请事项',
  'details.title': '申请事项名称',
  'details.summary': '情况说明',
  submission: '备案内容',
  'submission.title': '剧名',
  'submission.producer': '制作机构',
  'submission.synopsis': '剧情梗概',
  'submission.platform': '播出平台',
  rounds: '审查轮次',
  'rounds.round': '轮次',
  'rounds.deadline': '审查期限',
  disbursement: '放款',
  'disbursement.version': '放款 · 记录版本',
  award: '奖励',
  'award.plan': '奖励 · 发放计划',
  stopped: '停止发放',
  leftYangpu: '迁离杨浦',
  vouchers: '消费券',
  call: '申报批次',
  'call.title': '申报批次名称',
  publicity: '公示',
  panel: '评审组',
  // An application's record of the panel's work (domain/panels/application-record.ts), by its events' own names.
  'panel.review': `评审组 · ${APPLICATION_PANEL_EVENT_LABELS.PanelReviewRecorded}`,
  'panel.decision': `评审组 · ${APPLICATION_PANEL_EVENT_LABELS.BatchDecisionRecorded}`,
  'panel.decision.passedOver': `评审组 · ${APPLICATION_PANEL_EVENT_LABELS.BatchDecisionRecorded} · 未入选原因`,
  'publicity.recipient.kind': '公示 · 受奖人 · 类别',
  objection: '异议',
  objectionWindow: '异议期',
  writtenOff: '核销',
  source: '被追回的案件',
  budgetApproval: '预算审批',
  closed: '提前截止',
  facts: '申请事实',
  factSources: '事实来源',
  verifiedFacts: '已核验的事实',
};

/** A field by its own name, wherever it sits. */
const KEY_LABELS: Record<string, string> = {
  status: '环节', version: '版本', caseId: '案件编号', referenceNo: '申请编号', callId: '申报批次编号', programmeId: '政策编号', programmeName: '政策名称',
  applicant: '申请人', openedBy: '设立人', lastChangedBy: '最后修改人', decidedBy: '决策人', by: '办理人', reviewer: '审查人', member: '评审专家', lodgedBy: '提出人', answeredBy: '答复人',
  reviewerIds: '经办人', requestedAmountFen: '申请金额', approvedAmountFen: '核定金额', maxAmountFen: '可获最高金额', amountRule: '金额计算方式', drawnFromPool: '从基金池支用',
  submittedAt: '提交时间', submittedOn: '提交日期', missingItems: '需补正的材料', requestedAt: '要求时间', replyDueOn: '补正期限', replyPeriod: '补正期限的计算', countedFrom: '起算日期', days: '天数', round: '轮次', supplementRounds: '补正轮次',
  workingDays: '工作日数', startedOn: '起算基准日（当日不计入）', lastWorkingDay: '最后一个工作日', deadlineAt: '期限', provisional: '暂定（当年节假日安排尚未公布）', promisedWorkingDays: '承诺工作日数',
  department: '部门', extension: '延长', extraWorkingDays: '延长工作日数', reason: '理由', at: '时间', previous: '延长前', breachedAt: '超期时间', escalatedAt: '上报时间',
  deemedCompleteAt: '视为材料齐全的时间', approvedOn: '批准日期', amountFen: '金额', disbursedOn: '放款日期', bankReference: '银行流水号', recordedAt: '记录时间',
  instalments: '还款计划', number: '期数', dueOn: '应还日期', paidFen: '已还金额', overdueSince: '逾期起始', remindedAt: '提醒时间', delinquentSince: '违约起始', paidOffAt: '还清时间',
  repaidFen: '已还金额', repayments: '还款记录', repaymentDeclarations: '还款申报', withdrawal: '撤回', rejection: '退回', reference: '流水号', paidOn: '付款日期', closingReasons: '办结原因', closedAt: '办结时间', reasons: '理由',
  filingType: '备案类型', episodeCount: '集数', episodeLengthMinutes: '单集时长（分钟）', aiGenerated: '使用生成式人工智能制作', category: '微短剧类别', claimedAt: '认领时间', takenOverFrom: '接手自', claimedAs: '认领身份', endedAt: '结束时间', outcome: '结果',
  scores: '评分', score: '分数', comments: '意见', scoredAt: '评分时间', decidedOn: '决定日期', byDirector: '由处长决定', decisionNotes: '决定意见', awardId: '奖励编号', itemId: '项目或作品编号', awardedOn: '批准日期',
  plan: '发放计划', kind: '方式', monthlyFen: '每月金额', monthlyRentFen: '每月租金', months: '月数', startOn: '开始日期', waivedBasisPointsByYear: '各年减免比例', firstYear: '首个减免的合同年度', admittedOn: '入驻日期',
  payouts: '发放记录', issuedAt: '发放时间', waiverYears: '减免年度', year: '年度', from: '起', until: '止', waivedBasisPoints: '减免比例', waivedFen: '减免金额', tenantPaysFen: '承租人自付',
  voucherBatch: '消费券批次', leftOn: '迁离日期', reportedAt: '报告时间', recordedBy: '主管部门登记', note: '说明', paidCount: '已发期数', entitledFen: '应得金额', recoverableFen: '应追回金额', forgoneFen: '放弃金额', stoppedAt: '停止时间',
  totalPaidFen: '累计发放', committedFen: '占用预算', title: '名称', mode: '评审方式', publicityWorkingDays: '公示工作日数', opensAt: '开始时间', closesAt: '截止时间', budgetFen: '预算',
  quota: '名额', catalogueVersion: '政策目录版本', openedAt: '设立时间', budgetApproved: '预算已批准', approvedAt: '批准时间', endedAtCall: '结束时间', source: '来源', against: '核对依据', verifiedAt: '核验时间',
  openedOn: '立案日期', objectionWindow: '异议期', statement: '陈述', raisedAt: '提出时间', answer: '答复', answeredAt: '答复时间', payments: '追回款项', recoveredFen: '已追回金额', writtenOffAt: '核销时间',
  termsVersion: '条款版本', capFen: '上限', instalmentCount: '分期数', requiredDistrict: '须注册于', supplementReplyDays: '补正答复天数', reminderAfterDays: '逾期提醒天数', delinquentAfterDays: '违约认定天数',
  timeLimits: '办理时限', completenessWorkingDays: '材料审查工作日数', contentReviewWorkingDays: '网信审查工作日数', decisionWorkingDays: '决定工作日数', reviewWorkingDays: '审查工作日数', reviewingDepartment: '审查部门',
  rulesVersion: '规则版本', family: '政策系列', level: '层级', caseKind: '事项类型', amount: '金额规则', base: '计算基数', maxMonths: '最多月数', monthlyCapFen: '每月上限', capPeriod: '上限计算周期',
  fundedItem: '资助对象', payout: '发放方式', years: '年数', requiresContentReview: '须经网信审查', priority: '优先级', scoresRequired: '所需评分人数', directorThresholdFen: '须处长决定的金额',
  effectiveFrom: '施行日期', draftedBy: '起草人', approvedBy: '批准人', conditions: '条件', requiredDocuments: '所需材料', stacking: '叠加规则', matrixVersion: '叠加表版本', entries: '条目',
  deadline: '期限', name: '名称', zh: '名称', window: '公示期', publishedOn: '公示日期', firstDay: '第一天', objections: '异议', objectionId: '异议编号', contactRef: '联系方式', lodgedAt: '提出时间', text: '答复内容', remedy: '补救',
  finalisedAt: '公示结束时间', recipient: '受奖人', publicName: '公示名称', originalAmountFen: '原定金额', members: '成员', criteria: '评分标准', minScorers: '最少评分人数', applications: '参评申请',
  declarations: '回避声明', conflicted: '有利害关系', declaredAt: '声明时间', sheets: '评分表', total: '总分', list: '拟定名单', listId: '名单编号', proposedAt: '拟定时间', ranking: '排名', proposed: '拟奖励',
  passedOver: '未入选', returnedLists: '退回的名单', returnedAt: '退回时间', approval: '批准', recusals: '回避', review: '评审', decision: '决定', call: '申报批次',
  decidedAt: '决定时间', aggregate: '综合得分', method: '计分方法', rank: '名次', rankedOf: '参与排名', excluded: '回避（评分不计）', criterionId: '评分标准', points: '得分', comment: '意见',
  scorers: '有效打分人数', heaviestCriterion: '权重最高的评分标准得分', applicantName: '申请人名称', remainingFen: '当时预算余额', totalFen: '合计金额', weightPercent: '权重', maxPoints: '满分',
  programme: '政策', id: '编号', endsAt: '截止时间', of: '计算依据', when: '上浮条件', shareBasisPoints: '比例', upliftBasisPoints: '上浮比例', perUnitFen: '每人金额',
  // Where a fact came from (domain/registers/answer-facts.ts FactSource): a register's answer, as of a day, by an entry.
  asOf: '核对日期', register: '登记名录', entryId: '名录条目', describe: '核对说明',
  // Awards paid on record (PAYOUTS_RECORDED_PATCH): payments fallen due and not yet recorded, and what leaving 杨浦 left owed.
  paidOnRecord: '经登记拨付后计为已发放', duePayouts: '待拨付', fellDueAt: '到期时间', owedFen: '待拨付金额',
};

/** Fields kept for systems, not people: the English name of a programme. */
const HIDDEN = new Set(['terms.name.en']);

/** How the n-th element of a list is named. */
const ITEM_WORDS: Record<string, string> = { instalments: '期', payouts: '期', duePayouts: '期', rounds: '轮', repayments: '笔', repaymentDeclarations: '笔', waiverYears: '年' };

const stripIndices = (path: string) => path.replace(/\[\d+\]/g, '');

/** The Chinese name of a state's field at `path` (instalments[2].paidFen → 还款计划 · 第 3 期 · 已还金额), or undefined when none is known. */
export function fieldLabel(path: string): string | undefined {
  const segments = path.split('.');
  const plain = segments.map(stripIndices);
  for (let n = plain.length; n > 0; n--) {
    const head = PATH_LABELS[plain.slice(0, n).join('.')] ?? (n === 1 ? (plain[0] === 'facts' ? undefined : KEY_LABELS[plain[0]!]) : undefined);
    if (!head) continue;
    const parts = [head, ...indexWords(segments[n - 1]!)];
    for (let i = n; i < segments.length; i++) {
      const key = plain[i]!;
      const inFacts = ['facts', 'factSources', 'verifiedFacts'].includes(plain[i - 1] ?? '');
      const label = inFacts && Object.hasOwn(FACT_LABELS, key) ? factLabel(key) : KEY_LABELS[key];
      if (!label) return undefined;
      parts.push(label, ...indexWords(segments[i]!));
    }
    return parts.join(' · ');
  }
  return undefined;
}

function indexWords(segment: string): string[] {
  const match = /^([^[]*)\[(\d+)\]$/.exec(segment);
  return match ? [`第 ${Number(match[2]) + 1} ${ITEM_WORDS[match[1]!] ?? '项'}`] : [];
}

const ENUM_WORDS: Record<string, Record<string, string>> = {
  department: DEPARTMENTS,
  reviewingDepartment: DEPARTMENTS,
  filingType: Object.fromEntries(Object.entries(DRAMA_FILING_TYPES).map(([k, v]) => [k, v.zh])),
  category: DRAMA_CATEGORIES,
  claimedAs: { supervisor: '分管领导' },
  // A fact's source: typed by the applicant, or answered by a register (domain/registers/answer-facts.ts).
  source: { claimed: '申请人声明', register: '登记名录核对' },
  register: { ...Object.fromEntries(Object.entries(REGISTERS).map(([k, v]) => [k, v.zh])), 'drama-filings': '本系统微短剧备案' },
  outcome: { approved: '通过', rejected: '不予通过', returned: '退回修改', upheld: '成立', dismissed: '不成立', 'closed-with-award': '随资助撤销办结', recovered: '已追回', 'written-off': '已核销', withdrawn: '已撤销' },
  mode: { competitive: '竞争性评审', 'first-come': '先到先得' },
  caseKind: { award: '奖补', service: '服务' },
  priority: { first: '优先', normal: '一般' },
  level: { city: '市级', district: '区级' },
  capPeriod: { 'per-award': '每项奖励', 'per-year': '每年' },
  applicantKind: APPLICANT_KIND_NAMES,
  family: FAMILY_NAMES,
  fundedItem: { 'content-item': '作品', project: '项目', course: '课程', company: '企业', person: '个人', event: '活动', 'voucher-item': '消费券', loan: '借款', none: '无' },
  'amount.kind': {
    none: '不涉及金额', cap: '不超过上限', fixed: '固定金额', 'share-of-base': '按基数比例（封顶）', 'cap-with-uplift': '上限（符合条件的上浮）', monthly: '按月（封顶）',
    'rent-waiver': '按年减免租金', 'interest-subsidy': '贴息', 'interest-paid-subsidy': '按实付利息贴息', 'per-unit': '按人数（封顶）', 'in-kind': '服务（不发放资金）',
  },
  'amount.of': { lpr: '同期 LPR', 'loan-rate': '借款利率' },
  // How an award is paid (domain/applications/payouts.ts `describePlan` words it in full on the case page).
  'payout.kind': { 'one-off': '一次性发放', monthly: '按月发放', 'rent-waiver-years': '按合同年度减免租金', voucher: '发放消费券', none: '不发放资金' },
  'plan.kind': { 'one-off': '一次性发放', monthly: '按月发放', 'rent-waiver-years': '按合同年度减免租金', voucher: '发放消费券', none: '不发放资金' },
  // The panel's words: the ranking's (web/src/views/call-detail.ts METHOD_WORDS), the list's (domain/panels/scoring.ts).
  method: { mean: '平均分', 'trimmed-mean': '去掉一个最高分和一个最低分后的平均分' },
  decision: { selected: '入选', 'not-selected': '未入选' },
  passedOver: PASSED_OVER_LABELS,
  'passedOver.reason': PASSED_OVER_LABELS,
  // An upheld objection's remedy, as the answer form offers it (cases/application.case.ts, uphold-objection).
  'remedy.kind': { withdraw: '撤销资助', reduce: '调低资助金额' },
  // Who the 公示 names: a company (单位) in full, a person (个人) masked (domain/publicity/masking.ts).
  'recipient.kind': { company: '单位', person: '个人' },
};

/** Scores in hundredths of a point (domain/panels/events.ts `CentiPoints`), written as the ranking writes them: 8620 → 86.20 分. */
const CENTI_POINT_KEYS = new Set(['aggregate', 'total', 'heaviestCriterion']);

/** Values that are identifiers: shown as written, as code. */
const CODE_KEYS = new Set(['amountRule', 'caseId', 'callId', 'awardId', 'itemId', 'referenceNo', 'reference', 'bankReference', 'voucherBatch', 'programmeId', 'listId', 'objectionId', 'unifiedSocialCreditCode', 'step', 'rulesVersion', 'catalogueVersion', 'termsVersion', 'contactRef', 'criterionId', 'id']);

/** Whether the field `key` holds an identifier, shown as written (as code) wherever it appears. */
export const isIdentifierKey = (key: string): boolean => CODE_KEYS.has(key);

/** A value in words; `code` when it is an identifier shown as written. */
export interface ValueInWords {
  text: string;
  code?: true;
}

export interface WordsContext {
  /** The case type's statuses (its module's labels). */
  statuses: Readonly<Record<string, string>>;
  /** Display names of accounts, for the ids the state keeps (经办人). */
  names: ReadonlyMap<string, string>;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** 24:00 at the end of a day is 00:00 of the next: the due day is the one before, inclusive. */
const inclusiveDay = (instant: string): string => `${chineseDate(shanghaiDateOf(Date.parse(instant) - 1))}（含）前`;

const instantText = (instant: string): string => {
  const local = formatShanghaiInstant(Date.parse(instant)); // 2026-12-03T09:47:22+08:00
  return `${chineseDate(local.slice(0, 10) as LocalDate)} ${local.slice(11, 16)}`;
};

export function valueInWords(path: string, value: unknown, context: WordsContext): ValueInWords {
  const key = stripIndices(path.split('.').at(-1) ?? '');
  const parentKey = stripIndices(path.split('.').at(-2) ?? '');
  if (value === undefined || value === null || value === '') return { text: '—' };
  if (isPersonRef(value)) return { text: value.displayName };
  if (key === 'status') {
    const table = parentKey === 'panel' ? PANEL_STATUS_LABELS : parentKey === 'publicity' ? PUBLICITY_STATUS_LABELS : path === 'status' ? context.statuses : { ...CALL_STATUS_LABELS, ...context.statuses };
    return typeof value === 'string' && (table as Record<string, string>)[value] ? { text: (table as Record<string, string>)[value]! } : { text: String(value), code: true };
  }
  if (key === 'reviewerIds' && Array.isArray(value)) {
    const names = value.map((id) => context.names.get(String(id)));
    // An account no longer on file is named by its id, as written.
    return names.every(Boolean) ? { text: names.join('、') || '—' } : { text: value.map((id, i) => names[i] ?? String(id)).join('、'), code: true };
  }
  if (typeof value === 'boolean') return { text: value ? '是' : '否' };
  if (typeof value === 'number') {
    if (/Fen$/.test(key)) return { text: `${formatFen(value)} 元` };
    if (CENTI_POINT_KEYS.has(key)) return { text: `${formatPoints(value)} 分` };
    if (key === 'rank') return { text: `第 ${value} 位` };
    if (key === 'rankedOf') return { text: `共 ${value} 位` };
    if (/BasisPoints/.test(key)) return { text: `${value / 100}%` };
    if (/WorkingDays$/.test(key) || key === 'workingDays') return { text: `${value} 个工作日` };
    if (/Days$/.test(key)) return { text: `${value} 天` };
    return { text: String(value) };
  }
  if (typeof value === 'string') {
    // A deadline, and the end of a 公示 window (24:00 on its last working day), read as the inclusive day.
    if (key === 'deadlineAt' || key === 'endsAt') return { text: inclusiveDay(value) };
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return { text: instantText(value) };
    if (isLocalDate(value)) return { text: chineseDate(value) };
    // A time limit's step is one of the case's statuses: named as its status is (本环节办理时限 · 环节：待放款).
    const stepWords = key === 'step' && Object.hasOwn(context.statuses, value) ? context.statuses[value] : undefined;
    const words = stepWords ?? ENUM_WORDS[`${parentKey}.${key}`]?.[value] ?? ENUM_WORDS[key]?.[value] ?? ((key === 'base' || key === 'when') && Object.hasOwn(FACT_LABELS, value) ? factLabel(value) : undefined);
    if (words) return { text: words };
    if (CODE_KEYS.has(key) || (/^[\x20-\x7e]+$/.test(value) && /[A-Za-z]/.test(value))) return { text: value, code: true };
    return { text: value };
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return { text: value.map((v) => valueInWords(key, v, context).text).join('、') || '—' };
    return { text: `共 ${value.length} 项` };
  }
  // One element of a list of records, as its fields in words: 应还日期 2027年1月15日；金额 …
  // Each field is read where it sits (an objection's answer's remedy.kind is a remedy's kind).
  const record = value as Record<string, unknown>;
  return {
    text: Object.entries(record)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => {
        const words = valueInWords(`${path}.${k}`, v, context).text;
        return typeof v === 'object' && !Array.isArray(v) && !isPersonRef(v) ? `${KEY_LABELS[k] ?? factLabel(k)}（${words}）` : `${KEY_LABELS[k] ?? factLabel(k)} ${words}`;
      })
      .join('；'),
  };
}

export interface RowInWords {
  path: string;
  kind: Change['kind'];
  label: string;
  before: ValueInWords;
  after: ValueInWords;
}

/** The label of a field no table names yet: its path says which (the audit page shows it beside every label). */
export const UNNAMED_FIELD = '其他字段';

/** The rows of the auditor's diff: one per change a person would call one, each named and valued in words. */
export function diffInWords(before: unknown, after: unknown, context: WordsContext): RowInWords[] {
  return readableDiff(before ?? {}, after ?? {})
    .filter((c) => !HIDDEN.has(stripIndices(c.path)))
    .map((c) => ({ path: c.path, kind: c.kind, label: fieldLabel(c.path) ?? UNNAMED_FIELD, before: valueInWords(c.path, c.before, context), after: valueInWords(c.path, c.after, context) }));
}

/** A field of a state as the auditor reads it: named and valued in words, with its path. */
export interface FieldInWords {
  path: string;
  label: string;
  value: ValueInWords;
}

/** A whole state in words, field by field, as the diff from nothing would name each (the CLI's as-of; --json keeps the state as stored). */
export function stateInWords(state: unknown, context: WordsContext): FieldInWords[] {
  return diffInWords({}, state, context).map((r) => ({ path: r.path, label: r.label, value: r.after }));
}

/** The statuses of a case type by their labels, from its module. */
export const statusLabelsOf = (caseType: string): Readonly<Record<string, string>> => moduleForStreamType(caseType)?.statuses ?? {};
