import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Signed statements about the whole log: "up to global position P there were N events, their
  // running digest is D, and the streams' heads hash to the Merkle root R". The key that signs them
  // lives in configuration, never in the database, so someone who can rewrite rows cannot re-sign.
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('checkpoint_no', 'integer', (c) => c.primaryKey().check(sql`checkpoint_no >= 1`))
    .addColumn('global_position', 'bigint', (c) => c.notNull().check(sql`global_position >= 0`))
    .addColumn('event_count', 'bigint', (c) => c.notNull().check(sql`event_count >= 0`))
    .addColumn('log_digest', 'char(64)', (c) => c.notNull())
    .addColumn('stream_count', 'integer', (c) => c.notNull().check(sql`stream_count >= 0`))
    .addColumn('streams_root', 'char(64)', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();

  await sql`
    CREATE FUNCTION refuse_audit_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_record_change()`.execute(db);
  await sql`
    CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_record_change()`.execute(db);

  // Row triggers do not fire on TRUNCATE: without these, `TRUNCATE events` (or `TRUNCATE streams
  // CASCADE`) would empty the log in one statement while UPDATE and DELETE are refused.
  await sql`
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change()`.execute(db);
  await sql`
    CREATE TRIGGER streams_no_truncate BEFORE TRUNCATE ON streams
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_record_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER streams_no_truncate ON streams`.execute(db);
  await sql`DROP TRIGGER events_no_truncate ON events`.execute(db);
  await db.schema.dropTable('audit_checkpoints').execute();
  await sql`DROP FUNCTION refuse_audit_record_change()`.execute(db);
}
