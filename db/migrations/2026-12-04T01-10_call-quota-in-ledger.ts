import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * A call's quota (名额) holds in the ledger, as its budget does. An outside tester opened a
 * first-come call with quota 1 and had three applications approved and put on 公示: the quota was
 * used only by a competitive call's list. Now a commitment that says it counts against the quota
 * (`within_quota`, from `withinQuota` on the movement: every commitment an approval in a call decides
 * from now on) is refused while the call's commitments still standing (committed above zero; a
 * withdrawn award's was released to zero) fill its quota. SQLSTATE YC426, DETAIL {callId, quota, taken},
 * turned into the ledger's refusal by db/budget-ledger.ts.
 *
 * The check takes the call row's lock first, as the budget's conditional update does, so two
 * approvals at once count one after the other. Commitments recorded before carry no flag: the
 * auditor's rebuild of the ledger from the events replays them as they were accepted.
 */
const QUOTA_DECLARATIONS = `
      v_quota integer;
      v_taken integer;`;

const QUOTA_CHECK = `          IF (m->>'within_quota')::boolean IS TRUE THEN
            SELECT c.quota INTO v_quota FROM calls c WHERE c.call_id = v_call FOR UPDATE;
            IF v_quota IS NOT NULL THEN
              SELECT count(*) INTO v_taken FROM budget_commitments b WHERE b.call_id = v_call AND b.committed_fen > 0 AND b.case_id <> v_case;
              IF v_taken >= v_quota THEN
                RAISE EXCEPTION USING ERRCODE = 'YC426', MESSAGE = 'the call''s quota is taken',
                  DETAIL = jsonb_build_object('callId', v_call, 'quota', v_quota, 'taken', v_taken)::text;
              END IF;
            END IF;
          END IF;
`;

function applyBudgetMovements(quota: boolean): RawBuilder<unknown> {
  return sql`
    CREATE OR REPLACE FUNCTION apply_budget_movements(p_movements jsonb) RETURNS integer
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
      v_refill bigint;${quota ? sql.raw(QUOTA_DECLARATIONS) : sql``}
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
${quota ? sql.raw(QUOTA_CHECK) : sql``}          UPDATE calls c SET committed_fen = c.committed_fen + v_amount
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
    END $$`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await applyBudgetMovements(true).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await applyBudgetMovements(false).execute(db);
}
