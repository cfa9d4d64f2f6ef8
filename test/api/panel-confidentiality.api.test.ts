import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';

/**
 * The panel's work is the office's: who sat on it, each member's scores and comments, who recused
 * and why. The applicant reads their rank and aggregate score only — on the case, in its events.
 * An expert of the panel reads no other member's figures while they may still score, nor who else
 * recused. The department's officials and the auditors keep everything.
 */
let harness: ApiHarness;
const DAY = 24 * 60 * 60 * 1000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

let callId: string;
let caseA: string;
let caseB: string;

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: unknown, status = 200) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
  return response.json<Record<string, unknown>>();
}

const score = async (expert: ApiCaller, caseId: string, content: number, impact: number) => {
  await ok(expert, 'POST', `/api/cases/${callId}/declare-no-conflict`, { caseId });
  return ok(expert, 'POST', `/api/cases/${callId}/submit-score`, { caseId, scores: [{ criterionId: 'c1', points: content, comment: '画面精良' }, { criterionId: 'c2', points: impact, comment: '传播面广' }] });
};

interface PanelRow {
  caseId: string;
  aggregate?: number;
  rank?: number;
  scorers?: number;
  awaiting: string[];
  recused: string[];
  declaredNoConflict?: boolean;
}

beforeAll(async () => {
  harness = await startApiHarness();
  const office = await harness.as('yangpu-reviewer');
  const approver = await harness.as('yangpu-approver');
  const creator = await harness.as('creator');
  const person = await harness.as('individual-creator');
  const cac = await harness.as('cac-reviewer');
  const now = Date.now();
  callId = (await ok(office, 'POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '2026 年度杨浦优质内容评选', opensAt: shanghai(now - 3600_000), closesAt: shanghai(now + 30 * DAY), budgetFen: 20_000_000, quota: 2, mode: 'competitive' }, 201)).caseId as string;
  await ok(approver, 'POST', `/api/cases/${callId}/approve-budget`, {});
  caseA = (await ok(creator, 'POST', '/api/applications/yangpu-content-award', { title: '城市漫游短视频', summary: '杨浦滨江城市更新系列', facts: { applicantKind: 'company', itemId: 'VIDEO-01', requestedAmountFen: 10_000_000 } }, 201)).caseId as string;
  caseB = (await ok(person, 'POST', '/api/applications/yangpu-content-award', { title: '滨江一日', summary: '杨浦滨江城市更新系列', facts: { applicantKind: 'individual-creator', itemId: 'VIDEO-02', requestedAmountFen: 8_000_000 } }, 201)).caseId as string;
  for (const caseId of [caseA, caseB]) {
    await verifyClaims(office, caseId);
    await ok(office, 'POST', `/api/cases/${caseId}/accept-materials`, {});
    await ok(cac, 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
  }
  await ok(office, 'POST', `/api/cases/${callId}/name-panel`, {
    memberAccountIds: ['demo-expert-1', 'demo-expert-2', 'demo-expert-3'],
    criteria: [
      { id: 'c1', name: '内容质量', weightPercent: 60, maxPoints: 100 },
      { id: 'c2', name: '传播影响', weightPercent: 40, maxPoints: 100 },
    ],
    minScorers: 2,
  });
  const e1 = await harness.as('expert-1');
  const e2 = await harness.as('expert-2');
  const e3 = await harness.as('expert-3');
  await score(e1, caseA, 90, 80);
  await score(e2, caseA, 88, 84);
  await score(e1, caseB, 80, 70);
  await ok(e3, 'POST', `/api/cases/${callId}/declare-conflict`, { caseId: caseA, reason: '曾为该公司提供咨询' });
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

describe('the panel’s work is confidential to the office', () => {
  it('an expert who has still to score an application reads none of the others’ figures on the call, nor who else recused', async () => {
    const e2 = await harness.as('expert-2');
    // 蔡专家 scored A and not yet B (冯专家 has): the call's page tells them what is theirs to do, nothing of the others.
    const seen = await ok(e2, 'GET', `/api/cases/${callId}`);
    const panel = seen.panel as { ranking: PanelRow[]; list: unknown };
    const rowB = panel.ranking.find((r) => r.caseId === caseB)!;
    expect(rowB).toBeDefined();
    expect(rowB.aggregate).toBeUndefined();
    expect(rowB.scorers).toBeUndefined();
    expect(rowB.rank).toBeUndefined();
    expect(rowB.awaiting).toEqual(['蔡专家']);
    const rowA = panel.ranking.find((r) => r.caseId === caseA)!;
    expect(rowA.aggregate).toBeUndefined();
    expect(rowA.recused).toEqual([]);
    expect(rowA.awaiting).toEqual([]);
    const overview = JSON.stringify(seen.overview);
    expect(overview).not.toContain('当前排名');
    // The recused expert sees their own recusal, and nothing of the figures.
    const e3 = await harness.as('expert-3');
    const theirs = (await ok(e3, 'GET', `/api/cases/${callId}`)).panel as { ranking: PanelRow[] };
    expect(theirs.ranking.find((r) => r.caseId === caseA)?.recused).toEqual(['邓专家']);
    expect(theirs.ranking.find((r) => r.caseId === caseA)?.aggregate).toBeUndefined();
    // Recused, they read no more of the application: neither the case nor its place in their list; the other one they still do.
    expect((await e3('GET', `/api/cases/${caseA}`)).statusCode).toBe(404);
    expect((await e3('GET', `/api/cases/${caseB}`)).statusCode).toBe(200);
    const listed = ((await ok(e3, 'GET', '/api/cases?limit=100')).cases as { caseId: string }[]).map((c) => c.caseId);
    expect(listed).toEqual(expect.arrayContaining([callId, caseB]));
    expect(listed).not.toContain(caseA);
    // The office reads the ranking whole: the figures, who may still score and who recused.
    const office = await harness.as('yangpu-reviewer');
    const full = (await ok(office, 'GET', `/api/cases/${callId}`)).panel as { ranking: PanelRow[] };
    expect(full.ranking.find((r) => r.caseId === caseA)).toMatchObject({ scorers: 2, recused: ['邓专家'] });
    expect(full.ranking.find((r) => r.caseId === caseB)?.awaiting).toEqual(expect.arrayContaining(['蔡专家', '邓专家']));
    expect(typeof full.ranking.find((r) => r.caseId === caseB)?.aggregate).toBe('number');
  });

  it('after the batch: the applicant reads their rank and aggregate only, on the case and in its events; the expert no recusal; the office and the auditor everything', async () => {
    const e2 = await harness.as('expert-2');
    const e3 = await harness.as('expert-3');
    const office = await harness.as('yangpu-reviewer');
    const approver = await harness.as('yangpu-approver');
    const director = await harness.as('yangpu-director');
    await score(e2, caseB, 76, 72);
    // Declared and still to score: the call says they declared (an outside tester's expert was asked to declare again), and nothing more.
    const declared = (await ok(e3, 'POST', `/api/cases/${callId}/declare-no-conflict`, { caseId: caseB })).case as { panel: { ranking: PanelRow[] } };
    expect(declared.panel.ranking.find((r) => r.caseId === caseB)).toEqual({ caseId: caseB, referenceNo: expect.any(String), applicantName: expect.any(String), amountFen: 8_000_000, awaiting: ['邓专家'], recused: [], declaredNoConflict: true });
    expect(declared.panel.ranking.find((r) => r.caseId === caseA)).toMatchObject({ recused: ['邓专家'], declaredNoConflict: false });
    // The action's answer carries the call as the expert may read it: their own standing, no figures.
    const answered = (
      await ok(e3, 'POST', `/api/cases/${callId}/submit-score`, { caseId: caseB, scores: [{ criterionId: 'c1', points: 82, comment: '画面精良' }, { criterionId: 'c2', points: 74, comment: '传播面广' }] })
    ).case as { panel: { ranking: PanelRow[]; list: unknown } };
    expect(answered.panel.ranking.find((r) => r.caseId === caseB)).toEqual({ caseId: caseB, referenceNo: expect.any(String), applicantName: expect.any(String), amountFen: 8_000_000, awaiting: [], recused: [], declaredNoConflict: true });
    await ok(approver, 'POST', `/api/cases/${callId}/close-call`, { reason: '申报数量已满足评审需要' });
    await ok(office, 'POST', `/api/cases/${callId}/propose-list`, {});
    await ok(director, 'POST', `/api/cases/${callId}/approve-batch`, {});
    const creator = await harness.as('creator');
    await expect
      .poll(async () => ((await creator('GET', `/api/cases/${caseA}`)).json<{ panel?: unknown }>().panel ?? null) !== null, { timeout: 60_000, interval: 500 })
      .toBe(true);

    // The applicant: rank and aggregate, no names of the panel, no recusal, no scores or comments.
    const mine = await ok(creator, 'GET', `/api/cases/${caseA}`);
    expect(mine.panel).toMatchObject({ rank: 1, rankedOf: 2, aggregate: expect.any(Number) });
    expect((mine.panel as Record<string, unknown>).excluded).toBeUndefined();
    const result = (mine.overview as { label: string; value: string }[]).find((l) => l.label === '评审结果')!.value;
    expect(result).toMatch(/^第 1 位（共 2 位），综合得分 \d+\.\d\d$/);
    for (const secret of ['邓专家', '冯专家', '蔡专家', '回避', '曾为该公司提供咨询', '画面精良']) expect(JSON.stringify(mine), secret).not.toContain(secret);
    const myEvents = (await ok(creator, 'GET', `/api/cases/${caseA}/events`)).events as { type: string; data: Record<string, unknown> }[];
    const review = myEvents.find((e) => e.type === 'PanelReviewRecorded')!;
    expect(review.data).toMatchObject({ rank: 1, rankedOf: 2, aggregate: (mine.panel as { aggregate: number }).aggregate });
    expect(review.data.sheets).toBeUndefined();
    expect(review.data.excluded).toBeUndefined();
    for (const secret of ['邓专家', '冯专家', '蔡专家', '曾为该公司提供咨询', '画面精良', '传播面广']) expect(JSON.stringify(myEvents), secret).not.toContain(secret);

    // An expert of the panel: the application's result without who recused; its events are not theirs to read.
    const expertView = await ok(e2, 'GET', `/api/cases/${caseA}`);
    expect((expertView.panel as Record<string, unknown>).excluded).toBeUndefined();
    expect(JSON.stringify(expertView)).not.toContain('邓专家');
    expect((await e2('GET', `/api/cases/${caseA}/events`)).statusCode).toBe(403);

    // The department's officials and the auditor: every sheet, every recusal and its reason.
    const auditor = await harness.as('auditor');
    for (const reader of [office, auditor]) {
      const view = await ok(reader, 'GET', `/api/cases/${caseA}`);
      expect((view.panel as { excluded: string[] }).excluded).toEqual(['邓专家']);
      expect((view.overview as { label: string; value: string }[]).find((l) => l.label === '评审结果')?.value).toContain('回避：邓专家');
      const events = (await ok(reader, 'GET', `/api/cases/${caseA}/events`)).events as { type: string; data: { sheets?: { member: { displayName: string }; scores: { comment: string }[] }[]; excluded?: { member: { displayName: string }; reason: string }[] } }[];
      const full = events.find((e) => e.type === 'PanelReviewRecorded')!.data;
      expect(full.sheets?.map((s) => s.member.displayName).sort()).toEqual(['冯专家', '蔡专家'].sort());
      expect(full.sheets?.[0]?.scores[0]?.comment).toBe('画面精良');
      expect(full.excluded).toEqual([{ member: { accountId: 'demo-expert-3', displayName: '邓专家' }, reason: '曾为该公司提供咨询' }]);
    }
    // The office's call page still names who recused from which application.
    const ranking = ((await ok(office, 'GET', `/api/cases/${callId}`)).panel as { ranking: PanelRow[] }).ranking;
    expect(ranking.find((r) => r.caseId === caseA)?.recused).toEqual(['邓专家']);
  });
});
