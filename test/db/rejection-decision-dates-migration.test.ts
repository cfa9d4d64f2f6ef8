import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as rejectionDates from '../../db/migrations/2026-12-04T01-00_rejection-decision-dates.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ApplicationEvent, WorkingDayWindow } from '../../domain/applications/events.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { applicationSubmitted, huangpuApprover, huangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const ref = (a: { accountId: string; displayName: string }) => ({ accountId: a.accountId, displayName: a.displayName });
const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: parseLocalDate('2026-09-30'), lastWorkingDay: parseLocalDate('2026-10-13'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-10-13'))).toISOString(), provisional: false };

/** A 黄浦 application accepted, scored, then rejected by the approver at 00:30 Shanghai time on 10 October (16:30 UTC on the 9th). */
function rejectedLife(caseId: string): ApplicationEvent[] {
  return [
    applicationSubmitted(caseId, 'huangpu-creator-reward', { submittedOn: parseLocalDate('2026-09-30'), window: WINDOW }),
    { type: 'MaterialsAccepted', data: { by: ref(huangpuReviewer), acceptedAt: '2026-10-08T02:00:00.000Z' } },
    { type: 'ApplicationScored', data: { by: ref(huangpuReviewer), score: 60, comments: '', scoredAt: '2026-10-09T02:00:00.000Z' } },
    { type: 'ApplicationRejected', data: { by: ref(huangpuApprover), reasons: ['影响力不足'], decidedAt: '2026-10-09T16:30:00.000Z' } },
  ] as ApplicationEvent[];
}

describe('migration 2026-12-04T01-00: the date of a rejection, in rows projected before', () => {
  it('a rejection is decided on its Shanghai date, and the migration writes that date into older rows exactly as the projection does', async () => {
    const { db, ownerDb } = database;
    const caseId = randomUUID();
    const events = rejectedLife(caseId).map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...huangpuApprover, role: 'official' as const }, correlationId: caseId, causationId: caseId } }));
    await appendToStream(db, { streamId: caseId, streamType: 'application', expectedVersion: 0, events }, { now: () => new Date(), project: projectReadModels });
    const row = () => db.selectFrom('cases').select(['decided_on', 'details']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const projected = await row();
    expect(projected.decided_on).toBe('2026-10-10');
    expect((projected.details as { decision: unknown }).decision).toEqual({ by: '周审批', on: '2026-10-10', approvedAmountFen: null, byDirector: false });

    // As rows projected before the change: no date. The migration writes it back exactly.
    await rejectionDates.down(ownerDb);
    expect(await row()).toMatchObject({ decided_on: null, details: { decision: { on: null } } });
    await rejectionDates.up(ownerDb);
    expect(await row()).toEqual(projected);
  });
});
