import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCaseBundle, writeCaseBundle } from '../../audit/case-bundle.js';
import { postgresDocumentStore, sha256Hex } from '../../db/documents/document-store.js';
import type { DocumentReference } from '../../domain/documents/document-reference.js';
import { applicant, fundReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { SAMPLES } from '../support/document-samples.js';
import { fixedClock } from '../db/support.js';
import { LoanCase, testKey } from './support.js';

const VERIFIER = fileURLToPath(new URL('../../tools/verify-bundle.mjs', import.meta.url));
const run = promisify(execFile);
let database: TestDatabase;
let root: string;
let good: string;
let reference: DocumentReference;

interface VerifierResult {
  exitCode: number;
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

/** The verifier as an outside auditor runs it: plain node, no database, no environment. */
async function verify(dir: string): Promise<VerifierResult> {
  const result = await run(process.execPath, [VERIFIER, dir, '--json'], { env: {} }).catch((error: { code: number; stdout: string }) => ({ stdout: error.stdout, code: error.code }));
  return { exitCode: 'code' in result ? result.code : 0, ...(JSON.parse(result.stdout) as Omit<VerifierResult, 'exitCode'>) };
}
const failedChecks = (r: VerifierResult) => r.checks.filter((c) => !c.ok);

async function copyOf(name: string): Promise<string> {
  const dir = path.join(root, name);
  await cp(good, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  database = await createTestDatabase();
  root = path.join(tmpdir(), `youchuang-document-bundles-${randomBytes(4).toString('hex')}`);
  await mkdir(root, { recursive: true });
  const store = postgresDocumentStore(database.db);
  const stored = await store.put({ documentId: randomUUID(), bytes: SAMPLES.pdf, mediaType: 'application/pdf', name: '营业执照副本.pdf', uploadedBy: applicant.accountId, uploadedAt: new Date('2026-03-03T02:00:00Z') });
  reference = { documentId: stored.document_id, sha256: stored.sha256, name: stored.name, mediaType: stored.media_type, size: stored.size };
  const loan = await new LoanCase(database.db).submit('2026-03-02T02:00:00.000Z');
  await loan.act(fundReviewer, { type: 'RequestSupplement', missingItems: ['营业执照副本'] }, '2026-03-03T02:00:00.000Z');
  await loan.act(applicant, { type: 'ProvideSupplement', responses: [{ item: '营业执照副本', response: '见附件', documents: [reference] }] }, '2026-03-04T02:00:00.000Z');
  good = path.join(root, 'good');
  // Exported as `npm run audit -- export` does: a checkpoint signed first, so every event is under the signature.
  await writeCaseBundle(good, await exportCaseBundle(database.db, loan.caseId, { now: fixedClock('2026-06-01T00:00:00Z'), exportedBy: 'test', documentStore: store, key: testKey(), requestedBy: 'test' }));
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await database?.drop();
});

describe('a case bundle carries the documents its events reference', () => {
  it('holds each referenced file as documents/<sha256>, and the verifier passes it', async () => {
    expect(reference.sha256).toBe(sha256Hex(SAMPLES.pdf));
    expect((await readFile(path.join(good, 'documents', reference.sha256))).equals(SAMPLES.pdf)).toBe(true);
    const manifest = JSON.parse(await readFile(path.join(good, 'manifest.json'), 'utf8')) as { documents: Record<string, { names: string[]; documentIds: string[] }> };
    expect(manifest.documents[reference.sha256]).toMatchObject({ names: ['营业执照副本.pdf'], documentIds: [reference.documentId] });
    const result = await verify(good);
    expect(failedChecks(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.checks.find((c) => c.name === 'document 营业执照副本.pdf')?.detail).toContain('其 SHA-256 正是事件记载的');
  });

  it('fails when one byte of the file is changed', async () => {
    const dir = await copyOf('one-byte');
    const file = path.join(dir, 'documents', reference.sha256);
    const bytes = await readFile(file);
    const at = bytes.length - 2;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    await writeFile(file, bytes);
    const result = await verify(dir);
    expect(result.exitCode).toBe(1);
    expect(failedChecks(result).map((c) => c.name)).toEqual(['document 营业执照副本.pdf']);
    expect(failedChecks(result)[0]!.detail).toContain('这不是据以决定的文件');
  });

  it('fails when a referenced file is missing', async () => {
    const dir = await copyOf('missing');
    await rm(path.join(dir, 'documents', reference.sha256));
    const result = await verify(dir);
    expect(result.exitCode).toBe(1);
    expect(failedChecks(result)[0]!.detail).toContain('证据包中没有');
  });

  it('fails when the file is swapped for another with the manifest rewritten: the hash is in the event', async () => {
    const dir = await copyOf('swapped');
    await writeFile(path.join(dir, 'documents', reference.sha256), SAMPLES.png);
    const result = await verify(dir);
    expect(result.exitCode).toBe(1);
    expect(failedChecks(result).map((c) => c.name)).toEqual(['document 营业执照副本.pdf']);
  });
});
