import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { repayingLoan, validApplication } from '../support/api-harness.js';
import { addDays, shanghaiDateOf } from '../../domain/time/local-date.js';
import { dramaSubmission } from '../support/filings.js';
import { browserSuite, checkPage, fitsTheScreen, RESULTS_DIR, screenshotOnFailure } from './browser.js';

/**
 * The case page in a real browser: the 雏鹰 repayment schedule read on a 390 px phone and on a
 * laptop, and a decision that cannot be taken back asked about, inline, before it is sent.
 */
const suite = browserSuite();
const { signedIn } = suite;

/** A screenshot of the page as it is, kept under test-results/web/case-page/. */
async function snap(page: Page, name: string, element?: Locator): Promise<void> {
  await mkdir(`${RESULTS_DIR}case-page`, { recursive: true });
  const path = `${RESULTS_DIR}case-page/${name}.png`;
  if (element) await element.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

/** The little of the browser's window these checks read (the tests compile without the DOM's types). */
interface BrowserWindow {
  document: { activeElement: unknown };
  getComputedStyle(element: unknown, pseudo?: string): { content: string; display: string };
}

/** The box of an element, relative to the window. */
async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not shown');
  return box;
}

describe('the repayment schedule (还款计划)', () => {
  it('on a 390 px phone each instalment is a card with its number, due date, amount, paid and status; on a laptop it stays a table', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-schedule');
    const caseId = await repayingLoan(suite.harness);

    const phone = await signedIn('creator', { phone: true });
    await phone.goto(`${suite.base}#/cases/${caseId}`);
    const schedule = phone.locator('section[aria-labelledby="schedule-h"]');
    await schedule.locator('tr[data-instalment="1"]').filter({ hasText: '已还清' }).waitFor();
    await snap(phone, 'phone-page');
    await schedule.scrollIntoViewIfNeeded();
    await snap(phone, 'phone-schedule', schedule);
    const laptop = await signedIn('creator');
    await laptop.goto(`${suite.base}#/cases/${caseId}`);
    const table = laptop.locator('table.schedule');
    await table.locator('tr[data-instalment="1"]').filter({ hasText: '已还清' }).waitFor();
    await snap(laptop, 'laptop-page');
    await laptop.locator('section[aria-labelledby="schedule-h"]').scrollIntoViewIfNeeded();
    await snap(laptop, 'laptop-schedule', laptop.locator('section[aria-labelledby="schedule-h"]'));
    await fitsTheScreen(phone);
    // The caption kept for screen readers takes no room: it once made the page 418 px wide.
    const caption = await boxOf(schedule.locator('caption'));
    expect(caption.x + caption.width, 'the hidden caption reaches past the 390 px window').toBeLessThanOrEqual(390);

    // Every instalment's five facts inside the 390 px window, each with its name beside it; 第 N 期 on one line.
    const labels = ['期数', '应还日期', '应还金额', '已还', '状态'];
    for (const n of [1, 2, 36]) {
      const row = schedule.locator(`tr[data-instalment="${n}"]`);
      await row.scrollIntoViewIfNeeded();
      const cells = row.locator('th, td');
      expect(await cells.count()).toBe(5);
      for (let i = 0; i < 5; i++) {
        const cell = cells.nth(i);
        expect(await cell.getAttribute('data-label')).toBe(labels[i]);
        expect(await cell.evaluate((e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e, '::before').content)).toBe(`"${labels[i]}"`);
        const box = await boxOf(cell);
        expect(box.x, `${labels[i]} of instalment ${n} starts off the screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${labels[i]} of instalment ${n} ends off the screen`).toBeLessThanOrEqual(390);
        expect(await cell.isVisible()).toBe(true);
      }
      // One line: the cell is no taller than the line of text it holds.
      expect((await boxOf(cells.first())).height).toBeLessThan(40);
      expect(await cells.first().innerText()).toBe(`第 ${n} 期`);
    }
    // Nothing in the schedule scrolls sideways, nor inside the page: the 36 cards flow with it (they sat in a 512 px box).
    const region = schedule.getByRole('region', { name: '36 期还款计划' });
    const sizes = await region.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, scrollHeight: e.scrollHeight, clientHeight: e.clientHeight }));
    expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.clientWidth);
    expect(sizes.scrollHeight).toBeLessThanOrEqual(sizes.clientHeight);
    // The way back is a target a thumb can hit: at least 24 px high.
    expect((await boxOf(phone.locator('.breadcrumb a'))).height).toBeGreaterThanOrEqual(24);
    await checkPage(phone);

    // On a laptop: the table with its header row, one instalment a row.
    expect(await table.evaluate((e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e).display)).toBe('table');
    expect(await table.locator('thead th').allInnerTexts()).toEqual(labels);
    expect(await table.locator('thead').isVisible()).toBe(true);
    const first = await boxOf(table.locator('tr[data-instalment="1"] th'));
    const status = await boxOf(table.locator('tr[data-instalment="1"] td').last());
    expect(Math.abs(first.y - status.y)).toBeLessThan(2);
    await checkPage(laptop);
  }, 180_000);
});

describe('the borrower reports a repayment (报告已还款)', () => {
  it('on a 390 px phone: what is due next, the form with each refusal at its field, then the report 待基金核对; the fund records it from its prefilled form and it shows 已核对入账', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-declare-repayment');
    const caseId = await repayingLoan(suite.harness);
    const today = shanghaiDateOf(await suite.harness.env.currentTimeMs());
    const reference = `ICBC-${caseId.slice(0, 8)}`;

    const phone = await signedIn('creator', { phone: true });
    await phone.goto(`${suite.base}#/cases/${caseId}`);
    const box = phone.locator('[data-action="declare-repayment"]');
    await box.getByRole('button', { name: '提交还款报告' }).waitFor();
    // What is due next, in plain words: who, how much, and the instalment's day in the form's line.
    expect(await phone.locator('section.progress').innerText()).toContain('第 2 期还款 10,000.00 元');
    expect(await box.locator('.explain').innerText()).toMatch(/下一期：第 2 期 10,000\.00 元，应还日 \d{4}年\d{1,2}月\d{1,2}日/);
    expect(await box.getByLabel('还款金额（元）').inputValue()).toBe('10000.00');

    // Too much and a day not yet come: both told at once, each at its own field.
    await box.getByLabel('还款金额（元）').fill('400000');
    await box.getByLabel('还款日期').fill(addDays(today, 1));
    await box.getByLabel('银行流水号（转账凭证号）').fill(reference);
    await box.getByRole('button', { name: '提交还款报告' }).click();
    const amountError = box.locator('[data-field="amountFen"] .field-error');
    await amountError.waitFor();
    expect(await amountError.innerText()).toContain('不能超过尚欠的 350,000.00元');
    expect(await box.locator('[data-field="paidOn"] .field-error').innerText()).toContain('（今天）之间');
    await snap(phone, 'declare-refused', box);
    await checkPage(phone);

    await box.getByLabel('还款金额（元）').fill('10000');
    await box.getByLabel('还款日期').fill(today);
    await box.getByLabel('备注（可选）').fill('第 2 期');
    await box.getByRole('button', { name: '提交还款报告' }).click();
    await phone.locator('.notice-ok').filter({ hasText: '已报告还款' }).waitFor();
    const mine = phone.locator('section[aria-labelledby="declarations-h"]');
    await mine.locator(`tr[data-declaration="${reference}"]`).filter({ hasText: '待基金核对' }).waitFor();
    expect(await mine.locator('h2').innerText()).toBe('我的还款报告');
    // Nothing settled by the report: instalment 2 is still open.
    expect(await phone.locator('tr[data-instalment="2"]').innerText()).toContain('待还');
    // The fund's move now, and the date beside it is still the borrower's next instalment, called so (it had read as the fund's 期限).
    const progressTerms = await phone.locator('section.progress dt').allInnerTexts();
    expect(progressTerms).toContain('下一期应还日');
    expect(progressTerms).not.toContain('期限');
    await mine.scrollIntoViewIfNeeded();
    await snap(phone, 'declared', mine);
    await checkPage(phone);

    // The fund: the report to check, above its actions, and the record-repayment form filled from it.
    const official = await signedIn('fund-reviewer');
    await official.goto(`${suite.base}#/cases/${caseId}`);
    const toCheck = official.locator('section[aria-labelledby="declarations-h"]');
    await toCheck.locator(`tr[data-declaration="${reference}"]`).waitFor();
    expect(await toCheck.locator('h2').innerText()).toBe('还款申报（1 笔待核对）');
    const record = official.locator('[data-action="record-repayment"]');
    expect(await record.getByLabel('还款凭证号').inputValue()).toBe(reference);
    expect(await record.getByLabel('还款金额（元）').inputValue()).toBe('10000.00');
    expect(await record.getByLabel('还款日期').inputValue()).toBe(today);
    await checkPage(official);
    await record.getByRole('button', { name: '登记还款' }).click();
    await record.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await official.locator('.notice-ok').filter({ hasText: '已登记还款' }).waitFor();

    await phone.reload();
    await mine.locator(`tr[data-declaration="${reference}"]`).filter({ hasText: '已核对入账' }).waitFor();
    expect(await phone.locator('tr[data-instalment="2"]').innerText()).toContain('已还清');
    await checkPage(phone);
  }, 180_000);
});

describe('the borrower withdraws a report with a mistake (撤回还款申报)', () => {
  it('on a 390 px phone: the report waiting is filled in, withdrawn, shown 已撤回; the fund no longer has it to check', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-withdraw-declaration');
    const caseId = await repayingLoan(suite.harness);
    const today = shanghaiDateOf(await suite.harness.env.currentTimeMs());
    const reference = `CCB-${caseId.slice(0, 8)}`;
    const creator = await suite.harness.as('creator');
    // Ten times too much: the kind of mistake a borrower makes and wants to take back.
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 10_000_000, paidOn: today, reference, note: '' })).statusCode).toBe(200);

    const phone = await signedIn('creator', { phone: true });
    await phone.goto(`${suite.base}#/cases/${caseId}`);
    const box = phone.locator('[data-action="withdraw-repayment-declaration"]');
    await box.getByRole('button', { name: '撤回该申报' }).waitFor();
    expect(await box.getByLabel('要撤回的申报的银行流水号').inputValue()).toBe(reference);
    expect(await box.locator('.explain').innerText()).toContain(`${reference}（`);
    await box.getByLabel('撤回原因（可选）').fill('金额多填了一个 0');
    await box.getByRole('button', { name: '撤回该申报' }).click();
    await phone.locator('.notice-ok').filter({ hasText: '还款申报已撤回' }).waitFor();
    const mine = phone.locator('section[aria-labelledby="declarations-h"]');
    const row = mine.locator(`tr[data-declaration="${reference}"]`);
    await row.filter({ hasText: '已撤回' }).waitFor();
    expect(await row.innerText()).toContain('金额多填了一个 0');
    // Nothing left to withdraw: the action says why, and 报告已还款 is there to report it again.
    expect(await phone.locator('[data-action="withdraw-repayment-declaration"] .constraint').innerText()).toContain('您没有待基金核对的还款申报');
    await phone.locator('[data-action="declare-repayment"]').getByRole('button', { name: '提交还款报告' }).waitFor();
    await mine.scrollIntoViewIfNeeded();
    await snap(phone, 'declaration-withdrawn', mine);
    await checkPage(phone);

    const official = await signedIn('fund-reviewer');
    await official.goto(`${suite.base}#/cases/${caseId}`);
    const seen = official.locator('section[aria-labelledby="declarations-h"]');
    await seen.locator(`tr[data-declaration="${reference}"]`).filter({ hasText: '借款人已撤回' }).waitFor();
    expect(await seen.locator('h2').innerText()).toBe('还款申报');
    expect(await seen.getAttribute('data-declarations-pending')).toBe('0');
    expect(await official.locator('[data-action="record-repayment"]').getByLabel('还款凭证号').inputValue()).toBe('');
    await checkPage(official);
  }, 180_000);
});

describe('a report the fund never recorded before the loan was settled', () => {
  it('reads 未入账（借款已办结）, not 待基金核对, with whom to ask for the money back; the fund reads it as 未入账 to refund', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-unrecorded-at-end');
    const caseId = await repayingLoan(suite.harness);
    const today = shanghaiDateOf(await suite.harness.env.currentTimeMs());
    const reported = `ABC-${caseId.slice(0, 8)}`;
    const creator = await suite.harness.as('creator');
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 1_000_000, paidOn: today, reference: reported, note: '' })).statusCode).toBe(200);
    // The fund records the whole of what is owed under another transfer: the loan is settled, the report never recorded.
    const fund = await suite.harness.as('fund-reviewer');
    const owed = (await fund('GET', `/api/cases/${caseId}`)).json<{ outstandingFen: number }>().outstandingFen;
    const settled = await fund('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: owed, paidOn: today, reference: `ALL-${caseId.slice(0, 8)}` });
    expect(settled.statusCode, settled.body).toBe(200);

    const phone = await signedIn('creator', { phone: true });
    await phone.goto(`${suite.base}#/cases/${caseId}`);
    const mine = phone.locator('section[aria-labelledby="declarations-h"]');
    await mine.locator(`tr[data-declaration="${reported}"]`).filter({ hasText: '未入账（借款已办结）' }).waitFor();
    expect(await mine.innerText()).not.toContain('待基金核对');
    expect(await mine.locator('p.muted').innerText()).toBe('借款已办结，基金未登记这笔报告：如您确已转账，请联系杨浦区 V聚场基金核对并办理退款。');
    await mine.scrollIntoViewIfNeeded();
    await snap(phone, 'declaration-unrecorded-at-end', mine);
    await checkPage(phone);

    const official = await signedIn('fund-reviewer');
    await official.goto(`${suite.base}#/cases/${caseId}`);
    const seen = official.locator('section[aria-labelledby="declarations-h"]');
    await seen.locator(`tr[data-declaration="${reported}"]`).filter({ hasText: '未入账（借款已办结）' }).waitFor();
    expect(await seen.locator('h2').innerText()).toBe('还款申报（1 笔未入账）');
    expect(await seen.locator('p.muted').innerText()).toContain('如借款人确已转账，请与银行到账核对后办理退款');
    await checkPage(official);
  }, 180_000);
});

describe('a reported repayment in the fund’s queue (待核对还款申报)', () => {
  it('on a 390 px phone the fund’s queue lists the loan as 还款中，待核对还款申报 with its instalment’s day in days; recorded, it leaves the queue', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-queue-declaration');
    const caseId = await repayingLoan(suite.harness);
    const today = shanghaiDateOf(await suite.harness.env.currentTimeMs());
    const reference = `ABC-${caseId.slice(0, 8)}`;
    const creator = await suite.harness.as('creator');
    const created = await creator('GET', `/api/cases/${caseId}`);
    const referenceNo = created.json<{ referenceNo: string }>().referenceNo;
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 1_000_000, paidOn: today, reference, note: '' })).statusCode).toBe(200);

    const official = await signedIn('fund-reviewer', { phone: true });
    await official.goto(`${suite.base}#/queue?q=${encodeURIComponent(referenceNo)}`);
    const row = official.locator(`tr[data-case="${caseId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-label="当前环节"]').innerText()).toBe('还款中，待核对还款申报');
    // The loan's own deadline: the instalment's day, counted in days (剩余 … 天), not in working days.
    expect(await row.locator('[data-label="期限"]').innerText()).toMatch(/剩余 \d+ 天|今日到期/);
    await snap(official, 'queue-declaration', row);
    await checkPage(official);

    const reviewer = await suite.harness.as('fund-reviewer');
    expect((await reviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 1_000_000, paidOn: today, reference })).statusCode).toBe(200);
    await official.reload();
    await official.locator('#main:not([aria-busy])').waitFor({ state: 'attached' });
    await official.getByText('队列已清空').or(official.locator('.empty')).first().waitFor();
    expect(await row.count()).toBe(0);
  }, 180_000);
});

describe('the fund returns a report it finds no transfer for (退回还款申报)', () => {
  it('the fund returns the report waiting with its reason; the borrower on a phone sees it 基金已退回 with why, and one recorded for another amount says so', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-reject-declaration');
    const caseId = await repayingLoan(suite.harness);
    const today = shanghaiDateOf(await suite.harness.env.currentTimeMs());
    const missing = `ABC-${caseId.slice(0, 8)}`;
    const short = `BOC-${caseId.slice(0, 8)}`;
    const creator = await suite.harness.as('creator');
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 1_000_000, paidOn: today, reference: missing, note: '' })).statusCode).toBe(200);
    expect((await creator('POST', `/api/cases/${caseId}/declare-repayment`, { amountFen: 1_000_000, paidOn: today, reference: short, note: '' })).statusCode).toBe(200);
    // The second transfer arrived short: the fund records what reached its account.
    const fund = await suite.harness.as('fund-reviewer');
    expect((await fund('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 900_000, paidOn: today, reference: short })).statusCode).toBe(200);

    const official = await signedIn('fund-reviewer');
    await official.goto(`${suite.base}#/cases/${caseId}`);
    const box = official.locator('[data-action="reject-repayment-declaration"]');
    await box.getByRole('button', { name: '退回该申报' }).waitFor();
    expect(await box.getByLabel('要退回的申报的银行流水号').inputValue()).toBe(missing);
    await box.getByLabel('退回理由').fill('截至今日未查到该笔到账');
    await box.getByRole('button', { name: '退回该申报' }).click();
    await official.locator('.notice-ok').filter({ hasText: '已退回该还款申报' }).waitFor();
    const seen = official.locator('section[aria-labelledby="declarations-h"]');
    await seen.locator(`tr[data-declaration="${missing}"]`).filter({ hasText: '已退回' }).waitFor();
    expect(await seen.getAttribute('data-declarations-pending')).toBe('0');
    expect(await official.locator('[data-action="reject-repayment-declaration"] .constraint').innerText()).toContain('本案没有待核对的还款申报');
    await checkPage(official);

    const phone = await signedIn('creator', { phone: true });
    await phone.goto(`${suite.base}#/cases/${caseId}`);
    const mine = phone.locator('section[aria-labelledby="declarations-h"]');
    const returned = mine.locator(`tr[data-declaration="${missing}"]`);
    await returned.filter({ hasText: '基金已退回' }).waitFor();
    expect(await returned.innerText()).toContain('截至今日未查到该笔到账');
    expect(await mine.locator(`tr[data-declaration="${short}"]`).innerText()).toContain('已入账，与报告不符');
    expect(await phone.locator('[data-action="reject-repayment-declaration"]').count()).toBe(0);
    await mine.scrollIntoViewIfNeeded();
    await snap(phone, 'declaration-returned', mine);
    await checkPage(phone);
  }, 180_000);
});

describe('the fund cancels an approval before the disbursement (撤销资助决定)', () => {
  it('asks first, then records it: the case reads 已撤销资助, with the reasons in its timeline', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-cancel-funding');
    const [creator, reviewer, cac, approver] = await Promise.all(['creator', 'fund-reviewer', 'cac-reviewer', 'fund-approver'].map((u) => suite.harness.as(u)));
    const opened = await creator!('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId } = opened.json<{ caseId: string }>();
    for (const [caller, action, body] of [
      [reviewer, 'accept-materials', {}],
      [cac, 'pass-compliance-review', {}],
      [approver, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减至 36 万元' }],
    ] as const) {
      expect((await caller!('POST', `/api/cases/${caseId}/${action}`, body)).statusCode).toBe(200);
    }
    const page = await signedIn('fund-approver');
    await page.goto(`${suite.base}#/cases/${caseId}`);
    const box = page.locator('[data-action="cancel-funding"]');
    await box.getByLabel('撤销理由').fill('企业已迁出杨浦区，不再符合申请条件');
    expect(await box.locator('.explain').innerText()).toContain('360,000.00 元退回资金池');
    await box.getByRole('button', { name: '撤销资助决定' }).click();
    await box.getByRole('group', { name: /撤销资助决定/ }).getByRole('button', { name: '确认', exact: true }).click();
    await page.locator('.notice-ok').filter({ hasText: '已撤销资助决定' }).waitFor();
    await page.getByText('已撤销资助').first().waitFor();
    expect(await page.locator('body').innerText()).toContain('企业已迁出杨浦区，不再符合申请条件');
    await snap(page, 'funding-cancelled');
    await checkPage(page);
  }, 180_000);
});

describe('a decision that cannot be taken back (不予备案)', () => {
  it('asks first, inline: nothing is sent until 确认; 取消 and Esc send nothing; 确认 sends it once', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-confirm');
    const creatorApi = await suite.harness.as('creator');
    const filed = await creatorApi('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '确认之前' }));
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId } = filed.json<{ caseId: string }>();
    const statusOf = async () => (await creatorApi('GET', `/api/cases/${caseId}`)).json<{ status: string }>().status;

    const reviewer = await signedIn('filing-reviewer');
    const sent: string[] = [];
    reviewer.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes(`/api/cases/${caseId}/`)) sent.push(new URL(request.url()).pathname.split('/').pop()!);
    });
    await reviewer.goto(`${suite.base}#/cases/${caseId}`);

    // Claiming decides nothing: sent at the first click.
    await reviewer.locator('[data-action="claim"]').getByRole('button', { name: '认领' }).click();
    await reviewer.locator('.notice-ok').filter({ hasText: '已认领' }).waitFor();
    expect(sent).toEqual(['claim']);

    const box = reviewer.locator('[data-action="reject"]');
    await box.getByLabel('不予备案的理由').fill('剧情涉及不宜传播的内容');
    const submit = box.getByRole('button', { name: '不予备案' });
    await submit.click();
    // The question, in the form: what will happen and that it cannot be undone; focus is on it.
    const question = box.getByRole('group', { name: /不予备案/ });
    await question.waitFor();
    expect(await question.innerText()).toContain('不能撤销');
    expect(await question.evaluate((e) => e.contains((globalThis as unknown as BrowserWindow).document.activeElement))).toBe(true);
    expect(await submit.isVisible()).toBe(false);
    await snap(reviewer, 'confirm-asked', box);
    await checkPage(reviewer);
    expect(sent).toEqual(['claim']);

    // 取消: nothing sent, the question gone, focus back on the button, the reason still typed.
    await question.getByRole('button', { name: '取消', exact: true }).click();
    expect(await question.count()).toBe(0);
    expect(await submit.evaluate((e) => e === (globalThis as unknown as BrowserWindow).document.activeElement)).toBe(true);
    expect(await box.getByLabel('不予备案的理由').inputValue()).toBe('剧情涉及不宜传播的内容');

    // By keyboard: Enter on the button asks; Esc takes the question back.
    await submit.press('Enter');
    await question.waitFor();
    expect(await question.evaluate((e) => e.contains((globalThis as unknown as BrowserWindow).document.activeElement))).toBe(true);
    await reviewer.keyboard.press('Escape');
    expect(await question.count()).toBe(0);
    expect(await submit.evaluate((e) => e === (globalThis as unknown as BrowserWindow).document.activeElement)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toEqual(['claim']);
    expect(await statusOf()).toBe('in-review');

    // 确认: sent once, and done.
    await submit.click();
    await question.getByRole('button', { name: '确认', exact: true }).click();
    await reviewer.locator('.notice-ok').filter({ hasText: '已记录不予备案及理由' }).waitFor();
    expect(sent).toEqual(['claim', 'reject']);
    expect(await statusOf()).toBe('rejected');
    await snap(reviewer, 'confirmed');
  }, 120_000);
});

describe('the case changed in another window while the page was open', () => {
  it('the refusal says who changed it and when, without version numbers, and 刷新 shows the case as it now is', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-stale');
    const creatorApi = await suite.harness.as('creator');
    const filed = await creatorApi('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '两个窗口' }));
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId } = filed.json<{ caseId: string }>();
    const reviewerApi = await suite.harness.as('filing-reviewer');
    expect((await reviewerApi('POST', `/api/cases/${caseId}/claim`, {})).statusCode).toBe(200);

    const reviewer = await signedIn('filing-reviewer');
    await reviewer.goto(`${suite.base}#/cases/${caseId}`);
    const approve = reviewer.locator('[data-action="approve"]');
    await approve.getByRole('button', { name: '通过' }).waitFor();

    // In another window, the same case is returned for revision.
    const returned = await reviewerApi('POST', `/api/cases/${caseId}/return-for-revision`, { reasons: ['第 2 集字幕缺失'] });
    expect(returned.statusCode, returned.body).toBe(200);

    await approve.getByRole('button', { name: '通过' }).click();
    await approve.getByRole('button', { name: '确认', exact: true }).click();
    const alert = approve.locator('.form-summary [role=alert]');
    await alert.waitFor();
    const said = await alert.innerText();
    expect(said).toMatch(/在您打开页面之后已有新的变化（您本人于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}办理了“退回修改”）：请刷新页面/);
    expect(said).not.toMatch(/第 \d+ 版/);
    await snap(reviewer, 'stale-refused', approve);
    await checkPage(reviewer);

    await alert.getByRole('button', { name: '刷新，查看最新情况' }).click();
    // The page as the case now is: returned, so 通过 is no longer offered to the reviewer.
    await reviewer.locator('main').getByText('退回修改').first().waitFor();
    expect(await reviewer.locator('[data-action="approve"]').count()).toBe(0);
  }, 120_000);

  it('the same decision sent again from the page (taken meanwhile in another window) is said to be done, with 刷新', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-done');
    const creatorApi = await suite.harness.as('creator');
    const filed = await creatorApi('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '点了两次' }));
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId, referenceNo } = filed.json<{ caseId: string; referenceNo: string }>();
    const reviewerApi = await suite.harness.as('filing-reviewer');
    expect((await reviewerApi('POST', `/api/cases/${caseId}/claim`, {})).statusCode).toBe(200);

    const reviewer = await signedIn('filing-reviewer');
    await reviewer.goto(`${suite.base}#/cases/${caseId}`);
    const returning = reviewer.locator('[data-action="return-for-revision"]');
    await returning.getByRole('button', { name: '退回修改' }).waitFor();
    expect((await reviewerApi('POST', `/api/cases/${caseId}/return-for-revision`, { reasons: ['第 1 集片头缺少备案号'] })).statusCode).toBe(200);

    await returning.getByLabel('需修改的内容').fill('第 1 集片头缺少备案号');
    await returning.getByRole('button', { name: '退回修改' }).click();
    const alert = returning.locator('.form-summary [role=alert]');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(new RegExp(`备案 ${referenceNo} 的“退回修改”已由您于\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}办理，无需再次办理`));
    await snap(reviewer, 'already-done', returning);
    await alert.getByRole('button', { name: '刷新，查看最新情况' }).click();
    await reviewer.locator('main').getByText('退回修改').first().waitFor();
    expect(await reviewer.locator('[data-action="return-for-revision"]').count()).toBe(0);
  }, 120_000);
});

describe('a filing the supervising official claimed unclaimed', () => {
  it('is shown to a colleague as the supervisor’s: the reviewer line, why 认领 is not offered, and the timeline say 分管领导', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-supervisor-claim');
    const creatorApi = await suite.harness.as('creator');
    const filed = await creatorApi('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '分管领导认领' }));
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId } = filed.json<{ caseId: string }>();
    const claimed = await (await suite.harness.as('filing-supervisor'))('POST', `/api/cases/${caseId}/claim`, {});
    expect(claimed.statusCode, claimed.body).toBe(200);

    const reviewer = await signedIn('filing-reviewer');
    await reviewer.goto(`${suite.base}#/cases/${caseId}`);
    await reviewer.locator('[data-reviewer="other"]').filter({ hasText: '分管领导 周分管 已认领' }).waitFor();
    await reviewer.locator('[data-action="claim"]').filter({ hasText: '本备案已由分管领导 周分管 认领办理，不能再认领。' }).waitFor();
    await reviewer.locator('[data-event="FilingClaimed"] .event-why').filter({ hasText: '由分管领导认领审查' }).waitFor();
    expect(await reviewer.locator('body').innerText()).not.toContain('请分管领导接手');
    await snap(reviewer, 'supervisor-claim');
    await checkPage(reviewer);
  });
});

describe('a filing with a long title typed without spaces', () => {
  it('wraps on a 390 px phone: the case page with its 办理过程, and the queue, are no wider than the window', async () => {
    screenshotOnFailure(() => suite.pages(), 'case-page-long-title');
    // An outside tester's title of one unbroken run made the case page 674 px wide on a phone and cut the title off.
    const unbroken = '2026'.repeat(30);
    const creatorApi = await suite.harness.as('creator');
    const filed = await creatorApi('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: `外滩往事${unbroken}`, platform: `抖音${unbroken.slice(0, 90)}`, synopsis: `梗概${unbroken}` }));
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId } = filed.json<{ caseId: string }>();
    const reviewerApi = await suite.harness.as('filing-reviewer');
    expect((await reviewerApi('POST', `/api/cases/${caseId}/claim`, {})).statusCode).toBe(200);
    const returned = await reviewerApi('POST', `/api/cases/${caseId}/return-for-revision`, { reasons: [`请修改剧名${unbroken}`] });
    expect(returned.statusCode, returned.body).toBe(200);

    const noWiderThanTheWindow = async (page: Page, what: string) => {
      const { scrollWidth, clientWidth } = await page.evaluate<{ scrollWidth: number; clientWidth: number }>('({ scrollWidth: document.scrollingElement.scrollWidth, clientWidth: document.scrollingElement.clientWidth })');
      expect(scrollWidth, `${what} is ${scrollWidth}px wide in a ${clientWidth}px window`).toBeLessThanOrEqual(clientWidth);
    };
    for (const username of ['creator', 'filing-reviewer']) {
      const phone = await signedIn(username, { phone: true });
      await phone.goto(`${suite.base}#/cases/${caseId}`);
      await phone.locator('[data-event="FilingReturnedForRevision"]').waitFor();
      await phone.getByRole('heading', { level: 1 }).waitFor();
      await snap(phone, `long-title-${username}`);
      await noWiderThanTheWindow(phone, `the case page as ${username}`);
      await phone.goto(`${suite.base}#/cases`);
      await phone.locator(`[data-case="${caseId}"]`).first().waitFor();
      await snap(phone, `long-title-list-${username}`);
      await noWiderThanTheWindow(phone, `the list as ${username}`);
    }
  });
});
