import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type InjectedSinks, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dramaFilingCase } from '../../cases/drama-filing.case.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { DramaFilingAction } from '../../domain/drama-filing/commands.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import type { DramaFilingState } from '../../domain/drama-filing/state.js';
import { parseLocalDate, shanghaiDateOf, startOfShanghaiDay, yearOf } from '../../domain/time/local-date.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { checkYearArrangement } from '../../domain/time/working-days.js';
import { calendarFromDatabase, recordCalendarYear } from '../../db/calendar/calendar-store.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { calendarLoadedSignal } from '../../workflows/calendar.messages.js';
import { caseStatusKey, caseTypeKey, departmentKey, nextDeadlineKey, programmeIdKey, referenceNoKey } from '../../workflows/case-search-attributes.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { admin, applicant, filingReviewer, filingSupervisor, otherFilingReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dramaSubmission, eventually, filingInput } from '../support/filings.js';
import { createTimeSkippingEnvironment } from '../support/temporal.js';
import type { ScheduledActivitySinks } from './support/scheduled-activities.interceptors.js';
import { sleepUntil } from '../support/workflow-updates.js';

// The production entry: every case type's module under the one driver.
const DRIVER_ENTRY = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
const SCHEDULED_ACTIVITIES = fileURLToPath(new URL('./support/scheduled-activities.interceptors.ts', import.meta.url));
const HISTORIES = new URL('../fixtures/histories/', import.meta.url);

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let bundle: WorkflowBundleWithSourceMap;
let worker: Worker;
let running: Promise<void>;
let calendar: ReturnType<typeof calendarFromDatabase>;
const taskQueue = `filing-module-${randomUUID()}`;

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

beforeAll(async () => {
  [env, database, bundle] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), bundleWorkflowCode({ workflowsPath: DRIVER_ENTRY, workflowInterceptorModules: [SCHEDULED_ACTIVITIES], logger: quiet })]);
  calendar = calendarFromDatabase(database.db);
  worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar, workflowBundle: bundle, workerOptions: { sinks: scheduledSinks(() => {}) } });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

/** The activities a workflow schedules, by workflow id (the interceptor in the bundle reports them). */
function scheduledSinks(record: (workflowId: string, activity: { type: string; args: unknown[] }) => void): InjectedSinks<ScheduledActivitySinks> {
  return { scheduled: { activity: { fn: (info, type, args) => record(info.workflowId, { type, args }), callDuringReplay: true } } };
}

/** The activities a recorded history scheduled, with the arguments it scheduled them with. */
function recordedActivities(json: { events: { activityTaskScheduledEventAttributes?: { activityType: { name: string }; input: { payloads: { data: string }[] } } }[] }) {
  return json.events.flatMap((e) => {
    const scheduled = e.activityTaskScheduledEventAttributes;
    return scheduled ? [{ type: scheduled.activityType.name, args: scheduled.input.payloads.map((p) => JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as unknown) }] : [];
  });
}

/** Starts a filing by the workflow type and message names the module keeps, as the API and running cases name them. */
async function startFiling(filingType: 'drama-planning-filing' | 'drama-release-filing') {
  const input = filingInput(filingType);
  const handle = await env.client.workflow.start(dramaFilingCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
  await handle.executeUpdate('submissionRecorded');
  const act = (actor: Actor, action: DramaFilingAction, expectedVersion?: number) => {
    const update = dramaFilingCase.actions.find((a) => a.type === action.type)!.update;
    return handle.executeUpdate<{ version: number; status: string; events: string[] }, [unknown]>(update, { args: [{ actor, requestId: randomUUID(), action, expectedVersion }] });
  };
  const state = () => handle.query<DramaFilingState>(dramaFilingCase.stateQuery);
  return { input, handle, act, state };
}

async function refusal(promise: Promise<unknown>): Promise<Error & { type?: string }> {
  return promise.then(
    () => expect.fail('refused'),
    (error: WorkflowUpdateFailedError) => {
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      return error.cause as Error & { type?: string };
    },
  );
}

const types = async (caseId: string) => (await readStream(database.db, caseId)).map((e) => e.type);

describe('the drama filing module run by the one case driver', () => {
  it('replays every recorded drama filing history of the old workflow without a determinism error, scheduling the very same activity arguments', async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.startsWith('drama-filing.') && f.endsWith('.json')).sort();
    expect(files).toEqual(['drama-filing.approved.json', 'drama-filing.breached-then-approved.json', 'drama-filing.deadline-corrected.json', 'drama-filing.one-marker-provisional-recomputed.json', 'drama-filing.provisional-recomputed.json', 'drama-filing.returned-and-resubmitted.json']);
    const recorded = await Promise.all(
      files.map(async (file) => {
        const json = JSON.parse(await readFile(new URL(file, HISTORIES), 'utf8'));
        const activities = recordedActivities(json);
        // Replayed under the workflow id it ran with, which its events carry in their metadata.
        const append = activities.find((a) => a.type === 'appendCaseEvents')!.args[0] as { events: { metadata: { workflowId: string } }[] };
        return { file, workflowId: append.events[0]!.metadata.workflowId, json, activities };
      }),
    );
    const replayed = new Map<string, { type: string; args: unknown[] }[]>();
    const sinks = scheduledSinks((workflowId, activity) => replayed.set(workflowId, [...(replayed.get(workflowId) ?? []), activity]));
    const results = [];
    const histories = recorded.map(({ workflowId, json }) => ({ workflowId, history: historyFromJSON(json) }));
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, sinks }, histories)) results.push({ workflowId: result.workflowId, error: result.error?.message });
    expect(results).toEqual(recorded.map(({ workflowId }) => ({ workflowId, error: undefined })));
    // Replay compares commands, not their arguments: the events (their instants, ids and deadlines) are compared here.
    for (const { file, workflowId, activities } of recorded) {
      expect(activities.length).toBeGreaterThan(1);
      expect(replayed.get(workflowId), file).toEqual(activities);
    }
  });

  it('a return stops the clock; the resubmission starts a new one from its own day; a stale version and the wrong people are refused', async () => {
    const { input, handle, act, state } = await startFiling('drama-release-filing');
    const original = (await state()).rounds[0]!.deadline!;
    expect(original).toEqual(reviewDeadline(await calendar(), shanghaiDateOf(Date.parse((await state()).rounds[0]!.submittedAt)), 5));

    const byApplicant = await refusal(act(applicant, { type: 'ClaimFiling' }));
    expect(byApplicant).toMatchObject({ type: 'forbidden', message: '备案由市文旅局审查人员认领审查。' });
    expect(await refusal(act(filingReviewer, { type: 'ApproveFiling', notes: '' }))).toMatchObject({ type: 'illegal-state' });

    const claimed = await act(filingReviewer, { type: 'ClaimFiling' }, 1);
    expect(claimed).toMatchObject({ version: 2, status: 'in-review', events: ['FilingClaimed'] });
    expect(await refusal(act(filingReviewer, { type: 'ApproveFiling', notes: '' }, 1))).toMatchObject({
      type: 'concurrency',
      // Who changed it and when (the workflow clock), not the versions: those stay in the details.
      message: expect.stringMatching(new RegExp(`^备案 ${input.referenceNo} 在您打开页面之后已有新的变化（您本人于\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}办理了“认领审查”）：请刷新页面，看过最新情况后再办理。$`)),
      details: [{ currentVersion: 2 }, { code: 'stale-version', en: `filing ${input.referenceNo} has changed: it is at version 2, not 1`, params: { currentVersion: 2, expectedVersion: 1 } }],
    });
    expect(await refusal(act(otherFilingReviewer, { type: 'ReturnFilingForRevision', reasons: ['x'] }))).toMatchObject({ type: 'forbidden' });
    expect(await refusal(act(filingReviewer, { type: 'ReturnFilingForRevision', reasons: ['  '] }))).toMatchObject({ type: 'validation' });
    await act(filingReviewer, { type: 'ReturnFilingForRevision', reasons: ['第 3 集字幕缺失'] });

    // Well past the original deadline: no reminder, no breach while the producer revises.
    await sleepUntil(env, Date.parse(original.deadlineAt) + 3 * 24 * 3600_000);
    expect(await types(input.caseId)).toEqual(['FilingSubmitted', 'FilingClaimed', 'FilingReturnedForRevision']);

    expect(await refusal(act(otherFilingReviewer, { type: 'ResubmitFiling', submission: dramaSubmission(), changeNote: '' }))).toMatchObject({ type: 'forbidden' });
    await act(applicant, { type: 'ResubmitFiling', submission: dramaSubmission({ synopsis: '补齐字幕后的版本' }), changeNote: '补齐第 3 集字幕' });
    const resubmitted = await state();
    const round = resubmitted.rounds[1]!;
    expect(round.round).toBe(2);
    expect(round.deadline).toEqual(reviewDeadline(await calendar(), shanghaiDateOf(Date.parse(round.submittedAt)), 5));
    expect(round.deadline!.lastWorkingDay > original.lastWorkingDay).toBe(true);
    expect(resubmitted).toMatchObject({ status: 'awaiting-claim', submission: { synopsis: '补齐字幕后的版本' } });

    await act(otherFilingReviewer, { type: 'ClaimFiling' });
    await act(otherFilingReviewer, { type: 'ApproveFiling', notes: '' });
    expect(await handle.result()).toEqual({ status: 'approved', version: 6 });
    const events = await readStream(database.db, input.caseId);
    expect(events.map((e) => e.type)).toEqual(['FilingSubmitted', 'FilingClaimed', 'FilingReturnedForRevision', 'FilingResubmitted', 'FilingClaimed', 'FilingApproved']);
    expect(events[3]!.data).toMatchObject({ round: 2, changeNote: '补齐第 3 集字幕', submittedOn: round.submittedOn });
    expect(verifyChain(events)).toBeUndefined();
    const row = await database.db.selectFrom('cases').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ case_type: 'drama-release-filing', status: 'approved' });
    const reviews = await database.db.selectFrom('filing_reviews').select(['round', 'outcome', 'last_working_day']).where('case_id', '=', input.caseId).orderBy('round').execute();
    expect(reviews).toEqual([
      { round: 1, outcome: 'returned', last_working_day: original.lastWorkingDay },
      { round: 2, outcome: 'approved', last_working_day: round.deadline!.lastWorkingDay },
    ]);
    // What an operator finds it by: the filing's own type, 市文旅局, no programme.
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect([attributes.get(caseTypeKey), attributes.get(caseStatusKey), attributes.get(referenceNoKey), attributes.get(departmentKey)]).toEqual([
      'drama-release-filing',
      'approved',
      input.referenceNo,
      'culture-tourism',
    ]);
    expect(attributes.get(programmeIdKey)).toBeUndefined();
    expect(attributes.get(nextDeadlineKey)).toBeUndefined();
  });

  it('reminds at 00:00 of the last working day, escalates at 24:00, and then only the supervising official takes over and decides', async () => {
    const { input, handle, act, state } = await startFiling('drama-planning-filing');
    const expected = (await state()).rounds[0]!.deadline!;
    await act(filingReviewer, { type: 'ClaimFiling' });
    expect(await refusal(act(filingReviewer, { type: 'ClaimFiling' }))).toMatchObject({ type: 'illegal-state', message: '您已认领本备案。' });

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
    await sleepUntil(env, deadlineAt + 1_000);
    const escalatedAt = await eventually(async () => (await state()).rounds[0]!.escalatedAt, 'the escalation');
    expect(Date.parse(escalatedAt)).toBeGreaterThanOrEqual(deadlineAt);
    expect(Date.parse(escalatedAt)).toBeLessThan(deadlineAt + 1_000);
    expect(await types(input.caseId)).toEqual(['FilingSubmitted', 'FilingClaimed', 'ReviewReminderSent', 'ReviewSlaBreached', 'FilingEscalated']);

    expect(await refusal(act(otherFilingReviewer, { type: 'ClaimFiling' }))).toMatchObject({ type: 'illegal-state' });
    // Taken over only when the request says so (claim-take-over-confirmed).
    expect(await refusal(act(filingSupervisor, { type: 'ClaimFiling' }))).toMatchObject({ type: 'illegal-state', message: expect.stringContaining('请勾选“确认接手”') });
    await act(filingSupervisor, { type: 'ClaimFiling', takeOver: true });
    await act(filingSupervisor, { type: 'ApproveFiling', notes: '超期，分管领导审定通过' });
    expect(await handle.result()).toEqual({ status: 'approved', version: 7 });
    const events = await readStream(database.db, input.caseId);
    expect(events[5]!.data).toMatchObject({ by: { accountId: filingSupervisor.accountId }, takenOverFrom: { accountId: filingReviewer.accountId } });
    expect(events.slice(2, 5).every((e) => e.metadata.actor.role === 'system')).toBe(true);
  });

  it('a filing the rules refuse never opens: the waiting API call gets the refusal, and nothing is recorded', async () => {
    const input = filingInput('drama-planning-filing', { terms: filingInput('drama-release-filing').terms });
    const handle = await env.client.workflow.start(dramaFilingCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    const refused = await refusal(handle.executeUpdate('submissionRecorded'));
    expect(refused).toMatchObject({ type: 'illegal-state', details: [[], { code: 'internal-check-failed', en: 'terms for drama-release-filing cannot open a drama-planning-filing' }] });
    await expect(handle.result()).rejects.toThrow();
    expect(await types(input.caseId)).toEqual([]);
  });

  it('a provisional deadline is recomputed once the year it reaches is loaded, and once only', async () => {
    // Wed 30 Dec 2026, 10:00 Shanghai, where 5 working days reach 2027, or now, if the clock is already
    // past it. After the tests above it is, by ten years: waiting on the refused filing's result() lets
    // the time-skipping server move its clock 3,650 days on (a run's default timeout). So the count may
    // start on any day after 2026, which day depending on the date the suite runs.
    await sleepUntil(env, startOfShanghaiDay(parseLocalDate('2026-12-30')) + 10 * 3600_000);
    const { input, handle, state } = await startFiling('drama-release-filing');
    const before = (await state()).rounds[0]!.deadline!;
    expect(before.provisional).toBe(true);

    // The year's arrangement as one could be loaded: the days the law fixes by date (which the provisional
    // count already rests on) and the deadline's own day off. Leaving 元旦 out would make 1 January a working
    // day and move a count across New Year earlier, not later (so would leaving out 劳动节 or 国庆节).
    const year = yearOf(before.lastWorkingDay);
    const arrangement = checkYearArrangement({ year, holidays: [...fixedDateHolidaysOf(year), before.lastWorkingDay], makeUpWorkdays: [] });
    const { revision } = await recordCalendarYear(database.db, { arrangement, note: 'test', actor: admin }, () => new Date());
    const reason = { calendarYear: year, revision, loadedBy: { accountId: admin.accountId, displayName: admin.displayName } };
    await handle.signal(calendarLoadedSignal, reason);
    const expected = reviewDeadline(await calendar(), before.startedOn, before.workingDays);
    const recomputed = await eventually(async () => (await readStream(database.db, input.caseId)).find((e) => e.type === 'DeadlineRecomputed'), 'DeadlineRecomputed');
    expect(recomputed.data).toMatchObject({ round: 1, previous: before, current: expected, reason });
    expect(recomputed.metadata).toMatchObject({ actor: { role: 'system' }, causationId: `calendar-${year}:${revision}` });
    expect(expected.lastWorkingDay > before.lastWorkingDay).toBe(true);
    expect((await state()).rounds[0]!.deadline).toEqual(expected);

    await handle.signal(calendarLoadedSignal, reason);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await types(input.caseId)).filter((t) => t === 'DeadlineRecomputed')).toHaveLength(1);
    await handle.terminate('test over');
  });
});
