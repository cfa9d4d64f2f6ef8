import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';

/**
 * A measure without a call panel is scored by the department's reviewers (评审打分). Who scored and
 * with how many points is the department's, as a competitive call's panel is (panel-confidentiality
 * .api.test.ts): the applicant reads that their application was scored, not by whom nor how — on the
 * case page, in an action's answer, in the case's events. So does an official of another department
 * that opens the case for a step of its own (网信 reviewing the content). The department's officials
 * and the auditors read everything as before.
 */
let harness: ApiHarness;
let reviewer: ApiCaller;
let approver: ApiCaller;
let auditor: ApiCaller;
let tenant: ApiCaller;
let cacReviewer: ApiCaller;
let caseId: string;
/** An application whose measure 网信 reviews for content: 网信's officials open it, for that step. */
let reviewedCaseId: string;

type Line = { label: string; value: string };
type Score = { by?: string; score?: number; comments?: string; scoredAt: string };
type Event = { type: string; data: Record<string, unknown>; actor?: { accountId: string; displayName: string; role: string; department?: string } | null };

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: object) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json<Record<string, unknown>>();
}

const scoreLine = (view: Record<string, unknown>) => (view.overview as Line[]).find((l) => l.label === '评审打分')?.value;
const scoredEvent = async (caller: ApiCaller) => ((await ok(caller, 'GET', `/api/cases/${caseId}/events`)).events as Event[]).find((e) => e.type === 'ApplicationScored')!;

beforeAll(async () => {
  harness = await startApiHarness();
  reviewer = await harness.as('yangpu-reviewer');
  approver = await harness.as('yangpu-approver');
  auditor = await harness.as('auditor');
  tenant = await harness.as('individual-creator');
  caseId = (await ok(tenant, 'POST', '/api/applications/yangpu-talent-rent', { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } })).caseId as string;
  await ok(reviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
  await ok(reviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 83, comments: '租赁合同与社保记录一致' });
  cacReviewer = await harness.as('cac-reviewer');
  reviewedCaseId = (await ok(tenant, 'POST', '/api/applications/yangpu-honour-title', { title: '荣誉称号申报', summary: '知识区创作者', facts: { applicantKind: 'individual-creator', requestedAmountFen: 5_000_000 } })).caseId as string;
  await ok(reviewer, 'POST', `/api/cases/${reviewedCaseId}/accept-materials`, {});
  await ok(cacReviewer, 'POST', `/api/cases/${reviewedCaseId}/pass-compliance-review`, { notes: '内容导向正确' });
  await ok(reviewer, 'POST', `/api/cases/${reviewedCaseId}/score-application`, { score: 88, comments: '作品影响力大' });
}, 240_000);
afterAll(() => harness?.close());

describe('a reviewer’s score on an application outside a call panel', () => {
  it('the applicant reads on the case page only that it was scored: no reviewer, no points, no comments', async () => {
    const mine = await ok(tenant, 'GET', `/api/cases/${caseId}`);
    expect(mine.scores).toEqual([{ scoredAt: expect.any(String) }]);
    expect(scoreLine(mine)).toBe('已打分');
    for (const secret of ['83 分', '租赁合同与社保记录一致']) expect(JSON.stringify(mine), secret).not.toContain(secret);
  });

  it('the applicant’s events say a score was recorded, and when, by the department’s reviewer: not who, nor the points or comments', async () => {
    const scored = await scoredEvent(tenant);
    expect(scored.data).toEqual({ scoredAt: expect.any(String) });
    expect(scored.actor).toEqual({ accountId: '', displayName: '评审人员', role: 'official', department: 'yangpu-investment' });
    expect(JSON.stringify(scored)).not.toContain('孙评审');
  });

  it('the department’s officials and the auditors read who scored, the points and the comments, on the page and in the events', async () => {
    for (const reader of [reviewer, approver, auditor]) {
      const view = await ok(reader, 'GET', `/api/cases/${caseId}`);
      expect(view.scores).toEqual([{ by: '孙评审', score: 83, comments: '租赁合同与社保记录一致', scoredAt: expect.any(String) }]);
      expect(scoreLine(view)).toBe('孙评审 83 分');
      const scored = await scoredEvent(reader);
      expect(scored.data).toMatchObject({ by: { displayName: '孙评审' }, score: 83, comments: '租赁合同与社保记录一致' });
      expect(scored.actor).toMatchObject({ accountId: 'demo-yangpu-reviewer', displayName: '孙评审' });
    }
  });

  it('an action of the applicant’s answers with the case as they may read it', async () => {
    await verifyClaims(reviewer, caseId);
    const approved = (await ok(approver, 'POST', `/api/cases/${caseId}/approve-application`, {})).case as { award: { awardedOn: string }; scores: Score[] };
    expect(approved.scores[0]).toMatchObject({ by: '孙评审', score: 83 });
    const answered = (await ok(tenant, 'POST', `/api/cases/${caseId}/report-left-yangpu`, { leftOn: approved.award.awardedOn, note: '迁往浦东' })).case as Record<string, unknown>;
    expect(answered.scores).toEqual([{ scoredAt: expect.any(String) }]);
    expect(scoreLine(answered)).toBe('已打分');
  });

  it('the reviewer who scored is not named to the applicant on any other step either: materials, facts, page and events', async () => {
    // Accepted the materials, verified the facts, scored (the test before approved the case):
    // 材料审查通过 by 孙评审 beside 评审打分 by 评审人员 would say who gave the score.
    const page = await ok(tenant, 'GET', `/api/cases/${caseId}`);
    const events = (await ok(tenant, 'GET', `/api/cases/${caseId}/events`)).events as Event[];
    expect(JSON.stringify(page)).not.toContain('孙评审');
    expect(JSON.stringify(events)).not.toContain('孙评审');
    expect(JSON.stringify(events)).not.toContain('demo-yangpu-reviewer');
    const withheld = { accountId: '', displayName: '评审人员', role: 'official', department: 'yangpu-investment' };
    for (const type of ['MaterialsAccepted', 'FactsVerified']) {
      const event = events.find((e) => e.type === type)!;
      expect(event.actor, type).toEqual(withheld);
      expect(event.data.by, type).toEqual({ accountId: '', displayName: '评审人员' });
    }
    expect((page.factChecks as { status: string; by: string | null }[]).filter((f) => f.status === 'verified').map((f) => f.by)).toEqual(
      expect.arrayContaining(['评审人员']),
    );
    // Who did not score is named as before: the approver on the decision, the applicant on their own report.
    const approved = events.find((e) => e.type === 'ApplicationApproved')!;
    const approverName = (await ok(approver, 'GET', '/api/me')).displayName as string;
    expect(approved.actor).toMatchObject({ accountId: 'demo-yangpu-approver', displayName: approverName });
    expect((page.decision as { by: string }).by).toBe(approverName);
    expect(events.find((e) => e.type === 'LeftYangpuReported')!.actor).toMatchObject({ role: 'applicant' });
    // The department reads who took each step.
    const theirs = (await ok(reviewer, 'GET', `/api/cases/${caseId}/events`)).events as Event[];
    expect(theirs.find((e) => e.type === 'MaterialsAccepted')!.actor).toMatchObject({ accountId: 'demo-yangpu-reviewer', displayName: '孙评审' });
    expect(JSON.stringify((await ok(reviewer, 'GET', `/api/cases/${caseId}`)).factChecks)).toContain('孙评审');
  });
});

describe('an official of another department that sees the application for a step of its own', () => {
  it('网信, which reviewed its content, reads on the case page only that it was scored', async () => {
    const view = await ok(cacReviewer, 'GET', `/api/cases/${reviewedCaseId}`);
    expect(view.scores).toEqual([{ scoredAt: expect.any(String) }]);
    expect(scoreLine(view)).toBe('已打分');
    for (const secret of ['88 分', '作品影响力大', '孙评审']) expect(JSON.stringify(view), secret).not.toContain(secret);
  });

  it('网信 reads the score event without who scored or how, and its own review whole', async () => {
    const events = (await ok(cacReviewer, 'GET', `/api/cases/${reviewedCaseId}/events`)).events as Event[];
    const scored = events.find((e) => e.type === 'ApplicationScored')!;
    expect(scored.data).toEqual({ scoredAt: expect.any(String) });
    expect(scored.actor).toEqual({ accountId: '', displayName: '评审人员', role: 'official', department: 'yangpu-investment' });
    const reviewed = events.find((e) => e.type === 'ComplianceReviewPassed')!;
    expect(reviewed.data).toMatchObject({ notes: '内容导向正确' });
    expect(reviewed.actor).toMatchObject({ accountId: 'demo-cac-reviewer', displayName: '张网信' });
  });

  it('the department’s own reviewer still reads the score whole on the same application', async () => {
    const view = await ok(reviewer, 'GET', `/api/cases/${reviewedCaseId}`);
    expect(view.scores).toEqual([{ by: '孙评审', score: 88, comments: '作品影响力大', scoredAt: expect.any(String) }]);
  });
});
