import { sql, type Kysely } from 'kysely';

/**
 * The case row's write is written out again (issue 17).
 *
 * `apply_read_model_writes` writes a `cases` row with a statement written out in the function,
 * but only for a row of exactly the columns it lists: any other shape goes the general way, which
 * looks its statement up in `pg_prepared_statements` and passes the rows to it as a quoted
 * literal, so PostgreSQL turns the rows' jsonb into text, quotes it and parses it back. The list
 * was written before the case row gained `details`, `source_case_id`, `department` and
 * `departments` (2026-12-02T02-00, 2026-12-02T03-00), so since then every case row, on every
 * append, went the general way: about 14 KB of a 雏鹰 loan's state and schedule printed and parsed
 * again for each repayment.
 *
 * The written-out statements are made here from the column lists, so a list and its statement
 * cannot disagree. Every other write goes on, one by one, to the function as it was
 * (`apply_other_read_model_writes`).
 */
const CASE_COLUMNS = [
  'case_id', 'reference_no', 'case_type', 'applicant_account_id', 'applicant_name', 'status', 'status_label', 'waiting_for_role',
  'waiting_for_department', 'requested_fen', 'approved_fen', 'outstanding_fen', 'next_deadline_at', 'version', 'opened_at', 'updated_at',
  'state', 'programme_id', 'priority', 'decided_on', 'details', 'source_case_id', 'department', 'departments',
];
const INSTALMENT_COLUMNS = ['case_id', 'number', 'due_on', 'amount_fen', 'paid_fen', 'status', 'provisional'];

/** The upsert of `table`'s rows when a write has exactly `columns`: a branch of the function's loop. */
function writtenOut(table: string, key: string[], columns: string[]): string {
  const list = columns.join(', ');
  const array = `ARRAY[${columns.map((c) => `'${c}'`).join(', ')}]`;
  const sets = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  return `
        IF w->>'op' = 'upsert' AND v_table = '${table}' AND v_key = ARRAY[${key.map((c) => `'${c}'`).join(', ')}] AND v_cols @> ${array} AND ${array} @> v_cols THEN
          INSERT INTO ${table} AS t (${list})
          SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, w->'rows')
          ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${sets};
          CONTINUE;
        END IF;`;
}

export async function up(db: Kysely<any>): Promise<void> {
  // The function as it was keeps every other write (budget movements, the general way), under a name
  // of its own: its body is not restated here.
  await sql`ALTER FUNCTION apply_read_model_writes(jsonb) RENAME TO apply_other_read_model_writes`.execute(db);
  await sql`
    CREATE FUNCTION apply_read_model_writes(p_writes jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY INVOKER SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      w jsonb;
      v_table text;
      v_key text[];
      v_cols text[];
    BEGIN
      FOR w IN SELECT value FROM jsonb_array_elements(p_writes) LOOP
        IF jsonb_array_length(w->'rows') = 0 THEN CONTINUE; END IF;
        v_table := w->>'table';
        v_key := ARRAY(SELECT jsonb_array_elements_text(w->'key'));
        v_cols := ARRAY(SELECT jsonb_object_keys(w->'rows'->0));
        -- The writes of every append of a case, written out: no statement to look up, no rows
        -- passed as text. Only a row with exactly these columns takes them; any other write (a
        -- budget movement, another table, a column added later) goes on to the function before this one.
        ${sql.raw(writtenOut('cases', ['case_id'], CASE_COLUMNS))}
        ${sql.raw(writtenOut('loan_instalments', ['case_id', 'number'], INSTALMENT_COLUMNS))}
        PERFORM apply_other_read_model_writes(jsonb_build_array(w));
      END LOOP;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION apply_read_model_writes(jsonb)`.execute(db);
  await sql`ALTER FUNCTION apply_other_read_model_writes(jsonb) RENAME TO apply_read_model_writes`.execute(db);
}
