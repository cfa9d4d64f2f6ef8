import { createHash, createHmac } from 'node:crypto';
import type { Db } from '../client.js';
import type { DocumentStore, StoredDocument } from './document-store.js';

/**
 * Documents in an object store that speaks the S3 API (AWS S3, MinIO, Ceph, moto in the tests), by
 * configuration: DOCUMENT_STORE=s3 with S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID and
 * S3_SECRET_ACCESS_KEY. The row, with the hash, stays in PostgreSQL like every store's; the bytes
 * are one object per document, never written twice. Requests are signed with AWS Signature V4 by
 * hand (path-style URLs), which keeps the SDK out of the dependencies for two calls.
 */
export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
// RFC 3986 unreserved characters stay; everything else is percent-encoded, as SigV4 wants.
const encode = (segment: string) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** One signed request to the store: `key` below the bucket ('' for the bucket itself). */
export async function s3Request(settings: S3Settings, method: 'GET' | 'PUT' | 'HEAD', key: string, body?: Uint8Array, extraHeaders: Record<string, string> = {}, now = new Date()): Promise<Response> {
  const url = new URL(settings.endpoint);
  const path = `/${[settings.bucket, ...(key ? key.split('/') : [])].map(encode).join('/')}`;
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = hex(body ?? new Uint8Array());
  const headers: Record<string, string> = { host: url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash, ...Object.fromEntries(Object.entries(extraHeaders).map(([k, v]) => [k.toLowerCase(), v])) };
  const names = Object.keys(headers).sort();
  const canonical = [method, path, '', ...names.map((n) => `${n}:${headers[n]!.trim()}`), '', names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${settings.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${settings.secretAccessKey}`, day), settings.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  const { host: _host, ...sent } = headers;
  return fetch(`${url.origin}${path}`, {
    method,
    headers: { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=${settings.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` },
    ...(body ? { body } : {}),
  });
}

const COLUMNS = ['document_id', 'sha256', 'size', 'media_type', 'name', 'uploaded_by', 'uploaded_at', 'storage', 'storage_key'] as const;

export function s3DocumentStore(db: Db, settings: S3Settings): DocumentStore {
  const describe = (documentId: string): Promise<StoredDocument | undefined> => db.selectFrom('documents').select(COLUMNS).where('document_id', '=', documentId).executeTakeFirst();
  return {
    kind: 's3',
    async put(document) {
      const sha256 = hex(document.bytes);
      const key = `documents/${sha256.slice(0, 2)}/${document.documentId}`;
      // Never over an object already there, whatever the store does with If-None-Match.
      const existing = await s3Request(settings, 'HEAD', key);
      if (existing.status !== 404) throw new Error(`the object store already holds ${key} (HTTP ${existing.status}): a document is never overwritten`);
      const stored = await s3Request(settings, 'PUT', key, document.bytes, { 'content-type': document.mediaType, 'if-none-match': '*' });
      if (!stored.ok) throw new Error(`the object store refused ${key}: HTTP ${stored.status} ${await stored.text()}`);
      const row: StoredDocument = {
        document_id: document.documentId,
        sha256,
        size: document.bytes.length,
        media_type: document.mediaType,
        name: document.name,
        uploaded_by: document.uploadedBy,
        uploaded_at: document.uploadedAt,
        storage: 's3',
        storage_key: key,
      };
      await db.insertInto('documents').values({ ...row, content: null }).execute();
      return row;
    },
    describe,
    async bytes(documentId) {
      const row = await describe(documentId);
      if (!row) return undefined;
      if (row.storage !== 's3' || !row.storage_key) throw new Error(`document ${documentId} is kept in the ${row.storage} store, not in the object store`);
      const response = await s3Request(settings, 'GET', row.storage_key);
      if (!response.ok) throw new Error(`the object store answered HTTP ${response.status} for ${row.storage_key}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const actual = hex(bytes);
      if (actual !== row.sha256) throw new Error(`document ${documentId}: its stored bytes hash to ${actual}, not to the recorded ${row.sha256}`);
      return bytes;
    },
  };
}

/** The object store's settings from the environment, or the names of those missing. */
export function s3SettingsFromEnvironment(env: NodeJS.ProcessEnv): S3Settings {
  const settings = { endpoint: env.S3_ENDPOINT, bucket: env.S3_BUCKET, region: env.S3_REGION ?? 'us-east-1', accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY };
  const missing = Object.entries({ S3_ENDPOINT: settings.endpoint, S3_BUCKET: settings.bucket, S3_ACCESS_KEY_ID: settings.accessKeyId, S3_SECRET_ACCESS_KEY: settings.secretAccessKey })
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length) throw new Error(`DOCUMENT_STORE=s3 needs ${missing.join(', ')}`);
  return settings as S3Settings;
}
