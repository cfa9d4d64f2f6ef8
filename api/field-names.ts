import { z, type ZodType } from 'zod';
import { FACT_LABELS } from '../domain/programmes/fact-labels.js';

/**
 * The name a person knows each field of the API by, for the one-line message of a refusal
 * ("请修改以下 2 处：申请金额：必须大于 0；…"): the issues keep the API's own keys (`field`) for
 * programs, but the sentence is read by people, and a key such as `requestedAmountFen` in it is
 * English in the Chinese answer.
 *
 * A field's name is, in this order: the `title` its schema carries (the action forms' labels, which
 * the web shows), this glossary by its path, then the name of the programme fact it is. Paths write
 * an array's items as `*`. test/api/field-names.test.ts walks every route and fails on a field that
 * has none, so a field added without a name is caught there.
 */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  // The request as a whole (a body that is not an object; unknown fields of the top level).
  body: '请求内容',
  query: '查询参数',
  path: '地址',

  // Path parameters.
  action: '操作',
  caseId: '办件编号',
  programmeId: '政策事项',
  callId: '申报批次',
  changeId: '变更编号',
  grantId: '授权申请编号',
  entryId: '条目编号',
  kind: '登记名录',
  letterId: '决定书编号',
  noticeId: '消息编号',
  documentId: '材料编号',
  username: '用户名',
  version: '版本号',
  year: '年份',

  // Every case action.
  expectedVersion: '办件版本号',

  // Sign-in and accounts.
  password: '密码',
  newPassword: '新密码',
  code: '一次性登录码',
  displayName: '姓名或名称',
  role: '角色',
  department: '部门',
  duties: '职责',
  applicantKind: '申请主体类型',
  reason: '理由',
  contactPhone: '联系电话',
  idNumber: '身份证号',
  personalData: '个人信息',
  'personalData.contactPhone': '联系电话',
  'personalData.idNumber': '身份证号',

  // Lists, queues and look-ups.
  view: '列表',
  q: '查找',
  status: '办理环节',
  caseType: '案件类型',
  breached: '是否超期',
  assigned: '认领',
  sort: '排序',
  order: '排序方向',
  page: '页码',
  pageSize: '每页件数',
  limit: '件数',
  offset: '跳过件数',
  before: '此位置之前',
  waitingFor: '等待办理的部门',
  escalated: '是否已提级',
  mine: '只看我认领的',
  filingType: '备案类型',
  from: '起始日期',
  to: '截止日期',
  month: '月份',
  programme: '政策事项',
  unread: '只看未读',
  asOf: '有效日期',
  referenceNo: '申请编号',
  disposition: '打开方式',
  name: '名称',

  // Working days and the calendar.
  submittedAt: '提交时间',
  workingDays: '工作日数',
  dueOn: '截止日',
  counting: '计算方式',
  holidays: '节假日',
  makeUpWorkdays: '调休上班日',
  note: '说明',
  expectedRevision: '日历版本号',
  source: '所依据的通知',
  proposalId: '调整提议编号',

  // The 雏鹰 loan's application and schedule.
  company: '企业',
  'company.name': '企业名称',
  'company.unifiedSocialCreditCode': '统一社会信用代码',
  'company.registeredDistrict': '注册区',
  project: '项目',
  'project.name': '项目名称',
  'project.summary': '项目简介',
  'project.contentTrack': '内容赛道',
  principalFen: '本金',
  disbursedOn: '放款日',

  // Applications under the catalogue's measures.
  title: '申请事项',
  summary: '情况说明',
  venue: '使用的共享直播场地',
  facts: '审核所需信息',

  // Micro-drama filings.
  category: '微短剧类别',
  producer: '制作机构',
  episodeCount: '集数',
  episodeLengthMinutes: '单集时长（分钟）',
  platform: '播出平台',
  aiGenerated: '使用生成式人工智能制作',
  synopsis: '剧情梗概',

  // Registers, terms and the stacking matrix.
  subject: '登记对象',
  detail: '详细信息',
  capPeriod: '上限计算方式',
  'amount.kind': '金额规则类型',
  'amount.base': '计算基数',
  'amount.of': '计算对象',
  'amount.when': '适用情形',
  family: '政策系列',
  between: '两项政策',
  verdict: '结论',

  // Ratings.
  score: '评分',
  comment: '意见和建议',

  // An auditor's exported checkpoints, sent back to be checked.
  checkpoints: '检查点',
  'checkpoints.*.checkpointNo': '检查点序号',
  'checkpoints.*.position': '位置',
  'checkpoints.*.eventCount': '事件数',
  'checkpoints.*.streamCount': '流数',
  'checkpoints.*.logDigest': '日志摘要',
  'checkpoints.*.streamsRoot': '流的根哈希',
  'checkpoints.*.createdAt': '签发时间',
  'checkpoints.*.reason': '签发原因',
  'checkpoints.*.requestedBy': '签发人',
  'checkpoints.*.keyId': '密钥编号',
  'checkpoints.*.publicKey': '公钥',
  'checkpoints.*.signature': '签名',
};

/**
 * One problem as a person reads it: the field by its name, or by the nearest enclosing field that has
 * one; not named again where the message already names it (请填写剧名).
 */
export function namedProblem(schema: ZodType | undefined, issue: { field: string; message: string }, where: 'path' | 'query' | 'body'): string {
  const segments = issue.field.split('.');
  let name: string | undefined;
  for (let length = segments.length; length > 0 && !name; length--) name = fieldName(schema, segments.slice(0, length).join('.'), where);
  return name && !issue.message.includes(name) ? `${name}：${issue.message}` : issue.message;
}

const isIndex = (segment: string) => /^\d+$/.test(segment);

/** The name of the field at `field` (an issue's dotted path, `where` first for path and query), or undefined. */
export function fieldName(schema: ZodType | undefined, field: string, where: 'path' | 'query' | 'body'): string | undefined {
  const segments = field.split('.');
  if (segments[0] === where) segments.shift();
  if (segments.length === 0) return FIELD_NAMES[where];
  return nameAt(schema, segments);
}

function nameAt(schema: ZodType | undefined, segments: string[]): string | undefined {
  // An item of a list: the list's name and the item's number (补正材料第 2 项), then what in the item.
  const index = segments.findLastIndex(isIndex);
  const list = index > 0 ? nameAt(schema, segments.slice(0, index)) : undefined;
  if (list) {
    const item = `${list}第 ${Number(segments[index]) + 1} 项`;
    if (index === segments.length - 1) return item;
    const rest = segments.slice(index + 1);
    const inner = titleAt(schema, segments) ?? FIELD_NAMES[pattern(segments)] ?? FIELD_NAMES[pattern(rest)];
    return inner ? `${item}的${inner}` : undefined;
  }
  return titleAt(schema, segments) ?? FIELD_NAMES[pattern(segments)] ?? factName(segments);
}

const pattern = (segments: readonly string[]) => segments.map((s) => (isIndex(s) ? '*' : s)).join('.');

/** A programme's fact, stated in an application (`facts.age`) or checked on its own (`age`). */
function factName(segments: string[]): string | undefined {
  const fact = segments.length === 2 && segments[0] === 'facts' ? segments[1]! : segments.length === 1 ? segments[0]! : undefined;
  return fact === undefined ? undefined : FACT_LABELS[fact as keyof typeof FACT_LABELS];
}

/** The `title` of the schema at `segments`, through objects, arrays, optionals and pipes. */
function titleAt(schema: ZodType | undefined, segments: readonly string[]): string | undefined {
  let current: ZodType | undefined = schema;
  for (const segment of segments) {
    current = childOf(current, segment);
    if (!current) return undefined;
  }
  return current ? ownTitle(current) : undefined;
}

function ownTitle(schema: ZodType): string | undefined {
  for (let current: ZodType | undefined = schema; current; current = innerOf(current)) {
    const title = z.globalRegistry.get(current)?.title;
    if (title) return title;
  }
  return undefined;
}

/** The schema a wrapper (optional, default, pipe …) wraps, or undefined. */
function innerOf(schema: ZodType): ZodType | undefined {
  const def = schema._zod.def as { type: string; innerType?: ZodType; in?: ZodType };
  if (def.type === 'pipe') return def.in;
  return def.innerType;
}

function childOf(schema: ZodType | undefined, segment: string): ZodType | undefined {
  for (let current = schema; current; current = innerOf(current)) {
    const def = current._zod.def as { type: string; shape?: Record<string, ZodType>; element?: ZodType; items?: ZodType[] };
    if (def.type === 'object') return def.shape?.[segment];
    if (def.type === 'array') return isIndex(segment) ? def.element : undefined;
    if (def.type === 'tuple') return isIndex(segment) ? def.items?.[Number(segment)] : undefined;
  }
  return undefined;
}

/** A whole schema's fields as paths (items as `*`), for the test that every one of them has a name. */
export function fieldPaths(schema: ZodType | undefined, prefix: string[] = []): string[][] {
  if (!schema) return [];
  const def = schema._zod.def as { type: string; shape?: Record<string, ZodType>; element?: ZodType; items?: ZodType[]; options?: ZodType[] };
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, [...prefix, key])]);
    case 'array':
      return [[...prefix, '0'], ...fieldPaths(def.element, [...prefix, '0'])];
    case 'tuple':
      return (def.items ?? []).flatMap((item, i) => [[...prefix, String(i)], ...fieldPaths(item, [...prefix, String(i)])]);
    case 'union':
      return (def.options ?? []).flatMap((option) => fieldPaths(option, prefix));
    default: {
      const inner = innerOf(schema);
      return inner ? fieldPaths(inner, prefix) : [];
    }
  }
}
