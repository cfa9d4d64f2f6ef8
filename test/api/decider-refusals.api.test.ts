import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignWithApproval } from '../support/accounts.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';

/**
 * Issue 15: a decider's refusal reaches the person in plain Chinese — amounts in 元 with separators,
 * never fen — through the Temporal update that refused it, with the rule's stable code and its
 * parameters; English only for a client that asks for it with Accept-Language, the code the same.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let huangpuReviewer: ApiCaller;
let huangpuApprover: ApiCaller;
let cacReviewer: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  huangpuReviewer = await harness.as('huangpu-reviewer');
  huangpuApprover = await harness.as('huangpu-approver');
  cacReviewer = await harness.as('cac-reviewer');
});
afterAll(() => harness?.close());

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
}

const ENGLISH = { 'accept-language': 'en-GB,en;q=0.9' };
const latinWords = (text: string) => text.match(/[A-Za-z]{3,}/g) ?? [];

describe('a decider’s refusal through the real API, in Chinese by default and in English on request', () => {
  let caseId: string;
  let referenceNo: string;

  beforeAll(async () => {
    // 1,500,000.00 asked of 黄浦: above the 1,000,000.00 an approver may approve alone.
    const opened = await creator('POST', '/api/applications/huangpu-platform-subsidy', {
      title: '平台扶持',
      summary: '集聚创作者 200 名',
      facts: { applicantKind: 'mcn', requestedAmountFen: 150_000_000, registeredDistrict: '黄浦区' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    ({ caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>());
    await act(huangpuReviewer, caseId, 'accept-materials');
    await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '合规' });
    await act(huangpuReviewer, caseId, 'score-application', { score: 88 });
    await verifyClaims(huangpuReviewer, caseId);
  });

  it('the director threshold: the amounts in 元 with separators, the code and the parameters in fen for clients', async () => {
    const refused = await huangpuApprover('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(refused.statusCode).toBe(403);
    const body = refused.json();
    expect(body).toMatchObject({
      error: 'forbidden',
      code: 'director-approval-required',
      message: '批准金额 1,500,000.00元超过 1,000,000.00元，须由黄浦区处长审批；周审批不是处长。',
      params: { amountFen: 150_000_000, thresholdFen: 100_000_000, department: 'huangpu' },
    });
    expect(latinWords(body.message)).toEqual([]);
    expect(body.message).not.toMatch(/\d{7,}/);

    const english = await huangpuApprover('POST', `/api/cases/${caseId}/approve-application`, {}, ENGLISH);
    expect(english.statusCode).toBe(403);
    expect(english.json()).toMatchObject({
      error: 'forbidden',
      code: 'director-approval-required',
      message: 'approving 1,500,000.00 is above 1,000,000.00: it needs a director of 黄浦区; 周审批 is not one',
      params: { amountFen: 150_000_000, thresholdFen: 100_000_000 },
    });
  });

  it('an amount above the request: the message and the field in 元, never “at most 150000000”', async () => {
    await assignWithApproval(harness, 'huangpu-approver', { role: 'official', department: 'huangpu', duties: ['approver', 'director'] });
    try {
      const tooMuch = await huangpuApprover('POST', `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 150_000_001 });
      expect(tooMuch.statusCode).toBe(400);
      expect(tooMuch.json()).toMatchObject({
        error: 'validation',
        code: 'above-requested',
        message: '批准金额 1,500,000.01元超过申请金额 1,500,000.00元：只能批准申请的金额或更少。',
        issues: [{ field: 'approvedAmountFen', message: '不能超过申请金额 1,500,000.00元', code: 'above-requested' }],
      });
      expect(JSON.stringify(tooMuch.json())).not.toContain('english');
      const english = await huangpuApprover('POST', `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 150_000_001 }, ENGLISH);
      expect(english.json()).toMatchObject({ code: 'above-requested', issues: [{ field: 'approvedAmountFen', message: 'at most 1,500,000.00' }] });
    } finally {
      await assignWithApproval(harness, 'huangpu-approver', { role: 'official', department: 'huangpu', duties: ['approver'] });
    }
  });

  it('four-eyes: the reviewer made an approver is refused in Chinese, in English on request, the code in both', async () => {
    await assignWithApproval(harness, 'huangpu-reviewer', { role: 'official', department: 'huangpu', duties: ['reviewer', 'approver'] });
    const refused = await huangpuReviewer('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      error: 'forbidden',
      code: 'four-eyes',
      message: '四眼原则：您审查过本案，不能再作决定，请由黄浦区其他未参与审查的人员决定。',
      params: { department: 'huangpu' },
    });
    const english = await huangpuReviewer('POST', `/api/cases/${caseId}/approve-application`, {}, ENGLISH);
    expect(english.json()).toMatchObject({ error: 'forbidden', code: 'four-eyes', message: expect.stringMatching(new RegExp(`^four-eyes rule: .* reviewed case ${referenceNo} and may not also decide it`)) });
  });

  it('an action at the wrong step names the step and the action by their labels', async () => {
    const refused = await creator('POST', `/api/cases/${caseId}/provide-supplement`, { responses: [{ item: '集聚创作者名单', response: 'list.xlsx' }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: 'illegal-state',
      code: 'not-at-this-step',
      message: `办件 ${referenceNo} 目前处于“评审”，不能办理“提交补正材料”：此项只在“待补正”时办理。`,
      params: { action: 'ProvideSupplement', status: 'review', allowed: 'awaiting-supplement' },
    });
    const english = await creator('POST', `/api/cases/${caseId}/provide-supplement`, { responses: [{ item: '集聚创作者名单', response: 'list.xlsx' }] }, ENGLISH);
    expect(english.json()).toMatchObject({ code: 'not-at-this-step', message: expect.stringContaining('ProvideSupplement is not allowed') });
  });

  it('a stale version is refused in Chinese, naming who changed the case and when', async () => {
    const refused = await huangpuReviewer('POST', `/api/cases/${caseId}/score-application`, { score: 50, expectedVersion: 1 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'concurrency', code: 'stale-version', message: expect.stringMatching(new RegExp(`^办件 ${referenceNo} 在您打开页面之后已有新的变化（您本人于\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}办理了“核验事实”）：请刷新页面`)) });
    expect(refused.json().currentVersion).toBeGreaterThan(1);
    const english = await huangpuReviewer('POST', `/api/cases/${caseId}/score-application`, { score: 50, expectedVersion: 1 }, ENGLISH);
    expect(english.json()).toMatchObject({ code: 'stale-version', message: expect.stringMatching(new RegExp(`^case ${referenceNo} has changed: it is at version \\d+, not 1`)) });
  });

  it('a version the case has not reached is a wrong request (400 at expectedVersion), not news of a change', async () => {
    const refused = await huangpuReviewer('POST', `/api/cases/${caseId}/score-application`, { score: 50, expectedVersion: 99_999_999 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'validation', code: 'unknown-version', issues: [{ field: 'expectedVersion' }] });
    expect(refused.json().message).toMatch(new RegExp(`^请求有误：办件 ${referenceNo} 目前是第 \\d+ 版，没有第 99999999 版。请刷新页面后再办理。$`));
  });
});

describe('the same action twice by the same official (a second click, a second tab)', () => {
  it('is answered as already done by them, not as an action the step does not take, and a stale one names them', async () => {
    const opened = await (await harness.as('other-creator'))('POST', '/api/applications/huangpu-platform-subsidy', {
      title: '两次点击',
      summary: '集聚创作者 100 名',
      facts: { applicantKind: 'mcn', requestedAmountFen: 50_000_000, registeredDistrict: '黄浦区' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>();
    const first = await huangpuReviewer('POST', `/api/cases/${caseId}/accept-materials`, { expectedVersion: 1 });
    expect(first.statusCode, first.body).toBe(200);

    // From the same page (a double click, a second tab, with the version it showed) or without a version: done already, not 不能办理 nor 请刷新.
    for (const body of [{ expectedVersion: 1 }, {}]) {
      const again = await huangpuReviewer('POST', `/api/cases/${caseId}/accept-materials`, body);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'illegal-state', code: 'already-done', params: { action: 'AcceptMaterials' } });
      expect(again.json().message).toMatch(new RegExp(`^办件 ${referenceNo} 的“材料齐全，转网信审查”已由您于\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}办理，无需再次办理`));
    }
    // Another action from that page is stale, and the refusal says the change was their own.
    const other = await huangpuReviewer('POST', `/api/cases/${caseId}/request-supplement`, { expectedVersion: 1, missingItems: ['营业执照'] });
    expect(other.json()).toMatchObject({ error: 'concurrency', code: 'stale-version' });
    expect(other.json().message).toMatch(new RegExp(`^办件 ${referenceNo} 在您打开页面之后已有新的变化（您本人于\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}办理了“材料齐全，转网信审查”）`));

    // Only to the one who did it: another official is refused as before.
    const colleague = await (await harness.as('huangpu-approver'))('POST', `/api/cases/${caseId}/accept-materials`, {});
    expect(colleague.statusCode).toBeGreaterThanOrEqual(400);
    expect(colleague.json().code).not.toBe('already-done');
  });
});
