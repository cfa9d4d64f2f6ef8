import { sql, type Kysely } from 'kysely';

/**
 * Budget movements travel with the append (issue 17), and repayments stop queueing on one row.
 *
 * Before: an event that moved money (an approval's commit, a disbursement, every 雏鹰 repayment)
 * made its append a transaction of its own, and each movement updated the call's row in `calls`.
 * The 雏鹰 fund is one row, so every repayment of every loan waited for that row's lock, held
 * until the previous repayment's commit: appends of repayments ran one at a time.
 *
 * Now:
 *   - `apply_budget_movements` applies the ledger's rules (commit, release, pay, recover) in the
 *     database, so `append_events` applies them in its one statement (`apply_read_model_writes`
 *     gains the write `op: 'budget'`), and the transaction path and the auditor's rebuild call the
 *     same function: one implementation of the rules.
 *   - What is paid and recovered is kept on each case's commitment only (`budget_commitments`, one
 *     row per case: no two cases' movements touch the same row). A call's paid and recovered
 *     amounts are the sums of its commitments' (`calls.paid_fen`/`recovered_fen` are dropped).
 *   - In a revolving pool what comes back is recorded as `refilled_fen` on the commitment, and
 *     `calls.committed_fen` keeps what approvals committed less what was released: what a pool has
 *     committed is that less its commitments' refills. Only an approval (commit) and a release take
 *     the call's row lock; an approval's check reads the refills as committed when it starts, which
 *     can only understate what is available (refills only grow), never overdraw.
 *
 * Refusals are raised with SQLSTATEs of their own and a JSON DETAIL, which db/budget-ledger.ts
 * turns into the ledger's refusals (their Chinese messages are made there, from the domain):
 *   YC420 an amount that is not a positive integer number of fen (DETAIL: {amountFen});
 *   YC421 the case is already committed elsewhere or for another amount (DETAIL: {callId, committedFen, amountFen});
 *   YC422 the budget is short or not approved (DETAIL: the ledger, {amountFen});
 *   YC423 no such call (DETAIL: {callId});
 *   YC424 the case has no commitment in the call (DETAIL: {caseId, callId});
 *   YC425 a release above what is committed (DETAIL: {committedFen, amountFen}).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE budget_commitments ADD COLUMN refilled_fen bigint NOT NULL DEFAULT 0 CHECK (refilled_fen >= 0)`.execute(db);
  // A pool's commitment shrank by each refill: where it is still above zero every recovery was
  // refilled whole; where it reached zero, the refills were what the approval committed less what
  // was released (the approval's amount read from its event).
  await sql`
    WITH approved AS (
      SELECT coalesce(m->>'caseId', e.stream_id) AS case_id, m->>'callId' AS call_id, max((m->>'amountFen')::bigint) AS amount_fen
      FROM events e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'budgetMovements') m
      WHERE jsonb_typeof(e.payload->'budgetMovements') = 'array' AND m->>'kind' = 'commit'
      GROUP BY 1, 2
    )
    UPDATE budget_commitments b
    SET refilled_fen = CASE WHEN b.committed_fen > 0 THEN b.recovered_fen
                            ELSE LEAST(b.recovered_fen, GREATEST(0, coalesce((SELECT a.amount_fen FROM approved a WHERE a.case_id = b.case_id::text AND a.call_id = b.call_id), 0) - b.released_fen)) END
    FROM calls c
    WHERE c.call_id = b.call_id AND c.revolving
      AND b.recovered_fen > 0`.execute(db);
  await sql`
    UPDATE calls c SET committed_fen = c.committed_fen + r.refilled
    FROM (SELECT call_id, sum(refilled_fen) AS refilled FROM budget_commitments GROUP BY call_id) r
    WHERE r.call_id = c.call_id AND c.revolving AND r.refilled > 0`.execute(db);
  // A pool's gross commitments outgrow its capital as loans are repaid and lent again: the bound
  // (what is committed less what came back, within the budget) is the approval's own check below.
  await sql`ALTER TABLE calls DROP CONSTRAINT calls_committed_within_budget, DROP COLUMN paid_fen, DROP COLUMN recovered_fen`.execute(db);

  await sql`
    CREATE FUNCTION apply_budget_movements(p_movements jsonb) RETURNS integer
    LANGUAGE plpgsql SECURITY INVOKER AS $$
    DECLARE
      m jsonb;
      v_case uuid;
      v_call text;
      v_kind text;
      v_amount bigint;
      v_changed integer := 0;
      v_commitment record;
      v_ledger record;
      v_revolving boolean;
      v_refill bigint;
    BEGIN
      FOR m IN SELECT value FROM jsonb_array_elements(p_movements) LOOP
        v_case := m->>'case_id';
        v_call := m->>'call_id';
        v_kind := m->>'kind';
        IF jsonb_typeof(m->'amount_fen') <> 'number' OR (m->>'amount_fen')::numeric <> trunc((m->>'amount_fen')::numeric) OR (m->>'amount_fen')::numeric <= 0 THEN
          RAISE EXCEPTION USING ERRCODE = 'YC420', MESSAGE = 'the amount is not a positive number of fen', DETAIL = jsonb_build_object('amountFen', m->'amount_fen')::text;
        END IF;
        v_amount := (m->>'amount_fen')::bigint;

        IF v_kind = 'commit' THEN
          -- The 雏鹰 pool's row is created by its first approval, with the terms the caller sends.
          IF m ? 'pool' THEN
            INSERT INTO calls (call_id, programme_id, department, title, mode, status, revolving, budget_fen, budget_approved)
            SELECT v_call, p.programme_id, p.department, p.title, p.mode, p.status, true, p.budget_fen, true
            FROM jsonb_to_record(m->'pool') AS p(programme_id text, department text, title text, mode text, status text, budget_fen bigint)
            ON CONFLICT (call_id) DO NOTHING;
          END IF;
          SELECT b.call_id, b.committed_fen INTO v_commitment FROM budget_commitments b WHERE b.case_id = v_case FOR UPDATE;
          IF FOUND AND v_commitment.committed_fen > 0 THEN
            -- The same commitment again (a retried or repeated approval) is a no-op; another is refused.
            IF v_commitment.call_id = v_call AND v_commitment.committed_fen = v_amount THEN CONTINUE; END IF;
            RAISE EXCEPTION USING ERRCODE = 'YC421', MESSAGE = 'the case is already committed',
              DETAIL = jsonb_build_object('callId', v_commitment.call_id, 'committedFen', v_commitment.committed_fen, 'amountFen', v_amount)::text;
          END IF;
          UPDATE calls c SET committed_fen = c.committed_fen + v_amount
          WHERE c.call_id = v_call AND c.budget_approved
            AND c.budget_fen - c.committed_fen + (SELECT coalesce(sum(b.refilled_fen), 0) FROM budget_commitments b WHERE b.call_id = v_call) >= v_amount;
          IF NOT FOUND THEN
            SELECT c.call_id, c.budget_fen, c.budget_approved,
                   c.committed_fen - (SELECT coalesce(sum(b.refilled_fen), 0) FROM budget_commitments b WHERE b.call_id = c.call_id) AS committed_fen
            INTO v_ledger FROM calls c WHERE c.call_id = v_call;
            IF NOT FOUND THEN
              RAISE EXCEPTION USING ERRCODE = 'YC423', MESSAGE = 'no such call', DETAIL = jsonb_build_object('callId', v_call)::text;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'YC422', MESSAGE = 'the budget does not cover the amount',
              DETAIL = jsonb_build_object('callId', v_ledger.call_id, 'budgetFen', v_ledger.budget_fen, 'committedFen', v_ledger.committed_fen, 'budgetApproved', v_ledger.budget_approved, 'amountFen', v_amount)::text;
          END IF;
          INSERT INTO budget_commitments (case_id, call_id, committed_fen) VALUES (v_case, v_call, v_amount)
          ON CONFLICT (case_id) DO UPDATE SET call_id = EXCLUDED.call_id, committed_fen = EXCLUDED.committed_fen;
          v_changed := v_changed + 1;
          CONTINUE;
        END IF;

        SELECT b.committed_fen INTO v_commitment FROM budget_commitments b WHERE b.case_id = v_case AND b.call_id = v_call FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'YC424', MESSAGE = 'the case has no commitment in the call', DETAIL = jsonb_build_object('caseId', v_case, 'callId', v_call)::text;
        END IF;
        CASE v_kind
          WHEN 'release' THEN
            IF v_amount > v_commitment.committed_fen THEN
              RAISE EXCEPTION USING ERRCODE = 'YC425', MESSAGE = 'the release is above the commitment',
                DETAIL = jsonb_build_object('committedFen', v_commitment.committed_fen, 'amountFen', v_amount)::text;
            END IF;
            UPDATE budget_commitments SET committed_fen = committed_fen - v_amount, released_fen = released_fen + v_amount WHERE case_id = v_case;
            UPDATE calls SET committed_fen = committed_fen - v_amount WHERE call_id = v_call;
          WHEN 'pay' THEN
            UPDATE budget_commitments SET paid_fen = paid_fen + v_amount WHERE case_id = v_case;
          WHEN 'recover' THEN
            SELECT c.revolving INTO v_revolving FROM calls c WHERE c.call_id = v_call;
            -- In a revolving pool what comes back can be lent again: the commitment shrinks by it.
            v_refill := CASE WHEN v_revolving THEN LEAST(v_amount, v_commitment.committed_fen) ELSE 0 END;
            UPDATE budget_commitments
            SET recovered_fen = recovered_fen + v_amount, committed_fen = committed_fen - v_refill, refilled_fen = refilled_fen + v_refill
            WHERE case_id = v_case;
          ELSE
            RAISE EXCEPTION 'unknown budget movement %', v_kind;
        END CASE;
        v_changed := v_changed + 1;
      END LOOP;
      RETURN v_changed;
    END $$`.execute(db);

  await sql`
    CREATE OR REPLACE FUNCTION apply_read_model_writes(p_writes jsonb) RETURNS void
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
        -- Money moved against a budget (db/budget-ledger.ts): the ledger's rules, in the same statement.
        IF w->>'op' = 'budget' THEN
          PERFORM apply_budget_movements(w->'rows');
          CONTINUE;
        END IF;
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
}

export async function down(db: Kysely<any>): Promise<void> {
  // The read-model writes as before (no 'budget' write), then the ledger's columns as they were.
  await sql`
    CREATE OR REPLACE FUNCTION apply_read_model_writes(p_writes jsonb) RETURNS void
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
  await sql`DROP FUNCTION apply_budget_movements(jsonb)`.execute(db);
  await sql`ALTER TABLE calls ADD COLUMN paid_fen bigint NOT NULL DEFAULT 0, ADD COLUMN recovered_fen bigint NOT NULL DEFAULT 0`.execute(db);
  await sql`
    UPDATE calls c SET paid_fen = s.paid, recovered_fen = s.recovered, committed_fen = c.committed_fen - s.refilled
    FROM (SELECT call_id, sum(paid_fen) AS paid, sum(recovered_fen) AS recovered, sum(refilled_fen) AS refilled FROM budget_commitments GROUP BY call_id) s
    WHERE s.call_id = c.call_id`.execute(db);
  await sql`ALTER TABLE budget_commitments DROP COLUMN refilled_fen`.execute(db);
  await sql`ALTER TABLE calls ADD CONSTRAINT calls_committed_within_budget CHECK (committed_fen <= budget_fen)`.execute(db);
}
