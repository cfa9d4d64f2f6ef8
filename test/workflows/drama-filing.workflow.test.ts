import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/cases/actor.js';
import { FILING_CLAIM_RECORDS_DUTY_PATCH } from '../../domain/drama-filing/decide.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import type { DramaFilingAction } from '../../domain/drama-filing/commands.js';
import { shanghaiDateOf, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { dramaFilingStateQuery, filingActionUpdateFor, filingSubmissionRecordedUpdate } from '../../workflows/drama-filing.messages.js';
import { dramaFilingWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, filingReviewer, filingSupervisor, otherFilingReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dramaSubmission, eventually, filingInput } from '../support/filings.js';
import { patchMarkersOf } from '../support/patch-markers.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';
import { sleepUntil } from '../support/workflow-updates.js';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let calendar: ReturnType<typeof calendarFromDatabase>;
const taskQueue = `filing-${randomUUID()}`;

beforeAll(async () => {
  [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  calendar = calendarFromDatabase(database.db);
  worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar, workflowBundle: await workflowBundle() });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

async function startFiling(filingType: 'drama-planning-filing' | 'drama-release-filing') {
  // A title of its own each: an open filing holds its title (one-open-filing-per-title).
  const input = filingInput(filingType, { submission: dramaSubmission({ title: `外滩往事 ${randomUUID().slice(0, 8)}` }) });
  const handle = await env.client.workflow.start(dramaFilingWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
  await handle.executeUpdate(filingSubmissionRecordedUpdate);
  const act = (actor: Actor, action: DramaFilingAction) => handle.executeUpdate(filingActionUpdateFor(action.type), { args: [{ actor, requestId: randomUUID(), action }] });
  return { input, handle, act, state: () => handle.query(dramaFilingStateQuery) };
}

const types = async (caseId: string) => (await readStream(database.db, caseId)).map((e) => e.type);

describe('drama filing workflow in the time-skipping environment, real activities against real Postgres', () => {
  it('reminds at 00:00 of the last working day, breaches and escalates at exactly 24:00, and stays open and flagged until decided', async () => {
    const { input, handle, act, state } = await startFiling('drama-planning-filing');
    const first = await state();
    const submittedAt = Date.parse(first.rounds[0]!.submittedAt);
    // The clock the workflow recorded is the calendar's answer for the Shanghai date of submission.
    const expected = reviewDeadline(await calendar(), shanghaiDateOf(submittedAt), 2);
    expect(first.rounds[0]!.deadline).toEqual(expected);
    expect(expected.lastWorkingDay > shanghaiDateOf(submittedAt)).toBe(true);
    await act(filingReviewer, { type: 'ClaimFiling' });

    const reminderAt = startOfShanghaiDay(expected.lastWorkingDay);
    const deadlineAt = Date.parse(expected.deadlineAt);
    await sleepUntil(env, reminderAt - 1_000);
    expect((await state()).rounds[0]!.remindedAt).toBeUndefined();
    await sleepUntil(env, reminderAt + 1_000);
    const reminded = await eventually(async () => (await state()).rounds[0]!.remindedAt, 'the reminder');
    expect(Date.parse(reminded)).toBeGreaterThanOrEqual(reminderAt);
    expect(Date.parse(reminded)).toBeLessThan(reminderAt + 1_000);

    await sleepUntil(env, deadlineAt - 1_000);
    expect((await state()).rounds[0]!.breachedAt).toBeUndefined();
    expect(await types(input.caseId)).not.toContain('ReviewSlaBreached');
    await sleepUntil(env, deadlineAt + 1_000);
    const breachedAt = await eventually(async () => (await state()).rounds[0]!.escalatedAt, 'the escalation');
    expect(Date.parse(breachedAt)).toBeGreaterThanOrEqual(deadlineAt);
    expect(Date.parse(breachedAt)).toBeLessThan(deadlineAt + 1_000);

    const events = await readStream(database.db, input.caseId);
    expect(events.map((e) => e.type)).toEqual(['FilingSubmitted', 'FilingClaimed', 'ReviewReminderSent', 'ReviewSlaBreached', 'FilingEscalated']);
    expect(events[2]!.data).toMatchObject({ to: { accountId: filingReviewer.accountId }, lastWorkingDay: expected.lastWorkingDay });
    expect(events[4]!.data).toMatchObject({ to: { role: 'official', department: 'culture-tourism', duty: 'supervisor' } });
    expect(events.slice(2).every((e) => e.metadata.actor.role === 'system')).toBe(true);

    // Open and flagged: the read models say so, and a day later nothing more has happened.
    await env.sleep(24 * 3600_000);
    const row = await database.db.selectFrom('cases').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'in-review', waiting_for_department: 'culture-tourism' });
    const review = await database.db.selectFrom('filing_reviews').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(review.breached_at?.getTime()).toBe(Date.parse(breachedAt));
    expect(review.outcome).toBeNull();
    expect(await types(input.caseId)).toHaveLength(5);

    // A colleague may not take it; the supervising official decides it.
    await expect(act(otherFilingReviewer, { type: 'ClaimFiling' })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await act(filingSupervisor, { type: 'ApproveFiling', notes: '超期，分管领导审定通过' });
    expect(await handle.result()).toEqual({ status: 'approved', version: 6 });
    const all = await readStream(database.db, input.caseId);
    expect(all.at(-1)!.metadata.actor).toMatchObject({ accountId: filingSupervisor.accountId, duty: 'supervisor' });
    expect(verifyChain(all)).toBeUndefined();
  });

  it('a return for revision stops the clock; the resubmission starts a new one from its own day', async () => {
    const { input, handle, act, state } = await startFiling('drama-release-filing');
    const original = (await state()).rounds[0]!.deadline!;
    await act(filingReviewer, { type: 'ClaimFiling' });
    await act(filingReviewer, { type: 'ReturnFilingForRevision', reasons: ['第 3 集字幕缺失'] });

    // Well past the original deadline: no reminder, no breach while the producer revises.
    await sleepUntil(env, Date.parse(original.deadlineAt) + 3 * 24 * 3600_000);
    expect(await types(input.caseId)).toEqual(['FilingSubmitted', 'FilingClaimed', 'FilingReturnedForRevision']);

    await act(applicant, { type: 'ResubmitFiling', submission: dramaSubmission({ synopsis: '补齐字幕后的版本' }), changeNote: '补齐第 3 集字幕' });
    const resubmitted = await state();
    const round = resubmitted.rounds[1]!;
    expect(round.round).toBe(2);
    expect(round.deadline).toEqual(reviewDeadline(await calendar(), shanghaiDateOf(Date.parse(round.submittedAt)), 5));
    expect(round.deadline!.lastWorkingDay > original.lastWorkingDay).toBe(true);
    expect(resubmitted).toMatchObject({ status: 'awaiting-claim', submission: { synopsis: '补齐字幕后的版本' } });

    await act(otherFilingReviewer, { type: 'ClaimFiling' });
    await act(otherFilingReviewer, { type: 'ApproveFiling', notes: '' });
    expect(await handle.result()).toMatchObject({ status: 'approved' });
    expect(await types(input.caseId)).toEqual(['FilingSubmitted', 'FilingClaimed', 'FilingReturnedForRevision', 'FilingResubmitted', 'FilingClaimed', 'FilingApproved']);
    const reviews = await database.db.selectFrom('filing_reviews').select(['round', 'outcome', 'last_working_day']).where('case_id', '=', input.caseId).orderBy('round').execute();
    expect(reviews).toEqual([
      { round: 1, outcome: 'returned', last_working_day: original.lastWorkingDay },
      { round: 2, outcome: 'approved', last_working_day: round.deadline!.lastWorkingDay },
    ]);
  });

  it('the supervising official claiming an unclaimed filing records it as theirs, behind its own change; a reviewer’s claim records what it always did', async () => {
    const bySupervisor = await startFiling('drama-planning-filing');
    await bySupervisor.act(filingSupervisor, { type: 'ClaimFiling' });
    const claim = (await readStream(database.db, bySupervisor.input.caseId)).find((e) => e.type === 'FilingClaimed')!;
    expect(claim.data).toMatchObject({ by: { accountId: filingSupervisor.accountId }, claimedAs: 'supervisor' });
    expect(patchMarkersOf(await bySupervisor.handle.fetchHistory())).toContain(FILING_CLAIM_RECORDS_DUTY_PATCH);
    await expect(bySupervisor.act(otherFilingReviewer, { type: 'ClaimFiling' })).rejects.toMatchObject({ cause: { message: `本备案已由分管领导 ${filingSupervisor.displayName} 认领办理，不能再认领。` } });
    await bySupervisor.handle.terminate('test over');

    const byReviewer = await startFiling('drama-planning-filing');
    await byReviewer.act(filingReviewer, { type: 'ClaimFiling' });
    expect((await readStream(database.db, byReviewer.input.caseId)).find((e) => e.type === 'FilingClaimed')!.data).not.toHaveProperty('claimedAs');
    expect(patchMarkersOf(await byReviewer.handle.fetchHistory())).not.toContain(FILING_CLAIM_RECORDS_DUTY_PATCH);
    await byReviewer.handle.terminate('test over');
  });

  it('refuses an action by the wrong person and records nothing', async () => {
    const { input, handle, act } = await startFiling('drama-planning-filing');
    const refused = await act(applicant, { type: 'ClaimFiling' }).then(
      () => expect.fail('refused'),
      (error: WorkflowUpdateFailedError) => error.cause as Error & { type?: string },
    );
    expect(refused.type).toBe('forbidden');
    expect(await types(input.caseId)).toEqual(['FilingSubmitted']);
    await handle.terminate('test over');
  });
});
