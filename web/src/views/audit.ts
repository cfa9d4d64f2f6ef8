import { ApiError, get } from '../api.js';
import type { CaseEvent } from '../case-model.js';
import { caseTypeOf, statusText } from '../case-types.js';
import { h, mount, notice } from '../dom.js';
import { eventTitle } from '../events-text.js';
import { dateInWords, dateTimeInWords, dueByInWords } from '../format.js';
import type { SignedInAccount } from '../session.js';
import { isFailure, showFailure } from '../forms.js';
import { caseTable, type WorklistItem } from '../worklist.js';
import { timeline } from './case-detail.js';
import { whoTookIt } from '../who.js';
import { checkpointLine } from './staff-rules.js';

interface Verification {
  intact: boolean;
  events: number;
  /** Where the events end (audit/verify-store.ts); `head`, the stored head record, differs only when something was changed, which firstProblem says. */
  eventsHead: { version: number; hash: string } | null;
  firstProblem: { message: string } | null;
  /** Each problem's kind: 'letter' for a decision letter whose file is gone or no longer the one recorded. */
  problems: { kind: string; message: string }[];
  checkpoint: { checkpointNo: number; coveredVersion: number; signature: 'valid' | 'invalid'; streamsRoot: 'matches' | 'differs'; createdAt: string } | null;
  warnings: string[];
}

/**
 * What the as-of and the diff say of the record they are folded from (audit/case-history.ts): whether
 * the case's chain and its standing against the signed checkpoint hold, the warnings when not (the
 * state shown may have been altered: no evidence), and which versions the latest checkpoint proves.
 */
interface RecordStanding {
  chainIntact: boolean;
  warnings: string[];
  checkpoint: { checkpointNo: number; createdAt: string; coveredVersion: number; signature: 'valid' | 'invalid'; streamsRoot: 'matches' | 'differs' } | null;
}

/** One field of the state, named and valued in words by the API (audit/diff-in-words.ts stateInWords), as the CLI prints it. */
interface FieldInWords {
  path: string;
  label: string;
  value: ValueInWords;
}

interface AsOf extends RecordStanding {
  existed: boolean;
  version: number;
  at: { utc: string; shanghai: string };
  state: Record<string, unknown> | null;
  /** The state field by field in words: what the page shows; `state` only behind 原始数据. */
  fields: FieldInWords[];
  /** Every 补正 asked by then, answered or not (audit/supplement-rounds.ts): the state keeps only an open one. */
  supplements?: SupplementRound[];
  laterEvents: number;
}

interface SupplementRound {
  round: number;
  requestedInVersion: number;
  requestedAt: string;
  requestedBy: { displayName: string } | null;
  missingItems: string[];
  replyDueOn: string | null;
  provisional: boolean;
  replyDueMoves: { from: string | null; to: string | null; version: number }[];
  answer: { version: number; providedAt: string; by: { displayName: string } | null; responses: { item: string; response: string; documents: string[] }[] } | null;
}

interface ValueInWords {
  text: string;
  code?: true;
}

interface Diff extends RecordStanding {
  from: { version: number; at: { shanghai: string } };
  to: { version: number; at: { shanghai: string } };
  /** The differing fields as people read them, named and valued in words by the API (audit/diff-in-words.ts). */
  rows: { path: string; kind: 'added' | 'removed' | 'changed'; label: string; before: ValueInWords; after: ValueInWords }[];
  events: (Pick<CaseEvent, 'version' | 'type' | 'actor' | 'recordedAt' | 'data'>)[];
}

/** A search box with its label and button, in one row: the page's own handler runs on submit (Enter or the button). */
function searchForm(form: { name: string; label: string; input: HTMLInputElement; button: string; primary?: boolean }, onSubmit: () => void): HTMLFormElement {
  const element = h(
    'form',
    { class: 'search', role: 'search', 'aria-label': form.name },
    h('label', { for: form.input.id }, form.label),
    h('div', { class: 'search-row' }, form.input, h('button', { type: 'submit', class: form.primary ? 'button primary' : 'button' }, form.button)),
  );
  element.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit();
  });
  return element;
}

/** Search any case by reference number, applicant or case id. */
export async function auditSearchPage(main: HTMLElement, _params: string[], _account: SignedInAccount | undefined): Promise<void> {
  const results = h('div', { 'aria-live': 'polite' });
  const input = h('input', { id: 'audit-q', type: 'search', name: 'q', autocomplete: 'off', placeholder: '例如 CY-2026 或企业名称' });
  const search = async () => {
    const q = input.value.trim();
    const { cases } = await get<{ cases: WorklistItem[] }>(`/api/worklist?limit=100${q ? `&q=${encodeURIComponent(q)}` : ''}`);
    mount(results, cases.length ? caseTable(cases, { caption: q ? `“${q}”的查询结果：${cases.length} 件` : `最近的 ${cases.length} 件案件`, showApplicant: true, linkTo: (i) => `#/audit/${i.caseId}` }) : h('p', { class: 'empty' }, '没有找到符合条件的案件。'));
  };
  const form = searchForm({ name: '查询案件', label: '申请编号、申请人或案件编号', input, button: '查询', primary: true }, () => void search());
  mount(main, h('h1', {}, '审计查询'), h('p', { class: 'lead' }, '审计账号可以查看任何案件的完整记录：每一步由谁、在何时、为何办理，事件的哈希链是否完整，任意时点的案件状态，以及两个时点之间的差异。只读，不能改动任何内容。'), form, results, accountChangesSection());
  await search();
}

interface AccountChange {
  position: number;
  at: string;
  username: string;
  summary: string;
  by: { displayName: string } | null;
}

/**
 * 账户变更记录: what administrators did to accounts (created, roles granted and by whom approved,
 * resets, disablings), newest first, 50 at a time: an auditor had to know an account's username to
 * read its history, and no page listed any.
 */
function accountChangesSection(): HTMLElement {
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'button', hidden: true }, '更早的记录');
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const input = h('input', { id: 'account-changes-username', type: 'search', name: 'username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  let before: number | null = null;
  let username = '';
  const load = async () => {
    more.disabled = true;
    try {
      const query = new URLSearchParams({ ...(before ? { before: String(before) } : {}), ...(username ? { username } : {}) }).toString();
      const asked = username;
      const page = await get<{ changes: AccountChange[]; next: number | null }>(`/api/audit/accounts/changes${query ? `?${query}` : ''}`);
      // Answered after another username was asked for: that answer's rows are the ones to show.
      if (asked !== username) return;
      for (const c of page.changes) {
        body.append(
          h(
            'tr',
            { 'data-account-change': c.username },
            h('td', { 'data-label': '时间' }, dateTimeInWords(c.at)),
            h('td', { 'data-label': '账户' }, h('code', {}, c.username)),
            h('td', { 'data-label': '变更' }, c.summary),
            h('td', { 'data-label': '办理人' }, c.by?.displayName ?? '系统'),
          ),
        );
      }
      before = page.next;
      more.hidden = page.next === null;
      if (body.children.length) status.textContent = '';
      else if (username) status.replaceChildren('用户名 ', h('code', {}, username), ' 没有账户变更记录：请核对用户名。');
      else status.textContent = '还没有账户变更记录。';
    } catch (error) {
      // A username that cannot be one is told as the API says it (at the field), not as a failure to read.
      if (error instanceof ApiError && error.status === 400) status.textContent = error.issues[0]?.message ?? error.message;
      else if (isFailure(error)) status.textContent = '账户变更记录暂时无法读取，请稍后再试。';
      else throw error;
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  // One account's history without paging through everyone's (the API took username= from the start; the page had no way to ask).
  const filter = searchForm({ name: '按用户名查看账户变更记录', label: '只看一个账户（用户名，留空看全部）', input, button: '查看' }, () => {
    username = input.value.trim().toLowerCase();
    before = null;
    body.replaceChildren();
    status.textContent = '';
    void load();
  });
  void load();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'account-changes-h' },
    h('h2', { id: 'account-changes-h' }, '账户变更记录'),
    h('p', { class: 'hint' }, '管理员对账户的每一项操作：新建、授权的申请与批准（由谁）、重置密码、停用与启用，以及本人设置密码。最新的在前。'),
    filter,
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': '账户变更记录（可滚动）' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '时间'), h('th', {}, '账户'), h('th', {}, '变更'), h('th', {}, '办理人'))), body)),
    status,
    more,
  );
}

/** One case for the auditor: verification badge, events with hashes, as-of slider, diff and export. */
export async function auditCasePage(main: HTMLElement, params: string[]): Promise<void> {
  const caseId = params[0]!;
  const [{ events }, verification, summary] = await Promise.all([
    get<{ events: CaseEvent[] }>(`/api/audit/cases/${caseId}/events`),
    get<Verification>(`/api/audit/cases/${caseId}/verify`),
    get<{ referenceNo: string; caseType: string; programme: { zh: string } | null; statusLabel: string }>(`/api/cases/${caseId}`),
  ]);
  // The labels of every status of this case's type, not only the current one: the as-of view and the diff show past ones.
  const statuses = (await caseTypeOf(summary.caseType))?.statuses ?? {};
  mount(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/audit' }, '← 审计查询')),
    h('h1', {}, h('span', { class: 'muted small block' }, summary.programme?.zh ?? ''), `审计 · ${summary.referenceNo}`),
    verificationBadge(verification),
    asOfSection(caseId, events, statuses),
    diffSection(caseId, events),
    witnessSection(caseId),
    exportSection(caseId, summary.referenceNo),
    timeline(events, { hashes: true }),
  );
}

/** How the verifier's warning that no checkpoint covers the case begins (audit/verify-store.ts), and what the badge says instead. */
const NO_CHECKPOINT_YET = '尚无签名检查点';

function verificationBadge(v: Verification): HTMLElement {
  // Under a broken chain the signature still holds, over the hashes as they were: say so, or 签名有效 reads as 记录可信.
  const covered = v.checkpoint ? `${checkpointLine(v.checkpoint)}${v.intact ? '' : '，但签名只证明记录原来的哈希，不证明现在的内容'}` : NO_CHECKPOINT_YET;
  return h(
    'section',
    { class: `card verify ${v.intact ? 'verify-ok' : 'verify-bad'}`, 'aria-labelledby': 'verify-h', 'data-intact': String(v.intact) },
    h('h2', { id: 'verify-h' }, h('span', { class: 'verify-icon', 'aria-hidden': 'true' }, v.intact ? '✓' : '✗'), v.intact ? ' 记录完整：哈希链校验通过' : v.problems.every((p) => p.kind === 'letter') ? ' 记录异常：决定书文件与记录不符' : ' 记录异常：哈希链校验未通过'),
    h('p', {}, `共 ${v.events} 个事件；最新第 ${v.eventsHead?.version ?? 0} 版，哈希 `, h('code', {}, v.eventsHead?.hash.slice(0, 16) ?? '—'), `；${covered}。`),
    v.firstProblem ? h('div', { class: 'notice notice-error', role: 'alert' }, `首个问题：${v.firstProblem.message}`) : null,
    // A letter's problem is its own, beside whatever the chain says: each one listed.
    ...v.problems.filter((p) => p.kind === 'letter' && p.message !== v.firstProblem?.message).map((p) => h('div', { class: 'notice notice-error', role: 'alert' }, p.message)),
    // "No checkpoint yet" is said in the line above already. The verifier words its warnings in Chinese.
    ...v.warnings.filter((w) => v.checkpoint || !w.startsWith(NO_CHECKPOINT_YET)).map((w) => h('p', { class: 'muted small' }, ...withSettingsAsCode(w))),
  );
}

/**
 * A verifier's sentence with the names of settings in it (AUDIT_SIGNING_KEY, AUDIT_PUBLIC_KEY) set as
 * code: what an administrator types as it is, not words for people to read.
 */
function withSettingsAsCode(text: string): (string | HTMLElement)[] {
  return text.split(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/).map((part, i) => (i % 2 ? h('code', {}, part) : part)).filter((part) => part !== '');
}

/** 2026-12-03T01:47:22+08:00 (Beijing time, as the API gives it) → 2026年12月3日 01:47:22: to the second, which auditors compare. */
function instantInWords(shanghai: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(shanghai) ? `${dateInWords(shanghai.slice(0, 10))} ${shanghai.slice(11, 19)}` : shanghai;
}

/**
 * The as-of's and the diff's warnings, each in a box above what they show: a chain or checkpoint that
 * failed its check makes the state or the changes below no evidence (an outside tester found the page
 * showed a forged state without a word). When the record holds, which versions the signed checkpoint
 * proves, as `npm run audit -- as-of` says it.
 */
export function recordStanding(report: RecordStanding): HTMLElement[] {
  const warnings = report.warnings.map((w) => h('div', { class: 'notice notice-error audit-warning', role: 'alert' }, '⚠ ', ...withSettingsAsCode(w)));
  if (!report.chainIntact) return warnings;
  const c = report.checkpoint;
  const signed = c ? `检查点 #${c.checkpointNo}（${dateTimeInWords(c.createdAt)}签署）` : '';
  const line = !c
    ? '尚无签名检查点：本案只由哈希链保护。'
    : c.coveredVersion > 0
      ? `${signed}的签名证明了本案第 1 至第 ${c.coveredVersion} 版；此后的记录只由哈希链保护。`
      : `${signed}签署时本案还没有记录：本案只由哈希链保护。`;
  return [...warnings, h('p', { class: 'muted small checkpoint-standing' }, line)];
}

/** How the API names a field no label covers (audit/diff-in-words.ts UNNAMED_FIELD): its path is shown beside it, as the CLI does. */
const UNNAMED_FIELD = '其他字段';

/** The state in words, field by field: label → value, as the diff names them. */
export function fieldsInWords(fields: readonly FieldInWords[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts as-of-fields' },
    ...fields.flatMap((f) => [
      h('dt', { 'data-path': f.path }, f.label, f.label === UNNAMED_FIELD ? h('code', { class: 'muted small block' }, f.path) : null),
      h('dd', {}, valueText(f.value)),
    ]),
  );
}

const momentLabel = (events: readonly CaseEvent[], version: number) =>
  version === 0 ? '立案之前' : `第 ${version} 版 · ${dateTimeInWords(events[version - 1]!.recordedAt)} · ${eventTitle(events[version - 1]!.type)}`;

function asOfSection(caseId: string, events: readonly CaseEvent[], statuses: Readonly<Record<string, string>>): HTMLElement {
  const output = h('div', { class: 'as-of-output', 'aria-live': 'polite' });
  const slider = h('input', { id: 'as-of', type: 'range', min: 0, max: events.length, step: 1, value: events.length, 'aria-describedby': 'as-of-moment' });
  const moment = h('p', { id: 'as-of-moment', class: 'as-of-moment' });
  let request = 0;
  const show = async () => {
    const version = Number(slider.value);
    moment.textContent = momentLabel(events, version);
    slider.setAttribute('aria-valuetext', moment.textContent);
    const mine = ++request;
    // By version, not instant: the events of one append share their instant, and 第 2 版 must not show 第 3 版.
    const asOf = await get<AsOf>(`/api/audit/cases/${caseId}/as-of?version=${version}`);
    if (mine !== request) return;
    mount(
      output,
      recordStanding(asOf),
      asOf.existed
        ? [
            h(
              'dl',
              { class: 'facts' },
              h('dt', {}, '时点'),
              h('dd', {}, instantInWords(asOf.at.shanghai)),
              h('dt', {}, '版本'),
              h('dd', { 'data-as-of-version': asOf.version }, `第 ${asOf.version} 版（其后还有 ${asOf.laterEvents} 个事件）`),
              h('dt', {}, '当时的环节'),
              h('dd', { class: 'as-of-status' }, statusText(asOf.state?.status, statuses)),
            ),
            h('h3', {}, '当时的状态'),
            fieldsInWords(asOf.fields),
            asOf.supplements?.length ? supplementsThen(asOf.supplements) : null,
            // The state as the system holds it, for whoever checks it against an export: data, set as code, folded away.
            h('details', { class: 'as-of-raw' }, h('summary', {}, '查看原始数据（系统保存的格式，金额以分计）'), h('pre', { class: 'json' }, h('code', {}, JSON.stringify(asOf.state, null, 2)))),
          ]
        : h('p', { class: 'muted' }, '该时点案件尚未立案。'),
    );
  };
  slider.addEventListener('input', () => void show());
  void show();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'as-of-h' },
    h('h2', { id: 'as-of-h' }, '任意时点状态'),
    h('label', { for: 'as-of' }, '拖动（或用方向键）选择时点：案件在该时点的状态由当时已记录的事件重新推演得出'),
    slider,
    moment,
    output,
  );
}

/** Each 补正 asked by the moment: what was asked, by whom, the day to answer by (and its moves), and what was answered. */
function supplementsThen(rounds: readonly SupplementRound[]): HTMLElement {
  return h(
    'div',
    { class: 'as-of-supplements' },
    h('h3', {}, '当时的补正记录'),
    h(
      'ol',
      {},
      ...rounds.map((r) =>
        h(
          'li',
          { 'data-supplement-round': r.round },
          h(
            'p',
            {},
            `第 ${r.round} 次补正（第 ${r.requestedInVersion} 版）：${r.requestedAt ? dateTimeInWords(r.requestedAt) : ''} 由${r.requestedBy?.displayName ?? '工作人员'}要求补正：${r.missingItems.join('；') || '（未列明）'}。`,
            r.replyDueOn ? `答复期限：${dueByInWords(r.replyDueOn)}${r.provisional ? '（暂定）' : ''}` : '',
            ...r.replyDueMoves.map((m) => `；第 ${m.version} 版按节假日安排由${m.from ? dateInWords(m.from) : '原期限'}改为${m.to ? dateInWords(m.to) : '新期限'}`),
            r.replyDueOn || r.replyDueMoves.length ? '。' : '',
          ),
          r.answer
            ? h(
                'div',
                {},
                h('p', {}, `${r.answer.providedAt ? `已于${dateTimeInWords(r.answer.providedAt)}` : '已'}由${r.answer.by?.displayName ?? '申请人'}答复（第 ${r.answer.version} 版）：`),
                h('ul', {}, ...r.answer.responses.map((a) => h('li', {}, `${a.item}：${a.response}${a.documents.length ? `（附件：${a.documents.join('、')}）` : ''}`))),
              )
            : h('p', { class: 'muted' }, '该时点尚未答复。'),
        ),
      ),
    ),
  );
}

function diffSection(caseId: string, events: readonly CaseEvent[]): HTMLElement {
  const options = (selected: number) => Array.from({ length: events.length + 1 }, (_, v) => h('option', { value: v, ...(v === selected ? { selected: true } : {}) }, momentLabel(events, v)));
  const from = h('select', { id: 'diff-from', name: 'from' }, ...options(Math.max(0, events.length - 1)));
  const to = h('select', { id: 'diff-to', name: 'to' }, ...options(events.length));
  const output = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'diff-form', 'aria-label': '比较两个时点' },
    h('div', { class: 'field' }, h('label', { for: 'diff-from' }, '从'), from),
    h('div', { class: 'field' }, h('label', { for: 'diff-to' }, '到'), to),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button' }, '比较')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const [a, b] = [Number(from.value), Number(to.value)].sort((x, y) => x - y);
    try {
      const diff = await get<Diff>(`/api/audit/cases/${caseId}/diff?fromVersion=${a!}&toVersion=${b!}`);
      mount(
        output,
        recordStanding(diff),
        h('p', {}, `第 ${diff.from.version} 版（${instantInWords(diff.from.at.shanghai)}）→ 第 ${diff.to.version} 版（${instantInWords(diff.to.at.shanghai)}）：${diff.rows.length} 处变化，${diff.events.length} 个事件。`),
        diff.events.length ? h('ol', { class: 'diff-events' }, ...diff.events.map((ev) => h('li', { value: ev.version }, `${eventTitle(ev.type)} — ${whoTookIt(ev)}，${dateTimeInWords(ev.recordedAt)}`))) : null,
        diff.rows.length
          ? h(
              'div',
              { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': '变化的字段' },
              h(
                'table',
                { class: 'diff' },
                h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '字段'), h('th', { scope: 'col' }, '之前'), h('th', { scope: 'col' }, '之后'))),
                h(
                  'tbody',
                  {},
                  ...diff.rows.map((c) =>
                    h(
                      'tr',
                      { class: `diff-${c.kind}`, 'data-path': c.path },
                      h('th', { scope: 'row' }, c.label, h('code', { class: 'muted small block' }, c.path)),
                      h('td', {}, valueText(c.before)),
                      h('td', {}, valueText(c.after)),
                    ),
                  ),
                ),
              ),
            )
          : null,
      );
    } catch (error) {
      mount(output, notice('error', (error as Error).message));
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'diff-h' }, h('h2', { id: 'diff-h' }, '两个时点之间的差异'), form, output);
}

/** An identifier (a bank reference, a case id) is shown as written, as code; everything else is words. */
const valueText = (value: ValueInWords): Node | string => (value.code ? h('code', {}, value.text) : value.text);

/** What GET /api/audit/cases/:caseId/witness answers (audit/history-witness.ts). */
interface Witness {
  events: number;
  witnessed: number;
  unchecked: number;
  intact: boolean;
  problems: { kind: 'not-written-by-workflow' | 'differs-from-workflow' | 'missing-from-store'; version: number | null; type: string }[];
}

/** A witness's finding in words, by the event's title (its message names the recorded type and id, for the command line). */
function witnessProblemText(p: Witness['problems'][number]): string {
  const which = `${p.version !== null ? `第 ${p.version} 版` : ''}「${eventTitle(p.type)}」`;
  switch (p.kind) {
    case 'not-written-by-workflow':
      return `${which}不是本案的办案流程写入的：流程历史中没有任何一次写入含有它，它是绕过办案流程直接写进记录库的。`;
    case 'differs-from-workflow':
      return `${which}与办案流程写入时不同：记录库中的这条记录被改过。`;
    case 'missing-from-store':
      return `${which}由办案流程写入且写入成功，记录库中却没有它：它被删掉了。`;
  }
}

/**
 * The case's events against its workflow's history (another database): who wrote each one. Asked on
 * a click, as it reads every run of the workflow from the engine.
 */
function witnessSection(caseId: string): HTMLElement {
  const output = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button' }, '与办案流程历史核对');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const w = await get<Witness>(`/api/audit/cases/${caseId}/witness`);
      const unchecked = w.unchecked > 0 ? `前 ${w.unchecked} 个事件所在的早期运行，流程引擎已不再保存（超过保留期），未能核对。` : '';
      mount(
        output,
        w.intact
          ? notice('ok', `${w.unchecked > 0 ? `其余 ${w.witnessed} 个事件` : `全部 ${w.events} 个事件`}都是本案的办案流程写入的，内容与写入时相同，也没有被删去的。${unchecked}`)
          : h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, `发现 ${w.problems.length} 处不符：`), h('ul', {}, ...w.problems.map((p) => h('li', {}, witnessProblemText(p)))), unchecked ? h('p', {}, unchecked) : null),
      );
    } catch (error) {
      if (isFailure(error)) showFailure(button, error, () => button.click());
      else mount(output, notice('error', (error as Error).message));
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'witness-h' },
    h('h2', { id: 'witness-h' }, '由谁写入'),
    h('p', {}, '哈希链和签名检查点证明记录写入后未被改动，却不能证明是谁写入的。本案的每条记录都应由它的办案流程写入；流程引擎在另一个数据库中保存了每次写入的内容。核对两者，找出绕过流程写入、被改动或被删去的记录。'),
    button,
    output,
  );
}

function exportSection(caseId: string, referenceNo: string): HTMLElement {
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button' }, '导出案件证据包');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const bundle = await get<{ manifest: { events: { count: number }; checkpoint: unknown } }>(`/api/audit/cases/${caseId}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
      mount(
        status,
        notice('ok', `证据包已生成：${bundle.manifest.events.count} 个事件${bundle.manifest.checkpoint ? '，含签名检查点与包含证明' : '（尚无签名检查点）'}。`),
        h('a', { href: url, download: `${referenceNo}-bundle.json`, class: 'button primary' }, `下载 ${referenceNo}-bundle.json`),
      );
    } catch (error) {
      if (isFailure(error)) showFailure(button, error, () => button.click());
      else mount(status, notice('error', (error as Error).message));
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'export-h' },
    h('h2', { id: 'export-h' }, '导出'),
    h('p', {}, '证据包含全部事件（events.jsonl）、摘要（summary.csv）和清单（manifest.json，含文件哈希、最新签名检查点及本案包含证明），可离线校验。'),
    button,
    status,
  );
}
