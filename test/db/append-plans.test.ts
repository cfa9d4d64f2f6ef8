import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as appendPlansPerCall from '../../db/migrations/2026-12-03T03-10_append-plans-per-call.js';
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
    expect(await settingsOfAppendEvents(database.db)).toEqual({ [BEFORE]: ['plan_cache_mode=force_custom_plan'], [HASHING]: ['plan_cache_mode=force_custom_plan'] });
    const readModelWrites = (await sql<{ config: string[] | null }>`SELECT proconfig AS config FROM pg_proc WHERE proname = 'apply_read_model_writes'`.execute(database.db)).rows[0]!.config;
    expect(readModelWrites).toContain('plan_cache_mode=force_generic_plan');

    await appendPlansPerCall.down(database.ownerDb);
    expect(await settingsOfAppendEvents(database.db)).toEqual({ [BEFORE]: [], [HASHING]: ['plan_cache_mode=force_custom_plan'] });
    await appendPlansPerCall.up(database.ownerDb);
    expect(await settingsOfAppendEvents(database.db)).toEqual({ [BEFORE]: ['plan_cache_mode=force_custom_plan'], [HASHING]: ['plan_cache_mode=force_custom_plan'] });
  });
});
