import { ApiError } from '../api.js';
import { h, mount, notice } from '../dom.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';
import { dateInWords } from '../format.js';
import type { SignedInAccount } from '../session.js';

/** One award on 公示 as GET /api/publicity lists it: a person's name already masked by the API. */
interface PublicEntry {
  caseId: string;
  referenceNo: string;
  programme: string;
  recipient: string;
  recipientKind: 'company' | 'person';
  amountYuan: string;
  publishedOn: string;
  lastWorkingDay: string;
  status: 'in-publicity' | 'objection-pending';
  statusLabel: string;
  objectionsOpen: boolean;
  /** The call (申报批次) whose list this award is on; null only for an award made outside a call. */
  call: { callId: string; title: string } | null;
  /** The department that publishes it and answers objections. */
  publisher: string;
}

/** A call's awards on 公示, as an office publishes them: one list a 申报批次, in the order the API gives the first of each. */
function byCall(entries: readonly PublicEntry[]): { call: PublicEntry['call']; publisher: string; entries: PublicEntry[] }[] {
  const groups = new Map<string, { call: PublicEntry['call']; publisher: string; entries: PublicEntry[] }>();
  for (const entry of entries) {
    const key = entry.call?.callId ?? `outside-a-call:${entry.publisher}`;
    const group = groups.get(key) ?? { call: entry.call, publisher: entry.publisher, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The objection body's limits (api/schemas/publicity.schemas.ts): checked here too, so every problem shows at once. */
const REASONS_MAX = 1000;
const CONTACT_MAX = 100;

/**
 * 公示: the awards of public money on notice before they are final, for anyone to read, and an
 * objection (异议) to each while its 公示 runs — anonymous, with reasons and, if the objector wishes,
 * a contact that only the department sees.
 */
export async function publicityPage(main: HTMLElement, _params: string[], _account: SignedInAccount | undefined): Promise<void> {
  const entries = await publicEntries();
  mount(
    main,
    h('h1', {}, '资助公示'),
    h(
      'p',
      { class: 'lead' },
      '下列资助经评审和批准，现予公示。公示期内，任何单位和个人均可对公示内容提出异议，须写明理由；可以留下联系方式以便主管部门核实和答复，联系方式不公开。公示期满无异议或异议不成立的，资助予以确定。',
    ),
    ...(entries.length === 0 ? [h('p', { class: 'empty' }, '目前没有正在公示的资助。')] : byCall(entries).map(callSection)),
  );
}

/** The list as anyone reads it. Public and anonymous: sent without the session, so that an objection is never tied to whoever is signed in. */
async function publicEntries(): Promise<PublicEntry[]> {
  const response = await fetch('/api/publicity', { headers: { accept: 'application/json' }, credentials: 'omit' }).catch(() => {
    throw new Error('网络连接失败，暂时无法读取公示名单，请检查网络后刷新重试。');
  });
  if (!response.ok) throw new Error(`暂时无法读取公示名单（服务器返回 ${response.status}），请稍后刷新重试。`);
  return ((await response.json()) as { entries: PublicEntry[] }).entries;
}

function callSection(group: ReturnType<typeof byCall>[number]): HTMLElement {
  const headingId = `pub-call-${group.call?.callId ?? group.publisher}`;
  return h(
    'section',
    { class: 'publicity-call', 'data-publicity-call': group.call?.callId ?? '', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, group.call ? `${group.call.title} 拟资助名单` : '拟资助名单'),
    h('p', { class: 'muted' }, `公示单位：${group.publisher}；异议由${group.publisher}受理并书面答复。本批次共 ${group.entries.length} 项。`),
    h('ol', { class: 'publicity-list' }, ...group.entries.map(entryCard)),
  );
}

function entryCard(entry: PublicEntry): HTMLElement {
  const headingId = `pub-${entry.caseId}`;
  return h(
    'li',
    { class: 'card publicity-entry', 'data-publicity': entry.caseId, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, h('span', { class: 'muted block small' }, entry.recipientKind === 'company' ? '获资助单位' : '获资助人'), entry.recipient),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '扶持项目'),
      h('dd', {}, entry.programme),
      h('dt', {}, '资助金额'),
      h('dd', { class: 'amount' }, `${entry.amountYuan} 元`),
      h('dt', {}, '公示期'),
      h('dd', {}, `${dateInWords(entry.publishedOn)} 至 ${dateInWords(entry.lastWorkingDay)}`),
      h('dt', {}, '状态'),
      h('dd', {}, statusPill(entry)),
      h('dt', {}, '申请编号'),
      h('dd', {}, entry.referenceNo),
    ),
    entry.objectionsOpen ? objectionForm(entry) : h('p', { class: 'muted' }, '本条公示目前不受理异议。'),
  );
}

function statusPill(entry: PublicEntry): HTMLElement {
  return h('span', { class: `pill ${entry.status === 'in-publicity' ? 'pill-due' : 'pill-overdue'}` }, entry.statusLabel);
}

function objectionForm(entry: PublicEntry): HTMLElement {
  const done = h('div', { class: 'objection-done', 'aria-live': 'polite' });
  const form = apiForm({
    label: `对${entry.recipient}的资助提出异议`,
    submitText: '提交异议',
    fields: [
      field({ name: 'reasons', label: '异议理由', type: 'textarea', required: true, hint: `写明异议的事实和理由，不超过 ${REASONS_MAX} 字` }),
      field({ name: 'contact', label: '联系方式（可选）', hint: '电话或邮箱，仅供主管部门核实和答复，不公开；不留也可以提出异议' }),
    ],
    async action(f) {
      const reasons = valueOf(f, 'reasons');
      const contact = valueOf(f, 'contact');
      const issues = [
        ...(reasons === '' ? [{ field: 'reasons', message: '请写明异议理由' }] : reasons.length > REASONS_MAX ? [{ field: 'reasons', message: `异议理由不超过 ${REASONS_MAX} 字（现有 ${reasons.length} 字）` }] : []),
        ...(contact.length > CONTACT_MAX ? [{ field: 'contact', message: `联系方式不超过 ${CONTACT_MAX} 字` }] : []),
      ];
      if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
      const answer = await lodge(entry.caseId, { reasons, ...(contact ? { contact } : {}) });
      f.hidden = true;
      mount(done, notice('ok', answer.message), h('p', {}, contact ? '主管部门将通过您留下的联系方式告知答复结果。' : '您没有留下联系方式，答复结果以公示页面为准。'));
      done.querySelector<HTMLElement>('.notice')?.focus();
      // The entry's 状态 as the list now has it (异议待答复): it had read 公示中 until the page was loaded again.
      const now = (await publicEntries().catch(() => [])).find((e) => e.caseId === entry.caseId);
      const pill = form.closest('.publicity-entry')?.querySelector('.pill');
      if (now && pill) pill.replaceWith(statusPill(now));
    },
  });
  // Blanks are checked with the lengths, so one submit shows every problem.
  for (const control of form.querySelectorAll('[required]')) control.removeAttribute('required');
  return h('details', { class: 'objection' }, h('summary', {}, '对这项资助提出异议'), form, done);
}

/** Posts without the session: an objection is anonymous whoever is signed in, and the route needs no CSRF token. */
async function lodge(caseId: string, body: { reasons: string; contact?: string }): Promise<{ message: string }> {
  let response: Response;
  try {
    response = await fetch(`/api/publicity/${encodeURIComponent(caseId)}/objections`, {
      method: 'POST',
      credentials: 'omit',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，异议没有提交。请检查网络后再次提交。');
  }
  const json = (await response.json().catch(() => ({}))) as { message?: string; error?: string; issues?: { field: string; message: string }[] };
  if (!response.ok) throw new ApiError(response.status, json.error ?? 'error', refusalInChinese(response.status, json.message), json.issues ?? []);
  return { message: json.message ?? '异议已受理。' };
}

/** The API words its refusals of an objection in Chinese; a status it does not word is named here. */
function refusalInChinese(status: number, message: string | undefined): string {
  if (message && /[\u4e00-\u9fff]/.test(message)) return message;
  if (status === 404) return '这项资助已不在公示中，异议没有提交。';
  if (status === 409) return '这项资助的公示期已结束，不再受理异议。';
  if (status === 429) return '提交过于频繁，请稍后再试。';
  if (status === 400) return '填写的内容有误，请修改后再提交。';
  return `异议没有提交（服务器返回 ${status}），请稍后再试。`;
}
