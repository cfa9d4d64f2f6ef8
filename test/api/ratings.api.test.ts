import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * 好差评 on a case no official acted on: an application of 徐汇 withdrawn before 受理. Its 差评 goes to
 * 徐汇区's supervising official as any other, and the applicant is told it was forwarded only when it was.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let xuhuiReviewer: ApiCaller;
let huangpuReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  xuhuiReviewer = await harness.as('xuhui-reviewer');
  huangpuReviewer = await harness.as('huangpu-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

interface Task {
  caseId: string;
  department: string | null;
  departmentName: string | null;
  status: string;
}
const tasksOf = async (caller: ApiCaller): Promise<Task[]> => {
  const response = await caller('GET', '/api/follow-up-tasks');
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ tasks: Task[] }>().tasks;
};

/** A 徐汇 application, withdrawn by its applicant before any official acted on it. */
async function withdrawnXuhuiApplication(): Promise<string> {
  const opened = await creator('POST', '/api/applications/xuhui-quality-works', {
    title: '优质短剧申请',
    summary: '申请说明',
    facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId: `drama-${randomUUID()}`, registeredDistrict: '徐汇区' },
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const caseId = opened.json<{ caseId: string }>().caseId;
  const withdrawn = await creator('POST', `/api/cases/${caseId}/withdraw`, { reason: '另行申请' });
  expect(withdrawn.statusCode, withdrawn.body).toBe(200);
  expect(withdrawn.json().case).toMatchObject({ status: 'withdrawn' });
  return caseId;
}

describe('a 差评 on a withdrawn application', () => {
  let caseId: string;

  beforeAll(async () => {
    caseId = await withdrawnXuhuiApplication();
  });

  it("opens the follow-up task for the case's own department, 徐汇区, whose officials see it; no other department's do", async () => {
    const rated = await creator('POST', `/api/cases/${caseId}/rating`, { score: 1, comment: '办理太慢' });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({ rating: { score: 1, department: 'xuhui', departmentName: '徐汇区' }, followUp: { department: 'xuhui', departmentName: '徐汇区', status: 'open' } });
    // With the case it follows up: whose, under which measure, and where it ended.
    expect((await tasksOf(xuhuiReviewer)).filter((t) => t.caseId === caseId)).toEqual([
      expect.objectContaining({ department: 'xuhui', status: 'open', assignee: '徐汇区分管领导', applicantName: expect.any(String), programme: '徐汇 优质短剧、获奖作品', caseStatusLabel: '已撤回', decidedOn: null }),
    ]);
    expect((await tasksOf(huangpuReviewer)).filter((t) => t.caseId === caseId)).toEqual([]);
    expect((await tasksOf(auditor)).filter((t) => t.caseId === caseId)).toHaveLength(1);
    // The applicant's page reads the same: forwarded to 徐汇区.
    expect((await creator('GET', `/api/cases/${caseId}/rating`)).json().followUp).toMatchObject({ departmentName: '徐汇区' });
    // The events name the department, and the read models are what the auditors' rebuild makes of them.
    const opened = await harness.database.db.selectFrom('events').select('payload').where('stream_id', '=', `rating-${caseId}`).where('event_type', '=', 'FollowUpTaskOpened').executeTakeFirstOrThrow();
    expect(opened.payload).toMatchObject({ department: 'xuhui', assignee: { department: 'xuhui', duty: 'supervisor' } });
    const report = await rebuildAndCompare(harness.database.db);
    expect(report.drift).toEqual([]);
  });

  it('is given once: the same rating sent ten times at once is recorded once, and every other answer says so in the same words', async () => {
    const other = await withdrawnXuhuiApplication();
    const sent = await Promise.all(Array.from({ length: 10 }, () => creator('POST', `/api/cases/${other}/rating`, { score: 2, comment: '太慢' })));
    expect(sent.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const refused = sent.filter((r) => r.statusCode !== 201);
    expect(refused.map((r) => r.statusCode)).toEqual(Array(9).fill(409));
    expect(new Set(refused.map((r) => `${r.json().code} ${r.json().message}`))).toEqual(new Set([`already-rated ${refused[0]!.json().message}`]));
    expect(refused[0]!.json().message).toMatch(/^办件 \S+ 已评价过，每件只评价一次。$/);
    const given = await harness.database.db.selectFrom('events').select('event_type').where('stream_id', '=', `rating-${other}`).where('event_type', '=', 'CaseRated').execute();
    expect(given).toHaveLength(1);
  });

  it('is never said to be forwarded when its task reached no department: the rating view shows no follow-up; the auditors still list it', async () => {
    const task = await harness.database.db.selectFrom('follow_up_tasks').select(['task_id', 'department']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    // A task with no department, as no case of today's types gives one: nobody's supervisor would see it.
    await harness.database.ownerDb.updateTable('follow_up_tasks').set({ department: null }).where('task_id', '=', task.task_id).execute();
    try {
      const view = await creator('GET', `/api/cases/${caseId}/rating`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json()).toMatchObject({ rating: { score: 1 }, followUp: null });
      expect((await tasksOf(xuhuiReviewer)).filter((t) => t.caseId === caseId)).toEqual([]);
      expect((await tasksOf(auditor)).filter((t) => t.caseId === caseId)).toEqual([expect.objectContaining({ department: null, departmentName: null })]);
    } finally {
      await harness.database.ownerDb.updateTable('follow_up_tasks').set({ department: task.department }).where('task_id', '=', task.task_id).execute();
    }
  });
});
