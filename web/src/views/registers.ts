import { get, post } from '../api.js';
import { h, mount } from '../dom.js';
import { flash } from '../flash.js';
import { apiForm, field, valueOf } from '../forms.js';
import { dateTag } from '../date-tags.js';
import { isoDatesInWords } from '../format.js';

interface DetailField {
  name: string;
  label: string;
  kind: 'text' | 'basis-points' | 'choice';
  required: boolean;
  choices?: string[];
}

interface RegisterSummary {
  kind: string;
  zh: string;
  description: string;
  keptBy: string;
  subjectLabel: string;
  nameLabel: string;
  detail: DetailField[];
  canWrite: boolean;
  entries?: number;
  current?: number;
}

interface Entry {
  entryId: string;
  subject: string;
  name: string;
  detail: Record<string, string | number>;
  from: string;
  to: string | null;
  ended: { on: string; reason: string; by: { displayName: string } } | null;
  current: boolean;
  lastChange: { type: string; by: { displayName: string }; reason: string; at: string };
}

const CHANGE_WORDS: Record<string, string> = { RegisterEntryAdded: '新增', RegisterEntryChanged: '修改', RegisterEntryEnded: '终止' };

/** #/registers and #/registers/<kind>: the registers kept by departments; their keepers add, change and end entries, each with a reason. */
export async function registersPage(main: HTMLElement, params: string[]): Promise<void> {
  const kind = params[0];
  if (!kind) {
    const { registers } = await get<{ registers: RegisterSummary[] }>('/api/registers');
    mount(
      main,
      h('h1', {}, '登记名录'),
      h('p', { class: 'lead' }, '各部门维护的名录。申请中名录能回答的事实按名录核对，不由申请人填写；每次修改都记录修改人和理由。'),
      h(
        'table',
        { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '名录'), h('th', { scope: 'col' }, '维护部门'), h('th', { scope: 'col' }, '现行条目'), h('th', { scope: 'col' }, '全部条目'))),
        h(
          'tbody',
          {},
          ...registers.map((r) => h('tr', {}, h('td', {}, h('a', { href: `#/registers/${r.kind}` }, r.zh)), h('td', {}, r.keptBy), h('td', {}, String(r.current ?? 0)), h('td', {}, String(r.entries ?? 0)))),
        ),
      ),
    );
    return;
  }
  const search = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const q = search.get('q') ?? '';
  const asOf = search.get('asOf') ?? '';
  const query = new URLSearchParams({ ...(q ? { q } : {}), ...(asOf ? { asOf } : {}) }).toString();
  const { register, entries } = await get<{ register: RegisterSummary; entries: Entry[] }>(`/api/registers/${kind}${query ? `?${query}` : ''}`);
  const reload = () => registersPage(main, params);

  const searchForm = h(
    'form',
    { class: 'search', role: 'search' },
    field({ name: 'q', label: '查找', value: q, hint: `${register.subjectLabel}或${register.nameLabel}` }),
    field({ name: 'asOf', label: '有效日期', type: 'date', value: asOf, hint: '只看这一天有效的条目' }),
    h('button', { type: 'submit', class: 'button' }, '查找'),
  );
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams({ ...(valueOf(searchForm, 'q') ? { q: valueOf(searchForm, 'q') } : {}), ...(valueOf(searchForm, 'asOf') ? { asOf: valueOf(searchForm, 'asOf') } : {}) }).toString();
    location.hash = `#/registers/${kind}${next ? `?${next}` : ''}`;
  });

  const detailText = (e: Entry) => register.detail.map((f) => (e.detail[f.name] === undefined ? '' : `${f.label}：${e.detail[f.name]}`)).filter(Boolean).join('；');
  const rows = entries.map((e) =>
    h(
      'tr',
      {},
      h('td', {}, e.subject),
      h('td', {}, e.name),
      h('td', {}, isoDatesInWords(detailText(e))),
      h('td', {}, dateTag(e.from), ' 至 ', e.to ? dateTag(e.to) : '长期'),
      h('td', {}, h('span', { class: `badge ${e.current ? 'ok' : ''}` }, e.ended ? '已终止' : e.current ? '有效' : '未生效或已到期')),
      h('td', {}, `${CHANGE_WORDS[e.lastChange.type] ?? e.lastChange.type}：${e.lastChange.by.displayName}，${e.lastChange.reason}`),
      h('td', {}, register.canWrite && !e.ended ? entryActions(register, e, reload) : ''),
    ),
  );

  mount(
    main,
    h('p', {}, h('a', { href: '#/registers' }, '← 全部名录')),
    h('h1', {}, register.zh),
    h('p', { class: 'lead' }, `${register.description}（维护：${register.keptBy}）`),
    searchForm,
    entries.length === 0
      ? h('p', {}, '没有符合条件的条目。')
      : h(
          'table',
          { class: 'table' },
          h('thead', {}, h('tr', {}, h('th', {}, register.subjectLabel), h('th', {}, register.nameLabel), h('th', {}, '内容'), h('th', {}, '有效期'), h('th', {}, '状态'), h('th', {}, '最近修改'), h('th', {}, '操作'))),
          h('tbody', {}, ...rows),
        ),
    register.canWrite ? h('div', { class: 'card' }, h('h2', {}, '新增条目'), addForm(register, reload)) : h('p', { class: 'hint' }, `本名录由${register.keptBy}维护，您只能查阅。`),
  );
}

function detailFields(register: RegisterSummary, values: Record<string, string | number> = {}): HTMLElement[] {
  return register.detail.map((f) =>
    f.kind === 'choice'
      ? field({ name: `detail.${f.name}`, label: f.label, type: 'select', required: f.required, value: String(values[f.name] ?? ''), options: [{ value: '', label: '请选择' }, ...(f.choices ?? []).map((c) => ({ value: c, label: c }))] })
      : field({ name: `detail.${f.name}`, label: f.label, type: f.kind === 'basis-points' ? 'number' : 'text', required: f.required, value: values[f.name] === undefined ? '' : String(values[f.name]), ...(f.kind === 'basis-points' ? { hint: '以基点填写：3.00% 填 300' } : {}) }),
  );
}

function detailOf(form: HTMLElement, register: RegisterSummary): Record<string, string | number> {
  const detail: Record<string, string | number> = {};
  for (const f of register.detail) {
    const value = valueOf(form, `detail.${f.name}`);
    if (value !== '') detail[f.name] = f.kind === 'basis-points' ? Number(value) : value;
  }
  return detail;
}

function addForm(register: RegisterSummary, reload: () => Promise<void>): HTMLFormElement {
  return apiForm({
    label: `新增${register.zh}条目`,
    submitText: '新增',
    fields: [
      field({ name: 'subject', label: register.subjectLabel, required: true }),
      field({ name: 'name', label: register.nameLabel, required: true }),
      ...detailFields(register),
      field({ name: 'from', label: '起始日期', type: 'date', required: true }),
      field({ name: 'to', label: '截止日期（可空）', type: 'date' }),
      field({ name: 'reason', label: '理由', type: 'textarea', required: true, hint: '每次修改名录都须说明理由' }),
    ],
    async action(f) {
      const to = valueOf(f, 'to');
      await post(`/api/registers/${register.kind}/entries`, {
        subject: valueOf(f, 'subject'),
        name: valueOf(f, 'name'),
        detail: detailOf(f, register),
        from: valueOf(f, 'from'),
        ...(to ? { to } : {}),
        reason: valueOf(f, 'reason'),
      });
      flash('已新增条目。');
      await reload();
    },
  });
}

function entryActions(register: RegisterSummary, entry: Entry, reload: () => Promise<void>): HTMLElement {
  const change = apiForm({
    label: `修改 ${entry.subject}`,
    submitText: '保存修改',
    fields: [
      field({ name: 'name', label: register.nameLabel, value: entry.name, required: true }),
      ...detailFields(register, entry.detail),
      field({ name: 'to', label: '截止日期（可空）', type: 'date', value: entry.to ?? '' }),
      field({ name: 'reason', label: '修改理由', required: true }),
    ],
    async action(f) {
      const to = valueOf(f, 'to');
      await post(`/api/registers/${register.kind}/entries/${entry.entryId}/change`, { name: valueOf(f, 'name'), detail: detailOf(f, register), to: to || null, reason: valueOf(f, 'reason') });
      flash('已保存修改。');
      await reload();
    },
  });
  const end = apiForm({
    label: `终止 ${entry.subject}`,
    submitText: '终止条目',
    fields: [field({ name: 'endedOn', label: '终止日期', type: 'date', required: true }), field({ name: 'reason', label: '终止理由', required: true })],
    async action(f) {
      await post(`/api/registers/${register.kind}/entries/${entry.entryId}/end`, { endedOn: valueOf(f, 'endedOn'), reason: valueOf(f, 'reason') });
      flash('已终止条目。');
      await reload();
    },
  });
  return h('details', {}, h('summary', {}, '修改或终止'), change, end);
}
