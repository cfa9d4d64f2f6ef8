import { api, get, post } from '../api.js';
import { h, mount } from '../dom.js';
import { flash, takeFlash } from '../flash.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';
import { dateInWords, dateTimeInWords, todayInShanghai } from '../format.js';
import type { SignedInAccount } from '../session.js';
import { checkYearArrangement } from '../../../domain/time/working-days.js';
import { DomainError } from '../../../domain/errors.js';

interface CalendarYear {
  year: number;
  official: boolean;
  source: 'loaded' | 'chinese-days' | 'none';
  holidays: string[];
  makeUpWorkdays: string[];
  workingDayCount: number;
  /** Every day that is not a working day: weekends, days off, and in a provisional year the fixed-date holidays. */
  nonWorkingDays: string[];
  loaded: { revision: number; by: { displayName: string }; approvedBy: { displayName: string } | null; noticeSource: string | null; at: string; note: string | null } | null;
}

interface Recount {
  filings: number;
  loans: number;
  applications: number;
  others: number;
}

/** A year's arrangement one administrator proposed: in force only once another approves it. */
interface Proposal {
  proposalId: string;
  year: number;
  note: string;
  source: string;
  proposedBy: { accountId: string; displayName: string };
  proposedAt: string;
  changes: { holidaysAdded: string[]; holidaysRemoved: string[]; makeUpWorkdaysAdded: string[]; makeUpWorkdaysRemoved: string[] };
  impact: { recount: Recount; movingFilingDeadlines: { referenceNo: string; title: string; from: string; to: string }[] } | null;
}

interface Loaded extends CalendarYear {
  recomputation: Recount;
}

const DAY_MS = 86_400_000;
/** A date as written that exists: Date.parse rolls 2027-02-30 over into March, so it is written back and compared. */
const isRealDate = (date: string) => {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
};
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** Consecutive dates as runs: ['2027-01-01', '2027-01-02', '2027-01-05'] → [['2027-01-01', '2027-01-02'], ['2027-01-05', '2027-01-05']]. */
export function runsOf(dates: readonly string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const date of [...dates].sort()) {
    const last = runs.at(-1);
    if (last && dayAfter(last[1]) === date) last[1] = date;
    else runs.push([date, date]);
  }
  return runs;
}

/** A run in words: 2027年1月1日 or 2027年1月1日至1月3日. */
function runInWords([from, to]: [string, string]): string {
  if (from === to) return dateInWords(from);
  return `${dateInWords(from)}至${dateInWords(to).replace(/^\d{4}年/, '')}`;
}

/** The lines of the form's lists: one date or one run (2027-01-01 至 2027-01-03) a line. */
const linesOf = (dates: readonly string[]) => runsOf(dates).map(([from, to]) => (from === to ? from : `${from} 至 ${to}`)).join('\n');

const LONGEST_RUN_DAYS = 31;

/**
 * The dates typed in a list, a date or a run a line, each run spelled out; a line that is neither,
 * or a run backwards or longer than a month, is refused at the list's field, by its line.
 * Whether each date is real, in the year and not listed twice is the server's check.
 */
export function datesOfLines(text: string, field: string, label: string): { dates: string[]; issues: { field: string; message: string }[] } {
  const dates: string[] = [];
  const issues: { field: string; message: string }[] = [];
  const lines = text.split('\n').map((l) => l.trim());
  lines.forEach((line, index) => {
    if (!line) return;
    const parts = line.split(/\s*(?:至|到|~|～|—|–)\s*/);
    const date = /^\d{4}-\d{2}-\d{2}$/;
    if (parts.length > 2 || !parts.every((p) => date.test(p))) {
      issues.push({ field, message: `${label}第 ${index + 1} 行“${line}”应为一个日期或一段日期，写作 2027-01-01 或 2027-01-01 至 2027-01-03` });
      return;
    }
    const [from, to = from] = parts as [string, string?];
    // A date that does not exist (2027-02-30) goes as typed: the server names it.
    if (!isRealDate(from) || !isRealDate(to)) {
      dates.push(from, ...(to === from ? [] : [to]));
      return;
    }
    if (to < from) {
      issues.push({ field, message: `${label}第 ${index + 1} 行“${line}”的结束日期早于开始日期` });
      return;
    }
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (days > LONGEST_RUN_DAYS) {
      issues.push({ field, message: `${label}第 ${index + 1} 行“${line}”长达 ${days} 天：一段连续日期不超过 ${LONGEST_RUN_DAYS} 天，请核对` });
      return;
    }
    for (let d = from; d <= to; d = dayAfter(d)) dates.push(d);
  });
  return { dates, issues };
}

/** #/calendar?year=YYYY: a year's days off and make-up working days, official or provisional; an administrator loads or corrects them. */
export async function calendarPage(main: HTMLElement, _params: string[], me: SignedInAccount | undefined): Promise<void> {
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const asked = Number(new URLSearchParams(location.hash.split('?')[1] ?? '').get('year'));
  const year = Number.isInteger(asked) && asked >= thisYear - 5 && asked <= thisYear + 2 ? asked : thisYear;
  const admin = me?.role === 'admin';
  const [view, { proposals }] = await Promise.all([get<CalendarYear>(`/api/calendar/${year}`), admin ? get<{ proposals: Proposal[] }>('/api/calendar/proposals') : Promise.resolve({ proposals: [] as Proposal[] })]);
  const waiting = proposals.find((p) => p.year === year);
  const elsewhere = proposals.filter((p) => p.year !== year);
  const reload = () => calendarPage(main, _params, me);

  const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, year])].sort((a, b) => a - b);
  const status = view.official
    ? view.loaded
      ? `官方安排：${view.loaded.by.displayName}提出${view.loaded.approvedBy ? `、${view.loaded.approvedBy.displayName}批准` : ''}，于 ${dateTimeInWords(view.loaded.at)} 生效（第 ${view.loaded.revision} 版）${view.loaded.noticeSource ? `，依据：${view.loaded.noticeSource}` : ''}${view.loaded.note ? `，说明：${view.loaded.note}` : ''}。`
      : '官方安排：随系统提供的国务院办公厅公布的安排。'
    : `暂定：尚未导入国务院办公厅公布的 ${year} 年安排，只按周末和固定日期的节日计算。依此计算、落在 ${year} 年的期限标为“暂定”；导入后，在办案件的暂定期限自动重算。`;

  mount(
    main,
    h('h1', {}, '工作日历'),
    takeFlash(),
    h('p', { class: 'lead' }, '“几个工作日内”的期限按这里的安排计算：周末和放假日不算工作日，调休上班的周末算工作日。'),
    h('nav', { 'aria-label': '年份' }, h('ul', { class: 'year-tabs' }, ...years.map((y) => h('li', {}, h('a', { href: `#/calendar?year=${y}`, ...(y === year ? { 'aria-current': 'page' } : {}) }, `${y} 年`))))),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'year-title' },
      h('h2', { id: 'year-title' }, `${year} 年`, ' ', h('span', { class: `tag ${view.official ? '' : 'tag-warn'}` }, view.official ? '官方' : '暂定')),
      h('p', {}, status),
      h('p', {}, `全年工作日 ${view.workingDayCount} 天。`),
      h('h3', {}, '放假日'),
      view.official
        ? h('ul', { class: 'date-runs' }, ...runsOf(view.holidays).map((run) => h('li', {}, runInWords(run))))
        : h(
            'div',
            {},
            h('p', {}, '尚未公布。暂按固定日期的节日计算，其中落在星期一至星期五的是：'),
            h('ul', { class: 'date-runs' }, ...runsOf(view.nonWorkingDays.filter((d) => !isWeekend(d))).map((run) => h('li', {}, runInWords(run)))),
          ),
      h('h3', {}, '调休上班日'),
      view.makeUpWorkdays.length ? h('ul', { class: 'date-runs' }, ...runsOf(view.makeUpWorkdays).map((run) => h('li', {}, runInWords(run)))) : h('p', {}, '无。'),
    ),
    elsewhere.length ? h('p', { class: 'notice' }, '其他年份有等待批准的调整：', ...elsewhere.map((p) => h('a', { href: `#/calendar?year=${p.year}` }, `${p.year} 年（${p.proposedBy.displayName}提出）`))) : null,
    waiting ? proposalCard(waiting, me, reload) : null,
    // A year gone by is not changed (its deadlines have all passed): the administrator reads it only.
    admin && year >= thisYear && !waiting ? h('section', { class: 'card', 'aria-labelledby': 'load-title' }, h('h2', { id: 'load-title' }, view.loaded ? `修改 ${year} 年安排` : `导入 ${year} 年安排`), loadForm(view, reload)) : null,
    admin && year < thisYear ? h('p', {}, `${year} 年已经过去，其中的期限都已届满，不能再修改该年的安排。`) : null,
  );
}

/** What the arrangement's rules refuse in these lists, each at its list's field. */
function arrangementIssues(year: number, holidays: string[], makeUpWorkdays: string[]): { field: string; message: string; code?: string }[] {
  try {
    checkYearArrangement({ year, holidays, makeUpWorkdays });
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.issues.map((i) => ({ field: i.field.split('.')[0]!, message: i.message, ...(i.code ? { code: i.code } : {}) }));
  }
}

function loadForm(view: CalendarYear, reload: () => Promise<void>): HTMLFormElement {
  const { year } = view;
  const listsOf = (form: HTMLFormElement) => {
    const holidays = datesOfLines(valueOf(form, 'holidays'), 'holidays', '放假日');
    const makeUp = datesOfLines(valueOf(form, 'makeUpWorkdays'), 'makeUpWorkdays', '调休上班日');
    const lineIssues = [...holidays.issues, ...makeUp.issues];
    // With a line to put right, the arrangement's own rules (the server's, domain/time/working-days.ts) are told
    // in the same round over the lines that read: an outside tester fixed a line only to be told of a
    // Monday 调休 and a missing 5月2日 next. A statutory day is not called missing while a holiday line is unread.
    const issues = lineIssues.length ? [...lineIssues, ...arrangementIssues(year, holidays.dates, makeUp.dates).filter((i) => !(holidays.issues.length && i.code === 'statutory-holiday-missing'))] : [];
    if (issues.length) throw new LocalIssues(`请修改以下 ${issues.length} 处`, issues);
    return { holidays: holidays.dates, makeUpWorkdays: makeUp.dates };
  };
  return apiForm({
    label: `导入 ${year} 年安排`,
    submitText: view.loaded ? '提出修改' : '提出导入',
    fields: [
      field({ name: 'holidays', label: '放假日', type: 'textarea', required: true, value: linesOf(view.holidays), hint: '每行一个日期或一段日期，如 2027-01-01 或 2027-02-10 至 2027-02-16，按国务院办公厅公布的通知填写；元旦（1月1日）、劳动节（5月1日至2日）、国庆节（10月1日至3日）是法定放假日，每年都须列入' }),
      field({ name: 'makeUpWorkdays', label: '调休上班日', type: 'textarea', value: linesOf(view.makeUpWorkdays), hint: '调休上班的星期六、星期日，每行一个；没有则留空' }),
      // Each load says why it was made: a correction starts empty, the last load's words shown beside it.
      field({ name: 'source', label: '所依据的通知', required: true, value: '', hint: '国务院办公厅通知的标题和文号，另一位管理员据此核对后批准' }),
      field({ name: 'note', label: '说明', value: '', hint: view.loaded?.note ? `写明这次修改的原因；上一版的说明是“${view.loaded.note}”` : '如：国务院办公厅关于当年部分节假日安排的通知' }),
    ],
    confirm: {
      text: view.official
        ? `提交后须另一位管理员批准才生效。生效后 ${year} 年的期限按新安排计算，在办案件中经过 ${year} 年的期限将重新核算：暂定的期限按新安排确定；已确定的期限只会推后，不会提前。确认提交吗？`
        : `提交后须另一位管理员批准才生效。生效后 ${year} 年的期限按新安排计算，在办案件中依暂定安排计算的期限将自动重算。确认提交吗？`,
      check: (form) => void listsOf(form),
    },
    async action(form) {
      const note = valueOf(form, 'note');
      await api<{ proposal: Proposal }>('PUT', `/api/calendar/${year}`, {
        ...listsOf(form),
        source: valueOf(form, 'source'),
        ...(note ? { note } : {}),
        // Proposed over what this page showed, not over a change made meanwhile by someone else.
        expectedRevision: view.loaded?.revision ?? 0,
      });
      flash(`已提出 ${year} 年安排的调整，须另一位管理员批准后生效。`);
      await reload();
    },
  });
}

const runsInWords = (dates: readonly string[]) => runsOf(dates).map(runInWords).join('、');

/**
 * The arrangement waiting for a second administrator: what it adds and takes away, against the year
 * in force, and the open cases whose deadlines it would count again or move; approved or refused by
 * another administrator, withdrawn by its proposer.
 */
function proposalCard(proposal: Proposal, me: SignedInAccount | undefined, reload: () => Promise<void>): HTMLElement {
  const { year, changes, impact } = proposal;
  const own = proposal.proposedBy.accountId === me?.accountId;
  const lines = [
    changes.holidaysAdded.length ? `新增放假日：${runsInWords(changes.holidaysAdded)}` : null,
    changes.holidaysRemoved.length ? `取消放假日：${runsInWords(changes.holidaysRemoved)}` : null,
    changes.makeUpWorkdaysAdded.length ? `新增调休上班日：${runsInWords(changes.makeUpWorkdaysAdded)}` : null,
    changes.makeUpWorkdaysRemoved.length ? `取消调休上班日：${runsInWords(changes.makeUpWorkdaysRemoved)}` : null,
  ].filter((line): line is string => line !== null);
  const recount = impact ? impact.recount.filings + impact.recount.loans + impact.recount.applications + impact.recount.others : 0;
  const moving = impact?.movingFilingDeadlines ?? [];
  const approve = own
    ? h('p', { class: 'hint' }, '由您提出：须另一位管理员核对通知后批准，批准前不生效。')
    : apiForm({
        label: `批准 ${year} 年安排的调整`,
        submitText: '批准',
        fields: [],
        confirm: { text: `批准后立即生效：${year} 年的期限按这项调整计算${recount ? `，${recount} 件在办案件的期限将重新核算` : ''}。请确认已核对“${proposal.source}”。确认批准吗？` },
        async action() {
          const loaded = await post<Loaded>(`/api/calendar/${year}/proposals/${proposal.proposalId}/approve`);
          const { filings, loans, applications, others } = loaded.recomputation;
          const recomputed = filings + loans + applications + others;
          flash(`已批准 ${year} 年安排（第 ${loaded.loaded?.revision ?? 1} 版），立即生效${recomputed ? `，${recomputed} 件在办案件的期限正在重新核算` : ''}。`);
          await reload();
        },
      });
  const refuse = apiForm({
    label: own ? `撤回 ${year} 年安排的调整` : `拒绝 ${year} 年安排的调整`,
    submitText: own ? '撤回' : '拒绝',
    className: 'danger',
    fields: [field({ name: 'reason', label: own ? '撤回理由' : '拒绝理由', required: true })],
    async action(form) {
      await post(`/api/calendar/${year}/proposals/${proposal.proposalId}/refuse`, { reason: valueOf(form, 'reason') });
      flash(own ? `已撤回 ${year} 年安排的调整。` : `已拒绝 ${year} 年安排的调整，安排不变。`);
      await reload();
    },
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'proposal-title' },
    h('h2', { id: 'proposal-title' }, `${year} 年安排的调整`, ' ', h('span', { class: 'tag tag-warn' }, '待批准')),
    h('p', {}, `${proposal.proposedBy.displayName}于 ${dateTimeInWords(proposal.proposedAt)} 提出，依据：${proposal.source}${proposal.note ? `；说明：${proposal.note}` : ''}。须另一位管理员批准后才生效，在此之前期限不变。`),
    h('h3', {}, '变动'),
    lines.length ? h('ul', { class: 'proposal-changes' }, ...lines.map((line) => h('li', {}, line))) : h('p', {}, '与现行安排相同。'),
    h('h3', {}, '对在办案件的影响'),
    h('p', {}, recount ? `批准后，${recount} 件在办案件的期限将按新安排重新核算（已确定的期限只会推后，不会提前）。` : '没有在办案件的期限需要重新核算。'),
    moving.length
      ? h(
          'div',
          {},
          h('p', {}, `其中 ${moving.length} 件备案的审查期限将推后：`),
          h('ul', {}, ...moving.map((m) => h('li', {}, `《${m.title}》（${m.referenceNo}）：${dateInWords(m.from)}改为${dateInWords(m.to)}`))),
        )
      : null,
    h('div', { class: 'grant-actions' }, approve, h('details', {}, h('summary', {}, own ? '撤回' : '拒绝'), refuse)),
  );
}
