/**
 * Issue 13, item 6, through the API: every official step's promised time limit shows in
 * GET /api/cases/:caseId (its `deadline` and the overview's 办理时限) and orders the department's
 * queue; a director extends it with a reason the applicant reads among the case's events; a breach
 * is flagged in the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

let harness: ApiHarness;
let creator: ApiCaller;
let cacReviewer: ApiCaller;
let huangpuReviewer: ApiCaller;
let huangpuApprover: ApiCaller;
let huangpuDirector: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  cacReviewer = await harness.as('cac-reviewer');
  huangpuReviewer = await harness.as('huangpu-reviewer');
  huangpuApprover = await harness.as('huangpu-approver');
  huangpuDirector = await harness.as('huangpu-director');
});
afterAll(() => harness?.close());

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json().case;
}

type CaseView = { deadline: { kind: string; dueOn: string; at: string } | null; overview: { label: string; value: string }[]; availableActions?: { name: string }[] };
type QueueLine = { caseId: string; deadlineAt: string | null; breached: boolean; escalated: boolean };

describe('a programme application’s step time limits', () => {
  it('shows each step’s deadline, orders the queue by it, is extended once by the director, and is flagged when breached', async () => {
    const applied = await creator('POST', '/api/applications/huangpu-platform-subsidy', { title: '平台扶持', summary: '申请说明', facts: { applicantKind: 'mcn', requestedAmountFen: 150_000_000, registeredDistrict: '黄浦区' } });
    expect(applied.statusCode, applied.body).toBe(201);
    const { caseId } = applied.json<{ caseId: string }>();
    const view = async (caller: ApiCaller = creator) => (await caller('GET', `/api/cases/${caseId}`)).json<CaseView>();

    // The completeness check: its 5 working days, in the view and the overview.
    expect((await view()).deadline).toMatchObject({ kind: 'completeness-check' });
    expect((await view()).overview.find((l) => l.label === '办理时限')?.value).toContain('材料审查');

    await act(huangpuReviewer, caseId, 'accept-materials');
    const review = await view(cacReviewer);
    expect(review.deadline).toMatchObject({ kind: 'time-limit:compliance-review' });
    const cacQueue = (await cacReviewer('GET', '/api/worklist?view=queue')).json<{ cases: QueueLine[] }>().cases;
    expect(cacQueue.find((c) => c.caseId === caseId)).toMatchObject({ deadlineAt: new Date(review.deadline!.at).toISOString(), breached: false, escalated: false });

    await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '' });
    const decision = await view(huangpuDirector);
    expect(decision.deadline).toMatchObject({ kind: 'time-limit:review' });
    expect(decision.overview.find((l) => l.label === '办理时限')?.value).toContain('评审 20 个工作日');
    expect(decision.availableActions?.map((a) => a.name)).toContain('extend-time-limit');

    // Only a director extends; the applicant reads the reason among the case's events.
    expect((await huangpuApprover('POST', `/api/cases/${caseId}/extend-time-limit`, { extraWorkingDays: 5, reason: '专家评审' })).statusCode).toBe(403);
    expect((await huangpuDirector('POST', `/api/cases/${caseId}/extend-time-limit`, { extraWorkingDays: 11, reason: '专家评审' })).statusCode).toBe(400);
    await act(huangpuDirector, caseId, 'extend-time-limit', { extraWorkingDays: 5, reason: '需征求专家评审意见' });
    const extended = await view();
    expect(Date.parse(extended.deadline!.at)).toBeGreaterThan(Date.parse(decision.deadline!.at));
    expect(extended.overview.find((l) => l.label === '办理时限')?.value).toContain('延长 5 个工作日：需征求专家评审意见');
    const events = (await creator('GET', `/api/cases/${caseId}/events`)).json<{ events: { type: string; data: { reason?: string } }[] }>().events;
    expect(events.find((e) => e.type === 'TimeLimitExtended')?.data.reason).toBe('需征求专家评审意见');
    // And is told in the inbox: which case, the new last day, the reason (an outsider's applicant saw the date change without a word).
    const inbox = (await creator('GET', '/api/inbox')).json<{ notices: { caseId: string; kind: string; title: string; body: string }[] }>().notices.filter((n) => n.caseId === caseId && n.kind === 'deadline-moved');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.title).toMatch(/^办理期限已延长：黄浦.*申请（AP-\d{4}-\d{6}）$/);
    const [y, m, d] = extended.deadline!.dueOn.split('-').map(Number);
    expect(inbox[0]!.body).toContain(`延长 5 个工作日，最后一天由`);
    expect(inbox[0]!.body).toContain(`改为${y}年${m}月${d}日`);
    expect(inbox[0]!.body).toContain('延长理由：需征求专家评审意见。');
    const again = await huangpuDirector('POST', `/api/cases/${caseId}/extend-time-limit`, { extraWorkingDays: 1, reason: '再延' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('只能延长一次');

    // Past the extended limit the department's queue flags the case as breached and escalated.
    const now = await harness.env.currentTimeMs();
    await harness.env.sleep(Date.parse(extended.deadline!.at) - now + 60_000);
    await expect
      .poll(async () => (await huangpuApprover('GET', '/api/worklist?view=queue')).json<{ cases: QueueLine[] }>().cases.find((c) => c.caseId === caseId), { timeout: 10_000 })
      .toMatchObject({ breached: true, escalated: true });
  });
});
