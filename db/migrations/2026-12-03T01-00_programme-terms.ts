import { sql, type Kysely } from 'kysely';

/**
 * Programme terms as published data (issue 14 part 4). `programme_terms_versions` and
 * `stacking_matrix_changes` are the read models of the 'programme-terms' and 'stacking-matrix'
 * streams: every draft, approval and rejection with who and why. `case_opening_terms` is the
 * snapshot a case opened under (the ApplicationTerms also in its first event), written before its
 * workflow starts, so the look-ups of its workflow apply the terms it opened under.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('programme_terms_versions')
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('terms', 'jsonb', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'approved', 'rejected')`))
    .addColumn('drafted', 'jsonb', (c) => c.notNull())
    .addColumn('decided', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('programme_terms_versions_pk', ['programme_id', 'version'])
    .execute();
  await db.schema
    .createTable('stacking_matrix_changes')
    .addColumn('change_id', 'text', (c) => c.primaryKey())
    .addColumn('between_sides', 'jsonb', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('stack', 'do-not-stack', 'unspecified')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'approved', 'rejected')`))
    .addColumn('proposed', 'jsonb', (c) => c.notNull())
    .addColumn('decided', 'jsonb')
    .addColumn('matrix_version', 'integer')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('case_opening_terms')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('catalogue_version', 'text', (c) => c.notNull())
    .addColumn('terms', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_opening_terms').execute();
  await db.schema.dropTable('stacking_matrix_changes').execute();
  await db.schema.dropTable('programme_terms_versions').execute();
}
