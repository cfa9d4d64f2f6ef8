import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallActivities } from '../../activities/calls.activities.js';
import { appendToStream, type NewEvent } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { WorkingDayWindow } from '../../domain/applications/events.js';
import { DomainError } from '../../domain/errors.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { applicant } from '../support/actors.js';
import { applicationSubmitted } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * A competitive call's planned close counts its open applications (and ends it when there are none)
 * while an application may be being recorded at that very moment. The count fences the call's intake
 * (migration 2026-12-04T05-00): an application recorded first is counted; one recorded after is
 * refused as after the close; never one left waiting for a panel the count of none ended.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: parseLocalDate('2026-11-30'), lastWorkingDay: parseLocalDate('2026-12-07'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-12-07'))).toISOString(), provisional: false };

/** The first event of an application filed in call `callId`. */
function submittedInCall(caseId: string, callId: string): NewEvent {
  const event = applicationSubmitted(caseId, 'xuhui-quality-works', {
    submittedOn: parseLocalDate('2026-11-30'),
    window: WINDOW,
    call: { callId, title: '2026 年徐汇精品力作评选', mode: 'competitive', publicityWorkingDays: 5, closesAt: '2026-11-30T09:00:00.000Z' },
  });
  return { eventId: randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { actor: { accountId: applicant.accountId, displayName: applicant.displayName, role: 'applicant' }, correlationId: caseId, causationId: caseId } };
}

const file = (caseId: string, callId: string) =>
  appendToStream(database.db, { streamId: caseId, streamType: 'application', expectedVersion: 0, events: [submittedInCall(caseId, callId)] }, { now: () => new Date(), project: projectReadModels });

describe("a competitive call's planned close and an application at the same moment", () => {
  it('counts an application recorded before the close; refuses one recorded after it, saying the call closed; leaves the application after it unrecorded', async () => {
    const calls = createCallActivities({ db: database.db });
    const callId = randomUUID();
    await file(randomUUID(), callId);
    expect(await calls.closeIntakeAndCount({ callId, closedAt: '2026-11-30T09:00:00.000Z' })).toBe(1);

    const late = randomUUID();
    const refused = await file(late, callId).then(
      () => expect.fail('an application recorded after the close should be refused'),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).message).toContain('已于 2026年11月30日 17:00（北京时间）截止：这份申请在截止之后才送达，未能受理。');
    expect(await database.db.selectFrom('cases').select('case_id').where('case_id', '=', late).execute()).toEqual([]);
    expect(await database.db.selectFrom('events').select('event_id').where('stream_id', '=', late).execute()).toEqual([]);
    // A retried count finds the fence there and counts again; another call's applications are not fenced.
    expect(await calls.closeIntakeAndCount({ callId, closedAt: '2026-11-30T09:00:00.000Z' })).toBe(1);
    await file(randomUUID(), randomUUID());
  });

  it('waits for an application being recorded when the close counts, and counts it: never a count of none that misses it', async () => {
    const calls = createCallActivities({ db: database.db });
    const callId = randomUUID();
    const caseId = randomUUID();
    // The application's first row written in a transaction still open when the close counts.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const rowWritten = new Promise<void>((resolve) => (written = resolve));
    const recording = database.db.transaction().execute(async (trx) => {
      // A first append is one statement (db/event-store.ts), so it runs inside this transaction as it is.
      await appendToStream(trx as never, { streamId: caseId, streamType: 'application', expectedVersion: 0, events: [submittedInCall(caseId, callId)] }, { now: () => new Date(), project: projectReadModels });
      written();
      await held;
    });
    await rowWritten;
    let counted: number | undefined;
    const counting = calls.closeIntakeAndCount({ callId, closedAt: '2026-11-30T09:00:00.000Z' }).then((n) => (counted = n));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(counted).toBeUndefined();
    release();
    await recording;
    await counting;
    expect(counted).toBe(1);
  });
});
