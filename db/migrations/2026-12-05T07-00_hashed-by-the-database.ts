import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code. The constants below are those of
// db/event-store.ts and db/hash-chain.ts when it was written.
const APPEND_FENCE_LOCK = 0x5943_4150;
const GENESIS_HASH = '0'.repeat(64);

/**
 * The database hashes each event it inserts, over its own text of the stored jsonb (hash version 2,
 * issue 17).
 *
 * Until now the appender hashed the canonical JSON of each event (version 1): keys sorted in
 * JavaScript, which a verifier had to parse and sort again for every event it read — most of
 * whole-store verification's time. Version 2 covers data and metadata as PostgreSQL writes out
 * their jsonb, which is exactly what a verifier reads (`payload::text`), so it hashes them as
 * they arrive. Only the database knows that text when an event is written, so `append_events` now
 * computes the chain itself: the caller names the head it builds on (`p_head_hash`, refused as
 * before when stale) and gets each event's hash back.
 *
 * `events.hash_version` says which definition an event's hash follows. Events already stored keep
 * version 1 and verify as they always did; so does anything that inserts events itself with a
 * version-1 hash (the column's default). The function of the old arguments stays beside the new
 * one: an API or worker process started before this migration goes on appending through it, with
 * the version-1 hashes it computes, until it is restarted, and its chains link on either side. The two definitions share no content: a version-2 text
 * starts with its own label, so changing an event's version breaks its hash.
 *
 * The text hashed, one field a line (db/hash-chain.ts eventHashV2 computes the same in JavaScript):
 *   youchuang-event/2, the previous hash, the stream id as a JSON string, the stream version, the
 *   event id, the type as a JSON string, the schema version, the time recorded (ISO 8601, UTC, to
 *   the millisecond), metadata's jsonb text, data's jsonb text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE events ADD COLUMN hash_version smallint NOT NULL DEFAULT 1 CONSTRAINT events_hash_version_known CHECK (hash_version IN (1, 2))`.execute(db);
  await sql`
    CREATE FUNCTION append_events(
      p_stream_id text,
      p_stream_type text,
      p_expected_version integer,
      p_head_hash text,
      p_recorded_at timestamptz,
      p_event_ids uuid[],
      p_events jsonb,
      p_read_model_writes jsonb DEFAULT '[]',
      p_nowait boolean DEFAULT false
    ) RETURNS TABLE (event_id uuid, stream_version integer, global_position bigint, already_appended boolean, hash text)
    LANGUAGE plpgsql SECURITY INVOKER SET plan_cache_mode = force_custom_plan AS $$
    #variable_conflict use_column
    DECLARE
      v_type text;
      v_version integer;
      v_head text;
      v_count integer := jsonb_array_length(p_events);
      v_ids uuid[] := p_event_ids;
      v_prevs text[] := '{}';
      v_hashes text[] := '{}';
      v_prev text := p_head_hash;
      v_stream text := to_json(p_stream_id)::text;
      v_at text := to_char(p_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
      v_event jsonb;
      v_moved boolean := false;
      r record;
    BEGIN
      PERFORM pg_advisory_xact_lock_shared(${sql.lit(APPEND_FENCE_LOCK)});
      -- Called on its own (autocommit), the statement commits even if its client is gone by the
      -- time a lock it waited for is granted. So it does not wait: any lock another transaction
      -- holds fails it with lock_not_available, writing nothing, and the caller appends in a
      -- transaction of its own, which a lost client rolls back.
      IF p_nowait THEN
        PERFORM set_config('lock_timeout', '1ms', true);
      END IF;

      -- The chain, from the head the caller builds on. A null anywhere makes a null hash, which
      -- the insert refuses, rather than a text that silently left a field out.
      FOR i IN 1 .. v_count LOOP
        v_event := p_events->(i - 1);
        v_prevs := v_prevs || v_prev;
        v_prev := encode(sha256(convert_to(
          'youchuang-event/2' || E'\\n' || v_prev || E'\\n' || v_stream || E'\\n' || (p_expected_version + i)::text || E'\\n' ||
          p_event_ids[i]::text || E'\\n' || to_json(v_event->>'event_type')::text || E'\\n' || ((v_event->>'schema_version')::smallint)::text || E'\\n' ||
          v_at || E'\\n' || (v_event->'metadata')::text || E'\\n' || (v_event->'payload')::text,
          'UTF8')), 'hex');
        v_hashes := v_hashes || v_prev;
      END LOOP;

      -- The common case in one write: the head moves from exactly the expected version and hash
      -- (a new stream's row is created already moved). The row lock this takes serialises appends
      -- to the stream; a concurrent append that moved it first leaves nothing to match.
      IF NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (v_ids)) THEN
        IF p_expected_version = 0 THEN
          INSERT INTO streams (stream_id, stream_type, version, head_hash, updated_at)
          SELECT p_stream_id, p_stream_type, v_count, v_prev, p_recorded_at
          WHERE p_head_hash = ${sql.lit(GENESIS_HASH)}
          ON CONFLICT (stream_id) DO NOTHING;
        ELSE
          UPDATE streams SET version = p_expected_version + v_count, head_hash = v_prev, updated_at = p_recorded_at
          WHERE stream_id = p_stream_id AND version = p_expected_version AND head_hash = p_head_hash AND stream_type = p_stream_type;
        END IF;
        v_moved := FOUND;
      END IF;

      IF NOT v_moved THEN
        -- Everything else, under the head row's lock: an idempotent retry (perhaps of an append
        -- that committed while this one waited), or a refusal.
        SELECT s.stream_type, s.version, s.head_hash INTO v_type, v_version, v_head
        FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
        IF NOT FOUND THEN
          v_type := p_stream_type;
          v_version := 0;
          v_head := ${sql.lit(GENESIS_HASH)};
        END IF;
        IF v_type <> p_stream_type THEN
          RAISE EXCEPTION USING ERRCODE = 'YC412', MESSAGE = format('stream %s holds %s events, not %s', p_stream_id, v_type, p_stream_type);
        END IF;

        -- An idempotent retry: every event id already stored, with the same content, in this stream.
        IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (v_ids)) THEN
          FOR r IN
            SELECT x.elem, e.event_id AS stored_id, e.stream_id, e.stream_version, e.event_type, e.payload,
                   (SELECT f.event_id FROM events f WHERE f.event_id = ANY (v_ids) LIMIT 1) AS first_found
            FROM jsonb_array_elements(p_events) WITH ORDINALITY x(elem, ord)
            LEFT JOIN events e ON e.event_id = p_event_ids[x.ord]
            ORDER BY x.ord
          LOOP
            IF r.stored_id IS NULL THEN
              RAISE EXCEPTION USING ERRCODE = 'YC410', DETAIL = r.first_found::text, MESSAGE = 'it was appended in a batch with other events';
            ELSIF r.stream_id <> p_stream_id THEN
              RAISE EXCEPTION USING ERRCODE = 'YC410', DETAIL = r.stored_id::text, MESSAGE = format('it belongs to stream %s', r.stream_id);
            ELSIF r.event_type <> r.elem->>'event_type' THEN
              RAISE EXCEPTION USING ERRCODE = 'YC410', DETAIL = r.stored_id::text, MESSAGE = format('stored as %s, now %s', r.event_type, r.elem->>'event_type');
            ELSIF r.payload <> r.elem->'payload' THEN
              RAISE EXCEPTION USING ERRCODE = 'YC410', DETAIL = r.stored_id::text, MESSAGE = 'the payload differs';
            END IF;
          END LOOP;
          RETURN QUERY
            SELECT e.event_id, e.stream_version, e.global_position, true, e.hash::text
            FROM unnest(v_ids) WITH ORDINALITY AS i(id, ord) JOIN events e ON e.event_id = i.id
            ORDER BY i.ord;
          RETURN;
        END IF;

        IF v_version <> p_expected_version THEN
          RAISE EXCEPTION USING ERRCODE = 'YC409', DETAIL = v_version::text,
            MESSAGE = format('stream %s is at version %s, not the expected %s', p_stream_id, v_version, p_expected_version);
        END IF;
        IF p_head_hash IS DISTINCT FROM v_head THEN
          RAISE EXCEPTION USING ERRCODE = 'YC411', MESSAGE = format('the append does not build on the head of stream %s', p_stream_id);
        END IF;
        -- Only reached when the head was free after all (its row did not exist, or a retry of
        -- this statement meets it unmoved): move it now, under the lock.
        INSERT INTO streams (stream_id, stream_type, version, head_hash, updated_at)
        VALUES (p_stream_id, p_stream_type, p_expected_version + v_count, v_prev, p_recorded_at)
        ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_hash = EXCLUDED.head_hash, updated_at = EXCLUDED.updated_at;
      END IF;

      RETURN QUERY
        WITH inserted AS (
          INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash, hash_version)
          SELECT p_stream_id, p_expected_version + x.ord::integer, p_event_ids[x.ord], x.event_type, x.schema_version,
                 x.payload, x.metadata, p_recorded_at, v_prevs[x.ord], v_hashes[x.ord], 2
          FROM ROWS FROM (jsonb_to_recordset(p_events) AS (event_type text, schema_version smallint, payload jsonb, metadata jsonb))
            WITH ORDINALITY AS x(event_type, schema_version, payload, metadata, ord)
          ORDER BY x.ord
          RETURNING events.event_id, events.stream_version, events.global_position, events.hash::text AS hash
        )
        SELECT i.event_id, i.stream_version, i.global_position, false, i.hash FROM inserted i ORDER BY i.stream_version;
      IF jsonb_array_length(p_read_model_writes) > 0 THEN
        PERFORM apply_read_model_writes(p_read_model_writes);
      END IF;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // A version-2 event cannot be checked without its version: going back would leave it failing.
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE hash_version <> 1`.execute(db);
  if (rows[0]!.n > 0) throw new Error(`${rows[0]!.n} events carry hash version 2; the store cannot go back to version 1 hashes`);
  await sql`DROP FUNCTION append_events(text, text, integer, text, timestamptz, uuid[], jsonb, jsonb, boolean)`.execute(db);
  await sql`ALTER TABLE events DROP COLUMN hash_version`.execute(db);
}
