import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { assignWithApproval } from '../support/accounts.js';
import { dramaSubmission } from '../support/filings.js';
import { DEMO_ACCOUNTS } from '../../db/seed/demo-accounts.js';
import { bodyOf, planFields, type JsonSchema } from '../../web/src/schema-form.js';

/**
 * The one action route (POST /api/cases/:caseId/:action) over every case type of the registry, and
 * what GET /api/cases/:caseId offers each person (availableActions), through the real API, worker
 * and time-skipping Temporal.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;
let huangpuReviewer: ApiCaller;
let filingReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
  huangpuReviewer = await harness.as('huangpu-reviewer');
  filingReviewer = await harness.as('filing-reviewer');
  auditor = await harness.as('auditor');
}, 180_000);
afterAll(() => harness?.close());

interface Offered {
  name: string;
  label: string;
  submit: string;
  done: string;
  tone: 'danger' | null;
  explain: string | null;
  prefill: Record<string, unknown>;
  bodySchema: { type: string; properties: Record<string, Record<string, unknown>>; required?: string[] };
  enabled: boolean;
  disabledReason: string | null;
}

async function opened(url: string, body: object): Promise<string> {
  const response = await creator('POST', url, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ caseId: string }>().caseId;
}

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json<{ result: { caseId: string; version: number; status: string; events: string[] }; case: Record<string, unknown> }>();
}

const offered = async (caller: ApiCaller, caseId: string): Promise<Offered[]> => {
  const response = await caller('GET', `/api/cases/${caseId}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ availableActions: Offered[] }>().availableActions;
};

/** A 雏鹰 loan at the fund committee's decision: fund-reviewer accepted its materials, cac-reviewer passed its content. */
async function loanAtFundingDecision(): Promise<string> {
  const caseId = await opened('/api/cases/chuying-loan', validApplication());
  await act(fundReviewer, caseId, 'accept-materials');
  await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '内容积极健康' });
  return caseId;
}

describe('POST /api/cases/:caseId/:action', () => {
  it('takes a loan action through the one route and answers the result and the case after it', async () => {
    const caseId = await opened('/api/cases/chuying-loan', validApplication());
    const { result, case: after } = await act(fundReviewer, caseId, 'request-supplement', { missingItems: ['营业执照副本'], expectedVersion: 1 });
    expect(result).toMatchObject({ caseId, version: 2, status: 'awaiting-supplement', events: ['SupplementRequested'] });
    expect(after).toMatchObject({ caseId, caseType: 'chuying-loan', status: 'awaiting-supplement', version: 2, waitingFor: { role: 'applicant' }, applicantAwards: { count: 0 } });
  });

  it('validates the body by the action: field issues for a bad one, a stale expectedVersion is a 409 and one the case has not reached a 400', async () => {
    const caseId = await opened('/api/cases/chuying-loan', validApplication());
    const bad = await fundReviewer('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: [], status: 'closed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['body', 'missingItems']);
    expect(bad.json().message).toContain('需补正的材料：请列明需补正的全部材料');
    expect(bad.json().message).toContain('不认识的字段「status」');
    const ahead = await fundReviewer('POST', `/api/cases/${caseId}/accept-materials`, { expectedVersion: 7 });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json()).toMatchObject({ error: 'validation', code: 'unknown-version' });
    expect((await fundReviewer('POST', `/api/cases/${caseId}/request-supplement`, { expectedVersion: 1, missingItems: ['营业执照副本'] })).statusCode).toBe(200);
    const stale = await fundReviewer('POST', `/api/cases/${caseId}/accept-materials`, { expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'concurrency' });
  });

  it('answers 404 for an action no case type has, whoever asks, exactly as for a route that does not exist', async () => {
    const caseId = await opened('/api/cases/chuying-loan', validApplication());
    for (const caller of [creator, fundReviewer]) {
      const unknown = await caller('POST', `/api/cases/${caseId}/approve-everything`, {});
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: 'not-found', message: expect.stringContaining('approve-everything') });
    }
    // An unknown action is not a route: a GET of it is a 404 too, while a GET of a real action's URL is a 405.
    expect((await creator('GET', `/api/cases/${caseId}/approve-everything`)).statusCode).toBe(404);
    expect((await creator('GET', `/api/cases/${caseId}/withdraw`)).statusCode).toBe(405);
  });

  it("answers 409 for an action another case type has, naming this case's type in Chinese, and records nothing", async () => {
    const caseId = await opened('/api/cases/chuying-loan', validApplication());
    const scored = await fundReviewer('POST', `/api/cases/${caseId}/score-application`, { score: 90 });
    expect(scored.statusCode, scored.body).toBe(409);
    expect(scored.json()).toMatchObject({ error: 'illegal-state', message: expect.stringContaining('雏鹰计划（V聚场基金）创业借款') });
    // An action whose grants are another type's (认领 is a filing's, for 市文旅局): refused as not this case's, not as the fund's reviewer's lack of a grant.
    const claimed = await fundReviewer('POST', `/api/cases/${caseId}/claim`, {});
    expect(claimed.statusCode, claimed.body).toBe(409);
    expect(claimed.json().message).toMatch(/^办件 CY-\d{4}-\d{6} 是雏鹰计划（V聚场基金）创业借款，不能办理这项操作（它属于微短剧备案/);
    const filing = await opened('/api/cases/drama-planning-filing', dramaSubmission({ title: `外滩往事 ${randomUUID().slice(0, 8)}` }));
    const accept = await filingReviewer('POST', `/api/cases/${filing}/accept-materials`, {});
    expect(accept.statusCode, accept.body).toBe(409);
    expect(accept.json().message).toContain('微短剧备案');
    expect((await auditor('GET', `/api/cases/${caseId}`)).json().version).toBe(1);
  });

  it('takes an application action and a filing action through the same route', async () => {
    const application = await opened('/api/applications/huangpu-platform-subsidy', { title: '平台扶持', summary: '集聚创作者', facts: { applicantKind: 'mcn', requestedAmountFen: 50_000_000, registeredDistrict: '黄浦区' } });
    const accepted = await act(huangpuReviewer, application, 'accept-materials');
    expect(accepted.result).toMatchObject({ caseId: application, events: expect.arrayContaining([expect.any(String)]) });
    expect(accepted.case).toMatchObject({ caseType: 'application', applicantAwards: { count: expect.any(Number) } });

    const filing = await opened('/api/cases/drama-planning-filing', dramaSubmission({ title: `外滩往事 ${randomUUID().slice(0, 8)}` }));
    const claimed = await act(filingReviewer, filing, 'claim');
    expect(claimed.case).toMatchObject({ caseType: 'drama-planning-filing', status: 'in-review' });
  });
});

describe('GET /api/cases/:caseId: availableActions', () => {
  it('offers approve-funding to another approver, enabled; to the reviewer who reviewed the case, disabled with the four-eyes reason; the applicant none of it', async () => {
    const caseId = await loanAtFundingDecision();

    const approver = await offered(fundApprover, caseId);
    expect(approver.map((a) => a.name)).toEqual(['approve-funding', 'reject-funding', 'extend-time-limit', 'attach-documents']);
    const approve = approver[0]!;
    expect(approve).toMatchObject({ label: '同意资助', submit: '同意资助', tone: null, asksFirst: true, enabled: true, disabledReason: null, prefill: { approvedAmountFen: 40_000_000 } });
    expect(approve.explain).toContain('400,000.00');
    expect(approve.bodySchema.properties.approvedAmountFen).toMatchObject({ type: 'integer', unit: 'fen', title: '核定金额（元）' });
    expect(approve.bodySchema.required).toEqual(['approvedAmountFen']);
    expect(approve.bodySchema.properties).not.toHaveProperty('expectedVersion');
    // The case's own limits go with the form, which says them before the decision's confirmation (and before anything is sent):
    // no more than requested, and the reasons for a cut.
    expect(approve.bodySchema.properties.approvedAmountFen).toMatchObject({ maximum: 40_000_000 });
    expect(approve.bodySchema.properties.notes).toMatchObject({ title: '决策意见（核减金额时必填）', requiredBelow: { field: 'approvedAmountFen', fen: 40_000_000 } });
    const form = planFields(approve.bodySchema as JsonSchema, approve.prefill, { today: '2026-12-07' });
    const typedIn = (values: Record<string, string>) => (name: string) => values[name] ?? form.find((f) => f.name === name)!.value;
    expect(form.map((f) => f.label)).toEqual(['核定金额（元）', '决策意见（核减金额时必填）']);
    expect(bodyOf(form, typedIn({ approvedAmountFen: '600000' })).issues).toEqual([{ field: 'approvedAmountFen', message: '不能超过 400,000.00 元' }]);
    expect(bodyOf(form, typedIn({ approvedAmountFen: '250000' })).issues).toEqual([{ field: 'notes', message: '核定金额少于 400,000.00 元时，请填写决策意见' }]);
    expect(bodyOf(form, typedIn({ approvedAmountFen: '250000', notes: '项目预算偏高' })).issues).toEqual([]);
    expect(bodyOf(form, typedIn({})).issues).toEqual([]);
    expect(approver[1]).toMatchObject({ name: 'reject-funding', tone: 'danger', asksFirst: true, enabled: true });
    // Only what settles something for good is asked first: extending a time limit is not.
    expect(approver[2]).toMatchObject({ name: 'extend-time-limit', asksFirst: false });
    // The step's time limit (issue 13) is the fund's director's to extend: an approver of the deciding department sees it, disabled, saying whose it is.
    expect(approver[2]).toMatchObject({ name: 'extend-time-limit', enabled: false, disabledReason: '延长办理时限须由杨浦区 V聚场基金负责人（处长）决定。' });
    const extend = await fundApprover('POST', `/api/cases/${caseId}/extend-time-limit`, { extraWorkingDays: 5, reason: '专家评审' });
    expect(extend.statusCode, extend.body).toBe(403);

    // Given the approver duty as well, the reviewer of the case is granted the action but may not take it here.
    await assignWithApproval(harness, 'fund-reviewer', { role: 'official', department: 'yangpu-fund', duties: ['reviewer', 'approver'] });
    const reviewer = await offered(fundReviewer, caseId);
    const fourEyes = reviewer.find((a) => a.name === 'approve-funding');
    expect(fourEyes).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('四眼原则') });
    expect(fourEyes!.disabledReason).toMatch(/[\u4e00-\u9fff]/);
    // What the page says is what the route does.
    const refused = await fundReviewer('POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen: 100 });
    expect(refused.statusCode).toBe(403);

    const applicant = await offered(creator, caseId);
    expect(applicant.map((a) => a.name)).toEqual(['withdraw']);
    expect(applicant[0]).toMatchObject({ label: '撤回申请', tone: 'danger', enabled: true });

    expect(await offered(auditor, caseId)).toEqual([]);
    // 市委网信办 has nothing to do at the fund's decision but keep papers on the case (附加材料, at every open step).
    expect((await offered(cacReviewer, caseId)).map((a) => a.name)).toEqual(['attach-documents']);
  });

  it("offers the applicant the 补正 answer prefilled with the requested items, and the officials nothing of the applicant's", async () => {
    const caseId = await opened('/api/cases/chuying-loan', validApplication());
    await act(fundReviewer, caseId, 'request-supplement', { missingItems: ['营业执照副本', '项目预算表'] });
    const applicant = await offered(creator, caseId);
    expect(applicant.map((a) => a.name)).toEqual(['provide-supplement', 'withdraw']);
    expect(applicant[0]!.prefill).toEqual({ responses: [{ item: '营业执照副本', response: '' }, { item: '项目预算表', response: '' }] });
    expect(applicant[0]!.explain).toContain('第 1 次补正');
    // Nothing of the applicant's: only 附加材料, which the case's officials may take at every open step.
    expect((await offered(fundReviewer, caseId)).map((a) => a.name)).toEqual(['attach-documents']);
  });

  it('documents itself: the waitingFor of the case, and a form per action', async () => {
    const caseId = await opened('/api/cases/chuying-loan', validApplication());
    const view = (await fundReviewer('GET', `/api/cases/${caseId}`)).json();
    expect(view.waitingFor).toMatchObject({ role: 'official', department: 'yangpu-fund' });
    const names = view.availableActions.map((a: Offered) => a.name);
    expect(names).toEqual(['request-supplement', 'accept-materials', 'attach-documents']);
    const supplement = view.availableActions[0] as Offered;
    expect(supplement.bodySchema.properties.missingItems).toMatchObject({ type: 'array', title: '需补正的材料' });
  });
});

describe('the fund’s director (demo account fund-director)', () => {
  it('extends a 雏鹰 loan’s time limit, which only a director of the fund may: the approver is refused, the applicant reads the reason', async () => {
    // The fund had no director among the demo accounts: its 延长办理时限 could not be shown.
    const fundDirector = await harness.as('fund-director');
    const caseId = await loanAtFundingDecision();
    const before = (await fundDirector('GET', `/api/cases/${caseId}`)).json<{ deadline: { kind: string; at: string }; availableActions: Offered[] }>();
    expect(before.deadline.kind).toMatch(/^time-limit:/);
    expect(before.availableActions.find((a) => a.name === 'extend-time-limit')).toMatchObject({ enabled: true });
    const byApprover = await fundApprover('POST', `/api/cases/${caseId}/extend-time-limit`, { extraWorkingDays: 5, reason: '需补充征信核查' });
    expect(byApprover.statusCode).toBe(403);
    expect(byApprover.json().message).toBe('只有处长可以办理此项；您是李决策（杨浦区 V聚场基金工作人员）。');

    const { case: after } = await act(fundDirector, caseId, 'extend-time-limit', { extraWorkingDays: 5, reason: '需补充征信核查' });
    expect(Date.parse((after.deadline as { at: string }).at)).toBeGreaterThan(Date.parse(before.deadline.at));
    const events = (await creator('GET', `/api/cases/${caseId}/events`)).json<{ events: { type: string; data: { reason?: string; by?: { displayName: string } } }[] }>().events;
    expect(events.find((e) => e.type === 'TimeLimitExtended')?.data).toMatchObject({ reason: '需补充征信核查' });
  });
});

describe('GET /api/cases/:caseId: every disabled action says why', () => {
  it('gives each action offered disabled, to every official, its reason in Chinese: the approver at a reviewer’s step, the extension at a director’s', async () => {
    // An outside tester read culture-approver's request-supplement / accept-materials / verify-facts and the loan's extend-time-limit as disabled without a reason.
    const drama = await opened('/api/applications/drama-overseas', { title: '出海', summary: '微短剧出海', facts: { applicantKind: 'drama-producer', requestedAmountFen: 10_000_000, unifiedSocialCreditCode: validApplication().company.unifiedSocialCreditCode } });
    const xuhui = await opened('/api/applications/xuhui-company-settling', { title: '落户', summary: '企业落户', facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, registeredDistrict: '徐汇区' } });
    const cases = [drama, xuhui, await opened('/api/cases/chuying-loan', validApplication()), await loanAtFundingDecision(), await opened('/api/cases/drama-planning-filing', dramaSubmission({ title: `外滩往事 ${randomUUID().slice(0, 8)}` }))];
    const officials = DEMO_ACCOUNTS.filter((a) => a.role === 'official').map((a) => a.username);
    const seen = new Set<string>();
    for (const username of officials) {
      const caller = await harness.as(username);
      for (const caseId of cases) {
        const page = await caller('GET', `/api/cases/${caseId}`);
        // Another department's case is not theirs to see.
        if (page.statusCode !== 200) continue;
        for (const action of page.json<{ availableActions: Offered[] }>().availableActions) {
          if (action.enabled) continue;
          seen.add(action.name);
          expect(action.disabledReason, `${username} ${action.name} on ${caseId}`).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    }
    // The sweep saw the tester's cases: the approver at the reviewer's step, and the extension others may not grant.
    expect([...seen]).toEqual(expect.arrayContaining(['request-supplement', 'accept-materials', 'verify-facts', 'extend-time-limit', 'approve-funding']));
    const cultureApprover = await offered(await harness.as('culture-approver'), drama);
    expect(cultureApprover.filter((a) => ['request-supplement', 'accept-materials', 'verify-facts'].includes(a.name))).toEqual([
      expect.objectContaining({ name: 'request-supplement', enabled: false, disabledReason: '此步骤须由具有审查职责的工作人员办理。' }),
      expect.objectContaining({ name: 'accept-materials', enabled: false, disabledReason: '此步骤须由具有审查职责的工作人员办理。' }),
      expect.objectContaining({ name: 'verify-facts', enabled: false, disabledReason: '此步骤须由具有审查职责的工作人员办理。' }),
    ]);
  });
});

describe('GET /api/case-types', () => {
  it('names every case type with its statuses and actions, in Chinese, to anyone', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/case-types' });
    expect(response.statusCode).toBe(200);
    const types = response.json<{ caseType: string; streamTypes: string[]; name: string; statuses: Record<string, string>; actions: Record<string, string> }[]>();
    const loan = types.find((t) => t.caseType === 'chuying-loan');
    expect(loan).toMatchObject({ streamTypes: ['chuying-loan'], name: '雏鹰计划（V聚场基金）创业借款', statuses: { 'funding-decision': expect.any(String) }, actions: { 'approve-funding': '同意资助' } });
    expect(types.find((t) => t.streamTypes.includes('drama-release-filing'))).toMatchObject({ actions: { claim: expect.any(String) } });
    expect(types.find((t) => t.caseType === 'application')).toMatchObject({ actions: { 'score-application': expect.any(String) } });
  });
});
