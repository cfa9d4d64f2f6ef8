import { ApiError, apiPaths, get, post } from '../api.js';
import type { CaseView } from '../case-model.js';
import { h, mount } from '../dom.js';
import { flash, takeFlash } from '../flash.js';
import { apiForm, field, LocalIssues, plannedBody, plannedFields } from '../forms.js';
import { departmentName, money, periodInWords, todayInShanghai } from '../format.js';
import { planFields, type JsonSchema, type PlannedField } from '../schema-form.js';
import type { SignedInAccount } from '../session.js';

/** A call as GET /api/calls lists it to everyone: approved, open now or still to open. */
interface PublicCall {
  callId: string;
  referenceNo: string;
  title: string;
  programme: { id: string; name: string };
  department: { id: string; name: string };
  mode: 'competitive' | 'first-come';
  modeLabel: string;
  opensAt: string;
  closesAt: string;
  open: boolean;
  quota: number | null;
  budgetFen: number;
  /** A first-come call's budget left; null for a competitive call. */
  remainingFen: number | null;
  budgetUsedUp: boolean;
  /** A first-come call's places (名额) left; null for a call without a quota, or a competitive call. */
  placesLeft: number | null;
  placesFull: boolean;
  publicityWorkingDays: number;
}

/** A call's own view (GET /api/cases/:callId): what an official of its department reads of drafts and closed calls too. */
export interface CallFacts {
  callId: string;
  programme: { id: string; name: string; catalogueVersion: string };
  title: string;
  mode: 'competitive' | 'first-come';
  opensAt: string;
  closesAt: string;
  budgetFen: number;
  budgetApproved: boolean;
  quota: number | null;
  publicityWorkingDays: number;
  closed: { by: string; reason: string; closedAt: string } | null;
  endedAt: string | null;
}

/** GET /api/calls/:callId/budget: the call's budget ledger. */
export interface CallLedger {
  budgetFen: number;
  budgetApproved: boolean;
  committedFen: number;
  paidFen: number;
  recoveredFen: number;
  remainingFen: number;
}

interface CaseSummary {
  caseId: string;
  caseType: string;
  status: string;
  statusLabel: string;
}

/** One line of the page: a call, whoever listed it. */
interface CallLine {
  callId: string;
  title: string;
  programme: { id: string; name: string };
  department: string;
  mode: 'competitive' | 'first-come';
  opensAt: string;
  closesAt: string;
  quota: number | null;
  statusLabel: string;
  open: boolean;
  /** A call of the official's own department: its case page and ledger are theirs to open. */
  own: boolean;
  /** A first-come call's budget left, as the public list says it (undefined for a competitive call). */
  remainingFen?: number;
  /** A first-come call with no budget left: listed until its close, taking no applications. */
  usedUp?: boolean;
  /** A first-come call's places left, as the public list says it (undefined without a quota). */
  placesLeft?: number;
  /** A first-come call with all its places taken: listed until its close, taking no applications. */
  placesFull?: boolean;
  ledger?: CallLedger | null;
}

const MODE_WORDS = { competitive: '竞争性评审', 'first-come': '先到先审' } as const;
/** The call statuses an official's own list reads (cases/call.case.ts). */
const CALL_STATUSES = ['draft', 'approved', 'closed', 'ended'];
/** Officials who may open a call: the opening's grant (reviewer, approver or director of the programme's department). */
const OPENING_DUTIES = ['reviewer', 'approver', 'director'];

/**
 * 申报批次: the calls open now and to come, for everyone; to officials also their department's calls
 * awaiting budget approval or closed, each with its budget ledger, and a form to open a new call.
 */
export async function callsPage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): Promise<void> {
  const official = account?.role === 'official';
  const { calls } = await get<{ calls: PublicCall[] }>('/api/calls');
  const lines: CallLine[] = calls.map((c) => ({
    callId: c.callId,
    title: c.title,
    programme: c.programme,
    department: c.department.name,
    mode: c.mode,
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    quota: c.quota,
    statusLabel: c.budgetUsedUp ? '预算已用完，不再受理' : c.placesFull ? '名额已满，不再受理' : c.open ? '申报中' : '即将开始申报',
    open: c.open,
    own: false,
    ...(c.remainingFen !== null ? { remainingFen: c.remainingFen } : {}),
    ...(c.budgetUsedUp ? { usedUp: true } : {}),
    ...(c.placesLeft !== null ? { placesLeft: c.placesLeft } : {}),
    ...(c.placesFull ? { placesFull: true } : {}),
  }));
  if (official) await addDepartmentCalls(lines, account);
  const mayOpen = official && (account.duties ?? []).some((d) => OPENING_DUTIES.includes(d));
  mount(
    main,
    h('h1', {}, '申报批次'),
    takeFlash(),
    h('p', { class: 'lead' }, official ? '本部门的申报批次（含预算待审批和已截止的）及其预算台账；其他部门正在申报的批次也列在下面。' : '以下扶持项目按批次集中申报，请在申报时间内提交。其他项目全年受理，可从政策目录直接申请。'),
    lines.length === 0 ? h('p', { class: 'empty' }, '目前没有正在申报或即将开始的批次。') : callTable(lines, account),
    mayOpen ? await openCallCard(account) : null,
  );
}

/** An official's department's calls in every status, read from its cases: /api/calls lists only the approved and unended. */
async function addDepartmentCalls(lines: CallLine[], account: SignedInAccount): Promise<void> {
  const found = await Promise.all(CALL_STATUSES.map((status) => get<{ cases: CaseSummary[] }>(`/api/cases?status=${status}&limit=100`).then((r) => r.cases, () => [])));
  const own = found.flat().filter((c) => c.caseType === 'call');
  const views = await Promise.all(own.map((c) => get<CaseView & { call?: CallFacts }>(`/api/cases/${c.caseId}`).catch(() => null)));
  const ledgers = await Promise.all(own.map((c) => get<CallLedger>(`/api/calls/${c.caseId}/budget`).catch(() => null)));
  own.forEach((summary, i) => {
    const call = views[i]?.call;
    if (!call) return;
    const open = summary.status === 'approved' && Date.parse(call.opensAt) <= Date.now() && Date.now() < Date.parse(call.closesAt);
    const line: CallLine = {
      callId: summary.caseId,
      title: call.title,
      programme: { id: call.programme.id, name: call.programme.name },
      department: departmentName(account.department),
      mode: call.mode,
      opensAt: call.opensAt,
      closesAt: call.closesAt,
      quota: call.quota,
      // An approved call is, to people, 申报中 while its period runs.
      statusLabel: open ? '申报中' : summary.status === 'approved' && Date.now() < Date.parse(call.opensAt) ? '即将开始申报' : views[i]!.statusLabel,
      open,
      own: true,
      ledger: ledgers[i],
    };
    const at = lines.findIndex((l) => l.callId === line.callId);
    if (at >= 0) lines.splice(at, 1);
    lines.unshift(line);
  });
}

function callTable(lines: CallLine[], account: SignedInAccount | undefined): HTMLElement {
  const official = account?.role === 'official';
  const withLedger = official && lines.some((l) => l.ledger);
  const headings = ['批次', '扶持项目', '申报时间', '评审方式', '名额', '状态', ...(withLedger ? ['预算台账'] : []), '办理'];
  return h(
    'div',
    // The whole list shows, scrolling with the page: in a box of its own a phone showed one call of three.
    { class: 'table-scroll whole', tabindex: 0, role: 'region', 'aria-label': '申报批次列表' },
    h(
      'table',
      { class: 'cases calls' },
      h('caption', {}, `共 ${lines.length} 个批次；时间均为北京时间`),
      h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...lines.map((l) =>
          h(
            'tr',
            { 'data-call': l.callId },
            h('th', { scope: 'row', 'data-label': '批次' }, official && l.own ? h('a', { href: `#/cases/${l.callId}` }, l.title) : l.title, h('span', { class: 'muted block small' }, l.department)),
            h('td', { 'data-label': '扶持项目' }, l.programme.name),
            h('td', { 'data-label': '申报时间' }, periodInWords(l.opensAt, l.closesAt)),
            h('td', { 'data-label': '评审方式', class: 'nowrap' }, MODE_WORDS[l.mode], l.remainingFen !== undefined ? h('span', { class: 'muted block small', 'data-budget-left': String(l.remainingFen) }, `预算余额 ${money(l.remainingFen)}`) : null),
            h('td', { 'data-label': '名额', class: 'nowrap' }, l.quota === null ? '不限' : `${l.quota} 个`, l.placesLeft !== undefined ? h('span', { class: 'muted block small', 'data-places-left': String(l.placesLeft) }, `剩余名额 ${l.placesLeft} 个`) : null),
            h('td', { 'data-label': '状态', class: 'nowrap' }, h('span', { class: `pill ${l.open && !l.usedUp && !l.placesFull ? 'pill-paid' : 'pill-due'}` }, l.statusLabel)),
            withLedger ? h('td', { 'data-label': '预算台账', class: 'ledger-cell' }, l.ledger ? ledgerList(l.ledger) : h('span', { class: 'muted' }, '—')) : null,
            h('td', { 'data-label': '办理', class: 'nowrap' }, nextMove(l, account)),
          ),
        ),
      ),
    ),
  );
}

/** 预算、已承诺、已支付、已收回、剩余, in 元. */
export function ledgerList(ledger: CallLedger): HTMLElement {
  const rows: [string, number][] = [
    ['预算', ledger.budgetFen],
    ['已承诺', ledger.committedFen],
    ['已支付', ledger.paidFen],
    ['已收回', ledger.recoveredFen],
    ['剩余', ledger.remainingFen],
  ];
  return h('dl', { class: 'ledger' }, ...rows.flatMap(([label, fen]) => [h('dt', {}, label), h('dd', { class: 'num' }, money(fen))]), ledger.budgetApproved ? null : [h('dt', {}, '审批'), h('dd', {}, '预算待审批')]);
}

function nextMove(line: CallLine, account: SignedInAccount | undefined): HTMLElement | string {
  if (account?.role === 'official') return line.own ? h('a', { href: `#/cases/${line.callId}` }, '查看与办理') : h('span', { class: 'muted' }, `由${line.department}办理`);
  if (!line.open) return h('span', { class: 'muted' }, `${periodInWords(line.opensAt, line.closesAt).split(' 至 ')[0]}开始`);
  // Nothing left to award: no way into a form that would only be refused.
  if (line.usedUp) return h('span', { class: 'muted' }, '预算已用完，请留意下一批次');
  if (line.placesFull) return h('span', { class: 'muted' }, '名额已满，请留意下一批次');
  if (account?.role === 'applicant') return h('a', { class: 'button primary', href: `#/apply/programme/${line.programme.id}` }, '在线申报');
  if (!account) return h('a', { href: '#/login' }, '登录后申报');
  return h('span', { class: 'muted' }, '申报中');
}

interface ProgrammeLine {
  id: string;
  name: { zh: string };
  department: { id: string; name: string };
  caseKind?: string;
}

/**
 * Opening a call: the form is drawn from the body schema of POST /api/cases/call as the API
 * describes it (/openapi.json), with the programme chosen from the department's measures and the
 * instants typed as Shanghai date-times. Every problem is shown at once, next to its field.
 */
async function openCallCard(account: SignedInAccount): Promise<HTMLElement | null> {
  const schema = await openingSchema();
  if (!schema) return h('section', { class: 'card' }, h('h2', {}, '设立申报批次'), h('p', { class: 'muted' }, '暂时无法读取设立批次所需的填写项，请稍后刷新重试。'));
  const { programmes } = await get<{ programmes: ProgrammeLine[] }>('/api/programmes');
  const ours = programmes.filter((p) => p.department.id === account.department && (p.caseKind === 'award' || p.caseKind === 'loan'));
  const plan = planFields(schema, {}, { today: todayInShanghai() }).map((f): PlannedField => {
    if (isInstant(schema, f.name)) return { ...f, kind: 'text', value: '', hint: '北京时间，精确到分钟' };
    // A required choice starts unchosen, so that nobody submits the first option without reading it.
    if (f.kind === 'select' && f.required && !f.options?.some((o) => o.value === '')) return { ...f, value: '', options: [{ value: '', label: '请选择' }, ...(f.options ?? [])] };
    return f;
  });
  const rest = plan.filter((f) => f.name !== 'programmeId');
  const programmeField = field({ name: 'programmeId', label: schema.properties?.programmeId?.title ?? '扶持项目', type: 'select', required: true, options: [{ value: '', label: '请选择' }, ...ours.map((p) => ({ value: p.id, label: p.name.zh }))] });
  const fields = [programmeField, ...plannedFields(rest)];
  for (const f of rest.filter((p) => isInstant(schema, p.name))) {
    const input = fields.find((el) => el.dataset.field === f.name)?.querySelector('input');
    if (input) input.type = 'datetime-local';
  }
  // Blanks are checked with everything else (schema-form's bodyOf), so that one submit shows every problem.
  for (const el of fields) for (const control of el.querySelectorAll('[required]')) control.removeAttribute('required');
  const form = apiForm({
    label: '设立申报批次',
    submitText: '设立批次',
    fields,
    async action(f) {
      const body = callBody(f, rest);
      const created = await post<{ caseId: string; referenceNo: string }>('/api/cases/call', body).catch((error: unknown) => {
        if (!(error instanceof ApiError)) throw error;
        throw new ApiError(error.status, error.code, callIssueInChinese(error.message), error.issues.map((i) => ({ field: i.field, message: callIssueInChinese(i.message) })));
      });
      flash(`已设立申报批次，编号 ${created.referenceNo}；预算须由另一名审批人员批准后才开始受理申报。`);
      location.hash = `#/cases/${created.caseId}`;
    },
  });
  return h(
    'section',
    { class: 'card open-call', 'aria-labelledby': 'open-call-h' },
    h('h2', { id: 'open-call-h' }, '设立申报批次'),
    h('p', { class: 'muted' }, '设立后，预算须由本部门另一名审批人员或处长批准，批准后在申报时间内受理申报。'),
    ours.length === 0 ? h('p', { class: 'muted' }, '本部门没有按批次申报的扶持项目。') : form,
  );
}

/** The body the form says, or every problem at once: blanks, formats, and the close after the open. */
function callBody(form: HTMLFormElement, plan: PlannedField[]): Record<string, unknown> {
  const issues: { field: string; message: string }[] = [];
  const programmeId = (form.querySelector<HTMLSelectElement>('[name="programmeId"]')?.value ?? '').trim();
  if (!programmeId) issues.push({ field: 'programmeId', message: '请选择扶持项目' });
  let body: Record<string, unknown> = {};
  try {
    body = plannedBody(form, plan);
  } catch (error) {
    if (!(error instanceof LocalIssues)) throw error;
    issues.push(...error.issues);
  }
  const opensAt = body.opensAt as string | undefined;
  const closesAt = body.closesAt as string | undefined;
  if (opensAt && closesAt && closesAt <= opensAt) issues.push({ field: 'closesAt', message: '申报截止时间须晚于申报开始时间' });
  if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
  return { programmeId, ...body };
}

/** A Shanghai wall-clock minute (2026-09-20T09:00): its pattern names the T between date and time. */
export function isInstant(schema: JsonSchema, name: string): boolean {
  return (schema.properties?.[name]?.pattern ?? '').includes('[T ]');
}

async function openingSchema(): Promise<JsonSchema | undefined> {
  if (!(await apiPaths()).includes('/api/cases/call')) return undefined;
  const doc = await get<{ paths: Record<string, { post?: { requestBody?: { content: { 'application/json': { schema: JsonSchema } } } } }> }>('/openapi.json');
  return doc.paths['/api/cases/call']?.post?.requestBody?.content['application/json'].schema;
}

/** The opening's field rules as the API words them (cases/call.case.ts), in Chinese. */
const CALL_PHRASES: [RegExp, string][] = [
  [/must be a Shanghai date-time written YYYY-MM-DDTHH:mm/, '请填写日期和时间，例如 2026-09-20 09:00'],
  [/must be a real date-time/, '请填写有效的日期和时间'],
  [/must be a whole number/, '请填写整数'],
  [/must be more than 0/, '须大于 0'],
  [/^Too small: expected number to be >=(\d+)$/, '不能小于 $1'],
  [/^Too big: expected number to be <=(\d+)$/, '不能大于 $1'],
];

function callIssueInChinese(message: string): string {
  for (const [pattern, zh] of CALL_PHRASES) if (pattern.test(message)) return message.replace(pattern, zh);
  return message;
}
