import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { Db } from '../client.js';
import type { DocumentsTable } from '../tables/documents.table.js';
import { s3DocumentStore, s3SettingsFromEnvironment } from './s3-document-store.js';

export type StoredDocument = Omit<Selectable<DocumentsTable>, 'content'>;

export interface NewDocument {
  documentId: string;
  bytes: Uint8Array;
  mediaType: string;
  name: string;
  uploadedBy: string;
  uploadedAt: Date;
}

/**
 * Where documents' bytes live. Every implementation writes a document once and never again: the
 * row (the same `documents` table for all) is append-only, and a file on disk is created with
 * the exclusive flag, so nothing is ever overwritten.
 */
export interface DocumentStore {
  readonly kind: 'pg' | 'disk' | 's3';
  put(document: NewDocument): Promise<StoredDocument>;
  /** The document's row, without its bytes; undefined when there is none. */
  describe(documentId: string): Promise<StoredDocument | undefined>;
  /** Its bytes, checked against the recorded SHA-256: a store that changed them answers an error, never other bytes. */
  bytes(documentId: string): Promise<Buffer | undefined>;
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const COLUMNS = ['document_id', 'sha256', 'size', 'media_type', 'name', 'uploaded_by', 'uploaded_at', 'storage', 'storage_key'] as const;

function verified(row: StoredDocument, bytes: Buffer): Buffer {
  const actual = sha256Hex(bytes);
  if (actual !== row.sha256) throw new Error(`document ${row.document_id}: its stored bytes hash to ${actual}, not to the recorded ${row.sha256}`);
  return bytes;
}

async function describe(db: Db, documentId: string): Promise<StoredDocument | undefined> {
  return db.selectFrom('documents').select(COLUMNS).where('document_id', '=', documentId).executeTakeFirst();
}

function rowOf(document: NewDocument, storage: 'pg' | 'disk', storageKey: string | null): StoredDocument {
  return {
    document_id: document.documentId,
    sha256: sha256Hex(document.bytes),
    size: document.bytes.length,
    media_type: document.mediaType,
    name: document.name,
    uploaded_by: document.uploadedBy,
    uploaded_at: document.uploadedAt,
    storage,
    storage_key: storageKey,
  };
}

/** The bytes in the `documents` row itself (bytea): the default, backed up with the event store. */
export function postgresDocumentStore(db: Db): DocumentStore {
  return {
    kind: 'pg',
    async put(document) {
      const row = rowOf(document, 'pg', null);
      await db.insertInto('documents').values({ ...row, content: Buffer.from(document.bytes) }).execute();
      return row;
    },
    describe: (documentId) => describe(db, documentId),
    async bytes(documentId) {
      const row = await db.selectFrom('documents').select([...COLUMNS, 'content']).where('document_id', '=', documentId).executeTakeFirst();
      if (!row) return undefined;
      if (row.storage !== 'pg') return diskBytes(row, defaultDocumentDirectory());
      return verified(row, row.content!);
    },
  };
}

async function diskBytes(row: StoredDocument, directory: string): Promise<Buffer> {
  if (row.storage !== 'disk' || !row.storage_key) throw new Error(`document ${row.document_id} is kept in the ${row.storage} store`);
  return verified(row, await readFile(path.join(directory, row.storage_key)));
}

export const defaultDocumentDirectory = () => path.resolve(process.env.DOCUMENT_DIR ?? path.join('.data', 'documents'));

/**
 * The bytes on disk under `directory` (`.data/documents/` by default), named by the document's id
 * in a folder per hash prefix; the row, with the hash, is in PostgreSQL all the same.
 */
export function diskDocumentStore(db: Db, directory = defaultDocumentDirectory()): DocumentStore {
  return {
    kind: 'disk',
    async put(document) {
      const row = rowOf(document, 'disk', path.posix.join(sha256Hex(document.bytes).slice(0, 2), document.documentId));
      const file = path.join(directory, row.storage_key!);
      await mkdir(path.dirname(file), { recursive: true });
      // 'wx': a file that exists already is never overwritten.
      await writeFile(file, document.bytes, { flag: 'wx', mode: 0o440 });
      await db.insertInto('documents').values({ ...row, content: null }).execute();
      return row;
    },
    describe: (documentId) => describe(db, documentId),
    async bytes(documentId) {
      const row = await describe(db, documentId);
      if (!row) return undefined;
      if (row.storage === 'pg') return postgresDocumentStore(db).bytes(documentId);
      return diskBytes(row, directory);
    },
  };
}

/** The store configuration chooses: DOCUMENT_STORE=disk (with DOCUMENT_DIR), s3 (with S3_…), or PostgreSQL (the default). */
export function documentStoreFromEnvironment(db: Db, env: NodeJS.ProcessEnv = process.env): DocumentStore {
  const kind = env.DOCUMENT_STORE ?? 'pg';
  if (kind === 'disk') return diskDocumentStore(db, path.resolve(env.DOCUMENT_DIR ?? path.join('.data', 'documents')));
  if (kind === 's3') return s3DocumentStore(db, s3SettingsFromEnvironment(env));
  if (kind === 'pg' || kind === 'postgres') return postgresDocumentStore(db);
  throw new Error(`DOCUMENT_STORE=${kind} is not a document store: use pg (the default), disk or s3`);
}
