import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream, readStream, verifyChain } from '../../db/event-store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { appendOnlyTriggerState, countEvents, fixedClock, newEvent, tamperAsSuperuser } from './support.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** A five-event stream, written at two instants, with an intact chain. */
async function fiveEventStream(): Promise<string> {
  const streamId = `case-${randomUUID()}`;
  const clockA = { now: fixedClock('2026-05-06T01:00:00.000Z') };
  const clockB = { now: fixedClock('2026-05-07T09:15:30.250Z') };
  await appendToStream(
    database.db,
    {
      streamId,
      streamType: 'tamper-test',
      expectedVersion: 0,
      events: [
        newEvent('Submitted', { amountFen: 50_000_000, 公司: '上海星河文化传媒有限公司' }),
        newEvent('Approved', { amountFen: 36_000_000, notes: '核减至 36 万元' }),
        newEvent('Disbursed', { amountFen: 36_000_000, bankReference: 'BANK-0001' }),
      ],
    },
    clockA,
  );
  await appendToStream(
    database.db,
    {
      streamId,
      streamType: 'tamper-test',
      expectedVersion: 3,
      events: [newEvent('Repaid', { amountFen: 1_000_000, number: 1 }), newEvent('Repaid', { amountFen: 1_000_000, number: 2 })],
    },
    clockB,
  );
  expect(verifyChain(await readStream(database.db, streamId))).toBeUndefined();
  return streamId;
}

// As the owner: the application role is refused these before the trigger runs (test/db/least-privilege.test.ts).
describe('events are append-only', () => {
  it('refuses a plain UPDATE of an event with the trigger error, leaving it unchanged', async () => {
    const streamId = await fiveEventStream();
    const before = await readStream(database.db, streamId);
    await expect(
      sql`UPDATE events SET payload = '{"amountFen": 1}'::jsonb WHERE stream_id = ${streamId} AND stream_version = 2`.execute(database.ownerDb),
    ).rejects.toThrow('events are append-only: UPDATE refused');
    expect(await readStream(database.db, streamId)).toEqual(before);
  });

  it('refuses a plain DELETE of an event with the trigger error, leaving the stream whole', async () => {
    const streamId = await fiveEventStream();
    await expect(database.ownerDb.deleteFrom('events').where('stream_id', '=', streamId).execute()).rejects.toThrow('events are append-only: DELETE refused');
    expect(await countEvents(database.db, streamId)).toBe(5);
    expect(verifyChain(await readStream(database.db, streamId))).toBeUndefined();
  });
});

describe('verifyChain catches tampering done past the trigger (as the database superuser)', () => {
  it('reports the first altered event when a payload is changed', async () => {
    const streamId = await fiveEventStream();
    await tamperAsSuperuser(database.url, [
      {
        text: `UPDATE events SET payload = jsonb_set(payload, '{amountFen}', '46000000') WHERE stream_id = $1 AND stream_version = 2`,
        values: [streamId],
      },
    ]);
    const events = await readStream(database.db, streamId);
    expect(events[1]!.data.amountFen).toBe(46_000_000);
    const problem = verifyChain(events);
    expect(problem?.streamVersion).toBe(2);
    expect(problem?.problem).toContain('内容与其哈希不符');
  });

  it('reports an altered actor in the metadata and an altered recorded_at just the same', async () => {
    const streamId = await fiveEventStream();
    await tamperAsSuperuser(database.url, [
      {
        text: `UPDATE events SET metadata = jsonb_set(metadata, '{actor,displayName}', '"冒名顶替"') WHERE stream_id = $1 AND stream_version = 4`,
        values: [streamId],
      },
    ]);
    expect(verifyChain(await readStream(database.db, streamId))).toEqual({ streamVersion: 4, problem: expect.stringContaining('内容与其哈希不符') });

    const other = await fiveEventStream();
    await tamperAsSuperuser(database.url, [
      { text: `UPDATE events SET recorded_at = recorded_at - interval '1 day' WHERE stream_id = $1 AND stream_version = 3`, values: [other] },
    ]);
    expect(verifyChain(await readStream(database.db, other))).toEqual({ streamVersion: 3, problem: expect.stringContaining('内容与其哈希不符') });
  });

  it('reports a deleted middle event as missing or out of order', async () => {
    const streamId = await fiveEventStream();
    await tamperAsSuperuser(database.url, [{ text: `DELETE FROM events WHERE stream_id = $1 AND stream_version = 3`, values: [streamId] }]);
    const events = await readStream(database.db, streamId);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 4, 5]);
    const problem = verifyChain(events);
    expect(problem?.streamVersion).toBe(4);
    expect(problem?.problem).toMatch(/应为第 3 版，实为第 4 版：有事件缺失或顺序被打乱/);
  });

  it('reports two events whose stream_version values were swapped', async () => {
    const streamId = await fiveEventStream();
    const before = await readStream(database.db, streamId);
    // Three steps, because (stream_id, stream_version) is unique at every row.
    await tamperAsSuperuser(database.url, [
      { text: `UPDATE events SET stream_version = 1000 WHERE stream_id = $1 AND stream_version = 2`, values: [streamId] },
      { text: `UPDATE events SET stream_version = 2 WHERE stream_id = $1 AND stream_version = 3`, values: [streamId] },
      { text: `UPDATE events SET stream_version = 3 WHERE stream_id = $1 AND stream_version = 1000`, values: [streamId] },
    ]);
    const events = await readStream(database.db, streamId);
    // Versions still run 1..5, so only the chain can tell: the event now at 2 was written at 3.
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(events.map((e) => e.eventId)).toEqual([before[0]!.eventId, before[2]!.eventId, before[1]!.eventId, before[3]!.eventId, before[4]!.eventId]);
    const problem = verifyChain(events);
    expect(problem?.streamVersion).toBe(2);
    expect(problem?.problem).toContain('“前一哈希”与前一个事件的哈希不符');
  });

  it('leaves the append-only trigger enabled after tampering', async () => {
    const streamId = await fiveEventStream();
    await tamperAsSuperuser(database.url, [{ text: `DELETE FROM events WHERE stream_id = $1 AND stream_version = 5`, values: [streamId] }]);
    expect(await appendOnlyTriggerState(database.url)).toBe('O');
    await expect(database.ownerDb.deleteFrom('events').where('stream_id', '=', streamId).execute()).rejects.toThrow('events are append-only: DELETE refused');
    expect(await countEvents(database.db, streamId)).toBe(4);
  });
});
