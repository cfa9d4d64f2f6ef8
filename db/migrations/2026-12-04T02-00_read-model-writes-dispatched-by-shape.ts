import { sql, type Kysely } from 'kysely';

/**
 * `apply_read_model_writes` tells a write's shape without a query (issue 17).
 *
 * A 雏鹰 repayment's append carries four writes: the case row, the instalment it settles, the
 * money it brings back to the pool and the applicant's notice. For each, the function before this
 * one built two arrays with a query each (the write's key, the first row's columns) and compared
 * them with the written-out column lists; the budget movement and the notice then went on to the
 * general function, which built the same arrays again, and the notice's upsert was looked up in
 * `pg_prepared_statements` and sent its rows there as a quoted literal, printed and parsed again.
 * A profile of the single-event append benchmark put about a sixth of PostgreSQL's time there.
 *
 * Now a write is matched by its table and, for the written-out upserts, by two operators on the
 * first row: it has every listed column (`?&`) and nothing else (removing them leaves `{}`). The
 * budget movement goes straight to `apply_budget_movements`; the notice's upsert is written out.
 * Any other write goes on to `apply_other_read_model_writes`, as before. What each write does is
 * unchanged: the same statements, on the same rows.
 */
const CASE_COLUMNS = [
  'case_id', 'reference_no', 'case_type', 'applicant_account_id', 'applicant_name', 'status', 'status_label', 'waiting_for_role',
  'waiting_for_department', 'requested_fen', 'approved_fen', 'outstanding_fen', 'next_deadline_at', 'version', 'opened_at', 'updated_at',
  'state', 'programme_id', 'priority', 'decided_on', 'details', 'source_case_id', 'department', 'departments',
];
const INSTALMENT_COLUMNS = ['case_id', 'number', 'due_on', 'amount_fen', 'paid_fen', 'status', 'provisional'];
const NOTICE_COLUMNS = ['notice_id', 'recipient_account_id', 'recipient_department', 'kind', 'title', 'body', 'case_id', 'reference_no', 'event_id', 'created_at'];

/** The upsert of `table`'s rows when a write has exactly `columns` and is keyed by `key`: a branch of the function's loop. */
function writtenOut(table: string, key: string[], columns: string[]): string {
  const list = columns.join(', ');
  const array = `ARRAY[${columns.map((c) => `'${c}'`).join(', ')}]`;
  const sets = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  return `
        IF v_table = '${table}' AND w->>'op' = 'upsert' AND w->'key' = '${JSON.stringify(key)}'::jsonb AND v_first ?& ${array} AND v_first - ${array} = '{}'::jsonb THEN
          INSERT INTO ${table} AS t (${list})
          SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, w->'rows')
          ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${sets};
          CONTINUE;
        END IF;`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION apply_read_model_writes(p_writes jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY INVOKER SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      w jsonb;
      v_table text;
      v_first jsonb;
    BEGIN
      FOR w IN SELECT value FROM jsonb_array_elements(p_writes) LOOP
        v_first := w->'rows'->0;
        IF v_first IS NULL THEN CONTINUE; END IF;
        -- Money moved against a budget (db/budget-ledger.ts): the ledger's rules, in the same statement.
        IF w->>'op' = 'budget' THEN
          PERFORM apply_budget_movements(w->'rows');
          CONTINUE;
        END IF;
        v_table := w->>'table';
        ${sql.raw(writtenOut('cases', ['case_id'], CASE_COLUMNS))}
        ${sql.raw(writtenOut('loan_instalments', ['case_id', 'number'], INSTALMENT_COLUMNS))}
        ${sql.raw(writtenOut('notices', ['notice_id'], NOTICE_COLUMNS))}
        PERFORM apply_other_read_model_writes(jsonb_build_array(w));
      END LOOP;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The function as 2026-12-03T04-00 made it.
  const { up: caseRowWrittenOut } = await import('./2026-12-03T04-00_case-row-written-out.js');
  await sql`DROP FUNCTION apply_read_model_writes(jsonb)`.execute(db);
  await sql`ALTER FUNCTION apply_other_read_model_writes(jsonb) RENAME TO apply_read_model_writes`.execute(db);
  await caseRowWrittenOut(db);
}
