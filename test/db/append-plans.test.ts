import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../db/hash-chain.js';
import * as appendPlansPerCall from '../../db/migrations/2026-12-03T03-10_append-plans-per-call.js';
import * as appendPlansKeptOnIndexes from '../../db/migrations/2026-12-05T09-00_append-plans-kept-on-indexes.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** Each append_events by its arguments: the one this migration set, and since 2026-12-05T07-00 the one the database hashes in (which sets its own). */
const settingsOfAppendEvents = async (db: TestDatabase['db']) =>
  Object.fromEntries(
    (await sql<{ signature: string; config: string[] | null }>`SELECT oid::regprocedure::text AS signature, proconfig AS config FROM pg_proc WHERE proname = 'append_events'`.execute(db)).rows.map((r) => [r.signature, r.config ?? []]),
  );
const BEFORE = 'append_events(text,text,integer,timestamp with time zone,uuid[],jsonb,jsonb,boolean)';
const HASHING = 'append_events(text,text,integer,text,timestamp with time zone,uuid[],jsonb,jsonb,boolean)';

/**
 * Why this is a setting and not a timed test: `npm run bench -- --only=event-append` measures it
 * (issue 17). With the session's cached generic plans, 100-event appends on a connection that had
 * made one-event appends ran at 6,000–6,400 events/s; planned per call, at 14,650–14,830 on the same
 * machine. What a test can hold is that the function keeps the setting, through the migration's
 * down and up, and that appends still work under it (every other event-store test runs with it).
 */
describe('migration 2026-12-03T03-10: append_events plans each call', () => {
  it('sets plan_cache_mode on append_events only, and its down removes it from the function it set', async () => {
    expect(await settingsOfAppendEvents(database.db)).toEqual({ [BEFORE]: ['plan_cache_mode=force_custom_plan'], [HASHING]: KEPT_ON_INDEXES });
    const readModelWrites = (await sql<{ config: string[] | null }>`SELECT proconfig AS config FROM pg_proc WHERE proname = 'apply_read_model_writes'`.execute(database.db)).rows[0]!.config;
    expect(readModelWrites).toContain('plan_cache_mode=force_generic_plan');

    await appendPlansPerCall.down(database.ownerDb);
    expect(await settingsOfAppendEvents(database.db)).toEqual({ [BEFORE]: [], [HASHING]: KEPT_ON_INDEXES });
    await appendPlansPerCall.up(database.ownerDb);
    expect(await settingsOfAppendEvents(database.db)).toEqual({ [BEFORE]: ['plan_cache_mode=force_custom_plan'], [HASHING]: KEPT_ON_INDEXES });
  });
});

const KEPT_ON_INDEXES = ['plan_cache_mode=force_generic_plan', 'enable_seqscan=off'];

describe('migration 2026-12-05T09-00: append_events keeps its plans, each on an index', () => {
  it('sets both on the function the application calls, and its down plans each call again', async () => {
    await appendPlansKeptOnIndexes.down(database.ownerDb);
    expect((await settingsOfAppendEvents(database.db))[HASHING]).toEqual(['plan_cache_mode=force_custom_plan']);
    await appendPlansKeptOnIndexes.up(database.ownerDb);
    expect((await settingsOfAppendEvents(database.db))[HASHING]).toEqual(KEPT_ON_INDEXES);
  });

  it('never scans the events whole, on a connection that made its plans while the store was small', async () => {
    const client = new pg.Client({ connectionString: database.appUrl });
    await client.connect();
    try {
      const streamId = randomUUID();
      const append = async (version: number, head: string): Promise<string> => {
        const event = { event_type: 'Noted', schema_version: 1, payload: { version }, metadata: { correlationId: streamId } };
        const { rows } = await client.query<{ hash: string }>(`SELECT hash FROM append_events($1, 'plans-test', $2, $3, now(), $4::uuid[], $5::jsonb)`, [streamId, version, head, [randomUUID()], JSON.stringify([event])]);
        return rows[0]!.hash;
      };
      // Planned (and the plans kept) while the store holds a handful of events.
      let head = GENESIS_HASH;
      for (let version = 0; version < 6; version++) head = await append(version, head);

      // The store grows under it: 20,000 events in 200 other streams, the statistics brought up to date.
      await sql`INSERT INTO streams (stream_id, stream_type, version, head_hash, updated_at) SELECT 'grown-' || s, 'plans-test', 100, ${GENESIS_HASH}, now() FROM generate_series(1, 200) s`.execute(database.ownerDb);
      await sql`INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash)
                SELECT 'grown-' || s, v, gen_random_uuid(), 'Noted', 1, '{}', '{}', now(), ${GENESIS_HASH}, ${GENESIS_HASH} FROM generate_series(1, 200) s, generate_series(1, 100) v`.execute(database.ownerDb);
      await sql`ANALYZE events`.execute(database.ownerDb);

      // The next append on the same connection reads the events by index only.
      await client.query('BEGIN');
      await append(6, head);
      const { rows } = await client.query<{ seq_scan: string; idx_scan: string }>(`SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'events'`);
      await client.query('COMMIT');
      expect(rows[0]).toMatchObject({ seq_scan: '0' });
      expect(Number(rows[0]!.idx_scan)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
