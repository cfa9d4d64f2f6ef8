import { sql, type Kysely } from 'kysely';

/**
 * One call at a time for a programme. An outside tester opened two 申报批次 of one programme over the
 * same weeks: an application then went to whichever the look-up found first. A call row that takes
 * (or awaits) applications — draft or approved, not the 雏鹰 pool — whose period overlaps another such
 * call of its programme is now refused where it is written, in the appending transaction: SQLSTATE
 * YC430, DETAIL the other call {callId, title, opensAt, closesAt, programmeId}, which
 * db/projections/call-overlap.ts turns into the refusal.
 *
 * A trigger, not an exclusion constraint: the auditors' rebuild writes copies of `calls` made with
 * LIKE … INCLUDING ALL, which would copy a constraint (and refuse calls that overlapped before this
 * rule) but not a trigger. The check runs when a row is new or its programme or period changes, so
 * calls that overlapped before go on to their end; and under a lock per programme, so two openings
 * at once count one after the other (the second sees the first once it commits). Its function is
 * not named refuse_…: that prefix marks a table's trigger as refusing updates, and db/privileges.ts
 * would take UPDATE on `calls` from the application role.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION check_call_period_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      v_before record;
      v_other record;
    BEGIN
      IF NEW.revolving OR NEW.status NOT IN ('draft', 'approved') OR NEW.opens_at IS NULL OR NEW.closes_at IS NULL THEN
        RETURN NEW;
      END IF;
      -- An upsert fires this before it finds its row: a row whose programme and period stay as they were is not checked again.
      SELECT c.programme_id, c.opens_at, c.closes_at, c.status INTO v_before FROM calls c WHERE c.call_id = NEW.call_id;
      IF FOUND AND v_before.programme_id = NEW.programme_id AND v_before.opens_at = NEW.opens_at AND v_before.closes_at = NEW.closes_at
         AND v_before.status IN ('draft', 'approved') THEN
        RETURN NEW;
      END IF;
      PERFORM pg_advisory_xact_lock(hashtext('youchuang call period:' || NEW.programme_id));
      SELECT c.call_id, c.title, c.opens_at, c.closes_at INTO v_other
      FROM calls c
      WHERE c.programme_id = NEW.programme_id AND c.call_id <> NEW.call_id AND NOT c.revolving
        AND c.status IN ('draft', 'approved')
        AND c.opens_at < NEW.closes_at AND NEW.opens_at < c.closes_at
      ORDER BY c.opens_at
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'YC430', MESSAGE = 'another call of the programme takes applications in this period',
          DETAIL = jsonb_build_object('callId', v_other.call_id, 'title', v_other.title, 'opensAt', v_other.opens_at, 'closesAt', v_other.closes_at, 'programmeId', NEW.programme_id)::text;
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER calls_one_at_a_time BEFORE INSERT OR UPDATE ON calls FOR EACH ROW EXECUTE FUNCTION check_call_period_overlap()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER calls_one_at_a_time ON calls`.execute(db);
  await sql`DROP FUNCTION check_call_period_overlap()`.execute(db);
}
