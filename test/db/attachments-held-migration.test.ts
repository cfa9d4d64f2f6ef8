import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as attachmentsHeld from '../../db/migrations/2026-12-07T15-00_attachments-held-in-state.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { filingReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { actorRef, asNewFilingEvents, planningFilingSubmitted } from '../support/filings.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const attached = (documents: { documentId: string; sha256: string; name: string }[], note: string, attachedAt: string, visibleToApplicant?: boolean) =>
  ({
    type: 'OfficialDocumentsAttached',
    data: {
      by: actorRef(filingReviewer),
      department: 'culture-tourism',
      documents: documents.map((d) => ({ ...d, mediaType: 'application/pdf', size: 1234 })),
      note,
      ...(visibleToApplicant === undefined ? {} : { visibleToApplicant }),
      attachedAt,
    },
  }) as unknown as DramaFilingEvent;

describe('migration 2026-12-07T15-00: the attachments a case holds, in the state of rows folded before', () => {
  it('writes each case’s attachments into the stored state exactly as the fold does, in their order, and leaves a case without any alone', async () => {
    const { db, ownerDb } = database;
    const [withTwo, withNone] = [randomUUID(), randomUUID()];
    const first = { documentId: randomUUID(), sha256: 'a'.repeat(64), name: '审读意见.pdf' };
    const second = { documentId: randomUUID(), sha256: 'b'.repeat(64), name: '补充.pdf' };
    const third = { documentId: randomUUID(), sha256: 'c'.repeat(64), name: '附件三.pdf' };
    const append = (caseId: string, events: DramaFilingEvent[]) =>
      appendToStream(db, { streamId: caseId, streamType: 'drama-planning-filing', expectedVersion: 0, events: asNewFilingEvents(events, caseId) }, { now: () => new Date(), project: projectReadModels });
    // The second attachment as an event recorded before visibility was chosen: the fold keeps no such key, and neither does the migration.
    await append(withTwo, [planningFilingSubmitted(withTwo), attached([first], '审读意见', '2026-11-02T03:00:00.000Z', false), attached([second, third], '补充材料', '2026-11-03T03:00:00.000Z')]);
    await append(withNone, [planningFilingSubmitted(withNone)]);
    const rows = () => db.selectFrom('cases').select(['case_id', 'state', 'details', 'version']).where('case_id', 'in', [withTwo, withNone]).orderBy('case_id').execute();
    const projected = await rows();
    const stateOf = (caseId: string, from: typeof projected) => from.find((r) => r.case_id === caseId)!.state as { attachments?: unknown[] };
    expect(stateOf(withTwo, projected).attachments).toEqual([
      { department: 'culture-tourism', documents: [first], note: '审读意见', visibleToApplicant: false, attachedAt: '2026-11-02T03:00:00.000Z' },
      { department: 'culture-tourism', documents: [second, third], note: '补充材料', attachedAt: '2026-11-03T03:00:00.000Z' },
    ]);
    expect(stateOf(withNone, projected)).not.toHaveProperty('attachments');

    // As rows folded before the change: no attachments in the state. The migration writes them back exactly.
    await attachmentsHeld.down(ownerDb);
    expect(stateOf(withTwo, await rows())).not.toHaveProperty('attachments');
    await attachmentsHeld.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
