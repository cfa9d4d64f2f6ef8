import pg from 'pg';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseActivities } from '../../activities/case-events.activities.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream, type AppendRequest, type AppendResult } from '../../db/event-store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';
import { expectIntactAndRebuildable } from './event-store-audit.js';

/**
 * Temporal delivers an activity at least once: a retry after a timeout can run while the first
 * attempt is still going. The same append, delivered twice at once, must store one set of events.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const activities = () => createCaseActivities({ db: database.db, clock: () => new Date(), calendar: async () => packagedCalendar() });

/** Two deliveries of the same activity task, each in its own activity context, as two workers would run them. */
function deliverTwice(request: AppendRequest): Promise<AppendResult[]> {
  const { appendCaseEvents } = activities();
  return Promise.all([1, 2].map((attempt) => new MockActivityEnvironment({ attempt, activityType: 'appendCaseEvents' }).run(appendCaseEvents, request) as Promise<AppendResult>));
}

function expectOneStored(results: AppendResult[]) {
  expect(results.map((r) => r.alreadyAppended).sort()).toEqual([false, true]);
  expect(results[0]!.globalPositions).toEqual(results[1]!.globalPositions);
  expect(results[0]!.streamVersion).toBe(results[1]!.streamVersion);
}

describe('the same append activity delivered twice, concurrently', () => {
  it('opens each of 30 new cases once, whichever delivery gets there first', async () => {
    const histories = Array.from({ length: 30 }, () => new ChuyingHistory());
    const outcomes = await Promise.all(
      histories.map((h) => deliverTwice({ streamId: h.caseId, streamType: 'chuying-loan', expectedVersion: 0, events: asNewEvents(h.submit(), h.caseId) })),
    );
    for (const results of outcomes) expectOneStored(results);
    for (const h of histories) expect((await readStream(database.db, h.caseId)).map((e) => e.type)).toEqual(['LoanApplicationSubmitted']);
  });

  it('stores a later batch once when both deliveries queue behind the same lock and run back to back', async () => {
    const history = new ChuyingHistory();
    const decided = history.fullLife(0);
    const { appendCaseEvents } = activities();
    await appendCaseEvents({ streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: 0, events: asNewEvents(decided.slice(0, 1), history.caseId) });
    // 补正 requested, answered and the materials accepted: one batch of three events at version 1.
    const request: AppendRequest = { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: 1, events: asNewEvents(decided.slice(1, 4), history.caseId) };

    // Hold the stream's head row so both deliveries are inside their transactions, waiting, at once.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM streams WHERE stream_id = $1 FOR UPDATE', [history.caseId]);
      const both = deliverTwice(request);
      await waitFor(async () => (await blocker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0]!.n === 2);
      await blocker.query('COMMIT');
      expectOneStored(await both);
    } finally {
      await blocker.end();
    }

    const stored = await readStream(database.db, history.caseId);
    expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(stored.map((e) => e.eventId)).toEqual([expect.any(String), ...request.events.map((e) => e.eventId)]);
    const row = await database.db.selectFrom('cases').select(['version', 'status']).where('case_id', '=', history.caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ version: 4, status: 'compliance-review' });
  });

  it('leaves every chain intact and read models a rebuild reproduces', async () => {
    const check = await expectIntactAndRebuildable(database.db, database.url);
    expect(check).toMatchObject({ streams: 31, events: 34 });
  });
});

async function waitFor(predicate: () => Promise<boolean>, what = 'both deliveries to wait on the lock'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}
