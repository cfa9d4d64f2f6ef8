import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
/**
 * Documents (issue 14): uploaded files, kept once and never changed or removed; the bytes in
 * `content` (the PostgreSQL store) or on disk under `storage_key` (the disk store) or in an object store (s3). A document
 * referenced by a case's action is noted in `document_references`, so its download can follow the
 * case's access rule; the event that references it carries its SHA-256.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('documents')
    .addColumn('document_id', 'uuid', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size > 0`))
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull().check(sql`storage IN ('pg', 'disk', 's3')`))
    .addColumn('storage_key', 'text')
    .addColumn('content', 'bytea')
    .addCheckConstraint('documents_content_where_stored', sql`(storage = 'pg') = (content IS NOT NULL)`)
    .execute();
  await db.schema.createIndex('documents_uploaded_by_idx').on('documents').columns(['uploaded_by', 'uploaded_at']).execute();
  await db.schema
    .createTable('document_references')
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.document_id'))
    .addColumn('case_id', 'uuid', (c) => c.notNull())
    .addColumn('referenced_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_references_pk', ['document_id', 'case_id'])
    .execute();
  await db.schema.createIndex('document_references_case_idx').on('document_references').column('case_id').execute();
  await sql`
    CREATE FUNCTION refuse_document_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: a document kept is never overwritten or removed (% refused)', TG_TABLE_NAME, TG_OP;
    END $$`.execute(db);
  for (const table of ['documents', 'document_references']) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION refuse_document_change()`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)} FOR EACH STATEMENT EXECUTE FUNCTION refuse_document_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('document_references').execute();
  await db.schema.dropTable('documents').execute();
  await sql`DROP FUNCTION refuse_document_change()`.execute(db);
}
