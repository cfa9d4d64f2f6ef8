import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decisionStepAmountInYuan from '../../db/migrations/2026-12-05T11-20_decision-step-amount-in-yuan.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ApplicationEvent, WorkingDayWindow } from '../../domain/applications/events.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { applicationSubmitted, yangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: parseLocalDate('2026-11-20'), lastWorkingDay: parseLocalDate('2026-11-27'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-11-27'))).toISOString(), provisional: false };
const ref = (a: { accountId: string; displayName: string }) => ({ accountId: a.accountId, displayName: a.displayName });

describe('migration 2026-12-05T11-20: the decision step states the director’s threshold in 元, in rows projected before', () => {
  it('writes 超过 …元须处长审批 as the projection now does, and leaves every other note as it was', async () => {
    const { db, ownerDb } = database;
    const atDecision = randomUUID();
    const atAcceptance = randomUUID();
    const events: Record<string, ApplicationEvent[]> = {
      [atDecision]: [
        applicationSubmitted(atDecision, 'yangpu-talent-rent', { submittedOn: parseLocalDate('2026-11-20'), window: WINDOW }),
        { type: 'MaterialsAccepted', data: { by: ref(yangpuReviewer), acceptedAt: '2026-11-23T02:00:00.000Z' } },
        { type: 'ApplicationScored', data: { by: ref(yangpuReviewer), score: 80, comments: '', scoredAt: '2026-11-24T02:00:00.000Z' } },
      ] as ApplicationEvent[],
      [atAcceptance]: [applicationSubmitted(atAcceptance, 'yangpu-talent-rent', { submittedOn: parseLocalDate('2026-11-20'), window: WINDOW })] as ApplicationEvent[],
    };
    for (const [caseId, stream] of Object.entries(events)) {
      const stored = stream.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...yangpuReviewer, role: 'official' as const }, correlationId: caseId, causationId: caseId } }));
      await appendToStream(db, { streamId: caseId, streamType: 'application', expectedVersion: 0, events: stored }, { now: () => new Date(), project: projectReadModels });
    }
    const rows = () => db.selectFrom('cases').select(['case_id', 'details']).where('case_id', 'in', [atDecision, atAcceptance]).orderBy('case_id').execute();
    const note = (from: Awaited<ReturnType<typeof rows>>, caseId: string) => (from.find((r) => r.case_id === caseId)!.details as { waitingFor: { note: string } }).waitingFor.note;
    const projected = await rows();
    expect(note(projected, atDecision)).toMatch(/^决策（不得由本案评审人担任；超过 [\d,]+\.\d{2}元须处长审批）$/);
    const other = note(projected, atAcceptance);
    expect(other).not.toContain('须处长审批');

    await decisionStepAmountInYuan.down(ownerDb);
    const before = await rows();
    expect(note(before, atDecision)).toMatch(/^决策（不得由本案评审人担任；超过 [\d,]+\.\d{2} 须处长审批）$/);
    expect(note(before, atAcceptance)).toBe(other);
    await decisionStepAmountInYuan.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
