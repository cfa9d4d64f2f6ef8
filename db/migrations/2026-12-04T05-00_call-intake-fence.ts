import { sql, type Kysely } from 'kysely';

/**
 * A competitive call's intake is fenced when its planned close counts its open applications.
 *
 * The count (activities/calls.activities.ts closeIntakeAndCount) and an application of the call
 * being written for the first time meet under one advisory lock per call: the count takes it
 * exclusively, records the fence (`call_intake_fences`) and counts; the application's first row
 * takes it shared and is refused (SQLSTATE YC431, DETAIL {callId, title, closedAt}) once the fence
 * is there. So an application submitted at the very moment of the close is either counted or told
 * that the call closed, never left waiting for a panel that a count of none ended. An append on its
 * own waits 1 ms for the lock and is then retried in a transaction, as for a stream's own lock.
 *
 * A table of its own and a trigger: the fence is not a read model (no event records it), so the
 * auditors' rebuild, which compares the read-model tables, does not see it; and their copies of
 * `cases` (LIKE … INCLUDING ALL) carry no trigger. The trigger's function is not named refuse_…,
 * which would take UPDATE on `cases` from the application role (db/privileges.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE call_intake_fences (call_id text PRIMARY KEY, closed_at timestamptz NOT NULL)`.execute(db);
  await sql`
    CREATE FUNCTION check_application_call_intake() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      v_call text;
      v_fence record;
    BEGIN
      IF NEW.case_type <> 'application' THEN
        RETURN NEW;
      END IF;
      v_call := NEW.details -> 'call' ->> 'callId';
      IF v_call IS NULL THEN
        RETURN NEW;
      END IF;
      -- An upsert fires this before it finds its row: only an application's first row is checked.
      IF EXISTS (SELECT 1 FROM cases c WHERE c.case_id = NEW.case_id) THEN
        RETURN NEW;
      END IF;
      PERFORM pg_advisory_xact_lock_shared(hashtext('youchuang call intake:' || v_call));
      SELECT f.closed_at, c.title INTO v_fence FROM call_intake_fences f LEFT JOIN calls c ON c.call_id = f.call_id WHERE f.call_id = v_call;
      IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'YC431', MESSAGE = 'the call closed its intake before this application was recorded',
          DETAIL = jsonb_build_object('callId', v_call, 'title', v_fence.title, 'closedAt', v_fence.closed_at)::text;
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER cases_call_intake BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION check_application_call_intake()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER cases_call_intake ON cases`.execute(db);
  await sql`DROP FUNCTION check_application_call_intake()`.execute(db);
  await sql`DROP TABLE call_intake_fences`.execute(db);
}
