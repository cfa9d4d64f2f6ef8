import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streamBounds, VerifierPool } from '../../audit/parallel-verify.js';
import { verifyStore, type StoreVerificationReport } from '../../audit/verify-store.js';
import { asRowText, EVENT_ROW_COLUMNS, type EventRowText } from '../../audit/verify-worker.js';
import { sql } from 'kysely';
import { recomputedEventHash } from '../../audit/event-hash.js';
import { eventHash } from '../../db/hash-chain.js';
import { appendToStream, readStream } from '../../db/event-store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock, newEvent, tamperAsSuperuser } from '../db/support.js';
import { checkpointNow, exportCheckpoints, interleavedStore, positionsOf, STREAMS, testKey } from './support.js';

const key = testKey();
const [A, B, C] = STREAMS;
let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database?.drop();
});

/** A report without its timings, which are all two runs may differ in. */
const findings = ({ seconds: _seconds, eventsPerSecond: _rate, ...rest }: StoreVerificationReport) => rest;

describe('whole-store verification on worker threads', () => {
  it('reports exactly what verification on one thread reports, problem for problem, batch boundaries anywhere', async () => {
    await interleavedStore(database.db, { rounds: 6 });
    await checkpointNow(database.db, key);
    const exported = await exportCheckpoints(database.db);
    const [, a2] = await positionsOf(database.db, A);
    const b = await readStream(database.db, B);
    const [, , c3] = await positionsOf(database.db, C);
    await tamperAsSuperuser(database.url, [
      { text: `UPDATE events SET payload = jsonb_set(payload, '{note}', '"改过"') WHERE global_position = $1`, values: [a2] },
      { text: 'DELETE FROM events WHERE event_id = $1', values: [b[3]!.eventId] },
      { text: `UPDATE events SET metadata = jsonb_set(metadata, '{correlationId}', '"x"') WHERE global_position = $1`, values: [c3] },
    ]);

    const onOneThread = await verifyStore(database.db, { exported, trustedKey: key, workers: 0 });
    expect(onOneThread.intact).toBe(false);
    expect(onOneThread.problems.filter((p) => p.kind === 'chain').map((p) => [p.streamId, p.streamVersion])).toEqual([
      [A, 2],
      [C, 3],
      [B, 5],
    ]);
    for (const batchSize of [1, 4, 7, 5000]) {
      const onWorkers = await verifyStore(database.db, { exported, trustedKey: key, workers: 2, batchSize });
      expect(findings(onWorkers)).toEqual(findings(onOneThread));
    }
  });

  it('checks whole streams on workers, each stream on one, naming the first bad version of each', async () => {
    await interleavedStore(database.db, { rounds: 5 });
    const [, , b3] = await positionsOf(database.db, B);
    await tamperAsSuperuser(database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{round}', '99') WHERE global_position = $1`, values: [b3] }]);
    const { rows } = await sql<Record<string, unknown>>`SELECT ${sql.raw(EVENT_ROW_COLUMNS)} FROM events ORDER BY stream_id, stream_version`.execute(database.db);
    const all: EventRowText[] = rows.map(asRowText);

    for (const size of [0, 2]) {
      const pool = new VerifierPool(size);
      try {
        // Pages that cut streams anywhere: every stream still reaches one worker whole and in order.
        const verdicts = [...(await pool.streams(all.slice(0, 7))), ...(await pool.streams(all.slice(7, 8))), ...(await pool.streams(all.slice(8))), ...(await pool.flushStreams())];
        expect(verdicts.sort((x, y) => x.streamId.localeCompare(y.streamId))).toEqual([
          { streamId: A, events: 5 },
          { streamId: B, events: 5, problem: { streamVersion: 3, problem: '内容与其哈希不符：写入后被改动过' } },
          { streamId: C, events: 5 },
        ]);
      } finally {
        await pool.close();
      }
    }
  });
});

describe('whole streams read by each worker from the database, a page at a time', () => {
  it('gives the verdicts of the same rows checked on one thread, over awkward text, any page size and range bounds', async () => {
    await interleavedStore(database.db, { rounds: 4 });
    // Text jsonb escapes in its own way: backslashes, quotes, tabs, line breaks, other control characters, CJK and astral characters.
    const awkward = 'dddddddd-0000-4000-8000-000000000004';
    const texts = ['反斜杠\\与引号"', 'tab\there\nnew line\r', '\u0001\b\f\u000b', '😀 𠀀 审计', '\\N', 'plain'];
    for (const [i, text] of texts.entries()) {
      await appendToStream(
        database.db,
        { streamId: awkward, streamType: 'audit-test', expectedVersion: i, events: [newEvent('Noted\t类型', { text, [`键\t${i}`]: [i, -0.5, 1e21] }, { metadata: { actor: { accountId: 'a\\b', displayName: '王\n审查', role: 'official', department: 'yangpu-fund' }, correlationId: 'c\td', causationId: 'e' } })] },
        // Milliseconds of every length PostgreSQL writes out (.5, .25, .125, none).
        { now: fixedClock(new Date(Date.UTC(2026, 4, 7, 1, 0, i, [0, 500, 250, 125, 7, 60][i]!)).toISOString()) },
      );
    }
    const [, b2] = await positionsOf(database.db, B);
    const awkwardPositions = await positionsOf(database.db, awkward);
    await tamperAsSuperuser(database.url, [
      { text: `UPDATE events SET payload = jsonb_set(payload, '{note}', '"改过"') WHERE global_position = $1`, values: [b2] },
      { text: `UPDATE events SET metadata = jsonb_set(metadata, '{causationId}', '"x\\ty"') WHERE global_position = $1`, values: [awkwardPositions[4]] },
    ]);
    const expected = [
      { streamId: A, events: 4 },
      { streamId: B, events: 4, problem: { streamVersion: 2, problem: '内容与其哈希不符：写入后被改动过' } },
      { streamId: C, events: 4 },
      { streamId: awkward, events: 6, problem: { streamVersion: 5, problem: '内容与其哈希不符：写入后被改动过' } },
    ];

    // The same rows checked on this thread: the verdicts the workers must reproduce.
    const { rows } = await sql<Record<string, unknown>>`SELECT ${sql.raw(EVENT_ROW_COLUMNS)} FROM events ORDER BY stream_id, stream_version`.execute(database.db);
    const inline = new VerifierPool(0);
    const selected = [...(await inline.streams(rows.map(asRowText))), ...(await inline.flushStreams())];
    expect(selected).toEqual(expected);

    const pool = new VerifierPool(2);
    try {
      for (const pageSize of [1, 3, 5000]) {
        const ranges = await pool.streamsFromDatabase(database.url, await streamBounds(database.db, 2), { pageSize });
        expect(ranges.map((r) => r.events)).toEqual([8, 10]);
        expect(ranges.flatMap((r) => r.problems)).toEqual(expected.filter((v) => v.problem));
        expect(ranges.reduce((n, r) => n + r.streams, 0)).toBe(4);
      }
      // Rows are verified as they arrive, inside the driver's handler: a fold that fails there (these
      // are no loan's events) fails its range, and the workers live on.
      const bounds = await streamBounds(database.db, 2);
      await expect(pool.streamsFromDatabase(database.url, bounds, { pageSize: 3, foldAs: 'chuying-loan' })).rejects.toThrow(/核验工作线程出错：TypeError/);
      await expect(pool.streamsFromDatabase(database.url, bounds, { pageSize: 3, foldAs: 'no-such-case-type' })).rejects.toThrow(/no fold is registered for case type no-such-case-type/);
      const again = await pool.streamsFromDatabase(database.url, await streamBounds(database.db, 2), { pageSize: 3 });
      expect(again.flatMap((r) => r.problems)).toEqual(expected.filter((v) => v.problem));
    } finally {
      await pool.close();
    }
  });
});

describe("the verifier's event hash", () => {
  it('is the event store\'s hash of the same event, whatever its data holds', () => {
    const datas: Record<string, unknown>[] = [
      {},
      { b: 1, a: [{ d: null, c: '引号"与\\反斜杠\n' }], '10': 'ten', '9': 'nine', 审计: true },
      { __proto__: 'own', list: [1.5, -0, 1e21], nested: { z: { y: { x: '😀' } } } },
    ];
    for (const [i, data] of datas.entries()) {
      const content = {
        streamId: `stream-${i}`,
        streamVersion: i + 1,
        eventId: '00000000-0000-4000-8000-00000000000' + i,
        type: 'Noted',
        schemaVersion: 2,
        data,
        metadata: { actor: { accountId: 'a', displayName: '王审查', role: 'official', department: 'yangpu-fund' }, correlationId: 'c', causationId: 'd' },
      };
      const recordedAt = new Date('2026-03-05T02:00:00.123Z');
      const prevHash = String(i).repeat(64);
      expect(recomputedEventHash({ ...content, recordedAt, prevHash, hash: '', globalPosition: i } as never)).toBe(eventHash(prevHash, { ...content, recordedAt: recordedAt.toISOString() }));
    }
  });
});
