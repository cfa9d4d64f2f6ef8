import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code. The constants below are those of
// db/event-store.ts when it was written (the append fence's advisory lock key, the genesis hash).
const APPEND_FENCE_LOCK = 0x5943_4150;
const GENESIS_HASH = '0'.repeat(64);

/**
 * An append in one round trip: `append_events` does, in one statement, what the append transaction
 * did in eight — takes the shared side of the append fence, creates and locks the stream's head row,
 * answers an idempotent retry with the original positions (writing nothing), refuses a stale
 * version or a stale head hash, inserts the events, moves the head, and applies the read-model
 * writes of the projection. The hashes are computed by the caller (db/hash-chain.ts, unchanged);
 * the function checks that the first one links to the stream's head.
 *
 * Both functions are SECURITY INVOKER: they run with the caller's rights, and need no more than an
 * append does (INSERT on events; INSERT and UPDATE on streams and the read-model tables). Table
 * names in `apply_read_model_writes` resolve through the caller's search_path, so the auditor's
 * rebuild (a scratch schema first on the path) writes its copies, as the projections always did.
 *
 * With p_nowait (an append sent on its own, not in a transaction) it never waits for a lock: it
 * fails with lock_not_available (55P03) instead, writing nothing, and the caller retries in a
 * transaction.
 *
 * Refusals are raised with SQLSTATEs of their own, which db/event-store.ts maps to its errors:
 *   YC409 the stream is at another version (DETAIL: that version);
 *   YC410 an event id already stored with other content (DETAIL: the id; MESSAGE: why);
 *   YC411 the first event does not link to the stream's head (the caller's head was stale);
 *   YC412 the stream holds events of another type.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Each shape of write (op, table, key, columns) is prepared once per session under a name of its
  // own and executed with the rows as its one parameter: parsing and planning a dynamic statement
  // on every append cost several times what the write itself does. A prepared statement is
  // re-parsed when the search_path changes, so the rebuild's scratch schema still gets its writes.
  await sql`
    CREATE FUNCTION apply_read_model_writes(p_writes jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY INVOKER SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      w jsonb;
      v_table text;
      v_key text[];
      v_cols text[];
      v_list text;
      v_sets text;
      v_match text;
      v_name text;
      v_statement text;
    BEGIN
      FOR w IN SELECT value FROM jsonb_array_elements(p_writes) LOOP
        IF jsonb_array_length(w->'rows') = 0 THEN CONTINUE; END IF;
        v_table := w->>'table';
        v_key := ARRAY(SELECT jsonb_array_elements_text(w->'key'));
        v_cols := ARRAY(SELECT jsonb_object_keys(w->'rows'->0));
        -- The writes of every append of a loan, written out: no statement to prepare or look up.
        -- Only a row with exactly these columns takes them; any other shape (a column added
        -- later, say) goes the general way below.
        IF w->>'op' = 'upsert' AND v_table = 'cases' AND v_key = ARRAY['case_id'] AND v_cols @> ARRAY['case_id', 'reference_no', 'case_type', 'applicant_account_id', 'applicant_name', 'status', 'status_label', 'waiting_for_role', 'waiting_for_department', 'requested_fen', 'approved_fen', 'outstanding_fen', 'next_deadline_at', 'version', 'opened_at', 'updated_at', 'state', 'programme_id', 'priority', 'decided_on'] AND ARRAY['case_id', 'reference_no', 'case_type', 'applicant_account_id', 'applicant_name', 'status', 'status_label', 'waiting_for_role', 'waiting_for_department', 'requested_fen', 'approved_fen', 'outstanding_fen', 'next_deadline_at', 'version', 'opened_at', 'updated_at', 'state', 'programme_id', 'priority', 'decided_on'] @> v_cols THEN
          INSERT INTO cases AS t (case_id, reference_no, case_type, applicant_account_id, applicant_name, status, status_label, waiting_for_role, waiting_for_department, requested_fen, approved_fen, outstanding_fen, next_deadline_at, version, opened_at, updated_at, state, programme_id, priority, decided_on)
          SELECT case_id, reference_no, case_type, applicant_account_id, applicant_name, status, status_label, waiting_for_role, waiting_for_department, requested_fen, approved_fen, outstanding_fen, next_deadline_at, version, opened_at, updated_at, state, programme_id, priority, decided_on FROM jsonb_populate_recordset(NULL::cases, w->'rows')
          ON CONFLICT (case_id) DO UPDATE SET reference_no = EXCLUDED.reference_no, case_type = EXCLUDED.case_type, applicant_account_id = EXCLUDED.applicant_account_id, applicant_name = EXCLUDED.applicant_name, status = EXCLUDED.status, status_label = EXCLUDED.status_label, waiting_for_role = EXCLUDED.waiting_for_role, waiting_for_department = EXCLUDED.waiting_for_department, requested_fen = EXCLUDED.requested_fen, approved_fen = EXCLUDED.approved_fen, outstanding_fen = EXCLUDED.outstanding_fen, next_deadline_at = EXCLUDED.next_deadline_at, version = EXCLUDED.version, opened_at = EXCLUDED.opened_at, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state, programme_id = EXCLUDED.programme_id, priority = EXCLUDED.priority, decided_on = EXCLUDED.decided_on;
          CONTINUE;
        END IF;
        IF w->>'op' = 'upsert' AND v_table = 'loan_instalments' AND v_key = ARRAY['case_id', 'number'] AND v_cols @> ARRAY['case_id', 'number', 'due_on', 'amount_fen', 'paid_fen', 'status', 'provisional'] AND ARRAY['case_id', 'number', 'due_on', 'amount_fen', 'paid_fen', 'status', 'provisional'] @> v_cols THEN
          INSERT INTO loan_instalments AS t (case_id, number, due_on, amount_fen, paid_fen, status, provisional)
          SELECT case_id, number, due_on, amount_fen, paid_fen, status, provisional FROM jsonb_populate_recordset(NULL::loan_instalments, w->'rows')
          ON CONFLICT (case_id, number) DO UPDATE SET due_on = EXCLUDED.due_on, amount_fen = EXCLUDED.amount_fen, paid_fen = EXCLUDED.paid_fen, status = EXCLUDED.status, provisional = EXCLUDED.provisional;
          CONTINUE;
        END IF;
        v_name := 'youchuang_rmw_' || md5(concat_ws('|', w->>'op', v_table, array_to_string(v_key, ','), array_to_string(v_cols, ',')));
        IF NOT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = v_name) THEN
          v_list := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_cols) c);
          v_sets := (SELECT string_agg(format('%I = r.%I', c, c), ', ') FROM unnest(v_cols) c WHERE c <> ALL (v_key));
          v_match := (SELECT string_agg(format('t.%I = r.%I', c, c), ' AND ') FROM unnest(v_key) c);
          CASE w->>'op'
            WHEN 'upsert' THEN
              v_statement := format(
                'INSERT INTO %I AS t (%s) SELECT %s FROM jsonb_populate_recordset(NULL::%I, $1) ON CONFLICT (%s) DO %s',
                v_table, v_list, v_list, v_table,
                (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_key) c),
                CASE WHEN v_sets IS NULL THEN 'NOTHING'
                     ELSE 'UPDATE SET ' || (SELECT string_agg(format('%I = EXCLUDED.%I', c, c), ', ') FROM unnest(v_cols) c WHERE c <> ALL (v_key)) END);
            WHEN 'update' THEN
              v_statement := format('UPDATE %I AS t SET %s FROM jsonb_populate_recordset(NULL::%I, $1) AS r WHERE %s', v_table, v_sets, v_table, v_match);
            WHEN 'delete' THEN
              v_statement := format('DELETE FROM %I AS t USING jsonb_populate_recordset(NULL::%I, $1) AS r WHERE %s', v_table, v_table, v_match);
            ELSE
              RAISE EXCEPTION 'unknown read-model write %', w->>'op';
          END CASE;
          EXECUTE format('PREPARE %I (jsonb) AS %s', v_name, v_statement);
        END IF;
        EXECUTE format('EXECUTE %I(%L::jsonb)', v_name, w->'rows');
      END LOOP;
    END $$`.execute(db);

  await sql`
    CREATE FUNCTION append_events(
      p_stream_id text,
      p_stream_type text,
      p_expected_version integer,
      p_recorded_at timestamptz,
      p_event_ids uuid[],
      p_events jsonb,
      p_read_model_writes jsonb DEFAULT '[]',
      p_nowait boolean DEFAULT false
    ) RETURNS TABLE (event_id uuid, stream_version integer, global_position bigint, already_appended boolean)
    LANGUAGE plpgsql SECURITY INVOKER AS $$
    #variable_conflict use_column
    DECLARE
      v_type text;
      v_version integer;
      v_head text;
      v_count integer := jsonb_array_length(p_events);
      v_ids uuid[];
      v_last text;
      v_moved boolean := false;
      r record;
    BEGIN
      PERFORM pg_advisory_xact_lock_shared(${sql.lit(APPEND_FENCE_LOCK)});
      -- Called on its own (autocommit), the statement commits even if its client is gone by the
      -- time a lock it waited for is granted. So it does not wait: any lock another transaction
      -- holds (the head row, a racing first append, an event id being inserted) fails it with
      -- lock_not_available, writing nothing, and the caller appends in a transaction of its own,
      -- which a lost client rolls back.
      IF p_nowait THEN
        PERFORM set_config('lock_timeout', '1ms', true);
      END IF;
      v_ids := p_event_ids;
      v_last := p_events->(v_count - 1)->>'hash';

      -- The common case in one write: the head moves from exactly the expected version and hash
      -- (a new stream's row is created already moved). The row lock this takes serialises appends
      -- to the stream; a concurrent append that moved it first leaves nothing to match.
      IF NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (v_ids)) THEN
        IF p_expected_version = 0 THEN
          INSERT INTO streams (stream_id, stream_type, version, head_hash, updated_at)
          SELECT p_stream_id, p_stream_type, v_count, v_last, p_recorded_at
          WHERE p_events->0->>'prev_hash' = ${sql.lit(GENESIS_HASH)}
          ON CONFLICT (stream_id) DO NOTHING;
        ELSE
          UPDATE streams SET version = p_expected_version + v_count, head_hash = v_last, updated_at = p_recorded_at
          WHERE stream_id = p_stream_id AND version = p_expected_version AND head_hash = p_events->0->>'prev_hash' AND stream_type = p_stream_type;
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
            SELECT e.event_id, e.stream_version, e.global_position, true
            FROM unnest(v_ids) WITH ORDINALITY AS i(id, ord) JOIN events e ON e.event_id = i.id
            ORDER BY i.ord;
          RETURN;
        END IF;

        IF v_version <> p_expected_version THEN
          RAISE EXCEPTION USING ERRCODE = 'YC409', DETAIL = v_version::text,
            MESSAGE = format('stream %s is at version %s, not the expected %s', p_stream_id, v_version, p_expected_version);
        END IF;
        IF (p_events->0->>'prev_hash') IS DISTINCT FROM v_head THEN
          RAISE EXCEPTION USING ERRCODE = 'YC411', MESSAGE = format('the first event of the append does not link to the head of stream %s', p_stream_id);
        END IF;
        -- Only reached when the head was free after all (its row did not exist, or a retry of
        -- this statement meets it unmoved): move it now, under the lock.
        INSERT INTO streams (stream_id, stream_type, version, head_hash, updated_at)
        VALUES (p_stream_id, p_stream_type, p_expected_version + v_count, v_last, p_recorded_at)
        ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_hash = EXCLUDED.head_hash, updated_at = EXCLUDED.updated_at;
      END IF;

      RETURN QUERY
        WITH inserted AS (
          INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash)
          SELECT p_stream_id, p_expected_version + x.ord::integer, p_event_ids[x.ord], x.event_type, x.schema_version,
                 x.payload, x.metadata, p_recorded_at, x.prev_hash, x.hash
          FROM ROWS FROM (jsonb_to_recordset(p_events) AS (event_type text, schema_version smallint, payload jsonb, metadata jsonb, prev_hash text, hash text))
            WITH ORDINALITY AS x(event_type, schema_version, payload, metadata, prev_hash, hash, ord)
          ORDER BY x.ord
          RETURNING events.event_id, events.stream_version, events.global_position
        )
        SELECT i.event_id, i.stream_version, i.global_position, false FROM inserted i ORDER BY i.stream_version;
      IF jsonb_array_length(p_read_model_writes) > 0 THEN
        PERFORM apply_read_model_writes(p_read_model_writes);
      END IF;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION append_events(text, text, integer, timestamptz, uuid[], jsonb, jsonb, boolean)`.execute(db);
  await sql`DROP FUNCTION apply_read_model_writes(jsonb)`.execute(db);
}
