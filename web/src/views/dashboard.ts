import { ApiError, apiPaths, get } from '../api.js';
import { barChart } from '../charts.js';
import { h, mount, notice } from '../dom.js';
import { dateTag } from '../date-tags.js';
import { money, monthInWords, shanghaiDate, todayInShanghai } from '../format.js';
import { currentAccount } from '../session.js';
import { stat } from './case-detail.js';
import { dashboardSectionsFor, monthsWithData } from './staff-rules.js';
import { addressWith } from '../nav.js';

interface CaseCounts {
  total: number;
  byStatus: { status: string; label: string; count: number }[];
  byProgramme: { caseType: string; name: string; count: number }[];
  filters: { month: string | null; programme: string | null; programmes: { programme: string; name: string }[] };
}

interface LoanBook {
  asOf: string;
  loans: { repaying: number; repaid: number };
  disbursedFen: number;
  outstandingFen: number;
  dueThisMonth: { month: string; instalments: number; amountFen: number; paidFen: number };
  recoveredThisMonth: { month: string; repayments: number; amountFen: number };
  delinquency: { bucket: string; label: string; instalments: number; loans: number; outstandingFen: number }[];
}

interface SlaMonth {
  month: string;
  filings: number;
  decided: number;
  onTime: number;
  onTimePercent: number | null;
  breaches: number;
}

type AwardMoney = { awards: number; awardedFen: number; paidFen: number; toPayFen: number; recoveredFen: number; writtenOffFen: number };

interface AwardsReport {
  asOf: string;
  filters: { year: string | null; programme: string | null };
  years: string[];
  byProgramme: (AwardMoney & { programme: string; name: string; departmentName: string | null })[];
  totals: AwardMoney;
}

/** The 雏鹰 loans' case type: the loan book concerns it alone. */
const LOAN_PROGRAMME = 'chuying-loan';

/** The dashboard's filters, from the address (#/dashboard?month=2026-11&programme=chuying-loan), so a filtered view can be bookmarked and shared. */
export interface DashboardFilters {
  month?: string;
  programme?: string;
  /** The year of the 奖补资金 section (by the award day); every year when absent. */
  year?: string;
}

export function dashboardFiltersOf(hash: string): DashboardFilters {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const month = params.get('month') ?? '';
  const programme = params.get('programme') ?? '';
  return {
    ...(/^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? { month } : {}),
    ...(/^[a-z0-9][a-z0-9-]{0,79}$/.test(programme) ? { programme } : {}),
    ...(/^20\d{2}$/.test(params.get('year') ?? '') ? { year: params.get('year')! } : {}),
  };
}

export function dashboardHash(filters: DashboardFilters): string {
  return addressWith('#/dashboard', { month: filters.month, programme: filters.programme, year: filters.year });
}

/** Officials' and auditors' dashboard: cases by status and programme, filing SLAs, the loan book; filtered by month and programme. */
export async function dashboardPage(main: HTMLElement): Promise<void> {
  const filters = dashboardFiltersOf(location.hash);
  const mine = dashboardSectionsFor(currentAccount());
  const showBook = mine.loanBook && (!filters.programme || filters.programme === LOAN_PROGRAMME);
  const showSla = mine.filingSla && (!filters.programme || filters.programme.startsWith('drama-'));
  const paths = await apiPaths();
  const awardsQuery = { year: filters.year, programme: filters.programme };
  const [counts, book, sla, oldest, awards] = await Promise.all([
    get<CaseCounts>(addressWith('/api/dashboard/cases', { month: filters.month, programme: filters.programme })),
    showBook ? get<LoanBook>(addressWith('/api/loans/book', { month: filters.month })) : Promise.resolve(undefined),
    showSla && paths.includes('/api/filings/sla')
      ? get<{ months: SlaMonth[] }>('/api/filings/sla').catch((e: unknown) => (e instanceof ApiError ? e : Promise.reject(e)))
      : Promise.resolve(undefined),
    // The oldest case the viewer may see: the month list starts there. Without it the list is this month's alone.
    get<{ cases: { openedAt: string }[] }>('/api/worklist?view=all&sort=submitted&order=asc&pageSize=1').then(
      (list) => (list.cases[0] ? shanghaiDate(list.cases[0].openedAt).slice(0, 7) : undefined),
      () => undefined,
    ),
    paths.includes('/api/dashboard/awards') ? get<AwardsReport>(addressWith('/api/dashboard/awards', awardsQuery)) : Promise.resolve(undefined),
  ]);
  const scope = [filters.month ? monthInWords(filters.month) : '', filters.programme ? (counts.filters.programmes.find((p) => p.programme === filters.programme)?.name ?? '所选政策') : '']
    .filter(Boolean)
    .join(' · ');
  mount(
    main,
    h('h1', {}, '数据看板'),
    filterForm(filters, counts.filters.programmes, oldest),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'cases-h' },
      h('h2', { id: 'cases-h' }, `案件概况（${scope ? `${scope}，` : ''}共 ${counts.total} 件）`),
      filters.month ? h('p', { class: 'muted small' }, `按提交申请的日期（北京时间）统计${monthInWords(filters.month)}的案件。`) : null,
      h(
        'div',
        { class: 'chart-grid' },
        barChart('按环节', counts.byStatus.map((s) => ({ label: s.label, value: s.count, text: `${s.count} 件` }))),
        barChart('按政策', counts.byProgramme.map((p) => ({ label: p.name, value: p.count, text: `${p.count} 件` }))),
      ),
    ),
    awards ? awardsSection(awards, filters) : null,
    showSla ? slaSection(sla) : null,
    book ? bookSection(book) : null,
  );
}

/**
 * 奖补资金: what each measure awarded, paid out and has still to pay, by the year of the award day, with
 * the total the office reports at year end, and the same as a spreadsheet (an outside tester's office
 * found case counts only, and nothing to export).
 */
function awardsSection(report: AwardsReport, filters: DashboardFilters): HTMLElement {
  const columns = ['政策事项', '奖补笔数', '核定金额', '已发放', '待发放', '已追回', '已核销'] as const;
  const figures = (m: AwardMoney) => [`${m.awards} 笔`, money(m.awardedFen), money(m.paidFen), money(m.toPayFen), money(m.recoveredFen), money(m.writtenOffFen)];
  const cells = (m: AwardMoney) => figures(m).map((text, i) => h('td', { class: 'num', 'data-label': columns[i + 1] }, text));
  const yearLink = (year: string | undefined, text: string) =>
    year === filters.year ? h('strong', { 'aria-current': 'page' }, text) : h('a', { href: dashboardHash({ ...filters, ...(year ? { year } : { year: undefined }) }) }, text);
  const scope = `${filters.year ? `${filters.year}年` : '全部年度'}${filters.programme ? ` · ${report.byProgramme[0]?.name ?? '所选政策'}` : ''}`;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'awards-h' },
    h('h2', { id: 'awards-h' }, `奖补资金（${scope}）`, h('span', { class: 'muted small block' }, '截至 ', dateTag(report.asOf))),
    h('p', { class: 'year-links', 'aria-label': '按年度' }, yearLink(undefined, '全部年度'), ...report.years.flatMap((y) => [' · ', yearLink(y, `${y}年`)])),
    report.byProgramme.length === 0
      ? h('p', { class: 'empty' }, filters.year ? `${filters.year}年没有作出的奖补。` : '还没有作出的奖补。')
      : h(
          'div',
          { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': '奖补资金表（可左右滚动）' },
          h(
            'table',
            { class: 'cases awards-report' },
            h('caption', {}, '按决定日期（北京时间）计入年度；已发放含已减免的房租和已放款的借款，待发放为尚在公示、发放或待放款的部分'),
            h('thead', {}, h('tr', {}, ...columns.map((t, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, t)))),
            h(
              'tbody',
              {},
              ...report.byProgramme.map((p) =>
                h('tr', { 'data-programme': p.programme }, h('th', { scope: 'row', 'data-label': '政策事项' }, p.name, p.departmentName ? h('span', { class: 'muted block small' }, p.departmentName) : null), ...cells(p)),
              ),
            ),
            h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', 'data-label': '政策事项' }, '合计'), ...cells(report.totals))),
          ),
        ),
    h('p', {}, h('a', { class: 'button', href: addressWith('/api/dashboard/awards.csv', { year: filters.year, programme: filters.programme }), download: '' }, '导出表格')),
  );
}

/** Month and programme, applied by changing the address: the page reloads its figures from it. */
function filterForm(filters: DashboardFilters, programmes: CaseCounts['filters']['programmes'], oldest: string | undefined): HTMLElement {
  // A list of months in Chinese rather than the browser's own month picker, whose words follow the browser's language.
  const monthInput = h(
    'select',
    { id: 'dashboard-month', name: 'month', 'aria-describedby': 'dashboard-month-hint' },
    h('option', { value: '' }, '全部月份'),
    ...monthsWithData(todayInShanghai().slice(0, 7), oldest, filters.month).map((m) => h('option', { value: m, selected: m === filters.month }, monthInWords(m))),
  );
  const programmeSelect = h(
    'select',
    { id: 'dashboard-programme', name: 'programme' },
    h('option', { value: '' }, '全部政策'),
    ...programmes.map((p) => h('option', { value: p.programme, selected: p.programme === filters.programme }, p.name)),
  );
  const form = h(
    'form',
    { class: 'dashboard-filters', 'aria-label': '筛选', novalidate: true },
    // Both fields and the button on one line, each field a label over its list: the hint goes below the row, not under one field.
    h('div', { class: 'field' }, h('label', { for: 'dashboard-month' }, '月份'), monthInput),
    h('div', { class: 'field' }, h('label', { for: 'dashboard-programme' }, '政策'), programmeSelect),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button primary' }, '筛选'),
      filters.month || filters.programme ? h('a', { class: 'button', href: '#/dashboard' }, '清除筛选') : null,
    ),
    h('p', { class: 'hint dashboard-filters-hint', id: 'dashboard-month-hint' }, '月份按提交申请的日期（北京时间）计，从最早一件案件的月份起。'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(monthInput.value) ? monthInput.value : undefined;
    location.hash = dashboardHash({ month, programme: programmeSelect.value || undefined, year: filters.year });
  });
  return form;
}

function bookSection(book: LoanBook): HTMLElement {
  const current = book.dueThisMonth.month === book.asOf.slice(0, 7);
  const monthLabel = current ? '本月' : monthInWords(book.dueThisMonth.month);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'book-h' },
    // The date on a line of its own: a phone then never breaks the heading inside it.
    h('h2', { id: 'book-h' }, '雏鹰计划借款台账', h('span', { class: 'muted small block' }, '截至 ', dateTag(book.asOf))),
    h(
      'div',
      { class: 'stats' },
      stat('累计放款', money(book.disbursedFen)),
      stat('尚欠本金', money(book.outstandingFen), 'outstanding'),
      stat('还款中 / 已结清', `${book.loans.repaying} / ${book.loans.repaid} 笔`),
      stat(`${monthLabel}到期`, `${book.dueThisMonth.instalments} 期 · ${money(book.dueThisMonth.amountFen)}`),
      stat(`${monthLabel}到期各期已还`, money(book.dueThisMonth.paidFen)),
      stat(`${monthLabel}已收回`, `${money(book.recoveredThisMonth.amountFen)} · ${book.recoveredThisMonth.repayments} 笔`, 'recovered'),
    ),
    h('p', { class: 'muted small' }, `${monthLabel}已收回：按还款日期（北京时间）计入的全部还款，含提前归还以后各期的款项。`),
    barChart(
      '逾期分布（按逾期天数，未还本金）',
      book.delinquency.map((b) => ({ label: b.label, value: b.outstandingFen, text: `${money(b.outstandingFen)} · ${b.loans} 笔`, tone: b.bucket === '1-30' ? 'warn' : 'danger' })),
    ),
  );
}

function slaSection(sla: { months: SlaMonth[] } | ApiError | undefined): HTMLElement {
  const body =
    sla === undefined
      ? h('p', { class: 'muted' }, '备案时效统计接口尚未启用。')
      : sla instanceof ApiError
        ? notice('info', sla.status === 403 ? '备案时效统计仅对市文旅局和审计开放。' : sla.message)
        : barChart(
            '按月按时反馈率（按提交月份）',
            sla.months.map((m) => ({
              label: monthInWords(m.month),
              value: m.onTimePercent ?? 0,
              text: m.onTimePercent === null ? `未有办结（${m.filings} 件在审）` : `${m.onTimePercent}%（${m.onTime}/${m.decided}，超期 ${m.breaches}）`,
              tone: m.onTimePercent !== null && m.onTimePercent < 90 ? 'danger' : 'ok',
            })),
            { max: 100 },
          );
  return h('section', { class: 'card', 'aria-labelledby': 'sla-h' }, h('h2', { id: 'sla-h' }, '微短剧备案审查时效'), body);
}
