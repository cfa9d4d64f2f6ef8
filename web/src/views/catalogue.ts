import { get, post } from '../api.js';
import { h, mount, notice } from '../dom.js';
import { APPLICANT_KINDS, askedFacts, FACTS } from '../facts.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';
import { money, parseYuan } from '../format.js';
import type { SignedInAccount } from '../session.js';

export interface Programme {
  id: string;
  name: { zh: string; en: string };
  family: string;
  level: 'city' | 'district';
  source: string;
  department: { id: string; name: string };
  caseKind: string;
  rulesInWords: string;
  eligibility: { rule: string; description: string }[];
  requiredFacts: string[];
  amount: { kind: string; capFen?: number; amountFen?: number; shareBasisPoints?: number; monthlyCapFen?: number; maxMonths?: number; upliftBasisPoints?: number; of?: string; perUnitFen?: number | null };
  stacksWith: string[];
  /** Since catalogue 2026-12-03 (shown when the API gives them): the first day, 拟, a referral, the stacking matrix in words. */
  effectiveFrom?: string;
  status?: 'in-force' | 'planned';
  referral?: { to: string; source: string };
  stacking?: { inWords: string; source: string }[];
}

const FAMILIES: Record<string, string> = {
  hu9: '市级 · 沪九条',
  yangpu: '杨浦区 · YOUNG立方',
  huangpu: '黄浦区',
  'drama-hu8': 'AI 微短剧 · 沪8条',
  xuhui: '徐汇区 · AI+微短剧',
};

const KIND_NAMES: Record<string, string> = { award: '奖励 / 补贴', loan: '借款', service: '服务', filing: '备案' };

/** The cap of a measure in plain words. */
function amountInWords(a: Programme['amount']): string {
  switch (a.kind) {
    case 'cap':
      return `最高 ${money(a.capFen)}`;
    case 'fixed':
      return `定额 ${money(a.amountFen)}`;
    case 'share-of-base':
      return `按实际投入的 ${(a.shareBasisPoints ?? 0) / 100}% 计，最高 ${money(a.capFen)}`;
    case 'cap-with-uplift':
      return `最高 ${money(a.capFen)}；符合条件的上浮 ${(a.upliftBasisPoints ?? 0) / 100}%`;
    case 'monthly':
      return `每月最高 ${money(a.monthlyCapFen)}，最长 ${a.maxMonths} 个月`;
    case 'rent-waiver':
      return '按入驻年度减免房租';
    case 'interest-subsidy':
      return `贴息 ${(a.shareBasisPoints ?? 0) / 100}%`;
    case 'interest-paid-subsidy':
      return a.of === 'lpr'
        ? `按实际支付的利息贴息，贴息利率不超过同期 LPR 的 ${(a.shareBasisPoints ?? 0) / 100}%`
        : `按实际支付利息的 ${(a.shareBasisPoints ?? 0) / 100}% 贴息`;
    case 'per-unit':
      return a.perUnitFen ? `每人 ${money(a.perUnitFen)}，最高 ${money(a.capFen)}` : `按参训规模核定，最高 ${money(a.capFen)}`;
    case 'in-kind':
      return `每年最高价值 ${money(a.capFen)} 的服务（不发放现金）`;
    default:
      return '不涉及资金';
  }
}

/** Where a measure can be applied for online: the 雏鹰 loan's own form, or the form every award and service shares. */
function applyLink(p: Programme): [string, string] | undefined {
  if (p.id === 'chuying-loan') return ['#/apply/chuying-loan', '在线申请雏鹰借款'];
  if (p.caseKind === 'award' || p.caseKind === 'service') return [`#/apply/programme/${p.id}`, '在线申请'];
  return undefined;
}

export async function cataloguePage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): Promise<void> {
  const { programmes } = await get<{ programmes: Programme[] }>('/api/programmes');
  const list = h('div', { class: 'programme-list' });
  const filter = h('select', { id: 'family-filter' }, h('option', { value: '' }, '全部政策'), ...Object.entries(FAMILIES).map(([id, name]) => h('option', { value: id }, name)));
  const show = () => mount(list, ...programmes.filter((p) => !filter.value || p.family === filter.value).map((p) => programmeCard(p, account)));
  filter.addEventListener('change', show);
  show();
  mount(
    main,
    h('h1', {}, '政策目录与资格自查'),
    h('p', { class: 'lead' }, '上海市及各区支持互联网优质内容创作的政策：每项写明适用对象、支持上限与规则。可以先填写几项信息，自查是否符合条件，再决定是否申请。'),
    h('div', { class: 'toolbar' }, h('label', { for: 'family-filter' }, '按政策筛选'), filter, h('span', { class: 'muted' }, `共 ${programmes.length} 项`)),
    list,
  );
}

function programmeCard(p: Programme, account: SignedInAccount | undefined): HTMLElement {
  const result = h('div', { class: 'check-result', 'aria-live': 'polite' });
  const facts = askedFacts(p.requiredFacts);
  const form = apiForm({
    label: `${p.name.zh} 资格自查`,
    submitText: '自查',
    fields: facts.map((name) => factField(p.id, name)),
    async action(f) {
      const body = factsFrom(f, facts);
      const check = await post<{ eligible: boolean; maxAmountFen: number | null; amountRule: string; violations: { rule: string; message: string }[]; notes?: { rule: string; message: string }[] }>(
        `/api/programmes/${p.id}/check`,
        body,
      );
      mount(
        result,
        check.eligible ? notice('ok', '符合条件') : notice('error', '暂不符合条件'),
        check.maxAmountFen !== null ? h('p', {}, `最多可获支持：${money(check.maxAmountFen)}`) : null,
        check.amountRule ? h('p', { class: 'muted' }, `计算方式：${check.amountRule}`) : null,
        check.violations.length ? h('ul', { class: 'violations' }, ...check.violations.map((v) => h('li', {}, v.message))) : null,
        check.notes?.length ? h('div', {}, h('p', {}, '以下事项由经办人审核，不影响提交：'), h('ul', { class: 'notes' }, ...check.notes.map((n) => h('li', {}, n.message)))) : null,
      );
    },
  });
  const apply = applyLink(p);
  return h(
    'article',
    { class: 'card programme', 'data-programme': p.id, 'aria-labelledby': `programme-${p.id}` },
    h('h2', { id: `programme-${p.id}` }, p.name.zh),
    h(
      'p',
      { class: 'tags' },
      h('span', { class: 'tag' }, FAMILIES[p.family] ?? p.family),
      h('span', { class: 'tag' }, KIND_NAMES[p.caseKind] ?? p.caseKind),
      h('span', { class: 'tag' }, `受理：${p.department.name}`),
      p.status === 'planned' ? h('span', { class: 'tag planned' }, '拟出台') : null,
    ),
    p.status === 'planned' ? h('p', { class: 'muted' }, '政策原文表述为“拟”：可以申请，经办人确认实施办法后再作决定。') : null,
    p.effectiveFrom ? h('p', { class: 'muted' }, `施行日期：${p.effectiveFrom} 起可申请`) : null,
    p.referral ? h('p', {}, h('strong', {}, '办理方式：'), `由${p.referral.to}办理，本平台负责转介（${p.referral.source}）`) : null,
    h('p', {}, p.rulesInWords),
    h('p', { class: 'amount' }, h('strong', {}, '支持标准：'), amountInWords(p.amount)),
    p.eligibility.length ? h('div', {}, h('h3', {}, '申请条件'), h('ul', {}, ...p.eligibility.map((e) => h('li', {}, e.description)))) : null,
    p.stacking
      ? h(
          'div',
          { class: 'stacking' },
          h('h3', {}, '与其他政策叠加'),
          h(
            'ul',
            {},
            ...p.stacking.map((s) => h('li', {}, `${s.inWords}（依据：${s.source}）`)),
            h('li', {}, '其他政策未作规定的，不拒绝申请，由经办人审核；同一政策对同一事项不重复资助。'),
          ),
        )
      : p.stacksWith.length
        ? h('p', { class: 'muted' }, `可与其他 ${p.stacksWith.length} 项政策叠加享受（同一事项不重复资助）。`)
        : null,
    h('p', { class: 'muted small' }, `政策依据：${p.source}`),
    h('details', { class: 'self-check' }, h('summary', {}, '资格自查'), form, result),
    apply && account?.role === 'applicant' ? h('p', {}, h('a', { class: 'button primary', href: apply[0] }, apply[1])) : null,
    apply && !account ? h('p', { class: 'muted' }, h('a', { href: '#/login' }, '登录'), '后可在线申请。') : null,
  );
}

/** One fact as a form field, named as the API names it (prefix 'facts.' inside an application). */
export function factField(programmeId: string, fact: string, prefix = ''): HTMLElement {
  const about = FACTS[fact]!;
  const name = `${prefix}${fact}`;
  const attrs = { 'data-programme': programmeId };
  if (about.kind === 'kind') return field({ name, label: about.label, type: 'select', options: [{ value: '', label: '请选择' }, ...APPLICANT_KINDS], attrs });
  if (about.kind === 'bool')
    return field({ name, label: about.label, type: 'select', options: [{ value: '', label: '请选择' }, { value: 'true', label: '是' }, { value: 'false', label: '否' }], attrs });
  if (about.kind === 'date') return field({ name, label: about.label, type: 'date', ...(about.hint ? { hint: about.hint } : {}), attrs });
  return field({ name, label: about.label, ...(about.hint ? { hint: about.hint } : {}), attrs: { ...attrs, ...(about.kind === 'text' ? {} : { inputmode: 'decimal' }) } });
}

/** The facts typed into a form, as the API takes them (yuan → fen, % → basis points); blank ones left out. */
export function factsFrom(form: HTMLElement, facts: readonly string[], prefix = ''): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const issues: { field: string; message: string }[] = [];
  for (const fact of facts) {
    const name = `${prefix}${fact}`;
    const raw = valueOf(form, name);
    if (raw === '') continue;
    const kind = FACTS[fact]!.kind;
    if (kind === 'fen') {
      const fen = parseYuan(raw);
      if (fen === undefined) issues.push({ field: name, message: '请填写金额，例如 300000 或 1234.56' });
      else body[fact] = fen;
    } else if (kind === 'int') {
      if (!/^\d+$/.test(raw)) issues.push({ field: name, message: '请填写整数' });
      else body[fact] = Number(raw);
    } else if (kind === 'basis-points') {
      if (!/^\d+(\.\d{1,2})?$/.test(raw)) issues.push({ field: name, message: '请填写百分数，例如 3.45' });
      else body[fact] = Math.round(Number(raw) * 100);
    } else if (kind === 'bool') body[fact] = raw === 'true';
    else body[fact] = raw;
  }
  if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
  return body;
}
