import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/auth/passwords.js';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import type { CallCommand } from '../../domain/calls/commands.js';
import type { Actor } from '../../domain/cases/actor.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { caseActionUpdate } from '../../workflows/case.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';

/**
 * External experts (评审专家): an expert signs in and sees the calls whose panel names them and,
 * read-only, the applications of those calls referred to the panel or waiting for it — nothing else.
 */
let harness: ApiHarness;
const DAY = 24 * 60 * 60 * 1000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');
const panelExpert: Actor = { accountId: 'acct-panel-expert', displayName: '丁专家', role: 'expert' };

let callId: string;
let otherCallId: string;
const apps: Record<'referred' | 'waiting' | 'notYet' | 'otherCall', string> = { referred: '', waiting: '', notYet: '', otherCall: '' };

async function seedApplication(forCall: string, status: string, n: number): Promise<string> {
  const caseId = randomUUID();
  await harness.database.ownerDb
    .insertInto('cases')
    .values({
      case_id: caseId,
      reference_no: `AP-2026-E${n}-${caseId.slice(0, 4)}`,
      case_type: 'application',
      applicant_account_id: 'demo-creator',
      applicant_name: `申请人${n}`,
      status,
      status_label: status,
      requested_fen: 10_000_000,
      outstanding_fen: 0,
      version: 3,
      opened_at: new Date(),
      updated_at: new Date(),
      state: '{}',
      programme_id: 'huangpu-creator-reward',
      details: JSON.stringify({ call: { callId: forCall } }),
      departments: ['huangpu'],
    } as never)
    .execute();
  return caseId;
}

/** A real application (its read model as its module writes it), then moved to the call's panel step as the application side will. */
async function realApplicationAwaitingPanel(forCall: string): Promise<string> {
  const applicant = await harness.as('creator');
  const created = await applicant('POST', '/api/applications/huangpu-platform-subsidy', { title: '星河 MCN 创作者集聚', summary: '签约优质创作者 120 名', facts: { applicantKind: 'mcn', requestedAmountFen: 50_000_000, registeredDistrict: '黄浦区' } }, { 'idempotency-key': randomUUID() });
  expect(created.statusCode, created.body).toBe(201);
  const caseId = created.json<{ caseId: string }>().caseId;
  await sql`UPDATE cases SET status = 'panel-review', details = jsonb_set(coalesce(details, '{}'::jsonb), '{call}', ${JSON.stringify({ callId: forCall })}::jsonb) WHERE case_id = ${caseId}`.execute(harness.database.ownerDb);
  return caseId;
}

/** A call of its own period (`from` to `to` days from now): a programme takes one call at a time. */
async function openCall(title: string, from: number, to: number): Promise<string> {
  const reviewer = await harness.as('huangpu-reviewer');
  const approver = await harness.as('huangpu-approver');
  const now = Date.now();
  const opened = await reviewer('POST', '/api/cases/call', { programmeId: 'huangpu-creator-reward', title, opensAt: shanghai(now + from * DAY), closesAt: shanghai(now + to * DAY), budgetFen: 100_000_000, quota: 5, mode: 'competitive' });
  expect(opened.statusCode, opened.body).toBe(201);
  const id = opened.json<{ caseId: string }>().caseId;
  expect((await approver('POST', `/api/cases/${id}/approve-budget`, {})).statusCode).toBe(200);
  return id;
}

beforeAll(async () => {
  harness = await startApiHarness();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const [accountId, username, displayName] of [
    [panelExpert.accountId, 'panel-expert', panelExpert.displayName],
    ['acct-other-expert', 'other-expert', '戊专家'],
  ] as const) {
    await harness.database.ownerDb
      .insertInto('accounts')
      .values({ account_id: accountId, username, display_name: displayName, role: 'expert', department: null, profile: '{}', duties: [], password_hash: passwordHash, created_at: new Date() } as never)
      .execute();
  }

  callId = await openCall('2026 年度黄浦优质创作者评选', -1, 30);
  otherCallId = await openCall('2026 年度黄浦优质创作者评选（第二批）', 30, 60);
  const named = await (await harness.as('huangpu-approver'))('POST', `/api/cases/${callId}/name-panel`, {
    memberAccountIds: ['demo-huangpu-reviewer', panelExpert.accountId],
    criteria: [{ id: 'content', name: '内容质量', weightPercent: 100, maxPoints: 100 }],
    minScorers: 2,
  });
  expect(named.statusCode, named.body).toBe(200);

  apps.referred = await seedApplication(callId, 'panel-review', 1);
  apps.waiting = await realApplicationAwaitingPanel(callId);
  apps.notYet = await seedApplication(callId, 'completeness-check', 3);
  apps.otherCall = await seedApplication(otherCallId, 'panel-review', 4);
  // The expert's first touch refers the application to the panel (through the workflow: the API grants experts actions once case-module.ts does).
  await harness.env.client.workflow
    .getHandle(caseWorkflowId(callId))
    .executeUpdate(caseActionUpdate<CallCommand>('declareNoConflict'), { args: [{ actor: panelExpert, requestId: randomUUID(), action: { type: 'DeclareNoConflict', caseId: apps.referred } }] });
  // Once referred it stays visible to the panel whatever its step.
  await harness.database.ownerDb.updateTable('cases').set({ status: 'decided' }).where('case_id', '=', apps.referred).execute();
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe('an external expert (评审专家) sees only their panels', () => {
  it('signs in, and lists exactly the call whose panel names them and its applications referred to it or waiting for it', async () => {
    const expert = await harness.as('panel-expert');
    const me = await expert('GET', '/api/me');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ role: 'expert' });
    const list = await expert('GET', '/api/cases');
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json<{ cases: { caseId: string }[] }>().cases.map((c) => c.caseId);
    expect(new Set(ids)).toEqual(new Set([callId, apps.referred, apps.waiting]));
  });

  it('reads the call; any other case answers 404 exactly as a missing one', async () => {
    const expert = await harness.as('panel-expert');
    const call = await expert('GET', `/api/cases/${callId}`);
    expect(call.statusCode, call.body).toBe(200);
    expect(call.json()).toMatchObject({ caseId: callId, panel: { memberAccountIds: ['demo-huangpu-reviewer', panelExpert.accountId], referredCaseIds: [apps.referred] } });
    for (const hidden of [otherCallId, apps.notYet, apps.otherCall, randomUUID()]) {
      const response = await expert('GET', `/api/cases/${hidden}`);
      expect(response.statusCode, `${hidden}: ${response.body}`).toBe(404);
    }
  });

  it('reaches the applications of their panel through the access rule, and only to read them', async () => {
    const expert = await harness.as('panel-expert');
    // Events, letters and actions are not granted to experts: refused after the case scope passes.
    const read = await expert('GET', `/api/cases/${apps.waiting}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ caseId: apps.waiting, availableActions: [] });
    for (const caseId of [apps.referred, apps.waiting]) {
      expect((await expert('GET', `/api/cases/${caseId}/events`)).statusCode).toBe(403);
      expect((await expert('POST', `/api/cases/${caseId}/withdraw`, {})).statusCode).toBe(403);
    }
    // The scope comes first: a case outside their panels is a 404 even on a route they are not granted.
    expect((await expert('GET', `/api/cases/${apps.otherCall}/events`)).statusCode).toBe(404);
    // Their 评审任务 list is the worklist, scoped like every read: their panel's call and its applications, nothing else.
    const worklist = await expert('GET', '/api/worklist');
    expect(worklist.statusCode, worklist.body).toBe(200);
    expect(new Set(worklist.json<{ cases: { caseId: string }[] }>().cases.map((c) => c.caseId))).toEqual(new Set([callId, apps.referred, apps.waiting]));
    expect((await expert('GET', '/api/dashboard/cases')).statusCode).toBe(403);
    expect((await expert('GET', `/api/calls/${callId}/budget`)).statusCode).toBe(403);
  });

  it('is not sent what the applicant already holds (applicantAwards), on the application or with an action’s answer; the office, the auditor and the applicant still are', async () => {
    // An outsider found the API sending 已获资助 to a panel expert, which the case page hides from them.
    const expert = await harness.as('panel-expert');
    const read = await expert('GET', `/api/cases/${apps.waiting}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ caseId: apps.waiting, caseType: 'application' });
    expect(read.json()).not.toHaveProperty('applicantAwards');
    expect(read.body).not.toContain('applicantAwards');
    // Their own action on the call answers with the case after it: without the field too.
    const declared = await expert('POST', `/api/cases/${callId}/declare-no-conflict`, { caseId: apps.waiting });
    expect(declared.statusCode, declared.body).toBe(200);
    expect(declared.json().case).toMatchObject({ caseId: callId });
    expect(declared.json().case).not.toHaveProperty('applicantAwards');
    for (const username of ['huangpu-approver', 'huangpu-reviewer', 'auditor', 'creator']) {
      const seen = await (await harness.as(username))('GET', `/api/cases/${apps.waiting}`);
      expect(seen.statusCode, `${username}: ${seen.body}`).toBe(200);
      expect(seen.json().applicantAwards, username).toMatchObject({ totalFen: expect.any(Number), count: expect.any(Number), awards: expect.any(Array) });
    }
  });

  it('an expert on no panel sees no case at all', async () => {
    const other = await harness.as('other-expert');
    expect((await other('GET', `/api/cases/${callId}`)).statusCode).toBe(404);
    expect((await other('GET', `/api/cases/${apps.waiting}`)).statusCode).toBe(404);
    const list = await other('GET', '/api/cases');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ cases: unknown[] }>().cases).toEqual([]);
  });

  it('the office sees the panel as before; an applicant does not see the call', async () => {
    expect((await (await harness.as('huangpu-approver'))('GET', `/api/cases/${callId}`)).statusCode).toBe(200);
    expect((await (await harness.as('creator'))('GET', `/api/cases/${callId}`)).statusCode).toBe(404);
  });
});
