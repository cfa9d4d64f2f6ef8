import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import * as provisionalNoticesAndFollowUpDepartments from '../../db/migrations/2026-12-04T01-30_provisional-notices-and-follow-up-departments.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ApplicationEvent, WorkingDayWindow } from '../../domain/applications/events.js';
import { RATING_STREAM, ratingStreamId, type RatingEvent } from '../../domain/ratings/rating.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { applicant } from '../support/actors.js';
import { applicationSubmitted } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const ref = (a: { accountId: string; displayName: string }) => ({ accountId: a.accountId, displayName: a.displayName });
const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: parseLocalDate('2026-11-30'), lastWorkingDay: parseLocalDate('2026-12-07'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-12-07'))).toISOString(), provisional: false };

/** A 徐汇 application its applicant withdrew before any official acted on it. */
function withdrawnLife(caseId: string): ApplicationEvent[] {
  return [
    applicationSubmitted(caseId, 'xuhui-quality-works', { submittedOn: parseLocalDate('2026-11-30'), window: WINDOW }),
    { type: 'ApplicationWithdrawn', data: { reason: 'applicant-withdrew', detail: '另行申请', withdrawnAt: '2026-12-01T02:00:00.000Z' } },
  ] as ApplicationEvent[];
}

/** A 差评 as the rating route recorded it before 2026-12-04T01-30 for such a case: naming no department. */
function ratedWithNoDepartment(caseId: string, referenceNo: string): RatingEvent[] {
  const at = '2026-12-02T02:00:00.000Z';
  return [
    { type: 'CaseRated', data: { caseId, referenceNo, caseType: 'application', score: 1, comment: '办理太慢', by: ref(applicant), department: null, ratedAt: at } },
    {
      type: 'FollowUpTaskOpened',
      data: { taskId: randomUUID(), caseId, referenceNo, department: null, assignee: { role: 'official', department: null, duty: 'supervisor' }, score: 1, reason: '差评（1 分，很不满意）：办理太慢', openedAt: at },
    },
  ];
}

const stored = (events: readonly { type: string; data: unknown }[], caseId: string) =>
  events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as Record<string, unknown>, metadata: { actor: { ...applicant, role: 'applicant' as const }, correlationId: caseId, causationId: caseId } }));

describe('migration 2026-12-04T01-30: a 差评 whose event names no department', () => {
  it("is projected to the case's own department, and the migration writes that department into older rows exactly as the projection (and the auditors' rebuild) does", async () => {
    const { db, ownerDb } = database;
    const caseId = randomUUID();
    await appendToStream(db, { streamId: caseId, streamType: 'application', expectedVersion: 0, events: stored(withdrawnLife(caseId), caseId) }, { now: () => new Date(), project: projectReadModels });
    const referenceNo = `AP-2026-${caseId.slice(0, 6)}`;
    expect(await db.selectFrom('cases').select(['status', 'department']).where('case_id', '=', caseId).executeTakeFirstOrThrow()).toEqual({ status: 'withdrawn', department: 'xuhui' });
    await appendToStream(db, { streamId: ratingStreamId(caseId), streamType: RATING_STREAM, expectedVersion: 0, events: stored(ratedWithNoDepartment(caseId, referenceNo), caseId) }, { now: () => new Date(), project: projectReadModels });

    const rows = async () => ({
      task: await db.selectFrom('follow_up_tasks').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow(),
      rating: await db.selectFrom('case_ratings').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow(),
    });
    const projected = await rows();
    expect(projected.task.department).toBe('xuhui');
    expect(projected.rating.department).toBe('xuhui');
    expect((await rebuildAndCompare(db)).drift).toEqual([]);

    // As rows projected before the change: no department, so no 徐汇 official saw the task. The migration writes it back exactly.
    await provisionalNoticesAndFollowUpDepartments.down(ownerDb);
    expect(await rows()).toMatchObject({ task: { department: null }, rating: { department: null } });
    await provisionalNoticesAndFollowUpDepartments.up(ownerDb);
    expect(await rows()).toEqual(projected);
    expect((await rebuildAndCompare(db)).drift).toEqual([]);
  });
});
