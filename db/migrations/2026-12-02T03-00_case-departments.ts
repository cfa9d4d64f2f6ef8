import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Since issue 11 the departments whose officials see a case are a column its module's read model
// writes, so access checks and queues read the row, not the case type and its stored terms. Rows
// projected before are filled here by the rule they were read by until now.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('departments', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`)).execute();
  await sql`
    UPDATE cases SET departments = CASE
      WHEN case_type = 'chuying-loan' THEN ARRAY['yangpu-fund', 'cac']
      WHEN case_type IN ('drama-planning-filing', 'drama-release-filing') THEN ARRAY[coalesce(state->'terms'->>'reviewingDepartment', 'culture-tourism')]
      WHEN case_type = 'application' AND state->'terms'->>'department' IS NOT NULL THEN
        CASE WHEN state->'terms'->>'requiresContentReview' = 'true' AND state->'terms'->>'department' <> 'cac'
             THEN ARRAY[state->'terms'->>'department', 'cac'] ELSE ARRAY[state->'terms'->>'department'] END
      WHEN department IS NOT NULL THEN ARRAY[department]
      ELSE '{}'::text[]
    END`.execute(db);
  await sql`CREATE INDEX cases_departments_idx ON cases USING gin (departments)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX cases_departments_idx`.execute(db);
  await db.schema.alterTable('cases').dropColumn('departments').execute();
}
