import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';

// A harness of its own: the applicant's one open application per measure must be this test's.
let harness: ApiHarness;
beforeAll(async () => {
  harness = await startApiHarness();
});
afterAll(async () => {
  await harness?.close();
});

const DAY = 24 * 60 * 60 * 1000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

describe('a competitive call whose applications are not all reviewed', () => {
  it("a closed competitive call's page tells its office how many applications are still before the panel, and offers the list disabled with it until they have reached it or left", async () => {
    const reviewer = await harness.as('huangpu-reviewer');
    const approver = await harness.as('huangpu-approver');
    const director = await harness.as('huangpu-director');
    const creator = await harness.as('creator');
    const now = Date.now();
    const opened = await reviewer('POST', '/api/cases/call', { programmeId: 'huangpu-platform-subsidy', title: '2026 年黄浦平台集聚补贴（审查未完）', opensAt: shanghai(now - 3600_000), closesAt: shanghai(now + 30 * DAY), budgetFen: 100_000_000, mode: 'competitive' });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    expect((await approver('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
    const named = await reviewer('POST', `/api/cases/${callId}/name-panel`, { memberAccountIds: ['demo-expert-1'], criteria: [{ id: 'reach', name: '集聚效果', weightPercent: 100, maxPoints: 100 }], minScorers: 1 });
    expect(named.statusCode, named.body).toBe(200);
    const applied = await creator('POST', '/api/applications/huangpu-platform-subsidy', { title: '平台集聚', summary: '集聚创作者 300 名', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 50_000_000 } });
    expect(applied.statusCode, applied.body).toBe(201);
    const applicationId = applied.json<{ caseId: string }>().caseId;
    expect((await director('POST', `/api/cases/${callId}/close-call`, { reason: '申报已满' })).statusCode).toBe(200);

    const heldUp = '尚有 1 件申请未审查完毕（材料审查 1 件），审查完毕后才能拟定资助名单。';
    type Page = { overview: { label: string; value: string }[]; availableActions: { name: string; enabled: boolean; disabledReason: string | null }[] };
    const page = (await reviewer('GET', `/api/cases/${callId}`)).json<Page>();
    expect(page.overview).toContainEqual({ label: '尚未审查完毕的申请', value: heldUp });
    expect(page.availableActions.find((a) => a.name === 'propose-list')).toMatchObject({ enabled: false, disabledReason: heldUp });
    const refused = await reviewer('POST', `/api/cases/${callId}/propose-list`, {});
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.body).toContain(heldUp);
    // An auditor reads it too; an official of another department is not shown the call at all.
    expect((await (await harness.as('auditor'))('GET', `/api/cases/${callId}`)).json<Page>().overview).toContainEqual({ label: '尚未审查完毕的申请', value: heldUp });

    // Withdrawn, the application has left the call: nothing holds the list up any more.
    expect((await creator('POST', `/api/cases/${applicationId}/withdraw`, { reason: '项目暂停' })).statusCode).toBe(200);
    const after = (await reviewer('GET', `/api/cases/${callId}`)).json<Page>();
    expect(after.overview.map((line) => line.label)).not.toContain('尚未审查完毕的申请');
    expect(after.availableActions.find((a) => a.name === 'propose-list')?.disabledReason ?? null).not.toBe(heldUp);
  });
});

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: unknown, status = 200) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
  return response.json<Record<string, unknown>>();
}

/**
 * A competitive call's list is proposed only once the facts of every application at its panel are
 * verified (核验事实). A director had approved a list whose applications' facts nobody had verified;
 * each selected one was then rejected, its 不予支持 letter telling the applicant to verify first.
 */
describe('a list proposed while an application at the panel has unverified facts', () => {
  it('is refused naming the application and its facts, and proposed once they are verified', async () => {
    const office = await harness.as('yangpu-reviewer');
    const approver = await harness.as('yangpu-approver');
    const creator = await harness.as('creator');
    const cac = await harness.as('cac-reviewer');
    const expert = await harness.as('expert-1');
    const now = Date.now();
    const callId = (await ok(office, 'POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '2026 年度杨浦优质内容评选（事实核验）', opensAt: shanghai(now - 3600_000), closesAt: shanghai(now + 30 * DAY), budgetFen: 20_000_000, quota: 2, mode: 'competitive' }, 201)).caseId as string;
    await ok(approver, 'POST', `/api/cases/${callId}/approve-budget`, {});
    const opened = await ok(creator, 'POST', '/api/applications/yangpu-content-award', { title: '城市漫游短视频', summary: '杨浦滨江城市更新系列', facts: { applicantKind: 'company', itemId: `VIDEO-${now}`, requestedAmountFen: 10_000_000 } }, 201);
    const caseId = opened.caseId as string;
    await ok(office, 'POST', `/api/cases/${caseId}/accept-materials`, {});
    await ok(cac, 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
    await ok(office, 'POST', `/api/cases/${callId}/name-panel`, { memberAccountIds: ['demo-expert-1'], criteria: [{ id: 'c1', name: '内容质量', weightPercent: 100, maxPoints: 100 }], minScorers: 1 });
    // A score before the declaration is refused naming no case id (an expert had read a UUID).
    const early = await expert('POST', `/api/cases/${callId}/submit-score`, { caseId, scores: [{ criterionId: 'c1', points: 90, comment: '画面精良' }] });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().message).toBe('打分前须先就该申请声明是否存在利益冲突（回避）。');
    await ok(expert, 'POST', `/api/cases/${callId}/declare-no-conflict`, { caseId });
    await ok(expert, 'POST', `/api/cases/${callId}/submit-score`, { caseId, scores: [{ criterionId: 'c1', points: 90, comment: '画面精良' }] });
    await ok(approver, 'POST', `/api/cases/${callId}/close-call`, { reason: '申报数量已满足评审需要' });

    const refused = await office('POST', `/api/cases/${callId}/propose-list`, {});
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().message).toMatch(new RegExp(`^以下申请尚有申请人声明的事实未核验，不能提出名单：${opened.referenceNo as string}（[^）]*申请主体类型[^）]*）。请先由审查人员在各申请中“核验事实”，再提出名单。$`));

    await verifyClaims(office, caseId);
    await ok(office, 'POST', `/api/cases/${callId}/propose-list`, {});
  });
});
