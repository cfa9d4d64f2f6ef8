import { ApiError, apiPaths, get } from '../api.js';
import { barChart } from '../charts.js';
import { h, mount, notice } from '../dom.js';
import { money } from '../format.js';
import { stat } from './case-detail.js';

interface CaseCounts {
  total: number;
  byStatus: { status: string; label: string; count: number }[];
  byProgramme: { caseType: string; name: string; count: number }[];
}

interface LoanBook {
  asOf: string;
  loans: { repaying: number; repaid: number };
  disbursedFen: number;
  outstandingFen: number;
  dueThisMonth: { month: string; instalments: number; amountFen: number; paidFen: number };
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

/** Officials' and auditors' dashboard: cases by status and programme, filing SLAs, the loan book. */
export async function dashboardPage(main: HTMLElement): Promise<void> {
  const paths = await apiPaths();
  const [counts, book, sla] = await Promise.all([
    get<CaseCounts>('/api/dashboard/cases'),
    get<LoanBook>('/api/loans/book'),
    paths.includes('/api/filings/sla')
      ? get<{ months: SlaMonth[] }>('/api/filings/sla').catch((e: unknown) => (e instanceof ApiError ? e : Promise.reject(e)))
      : Promise.resolve(undefined),
  ]);
  mount(
    main,
    h('h1', {}, '数据看板'),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'cases-h' },
      h('h2', { id: 'cases-h' }, `案件概况（共 ${counts.total} 件）`),
      h(
        'div',
        { class: 'chart-grid' },
        barChart('按环节', counts.byStatus.map((s) => ({ label: s.label, value: s.count, text: `${s.count} 件` }))),
        barChart('按政策', counts.byProgramme.map((p) => ({ label: p.name, value: p.count, text: `${p.count} 件` }))),
      ),
    ),
    slaSection(sla),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'book-h' },
      h('h2', { id: 'book-h' }, `雏鹰计划借款台账（截至 ${book.asOf}）`),
      h(
        'div',
        { class: 'stats' },
        stat('累计放款', money(book.disbursedFen)),
        stat('尚欠本金', money(book.outstandingFen), 'outstanding'),
        stat('还款中 / 已结清', `${book.loans.repaying} / ${book.loans.repaid} 笔`),
        stat(`${book.dueThisMonth.month} 到期`, `${book.dueThisMonth.instalments} 期 · ${money(book.dueThisMonth.amountFen)}`),
        stat('本月已收回', money(book.dueThisMonth.paidFen)),
      ),
      barChart(
        '逾期分布（按逾期天数，未还本金）',
        book.delinquency.map((b) => ({ label: b.label, value: b.outstandingFen, text: `${money(b.outstandingFen)} · ${b.loans} 笔`, tone: b.bucket === '1-30' ? 'warn' : 'danger' })),
      ),
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
              label: m.month,
              value: m.onTimePercent ?? 0,
              text: m.onTimePercent === null ? `未有办结（${m.filings} 件在审）` : `${m.onTimePercent}%（${m.onTime}/${m.decided}，超期 ${m.breaches}）`,
              tone: m.onTimePercent !== null && m.onTimePercent < 90 ? 'danger' : 'ok',
            })),
            { max: 100 },
          );
  return h('section', { class: 'card', 'aria-labelledby': 'sla-h' }, h('h2', { id: 'sla-h' }, '微短剧备案审查时效'), body);
}
