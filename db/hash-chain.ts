import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by code point, no white space, and only the values JSON
 * and jsonb agree on. Postgres' jsonb reorders keys, so hashing anything but a canonical form
 * would make a stored event fail its own check after a round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot hash a value of type ${typeof value}`);
  }
}

/** What the hash of one event covers: everything about it, and the hash of the event before it. */
export interface HashedEventContent {
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

/** SHA-256 in hex: the one-shot crypto.hash where Node has it (20.12+; several times faster on short inputs), else a Hash object. */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash: (algorithm: string, data: string) => string }).hash('sha256', text)
    : (text) => createHash('sha256').update(text).digest('hex');

export function eventHash(prevHash: string, content: HashedEventContent): string {
  return sha256Hex(canonicalJson({ prevHash, ...content }));
}

/** What a chain is checked on: an event as stored (db/event-store.ts StoredEvent). */
export interface ChainedEvent {
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: Date;
  prevHash: string;
  hash: string;
}

export interface ChainProblem {
  streamVersion: number;
  problem: string;
}

/** The hash an event should have (db/hash-chain.ts eventHash over everything it stores). */
function recomputedHash(e: ChainedEvent): string {
  return eventHash(e.prevHash, {
    streamId: e.streamId, streamVersion: e.streamVersion, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion,
    data: e.data, metadata: e.metadata, recordedAt: e.recordedAt.toISOString(),
  });
}

/**
 * Recomputes a stream's chain; returns the first problem found, or undefined when intact.
 * `rehash` may be another implementation of the same hash (the auditor's faster one).
 */
export function verifyChain<E extends ChainedEvent>(events: readonly E[], rehash: (e: E) => string = recomputedHash): ChainProblem | undefined {
  let prevHash = GENESIS_HASH;
  for (const [index, e] of events.entries()) {
    if (e.streamVersion !== index + 1) return { streamVersion: e.streamVersion, problem: `应为第 ${index + 1} 版，实为第 ${e.streamVersion} 版：有事件缺失或顺序被打乱` };
    if (e.prevHash !== prevHash) return { streamVersion: e.streamVersion, problem: '其“前一哈希”与前一个事件的哈希不符：前面的事件被删除、插入或改动过' };
    if (rehash(e) !== e.hash) return { streamVersion: e.streamVersion, problem: '内容与其哈希不符：写入后被改动过' };
    prevHash = e.hash;
  }
  return undefined;
}
