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

/**
 * Which definition an event's hash follows (events.hash_version):
 *   1 — SHA-256 of the canonical JSON of the whole event (above), computed by the appender;
 *   2 — SHA-256 of a line-per-field text whose data and metadata are PostgreSQL's own text of the
 *       stored jsonb, computed by the database as it inserts the event (append_events, migration
 *       2026-12-05T07-00). A verifier that reads data and metadata as text hashes them as they came,
 *       without parsing or re-sorting them: what made whole-store verification slow (issue 17).
 * Every event keeps the version it was written with, and verifies by it.
 */
export type HashVersion = 1 | 2;

/** What a version-2 hash covers: the event's fields, with data and metadata as the database writes out their jsonb. */
export interface HashedEventText {
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  /** ISO 8601 in UTC to the millisecond, as Date#toISOString writes it. */
  recordedAt: string;
  dataText: string;
  metadataText: string;
}

/**
 * The version-2 hash. One field a line; no field holds a line break (the stream id and type are
 * written as JSON strings, the event id is a UUID, and jsonb's text escapes its own), so no two
 * events share a text. It starts with its own label, so no version-1 content hashes to it.
 * append_events computes the same in SQL: keep the two in step (test/db/event-hash-v2.test.ts).
 */
export function eventHashV2(prevHash: string, e: HashedEventText): string {
  if (!Number.isInteger(e.streamVersion) || !Number.isInteger(e.schemaVersion)) throw new TypeError('cannot hash a version that is not an integer');
  return sha256Hex(
    `youchuang-event/2\n${prevHash}\n${JSON.stringify(e.streamId)}\n${e.streamVersion}\n${e.eventId}\n${JSON.stringify(e.type)}\n${e.schemaVersion}\n${e.recordedAt}\n${e.metadataText}\n${e.dataText}`,
  );
}

/**
 * The text PostgreSQL writes out for the jsonb that `value` becomes (jsonb_out): object keys shortest
 * first, then by their UTF-8 bytes; ", " between members and ": " after keys; numbers as numeric
 * writes them, never in exponent form. For a value read back from the database, it is that text; a
 * verifier that holds only parsed events (a bundle, the API's read of a stream) hashes version-2
 * events through it. `undefined` members are left out and toJSON is called, as JSON.stringify does.
 */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return numericText(value);
    case 'object': {
      const json = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function') return jsonbText(json.call(value));
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const member = value[i];
          out += (i ? ', ' : '') + (member === undefined || typeof member === 'function' || typeof member === 'symbol' ? 'null' : jsonbText(member));
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined && typeof record[k] !== 'function' && typeof record[k] !== 'symbol');
      if (keys.length > 1) keys.sort(jsonbKeyOrder);
      let out = '{';
      for (let i = 0; i < keys.length; i++) out += `${i ? ', ' : ''}${JSON.stringify(keys[i])}: ${jsonbText(record[keys[i]!])}`;
      return `${out}}`;
    }
    default:
      throw new TypeError(`cannot write a value of type ${typeof value} as jsonb`);
  }
}

const utf8 = new TextEncoder();

/** jsonb's order of object keys: by length in UTF-8 bytes, then byte by byte. */
function jsonbKeyOrder(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/**
 * A JSON number as PostgreSQL's numeric writes it: JavaScript's shortest digits, with an exponent
 * (1e+21, 1.5e-7) written out in full (1000000000000000000000, 0.00000015), as numeric_in reads them.
 */
function numericText(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`cannot write the number ${n} as jsonb`);
  const text = JSON.stringify(n);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const pointAt = (point < 0 ? mantissa.length : point) + exponent;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
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
  /** 1 when absent (events read before the column existed in a caller's copy). */
  hashVersion?: number;
  /** data and metadata as the database wrote them out, when the reader has them (version 2 hashes them as they are). */
  dataText?: string;
  metadataText?: string;
  /** recordedAt in ISO 8601 (UTC, to the millisecond), when the reader already has it as text: the hash covers that text. */
  recordedAtIso?: string;
}

export interface ChainProblem {
  streamVersion: number;
  problem: string;
}

/** The hash an event should have, by the definition it was written with (HashVersion). */
export function recomputedHash(e: ChainedEvent): string {
  const version = e.hashVersion ?? 1;
  if (version === 2) {
    return eventHashV2(e.prevHash, {
      streamId: e.streamId, streamVersion: e.streamVersion, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion,
      recordedAt: e.recordedAtIso ?? e.recordedAt.toISOString(), dataText: e.dataText ?? jsonbText(e.data), metadataText: e.metadataText ?? jsonbText(e.metadata),
    });
  }
  if (version !== 1) throw new RangeError(`unknown hash version ${version}`);
  return eventHash(e.prevHash, {
    streamId: e.streamId, streamVersion: e.streamVersion, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion,
    data: e.data, metadata: e.metadata, recordedAt: e.recordedAtIso ?? e.recordedAt.toISOString(),
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
    if (e.hashVersion !== undefined && e.hashVersion !== 1 && e.hashVersion !== 2) return { streamVersion: e.streamVersion, problem: `其哈希版本 ${e.hashVersion} 无从核对：本系统只写过第 1、2 版` };
    if (rehash(e) !== e.hash) return { streamVersion: e.streamVersion, problem: '内容与其哈希不符：写入后被改动过' };
    prevHash = e.hash;
  }
  return undefined;
}
