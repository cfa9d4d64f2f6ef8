import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/client.js';
import { appendToStream, ConcurrencyError, EventIdReuseError, readStream, verifyChain, type AppendResult, type NewEvent } from '../../db/event-store.js';
import { canonicalJson, eventHashV2, GENESIS_HASH, jsonbText } from '../../db/hash-chain.js';
import { DomainError } from '../../domain/errors.js';
import { applicant, fundReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countEvents, fixedClock, metadataFor, newEvent, someEvents, streamHead } from './support.js';

let database: TestDatabase;
let db: Db;
/** A second pool with room for every racer at once, so the races really are concurrent. */
let racingDb: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  racingDb = createDb(database.url, { max: 25 });
});

afterAll(async () => {
  await racingDb?.destroy();
  await database?.drop();
});

const T1 = '2026-03-02T02:00:00.123Z';
const T2 = '2026-03-02T03:30:00.456Z';
const T3 = '2026-03-03T01:00:00.789Z';

async function append(streamId: string, expectedVersion: number, events: readonly NewEvent[], at = T1, on: Db = db): Promise<AppendResult> {
  return appendToStream(on, { streamId, streamType: 'test-stream', expectedVersion, events }, { now: fixedClock(at) });
}

/** The error an append was refused with (fails the test if it succeeded). */
async function refusal(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the append to be refused, but it succeeded');
}

describe('appending to a stream', () => {
  it('numbers a new stream 1..n, chains the hashes from GENESIS_HASH and reads everything back intact', async () => {
    const streamId = `s-${randomUUID()}`;
    // Keys deliberately out of code-point order at every level; jsonb will reorder them.
    const rich = {
      zeta: '最后一个键',
      alpha: { 名称: '上海星河文化传媒有限公司', nested: { z: [3, 2, 1], a: { deep: true } }, 金额: 36_000_000 },
      list: [1, '二', { y: null, x: false }, [true, -7]],
      count: 9_007_199_254_740_991,
      negative: -42,
      ratio: 0.5,
      yes: true,
      no: false,
      nothing: null,
      emptyObject: {},
      emptyList: [],
      emoji: '🎬短视频',
    };
    const meta = { ...metadataFor(applicant), workflowId: 'case-wf-1', runId: 'run-1' };
    const first: NewEvent[] = [
      newEvent('RichEvent', rich, { metadata: meta, schemaVersion: 2 }),
      newEvent('Second', { n: 2, 说明: '第二条' }),
      newEvent('Third', { n: 3, tags: ['甲', '乙'] }),
    ];

    const result = await append(streamId, 0, first, T1);
    expect(result.alreadyAppended).toBe(false);
    expect(result.streamVersion).toBe(3);
    expect(result.globalPositions).toHaveLength(3);
    const [p1, p2, p3] = result.globalPositions as [number, number, number];
    expect(p1).toBeLessThan(p2);
    expect(p2).toBeLessThan(p3);

    const second: NewEvent[] = [newEvent('Fourth', { n: 4 }), newEvent('Fifth', { n: 5 })];
    const next = await append(streamId, 3, second, T2);
    expect(next).toMatchObject({ streamVersion: 5, alreadyAppended: false });
    expect(next.globalPositions[0]!).toBeGreaterThan(p3);

    const events = await readStream(db, streamId);
    const appended = [...first, ...second];
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(events.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
    expect(events.map((e) => e.type)).toEqual(['RichEvent', 'Second', 'Third', 'Fourth', 'Fifth']);
    expect(events.map((e) => e.globalPosition)).toEqual([...result.globalPositions, ...next.globalPositions]);
    expect(events.map((e) => e.schemaVersion)).toEqual([2, 1, 1, 1, 1]);
    for (const [i, e] of events.entries()) {
      expect(e.streamId).toBe(streamId);
      expect(e.data).toStrictEqual(appended[i]!.data);
      expect(e.metadata).toStrictEqual(appended[i]!.metadata);
      expect(e.recordedAt.toISOString()).toBe(i < 3 ? T1 : T2);
    }
    // The rich payload is unchanged down to every type (the int stays a number, null stays null).
    expect(canonicalJson(events[0]!.data)).toBe(canonicalJson(rich));
    expect(events[0]!.data.count).toBe(9_007_199_254_740_991);

    // The chain: genesis, then each event's prevHash is the hash of the one before it.
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect(new Set(events.map((e) => e.hash)).size).toBe(5);
    for (const e of events) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    // Recomputed independently of verifyChain from what the caller gave (not what was read back).
    // The database hashed it (version 2), over its own text of the jsonb: the caller's values written out as jsonb give the same.
    expect(events.map((e) => e.hashVersion)).toEqual([2, 2, 2, 2, 2]);
    expect(events[0]!.hash).toBe(
      eventHashV2(GENESIS_HASH, {
        streamId,
        streamVersion: 1,
        eventId: first[0]!.eventId,
        type: 'RichEvent',
        schemaVersion: 2,
        dataText: jsonbText(rich),
        metadataText: jsonbText(meta),
        recordedAt: T1,
      }),
    );
    expect(verifyChain(events)).toBeUndefined();

    const head = await streamHead(db, streamId);
    expect(head).toMatchObject({ stream_type: 'test-stream', version: 5, head_hash: events[4]!.hash });
    expect(head!.updated_at.toISOString()).toBe(T2);
  });

  it('reads a stream as of an instant with upTo', async () => {
    const streamId = `s-${randomUUID()}`;
    await append(streamId, 0, someEvents(2), T1);
    await append(streamId, 2, someEvents(1), T3);
    expect((await readStream(db, streamId, { upTo: new Date(T2) })).map((e) => e.streamVersion)).toEqual([1, 2]);
    expect((await readStream(db, streamId, { upTo: new Date(T3) })).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(await readStream(db, `s-${randomUUID()}`)).toEqual([]);
  });

  it('refuses an empty batch as a validation error', async () => {
    const error = await refusal(append(`s-${randomUUID()}`, 0, []));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('validation');
  });

  it('refuses to append to a stream of another type, writing nothing', async () => {
    const streamId = `s-${randomUUID()}`;
    await append(streamId, 0, someEvents(1));
    const error = await refusal(
      appendToStream(db, { streamId, streamType: 'other-type', expectedVersion: 1, events: someEvents(1) }, { now: fixedClock(T2) }),
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('conflict');
    expect(await countEvents(db, streamId)).toBe(1);
  });
});

describe('optimistic concurrency', () => {
  it('refuses a wrong expectedVersion with a ConcurrencyError carrying expected and actual versions, and writes nothing', async () => {
    const streamId = `s-${randomUUID()}`;
    await append(streamId, 0, someEvents(2), T1);
    const headBefore = await streamHead(db, streamId);
    const totalBefore = await countEvents(db);

    for (const expectedVersion of [0, 1, 3]) {
      const error = await refusal(append(streamId, expectedVersion, someEvents(1), T2));
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ kind: 'concurrency', streamId, expectedVersion, actualVersion: 2 });
      // Said in Chinese, as the official whose action it fails reads it; the English for the logs.
      expect((error as Error).message).toBe(`这条记录已被其他操作更新（当前为第 2 版，本次操作基于第 ${expectedVersion} 版），本次操作没有记录：请刷新后重试；如反复出现，请联系系统管理员核查。`);
      expect(error).toMatchObject({ code: 'concurrency', english: `stream ${streamId} is at version 2, not the expected ${expectedVersion}`, params: { streamId, expectedVersion, actualVersion: 2 } });
    }

    expect(await countEvents(db)).toBe(totalBefore);
    expect(await streamHead(db, streamId)).toEqual(headBefore);
    expect((await readStream(db, streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('refuses a non-zero expectedVersion for a stream that does not exist, leaving no stream row behind', async () => {
    const streamId = `s-${randomUUID()}`;
    const error = await refusal(append(streamId, 4, someEvents(1)));
    expect(error).toMatchObject({ kind: 'concurrency', expectedVersion: 4, actualVersion: 0 });
    expect(await streamHead(db, streamId)).toBeUndefined();
    expect(await countEvents(db, streamId)).toBe(0);
  });
});

describe('idempotent retries', () => {
  it('returns the original positions and version, writing nothing, when the same events are appended again after the stream moved on', async () => {
    const streamId = `s-${randomUUID()}`;
    const batch = [newEvent('Opened', { b: 2, a: 1, 名称: '测试' }), newEvent('Noted', { list: [{ y: 1, x: 2 }] })];
    const original = await append(streamId, 0, batch, T1);
    expect(original.alreadyAppended).toBe(false);
    const moved = await append(streamId, 2, someEvents(3), T2);
    expect(moved.streamVersion).toBe(5);

    const totalBefore = await countEvents(db);
    const headBefore = await streamHead(db, streamId);

    // The same retry a Temporal activity makes: the same ids, the same content, the old expectedVersion.
    const retried = await append(streamId, 0, batch, T3);
    expect(retried).toEqual({ streamVersion: 2, globalPositions: original.globalPositions, alreadyAppended: true });

    // The same content built afresh with its keys in another order is still the same content.
    const rebuilt = batch.map((e) => ({ ...e, data: JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(e.data).reverse()))) as Record<string, unknown> }));
    const retriedAgain = await append(streamId, 0, rebuilt, T3);
    expect(retriedAgain).toEqual({ streamVersion: 2, globalPositions: original.globalPositions, alreadyAppended: true });

    // A retry of only the first event of the batch reports that event's own version and position.
    expect(await append(streamId, 0, batch.slice(0, 1), T3)).toEqual({ streamVersion: 1, globalPositions: original.globalPositions.slice(0, 1), alreadyAppended: true });

    expect(await countEvents(db)).toBe(totalBefore);
    expect(await streamHead(db, streamId)).toEqual(headBefore);
    const events = await readStream(db, streamId);
    expect(events.map((e) => e.recordedAt.toISOString())).toEqual([T1, T1, T2, T2, T2]);
    expect(verifyChain(events)).toBeUndefined();
  });
});

describe('event id reuse', () => {
  it('refuses the same event id with a different payload as an EventIdReuseError (conflict), writing nothing', async () => {
    const streamId = `s-${randomUUID()}`;
    const event = newEvent('Decided', { amountFen: 36_000_000, notes: '同意' });
    await append(streamId, 0, [event], T1);
    const totalBefore = await countEvents(db);

    const changedPayload = await refusal(append(streamId, 0, [{ ...event, data: { amountFen: 36_000_001, notes: '同意' } }], T2));
    expect(changedPayload).toBeInstanceOf(EventIdReuseError);
    expect(changedPayload).toMatchObject({ kind: 'conflict', eventId: event.eventId });
    expect((changedPayload as Error).message).toContain('the payload differs');

    const changedType = await refusal(append(streamId, 0, [{ ...event, type: 'Rejected' }], T2));
    expect(changedType).toBeInstanceOf(EventIdReuseError);
    expect(changedType).toMatchObject({ kind: 'conflict', eventId: event.eventId });

    // A batch mixing a stored id with a new one is neither a retry nor a fresh append.
    const mixed = await refusal(append(streamId, 1, [event, newEvent('Other', { n: 1 })], T2));
    expect(mixed).toBeInstanceOf(EventIdReuseError);

    expect(await countEvents(db)).toBe(totalBefore);
    expect((await streamHead(db, streamId))?.version).toBe(1);
  });

  it('refuses an event id already used in another stream, without creating the new stream', async () => {
    const first = `s-${randomUUID()}`;
    const second = `s-${randomUUID()}`;
    const event = newEvent('Opened', { n: 1 });
    await append(first, 0, [event], T1);
    const totalBefore = await countEvents(db);

    const error = await refusal(append(second, 0, [event], T2));
    expect(error).toBeInstanceOf(EventIdReuseError);
    expect(error).toMatchObject({ kind: 'conflict', eventId: event.eventId });
    expect((error as Error).message).toContain(`belongs to stream ${first}`);

    expect(await countEvents(db)).toBe(totalBefore);
    expect(await streamHead(db, second)).toBeUndefined();
  });
});

describe('racing appends', () => {
  it('lets exactly one of 20 racing appends with the same expectedVersion win; the rest get ConcurrencyError', async () => {
    const streamId = `s-${randomUUID()}`;
    await append(streamId, 0, someEvents(1), T1);
    const batches = Array.from({ length: 20 }, (_, i) => [newEvent('Raced', { racer: i }, { metadata: metadataFor(fundReviewer) })]);

    const settled = await Promise.allSettled(batches.map((batch) => append(streamId, 1, batch, T2, racingDb)));

    const won = settled.filter((s): s is PromiseFulfilledResult<AppendResult> => s.status === 'fulfilled');
    const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(won[0]!.value).toMatchObject({ streamVersion: 2, alreadyAppended: false });
    expect(lost).toHaveLength(19);
    for (const { reason } of lost) {
      expect(reason).toBeInstanceOf(ConcurrencyError);
      expect(reason).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    }

    const events = await readStream(db, streamId);
    expect(events).toHaveLength(2);
    const winner = settled.findIndex((s) => s.status === 'fulfilled');
    expect(events[1]!.eventId).toBe(batches[winner]![0]!.eventId);
    expect(verifyChain(events)).toBeUndefined();
    expect((await streamHead(db, streamId))?.version).toBe(2);
  });

  it('lets exactly one of 20 racing first appends to the same new stream win', async () => {
    const streamId = `s-${randomUUID()}`;
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => append(streamId, 0, someEvents(2), T1, racingDb)));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(lost).toHaveLength(19);
    for (const { reason } of lost) expect(reason).toMatchObject({ kind: 'concurrency', expectedVersion: 0, actualVersion: 2 });
    expect(await countEvents(db, streamId)).toBe(2);
    expect(verifyChain(await readStream(db, streamId))).toBeUndefined();
  });

  it('lets 20 racing first appends to 20 different new streams all succeed', async () => {
    const streams = Array.from({ length: 20 }, () => `s-${randomUUID()}`);
    const results = await Promise.all(streams.map((streamId) => append(streamId, 0, someEvents(2), T1, racingDb)));

    for (const result of results) expect(result).toMatchObject({ streamVersion: 2, alreadyAppended: false });
    const positions = results.flatMap((r) => r.globalPositions);
    expect(new Set(positions).size).toBe(40);
    for (const streamId of streams) {
      const events = await readStream(db, streamId);
      expect(events.map((e) => e.streamVersion)).toEqual([1, 2]);
      expect(verifyChain(events)).toBeUndefined();
      expect((await streamHead(db, streamId))?.version).toBe(2);
    }
  });

  it('writes the same new batch once when two appends of it race to a new stream; the other reports the same positions', async () => {
    // Repeated, so the two appends interleave in more than one way.
    for (let round = 0; round < 10; round++) {
      const streamId = `s-${randomUUID()}`;
      const batch = someEvents(3, 'Submitted');
      const totalBefore = await countEvents(db);

      const [a, b] = await Promise.all([append(streamId, 0, batch, T1, racingDb), append(streamId, 0, batch, T1, racingDb)]);

      expect(a.globalPositions).toEqual(b.globalPositions);
      expect(a.streamVersion).toBe(3);
      expect(b.streamVersion).toBe(3);
      expect([a.alreadyAppended, b.alreadyAppended].filter((already) => !already)).toHaveLength(1);
      expect(await countEvents(db)).toBe(totalBefore + 3);
      const events = await readStream(db, streamId);
      expect(events.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
      expect(events.map((e) => e.globalPosition)).toEqual(a.globalPositions);
    }
  });

  it('refuses an event id racing into two different new streams: one stream gets it, the other nothing', async () => {
    for (let round = 0; round < 5; round++) {
      const [left, right] = [`s-${randomUUID()}`, `s-${randomUUID()}`];
      const event = newEvent('Opened', { round });
      const settled = await Promise.allSettled([append(left, 0, [event], T1, racingDb), append(right, 0, [event], T1, racingDb)]);
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
      const lost = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(lost?.reason).toBeInstanceOf(EventIdReuseError);
      expect((await countEvents(db, left)) + (await countEvents(db, right))).toBe(1);
    }
  });
});
