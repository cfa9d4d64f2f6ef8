import { supportInWords } from '../../../domain/programmes/amount-words.js';
import { PUBLISHED_FACTS } from '../../../domain/programmes/fact-sources.js';
import { get, post } from '../api.js';
import { h, mount, notice } from '../dom.js';
import { APPLICANT_KINDS, askedFacts, FACTS } from '../facts.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';
import { dateTag } from '../date-tags.js';
import { dateInWords, money, numberText, parseYuan, shanghaiDate, yuanProblem } from '../format.js';
import type { SignedInAccount } from '../session.js';
import { notOfferedTo } from '../offers.js';
import { SHANGHAI_DISTRICT_NAMES } from '../../../domain/companies/shanghai-districts.js';
import { addressWith } from '../nav.js';

export interface Programme {
  id: string;
  name: { zh: string; en: string };
  family: string;
  level: 'city' | 'district';
  source: string;
  /** 政策依据 in words, from the API's one table of the source documents (domain/programmes/sources.ts). */
  sourceInWords: string;
  department: { id: string; name: string };
  caseKind: string;
  rulesInWords: string;
  eligibility: { rule: string; description: string; options?: string[] }[];
  requiredFacts: string[];
  amount: { kind: string; capFen?: number; amountFen?: number; shareBasisPoints?: number; monthlyCapFen?: number; maxMonths?: number; upliftBasisPoints?: number; of?: string; perUnitFen?: number | null };
  /** Whether the cap counts per award or per calendar year (每年最高). */
  capPeriod?: 'per-award' | 'per-year';
  /** How an award is paid: once, monthly, as vouchers …; 'none' for a service or a filing. */
  payout?: { kind: string };
  stacksWith: string[];
  /** What one award is counted against; 'none' for measures that fund nothing (they have no stacking). */
  fundedItem?: string;
  /** Since catalogue 2026-12-03 (shown when the API gives them): the first day, 拟, a referral, the stacking matrix in words. */
  effectiveFrom?: string;
  status?: 'in-force' | 'planned';
  referral?: { to: string; source: string; sourceInWords: string };
  stacking?: { inWords: string; source: string; sourceInWords: string }[];
  /** The application carries the applicant's 身份证号 (落户, 职称, 职业技能等级认定). */
  asksIdNumber?: boolean;
}

const FAMILIES: Record<string, string> = {
  hu9: '市级 · 沪九条',
  yangpu: '杨浦区 · YOUNG立方',
  huangpu: '黄浦区',
  'drama-hu8': 'AI 微短剧 · 沪8条',
  xuhui: '徐汇区 · AI+微短剧',
};

const KIND_NAMES: Record<string, string> = { award: '奖励 / 补贴', loan: '借款', service: '服务', filing: '备案' };

/**
 * 支持标准 in plain words, the same words the API's self-check and the case page use
 * (domain/programmes/amount-words.ts): a cap counted per year says 每年最高; a subsidy without a
 * published cap says how it is paid and who sets the amount.
 */
function amountInWords(p: Pick<Programme, 'amount' | 'capPeriod' | 'payout' | 'fundedItem'>): string {
  return supportInWords(p as Parameters<typeof supportInWords>[0], money);
}

/** Where a measure can be applied for online: the 雏鹰 loan's own form, or the form every award and service shares. */
function applyLink(p: Programme): [string, string] | undefined {
  if (p.id === 'chuying-loan') return ['#/apply/chuying-loan', '在线申请雏鹰借款'];
  if (p.caseKind === 'award' || p.caseKind === 'service') return [`#/apply/programme/${p.id}`, '在线申请'];
  return undefined;
}

/** 在线申请 for an applicant the measure is for; for another (an individual creator and the 雏鹰 loan, which is for companies), who it is for instead. */
function applyButton(p: Programme, [href, text]: [string, string], account: SignedInAccount): HTMLElement {
  const notOffered = notOfferedTo(account, p.id);
  if (notOffered) return h('p', { class: 'not-offered muted', 'data-not-offered': p.id }, notOffered, h('span', { class: 'visually-hidden' }, `：${p.name.zh}`));
  return h('a', { class: 'button primary', href }, text, h('span', { class: 'visually-hidden' }, `：${p.name.zh}`));
}

/** What the catalogue shows: words to look for and a policy family, in the address, so a search can be sent as a link and back returns to it. */
interface CatalogueQuery {
  q: string;
  family: string;
}

/** The query in the address (`#/catalogue?q=…&family=…`): a link, back, forward and a reload all show the same search. */
function catalogueQueryOf(): CatalogueQuery {
  const search = new URLSearchParams(location.hash.split('?')[1] ?? '');
  return { q: search.get('q') ?? '', family: search.get('family') ?? '' };
}

/** The address of a search; the bare catalogue when there is none. */
export function catalogueAddress(query: CatalogueQuery): string {
  return addressWith('#/catalogue', { q: query.q, family: query.family });
}

function rememberCatalogueQuery(query: CatalogueQuery): void {
  // Typing replaces this entry's address rather than adding entries: back leaves the catalogue.
  // replaceState fires no hashchange, so the page is not drawn again; the router's own keys (the
  // entry id for scroll, the menu) stay as they are.
  const address = catalogueAddress(query);
  if (location.hash !== address) history.replaceState(history.state, '', address);
}

/** The text a search looks through: the name, the department, the rules, the conditions and the basis. */
function searchText(p: Programme): string {
  return [p.name.zh, p.department.name, FAMILIES[p.family] ?? '', p.rulesInWords, amountInWords(p), ...p.eligibility.map((e) => e.description), p.sourceInWords]
    .join(' ')
    .toLowerCase();
}

/** Each word typed must occur somewhere in the measure (so 杨浦 借款 finds 雏鹰). */
export function matchesSearch(text: string, q: string): boolean {
  return q
    .toLowerCase()
    .split(/[\s,，、；;]+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

export async function cataloguePage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): Promise<void> {
  const [{ programmes }, published] = await Promise.all([get<{ programmes: Programme[] }>('/api/programmes'), get<{ programmes: TermsSummary[] }>('/api/programme-terms')]);
  const termsOf = new Map(published.programmes.map((t) => [t.programmeId, t]));
  const texts = new Map(programmes.map((p) => [p.id, searchText(p)]));
  const query = catalogueQueryOf();
  const list = h('div', { class: 'programme-list' });
  const count = h('p', { class: 'catalogue-count', role: 'status' });
  const search = h('input', { id: 'catalogue-search', type: 'search', name: 'q', autocomplete: 'off', enterkeyhint: 'search', 'aria-describedby': 'catalogue-search-hint' });
  search.value = query.q;
  const filter = h('select', { id: 'family-filter', name: 'family' }, h('option', { value: '' }, '全部政策'), ...Object.entries(FAMILIES).map(([id, name]) => h('option', { value: id }, name)));
  filter.value = FAMILIES[query.family] ? query.family : '';
  const clear = h('button', { type: 'button', class: 'button link-button' }, '清除条件');
  // Cards are made once: a search only hides and shows them, so an open self-check keeps what was typed.
  const cards = new Map<string, HTMLElement>();
  const cardOf = (p: Programme) => {
    let card = cards.get(p.id);
    if (!card) cards.set(p.id, (card = programmeCard(p, account, termsOf.get(p.id))));
    return card;
  };
  const show = () => {
    const wanted = { q: search.value.trim(), family: filter.value };
    rememberCatalogueQuery(wanted);
    const shown = programmes.filter((p) => (!wanted.family || p.family === wanted.family) && matchesSearch(texts.get(p.id)!, wanted.q));
    mount(list, ...shown.map(cardOf));
    clear.hidden = !wanted.q && !wanted.family;
    mount(
      count,
      shown.length === programmes.length
        ? `共 ${programmes.length} 项政策`
        : shown.length === 0
          ? `没有找到符合条件的政策（共 ${programmes.length} 项）。请换个说法，或清除条件。`
          : `找到 ${shown.length} 项（共 ${programmes.length} 项）`,
    );
  };
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(show, 200);
  });
  filter.addEventListener('change', show);
  clear.addEventListener('click', () => {
    search.value = '';
    filter.value = '';
    show();
    search.focus();
  });
  const form = h(
    'form',
    { class: 'catalogue-search', role: 'search', 'aria-label': '查找政策' },
    h('div', { class: 'field' }, h('label', { for: 'catalogue-search' }, '搜索政策'), h('p', { class: 'hint', id: 'catalogue-search-hint' }, '输入政策名称或条款中的词，例如：房租、借款、微短剧'), search),
    h('div', { class: 'field' }, h('label', { for: 'family-filter' }, '按政策筛选'), filter),
    clear,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(typing);
    show();
  });
  show();
  mount(
    main,
    h('h1', {}, '政策目录与资格自查'),
    h('p', { class: 'lead' }, '上海市及各区支持互联网优质内容创作的政策：每项写明适用对象、支持上限与规则。可以先填写几项信息，自查是否符合条件，再决定是否申请。'),
    form,
    count,
    list,
  );
}

/** The self-check's answer: what to fix first when not eligible (no sum then: it would read as a promise); a per-year cap said as one. */
function checkResult(
  check: { eligible: boolean; maxAmountFen: number | null; amountRule: string; violations: { rule: string; message: string }[]; notes?: { rule: string; message: string }[] },
  cap: string,
  perYear: boolean,
): (HTMLElement | null)[] {
  const notes = check.notes?.length ? h('div', {}, h('p', {}, '以下事项由经办人审核，不影响提交：'), h('ul', { class: 'notes' }, ...check.notes.map((n) => h('li', {}, n.message)))) : null;
  if (!check.eligible) {
    return [
      notice('error', '暂不符合条件'),
      check.violations.length ? h('p', {}, check.violations.length === 1 ? '需要处理的事项：' : `需要处理的 ${check.violations.length} 个事项：`) : null,
      check.violations.length ? h('ul', { class: 'violations' }, ...check.violations.map((v) => h('li', {}, v.message))) : null,
      notes,
      h('p', { class: 'muted cap-line' }, `本措施上限：${cap}`),
    ];
  }
  return [
    notice('ok', '符合条件'),
    check.maxAmountFen !== null ? h('p', {}, `最多可获支持：${perYear ? '每年最高 ' : ''}${money(check.maxAmountFen)}`) : null,
    check.amountRule ? h('p', { class: 'muted' }, `计算方式：${check.amountRule}`) : null,
    notes,
  ];
}

function programmeCard(p: Programme, account: SignedInAccount | undefined, terms: TermsSummary | undefined): HTMLElement {
  const result = h('div', { class: 'check-result', 'aria-live': 'polite' });
  // Asked as the application form asks: a figure a register publishes (the LPR) is the system's to look up, never typed.
  const facts = askedFacts(p.requiredFacts).filter((fact) => !PUBLISHED_FACTS.includes(fact as never));
  const amount = amountInWords({ ...p, amount: terms?.current.amount ?? p.amount });
  const form = apiForm({
    label: `${p.name.zh} 资格自查`,
    submitText: '自查',
    fields: facts.map((name) => factField(p, name)),
    async action(f) {
      // A new check's input error stands alone: the last check's verdict had stayed beside it, as if it were this one's.
      mount(result);
      const body = factsFrom(f, facts);
      const check = await post<Parameters<typeof checkResult>[0]>(`/api/programmes/${p.id}/check`, body);
      mount(result, ...checkResult(check, amount, p.capPeriod === 'per-year'));
    },
  });
  const apply = applyLink(p);
  const more = h(
    'details',
    { class: 'programme-more' },
    h('summary', {}, '详细规则', h('span', { class: 'visually-hidden' }, `：${p.name.zh}`)),
    p.status === 'planned' ? h('p', { class: 'muted' }, '政策原文表述为“拟”：可以申请，经办人确认实施办法后再作决定。') : null,
    p.effectiveFrom ? h('p', { class: 'muted' }, `施行日期：${dateInWords(p.effectiveFrom)}起可申请`) : null,
    p.referral ? h('p', {}, h('strong', {}, '办理方式：'), `由${p.referral.to}办理，本平台负责转介（依据：${p.referral.sourceInWords}）`) : null,
    h('p', {}, p.rulesInWords),
    terms ? termsLine(p.id, terms) : null,
    p.eligibility.length ? h('div', {}, h('h3', {}, '申请条件'), h('ul', {}, ...p.eligibility.map((e) => h('li', {}, e.description)))) : null,
    p.stacking
      ? h(
          'div',
          { class: 'stacking' },
          h('h3', {}, '与其他政策叠加'),
          h(
            'ul',
            {},
            ...p.stacking.map((s) => h('li', {}, `${s.inWords}（依据：${s.sourceInWords}）`)),
            h('li', {}, '其他政策未作规定的，不拒绝申请，由经办人审核；同一政策对同一事项不重复资助。'),
          ),
        )
      : p.stacksWith.length
        ? h('p', { class: 'muted' }, `可与其他 ${p.stacksWith.length} 项政策叠加享受（同一事项不重复资助）。`)
        : null,
    h('p', { class: 'muted small' }, `政策依据：${p.sourceInWords}`),
    // Inside the fold: on a phone the card's one row has room for the guide and the two folds only.
    apply && !account ? h('p', { class: 'muted' }, h('a', { href: '#/login' }, '登录'), '后可在线申请。') : null,
  );
  return h(
    'article',
    { class: 'card programme', 'data-programme': p.id, 'aria-labelledby': `programme-${p.id}` },
    h('h2', { id: `programme-${p.id}` }, p.name.zh),
    h(
      'p',
      { class: 'programme-meta' },
      `${FAMILIES[p.family] ?? p.family} · ${KIND_NAMES[p.caseKind] ?? p.caseKind} · 受理：${p.department.name}`,
      p.status === 'planned' ? h('span', { class: 'tag planned' }, '拟出台') : null,
    ),
    h('p', { class: 'amount' }, h('strong', {}, '支持标准：'), amount),
    // One row: the guide, applying and the two folds (an open fold takes the whole width, styles.css).
    h(
      'div',
      { class: 'programme-actions' },
      h('a', { class: 'guide-link', href: `#/guide/${p.id}` }, '办事指南', h('span', { class: 'visually-hidden' }, `（申请条件、所需材料、办理时限）：${p.name.zh}`)),
      apply && account?.role === 'applicant' ? applyButton(p, apply, account) : null,
      more,
      h('details', { class: 'self-check' }, h('summary', {}, '资格自查', h('span', { class: 'visually-hidden' }, `：${p.name.zh}`)), form, result),
    ),
  );
}

/** One fact as a form field, named as the API names it (prefix 'facts.' inside an application). */
export function factField(programme: Pick<Programme, 'id' | 'eligibility'>, fact: string, prefix = '', options: { onlyKindsItIsFor?: boolean; required?: boolean } = {}): HTMLElement {
  const about = FACTS[fact]!;
  const name = `${prefix}${fact}`;
  const attrs = { 'data-programme': programme.id };
  // An application's required facts are marked and asked before 继续; the self-check asks none.
  const required = options.required === true;
  // The same districts as the 雏鹰 form's select: typed names ("杨浦", "杨浦区 ") would not match the rules.
  if (fact === 'registeredDistrict')
    return field({ name, label: about.label, required, type: 'select', options: [{ value: '', label: '请选择' }, ...SHANGHAI_DISTRICT_NAMES.map((d) => ({ value: d, label: d }))], attrs });
  if (about.kind === 'kind') {
    // An application offers only the kinds the measure is for (an outsider's company was offered 个人创作者 for a
    // measure only companies may apply to); the self-check keeps every kind, to say whom the measure is not for.
    const allowed = options.onlyKindsItIsFor ? programme.eligibility.find((e) => e.rule === 'applicant-kind')?.options : undefined;
    const kinds = allowed ? APPLICANT_KINDS.filter((k) => allowed.includes(k.value)) : APPLICANT_KINDS;
    return field({ name, label: about.label, required, type: 'select', options: [{ value: '', label: '请选择' }, ...kinds], attrs });
  }
  if (about.kind === 'bool')
    return field({ name, label: about.label, required, type: 'select', options: [{ value: '', label: '请选择' }, { value: 'true', label: '是' }, { value: 'false', label: '否' }], attrs });
  if (about.kind === 'date') return field({ name, label: about.label, required, type: 'date', ...(about.hint ? { hint: about.hint } : {}), attrs });
  return field({ name, label: about.label, required, ...(about.hint ? { hint: about.hint } : {}), attrs: { ...attrs, ...(about.kind === 'text' ? {} : { inputmode: 'decimal' }) } });
}

/** The facts typed into a form, as the API takes them (yuan → fen, % → basis points); blank ones left out. */
export function factsFrom(form: HTMLElement, facts: readonly string[], prefix = ''): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const issues: { field: string; message: string }[] = [];
  for (const fact of facts) {
    const name = `${prefix}${fact}`;
    const raw = valueOf(form, name);
    if (raw === '') continue;
    const { kind, atLeastOne } = FACTS[fact]!;
    if (kind === 'fen') {
      // The endpoint takes amounts above 0 only: a 0 is told at the step, as a -1 is, not after 确认提交.
      const fen = parseYuan(raw);
      if (fen === undefined || fen <= 0) issues.push({ field: name, message: yuanProblem(raw, '300000 或 1234.56') ?? '金额须大于 0' });
      else body[fact] = fen;
    } else if (kind === 'int') {
      // Full-width digits and commas as a Chinese keyboard types them (１５, １，０００), as in the money fields.
      const n = numberText(raw);
      if (!/^\d+$/.test(n)) issues.push({ field: name, message: '请填写整数' });
      // 0 months, 0 trainees or a stay of 0 days means nothing: told at the step, as the endpoint tells it, not after 确认提交.
      else if (atLeastOne && Number(n) < 1) issues.push({ field: name, message: atLeastOne });
      else body[fact] = Number(n);
    } else if (kind === 'basis-points') {
      const n = numberText(raw);
      if (!/^\d+(\.\d{1,2})?$/.test(n)) issues.push({ field: name, message: '请填写百分数，例如 3.45' });
      else body[fact] = Math.round(Number(n) * 100);
    } else if (kind === 'bool') body[fact] = raw === 'true';
    else body[fact] = raw;
  }
  if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
  return body;
}

// ── Programme terms as published data (issue 14 part 4) ─────────────────────────────────────────

interface TermsSummary {
  programmeId: string;
  current: { version: number; effectiveFrom: string | null; approvedBy: string | null; amount: Programme['amount'] };
  pendingDraft: boolean;
  versions: number;
  canDraft: boolean;
}

interface TermsVersionView {
  version: number;
  status: 'draft' | 'approved' | 'rejected';
  effectiveFrom: string;
  terms: PublishedTerms;
  draftedBy: string;
  draftedAt: string;
  reason: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

interface PublishedTerms {
  amount: Programme['amount'] & Record<string, unknown>;
  capPeriod: 'per-award' | 'per-year';
  timeLimits: { contentReviewWorkingDays: number; decisionWorkingDays: number };
  conditions: Record<string, number | string[]>;
  requiredDocuments: string[];
}

interface TermsDetail {
  programmeId: string;
  name: string;
  department: { id: string; name: string };
  current: { version: number; effectiveFrom: string | null; terms: PublishedTerms; draftedBy: string | null; approvedBy: string | null };
  scheduled: TermsVersionView[];
  pendingDraft: TermsVersionView | null;
  history: TermsVersionView[];
  conditionLabels: Record<string, string>;
  canDraft: boolean;
  canApprove: boolean;
  stacking: { matrixVersion: number; entries: { verdict: string; source: string; inWords: string; sourceInWords: string }[] };
}

const STATUS_NAMES: Record<TermsVersionView['status'], string> = { draft: '待批准', approved: '已批准', rejected: '已退回' };

// Version 0 is the catalogue's own text: people read it as "not adjusted", not as a number.
const versionName = (version: number) => (version === 0 ? '政策目录原文（尚未调整）' : `第 ${version} 版`);

/** The version in force, its history on demand, and (for the department's officers) where to change it. */
function termsLine(programmeId: string, terms: TermsSummary): HTMLElement {
  const history = h('div', { class: 'terms-history' }, h('p', { class: 'muted' }, '正在读取…'));
  const details = h('details', { class: 'terms-versions' }, h('summary', {}, `条款版本历史（${terms.versions} 次调整）`), history);
  details.addEventListener(
    'toggle',
    async () => {
      const detail = await get<TermsDetail>(`/api/programme-terms/${programmeId}`);
      mount(history, historyTable(detail.history));
    },
    { once: true },
  );
  return h(
    'div',
    { class: 'terms', 'data-terms-version': String(terms.current.version) },
    h(
      'p',
      {},
      h('strong', {}, '现行条款：'),
      versionName(terms.current.version),
      terms.current.effectiveFrom ? `，自${dateInWords(terms.current.effectiveFrom)}起施行，${terms.current.approvedBy} 批准` : '',
      terms.pendingDraft ? h('span', { class: 'tag' }, '有待批准的调整') : null,
    ),
    terms.versions > 0 ? details : null,
    terms.canDraft ? h('p', {}, h('a', { class: 'button', href: `#/programme-terms/${programmeId}` }, '调整条款')) : null,
  );
}

function historyTable(versions: readonly TermsVersionView[]): HTMLElement {
  if (versions.length === 0) return h('p', { class: 'muted' }, '尚未调整，按政策目录原文执行。');
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, ...['版本', '状态', '生效日期', '起草', '理由', '批准 / 退回', '意见'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...versions.map((v) =>
        h(
          'tr',
          { 'data-version': String(v.version) },
          h('td', {}, versionName(v.version)),
          h('td', {}, STATUS_NAMES[v.status]),
          h('td', {}, dateTag(v.effectiveFrom)),
          h('td', {}, `${v.draftedBy}（${dateInWords(shanghaiDate(v.draftedAt))}）`),
          h('td', {}, v.reason),
          h('td', {}, v.decidedBy ? `${v.decidedBy}${v.decidedAt ? `（${dateInWords(shanghaiDate(v.decidedAt))}）` : ''}` : '—'),
          h('td', {}, v.decisionNote || '—'),
        ),
      ),
    ),
  );
}

/** What a terms version says, in words: the amount, the cap period, the limits, the conditions' parameters and the documents. */
function termsInWords(terms: PublishedTerms, labels: Record<string, string>, programme: Pick<Programme, 'payout' | 'fundedItem'> | undefined): HTMLElement {
  return h(
    'ul',
    { class: 'terms-words' },
    h('li', {}, `支持标准：${amountInWords({ ...programme, amount: terms.amount, capPeriod: terms.capPeriod })}`),
    h('li', {}, `办理时限：网信内容审查 ${terms.timeLimits.contentReviewWorkingDays} 个工作日，作出决定 ${terms.timeLimits.decisionWorkingDays} 个工作日`),
    ...Object.entries(terms.conditions).map(([name, value]) => h('li', {}, `${labels[name] ?? name}：${Array.isArray(value) ? value.join('、') : value}`)),
    h('li', {}, `所需材料：${terms.requiredDocuments.length ? terms.requiredDocuments.join('、') : '政策目录未列明'}`),
  );
}

const FEN_FIELDS: Record<string, string> = { capFen: '最高额（元）', amountFen: '定额（元）', monthlyCapFen: '每月最高额（元）', perUnitFen: '每人标准（元，可空）' };
const PERCENT_FIELDS: Record<string, string> = { shareBasisPoints: '比例（%）', upliftBasisPoints: '上浮比例（%）' };

const yuanOf = (fen: unknown) => (typeof fen === 'number' ? (fen / 100).toFixed(2) : '');

/** The officers' screen for one measure: the terms in force, a draft to approve or reject, and a new draft. */
export async function programmeTermsPage(main: HTMLElement, [programmeId]: string[]): Promise<void> {
  const [detail, matrix, catalogue] = await Promise.all([
    get<TermsDetail>(`/api/programme-terms/${programmeId}`),
    get<StackingMatrixView>('/api/stacking-matrix'),
    get<{ programmes: Programme[] }>('/api/programmes'),
  ]);
  const reload = () => programmeTermsPage(main, [programmeId!]);
  const measure = catalogue.programmes.find((p) => p.id === programmeId);
  const current = detail.current.terms;
  const amountFields = Object.keys(current.amount).filter((name) => name in FEN_FIELDS || name in PERCENT_FIELDS || name === 'maxMonths');
  const draftForm = apiForm({
    label: '起草新版条款',
    submitText: '提交草案',
    fields: [
      ...amountFields.map((name) =>
        name in FEN_FIELDS
          ? field({ name: `amount.${name}`, label: FEN_FIELDS[name]!, value: yuanOf(current.amount[name]), attrs: { inputmode: 'decimal' } })
          : name in PERCENT_FIELDS
            ? field({ name: `amount.${name}`, label: PERCENT_FIELDS[name]!, value: String(Number(current.amount[name]) / 100), attrs: { inputmode: 'decimal' } })
            : field({ name: `amount.${name}`, label: '最长月数', value: String(current.amount[name]) }),
      ),
      field({ name: 'timeLimits.contentReviewWorkingDays', label: '网信内容审查时限（工作日）', value: String(current.timeLimits.contentReviewWorkingDays) }),
      field({ name: 'timeLimits.decisionWorkingDays', label: '作出决定时限（工作日，不超过 20）', value: String(current.timeLimits.decisionWorkingDays) }),
      ...Object.entries(current.conditions).map(([name, value]) =>
        field({ name: `conditions.${name}`, label: detail.conditionLabels[name] ?? name, type: Array.isArray(value) ? 'textarea' : 'text', value: Array.isArray(value) ? value.join('\n') : String(value), ...(Array.isArray(value) ? { hint: '每行一项' } : {}) }),
      ),
      field({ name: 'requiredDocuments', label: '所需材料', type: 'textarea', value: current.requiredDocuments.join('\n'), hint: '每行一项；可空' }),
      field({ name: 'effectiveFrom', label: '生效日期', type: 'date', required: true, hint: '不早于今天；此日及以后提交的申请适用新条款，已受理的办件不变' }),
      field({ name: 'reason', label: '理由', type: 'textarea', required: true, hint: '依据的文件、会议纪要等' }),
    ],
    async action(form) {
      const issues: { field: string; message: string }[] = [];
      const amount: Record<string, number | null> = {};
      for (const name of amountFields) {
        const raw = valueOf(form, `amount.${name}`);
        if (name in FEN_FIELDS) {
          if (raw === '' && name === 'perUnitFen') amount[name] = null;
          else {
            const fen = parseYuan(raw);
            if (fen === undefined) issues.push({ field: `amount.${name}`, message: yuanProblem(raw, '2000000 或 1234.56')! });
            else amount[name] = fen;
          }
        } else if (name in PERCENT_FIELDS) {
          const n = numberText(raw);
          if (!/^\d+(\.\d{1,2})?$/.test(n)) issues.push({ field: `amount.${name}`, message: '请填写百分数，例如 50' });
          else amount[name] = Math.round(Number(n) * 100);
        } else if (!/^\d+$/.test(numberText(raw))) issues.push({ field: `amount.${name}`, message: '请填写整数' });
        else amount[name] = Number(numberText(raw));
      }
      const integer = (name: string) => {
        const raw = numberText(valueOf(form, name));
        if (!/^\d+$/.test(raw)) issues.push({ field: name, message: '请填写整数' });
        return Number(raw);
      };
      const timeLimits = { contentReviewWorkingDays: integer('timeLimits.contentReviewWorkingDays'), decisionWorkingDays: integer('timeLimits.decisionWorkingDays') };
      const conditions = Object.fromEntries(
        Object.entries(current.conditions).map(([name, value]) => {
          const raw = valueOf(form, `conditions.${name}`);
          return [name, Array.isArray(value) ? raw.split('\n').map((line) => line.trim()).filter(Boolean) : integer(`conditions.${name}`)];
        }),
      );
      if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
      const requiredDocuments = valueOf(form, 'requiredDocuments').split('\n').map((line) => line.trim()).filter(Boolean);
      await post(`/api/programme-terms/${programmeId}/drafts`, { amount, timeLimits, conditions, requiredDocuments, effectiveFrom: valueOf(form, 'effectiveFrom'), reason: valueOf(form, 'reason') });
      await reload();
    },
  });
  const pending = detail.pendingDraft;
  const decide = pending && detail.canApprove
    ? h(
        'div',
        { class: 'decide-draft' },
        apiForm({
          label: `批准${versionName(pending.version)}`,
          submitText: '批准',
          fields: [field({ name: 'note', label: '批准意见', type: 'textarea' })],
          async action(form) {
            await post(`/api/programme-terms/${programmeId}/versions/${pending.version}/approve`, { note: valueOf(form, 'note') });
            await reload();
          },
        }),
        apiForm({
          label: `退回${versionName(pending.version)}`,
          submitText: '退回',
          fields: [field({ name: 'reason', label: '退回理由', type: 'textarea', required: true })],
          async action(form) {
            await post(`/api/programme-terms/${programmeId}/versions/${pending.version}/reject`, { reason: valueOf(form, 'reason') });
            await reload();
          },
        }),
      )
    : null;
  mount(
    main,
    h('p', {}, h('a', { href: '#/catalogue' }, '← 政策目录')),
    h('h1', {}, `${detail.name}：条款`),
    h('p', { class: 'lead' }, `由${detail.department.name}的工作人员起草，另一位工作人员批准后，自生效日期起适用于新提交的申请；已受理的办件始终按受理时的条款办理。`),
    h('section', {}, h('h2', {}, `现行条款：${versionName(detail.current.version)}`), termsInWords(current, detail.conditionLabels, measure)),
    ...detail.scheduled.map((v) => h('section', {}, h('h2', {}, `${versionName(v.version)}：自${dateInWords(v.effectiveFrom)}起施行`), termsInWords(v.terms, detail.conditionLabels, measure))),
    pending
      ? h(
          'section',
          { class: 'pending-draft' },
          h('h2', {}, `待批准：${versionName(pending.version)}（${pending.draftedBy} 起草，拟自${dateInWords(pending.effectiveFrom)}起施行）`),
          h('p', {}, `理由：${pending.reason}`),
          termsInWords(pending.terms, detail.conditionLabels, measure),
          decide ?? h('p', { class: 'muted' }, detail.canDraft ? '草案须由本部门另一位工作人员批准（双人复核）。' : '仅本部门工作人员可以批准。'),
        )
      : null,
    h('section', {}, h('h2', {}, '版本历史'), historyTable(detail.history)),
    h('section', {}, h('h2', {}, `叠加规则（第 ${detail.stacking.matrixVersion} 版）`), h('ul', {}, ...detail.stacking.entries.map((e) => h('li', {}, `${e.inWords}（依据：${e.sourceInWords}）`)))),
    stackingSection(measure!, catalogue.programmes, matrix, detail.canDraft, reload),
    detail.canDraft && !pending ? h('section', {}, h('h2', {}, '起草新版条款'), draftForm) : null,
  );
}

interface StackingMatrixView {
  matrixVersion: number;
  changes: {
    changeId: string;
    between: ({ programmeId: string } | { family: string })[];
    inWords: string;
    verdict: 'stack' | 'do-not-stack' | 'unspecified';
    status: 'proposed' | 'approved' | 'rejected';
    reason: string;
    proposedBy: string;
    decidedBy: string | null;
    canDecide: boolean;
  }[];
}

const VERDICTS: { value: string; label: string }[] = [
  { value: 'stack', label: '可叠加' },
  { value: 'do-not-stack', label: '不可叠加' },
  { value: 'unspecified', label: '未明确（逐案审核）' },
];

/** Changes of the stacking matrix that concern this measure: those waiting (approve or reject) and a new proposal. */
function stackingSection(p: Programme, programmes: readonly Programme[], matrix: StackingMatrixView, officer: boolean, reload: () => Promise<void>): HTMLElement {
  const concerns = (side: { programmeId: string } | { family: string }) => ('programmeId' in side ? side.programmeId === p.id : side.family === p.family);
  const pending = matrix.changes.filter((c) => c.status === 'proposed' && c.between.some(concerns));
  const verdictName = (v: string) => VERDICTS.find((x) => x.value === v)?.label ?? v;
  const propose = apiForm({
    label: '提出叠加规则变更',
    submitText: '提出变更',
    fields: [
      field({
        name: 'between',
        label: '另一项政策',
        type: 'select',
        required: true,
        options: [
          { value: '', label: '请选择' },
          ...Object.entries(FAMILIES).map(([id, name]) => ({ value: `family:${id}`, label: `${name}（整个系列）` })),
          ...programmes.filter((o) => o.id !== p.id).map((o) => ({ value: `programme:${o.id}`, label: o.name.zh })),
        ],
      }),
      field({ name: 'verdict', label: '结论', type: 'select', required: true, options: [{ value: '', label: '请选择' }, ...VERDICTS] }),
      field({ name: 'reason', label: '理由', type: 'textarea', required: true, hint: '依据的文件和条款' }),
    ],
    async action(form) {
      const [kind, id] = valueOf(form, 'between').split(':') as [string, string];
      const other = kind === 'family' ? { family: id } : { programmeId: id };
      await post('/api/stacking-matrix/changes', { between: [{ programmeId: p.id }, other], verdict: valueOf(form, 'verdict'), reason: valueOf(form, 'reason') });
      await reload();
    },
  });
  return h(
    'section',
    { class: 'stacking-changes' },
    h('h2', {}, '叠加规则变更'),
    pending.length === 0 ? h('p', { class: 'muted' }, '没有待批准的变更。') : null,
    ...pending.map((c) =>
      h(
        'div',
        { class: 'card', 'data-change': c.changeId },
        h('p', {}, `${c.inWords}：拟改为“${verdictName(c.verdict)}”（${c.proposedBy} 提出）`),
        h('p', {}, `理由：${c.reason}`),
        c.canDecide
          ? apiForm({
              label: `批准叠加规则变更：${c.inWords}`,
              submitText: '批准',
              fields: [field({ name: 'note', label: '批准意见', type: 'textarea' })],
              async action(form) {
                await post(`/api/stacking-matrix/changes/${c.changeId}/approve`, { note: valueOf(form, 'note') });
                await reload();
              },
            })
          : h('p', { class: 'muted' }, '须由有关部门的另一位工作人员批准（双人复核）。'),
        c.canDecide
          ? apiForm({
              label: `退回叠加规则变更：${c.inWords}`,
              submitText: '退回',
              fields: [field({ name: 'reason', label: '退回理由', type: 'textarea', required: true })],
              async action(form) {
                await post(`/api/stacking-matrix/changes/${c.changeId}/reject`, { reason: valueOf(form, 'reason') });
                await reload();
              },
            })
          : null,
      ),
    ),
    officer && p.fundedItem !== 'none' ? propose : null,
  );
}

// The 办事指南 (guide.ts) states a measure's amount in the same words as its card.
export { amountInWords };
