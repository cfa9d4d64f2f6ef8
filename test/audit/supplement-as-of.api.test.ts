/**
 * An outside tester's finding: the auditor's as-of view showed a 补正's items only while it was open;
 * once the applicant answered, no moment showed what had been asked. Through the API, on a real case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { tamperAsSuperuser } from '../db/support.js';

let harness: ApiHarness;
let creator: ApiCaller;
let reviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  reviewer = await harness.as('fund-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
}

type Round = { round: number; missingItems: string[]; replyDueOn: string; requestedBy: { displayName: string }; answer: { responses: { item: string; response: string }[]; by: { displayName: string } } | null };

describe("the auditor's as-of view of a 补正", () => {
  it('shows what was asked, the day to answer by, and the answer, at every moment after the request', async () => {
    const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId } = opened.json<{ caseId: string }>();
    await act(reviewer, caseId, 'request-supplement', { missingItems: ['营业执照副本', '项目预算表'] });
    const open = (await creator('GET', `/api/cases/${caseId}`)).json<{ supplement: { replyDueOn: string } }>();
    await act(creator, caseId, 'provide-supplement', { responses: [{ item: '营业执照副本', response: '已上传扫描件' }, { item: '项目预算表', response: '见附表' }] });
    await act(reviewer, caseId, 'accept-materials');

    const events = (await auditor('GET', `/api/audit/cases/${caseId}/events`)).json<{ events: { type: string; version: number }[] }>().events;
    const requested = events.find((e) => e.type === 'SupplementRequested')!.version;
    const answered = events.find((e) => e.type === 'SupplementProvided')!.version;
    const asked = { round: 1, missingItems: ['营业执照副本', '项目预算表'], replyDueOn: open.supplement.replyDueOn, requestedBy: { displayName: '王审查' } };

    const asOf = async (query: string) => {
      const response = await auditor('GET', `/api/audit/cases/${caseId}/as-of?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ version: number; state: { status: string }; supplements: Round[] }>();
    };
    expect((await asOf(`version=${requested - 1}`)).supplements).toEqual([]);
    expect((await asOf(`version=${requested}`)).supplements).toMatchObject([{ ...asked, answer: null }]);
    const answer = { by: { displayName: '上海星河文化传媒有限公司' }, responses: [{ item: '营业执照副本', response: '已上传扫描件' }, { item: '项目预算表', response: '见附表' }] };
    for (const query of [`version=${answered}`, `version=${events.length}`, `at=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`]) {
      const later = await asOf(query);
      expect(later.supplements, query).toMatchObject([{ ...asked, answer }]);
    }
    expect((await asOf(`version=${events.length}`)).state.status).toBe('compliance-review');
  });
});

describe("the auditor's as-of and diff of a case whose record was changed in the database", () => {
  it('carry the failed chain in chainIntact and, first, in warnings, beside the state as stored', async () => {
    const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId } = opened.json<{ caseId: string }>();
    await act(reviewer, caseId, 'accept-materials');
    const clean = (await auditor('GET', `/api/audit/cases/${caseId}/as-of?version=1`)).json<{ chainIntact: boolean; warnings: string[] }>();
    expect(clean).toMatchObject({ chainIntact: true, warnings: [] });

    await tamperAsSuperuser(harness.database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{requestedAmountFen}', '99900000') WHERE stream_id = $1 AND stream_version = 1`, values: [caseId] }]);
    const warning = expect.stringMatching(/^本案记录的哈希链未通过核验（第 1 版（日志位置 \d+）：内容与其哈希不符：写入后被改动过）：以下内容可能已被改动，不能作为证据$/);
    const asOf = await auditor('GET', `/api/audit/cases/${caseId}/as-of?version=1`);
    expect(asOf.statusCode, asOf.body).toBe(200);
    expect(asOf.json()).toMatchObject({ chainIntact: false, warnings: [warning], state: { requestedAmountFen: 99_900_000 } });
    const diff = await auditor('GET', `/api/audit/cases/${caseId}/diff?fromVersion=0&toVersion=1`);
    expect(diff.statusCode, diff.body).toBe(200);
    expect(diff.json()).toMatchObject({ chainIntact: false, warnings: [warning] });
  });
});
