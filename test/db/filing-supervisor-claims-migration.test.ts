import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as supervisorClaimsNamed from '../../db/migrations/2026-12-05T02-10_filing-supervisor-claims-named.js';
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


type Details = { waitingFor: { note: string } | null; rounds: Record<string, unknown>[] };

describe('migration 2026-12-05T02-10: a claim the supervising official holds is named as theirs in the rows folded before', () => {
  it('writes 分管领导 into the round and the next step exactly as the projection does, and leaves a reviewer’s claim alone', async () => {
    const { db, ownerDb } = database;
    const [takenOver, claimedBySupervisor, claimedByReviewer, takenOverThenApproved] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const claim: DramaFilingEvent = { type: 'FilingClaimed', data: { by: actorRef(filingReviewer), round: 1, claimedAt: '2026-11-02T03:00:00.000Z' } };
    // A take-over as recorded before 2026-12-05: known as the supervisor's by whom it was taken from.
    const takeOver: DramaFilingEvent = { type: 'FilingClaimed', data: { by: actorRef(filingSupervisor), round: 1, claimedAt: '2026-11-03T03:00:00.000Z', takenOverFrom: actorRef(filingReviewer) } };
    const direct: DramaFilingEvent = { type: 'FilingClaimed', data: { by: actorRef(filingSupervisor), round: 1, claimedAt: '2026-11-02T03:00:00.000Z', claimedAs: 'supervisor' } };
    const approved: DramaFilingEvent = { type: 'FilingApproved', data: { by: actorRef(filingSupervisor), round: 1, notes: '', decidedAt: '2026-11-03T04:00:00.000Z' } };
    const append = (caseId: string, events: DramaFilingEvent[]) =>
      appendToStream(db, { streamId: caseId, streamType: 'drama-planning-filing', expectedVersion: 0, events: asNewFilingEvents(events, caseId) }, { now: () => new Date(), project: projectReadModels });
    await append(takenOver, [planningFilingSubmitted(takenOver), claim, takeOver]);
    await append(claimedBySupervisor, [planningFilingSubmitted(claimedBySupervisor), direct]);
    await append(claimedByReviewer, [planningFilingSubmitted(claimedByReviewer), claim]);
    await append(takenOverThenApproved, [planningFilingSubmitted(takenOverThenApproved), claim, takeOver, approved]);
    const ids = [takenOver, claimedBySupervisor, claimedByReviewer, takenOverThenApproved];
    const rows = () => db.selectFrom('cases').select(['case_id', 'state', 'details']).where('case_id', 'in', ids).orderBy('case_id').execute();
    const projected = await rows();
    const details = (caseId: string, from: typeof projected) => from.find((r) => r.case_id === caseId)!.details as unknown as Details;
    expect(details(takenOver, projected)).toMatchObject({ waitingFor: { note: '分管领导 周分管 审查' }, rounds: [{ reviewerDuty: 'supervisor' }] });
    expect(details(claimedBySupervisor, projected)).toMatchObject({ waitingFor: { note: '分管领导 周分管 审查' }, rounds: [{ reviewerDuty: 'supervisor' }] });
    expect(details(takenOverThenApproved, projected)).toMatchObject({ waitingFor: null, rounds: [{ reviewerDuty: 'supervisor' }] });
    expect(details(claimedByReviewer, projected).waitingFor!.note).toBe('陈文旅 审查');
    expect(details(claimedByReviewer, projected).rounds[0]).not.toHaveProperty('reviewerDuty');

    // As rows folded before the change: no duty in the rounds, the reviewer's name alone in the next step. The migration writes them back exactly.
    await supervisorClaimsNamed.down(ownerDb);
    const before = await rows();
    expect(details(takenOver, before)).toMatchObject({ waitingFor: { note: '周分管 审查' } });
    expect(details(takenOver, before).rounds[0]).not.toHaveProperty('reviewerDuty');
    expect(details(claimedByReviewer, before)).toEqual(details(claimedByReviewer, projected));
    await supervisorClaimsNamed.up(ownerDb);
    expect(await rows()).toEqual(projected);
    // Applied twice, it changes nothing more.
    await supervisorClaimsNamed.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
