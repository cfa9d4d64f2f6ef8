import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client.js';
import type { StoredEvent } from '../db/event-store.js';
import { caseStream } from './case-history.js';
import { latestCheckpoint, type Checkpoint } from './checkpoints.js';
import type { ProofStep } from './log-digest.js';
import { streamInclusion } from './verify-store.js';

export const BUNDLE_FORMAT = 'youchuang-case-bundle/1';
export const BUNDLE_FILES = ['events.jsonl', 'summary.csv', 'manifest.json'] as const;

/**
 * What a case bundle can prove to someone with nothing but the bundle, Node.js and the signer's
 * public key fingerprint (published out of band), and what it cannot. Written into every manifest.
 */
export const BUNDLE_SCOPE = [
  'Proves: the events in events.jsonl form an unbroken hash chain from the first version to the last; summary.csv lists the same events; the files are the ones the manifest names.',
  "Proves, when the manifest carries a checkpoint: the checkpoint was signed by the key with the given fingerprint, and this case's events up to the checkpoint's position are exactly the ones committed to in it (the path from the case's head at that position to the signed streams root). Altering, removing, reordering or truncating any of those events, even with every hash recomputed, breaks that path.",
  'Does not prove: anything about events recorded after the checkpoint (they are chain-checked only: make a fresh checkpoint before exporting), anything about other cases, or the global log digest (that needs every event of the log: run `npm run audit -- verify` with the exported checkpoints against the database).',
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
  scope: string[];
  verifyWith: string;
}

export interface CaseBundle {
  manifest: BundleManifest;
  /** File name → exact file content (UTF-8). */
  files: Record<(typeof BUNDLE_FILES)[number], string>;
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
  });
}

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const SUMMARY_COLUMNS = ['version', 'global_position', 'recorded_at', 'event_type', 'actor_name', 'actor_role', 'actor_department', 'actor_account_id', 'hash'] as const;

/** A spreadsheet view of the events; the byte-order mark makes Excel read the Chinese names as UTF-8. */
export function summaryCsv(events: readonly StoredEvent[]): string {
  const lines = events.map((e) =>
    [e.streamVersion, e.globalPosition, e.recordedAt.toISOString(), e.type, e.metadata.actor?.displayName, e.metadata.actor?.role, e.metadata.actor?.department, e.metadata.actor?.accountId, e.hash]
      .map(csvCell)
      .join(','),
  );
  return `\uFEFF${[SUMMARY_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function buildCaseBundle(db: Db, caseId: string, options: { now: () => Date; exportedBy: string; checkpoint?: Checkpoint }): Promise<CaseBundle> {
  const { caseType, events } = await caseStream(db, caseId);
  const checkpoint = options.checkpoint ?? (await latestCheckpoint(db)) ?? null;
  const inclusion = checkpoint ? await streamInclusion(db, checkpoint, caseId) : undefined;
  const eventsJsonl = events.map((e) => `${eventLine(e, caseType)}\n`).join('');
  const summary = summaryCsv(events);
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
    scope: BUNDLE_SCOPE,
    verifyWith: `node tools/verify-bundle.mjs <this directory>${checkpoint ? ` --key-id ${checkpoint.keyId}` : ''}`,
  };
  return { manifest, files: { 'events.jsonl': eventsJsonl, 'summary.csv': summary, 'manifest.json': `${JSON.stringify(manifest, null, 2)}\n` } };
}

export async function writeCaseBundle(dir: string, bundle: CaseBundle): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const name of BUNDLE_FILES) {
    const file = path.join(dir, name);
    await writeFile(file, bundle.files[name], 'utf8');
    written.push(file);
  }
  return written;
}
