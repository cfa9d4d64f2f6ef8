import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { BudgetMovement } from '../../domain/calls/ledger.js';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { fixedClock, newEvent } from '../db/support.js';
import { browserSuite, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * A first-come call (先到先审) takes applications until its budget is used up: an outside tester filled
 * in a form for a call with nothing left to award. The list of calls says each first-come call's
 * budget left; once none is left, the call is still listed but says so, offers no 在线申报, and the
 * application page says it instead of showing the form.
 */
const suite = browserSuite();
const { signedIn } = suite;
const DAY = 24 * 60 * 60 * 1000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

/** A first-come call of `programmeId`, open since yesterday for 20 days, its budget approved: its id. */
async function approvedFirstComeCall(call: { programmeId: string; title: string; budgetFen: number; quota?: number }): Promise<string> {
  const [reviewer, approver] = await Promise.all(['huangpu-reviewer', 'huangpu-approver'].map((u) => suite.harness.as(u)));
  const now = Date.now();
  const opened = await reviewer!('POST', '/api/cases/call', { ...call, opensAt: shanghai(now - DAY), closesAt: shanghai(now + 20 * DAY), mode: 'first-come' });
  expect(opened.statusCode, opened.body).toBe(201);
  const callId = opened.json<{ caseId: string }>().caseId;
  expect((await approver!('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
  return callId;
}

/** An award of `amountFen` from the call, as an approval commits it (within the quota: it takes a place). */
async function awardFrom(callId: string, amountFen: number, withinQuota?: true): Promise<void> {
  const movement: BudgetMovement = { callId, kind: 'commit', amountFen, ...(withinQuota ? { withinQuota } : {}) };
  await appendToStream(
    suite.harness.database.db,
    { streamId: randomUUID(), streamType: 'test-award', expectedVersion: 0, events: [newEvent('AwardGranted', { amountFen, budgetMovements: [movement] })] },
    { now: fixedClock(new Date().toISOString()), project: projectReadModels },
  );
}

describe('a first-come call’s budget left', () => {
  it('is shown in the list of calls and on the application page; used up, the call says so and offers no form', async () => {
    screenshotOnFailure(() => suite.pages(), 'call-budget-left');
    const shot = stepShots('call-budget-left');
    const callId = await approvedFirstComeCall({ programmeId: 'huangpu-carrier-operator', title: '黄浦载体扶持先到先审批次', budgetFen: 10_000_000 });

    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/calls`);
    const row = creator.locator(`tr[data-call="${callId}"]`);
    await row.getByText('预算余额 100,000.00 元').waitFor();
    await row.getByRole('link', { name: '在线申报' }).waitFor();
    await creator.goto(`${suite.base}#/apply/programme/huangpu-carrier-operator`);
    await creator.locator('[data-call-applied-to]').filter({ hasText: '预算余额 100,000.00 元' }).waitFor();

    // Approvals commit all of it.
    await awardFrom(callId, 10_000_000);
    await creator.goto(`${suite.base}#/calls`);
    await row.getByText('预算余额 0.00 元').waitFor();
    expect(await row.innerText()).toContain('预算已用完，不再受理');
    expect(await row.getByRole('link', { name: '在线申报' }).count()).toBe(0);
    await shot(creator, 'calls-used-up', row);

    await creator.goto(`${suite.base}#/apply/programme/huangpu-carrier-operator`);
    const notice = creator.locator('[data-call-used-up]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('预算已用完，不再受理申报');
    expect(await creator.locator('form').count()).toBe(0);
    await shot(creator, 'apply-used-up', notice);
  });
});

/**
 * A first-come call (先到先审) with a quota takes applications until its places (名额) are taken:
 * applicants filled in forms for a call with money left and no place left, and were refused at the
 * approval. The list of calls says each such call's places left; once none is left, the call is
 * still listed but says so, offers no 在线申报, and the application page says it instead of the form.
 */
describe('a first-come call’s places left', () => {
  it('are shown in the list of calls and on the application page; all taken, the call says so and offers no form', async () => {
    screenshotOnFailure(() => suite.pages(), 'call-places-left');
    const shot = stepShots('call-places-left');
    const callId = await approvedFirstComeCall({ programmeId: 'huangpu-event-subsidy', title: '黄浦节展赛事补贴先到先审批次', budgetFen: 100_000_000, quota: 3 });

    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/calls`);
    const row = creator.locator(`tr[data-call="${callId}"]`);
    await row.getByText('剩余名额 3 个').waitFor();
    await row.getByRole('link', { name: '在线申报' }).waitFor();
    await shot(creator, 'calls-places-left', row);
    await creator.goto(`${suite.base}#/apply/programme/huangpu-event-subsidy`);
    await creator.locator('[data-call-applied-to]').filter({ hasText: '剩余名额 3 个' }).waitFor();

    // Three approvals take the three places; most of the money is left.
    for (let i = 0; i < 3; i++) await awardFrom(callId, 1_000_000, true);
    await creator.goto(`${suite.base}#/calls`);
    await row.getByText('剩余名额 0 个').waitFor();
    expect(await row.innerText()).toContain('名额已满，不再受理');
    expect(await row.innerText()).toContain('预算余额 970,000.00 元');
    expect(await row.getByRole('link', { name: '在线申报' }).count()).toBe(0);
    await shot(creator, 'calls-places-full', row);

    await creator.goto(`${suite.base}#/apply/programme/huangpu-event-subsidy`);
    const notice = creator.locator('[data-call-places-full]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('名额已满，不再受理申报');
    expect(await creator.locator('form').count()).toBe(0);
    await shot(creator, 'apply-places-full', notice);
  });

  it('in 全部案件 a call’s amount reads as its budget (批次预算), and a call closed before it opened does not push the amounts off a laptop’s screen', async () => {
    screenshotOnFailure(() => suite.pages(), 'call-in-all-cases');
    const shot = stepShots('call-in-all-cases');
    const [reviewer, approver] = await Promise.all(['huangpu-reviewer', 'huangpu-approver'].map((u) => suite.harness.as(u)));
    const now = Date.now();
    const opened = await reviewer!('POST', '/api/cases/call', { programmeId: 'huangpu-platform-subsidy', title: '黄浦平台扶持批次（未开始即截止）', budgetFen: 200_000_000, opensAt: shanghai(now + 10 * DAY), closesAt: shanghai(now + 40 * DAY), mode: 'competitive' });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    const official = await signedIn('huangpu-reviewer');
    await official.goto(`${suite.base}#/cases?sort=amount&order=desc`);
    const row = official.locator(`tr[data-case="${callId}"]`);
    // Before its budget is approved, the amount is the budget asked for.
    expect(await row.locator('td[data-label="金额"]').innerText()).toMatch(/^2,000,000\.00 元\s*批次预算（待审批）$/);
    expect((await approver!('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
    const closed = await approver!('POST', `/api/cases/${callId}/close-call`, { reason: '活动取消' });
    expect(closed.statusCode, closed.body).toBe(200);

    await official.goto(`${suite.base}#/queue`);
    await official.goto(`${suite.base}#/cases?sort=amount&order=desc`);
    await row.getByText('申报开始前已截止').waitFor();
    expect(await row.locator('td[data-label="金额"]').innerText()).toMatch(/^2,000,000\.00 元\s*批次预算$/);
    await fitsTheScreen(official);
    // A smaller laptop (1024 px): the long step wraps in its column rather than push the amounts off the screen.
    await official.setViewportSize({ width: 1024, height: 768 });
    await fitsTheScreen(official);
    await shot(official, 'all-cases-with-call', row);
  });
});

/**
 * A measure applied for in calls whose call closed early: an outsider filled in all four steps and
 * uploaded a file before 确认提交 told them the call had closed (in ISO digits). The application
 * page now says so first, in the refusal's own words, and offers no form.
 */
describe('a measure whose call has closed early', () => {
  it('says so on the application page, with the day in Chinese and the reason, and offers no form; a measure applied for at any time is not affected', async () => {
    screenshotOnFailure(() => suite.pages(), 'call-closed-early');
    const shot = stepShots('call-closed-early');
    const callId = await approvedFirstComeCall({ programmeId: 'huangpu-creator-reward', title: '黄浦创作者奖励批次', budgetFen: 50_000_000 });
    const approver = await suite.harness.as('huangpu-approver');
    const creatorApi = await suite.harness.as('creator');
    const intake = () => creatorApi('GET', '/api/programmes/huangpu-creator-reward/intake');
    expect((await intake()).json()).toMatchObject({ runByCalls: true, call: { callId, title: '黄浦创作者奖励批次' }, refusal: null });
    expect((await approver('POST', `/api/cases/${callId}/close-call`, { reason: '年度预算调整' })).statusCode).toBe(200);
    const closed = (await intake()).json<{ runByCalls: boolean; call: null; refusal: string }>();
    expect(closed).toMatchObject({ runByCalls: true, call: null });
    expect(closed.refusal).toMatch(/^「黄浦创作者奖励批次」已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）提前截止（年度预算调整），不再受理申报$/);
    expect((await creatorApi('GET', '/api/programmes/hu9-starlight/intake')).json()).toEqual({ programmeId: 'hu9-starlight', runByCalls: false, call: null, refusal: null });
    // Signed in only: the refusal may name a call whose budget is not yet approved, which is not public.
    expect((await suite.harness.app.inject({ method: 'GET', url: '/api/programmes/huangpu-creator-reward/intake' })).statusCode).toBe(401);

    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/programme/huangpu-creator-reward`);
    const notice = creator.locator('[data-call-not-taking]');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(`本事项通过申报批次受理，现在不能申报：${closed.refusal}。请留意申报批次列表。`);
    expect(await creator.locator('form').count()).toBe(0);
    await fitsTheScreen(creator);
    await shot(creator, 'apply-call-closed', notice);
    // A measure without calls shows its form as before.
    await creator.goto(`${suite.base}#/apply/programme/hu9-starlight`);
    await creator.locator('form').first().waitFor();
    expect(await creator.locator('[data-call-not-taking]').count()).toBe(0);
  });
});
