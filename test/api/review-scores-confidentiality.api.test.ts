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

  it('names the department, not the person, on every step an official took, the same before and after a score: no name goes when one is given', async () => {
    // 材料审查通过 by 孙评审 that turned into 评审人员 once 孙评审 scored told the applicant who had scored (an outsider saw it go).
    const fresh = (await ok(tenant, 'POST', '/api/applications/yangpu-talent-rent', { title: '人才租房补贴（二）', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 800_000 } })).caseId as string;
    await ok(reviewer, 'POST', `/api/cases/${fresh}/accept-materials`, {});
    const accepted = async () => ((await ok(tenant, 'GET', `/api/cases/${fresh}/events`)).events as Event[]).find((e) => e.type === 'MaterialsAccepted')!;
    const before = await accepted();
    const staff = { accountId: '', displayName: '工作人员', role: 'official', department: 'yangpu-investment' };
    expect(before.actor).toEqual(staff);
    expect(before.data.by).toEqual({ accountId: '', displayName: '工作人员' });
    await ok(reviewer, 'POST', `/api/cases/${fresh}/score-application`, { score: 70, comments: '一般' });
    expect(await accepted()).toEqual(before);
    // At the decision: the department decides, to the applicant; who may and above what amount is the office's rule.
    const note = async (caller: ApiCaller) => ((await ok(caller, 'GET', `/api/cases/${fresh}`)).waitingFor as { note: string }).note;
    expect(await note(tenant)).toBe('杨浦区投促办作出决定');
    expect(await note(reviewer)).toMatch(/^决策（不得由本案评审人担任；超过 [\d,]+\.\d{2}元须处长审批）$/);
    // The department's reviewer reads who took it.
    const theirs = ((await ok(reviewer, 'GET', `/api/cases/${fresh}/events`)).events as Event[]).find((e) => e.type === 'MaterialsAccepted')!;
    expect(theirs.actor).toMatchObject({ accountId: 'demo-yangpu-reviewer', displayName: '孙评审' });
  });

  it('names the review’s officials by their department on a decided case, and the decider by name', async () => {
    // Accepted, verified, scored, approved (the tests before), and the applicant's own report.
    const page = await ok(tenant, 'GET', `/api/cases/${caseId}`);
    const events = (await ok(tenant, 'GET', `/api/cases/${caseId}/events`)).events as Event[];
    const approverName = (await ok(approver, 'GET', '/api/me')).displayName as string;
    for (const secret of ['孙评审', 'demo-yangpu-reviewer']) {
      expect(JSON.stringify(page), secret).not.toContain(secret);
      expect(JSON.stringify(events), secret).not.toContain(secret);
    }
    for (const type of ['MaterialsAccepted', 'FactsVerified']) expect(events.find((e) => e.type === type)!.actor, type).toEqual({ accountId: '', displayName: '工作人员', role: 'official', department: 'yangpu-investment' });
    expect((page.factChecks as { status: string; by: string | null }[]).filter((f) => f.status === 'verified').map((f) => f.by)).toEqual(expect.arrayContaining(['杨浦区投促办']));
    // The decision is signed: its decider, who may not have scored the case, is named.
    expect(events.find((e) => e.type === 'ApplicationApproved')!.actor).toMatchObject({ accountId: 'demo-yangpu-approver', displayName: approverName });
    expect((page.decision as { by: string }).by).toBe(approverName);
    // The applicant's own step is theirs, named.
    expect(events.find((e) => e.type === 'LeftYangpuReported')!.actor).toMatchObject({ role: 'applicant', accountId: 'demo-individual-creator' });
    // The department and the auditors read the names.
    for (const reader of [reviewer, auditor]) expect(JSON.stringify((await ok(reader, 'GET', `/api/cases/${caseId}`)).factChecks)).toContain('孙评审');
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
    // The department's own steps name it, not its officials, as the applicant reads them.
    expect(events.find((e) => e.type === 'MaterialsAccepted')!.actor).toMatchObject({ displayName: '工作人员', department: 'yangpu-investment' });
  });

  it('the department’s own reviewer still reads the score whole on the same application', async () => {
    const view = await ok(reviewer, 'GET', `/api/cases/${reviewedCaseId}`);
    expect(view.scores).toEqual([{ by: '孙评审', score: 88, comments: '作品影响力大', scoredAt: expect.any(String) }]);
  });
});
