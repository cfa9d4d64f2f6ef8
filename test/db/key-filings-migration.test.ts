import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as keyFilingsInQueue from '../../db/migrations/2026-12-03T01-10_key-filings-in-queue.js';
import { appendToStream, type NewEvent } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { dramaFilingTerms } from '../../domain/drama-filing/terms.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { applicant, filingReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const asNew = (events: DramaFilingEvent[], caseId: string): NewEvent[] =>
  events.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { actor: filingReviewer, correlationId: caseId, causationId: randomUUID() } }));

describe('migration 2026-12-03T01-10: 重点 filings in the queue (issue 14)', () => {
  it('projects a 重点 round without a deadline, writes the same row for filings recorded before, and keeps a 普通 round’s deadline required', async () => {
    const { db, ownerDb } = database;
    const caseId = randomUUID();
    const submitted: DramaFilingEvent = {
      type: 'FilingSubmitted',
      data: {
        caseId,
        referenceNo: 'BA-2026-000777',
        filingType: 'drama-release-filing',
        applicant: { accountId: applicant.accountId, displayName: applicant.displayName },
        submission: { title: '重点剧', producer: '上海星河文化传媒有限公司', episodeCount: 30, episodeLengthMinutes: 3, aiGenerated: false, synopsis: '梗概', platform: '抖音', category: 'key' },
        submittedAt: '2026-11-02T02:00:00.000Z',
        submittedOn: parseLocalDate('2026-11-02'),
        terms: dramaFilingTerms('drama-release-filing'),
      },
    };
    const claimed: DramaFilingEvent = { type: 'FilingClaimed', data: { by: { accountId: filingReviewer.accountId, displayName: filingReviewer.displayName }, round: 1, claimedAt: '2026-11-03T01:00:00.000Z' } };
    await appendToStream(db, { streamId: caseId, streamType: 'drama-release-filing', expectedVersion: 0, events: asNew([submitted, claimed], caseId) }, { now: () => new Date(), project: projectReadModels });
    const projected = await db.selectFrom('filing_reviews').selectAll().where('case_id', '=', caseId).execute();
    expect(projected).toEqual([
      expect.objectContaining({ round: 1, category: 'key', working_days: null, last_working_day: null, deadline_at: null, provisional: false, reviewer_account_id: filingReviewer.accountId, title: '重点剧', outcome: null }),
    ]);

    // As a database whose 重点 filings were recorded while the deadline columns were required (and had no row).
    await keyFilingsInQueue.down(ownerDb);
    expect(await db.selectFrom('filing_reviews').select('case_id').where('case_id', '=', caseId).execute()).toEqual([]);
    await keyFilingsInQueue.up(ownerDb);
    expect(await db.selectFrom('filing_reviews').selectAll().where('case_id', '=', caseId).execute()).toEqual(projected);

    // Only a 重点 round may lack its deadline.
    await expect(sql`UPDATE filing_reviews SET category = 'ordinary' WHERE case_id = ${caseId}`.execute(ownerDb)).rejects.toThrow(/filing_reviews_deadline_unless_key/);
  });
});
