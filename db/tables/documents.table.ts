import type { ColumnType } from 'kysely';

/** One uploaded document; append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export interface DocumentsTable {
  document_id: string;
  sha256: string;
  size: number;
  media_type: string;
  /** The uploader's name for it, sanitised: for display only. */
  name: string;
  uploaded_by: string;
  uploaded_at: ColumnType<Date, Date, never>;
  storage: 'pg' | 'disk' | 's3';
  /** The file's path under the disk store's directory, or the object's key in the object store; null in the PostgreSQL store. */
  storage_key: string | null;
  /** The bytes, in the PostgreSQL store; null on disk. */
  content: Buffer | null;
}

/** A case whose action referenced the document (its event carries the hash); append-only. */
export interface DocumentReferencesTable {
  document_id: string;
  case_id: string;
  referenced_at: ColumnType<Date, Date, never>;
}
