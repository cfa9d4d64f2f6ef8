import { h, mount } from '../dom.js';
import { takeFlash } from '../flash.js';
import type { SignedInAccount } from '../session.js';
import { CHUYING_LOAN, notOfferedTo } from '../offers.js';
import { caseTable, emptyList, filterCount, offersFilters, hasFilters, listFilters, listHash, listQueryOf, listTitle, pager, restoreListScroll, resultCaption, worklistPage } from '../worklist.js';

/** An applicant's own cases (我的办件); an official's department's cases (全部案件); an expert's panel cases (评审任务): searched, filtered and paged, the query in the address. */
export async function casesPage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): Promise<void> {
  const path = '#/cases';
  const applicant = account?.role === 'applicant';
  const heading = applicant ? '我的办件' : account?.role === 'expert' ? '评审任务' : '全部案件';
  const query = listQueryOf(location.hash);
  // 等您办理: the applicant's own queue (a 补正 to answer, a repayment due), most urgent first.
  const waitingOnly = applicant && query.waiting === 'me';
  document.title = listTitle(waitingOnly ? `${heading} · 等您办理` : heading, query);
  const page = await worklistPage(waitingOnly ? 'queue' : 'all', query);
  const waitsForMe = applicant && page.waiting?.total ? page.waiting.total : 0;
  mount(
    main,
    h('h1', {}, heading),
    takeFlash(),
    applicant
      ? h(
          'p',
          { class: 'actions-row' },
          // The 雏鹰 loan is for companies: an individual creator is not offered it.
          notOfferedTo(account, CHUYING_LOAN.programmeId) ? null : h('a', { class: 'button primary', href: CHUYING_LOAN.form }, '申请雏鹰借款'),
          h('a', { class: 'button', href: '#/apply/drama-planning-filing' }, '微短剧规划备案'),
          h('a', { class: 'button', href: '#/apply/drama-release-filing' }, '完成片上线备案'),
          h('a', { class: 'button', href: '#/catalogue' }, '查看政策与资格自查'),
        )
      : null,
    waitsForMe || waitingOnly
      ? h(
          'nav',
          { class: 'summary-line', 'aria-label': '办件范围' },
          h('a', { href: listHash(path, { page: 1 }), class: waitingOnly ? 'tag' : 'tag tag-current', ...(waitingOnly ? {} : { 'aria-current': 'page' }) }, '全部办件'),
          h('a', { href: listHash(path, { page: 1, waiting: 'me' }), class: waitingOnly ? 'tag tag-warn tag-current' : 'tag tag-warn', ...(waitingOnly ? { 'aria-current': 'page' } : {}) }, `等您办理 ${waitsForMe} 件`),
          page.waiting?.breached ? h('span', { class: 'tag tag-danger' }, `已过期限 ${page.waiting.breached} 件`) : null,
        )
      : null,
    page.total === 0 && !hasFilters(query)
      ? h('p', { class: 'empty' }, applicant ? '您还没有办件。可以从政策目录开始，先做资格自查。' : account?.role === 'expert' ? '目前没有交给您的评审任务：申报批次请您评审时，会在这里列出。' : '还没有案件。')
      : [
          offersFilters(query, page) && listFilters(path, query, page, {
              searchLabel: applicant ? '搜索申请编号或项目、剧目名称' : '搜索编号、申请人或项目名称',
              searchFor: applicant ? '项目、剧目名称' : '申请人、项目名称',
              breached: !applicant,
            }),
          page.cases.length === 0
            ? waitingOnly && !query.q && filterCount(query) === 0
              ? h('p', { class: 'empty' }, '目前没有等您办理的事项。', h('a', { href: path }, '查看全部办件'))
              : emptyList(path, query, page, '还没有案件。')
            : caseTable(page.cases, {
                caption: `${waitingOnly ? '等您办理的：' : ''}${resultCaption(query, page, waitingOnly ? '期限最近的在前' : '最新的在前')}${applicant ? '办理期限按工作日倒计时，您自己的补正和还款期限按天倒计时；“暂定”表示该日期所在年度的节假日安排尚未公布，公布后重新确定。' : ''}`,
                showApplicant: !applicant,
                ownCases: applicant,
                sorting: { path, query, natural: waitingOnly ? { by: 'deadline', order: 'asc' } : { by: 'submitted', order: 'desc' } },
              }),
          pager(path, query, page),
        ],
  );
  restoreListScroll();
}
