import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decisionNotes from '../../db/migrations/2026-12-04T06-31_decision-notes-on-the-case.js';
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

/** A 星光计划 recommendation (a service: no amount) accepted and approved, with or without the decider's notes. */
function approvedService(caseId: string, notes: string): ApplicationEvent[] {
  return [
    applicationSubmitted(caseId, 'hu9-starlight', { submittedOn: parseLocalDate('2026-09-30'), window: WINDOW }),
    { type: 'MaterialsAccepted', data: { by: ref(huangpuReviewer), acceptedAt: '2026-10-08T02:00:00.000Z' } },
    { type: 'ApplicationApproved', data: { by: ref(huangpuApprover), approvedAmountFen: null, notes, decidedAt: '2026-10-09T02:00:00.000Z', decidedOn: parseLocalDate('2026-10-09'), byDirector: false } },
  ] as ApplicationEvent[];
}

describe('migration 2026-12-04T06-31: the decider’s notes on the case, in rows projected before', () => {
  it('keeps an approval’s notes in the state and the view’s decision, and the migration writes them into older rows exactly as the projection does', async () => {
    const { db, ownerDb } = database;
    const [withNotes, withoutNotes] = [randomUUID(), randomUUID()];
    for (const [caseId, notes] of [[withNotes, '已推荐参评年度星光榜'], [withoutNotes, '']] as const) {
      const events = approvedService(caseId, notes).map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...huangpuApprover, role: 'official' as const }, correlationId: caseId, causationId: caseId } }));
      await appendToStream(db, { streamId: caseId, streamType: 'application', expectedVersion: 0, events }, { now: () => new Date(), project: projectReadModels });
    }
    const rows = () => db.selectFrom('cases').select(['case_id', 'state', 'details']).where('case_id', 'in', [withNotes, withoutNotes]).orderBy('case_id').execute();
    const projected = await rows();
    const row = (caseId: string, from: typeof projected) => from.find((r) => r.case_id === caseId)! as unknown as { state: Record<string, unknown>; details: { decision: Record<string, unknown> } };
    expect(row(withNotes, projected).state.decisionNotes).toBe('已推荐参评年度星光榜');
    expect(row(withNotes, projected).details.decision).toEqual({ by: '周审批', on: '2026-10-09', approvedAmountFen: null, byDirector: false, notes: '已推荐参评年度星光榜' });
    expect(row(withoutNotes, projected).state).not.toHaveProperty('decisionNotes');
    expect(row(withoutNotes, projected).details.decision).not.toHaveProperty('notes');

    // As rows projected before the change: no notes. The migration writes them back exactly.
    await decisionNotes.down(ownerDb);
    expect(row(withNotes, await rows()).details.decision).not.toHaveProperty('notes');
    await decisionNotes.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
