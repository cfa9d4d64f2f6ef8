import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskDocumentStore, documentStoreFromEnvironment, sha256Hex } from '../../db/documents/document-store.js';
import { s3DocumentStore, s3Request, type S3Settings } from '../../db/documents/s3-document-store.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { SAMPLES } from '../support/document-samples.js';

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = await mkdtemp(path.join(tmpdir(), 'youchuang-documents-'));
}, 120_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  await database?.drop();
});

const newDocument = (bytes: Buffer) => ({ documentId: randomUUID(), bytes, mediaType: 'application/pdf', name: 'a.pdf', uploadedBy: 'acct-applicant', uploadedAt: new Date() });

describe('the disk document store (DOCUMENT_STORE=disk)', () => {
  it('keeps the bytes on disk and the row, with the hash, in PostgreSQL', async () => {
    const store = diskDocumentStore(database.db, directory);
    const stored = await store.put(newDocument(SAMPLES.pdf));
    expect(stored).toMatchObject({ storage: 'disk', sha256: sha256Hex(SAMPLES.pdf), size: SAMPLES.pdf.length });
    expect((await readFile(path.join(directory, stored.storage_key!))).equals(SAMPLES.pdf)).toBe(true);
    const row = await database.db.selectFrom('documents').select(['content', 'storage']).where('document_id', '=', stored.document_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ content: null, storage: 'disk' });
    expect((await store.bytes(stored.document_id))!.equals(SAMPLES.pdf)).toBe(true);
  });

  it('never answers bytes that differ from the recorded hash', async () => {
    const store = diskDocumentStore(database.db, directory);
    const stored = await store.put(newDocument(SAMPLES.pdf));
    const file = path.join(directory, stored.storage_key!);
    await rm(file);
    await writeFile(file, Buffer.concat([SAMPLES.pdf, Buffer.from('x')]));
    await expect(store.bytes(stored.document_id)).rejects.toThrow(/not to the recorded/);
  });

  it('is chosen by configuration, PostgreSQL by default; an unknown or half-configured store is refused', () => {
    expect(documentStoreFromEnvironment(database.db, {}).kind).toBe('pg');
    expect(documentStoreFromEnvironment(database.db, { DOCUMENT_STORE: 'disk', DOCUMENT_DIR: directory }).kind).toBe('disk');
    expect(() => documentStoreFromEnvironment(database.db, { DOCUMENT_STORE: 'ftp' })).toThrow(/not a document store/);
    expect(() => documentStoreFromEnvironment(database.db, { DOCUMENT_STORE: 's3', S3_BUCKET: 'b' })).toThrow(/needs S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY/);
  });
});

/**
 * The object store (DOCUMENT_STORE=s3) against a real S3 API server: moto's, from PyPI
 * (`pip install 'moto[server]'`), started by the test on a free port.
 */
const S3_TOOLS = fileURLToPath(new URL('../../.tools/s3', import.meta.url));

describe('the object store (DOCUMENT_STORE=s3), against a real S3 API server', () => {
  let server: ChildProcess | undefined;
  let settings: S3Settings;

  beforeAll(async () => {
    const port = await freePort();
    // moto from .tools/s3, where `npm test`'s bootstrap (dev/bootstrap.mjs --api-tools) installs it.
    server = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { env: { ...process.env, PYTHONPATH: S3_TOOLS }, stdio: 'ignore' });
    settings = { endpoint: `http://127.0.0.1:${port}`, bucket: `documents-${randomUUID().slice(0, 8)}`, region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'test' };
    for (let i = 0; ; i++) {
      const answer = await fetch(`${settings.endpoint}/`).catch(() => undefined);
      if (answer) break;
      if (i > 100) throw new Error(`moto's S3 server did not start: run \`node dev/bootstrap.mjs --api-tools\`, which installs it into ${S3_TOOLS}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await s3Request(settings, 'PUT', '')).status).toBe(200);
  }, 60_000);

  afterAll(() => {
    server?.kill();
  });

  it('keeps the bytes as an object and the row, with the hash, in PostgreSQL; reads back the same bytes', async () => {
    const store = documentStoreFromEnvironment(database.db, { DOCUMENT_STORE: 's3', S3_ENDPOINT: settings.endpoint, S3_BUCKET: settings.bucket, S3_ACCESS_KEY_ID: 'test', S3_SECRET_ACCESS_KEY: 'test' });
    expect(store.kind).toBe('s3');
    const stored = await store.put(newDocument(SAMPLES.docx));
    expect(stored).toMatchObject({ storage: 's3', sha256: sha256Hex(SAMPLES.docx) });
    const object = await s3Request(settings, 'GET', stored.storage_key!);
    expect(Buffer.from(await object.arrayBuffer()).equals(SAMPLES.docx)).toBe(true);
    expect((await store.bytes(stored.document_id))!.equals(SAMPLES.docx)).toBe(true);
  });

  it('never overwrites an object, and never answers bytes that differ from the recorded hash', async () => {
    const store = s3DocumentStore(database.db, settings);
    const document = newDocument(SAMPLES.pdf);
    const stored = await store.put(document);
    await expect(store.put(document)).rejects.toThrow(/never overwritten/);
    // Someone with the bucket's keys replaces the object behind the system's back.
    await s3Request(settings, 'PUT', stored.storage_key!, SAMPLES.png);
    await expect(store.bytes(stored.document_id)).rejects.toThrow(/not to the recorded/);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
