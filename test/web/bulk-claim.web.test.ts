import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dramaSubmission, eventually } from '../support/filings.js';
import { browserSuite, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * 批量认领 on the queue of 市文旅局: a reviewer on a 390 px phone chooses every filing waiting to be
 * claimed (全选可认领) and claims them at once; one a colleague claimed meanwhile is refused, named by
 * its 申请编号 with who holds it. The supervising official, on a laptop, chooses one line; a line a
 * reviewer holds offers them 接手 alone, never a box.
 */
const suite = browserSuite();
const { signedIn } = suite;

let filed = 0;
/** Filings waiting to be claimed, each in the read model before the page reads it. */
async function fileFilings(count: number): Promise<{ caseId: string; referenceNo: string }[]> {
  const creator = await suite.harness.as('creator');
  const filings = [];
  for (let i = 0; i < count; i++) {
    const response = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: `弄堂一起认领第${++filed}部` }), { 'idempotency-key': randomUUID() });
    if (response.statusCode !== 201) throw new Error(response.body);
    const { caseId, referenceNo } = response.json<{ caseId: string; referenceNo: string }>();
    await eventually(async () => {
      const row = await suite.harness.database.db.selectFrom('cases').select('status').where('case_id', '=', caseId).executeTakeFirst();
      return row?.status === 'awaiting-claim' ? true : undefined;
    }, 'the filing in the read model');
    filings.push({ caseId, referenceNo });
  }
  return filings;
}

/** How many times each case was claimed, as its events record it. */
async function claimsOf(caseId: string): Promise<string[]> {
  const auditor = await suite.harness.as('auditor');
  const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json<{ events: { type: string; data: { by: { displayName: string } } }[] }>().events;
  return events.filter((e) => e.type === 'FilingClaimed').map((e) => e.data.by.displayName);
}

const row = (page: Page, referenceNo: string) => page.locator(`tr[data-reference="${referenceNo}"]`);
const box = (page: Page, referenceNo: string) => page.getByRole('checkbox', { name: `选择 ${referenceNo}` });

describe('批量认领 from the queue', () => {
  it('a reviewer on a phone claims every filing waiting at once; the one a colleague took meanwhile is named with who has it', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'bulk-claim');
    const shot = stepShots('bulk-claim');
    const filings = await fileFilings(4);
    const taken = filings[2]!;

    const reviewer = await signedIn('filing-reviewer', { phone: true });
    await reviewer.getByRole('heading', { level: 1, name: /待办队列/ }).waitFor();
    for (const f of filings) await box(reviewer, f.referenceNo).waitFor();
    const all = reviewer.getByRole('checkbox', { name: '全选可认领（本页 4 件）' });
    const send = reviewer.locator('.bulk-claim-send');
    expect(await send.innerText()).toBe('认领所选（0 件）');
    expect(await send.isDisabled()).toBe(true);
    await fitsTheScreen(reviewer);
    await shot(reviewer, 'phone-queue-with-boxes');

    // One box, then all of them.
    await box(reviewer, filings[0]!.referenceNo).check();
    await reviewer.getByRole('button', { name: '认领所选（1 件）' }).waitFor();
    await all.check();
    await reviewer.getByRole('button', { name: '认领所选（4 件）' }).waitFor();
    for (const f of filings) expect(await box(reviewer, f.referenceNo).isChecked()).toBe(true);
    await shot(reviewer, 'phone-all-chosen');

    // Meanwhile the supervising official claims one of them.
    const supervisorApi = await suite.harness.as('filing-supervisor');
    expect((await supervisorApi('POST', `/api/cases/${taken.caseId}/claim`, {})).statusCode).toBe(200);

    await reviewer.getByRole('button', { name: '认领所选（4 件）' }).click();
    const summary = reviewer.locator('.bulk-claim-summary');
    await summary.filter({ hasText: '已认领 3 件；未认领 1 件：' }).waitFor();
    const refused = summary.locator(`li[data-reference="${taken.referenceNo}"]`);
    expect(await refused.innerText()).toBe(`${taken.referenceNo}：本备案已由分管领导 周分管 认领办理，不能再认领。`);
    expect(await summary.locator('li').count()).toBe(1);
    // The list shown again: the three are the reviewer's, and nothing is left to choose.
    for (const f of filings.filter((f) => f !== taken)) await row(reviewer, f.referenceNo).filter({ hasText: '陈文旅' }).waitFor();
    await row(reviewer, taken.referenceNo).filter({ hasText: '周分管' }).waitFor();
    expect(await reviewer.locator('.bulk-claim').count()).toBe(0);
    await fitsTheScreen(reviewer);
    await shot(reviewer, 'phone-claimed-summary');

    // Each claimed once, by whoever's claim came first.
    expect(await Promise.all(filings.map((f) => claimsOf(f.caseId)))).toEqual(filings.map((f) => (f === taken ? ['周分管'] : ['陈文旅'])));
  }, 180_000);

  it('the supervising official chooses one line on a laptop; a line a reviewer holds offers 接手 alone, never a box', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'bulk-claim-supervisor');
    const shot = stepShots('bulk-claim-supervisor');
    const [mine, other, held] = await fileFilings(3);
    const reviewerApi = await suite.harness.as('filing-reviewer');
    expect((await reviewerApi('POST', `/api/cases/${held!.caseId}/claim`, {})).statusCode).toBe(200);
    const supervisor = await signedIn('filing-supervisor');
    await box(supervisor, mine!.referenceNo).waitFor();
    await box(supervisor, other!.referenceNo).waitFor();
    // Held by 陈文旅: the supervising official may take it over, on its own line and asked once more; not in bulk.
    await row(supervisor, held!.referenceNo).getByRole('button', { name: `接手 ${held!.referenceNo}（现由陈文旅审查）` }).waitFor();
    expect(await box(supervisor, held!.referenceNo).count()).toBe(0);
    await supervisor.getByRole('checkbox', { name: '全选可认领（本页 2 件）' }).waitFor();
    await box(supervisor, mine!.referenceNo).check();
    await shot(supervisor, 'laptop-one-chosen');
    await supervisor.getByRole('button', { name: '认领所选（1 件）' }).click();
    await supervisor.locator('.bulk-claim-summary').filter({ hasText: '已认领 1 件。' }).waitFor();
    await row(supervisor, mine!.referenceNo).filter({ hasText: '周分管' }).waitFor();
    // The other is still waiting, with its box.
    await box(supervisor, other!.referenceNo).waitFor();
    await supervisor.getByRole('checkbox', { name: '全选可认领（本页 1 件）' }).waitFor();
    await shot(supervisor, 'laptop-claimed-one');
    expect(await claimsOf(mine!.caseId)).toEqual(['周分管']);
    expect(await claimsOf(other!.caseId)).toEqual([]);
    expect(await claimsOf(held!.caseId)).toEqual(['陈文旅']);
  }, 180_000);
});
