import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import type { ApiCaller } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';
import { browserSuite, fitsTheScreen, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The director weighs a proposed list with what it leaves out: each application passed over, and why
 * (an outside tester's director saw only a count). Two applicants for one video, its number typed two
 * ways: the second is passed over, naming the first.
 */
const suite = browserSuite();
const DAY = 24 * 3600_000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: unknown, status = 200) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
  return response.json<Record<string, unknown>>();
}

async function latinWords(page: Page): Promise<string[]> {
  const text = (await page.locator('#main').innerText()).replace(/\b[A-Z]{2,3}-\d{4}-[A-Z0-9-]+\b/g, ' ');
  return text.match(/[A-Za-z]{2,}/g) ?? [];
}

describe('a proposed list, as the director reads it before approving', () => {
  it('names each application it passes over, with the reason; one withdrawn since holds its approval up, said beforehand', { timeout: 240_000 }, async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'list-passed-over');
    const shot = stepShots('list-passed-over');
    const [office, approver, creator, person, cac, e1, e2] = await Promise.all([
      suite.harness.as('yangpu-reviewer'),
      suite.harness.as('yangpu-approver'),
      suite.harness.as('creator'),
      suite.harness.as('individual-creator'),
      suite.harness.as('cac-reviewer'),
      suite.harness.as('expert-1'),
      suite.harness.as('expert-2'),
    ]);
    const now = Date.now();
    const callId = (await ok(office, 'POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '2026 年度杨浦优质内容评选（名单）', opensAt: shanghai(now - 3600_000), closesAt: shanghai(now + 30 * DAY), budgetFen: 20_000_000, quota: 2, mode: 'competitive' }, 201)).caseId as string;
    await ok(approver, 'POST', `/api/cases/${callId}/approve-budget`, {});
    const apply = async (who: ApiCaller, applicantKind: string, itemId: string) => {
      const caseId = (await ok(who, 'POST', '/api/applications/yangpu-content-award', { title: '滨江城市漫游', summary: '杨浦滨江城市更新系列', facts: { applicantKind, itemId, requestedAmountFen: 5_000_000 } }, 201)).caseId as string;
      await verifyClaims(office, caseId);
      await ok(office, 'POST', `/api/cases/${caseId}/accept-materials`, {});
      await ok(cac, 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
      return caseId;
    };
    const first = await apply(creator, 'company', 'VIDEO-88');
    const second = await apply(person, 'individual-creator', 'video 88');
    await ok(office, 'POST', `/api/cases/${callId}/name-panel`, { memberAccountIds: ['demo-expert-1', 'demo-expert-2'], criteria: [{ id: 'c1', name: '内容质量', weightPercent: 100, maxPoints: 100 }], minScorers: 2 });
    for (const [expert, caseId, points] of [[e1, first, 90], [e2, first, 88], [e1, second, 80], [e2, second, 78]] as const) {
      await ok(expert, 'POST', `/api/cases/${callId}/declare-no-conflict`, { caseId });
      await ok(expert, 'POST', `/api/cases/${callId}/submit-score`, { caseId, scores: [{ criterionId: 'c1', points, comment: '画面精良' }] });
    }
    await ok(approver, 'POST', `/api/cases/${callId}/close-call`, { reason: '申报数量已满足评审需要' });
    await ok(office, 'POST', `/api/cases/${callId}/propose-list`, {});
    const [firstRef, secondRef] = await Promise.all([first, second].map(async (id) => (await ok(office, 'GET', `/api/cases/${id}`)).referenceNo as string));

    const director = await suite.signedIn('yangpu-director');
    await director.goto(`${suite.base}#/cases/${callId}`);
    const passed = director.locator(`tr[data-passed-over="${secondRef}"]`);
    await passed.waitFor();
    expect(await passed.innerText()).toContain(`与排名第 1 位、已列入名单的申请 ${firstRef} 为同一资助事项，同一事项不重复资助`);
    expect(await director.locator(`tr[data-proposed="${firstRef}"]`).count()).toBe(1);
    await fitsTheScreen(director);
    expect(await latinWords(director)).toEqual([]);
    await shot(director, 'list-with-passed-over');

    // The first applicant withdraws: the approval is offered disabled, saying why, before anyone sends it.
    await ok(creator, 'POST', `/api/cases/${first}/withdraw`, { reason: '项目调整' });
    const actions = (await ok(await suite.harness.as('yangpu-director'), 'GET', `/api/cases/${callId}`)).availableActions as { name: string; enabled: boolean; disabledReason: string | null }[];
    const approve = actions.find((a) => a.name === 'approve-batch');
    expect(approve).toMatchObject({ enabled: false, disabledReason: `拟资助名单中的申请 ${firstRef} 已不在评审中（申请人已撤回），不能批准本名单。请退回名单，由工作人员重新提出。` });
    expect(actions.find((a) => a.name === 'return-list')?.enabled).toBe(true);
    await director.reload();
    await director.locator('#main').filter({ hasText: `${firstRef} 已不在评审中` }).first().waitFor();
    await shot(director, 'approval-held-up');
  });
});

describe('an expert with no panel yet', () => {
  it('reads on 评审任务 that nothing is given them yet, and where it will be listed: not 还没有案件', async () => {
    const expert = await suite.signedIn('expert-3');
    await expert.goto(`${suite.base}#/cases`);
    await expert.getByRole('heading', { name: '评审任务' }).waitFor();
    expect(await expert.locator('#main p.empty').innerText()).toBe('目前没有交给您的评审任务：申报批次请您评审时，会在这里列出。');
    expect(await latinWords(expert)).toEqual([]);
  });
});
