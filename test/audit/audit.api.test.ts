import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, buildApp } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import type { BundleManifest } from '../../audit/case-bundle.js';
import { fetchCaseHistory, replayHistory } from '../../audit/workflow-replay.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, validApplication, type ApiHarness } from '../support/api-harness.js';
import { workflowBundle } from '../support/temporal.js';
import { testKey } from './support.js';

const key = testKey();
// The case's six events (its four steps, and the time limits the two limited steps start with: issue 13),
// and each demo account's creation and demo password (AccountCreated, PasswordSet).
const CASE_EVENTS = 7;
const CASE_AND_ACCOUNT_EVENTS = CASE_EVENTS + 2 * DEMO_ACCOUNTS.length;
let harness: ApiHarness;
let app: FastifyInstance;
let deps: ApiDependencies;
let caseId: string;
type Caller = (method: string, url: string, body?: unknown) => Promise<LightMyRequestResponse>;
const callers: Record<string, Caller> = {};

/** Signs in on the app with the audit settings (the harness's app has none) and calls it as that account. */
async function signIn(username: string): Promise<Caller> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const token = login.json<{ token: string }>().token;
  return (method, url, body) => app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
}

beforeAll(async () => {
  harness = await startApiHarness();
  deps = {
    db: harness.database.db,
    temporal: harness.env.client,
    taskQueue: 'audit-api-test',
    clock: () => new Date(),
    calendar: calendarFromDatabase(harness.database.db),
    audit: { key, workflowBundle: () => workflowBundle() },
  };
  app = await buildApp(deps);
  for (const username of ['creator', 'fund-reviewer', 'fund-approver', 'cac-reviewer', 'auditor']) callers[username] = await signIn(username);

  // A real case through the real workflow, worker and time-skipping server.
  const creator = await harness.as('creator');
  caseId = (await creator('POST', '/api/cases/chuying-loan', validApplication())).json<{ caseId: string }>().caseId;
  for (const [username, action, body] of [
    ['fund-reviewer', 'accept-materials', {}],
    ['cac-reviewer', 'pass-compliance-review', { notes: '内容积极健康' }],
    ['fund-approver', 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减' }],
  ] as const) {
    const response = await (await harness.as(username))('POST', `/api/cases/${caseId}/${action}`, body);
    expect(response.statusCode, response.body).toBe(200);
  }
});
afterAll(async () => {
  await app?.close();
  await harness?.close();
});

const auditor = (method: string, url: string, body?: unknown) => callers.auditor!(method, url, body);

describe('who may use /api/audit', () => {
  const auditUrls = () => [
    ['GET', `/api/audit/cases/${caseId}/events`],
    ['GET', `/api/audit/cases/${caseId}/as-of?at=2026-03-05`],
    ['GET', `/api/audit/cases/${caseId}/diff?from=2026-03-01&to=2026-03-05`],
    ['GET', `/api/audit/cases/${caseId}/verify`],
    ['GET', `/api/audit/cases/${caseId}/export`],
    ['GET', `/api/audit/cases/${caseId}/replay`],
    ['GET', `/api/audit/cases/${caseId}/witness`],
    ['GET', '/api/audit/verify'],
    ['GET', '/api/audit/read-models/drift'],
    ['GET', '/api/audit/checkpoints'],
    ['POST', '/api/audit/checkpoints'],
    ['GET', '/api/audit/accounts/creator/events'],
    ['GET', '/api/audit/accounts/changes'],
  ];

  it('refuses officials and applicants (403) and anyone not signed in (401), for every audit endpoint', async () => {
    const listed = apiRoutes(deps).filter((r) => r.url.startsWith('/api/audit/')).map((r) => `${r.method} ${r.url}`);
    expect(listed).toHaveLength(auditUrls().length + 1); // + POST /api/audit/verify, below
    for (const [method, url] of [...auditUrls(), ['POST', '/api/audit/verify']] as const) {
      for (const username of ['creator', 'fund-reviewer', 'cac-reviewer']) {
        const response = await callers[username]!(method, url, method === 'POST' ? {} : undefined);
        expect(response.statusCode, `${username} ${method} ${url}`).toBe(403);
        expect(response.json().message).toContain('审计功能仅供审计人员使用');
      }
      expect((await app.inject({ method, url })).statusCode, `anonymous ${method} ${url}`).toBe(401);
    }
  });

  it("refuses every write an auditor attempts on any other signed-in route, before reading its input, and the case stays as it was", async () => {
    const before = (await auditor('GET', `/api/cases/${caseId}`)).json().version;
    const writes = apiRoutes(deps).filter((r) => r.method !== 'GET' && r.access === 'signed-in' && !r.url.startsWith('/api/auth/') && !r.url.startsWith('/api/audit/'));
    expect(writes.length).toBeGreaterThan(10);
    for (const r of writes) {
      const url = r.url.replace(':caseId', caseId).replace(/:(\w+)/g, 'x');
      const response = await auditor(r.method, url, {});
      expect(response.statusCode, `${r.method} ${r.url}: ${response.body}`).toBe(403);
      expect(response.json().message).toContain('审计人员只查看和核验');
    }
    expect((await auditor('GET', `/api/cases/${caseId}`)).json().version).toBe(before);
  });
});

describe('an auditor answers: what did the case look like, who changed it since, is the record intact', () => {
  it('reads the event stream with actor, role, time and hash', async () => {
    const { events } = (await auditor('GET', `/api/audit/cases/${caseId}/events`)).json();
    expect(events.map((e: { type: string; actor: { displayName: string; role: string } }) => [e.type, e.actor.displayName, e.actor.role])).toEqual([
      ['LoanApplicationSubmitted', '上海星河文化传媒有限公司', 'applicant'],
      ['MaterialsAccepted', '王审查', 'official'],
      // Recorded with the action that reaches a step with a promised time limit, and by its actor.
      ['TimeLimitStarted', '王审查', 'official'],
      ['ComplianceReviewPassed', '张网信', 'official'],
      ['TimeLimitStarted', '张网信', 'official'],
      ['FundingApproved', '李决策', 'official'],
      ['TimeLimitStarted', '李决策', 'official'],
    ]);
    expect(events.filter((e: { type: string }) => e.type === 'TimeLimitStarted').map((e: { data: { limit: { step: string } } }) => e.data.limit.step)).toEqual(['compliance-review', 'funding-decision', 'awaiting-disbursement']);
    expect(events[1].prevHash).toBe(events[0].hash);
    // Hashed by the database as it stored them (db/hash-chain.ts, version 2).
    expect(new Set(events.map((e: { hashVersion: number }) => e.hashVersion))).toEqual(new Set([2]));
  });

  it('shows the case as of the moment the materials were accepted, and what changed from then to now', async () => {
    const { events } = (await auditor('GET', `/api/audit/cases/${caseId}/events`)).json();
    const accepted = events[1].recordedAt as string;
    const asOf = await auditor('GET', `/api/audit/cases/${caseId}/as-of?at=${encodeURIComponent(accepted)}`);
    expect(asOf.statusCode, asOf.body).toBe(200);
    // The acceptance and the 网信 review's time limit were appended together: the case never was at version 2 alone.
    expect(events[2]).toMatchObject({ type: 'TimeLimitStarted', recordedAt: accepted });
    expect(asOf.json()).toMatchObject({ existed: true, version: 3, state: { status: 'compliance-review', timeLimit: { step: 'compliance-review' } }, lastEvent: { type: 'TimeLimitStarted' } });

    const now = new Date(Date.now() + 60_000).toISOString();
    const diff = (await auditor('GET', `/api/audit/cases/${caseId}/diff?from=${encodeURIComponent(accepted)}&to=${encodeURIComponent(now)}`)).json();
    expect(diff.events.map((e: { type: string; actor: { displayName: string } }) => `${e.type} by ${e.actor.displayName}`)).toEqual(['ComplianceReviewPassed by 张网信', 'TimeLimitStarted by 张网信', 'FundingApproved by 李决策', 'TimeLimitStarted by 李决策']);
    expect(diff.changes).toContainEqual({ path: 'status', kind: 'changed', before: 'compliance-review', after: 'awaiting-disbursement' });
  });

  it('refuses an instant it cannot read, saying what it accepts', async () => {
    const response = await auditor('GET', `/api/audit/cases/${caseId}/as-of?at=2026-03-05T10:00:00`);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('带时区的时间（如 2026-03-05T10:00:00+08:00）');
    const noSuchDay = await auditor('GET', `/api/audit/cases/${caseId}/as-of?at=2026-02-30`);
    expect(noSuchDay.statusCode).toBe(400);
    expect(noSuchDay.json().message).toContain('应为 1990 至 2199 年间存在的日期');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'auditor', password: DEMO_PASSWORD } });
    const inEnglish = await app.inject({ method: 'GET', url: `/api/audit/cases/${caseId}/as-of?at=yesterday`, headers: { authorization: `Bearer ${login.json<{ token: string }>().token}`, 'accept-language': 'en' } });
    expect(inEnglish.json().message).toContain('an instant with its offset');
  });

  it('refuses a diff whose instants are out of order, in Chinese, naming both in Shanghai time', async () => {
    const response = await auditor('GET', `/api/audit/cases/${caseId}/diff?from=2026-12-05&to=2026-12-01`);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('起始时间（2026-12-05T23:59:59+08:00）晚于结束时间（2026-12-01T23:59:59+08:00）：请先填较早的时间。');
  });

  it('signs a checkpoint on demand (once per new event), verifies the case and the store, and against exported checkpoints', async () => {
    const first = await auditor('POST', '/api/audit/checkpoints', {});
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ created: true, checkpoint: { checkpointNo: 1, eventCount: CASE_AND_ACCOUNT_EVENTS, keyId: key.keyId, reason: 'on-demand', requestedBy: 'demo-auditor' } });
    const again = await auditor('POST', '/api/audit/checkpoints', {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, checkpoint: { checkpointNo: 1 } });

    expect((await auditor('GET', `/api/audit/cases/${caseId}/verify`)).json()).toMatchObject({ intact: true, events: CASE_EVENTS, checkpoint: { checkpointNo: 1, coveredVersion: CASE_EVENTS, signature: 'valid', streamsRoot: 'matches', trustedKeyId: key.keyId } });
    const exported = (await auditor('GET', '/api/audit/checkpoints')).json();
    expect(exported).toMatchObject({ keyId: key.keyId, publicKey: key.publicKeyPem, checkpoints: [{ checkpointNo: 1 }] });
    expect((await auditor('GET', '/api/audit/verify')).json()).toMatchObject({ intact: true, eventsChecked: CASE_AND_ACCOUNT_EVENTS, checkpoints: { checked: 1 } });
    const against = await auditor('POST', '/api/audit/verify', { checkpoints: exported.checkpoints });
    expect(against.json()).toMatchObject({ intact: true, problems: [] });
    // A year's checkpoints are more than the API's 64 KiB: the route takes them (an outside tester's 105 were refused with the upload advice).
    const many = await auditor('POST', '/api/audit/verify', { checkpoints: Array.from({ length: 150 }, () => exported.checkpoints[0]) });
    expect(JSON.stringify({ checkpoints: Array.from({ length: 150 }, () => exported.checkpoints[0]) }).length).toBeGreaterThan(64 * 1024);
    expect(many.statusCode, many.body.slice(0, 300)).toBe(200);
    expect(many.json()).toMatchObject({ intact: true, problems: [] });
    // A copy altered after its export is the copy's fault, not the database's: the stored checkpoint still verifies.
    const altered = await auditor('POST', '/api/audit/verify', { checkpoints: [{ ...exported.checkpoints[0], position: 999_999_999 }] });
    const report = altered.json<{ intact: boolean; problems: { kind: string; checkpointNo: number; message: string }[] }>();
    expect(report.intact).toBe(false);
    expect(report.problems).toEqual([{ kind: 'signature', checkpointNo: 1, message: expect.stringMatching(/^导出的检查点 #1 不是签署时的原样（.+）：这份副本被改动过或不是本系统签发的，不能据以核验数据库；数据库中的检查点 #1 照常核验$/) }]);
    expect(JSON.stringify(report)).not.toContain('被替换过');
  });

  it('exports a bundle, and finds no drift between the read models and the events', async () => {
    const bundle = (await auditor('GET', `/api/audit/cases/${caseId}/export`)).json<{ manifest: BundleManifest; files: Record<string, string> }>();
    expect(Object.keys(bundle.files).sort()).toEqual(['events.jsonl', 'manifest.json', 'summary.csv']);
    expect(bundle.manifest).toMatchObject({ caseId, exportedBy: '赵审计 (auditor)', events: { count: CASE_EVENTS }, inclusion: { version: CASE_EVENTS } });
    expect(bundle.files['events.jsonl']!.trim().split('\n')).toHaveLength(CASE_EVENTS);
    expect((await auditor('GET', '/api/audit/read-models/drift')).json()).toMatchObject({ intact: true, driftCount: 0 });
  });
});

describe('replaying a case workflow against the current code', () => {
  it('replays the real case, and 404s a case without a workflow', async () => {
    const report = (await auditor('GET', `/api/audit/cases/${caseId}/replay`)).json();
    expect(report).toMatchObject({ caseId, workflowId: `case-${caseId}`, deterministic: true, divergence: null });
    // Said in Chinese for the auditor (it was English).
    expect(report.summary).toBe(`案件 ${caseId}：工作流 case-${caseId} 的全部 ${report.historyEvents} 个历史事件都能用当前代码重放`);
    expect((await auditor('GET', '/api/audit/cases/00000000-0000-4000-8000-000000000000/replay')).statusCode).toBe(404);
  });

  it('answers an id with no case 404 in Chinese on every page of the case (it was the English "no case …")', async () => {
    const missing = '11111111-1111-4111-8111-111111111111';
    for (const path of ['events', 'verify', 'export', `as-of?version=1`, `diff?fromVersion=1&toVersion=2`]) {
      const answer = await auditor('GET', `/api/audit/cases/${missing}/${path}`);
      expect(answer.statusCode, `${path}: ${answer.body}`).toBe(404);
      expect(answer.json().message, path).toBe(`没有编号为 ${missing} 的办件：请检查编号，或从案件列表打开。`);
    }
  });

  it('names the case and the history event the current code no longer reproduces', async () => {
    const history = await fetchCaseHistory(harness.env.client, caseId);
    const scheduled = history.events.filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    expect(scheduled.length).toBeGreaterThanOrEqual(4);
    const changed = scheduled[2]!;
    const activityType = (changed.activityTaskScheduledEventAttributes as { activityType: { name: string } }).activityType;
    // Whichever activity the case scheduled third (the workflow gains look-ups over time): the report names what the code asks for.
    const current = activityType.name;
    expect(current).not.toBe('appendCaseEventsV0');
    activityType.name = 'appendCaseEventsV0';

    const report = await replayHistory(caseId, history, await workflowBundle());
    expect(report.deterministic).toBe(false);
    expect(report.divergence).toMatchObject({ eventId: Number(changed.eventId), eventType: 'ActivityTaskScheduled', recorded: 'ActivityTaskScheduled (appendCaseEventsV0)' });
    expect(report.summary).toBe(
      `案件 ${caseId}：当前工作流代码不能重现工作流 case-${caseId} 的第 ${changed.eventId} 个历史事件 ActivityTaskScheduled (appendCaseEventsV0)` +
        `（Temporal 的说明：Activity type of scheduled event 'appendCaseEventsV0' does not match activity type of activity command '${current}'）`,
    );
  });
});
