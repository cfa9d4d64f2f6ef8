import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.

/**
 * Calls (申报批次) and their budget ledger (issue 13). `calls` holds one row per call — written by
 * the call projection from the call's events — and the ledger columns the cases decided under it
 * move (committed, paid, recovered). The 雏鹰 fund's revolving pool is a row too (call_id
 * 'chuying-fund', no dates), created by the ledger on its first movement rather than seeded here:
 * every row of a read model must be reproducible from the events alone, which the auditor's
 * rebuild checks (audit/read-model-drift.ts), and a seeded row would be one no event wrote.
 * `budget_commitments` holds one commitment per case, so a retried append cannot commit twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calls')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('department', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode IN ('competitive', 'first-come')`))
    .addColumn('opens_at', 'timestamptz')
    .addColumn('closes_at', 'timestamptz')
    .addColumn('quota', 'integer', (c) => c.check(sql`quota > 0`))
    .addColumn('publicity_working_days', 'integer')
    .addColumn('catalogue_version', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('revolving', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('budget_fen', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`budget_fen >= 0`))
    .addColumn('budget_approved', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('committed_fen', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`committed_fen >= 0`))
    .addColumn('paid_fen', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`paid_fen >= 0`))
    .addColumn('recovered_fen', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`recovered_fen >= 0`))
    .addCheckConstraint('calls_committed_within_budget', sql`committed_fen <= budget_fen`)
    .addCheckConstraint('calls_dates_in_order', sql`opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at`)
    .execute();
  await db.schema.createIndex('calls_programme_idx').on('calls').columns(['programme_id', 'opens_at']).execute();

  await db.schema
    .createTable('budget_commitments')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('committed_fen', 'bigint', (c) => c.notNull().check(sql`committed_fen >= 0`))
    .addColumn('paid_fen', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`paid_fen >= 0`))
    .addColumn('recovered_fen', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`recovered_fen >= 0`))
    .addColumn('released_fen', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`released_fen >= 0`))
    .execute();
  await db.schema.createIndex('budget_commitments_call_idx').on('budget_commitments').column('call_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('budget_commitments').execute();
  await db.schema.dropTable('calls').execute();
}
