import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client.js';
import { documentStoreFromEnvironment, type DocumentStore } from '../db/documents/document-store.js';
import type { StoredEvent } from '../db/event-store.js';
import { moduleForStreamType } from '../cases/registry.js';
import { eventTitleOf } from '../domain/cases/event-titles.js';
import { caseNotFound } from '../domain/errors.js';
import { formatShanghaiInstant } from '../domain/time/local-date.js';
import { departmentInWords, roleInWords } from './actor-words.js';
import { caseStream } from './case-history.js';
import { createCheckpoint, latestCheckpoint, type Checkpoint } from './checkpoints.js';
import type { ProofStep } from './log-digest.js';
import type { AuditKey } from './signing-key.js';
import { streamInclusion } from './verify-store.js';

/** /2: each event names its hash version (db/hash-chain.ts); in /1 bundles every event had version 1. */
export const BUNDLE_FORMAT = 'youchuang-case-bundle/2';
export const BUNDLE_FILES = ['events.jsonl', 'summary.csv', 'manifest.json'] as const;
/** Where the referenced documents are, each named by its SHA-256. */
export const DOCUMENTS_DIR = 'documents';

/**
 * What a case bundle can prove to someone with nothing but the bundle, Node.js and the signer's
 * public key fingerprint (published out of band), and what it cannot. Written into every manifest.
 */
export const BUNDLE_SCOPE = [
  'Proves: the events in events.jsonl form an unbroken hash chain from the first version to the last; summary.csv lists the same events; the files are the ones the manifest names.',
  "Proves, when the manifest carries a checkpoint: the checkpoint was signed by the key with the given fingerprint, and this case's events up to the head the checkpoint signed for it (the inclusion's version and hash, with the path to the signed streams root) are exactly the ones committed to in it. Altering, removing, reordering or truncating any of those events, even with every hash recomputed, breaks that path.",
  'Proves, for every document an event references (by documentId and sha256): the file documents/<sha256> in the bundle is exactly the one the event recorded, so the file decided on is the one shown.',
  'Does not prove: anything about events after the signed head (they are chain-checked only, and tools/verify-bundle.mjs fails the bundle unless given --allow-unsigned-tail; `npm run audit -- export` and the audit page sign a fresh checkpoint first, so their bundles have none), anything about other cases, or the global log digest (that needs every event of the log: run `npm run audit -- verify` with the exported checkpoints against the database).',
];

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  caseId: string;
  caseType: string;
  exportedAt: string;
  exportedBy: string;
  events: { count: number; head: { version: number; hash: string } | null; firstPosition: number | null; lastPosition: number | null };
  files: Record<string, { sha256: string; bytes: number }>;
  checkpoint: Checkpoint | null;
  /** The case's stream head at the checkpoint and its path to the signed streams root. */
  inclusion: { version: number; hash: string; proof: ProofStep[] } | null;
  /** The documents the events reference, by SHA-256: each is the file documents/<sha256>. */
  documents?: Record<string, { bytes: number; mediaType: string; names: string[]; documentIds: string[]; referencedAt: number[] }>;
  scope: string[];
  verifyWith: string;
}

export interface CaseBundle {
  manifest: BundleManifest;
  /** File name → exact file content (UTF-8). */
  files: Record<(typeof BUNDLE_FILES)[number], string>;
  /** SHA-256 → the document's bytes, base64 (so the bundle travels as JSON too); written as documents/<sha256>. */
  documents: Record<string, string>;
}

export interface ReferencedDocument {
  documentId: string;
  sha256: string;
  name: string;
  mediaType: string;
  version: number;
}

/** Every document an event's data references (an object with a documentId and a sha256), however deep. */
export function referencedDocuments(events: readonly StoredEvent[]): ReferencedDocument[] {
  const found: ReferencedDocument[] = [];
  const walk = (value: unknown, version: number): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, version));
    else if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o.documentId === 'string' && typeof o.sha256 === 'string') {
        found.push({ documentId: o.documentId, sha256: o.sha256, name: String(o.name ?? ''), mediaType: String(o.mediaType ?? ''), version });
      }
      Object.values(o).forEach((v) => walk(v, version));
    }
  };
  for (const e of events) walk(e.data, e.streamVersion);
  return found;
}

/** One line per event: every field its hash covers, and the hashes. */
export function eventLine(e: StoredEvent, caseType: string): string {
  return JSON.stringify({
    globalPosition: e.globalPosition,
    streamId: e.streamId,
    streamType: caseType,
    streamVersion: e.streamVersion,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    recordedAt: e.recordedAt.toISOString(),
    data: e.data,
    metadata: e.metadata,
    prevHash: e.prevHash,
    hash: e.hash,
    hashVersion: e.hashVersion,
  });
}

/** A spreadsheet cell: quoted where it must be, and never read as a formula. The auditors' summary and the office's reports write alike. */
export function csvCell(value: unknown): string {
  const raw = value === undefined || value === null ? '' : String(value);
  // A cell a spreadsheet would take for a formula (a display name of =HYPERLINK(…)) is kept as text by a leading apostrophe (tools/verify-bundle.mjs reads it back).
  const text = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What Excel, WPS and LibreOffice read as the start of a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The summary's columns, in Chinese for the auditors who open it in a spreadsheet. tools/verify-bundle.mjs
 * reads 版本, 事件类型, 记录时间（UTC）, 操作人 and 哈希 against the events; bundles exported before the
 * columns were Chinese (version, event_type, recorded_at, actor_name, hash) verify as they are.
 */
export const SUMMARY_COLUMNS = ['版本', '全局序号', '记录时间（UTC）', '记录时间（北京时间）', '事件类型', '事件', '操作人', '角色', '部门', '账号', '决定人', '哈希'] as const;

/**
 * A spreadsheet view of the events; the byte-order mark makes Excel read the Chinese names as UTF-8.
 * 事件类型 is the type as recorded (what the hash covers), 事件 its title as the timeline shows it;
 * 操作人 who recorded it, 决定人 who decided it where the event names someone else.
 */
export function summaryCsv(events: readonly StoredEvent[], caseType?: string): string {
  const declared = caseType ? moduleForStreamType(caseType)?.eventLabels : undefined;
  const lines = events.map((e) => {
    const actor = e.metadata.actor;
    return [e.streamVersion, e.globalPosition, e.recordedAt.toISOString(), formatShanghaiInstant(e.recordedAt.getTime()).slice(0, 19).replace('T', ' '), e.type, eventTitleOf(e.type, declared), actor?.displayName, roleInWords(actor), departmentInWords(actor), actor?.accountId, decidedBy(e), e.hash].map(csvCell).join(',');
  });
  return `\uFEFF${[SUMMARY_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

/**
 * Who decided, where the event names someone other than who recorded it: a director's batch decision,
 * recorded in each application by the system (操作人 系统), names the director in its data (by).
 */
function decidedBy(e: StoredEvent): string {
  const by = (e.data as { by?: { displayName?: unknown; accountId?: unknown } }).by;
  const name = typeof by?.displayName === 'string' ? by.displayName : '';
  return name && by?.accountId !== e.metadata.actor?.accountId ? name : '';
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function buildCaseBundle(db: Db, caseId: string, options: { now: () => Date; exportedBy: string; checkpoint?: Checkpoint; documentStore?: DocumentStore }): Promise<CaseBundle> {
  const { caseType, events } = await caseStream(db, caseId);
  const store = options.documentStore ?? documentStoreFromEnvironment(db);
  const documentFiles: Record<string, string> = {};
  const documents: NonNullable<BundleManifest['documents']> = {};
  for (const ref of referencedDocuments(events)) {
    if (!(ref.sha256 in documentFiles)) {
      // The store checks the bytes against the recorded hash: a bundle never carries a changed file unnoticed.
      const bytes = await store.bytes(ref.documentId);
      if (!bytes) throw new Error(`案件 ${caseId} 第 ${ref.version} 版引用的文件 ${ref.documentId} 不在文件库中`);
      documentFiles[ref.sha256] = bytes.toString('base64');
      documents[ref.sha256] = { bytes: bytes.length, mediaType: ref.mediaType, names: [], documentIds: [], referencedAt: [] };
    }
    const entry = documents[ref.sha256]!;
    if (!entry.names.includes(ref.name)) entry.names.push(ref.name);
    if (!entry.documentIds.includes(ref.documentId)) entry.documentIds.push(ref.documentId);
    if (!entry.referencedAt.includes(ref.version)) entry.referencedAt.push(ref.version);
  }
  const checkpoint = options.checkpoint ?? (await latestCheckpoint(db)) ?? null;
  const inclusion = checkpoint ? await streamInclusion(db, checkpoint, caseId) : undefined;
  const eventsJsonl = events.map((e) => `${eventLine(e, caseType)}\n`).join('');
  const summary = summaryCsv(events, caseType);
  const last = events[events.length - 1];
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    caseId,
    caseType,
    exportedAt: options.now().toISOString(),
    exportedBy: options.exportedBy,
    events: {
      count: events.length,
      head: last ? { version: last.streamVersion, hash: last.hash } : null,
      firstPosition: events[0]?.globalPosition ?? null,
      lastPosition: last?.globalPosition ?? null,
    },
    files: {
      'events.jsonl': { sha256: sha256(eventsJsonl), bytes: Buffer.byteLength(eventsJsonl) },
      'summary.csv': { sha256: sha256(summary), bytes: Buffer.byteLength(summary) },
    },
    checkpoint,
    inclusion: inclusion ? { version: inclusion.head.version, hash: inclusion.head.hash, proof: inclusion.proof } : null,
    documents,
    scope: BUNDLE_SCOPE,
    verifyWith: `node tools/verify-bundle.mjs <this directory, or the single …-bundle.json file>${checkpoint ? ` --key-id ${checkpoint.keyId}` : ''}`,
  };
  return { manifest, files: { 'events.jsonl': eventsJsonl, 'summary.csv': summary, 'manifest.json': `${JSON.stringify(manifest, null, 2)}\n` }, documents: documentFiles };
}

/** How many on-demand checkpoints an export signs at most, when events keep arriving between signing and reading the case. */
const EXPORT_CHECKPOINT_ATTEMPTS = 3;

/** Whether every event of the bundle is under its checkpoint's signature (no unsigned tail). */
export function fullyCovered(manifest: BundleManifest): boolean {
  return manifest.events.count === 0 || (manifest.checkpoint !== null && manifest.inclusion?.version === manifest.events.count);
}

/**
 * The bundle an export hands out (`npm run audit -- export`, GET /api/audit/cases/:caseId/export):
 * with a signing key at hand, an on-demand checkpoint is signed first so that every event of the
 * bundle is under the signature; an event recorded between signing and reading the case gets one
 * more checkpoint (up to three). Without a key (or with a public key only) the latest checkpoint is
 * used as before, and tools/verify-bundle.mjs fails the events after it unless told to accept them.
 */
export async function exportCaseBundle(
  db: Db,
  caseId: string,
  options: { now: () => Date; exportedBy: string; key?: AuditKey; requestedBy: string; documentStore?: DocumentStore },
): Promise<CaseBundle> {
  const { key, requestedBy, ...build } = options;
  if (!key?.privateKey) return buildCaseBundle(db, caseId, build);
  // No checkpoint signed for a case that does not exist: the same not-found as the bundle's own.
  const stream = await db.selectFrom('streams').select('stream_id').where('stream_id', '=', caseId).executeTakeFirst();
  if (!stream) throw caseNotFound(caseId);
  let bundle: CaseBundle | undefined;
  for (let attempt = 0; attempt < EXPORT_CHECKPOINT_ATTEMPTS && !(bundle && fullyCovered(bundle.manifest)); attempt++) {
    const { checkpoint } = await createCheckpoint(db, key, { now: options.now, reason: 'on-demand', requestedBy });
    bundle = await buildCaseBundle(db, caseId, { ...build, checkpoint });
  }
  return bundle!;
}

export async function writeCaseBundle(dir: string, bundle: CaseBundle): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const name of BUNDLE_FILES) {
    const file = path.join(dir, name);
    await writeFile(file, bundle.files[name], 'utf8');
    written.push(file);
  }
  const documents = Object.entries(bundle.documents ?? {});
  if (documents.length > 0) await mkdir(path.join(dir, DOCUMENTS_DIR), { recursive: true });
  for (const [sha256Hex, base64] of documents) {
    if (!/^[0-9a-f]{64}$/.test(sha256Hex)) throw new Error(`${sha256Hex} 不是文件的哈希`);
    const file = path.join(dir, DOCUMENTS_DIR, sha256Hex);
    await writeFile(file, Buffer.from(base64, 'base64'));
    written.push(file);
  }
  return written;
}
