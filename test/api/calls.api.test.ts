import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream, readStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { BudgetMovement } from '../../domain/calls/ledger.js';
import { fixedClock, newEvent } from '../db/support.js';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';

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

  it('a first-come call says its budget left to the public; once it is used up the list says so and an application is refused at submission (预算已用完)', async () => {
    const reviewer = await harness.as('huangpu-reviewer');
    const approver = await harness.as('huangpu-approver');
    const creator = await harness.as('creator');
    const now = Date.now();
    const opened = await reviewer('POST', '/api/cases/call', {
      programmeId: 'huangpu-carrier-operator',
      title: '2026 年黄浦载体扶持（先到先审）',
      opensAt: shanghai(now - DAY),
      closesAt: shanghai(now + 20 * DAY),
      budgetFen: 10_000_000,
      mode: 'first-come',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    expect((await approver('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
    type Listed = { callId: string; remainingFen: number | null; budgetUsedUp: boolean; mode: string };
    const listed = async () => (await harness.app.inject({ method: 'GET', url: '/api/calls' })).json<{ calls: Listed[] }>().calls;
    expect((await listed()).find((c) => c.callId === callId)).toMatchObject({ remainingFen: 10_000_000, budgetUsedUp: false });
    // A competitive call's list is decided at once: no budget left to tell.
    expect((await listed()).filter((c) => c.mode === 'competitive').every((c) => c.remainingFen === null && !c.budgetUsedUp)).toBe(true);

    // Approvals commit all of it (as an approval's event does).
    await appendToStream(
      harness.database.db,
      { streamId: randomUUID(), streamType: 'test-award', expectedVersion: 0, events: [newEvent('AwardGranted', { amountFen: 10_000_000, budgetMovements: [{ callId, kind: 'commit', amountFen: 10_000_000 } satisfies BudgetMovement] })] },
      { now: fixedClock(new Date().toISOString()), project: projectReadModels },
    );
    // Still listed, saying it is used up.
    expect((await listed()).find((c) => c.callId === callId)).toMatchObject({ remainingFen: 0, budgetUsedUp: true });

    const refused = await creator('POST', '/api/applications/huangpu-carrier-operator', { title: '载体运营扶持', summary: '运营特色载体', facts: { applicantKind: 'carrier-operator', requestedAmountFen: 1_000_000, registeredDistrict: '黄浦区' } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().message).toContain('申报批次「2026 年黄浦载体扶持（先到先审）」为先到先审，预算已用完（100,000.00 元已全部核定），不再受理申报；该批次仍在申报批次列表中列出至');
    expect(refused.json().message).not.toMatch(/[A-Za-z]/);
  });

  it('a first-come call with a quota says its places left to the public; once all are taken, money left or not, the list says so and an application is refused at submission (名额已满)', async () => {
    const reviewer = await harness.as('huangpu-reviewer');
    const approver = await harness.as('huangpu-approver');
    const creator = await harness.as('creator');
    const now = Date.now();
    const title = '2026 年黄浦节展赛事补贴（先到先审）';
    const opened = await reviewer('POST', '/api/cases/call', { programmeId: 'huangpu-event-subsidy', title, opensAt: shanghai(now - DAY), closesAt: shanghai(now + 20 * DAY), budgetFen: 100_000_000, quota: 2, mode: 'first-come' });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    expect((await approver('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
    type Listed = { callId: string; mode: string; quota: number | null; remainingFen: number | null; budgetUsedUp: boolean; placesLeft: number | null; placesFull: boolean };
    const listed = async () => (await harness.app.inject({ method: 'GET', url: '/api/calls' })).json<{ calls: Listed[] }>().calls;
    const ours = async () => (await listed()).find((c) => c.callId === callId);
    expect(await ours()).toMatchObject({ quota: 2, placesLeft: 2, placesFull: false });
    // A competitive call's list is decided at once, and a call without a quota has no places to count.
    expect((await listed()).filter((c) => c.mode === 'competitive' || c.quota === null).every((c) => c.placesLeft === null && !c.placesFull)).toBe(true);

    // Approvals take places (as an approval's event commits within the quota).
    const approve = () =>
      appendToStream(
        harness.database.db,
        { streamId: randomUUID(), streamType: 'test-award', expectedVersion: 0, events: [newEvent('AwardGranted', { amountFen: 1_000_000, budgetMovements: [{ callId, kind: 'commit', amountFen: 1_000_000, withinQuota: true } satisfies BudgetMovement] })] },
        { now: fixedClock(new Date().toISOString()), project: projectReadModels },
      );
    await approve();
    expect(await ours()).toMatchObject({ placesLeft: 1, placesFull: false });
    await approve();
    // Still listed, saying its places are taken; its budget is not used up.
    expect(await ours()).toMatchObject({ placesLeft: 0, placesFull: true, remainingFen: 98_000_000, budgetUsedUp: false });

    const refused = await creator('POST', '/api/applications/huangpu-event-subsidy', { title: '短视频节展', summary: '举办短视频节展', facts: { applicantKind: 'platform', requestedAmountFen: 500_000, registeredDistrict: '黄浦区', itemId: `event-${randomUUID()}` } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().message).toContain(`申报批次「${title}」为先到先审，本批次名额已满（共 2 个名额，均已获批），不再受理申报；该批次仍在申报批次列表中列出至`);
    expect(refused.json().message).not.toMatch(/[A-Za-z]/);
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

  it('refuses a period more than a year long, or opening more than a year from now, at its field, on opening and on a change', async () => {
    const reviewer = await harness.as('yangpu-reviewer');
    const now = Date.now();
    // The outside tester's slip of the year: a century's call would block the programme's every later one.
    const century = await reviewer('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '百年批次', opensAt: shanghai(now + 200 * DAY), closesAt: '2127-01-01T09:00', budgetFen: 100, mode: 'first-come' });
    expect(century.statusCode).toBe(400);
    expect(century.json().issues).toEqual([expect.objectContaining({ field: 'closesAt', message: expect.stringMatching(/^不能晚于开始时间后一年（\d{4}-\d{2}-\d{2} \d{2}:\d{2}），请核对年份$/) })]);
    expect(century.json().message).toContain('申报截止时间：不能晚于开始时间后一年');
    const farOff = await reviewer('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '远期批次', opensAt: shanghai(now + 400 * DAY), closesAt: shanghai(now + 430 * DAY), budgetFen: 100, mode: 'first-come' });
    expect(farOff.statusCode).toBe(400);
    expect(farOff.json().issues).toEqual([expect.objectContaining({ field: 'opensAt', message: expect.stringContaining('不能晚于一年后') })]);
    expect(farOff.json().message).toContain('申报开始时间不能晚于一年后');

    const opened = await reviewer('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '期限内批次', opensAt: shanghai(now + 200 * DAY), closesAt: shanghai(now + 230 * DAY), budgetFen: 100, mode: 'first-come' });
    expect(opened.statusCode, opened.body).toBe(201);
    const moved = await reviewer('POST', `/api/cases/${opened.json().caseId as string}/change-call`, { closesAt: '2127-01-01T09:00' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().issues).toEqual([expect.objectContaining({ field: 'closesAt', message: expect.stringContaining('不能晚于开始时间后一年') })]);
  });

  it('refuses a budget above 100 亿元 as a slip, on opening and on a change; 100 亿元 itself is a budget', async () => {
    const reviewer = await harness.as('yangpu-reviewer');
    const now = Date.now();
    const opening = { programmeId: 'yangpu-content-award', title: '2027 年度评选', opensAt: shanghai(now + 300 * DAY), closesAt: shanghai(now + 330 * DAY), mode: 'first-come' };
    const huge = await reviewer('POST', '/api/cases/call', { ...opening, budgetFen: 9_007_199_254_740_991 });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().issues).toEqual([expect.objectContaining({ field: 'budgetFen', message: '预算不能超过 100 亿元（10,000,000,000.00 元），请核对金额' })]);
    const opened = await reviewer('POST', '/api/cases/call', { ...opening, budgetFen: 1_000_000_000_000 });
    expect(opened.statusCode, opened.body).toBe(201);
    const changed = await reviewer('POST', `/api/cases/${opened.json().caseId as string}/change-call`, { budgetFen: 1_000_000_000_001 });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().issues).toEqual([expect.objectContaining({ field: 'budgetFen' })]);
  });

  it('takes one call of a programme at a time: an overlapping opening or change is refused naming the other call; after it, or once it is closed, another opens', async () => {
    const reviewer = await harness.as('xuhui-reviewer');
    const approver = await harness.as('xuhui-approver');
    const now = Date.now();
    const call = (title: string, fromDay: number, toDay: number) => ({
      programmeId: 'xuhui-quality-works',
      title,
      opensAt: shanghai(now + fromDay * DAY),
      closesAt: shanghai(now + toDay * DAY),
      budgetFen: 100_000_000,
      mode: 'first-come',
    });
    const first = await reviewer('POST', '/api/cases/call', call('2027 年第一批', 40, 50));
    expect(first.statusCode, first.body).toBe(201);
    const firstId = first.json<{ caseId: string }>().caseId;

    const overlapping = await reviewer('POST', '/api/cases/call', call('2027 年第二批', 45, 60));
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().message).toContain('「徐汇 优质短剧、获奖作品」已有申报批次「2027 年第一批」');
    expect(overlapping.json().message).toContain('同一项目同一时间只能有一个批次受理申报');

    // From the first's close on, another may open; its period may not then be moved into the first's.
    const next = await reviewer('POST', '/api/cases/call', call('2027 年第二批', 50, 60));
    expect(next.statusCode, next.body).toBe(201);
    const nextId = next.json<{ caseId: string }>().caseId;
    const moved = await reviewer('POST', `/api/cases/${nextId}/change-call`, { opensAt: shanghai(now + 48 * DAY) });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().message).toContain('「2027 年第一批」');

    // Thirty openings of one period at once: one call.
    const rush = await Promise.all(Array.from({ length: 30 }, (_, i) => reviewer('POST', '/api/cases/call', call(`同时设立 ${i}`, 70, 80))));
    expect(rush.map((r) => r.statusCode).filter((s) => s === 201)).toHaveLength(1);
    expect(rush.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);

    // Closed early, the first no longer takes applications: its period is free.
    const closed = await approver('POST', `/api/cases/${firstId}/close-call`, { reason: '政策调整' });
    expect(closed.statusCode, closed.body).toBe(200);
    const again = await reviewer('POST', '/api/cases/call', call('2027 年第一批（重设）', 40, 50));
    expect(again.statusCode, again.body).toBe(201);
  });

  it('a competitive call closed before it opens ends there: no panel step waits on it, and its case is closed', async () => {
    const reviewer = await harness.as('yangpu-reviewer');
    const approver = await harness.as('yangpu-approver');
    const director = await harness.as('yangpu-director');
    const now = Date.now();
    const opened = await reviewer('POST', '/api/cases/call', {
      programmeId: 'yangpu-content-award',
      title: '2027 年度杨浦优质内容评选（公告有误）',
      opensAt: shanghai(now + 40 * DAY),
      closesAt: shanghai(now + 50 * DAY),
      budgetFen: 100_000_000,
      mode: 'competitive',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    expect((await approver('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
    const closed = await director('POST', `/api/cases/${callId}/close-call`, { reason: '公告有误，撤回本批次' });
    expect(closed.statusCode, closed.body).toBe(200);
    const view = (await director('GET', `/api/cases/${callId}`)).json();
    expect(view).toMatchObject({ status: 'closed', waitingFor: null, finished: true });
    expect(view.timeLimit ?? null).toBeNull();
    expect(JSON.stringify(view)).toContain('申报开始前已截止');
    // It has ended: the page offers no action, no form to name a panel among them.
    expect(view.availableActions).toEqual([]);
    // The workflow is done: nothing runs on towards a panel's limit.
    const described = await harness.env.client.workflow.getHandle(caseWorkflowId(callId)).describe();
    expect(described.status.name).toBe('COMPLETED');
  });

  it('a competitive call closed once open ends when nothing waits for its panel; with an application it owes the panel and is not finished', async () => {
    const reviewer = await harness.as('huangpu-reviewer');
    const approver = await harness.as('huangpu-approver');
    const director = await harness.as('huangpu-director');
    const openCall = async (title: string) => {
      const now = Date.now();
      const opened = await reviewer('POST', '/api/cases/call', { programmeId: 'huangpu-platform-subsidy', title, opensAt: shanghai(now - 3600_000), closesAt: shanghai(now + 30 * DAY), budgetFen: 100_000_000, mode: 'competitive' });
      expect(opened.statusCode, opened.body).toBe(201);
      const callId = opened.json<{ caseId: string }>().caseId;
      expect((await approver('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
      return callId;
    };

    // Nobody applied: closed, it ends there — no panel to name, no 20 working days to run out.
    const empty = await openCall('2026 年黄浦平台集聚补贴（无人申报）');
    expect((await director('POST', `/api/cases/${empty}/close-call`, { reason: '无人申报' })).statusCode).toBe(200);
    const emptyView = (await director('GET', `/api/cases/${empty}`)).json();
    expect(emptyView).toMatchObject({ status: 'closed', waitingFor: null, finished: true, availableActions: [] });
    expect(emptyView.timeLimit ?? null).toBeNull();
    expect(JSON.stringify(emptyView)).toContain('没有待评审的申报');
    expect((await harness.env.client.workflow.getHandle(caseWorkflowId(empty)).describe()).status.name).toBe('COMPLETED');

    // With an application waiting: 已提前截止, yet not finished — it owes its panel, on its page and in the lists.
    const busy = await openCall('2026 年黄浦平台集聚补贴（提前截止）');
    const applied = await (await harness.as('creator'))('POST', '/api/applications/huangpu-platform-subsidy', { title: '平台集聚', summary: '集聚创作者 300 名', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 50_000_000 } });
    expect(applied.statusCode, applied.body).toBe(201);
    expect((await director('POST', `/api/cases/${busy}/close-call`, { reason: '申报已满' })).statusCode).toBe(200);
    const view = (await director('GET', `/api/cases/${busy}`)).json();
    expect(view).toMatchObject({ status: 'closed', finished: false });
    expect(view.waitingFor).not.toBeNull();
    const listed = (await director('GET', '/api/worklist?view=all&pageSize=100')).json().cases as { caseId: string; finished: boolean }[];
    expect(listed.find((c) => c.caseId === busy)).toMatchObject({ finished: false });
    expect(listed.find((c) => c.caseId === empty)).toMatchObject({ finished: true });

    // Each close fenced the call's intake as it counted (test/db/call-intake-fence.test.ts): an
    // application whose first row is written after the count is refused, not left out of it.
    for (const callId of [empty, busy]) {
      const closedAt = (await readStream(harness.database.db, callId)).find((e) => e.type === 'CallClosed')!.data.closedAt as string;
      const fence = (await sql<{ closed_at: Date }>`SELECT closed_at FROM call_intake_fences WHERE call_id = ${callId}`.execute(harness.database.db)).rows[0];
      expect(fence, callId).toBeDefined();
      expect(fence!.closed_at.getTime()).toBeLessThanOrEqual(Date.parse(closedAt));
      expect(Date.parse(closedAt) - fence!.closed_at.getTime()).toBeLessThan(60_000);
    }
  });


  it('a panel naming an applicant, too few members for its minimum and an account that does not exist is told all three at once, each by name or place, never by id', async () => {
    const reviewer = await harness.as('xuhui-reviewer');
    const now = Date.now();
    const opened = await reviewer('POST', '/api/cases/call', { programmeId: 'xuhui-summit-contest', title: '2027 年徐汇峰会赛事评选', opensAt: shanghai(now + 70 * DAY), closesAt: shanghai(now + 90 * DAY), budgetFen: 100_000_000, mode: 'competitive' });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    expect((await (await harness.as('xuhui-approver'))('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);
    const applicant = await harness.database.db.selectFrom('accounts').select('display_name').where('account_id', '=', 'demo-applicant').executeTakeFirstOrThrow();
    const named = await reviewer('POST', `/api/cases/${callId}/name-panel`, {
      memberAccountIds: ['demo-expert-1', 'demo-applicant', 'demo-creator'],
      criteria: [{ id: 'content', name: '内容质量', weightPercent: 100, maxPoints: 100 }],
      minScorers: 5,
    });
    expect(named.statusCode).toBe(400);
    const refusal = named.json<{ message: string; issues: { field: string; message: string }[] }>();
    expect(refusal.issues.map((i) => i.field)).toEqual(['minScorers', 'memberAccountIds.1', 'memberAccountIds.2']);
    expect(refusal.message).toContain(`${applicant.display_name}（申请人账户）不是评审专家或承担评审职责的工作人员，不能担任评审`);
    expect(refusal.message).toContain('评审组成员第 3 位：找不到该账户');
    expect(refusal.message).toContain('评审组至少 5 人');
    expect(refusal.message).not.toMatch(/demo-/);
  });

  it("offers the call's department by name who may sit on its panel: its reviewers, then the experts; nobody else reads the list", async () => {
    const reviewer = await harness.as('xuhui-reviewer');
    const now = Date.now();
    const opened = await reviewer('POST', '/api/cases/call', { programmeId: 'xuhui-summit-contest', title: '2026 年徐汇峰会赛事评选', opensAt: shanghai(now + 40 * DAY), closesAt: shanghai(now + 60 * DAY), budgetFen: 100_000_000, mode: 'competitive' });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    // A disabled expert is not offered.
    await harness.database.db.updateTable('accounts').set({ disabled_at: new Date(), disabled_reason: '聘期已满' }).where('account_id', '=', 'demo-expert-2').execute();
    try {
      const choices = await reviewer('GET', `/api/calls/${callId}/panel-member-choices`);
      expect(choices.statusCode, choices.body).toBe(200);
      // 冯评审 is 徐汇's reviewer; 褚审批 (approver) and other departments' reviewers are not offered.
      expect(choices.json().members).toEqual([
        { accountId: 'demo-xuhui-reviewer', displayName: '冯评审', kind: 'official', kindLabel: '徐汇区 工作人员（评审）' },
        { accountId: 'demo-expert-3', displayName: '邓专家', kind: 'expert', kindLabel: '评审专家' },
        { accountId: 'demo-expert-1', displayName: '冯专家', kind: 'expert', kindLabel: '评审专家' },
      ]);
    } finally {
      await harness.database.db.updateTable('accounts').set({ disabled_at: null, disabled_reason: null }).where('account_id', '=', 'demo-expert-2').execute();
    }
    expect((await (await harness.as('xuhui-approver'))('GET', `/api/calls/${callId}/panel-member-choices`)).statusCode).toBe(200);
    const otherDepartment = await (await harness.as('huangpu-reviewer'))('GET', `/api/calls/${callId}/panel-member-choices`);
    expect(otherDepartment.statusCode).toBe(403);
    expect(otherDepartment.json().message).toBe('评审组成员只能由徐汇区的工作人员选定');
    for (const other of ['creator', 'auditor']) {
      const refused = await (await harness.as(other))('GET', `/api/calls/${callId}/panel-member-choices`);
      expect(refused.statusCode, other).toBe(403);
      expect(refused.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await reviewer('GET', '/api/calls/00000000-0000-4000-8000-000000000000/panel-member-choices')).statusCode).toBe(404);
  });
});
