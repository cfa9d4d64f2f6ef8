import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, endOfShanghaiDay, shanghaiDateOf } from '../../domain/time/local-date.js';
import { dramaSubmission, eventually } from '../support/filings.js';
import { browserSuite, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * 市文旅局's queue with 500 filings waiting (issue 15): an official finds one by reference, by
 * applicant and by a filter, claims it from the list, pages, opens a case and comes back to the
 * same list; the applicant's 我的办件 on a 390 px phone. A 200-character company name must not make
 * any page wider than the screen.
 */
const suite = browserSuite(async () => {
  const creator = await suite.harness.as('creator');
  const filed = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '石库门的光' }), { 'idempotency-key': randomUUID() });
  if (filed.statusCode !== 201) throw new Error(filed.body);
  const caseId = filed.json<{ caseId: string }>().caseId;
  filing = await eventually(async () => {
    const row = await suite.harness.database.db.selectFrom('cases').select(['case_id', 'reference_no', 'status']).where('case_id', '=', caseId).executeTakeFirst();
    return row?.status === 'awaiting-claim' ? { caseId, referenceNo: row.reference_no } : undefined;
  }, 'the filing in the read model');
  await seedFilings(caseId);
});
const { signedIn } = suite;
/** A name with no place to break a line but between its few Chinese characters. */
const LONG_NAME = `上海${'abcdefghi9'.repeat(19)}文化传媒有限公司`;
let filing: { caseId: string; referenceNo: string };

/** 500 filings under review, copied from a real one (its state and view), each with its own reference, producer, drama and deadline. */
async function seedFilings(sourceCaseId: string): Promise<void> {
  const today = shanghaiDateOf(new Date());
  const breached = new Date(endOfShanghaiDay(addDays(today, -3)));
  const soon = new Date(endOfShanghaiDay(today));
  const later = new Date(endOfShanghaiDay(addDays(today, 30)));
  await sql`
    INSERT INTO cases (case_id, reference_no, case_type, applicant_account_id, applicant_name, status, status_label, waiting_for_role, waiting_for_department,
      requested_fen, approved_fen, outstanding_fen, next_deadline_at, version, opened_at, updated_at, state, programme_id, priority, decided_on, details,
      source_case_id, department, departments)
    SELECT gen_random_uuid(), 'WD-2026-' || lpad(n::text, 6, '0'), case_type,
      CASE WHEN n % 2 = 0 THEN applicant_account_id ELSE 'other-applicant' END,
      CASE WHEN n = 250 THEN ${LONG_NAME} ELSE '申请人' || n || '号文化公司' END,
      -- Every tenth, of the applicant's own, returned to them for revision: not in the queue.
      CASE WHEN n % 10 = 6 THEN 'returned' ELSE 'in-review' END, CASE WHEN n % 10 = 6 THEN '退回修改' ELSE '审查中' END,
      CASE WHEN n % 10 = 6 THEN 'applicant' ELSE waiting_for_role END, CASE WHEN n % 10 = 6 THEN NULL ELSE waiting_for_department END,
      -- Amounts that repeat (every thirteenth the same): sorting by 金额 needs its tiebreak.
      (n % 13) * 1000000, approved_fen, outstanding_fen,
      CASE WHEN n % 5 = 0 THEN ${breached}::timestamptz WHEN n % 5 = 1 THEN ${soon}::timestamptz ELSE ${later}::timestamptz END,
      version, opened_at - make_interval(hours => n), updated_at, jsonb_set(state, '{status}', to_jsonb(CASE WHEN n % 10 = 6 THEN 'returned' ELSE 'in-review' END)), programme_id, 0, decided_on,
      jsonb_set(details, '{filing,title}', to_jsonb(CASE WHEN n = 250 THEN ${LONG_NAME} ELSE '弄堂故事第' || n || '部' END)),
      source_case_id, department, departments
    FROM cases, generate_series(1, 500) AS n WHERE case_id = ${sourceCaseId}
  `.execute(suite.harness.database.ownerDb);
}


const rows = (page: Page) => page.locator('table.cases tbody tr');
const row = (page: Page, referenceNo: string) => page.locator(`tr[data-reference="${referenceNo}"]`);
const hashOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash);
/** A date as machines write it (2026-12-10), which people should not read on a page; CY-2026-000031 is not one. */
const ISO_DATE = /(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])/;

/** Searches the list and waits for the page the search leads to. */
async function search(page: Page, text: string): Promise<void> {
  await page.getByLabel('搜索编号、申请人或项目名称').fill(text);
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((url) => decodeURIComponent(url.hash).includes(`q=${text}`));
  // The address changes before the page starts drawing, and the old list is still shown until then:
  // wait for the new page to name the search in its title, then for it to finish drawing.
  await expect.poll(() => page.title()).toContain(`搜索“${text}”`);
  await page.locator('#main:not([aria-busy]) :is(table.cases, .empty)').first().waitFor();
}

describe('the queue of an official with 500 cases waiting', () => {
  it('finds one by reference, by applicant and by a filter; claims it from the list; pages; comes back from a case to the same list', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'queue-search');
    const shot = stepShots('queue-search');
    const reviewer = await signedIn('filing-reviewer');
    await reviewer.getByRole('heading', { level: 1, name: /待办队列/ }).waitFor();
    await reviewer.locator('.summary-line').filter({ hasText: '待办 451 件' }).waitFor();
    await reviewer.locator('.summary-line').filter({ hasText: '已超期 100 件' }).waitFor();
    expect(await reviewer.title()).toContain('待办队列');
    expect(await rows(reviewer).count()).toBe(20);
    await reviewer.locator('.pager').filter({ hasText: '第 1 页，共 23 页（共 451 件）' }).waitFor();
    // The most urgent first: the queue's own order is by deadline.
    expect(await reviewer.locator('th[aria-sort="ascending"]').textContent()).toContain('期限');
    await fitsTheScreen(reviewer);
    // Dates in Chinese form and the deadline in its one inclusive wording; ISO only in datetime= (issue 15).
    expect(await reviewer.locator('#main').innerText()).not.toMatch(ISO_DATE);
    const due = rows(reviewer).first().locator('.countdown-date');
    expect(await due.innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日（含）前$/);
    expect(await due.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await shot(reviewer, 'queue-500');

    // By reference number.
    await search(reviewer, 'WD-2026-000123');
    expect(await rows(reviewer).count()).toBe(1);
    await row(reviewer, 'WD-2026-000123').filter({ hasText: '弄堂故事第123部' }).waitFor();
    await reviewer.locator('caption').filter({ hasText: '符合条件的共 1 件' }).waitFor();
    expect(await reviewer.title()).toContain('搜索“WD-2026-000123”');
    await shot(reviewer, 'found-by-reference');

    // By the applicant's name.
    await search(reviewer, '申请人321号');
    expect(await rows(reviewer).count()).toBe(1);
    await row(reviewer, 'WD-2026-000321').filter({ hasText: '申请人321号文化公司' }).waitFor();

    // By a filter: the one filing waiting to be claimed; claimed from the list.
    await reviewer.getByLabel('搜索编号、申请人或项目名称').fill('');
    await reviewer.getByLabel('认领', { exact: true }).selectOption('unclaimed');
    await reviewer.getByRole('button', { name: '应用筛选' }).click();
    await reviewer.waitForURL((url) => url.hash === '#/queue?assigned=unclaimed');
    await row(reviewer, filing.referenceNo).filter({ hasText: '石库门的光' }).waitFor();
    expect(await rows(reviewer).count()).toBe(1);
    await shot(reviewer, 'found-by-filter');
    // Claimed by a colleague a moment before: said, and the list shown again as it now is (not a stale 认领 button).
    const claimUrl = `**/api/cases/${filing.caseId}/claim`;
    await reviewer.route(claimUrl, (route) => route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: 'illegal-state', code: 'claimed-by-another', message: '本备案由 王文旅 审查中。' }) }));
    await reviewer.getByRole('button', { name: `认领 ${filing.referenceNo}` }).click();
    await reviewer.locator('.notice-ok').filter({ hasText: `${filing.referenceNo} 刚被其他人认领或已变更，列表已更新：本备案由 王文旅 审查中。` }).waitFor();
    await reviewer.unroute(claimUrl);
    // The network fails on the first try: said beside the button, with 重试 (issue 15).
    await reviewer.route(claimUrl, (route) => route.abort('internetdisconnected'));
    await reviewer.getByRole('button', { name: `认领 ${filing.referenceNo}` }).click();
    const failure = row(reviewer, filing.referenceNo).locator('.request-failure');
    await failure.getByText('网络连接失败').waitFor();
    await shot(reviewer, 'claim-failed-retry');
    await reviewer.unroute(claimUrl);
    await failure.getByRole('button', { name: '重试' }).click();
    await reviewer.locator('.notice-ok').filter({ hasText: `已认领 ${filing.referenceNo}` }).waitFor();
    await reviewer.locator('.empty').filter({ hasText: '没有符合条件的案件' }).waitFor();
    await reviewer.getByLabel('认领', { exact: true }).selectOption('mine');
    await reviewer.getByRole('button', { name: '应用筛选' }).click();
    await row(reviewer, filing.referenceNo).filter({ hasText: '陈文旅' }).waitFor();
    await shot(reviewer, 'claimed-from-the-list');
    // A search the queue cannot answer (a finished case is no longer in it) offers the same search among all the department's cases.
    expect(await reviewer.locator('[data-search-elsewhere]').count()).toBe(0);
    await reviewer.goto(`${suite.base}#/queue?q=WD-2099-000001`);
    const elsewhere = reviewer.locator('.empty [data-search-elsewhere]');
    await elsewhere.filter({ hasText: '在全部案件中查找“WD-2099-000001”' }).waitFor();
    await elsewhere.click();
    await reviewer.waitForURL((url) => url.hash === '#/cases?q=WD-2099-000001');
    await reviewer.locator('.empty').filter({ hasText: '没有符合条件的案件' }).waitFor();
    expect(await reviewer.locator('[data-search-elsewhere]').count()).toBe(0);
    await reviewer.goBack();

    // A supervisor's button on a filing a reviewer holds says 接手, asks once more, and the reviewer is told.
    const supervisor = await signedIn('filing-supervisor');
    await supervisor.goto(`${suite.base}#/queue?assigned=&q=${encodeURIComponent(filing.referenceNo)}`);
    const takeOver = supervisor.getByRole('button', { name: `接手 ${filing.referenceNo}（现由陈文旅审查）` });
    await takeOver.click();
    await row(supervisor, filing.referenceNo).getByText('陈文旅将不再审查本件，并收到通知。').waitFor();
    await shot(supervisor, 'take-over-asked');
    await supervisor.getByRole('button', { name: `确认接手 ${filing.referenceNo}` }).click();
    await supervisor.locator('.notice-ok').filter({ hasText: `已接手 ${filing.referenceNo}（原由陈文旅审查）` }).waitFor();
    await reviewer.goto(`${suite.base}#/inbox`);
    await reviewer.getByText(`您认领的`).first().waitFor();

    // Breached ones, sorted by reference, page 2 of 5.
    await reviewer.goto(`${suite.base}#/queue`);
    await reviewer.locator('.summary-line a', { hasText: '已超期 100 件' }).click();
    await reviewer.waitForURL((url) => url.hash === '#/queue?breached=true');
    await reviewer.locator('caption').filter({ hasText: '符合条件的共 100 件' }).waitFor();
    await reviewer.locator('th', { hasText: '编号' }).getByRole('link').click();
    await reviewer.locator('th[aria-sort="ascending"]', { hasText: '编号' }).waitFor();
    expect(await rows(reviewer).first().getAttribute('data-reference')).toBe('WD-2026-000005');
    await reviewer.getByRole('link', { name: '下一页' }).click();
    await reviewer.locator('.pager').filter({ hasText: '第 2 页，共 5 页（共 100 件）' }).waitFor();
    // 下一页 starts after the last case shown (after=…), so cases handled meanwhile move none past it.
    expect(hashOf(reviewer)).toMatch(/^#\/queue\?breached=true&sort=reference&order=asc&page=2&after=[A-Za-z0-9_-]+$/);
    const secondPage = hashOf(reviewer);
    expect(await rows(reviewer).first().getAttribute('data-reference')).toBe('WD-2026-000105');
    expect(await reviewer.title()).toContain('第 2 页');
    await shot(reviewer, 'breached-page-2');

    // Into a case and back: the same page of the same list.
    await reviewer.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await row(reviewer, 'WD-2026-000125').getByRole('link', { name: 'WD-2026-000125' }).click();
    await reviewer.getByRole('heading', { level: 1, name: /WD-2026-000125/ }).waitFor();
    await reviewer.goBack();
    await reviewer.locator('.pager').filter({ hasText: '第 2 页，共 5 页（共 100 件）' }).waitFor();
    expect(hashOf(reviewer)).toBe(secondPage);
    expect(await reviewer.getByLabel('期限', { exact: true }).inputValue()).toBe('true');
    await expect.poll(() => reviewer.evaluate('window.scrollY')).toBeGreaterThan(0);
    // A reload shows the same list.
    await reviewer.reload();
    await reviewer.locator('.pager').filter({ hasText: '第 2 页，共 5 页（共 100 件）' }).waitFor();
    // An address whose place belongs to another order (kept from before, or edited) shows the page by its number, not an error.
    const stale = Buffer.from(JSON.stringify(['submitted-desc', '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    await reviewer.goto(`${suite.base}#/queue?breached=true&sort=reference&order=asc&page=3&after=${stale}`);
    await reviewer.locator('.pager').filter({ hasText: '第 3 页，共 5 页（共 100 件）' }).waitFor();
    expect(await rows(reviewer).first().getAttribute('data-reference')).toBe('WD-2026-000205');
    expect(await reviewer.locator('main').innerText()).not.toContain('无法打开');
  }, 240_000);

  it('pages to the first and last page and by 20, 50 or 100; sorts by 金额; no column repeats the own department; folds the filters on a phone', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'queue-paging');
    const shot = stepShots('queue-paging');
    const reviewer = await signedIn('filing-reviewer');
    await reviewer.locator('.pager').filter({ hasText: '第 1 页，共 23 页（共 451 件）' }).waitFor();
    const pagerOf = (page: Page) => page.locator('nav.pager');
    // On the first page 首页 and 上一页 are there but lead nowhere.
    for (const name of ['首页', '上一页']) expect(await pagerOf(reviewer).locator('[aria-disabled="true"]', { hasText: name }).count()).toBe(1);
    // Everything here waits for 市文旅局: no column says so on every row; the search example names its references.
    expect(await reviewer.locator('table.cases thead th', { hasText: '下一步办理' }).count()).toBe(0);
    expect(await reviewer.locator('table.cases [data-label="下一步办理"]').count()).toBe(0);
    const placeholder = await reviewer.getByLabel('搜索编号、申请人或项目名称').getAttribute('placeholder');
    const year = shanghaiDateOf(new Date()).slice(0, 4);
    expect(placeholder).toBe(`例如 WD-${year}-…、BA-${year}-… 或申请人、项目名称`);
    // On a laptop the filters are open.
    expect(await reviewer.locator('details.filter-panel').getAttribute('open')).not.toBeNull();
    await reviewer.locator('details.filter-panel summary', { hasText: '筛选（已选 0 项）' }).waitFor();

    // 末页 and 首页 keep the filter and the order.
    await reviewer.goto(`${suite.base}#/queue?breached=true&sort=reference&order=asc`);
    await reviewer.locator('details.filter-panel summary', { hasText: '筛选（已选 1 项）' }).waitFor();
    await pagerOf(reviewer).getByRole('link', { name: '末页' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 5 页，共 5 页（共 100 件）' }).waitFor();
    expect(hashOf(reviewer)).toBe('#/queue?breached=true&sort=reference&order=asc&page=5');
    expect(await rows(reviewer).last().getAttribute('data-reference')).toBe('WD-2026-000500');
    for (const name of ['下一页', '末页']) expect(await pagerOf(reviewer).locator('[aria-disabled="true"]', { hasText: name }).count()).toBe(1);
    await pagerOf(reviewer).getByRole('link', { name: '首页' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 1 页，共 5 页（共 100 件）' }).waitFor();
    expect(hashOf(reviewer)).toBe('#/queue?breached=true&sort=reference&order=asc');
    // A page typed in, with the filter and the order; one past the end goes to the last page.
    await pagerOf(reviewer).getByLabel('页码（1–5）').fill('3');
    await pagerOf(reviewer).getByRole('button', { name: '跳转' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 3 页，共 5 页（共 100 件）' }).waitFor();
    expect(hashOf(reviewer)).toBe('#/queue?breached=true&sort=reference&order=asc&page=3');
    await pagerOf(reviewer).getByLabel('页码（1–5）').fill('40');
    await pagerOf(reviewer).getByLabel('页码（1–5）').press('Enter');
    await pagerOf(reviewer).filter({ hasText: '第 5 页，共 5 页（共 100 件）' }).waitFor();
    await pagerOf(reviewer).getByRole('link', { name: '首页' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 1 页，共 5 页（共 100 件）' }).waitFor();

    // 50 a page, kept in the address, by the pager's links and by a new filter.
    await pagerOf(reviewer).getByRole('link', { name: '每页 50 件' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 1 页，共 2 页（共 100 件）' }).waitFor();
    expect(hashOf(reviewer)).toBe('#/queue?breached=true&sort=reference&order=asc&pageSize=50');
    expect(await rows(reviewer).count()).toBe(50);
    expect(await pagerOf(reviewer).locator('.pager-size[aria-current]').textContent()).toBe('50');
    await pagerOf(reviewer).getByRole('link', { name: '下一页' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 2 页，共 2 页（共 100 件）' }).waitFor();
    expect(hashOf(reviewer)).toMatch(/^#\/queue\?breached=true&sort=reference&order=asc&page=2&pageSize=50&after=[A-Za-z0-9_-]+$/);
    await reviewer.getByLabel('期限', { exact: true }).selectOption('');
    await reviewer.getByRole('button', { name: '应用筛选' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 1 页，共 10 页（共 451 件）' }).waitFor();
    expect(hashOf(reviewer)).toBe('#/queue?sort=reference&order=asc&pageSize=50');
    await fitsTheScreen(reviewer);
    await shot(reviewer, 'fifty-a-page');

    // 金额: largest first, then smallest first; the same amounts in a stable order across pages.
    await reviewer.goto(`${suite.base}#/queue`);
    await reviewer.locator('th', { hasText: '金额' }).getByRole('link').click();
    await reviewer.locator('th[aria-sort="descending"]', { hasText: '金额' }).waitFor();
    expect(hashOf(reviewer)).toBe('#/queue?sort=amount&order=desc');
    const amounts = async () => (await reviewer.locator('table.cases tbody td[data-label="金额"]').allInnerTexts()).map((t) => Number(t.replace(/[^\d.]/g, '') || 0));
    const firstPage = await amounts();
    expect(firstPage[0]).toBe(120_000);
    expect(firstPage).toEqual([...firstPage].sort((a, b) => b - a));
    const firstRefs = await rows(reviewer).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-reference')));
    await pagerOf(reviewer).getByRole('link', { name: '下一页' }).click();
    await pagerOf(reviewer).filter({ hasText: '第 2 页' }).waitFor();
    const secondRefs = await rows(reviewer).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-reference')));
    expect(secondRefs.filter((r) => firstRefs.includes(r))).toEqual([]);
    expect((await amounts())[0]).toBeLessThanOrEqual(firstPage.at(-1)!);
    await reviewer.locator('th', { hasText: '金额' }).getByRole('link').click();
    await reviewer.locator('th[aria-sort="ascending"]', { hasText: '金额' }).waitFor();
    expect(hashOf(reviewer)).toBe('#/queue?sort=amount&order=asc');
    await shot(reviewer, 'by-amount');

    // On the phone: the filters folded, the first case on the first screen, the pager's steps within the screen.
    const phone = await signedIn('filing-reviewer', { phone: true });
    await phone.locator('.pager').filter({ hasText: '第 1 页，共 23 页（共 451 件）' }).waitFor();
    expect(await phone.locator('details.filter-panel').getAttribute('open')).toBeNull();
    const firstCard = await rows(phone).first().boundingBox();
    expect(firstCard!.y).toBeLessThan(phone.viewportSize()!.height - 100);
    await fitsTheScreen(phone);
    await shot(phone, 'phone-top');
    await phone.locator('details.filter-panel summary').click();
    await phone.getByLabel('认领', { exact: true }).waitFor();
    await phone.locator('nav.pager').scrollIntoViewIfNeeded();
    await fitsTheScreen(phone);
    await shot(phone, 'phone-pager', phone.locator('nav.pager'));
  }, 240_000);

  it('wraps a 200-character company name instead of widening the table, on a laptop and a phone', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'queue-long-name');
    const shot = stepShots('queue-long-name');
    const reviewer = await signedIn('filing-reviewer');
    await reviewer.goto(`${suite.base}#/queue?q=${encodeURIComponent('abcdefghi9')}`);
    await row(reviewer, 'WD-2026-000250').waitFor();
    await fitsTheScreen(reviewer);
    await shot(reviewer, 'laptop');
    const phone = await signedIn('filing-reviewer', { phone: true });
    await phone.goto(`${suite.base}#/queue?q=${encodeURIComponent('abcdefghi9')}`);
    await row(phone, 'WD-2026-000250').waitFor();
    await fitsTheScreen(phone);
    await shot(phone, 'phone');
  }, 120_000);
});

describe("the applicant's 我的办件 on a 390 px phone", () => {
  it('shows each case as a card with its drama name, filters by step and pages', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'my-cases-phone');
    const shot = stepShots('my-cases-phone');
    const phone = await signedIn('creator', { phone: true });
    await phone.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();
    expect(await phone.title()).toContain('我的办件');
    await phone.locator('.pager').filter({ hasText: '共 251 件' }).waitFor();
    expect(await rows(phone).count()).toBe(20);
    // Cards, not a table row wider than the screen: the header row is hidden and each row is a block.
    expect(await phone.evaluate("getComputedStyle(document.querySelector('table.cases tbody tr')).display")).toBe('block');
    await fitsTheScreen(phone);
    // The header is two rows, not four (190 px of an 844 px screen): the brand with who is signed in, and the menu in one row that scrolls sideways.
    const header = phone.locator('#site-header');
    expect((await header.boundingBox())!.height).toBeLessThan(110);
    await header.getByRole('button', { name: '退出' }).waitFor();
    const menu = header.getByRole('navigation', { name: '主导航' });
    type Scrolling = { scrollWidth: number; clientWidth: number };
    expect(await menu.evaluate((nav) => (nav as unknown as Scrolling).scrollWidth > (nav as unknown as Scrolling).clientWidth)).toBe(true);
    await shot(phone, 'first-page');
    await shot(phone, 'first-card', rows(phone).first());
    // The last entry is reached by scrolling the menu row, and the entry of the page on screen is scrolled into it.
    await menu.getByRole('link', { name: '政策目录与资格自查' }).click();
    await phone.getByRole('heading', { level: 1, name: /政策目录/ }).waitFor();
    const current = menu.locator('a[aria-current="page"]');
    const [menuBox, currentBox] = [(await menu.boundingBox())!, (await current.boundingBox())!];
    expect(currentBox.x).toBeGreaterThanOrEqual(menuBox.x);
    expect(currentBox.x + currentBox.width).toBeLessThanOrEqual(menuBox.x + menuBox.width + 1);
    await fitsTheScreen(phone);
    await shot(phone, 'menu-scrolled', header);
    await phone.goBack();
    await phone.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();

    await phone.locator('.summary-line').filter({ hasText: '等您办理 50 件' }).waitFor();
    // The filters are folded on the phone: the first case is on the first screen, under the search box.
    const panel = phone.locator('details.filter-panel');
    expect(await panel.getAttribute('open')).toBeNull();
    await panel.locator('summary', { hasText: '筛选（已选 0 项）' }).waitFor();
    const firstCard = await rows(phone).first().boundingBox();
    expect(firstCard!.y).toBeLessThan(phone.viewportSize()!.height - 100);
    // The example in the search box is of what its label names.
    const placeholder = await phone.getByLabel('搜索申请编号或项目、剧目名称').getAttribute('placeholder');
    expect(placeholder).toMatch(/^例如 WD-\d{4}-….* 或项目、剧目名称$/);
    expect(placeholder).not.toContain('企业');
    // Here the applicant's cases wait for different people: 下一步办理 stays.
    await rows(phone).first().locator('[data-label="下一步办理"]').waitFor();
    await panel.locator('summary').click();
    await phone.getByLabel('办理环节').selectOption('returned');
    await phone.getByRole('button', { name: '应用筛选' }).click();
    await phone.locator('.pager').filter({ hasText: '第 1 页，共 3 页（共 50 件）' }).waitFor();
    expect(await rows(phone).filter({ hasText: '退回修改' }).count()).toBe(20);
    await phone.getByRole('link', { name: '下一页' }).click();
    await phone.locator('.pager').filter({ hasText: '第 2 页，共 3 页（共 50 件）' }).waitFor();
    expect(hashOf(phone)).toMatch(/^#\/cases\?status=returned&page=2&after=[A-Za-z0-9_-]+$/);
    await phone.locator('details.filter-panel:not([open]) summary', { hasText: '筛选（已选 1 项）' }).waitFor();
    await shot(phone, 'returned-page-2');
    // The project or drama name finds the case.
    await phone.goto(`${suite.base}#/cases?q=${encodeURIComponent('石库门')}`);
    await row(phone, filing.referenceNo).filter({ hasText: '石库门的光' }).waitFor();
    await phone.goto(`${suite.base}#/cases?q=${encodeURIComponent('abcdefghi9')}`);
    await row(phone, 'WD-2026-000250').waitFor();
    await fitsTheScreen(phone);
    await shot(phone, 'long-name-card');
    // Another applicant's case is not found.
    await phone.goto(`${suite.base}#/cases?q=WD-2026-000251`);
    await phone.locator('.empty').filter({ hasText: '没有符合条件的案件' }).waitFor();
  }, 120_000);

  it('等您办理 lists only what waits for the applicant, nearest deadline first, and 全部办件 goes back', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'my-cases-waiting');
    const shot = stepShots('my-cases-waiting');
    const phone = await signedIn('creator', { phone: true });
    const scope = phone.getByRole('navigation', { name: '办件范围' });
    await scope.getByRole('link', { name: '等您办理 50 件' }).click();
    await phone.locator('.pager').filter({ hasText: '（共 50 件）' }).waitFor();
    expect(hashOf(phone)).toBe('#/cases?waiting=me');
    expect(await scope.getByRole('link', { name: '等您办理 50 件' }).getAttribute('aria-current')).toBe('page');
    expect(await phone.title()).toContain('等您办理');
    // Each of them is the applicant's move (the seeded ones are returned for revision).
    expect(await rows(phone).count()).toBe(20);
    expect(await rows(phone).filter({ hasText: '退回修改' }).count()).toBe(20);
    // Whose move: 您, not 申请人 — the applicant reads their own list.
    expect(await rows(phone).first().locator('[data-label="下一步办理"]').innerText()).toBe('您');
    await phone.locator('caption, .caption').filter({ hasText: '等您办理的' }).first().waitFor();
    await fitsTheScreen(phone);
    await shot(phone, 'waiting-for-me');
    // Paging and searching stay within it.
    await phone.getByRole('link', { name: '下一页' }).click();
    await phone.locator('.pager').filter({ hasText: '第 2 页，共 3 页（共 50 件）' }).waitFor();
    expect(hashOf(phone)).toMatch(/^#\/cases\?waiting=me&page=2&after=[A-Za-z0-9_-]+$/);
    await scope.getByRole('link', { name: '全部办件' }).click();
    await phone.locator('.pager').filter({ hasText: '共 251 件' }).waitFor();
    expect(hashOf(phone)).toBe('#/cases');
  }, 120_000);
});
