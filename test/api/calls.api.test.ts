import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';

let harness: ApiHarness;

beforeAll(async () => {
  harness = await startApiHarness();
});

afterAll(async () => {
  await harness?.close();
});

const DAY = 24 * 60 * 60 * 1000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

describe('calls over the API', () => {
  it('an official opens a call through the opening route, a second approves its budget; the public sees it, the ledger only its department and auditors', async () => {
    const reviewer = await harness.as('yangpu-reviewer');
    const approver = await harness.as('yangpu-approver');
    const now = Date.now();
    const opened = await reviewer('POST', '/api/cases/call', {
      programmeId: 'yangpu-content-award',
      title: '2026 年度杨浦优质内容评选',
      opensAt: shanghai(now - DAY),
      closesAt: shanghai(now + 30 * DAY),
      budgetFen: 500_000_000,
      quota: 20,
      mode: 'competitive',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;

    // Before approval the call is not public.
    expect((await harness.app.inject({ method: 'GET', url: '/api/calls' })).json<{ calls: unknown[] }>().calls).toEqual([]);
    const self = await reviewer('POST', `/api/cases/${callId}/approve-budget`, {});
    expect(self.statusCode).toBe(403);
    const approval = await approver('POST', `/api/cases/${callId}/approve-budget`, {});
    expect(approval.statusCode, approval.body).toBe(200);

    const list = await harness.app.inject({ method: 'GET', url: '/api/calls' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ calls: unknown[] }>().calls).toEqual([
      expect.objectContaining({ callId, title: '2026 年度杨浦优质内容评选', programme: { id: 'yangpu-content-award', name: '杨浦优质内容年度奖励' }, mode: 'competitive', open: true, quota: 20, budgetFen: 500_000_000 }),
    ]);

    const budget = await approver('GET', `/api/calls/${callId}/budget`);
    expect(budget.statusCode, budget.body).toBe(200);
    expect(budget.json()).toMatchObject({ budgetFen: 500_000_000, budgetApproved: true, committedFen: 0, paidFen: 0, recoveredFen: 0, remainingFen: 500_000_000 });
    expect((await (await harness.as('auditor'))('GET', `/api/calls/${callId}/budget`)).statusCode).toBe(200);
    expect((await (await harness.as('fund-reviewer'))('GET', `/api/calls/${callId}/budget`)).statusCode).toBe(403);
    expect((await (await harness.as('creator'))('GET', `/api/calls/${callId}/budget`)).statusCode).toBe(403);
    const pool = await (await harness.as('fund-approver'))('GET', '/api/calls/chuying-fund/budget');
    expect(pool.json()).toMatchObject({ callId: 'chuying-fund', revolving: true, committedFen: 0 });
  });

  it('refuses an opening for a continuous service, and one by another department, before any workflow starts', async () => {
    const cac = await harness.as('cac-reviewer');
    const service = await cac('POST', '/api/cases/call', { programmeId: 'hu9-starlight', title: '星光', opensAt: '2030-01-01T09:00', closesAt: '2030-02-01T09:00', budgetFen: 100, mode: 'first-come' });
    expect(service.statusCode).toBe(400);
    expect(service.body).toContain('不设申报批次');
    const other = await cac('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '越权', opensAt: '2030-01-01T09:00', closesAt: '2030-02-01T09:00', budgetFen: 100, mode: 'first-come' });
    expect(other.statusCode).toBe(403);
  });

  it('tells every problem of an opening at once, a period the wrong way round among them, and a date without its time once', async () => {
    const reviewer = await harness.as('yangpu-reviewer');
    const wrong = await reviewer('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '', opensAt: '2030-02-01T09:00', closesAt: '2030-01-01T09:00', budgetFen: -1, mode: 'first-come' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['budgetFen', 'closesAt', 'title']);
    expect(wrong.json().message).toContain('申报截止时间：须晚于开始时间');
    const dateOnly = await reviewer('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '2030 年度评选', opensAt: '2030-01-10', closesAt: '2030-02-01T09:00', budgetFen: 100, mode: 'first-come' });
    expect(dateOnly.json().issues).toEqual([expect.objectContaining({ field: 'opensAt', message: expect.stringContaining('写作“年-月-日T时:分”') })]);
  });
});
