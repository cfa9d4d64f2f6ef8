import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as takeOversInState from '../../db/migrations/2026-12-04T06-30_filing-take-overs-in-state.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { filingReviewer, filingSupervisor } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { actorRef, asNewFilingEvents, planningFilingSubmitted } from '../support/filings.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());


describe('migration 2026-12-04T06-30: whom a filing was taken over from, in the state of rows folded before', () => {
  it('writes the take-over into the stored state exactly as the fold does, and leaves a filing claimed by its reviewer alone', async () => {
    const { db, ownerDb } = database;
    const [takenOver, claimedOnly] = [randomUUID(), randomUUID()];
    const claim: DramaFilingEvent = { type: 'FilingClaimed', data: { by: actorRef(filingReviewer), round: 1, claimedAt: '2026-11-02T03:00:00.000Z' } };
    const takeOver: DramaFilingEvent = { type: 'FilingClaimed', data: { by: actorRef(filingSupervisor), round: 1, claimedAt: '2026-11-03T03:00:00.000Z', takenOverFrom: actorRef(filingReviewer) } };
    const append = (caseId: string, events: DramaFilingEvent[]) =>
      appendToStream(db, { streamId: caseId, streamType: 'drama-planning-filing', expectedVersion: 0, events: asNewFilingEvents(events, caseId) }, { now: () => new Date(), project: projectReadModels });
    await append(takenOver, [planningFilingSubmitted(takenOver), claim, takeOver]);
    await append(claimedOnly, [planningFilingSubmitted(claimedOnly), claim]);
    const rows = () => db.selectFrom('cases').select(['case_id', 'state', 'details']).where('case_id', 'in', [takenOver, claimedOnly]).orderBy('case_id').execute();
    const projected = await rows();
    const stateOf = (caseId: string, from: typeof projected) => from.find((r) => r.case_id === caseId)!.state as { rounds: Record<string, unknown>[] };
    expect(stateOf(takenOver, projected).rounds[0]).toMatchObject({ reviewer: actorRef(filingSupervisor), takenOverFrom: actorRef(filingReviewer) });
    expect(stateOf(claimedOnly, projected).rounds[0]).not.toHaveProperty('takenOverFrom');

    // As rows folded before the change: no take-over in the state. The migration writes it back exactly.
    await takeOversInState.down(ownerDb);
    expect(stateOf(takenOver, await rows()).rounds[0]).not.toHaveProperty('takenOverFrom');
    await takeOversInState.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
