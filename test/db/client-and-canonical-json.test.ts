import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream, readStream, verifyChain } from '../../db/event-store.js';
import { canonicalJson, eventHash, eventHashV2, GENESIS_HASH, jsonbText } from '../../db/hash-chain.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countEvents, fixedClock, newEvent } from './support.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('the project database client (db/client.ts)', () => {
  it('refuses an int8 beyond 2^53 with a RangeError naming the safe range, and stays usable after', async () => {
    // 2^53 + 1 has no exact double: Number('9007199254740993') would silently be ...992.
    const error = await sql<{ n: number }>`SELECT 9007199254740993::int8 AS n`.execute(database.db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/9007199254740993 is beyond the safe range/);

    await expect(sql`SELECT (-9007199254740993)::int8 AS n`.execute(database.db)).rejects.toThrow(/safe range/);
    // The pool's connections survive the refusal.
    const { rows } = await sql<{ one: number }>`SELECT 1::int8 AS one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
  });

  it('returns int8 within the safe range, and numeric integers, as JS numbers', async () => {
    const { rows } = await sql<{ max: unknown; min: unknown; count: unknown; total: unknown }>`
      SELECT 9007199254740991::int8 AS max, (-9007199254740991)::int8 AS min, count(*) AS count, sum(x)::numeric AS total
      FROM generate_series(1, 4) AS x`.execute(database.db);
    expect(rows).toEqual([{ max: Number.MAX_SAFE_INTEGER, min: Number.MIN_SAFE_INTEGER, count: 4, total: 10 }]);
    expect(typeof rows[0]!.max).toBe('number');
  });

  it('returns a date column as its YYYY-MM-DD text, whatever the session time zone', async () => {
    const table = `dates_${randomUUID().replaceAll('-', '')}`;
    // A table of the test's own is the owner's to create; the application role reads it through the owner's default grants.
    await sql`CREATE TABLE ${sql.table(table)} (d date NOT NULL)`.execute(database.ownerDb);
    await sql`INSERT INTO ${sql.table(table)} VALUES ('2026-10-01'), ('2024-02-29'), ('2026-01-01')`.execute(database.db);
    const read = await sql<{ d: unknown }>`SELECT d FROM ${sql.table(table)} ORDER BY d`.execute(database.db);
    expect(read.rows).toEqual([{ d: '2024-02-29' }, { d: '2026-01-01' }, { d: '2026-10-01' }]);

    // A JS Date would shift with the zone; the text cannot. Checked on one connection far from UTC.
    const shifted = await database.db.connection().execute(async (conn) => {
      await sql`SET TIME ZONE 'Pacific/Kiritimati'`.execute(conn);
      try {
        return await sql<{ d: unknown }>`SELECT DATE '2026-01-01' AS d`.execute(conn);
      } finally {
        await sql`RESET TIME ZONE`.execute(conn);
      }
    });
    expect(shifted.rows).toEqual([{ d: '2026-01-01' }]);
  });
});

describe('canonicalJson', () => {
  it('is independent of key order, at every depth', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ outer: { y: [{ d: 1, c: 2 }], x: '甲' }, 金额: 1 })).toBe(canonicalJson({ 金额: 1, outer: { x: '甲', y: [{ c: 2, d: 1 }] } }));
    // Array order is content, not formatting.
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    // And the hash follows: reordered keys, same hash; a changed value, another hash.
    const content = { streamId: 's', streamVersion: 1, eventId: 'e', type: 't', schemaVersion: 1, metadata: {}, recordedAt: '2026-01-01T00:00:00.000Z' };
    expect(eventHash(GENESIS_HASH, { ...content, data: { b: 1, a: 2 } })).toBe(eventHash(GENESIS_HASH, { ...content, data: { a: 2, b: 1 } }));
    expect(eventHash(GENESIS_HASH, { ...content, data: { b: 1, a: 2 } })).not.toBe(eventHash(GENESIS_HASH, { ...content, data: { b: 1, a: 3 } }));
  });

  it('rejects NaN and the infinities, also deep inside', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
      expect(() => canonicalJson({ ok: 1, nested: { list: [1, bad] } })).toThrow(/cannot hash the number/);
    }
  });

  it('omits undefined properties, as JSON.stringify (and so jsonb) does', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined, e: null } })).toBe('{"a":1,"c":{"e":null}}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: 1, b: undefined })).toBe(JSON.stringify({ a: 1, b: undefined }));
    // null is a value, not an absence.
    expect(canonicalJson({ a: 1, b: null })).not.toBe(canonicalJson({ a: 1 }));
  });

  it('refuses to append an event whose payload holds NaN, writing nothing', async () => {
    const streamId = `s-${randomUUID()}`;
    const append = appendToStream(
      database.db,
      { streamId, streamType: 'json-test', expectedVersion: 0, events: [newEvent('Bad', { amount: NaN })] },
      { now: fixedClock('2026-03-02T02:00:00.000Z') },
    );
    await expect(append).rejects.toThrow(/cannot hash the number NaN/);
    expect(await countEvents(database.db, streamId)).toBe(0);
  });

  it('gives the same hash after a jsonb round trip that reorders keys and rewrites numbers', async () => {
    const data = {
      zebra: { 乙: 2, 甲: 1, b: [3, { k2: 'v', k1: null }], a: true },
      aardvark: '短视频 🎬 「城市漫游」 \\ "quoted" \n newline',
      longerKeyFirst: 1,
      k: 2,
      numbers: [0, -0, 0.1, 0.30000000000000004, 1e21, 1e-7, -123.456, 9007199254740991, 5e-324, 1.7976931348623157e308],
      at: new Date('2026-03-02T02:00:00.000Z'),
      skipped: undefined,
    };
    const meta = { actor: { role: 'official', displayName: '王审查', accountId: 'acct-1', department: 'yangpu-fund' }, causationId: 'c', correlationId: 'r' };
    const event = newEvent('RoundTrip', data, { metadata: meta });
    const streamId = `s-${randomUUID()}`;
    await appendToStream(
      database.db,
      { streamId, streamType: 'json-test', expectedVersion: 0, events: [event] },
      { now: fixedClock('2026-03-02T02:00:00.000Z') },
    );

    // jsonb did reorder the keys (shorter keys first), so a non-canonical hash would now differ.
    const raw = await sql<{ payload: string }>`SELECT payload::text AS payload FROM events WHERE stream_id = ${streamId}`.execute(database.db);
    const storedKeys = Object.keys(JSON.parse(raw.rows[0]!.payload) as object);
    expect(storedKeys).not.toEqual(Object.keys(data).filter((k) => k !== 'skipped'));
    expect(JSON.stringify(JSON.parse(raw.rows[0]!.payload))).not.toBe(JSON.stringify(data));

    const [stored] = await readStream(database.db, streamId);
    expect(canonicalJson(stored!.data)).toBe(canonicalJson(data));
    expect(canonicalJson(stored!.metadata)).toBe(canonicalJson(meta));
    // The database hashed its own text of the jsonb (version 2); the values read back, written out as jsonb, are that text again.
    const metaText = await sql<{ metadata: string }>`SELECT metadata::text AS metadata FROM events WHERE stream_id = ${streamId}`.execute(database.db);
    expect(stored!.hashVersion).toBe(2);
    expect(jsonbText(stored!.data)).toBe(raw.rows[0]!.payload);
    expect(jsonbText(data)).toBe(raw.rows[0]!.payload);
    expect(jsonbText(stored!.metadata)).toBe(metaText.rows[0]!.metadata);
    const recomputed = eventHashV2(GENESIS_HASH, {
      streamId,
      streamVersion: 1,
      eventId: event.eventId,
      type: 'RoundTrip',
      schemaVersion: 1,
      dataText: raw.rows[0]!.payload,
      metadataText: metaText.rows[0]!.metadata,
      recordedAt: stored!.recordedAt.toISOString(),
    });
    expect(recomputed).toBe(stored!.hash);
    expect(verifyChain([stored!])).toBeUndefined();

    // The same through a bare jsonb cast, for a value that never went through the event store.
    const cast = await sql<{ j: unknown }>`SELECT ${JSON.stringify(data)}::jsonb AS j`.execute(database.db);
    expect(canonicalJson(cast.rows[0]!.j)).toBe(canonicalJson(data));
  });
});
