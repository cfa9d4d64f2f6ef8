import { ApiError } from '../api.js';
import { h, mount } from '../dom.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';
import { dueByTag } from '../date-tags.js';
import type { SignedInAccount } from '../session.js';
import { PROVISIONAL_DAY_NOTE } from '../worklist.js';

/** What GET /api/progress answers: a case's progress and nothing personal. */
interface Progress {
  referenceNo: string;
  programme: string;
  currentStep: string;
  finished: boolean;
  nextActor: string | null;
  /** `provisional`: the day depends on a year whose holiday arrangement is not loaded (暂定). */
  deadline: { dueOn: string; text: string; provisional: boolean; term: string } | null;
  submittedOn: string;
  submittedText: string;
  timeline: { step: string; on: string; text: string }[];
}

/** The shapes the API accepts (api/routes/progress.routes.ts, api/progress-code.ts), checked here so every problem shows at once. */
const REFERENCE_NO = /^[A-Z]{2,4}-\d{4}-\d{6,10}$/;
const CODE = /^[2-9A-HJ-NP-Z]{8}$/;

/** What people type: spaces and dashes inside a code, lower case, full-width letters and digits, the Chinese dash. */
export function normaliseReferenceNo(text: string): string {
  return toHalfWidth(text).replace(/\s+/g, '').replace(/[—–－]/g, '-').toUpperCase();
}

export function normaliseCode(text: string): string {
  return toHalfWidth(text).replace(/[\s-]+/g, '').toUpperCase();
}

function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}

/**
 * 办件进度查询: anyone with a reference number (申请编号) and its 查询码 reads where the case stands,
 * without signing in. The code is on the applicant's case page; the answer names no person and no amount.
 */
export function progressPage(main: HTMLElement, _params: string[], _account: SignedInAccount | undefined): void {
  const prefilled = new URLSearchParams(location.hash.split('?')[1] ?? '').get('ref') ?? '';
  const result = h('div', { class: 'progress-result', 'aria-live': 'polite' });
  const form = apiForm({
    label: '办件进度查询',
    submitText: '查询',
    className: 'progress-form',
    fields: [
      field({ name: 'referenceNo', label: '申请编号', value: normaliseReferenceNo(prefilled), hint: '提交申请后页面上显示的编号，例如 CY-2026-000001', attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' } }),
      field({ name: 'code', label: '查询码', hint: '8 位字母和数字（不含 0、1 及与之相似的字母），在申请人的办件页面上；不区分大小写', attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: '12' } }),
    ],
    async action(f) {
      // A new query's answer, or its refusal, never stands beside the last case's result.
      mount(result);
      const referenceNo = normaliseReferenceNo(valueOf(f, 'referenceNo'));
      const code = normaliseCode(valueOf(f, 'code'));
      const issues = [
        ...(referenceNo === '' ? [{ field: 'referenceNo', message: '请填写申请编号' }] : !REFERENCE_NO.test(referenceNo) ? [{ field: 'referenceNo', message: '申请编号的格式为字母、年份和六位数字，例如 CY-2026-000001' }] : []),
        ...(code === '' ? [{ field: 'code', message: '请填写查询码' }] : !CODE.test(code) ? [{ field: 'code', message: '查询码为 8 位字母和数字，不含 0、1 及与之相似的字母，请对照办件页面上的查询码核对' }] : []),
      ];
      if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
      const progress = await lookUp(referenceNo, code);
      mount(result, statusCard(progress));
      result.querySelector<HTMLElement>('h2')?.focus();
    },
  });
  mount(
    main,
    h('h1', {}, '办件进度查询'),
    h('p', { class: 'lead' }, '无需登录。输入申请编号和查询码，即可查看办件目前所在环节、下一步由哪个部门办理和办理期限。查询结果不显示申请人信息和金额。'),
    h('p', { class: 'muted' }, '查询码在申请人登录后的办件页面上，也可以向经办部门询问。'),
    form,
    result,
  );
}

/** Asked without the session: the look-up is the same for everyone, signed in or not. */
async function lookUp(referenceNo: string, code: string): Promise<Progress> {
  let response: Response;
  try {
    response = await fetch(`/api/progress?${new URLSearchParams({ referenceNo, code })}`, { headers: { accept: 'application/json' }, credentials: 'omit' });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，没有查到结果。请检查网络后再次查询。');
  }
  const json = (await response.json().catch(() => ({}))) as Partial<Progress> & { message?: string; error?: string; issues?: { field: string; message: string }[] };
  if (!response.ok) {
    const issues = (json.issues ?? []).map((i) => ({ field: i.field.replace(/^query\./, ''), message: i.message }));
    throw new ApiError(response.status, json.error ?? 'error', refusalInChinese(response.status, json.message), issues);
  }
  return json as Progress;
}

/** The API words its refusals of a look-up in Chinese; a status it does not word is named here. */
function refusalInChinese(status: number, message: string | undefined): string {
  if (message && /[\u4e00-\u9fff]/.test(message)) return message;
  if (status === 404) return '没有查到这件办件：请核对申请编号和查询码。';
  if (status === 429) return '查询过于频繁，请稍后再试。';
  if (status === 400) return '填写的内容有误，请修改后再查询。';
  return `暂时无法查询（服务器返回 ${status}），请稍后再试。`;
}

/** The deadline as the case page says it: its last day, and 暂定 beside it while that day's year has no holiday arrangement loaded. */
function deadlineWords(deadline: Progress['deadline']): (HTMLElement | string)[] {
  if (!deadline) return ['本环节无期限'];
  if (!deadline.provisional) return [dueByTag(deadline.dueOn)];
  return [
    dueByTag(deadline.dueOn),
    ' ',
    h('span', { class: 'tag', title: '所在年度节假日安排未公布' }, '暂定'),
    h('span', { class: 'muted block small' }, PROVISIONAL_DAY_NOTE),
  ];
}

function statusCard(p: Progress): HTMLElement {
  return h(
    'section',
    { class: 'card progress-card', 'aria-labelledby': 'progress-h' },
    h('h2', { id: 'progress-h', tabindex: -1 }, h('span', { class: 'muted block small' }, '办理事项'), p.programme),
    h(
      'p',
      { class: 'progress-now' },
      h('span', { class: 'muted' }, '当前环节'),
      ' ',
      h('span', { class: `pill ${p.finished ? 'pill-done' : 'pill-due'}` }, p.currentStep),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '申请编号'),
      h('dd', {}, p.referenceNo),
      h('dt', {}, '下一步办理'),
      h('dd', {}, p.finished ? '已办结' : (p.nextActor ?? '暂无')),
      h('dt', {}, p.deadline?.term ?? '办理期限'),
      h('dd', {}, ...deadlineWords(p.deadline)),
      h('dt', {}, '提交日期'),
      h('dd', {}, h('time', { datetime: p.submittedOn }, p.submittedText)),
    ),
    h('h3', {}, '办理经过'),
    h('ol', { class: 'progress-steps' }, ...p.timeline.map((t, i) => h('li', { class: i === p.timeline.length - 1 ? 'current' : '' }, h('span', { class: 'progress-step' }, t.step), h('time', { datetime: t.on }, t.text)))),
  );
}
