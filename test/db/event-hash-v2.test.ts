import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../audit/verify-store.js';
import { alteredContent, asRowText, EVENT_ROW_COLUMNS } from '../../audit/verify-worker.js';
import { appendToStream, readStream, verifyChain } from '../../db/event-store.js';
import { eventHash, eventHashV2, GENESIS_HASH, jsonbText } from '../../db/hash-chain.js';
import * as hashedByTheDatabase from '../../db/migrations/2026-12-05T07-00_hashed-by-the-database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock, newEvent, someEvents, tamperAsSuperuser } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** PostgreSQL's own text of each value as jsonb, in one round trip. */
async function postgresText(values: readonly unknown[]): Promise<string[]> {
  const { rows } = await sql<{ text: string }>`SELECT value::text AS text FROM jsonb_array_elements(${JSON.stringify(values)}::jsonb) WITH ORDINALITY ORDER BY ordinality`.execute(database.db);
  return rows.map((r) => r.text);
}

/** Writes a stream's first events the way the appender did before the database hashed: version-1 hashes computed here. */
async function writeVersionOneEvents(streamId: string, count: number): Promise<string> {
  let prevHash = GENESIS_HASH;
  const recordedAt = '2026-01-05T02:00:00.000Z';
  await sql`INSERT INTO streams (stream_id, stream_type, version, head_hash, updated_at) VALUES (${streamId}, 'hash-test', 0, ${GENESIS_HASH}, ${recordedAt})`.execute(database.ownerDb);
  for (const [index, event] of someEvents(count, 'Before').entries()) {
    const hash = eventHash(prevHash, { streamId, streamVersion: index + 1, eventId: event.eventId, type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata, recordedAt });
    await sql`INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash)
              VALUES (${streamId}, ${index + 1}, ${event.eventId}, ${event.type}, 1, ${JSON.stringify(event.data)}, ${JSON.stringify(event.metadata)}, ${recordedAt}, ${prevHash}, ${hash})`.execute(database.ownerDb);
    prevHash = hash;
  }
  await sql`UPDATE streams SET version = ${count}, head_hash = ${prevHash} WHERE stream_id = ${streamId}`.execute(database.ownerDb);
  return prevHash;
}

describe('jsonbText: the text PostgreSQL writes out for jsonb (what a version-2 hash covers)', () => {
  it('is exactly PostgreSQL’s text for awkward values: key order by byte length, CJK and astral keys, escapes, exponents', async () => {
    const values: unknown[] = [
      {},
      [],
      { 金额: 1, a: 2, bb: 3, '😀': 4, é: 5, E: 6, '10': 7, '9': 8, aa: 9, 审计员: 10 },
      { text: '短视频 🎬 「城市漫游」 \\ "quoted" \n\t\r\b\f \u0001\u001f / \u2028 \u007f' },
      [0, -0, 0.1, 0.30000000000000004, 1e21, 1.5e21, 1e-7, 1.5e-7, -2.5e-10, -123.456, 9007199254740991, 5e-324, 1.7976931348623157e308],
      { nested: [{ b: [true, false, null], a: { '': '', ' ': ' ' } }], at: new Date('2026-03-02T02:00:00.000Z') },
      { gone: undefined, kept: null, list: [undefined, 1] },
    ];
    const expected = await postgresText(values);
    values.forEach((value, i) => expect(jsonbText(value), JSON.stringify(value)).toBe(expected[i]));
  });

  it('is exactly PostgreSQL’s text for any JSON value (300 generated)', async () => {
    const samples = fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: 300, seed: 20261205 });
    const expected = await postgresText(samples);
    samples.forEach((value, i) => expect(jsonbText(value), JSON.stringify(value)).toBe(expected[i]));
  });
});

describe('hash version 2: the database hashes what it stores', () => {
  it('hashes each appended event over its own text of the stored jsonb, chained, and every reader recomputes it', async () => {
    const streamId = `v2-${randomUUID()}`;
    const events = [newEvent('Rich', { 金额: 1_000_000, nested: { z: [1.5e-7, 'é'], a: null } }), ...someEvents(2)];
    const result = await appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 0, events }, { now: fixedClock('2026-03-02T02:00:00.123Z') });
    expect(result.streamVersion).toBe(3);

    const { rows } = await sql<Record<string, unknown>>`SELECT ${sql.raw(EVENT_ROW_COLUMNS)} FROM events WHERE stream_id = ${streamId} ORDER BY stream_version`.execute(database.db);
    const texts = rows.map(asRowText);
    expect(texts.map((r) => r[11])).toEqual([2, 2, 2]);
    // Recomputed here from the text as read, field by field.
    let prevHash = GENESIS_HASH;
    for (const [index, row] of texts.entries()) {
      expect(row[9]).toBe(prevHash);
      const hash = eventHashV2(prevHash, { streamId, streamVersion: index + 1, eventId: events[index]!.eventId, type: events[index]!.type, schemaVersion: 1, recordedAt: '2026-03-02T02:00:00.123Z', dataText: row[6], metadataText: row[7] });
      expect(row[10]).toBe(hash);
      prevHash = hash;
    }
    expect(alteredContent(texts)).toEqual([]);
    // From the parsed events (the API's read, a bundle), through jsonbText.
    const stored = await readStream(database.db, streamId);
    expect(stored.map((e) => e.hashVersion)).toEqual([2, 2, 2]);
    expect(verifyChain(stored)).toBeUndefined();
    const head = await sql<{ head_hash: string }>`SELECT head_hash FROM streams WHERE stream_id = ${streamId}`.execute(database.db);
    expect(head.rows[0]!.head_hash).toBe(prevHash);
  });

  it('continues a chain of version-1 events with version-2 ones, and the whole store verifies', async () => {
    const streamId = `mixed-${randomUUID()}`;
    const oldHead = await writeVersionOneEvents(streamId, 2);
    await appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 2, events: someEvents(2, 'After') }, { now: fixedClock('2026-03-02T02:00:00.000Z') });

    const stored = await readStream(database.db, streamId);
    expect(stored.map((e) => e.hashVersion)).toEqual([1, 1, 2, 2]);
    expect(stored[2]!.prevHash).toBe(oldHead);
    expect(verifyChain(stored)).toBeUndefined();
    const report = await verifyStore(database.db, { exported: [] });
    expect(report.problems.filter((p) => p.kind === 'chain')).toEqual([]);
  });

  it('lets a process started before the change go on appending through the old arguments, with version-1 hashes, the chain holding across', async () => {
    const streamId = `rolling-${randomUUID()}`;
    const clock = { now: fixedClock('2026-03-02T02:00:00.000Z') };
    await appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 0, events: someEvents(1) }, clock);
    const head = (await readStream(database.db, streamId))[0]!.hash;
    // What the code before this change sends: its own hash (version 1) of each event, chained from the head it knows.
    const old = newEvent('FromAnOldProcess', { 金额: 500_000 });
    const at = '2026-03-02T02:00:01.000Z';
    const hash = eventHash(head, { streamId, streamVersion: 2, eventId: old.eventId, type: old.type, schemaVersion: 1, data: old.data, metadata: old.metadata, recordedAt: at });
    const events = JSON.stringify([{ event_type: old.type, schema_version: 1, payload: old.data, metadata: old.metadata, prev_hash: head, hash }]);
    await sql`SELECT * FROM append_events(${streamId}, 'hash-test', 1, ${at}::timestamptz, ${[old.eventId]}::uuid[], ${events}::jsonb, '[]'::jsonb, false)`.execute(database.db);
    await appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 2, events: someEvents(1, 'After') }, clock);

    const stored = await readStream(database.db, streamId);
    expect(stored.map((e) => e.hashVersion)).toEqual([2, 1, 2]);
    expect(stored[1]!.hash).toBe(hash);
    expect(verifyChain(stored)).toBeUndefined();
    expect((await verifyStore(database.db, { exported: [] })).problems.filter((p) => p.kind === 'chain')).toEqual([]);
  });

  it('answers a retried append with the hashes first stored, and refuses an append that does not build on the head', async () => {
    const streamId = `retry-${randomUUID()}`;
    const events = someEvents(2);
    const clock = { now: fixedClock('2026-03-02T02:00:00.000Z') };
    await appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 0, events }, clock);
    const again = await appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 0, events }, clock);
    expect(again.alreadyAppended).toBe(true);
    const head = (await readStream(database.db, streamId))[1]!.hash;
    const stale = await sql`SELECT * FROM append_events(${streamId}, 'hash-test', 2, ${GENESIS_HASH}, ${new Date()}, ${[randomUUID()]}::uuid[], ${JSON.stringify([{ event_type: 'X', schema_version: 1, payload: {}, metadata: {} }])}::jsonb)`.execute(database.db).then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
    expect(stale).toBe('YC411');
    expect((await readStream(database.db, streamId)).map((e) => e.hash).at(-1)).toBe(head);
  });

  it('catches an event whose hash version was changed, and refuses a version it does not know', async () => {
    const streamId = `flip-${randomUUID()}`;
    await appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 0, events: someEvents(2) }, { now: fixedClock('2026-03-02T02:00:00.000Z') });
    await tamperAsSuperuser(database.url, [{ text: 'UPDATE events SET hash_version = 1 WHERE stream_id = $1 AND stream_version = 2', values: [streamId] }]);
    expect(verifyChain(await readStream(database.db, streamId))).toEqual({ streamVersion: 2, problem: expect.stringContaining('内容与其哈希不符') });
    const report = await verifyStore(database.db, { exported: [] });
    expect(report.problems.filter((p) => p.kind === 'chain' && p.message.includes(streamId))).toHaveLength(1);

    await expect(tamperAsSuperuser(database.url, [{ text: 'UPDATE events SET hash_version = 3 WHERE stream_id = $1 AND stream_version = 1', values: [streamId] }])).rejects.toThrow(/events_hash_version_known/);
    const [first] = await readStream(database.db, streamId);
    expect(verifyChain([{ ...first!, hashVersion: 3 as never }])).toEqual({ streamVersion: 1, problem: '其哈希版本 3 无从核对：本系统只写过第 1、2 版' });
  });

  it('refuses a value JSON would store as something else, writing nothing', async () => {
    const streamId = `nan-${randomUUID()}`;
    for (const bad of [Number.NaN, Infinity, () => 1, 1n]) {
      await expect(appendToStream(database.db, { streamId, streamType: 'hash-test', expectedVersion: 0, events: [newEvent('Bad', { nested: [{ value: bad }] })] }, { now: fixedClock('2026-03-02T02:00:00.000Z') })).rejects.toThrow(TypeError);
    }
    expect(await readStream(database.db, streamId)).toEqual([]);
  });

  it('will not go back to version-1 hashes once a version-2 event is stored', async () => {
    await expect(hashedByTheDatabase.down(database.ownerDb)).rejects.toThrow(/carry hash version 2/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'hash_version'`.execute(database.db);
    expect(rows[0]!.n).toBe(1);
  });
});
