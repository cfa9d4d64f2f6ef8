import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import type { StoredEvent } from '../db/event-store.js';
import { recomputedHash } from '../db/hash-chain.js';

/**
 * The canonical JSON of db/hash-chain.ts, written for speed (whole-store verification spends most
 * of its time here): a copy of the value with every object's keys in sorted order (the default
 * sort compares UTF-16 code units exactly as that comparator does), written by the native
 * JSON.stringify; undefined members left out; Dates as ISO strings; the same TypeErrors. Objects
 * whose key order JavaScript itself decides (integer-like keys come first, in numeric order) and
 * `__proto__` keys go through the plain writer below instead. A second, independent
 * implementation also means a bug in one shows up as a verification failure.
 * test/audit/audit-units.test.ts checks the two agree.
 */
export function fastCanonicalJson(value: unknown): string {
  const sorted = sortedCopy(value);
  return sorted === UNSORTABLE ? plainCanonicalJson(value) : JSON.stringify(sorted);
}

const UNSORTABLE = Symbol('unsortable');

function sortedCopy(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash the number ${value}`);
      return value;
    case 'object': {
      if (Array.isArray(value)) {
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const member = sortedCopy(value[i]);
          if (member === UNSORTABLE) return UNSORTABLE;
          copy[i] = member;
        }
        return copy;
      }
      if (value instanceof Date) return value.toISOString();
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      const copy: Record<string, unknown> = {};
      for (const key of keys) {
        const c = key.charCodeAt(0);
        if ((c >= 48 && c <= 57) || key === '__proto__') return UNSORTABLE;
        if (record[key] === undefined) continue;
        const member = sortedCopy(record[key]);
        if (member === UNSORTABLE) return UNSORTABLE;
        copy[key] = member;
      }
      return copy;
    }
    default:
      throw new TypeError(`cannot hash a value of type ${typeof value}`);
  }
}

function plainCanonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + plainCanonicalJson(value[i]);
        return `${out}]`;
      }
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${plainCanonicalJson(member)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`cannot hash a value of type ${typeof value}`);
  }
}

/** SHA-256 in hex: the one-shot crypto.hash where Node has it (20.12+), which is several times faster for short inputs. */
export const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash: (algorithm: string, data: string) => string }).hash('sha256', text)
    : (text) => createHash('sha256').update(text).digest('hex');

/**
 * The hash an event would have if nothing about it had changed since it was written, by its hash
 * version (db/hash-chain.ts): version 2 hashes the database's text of data and metadata, as read when
 * the reader has it; version 1 (eventHash) writes its outer object out in sorted key order (data,
 * eventId, metadata, prevHash, recordedAt, schemaVersion, streamId, streamVersion, type), so only data
 * and metadata need sorting.
 */
export function recomputedEventHash(e: StoredEvent & { dataText?: string; metadataText?: string; recordedAtIso?: string }): string {
  // Version 2 sorts nothing: one definition, db/hash-chain.ts's.
  if (e.hashVersion === 2) return recomputedHash(e);
  if (!Number.isFinite(e.schemaVersion) || !Number.isFinite(e.streamVersion)) throw new TypeError('cannot hash a non-finite version');
  return sha256Hex(
    `{"data":${fastCanonicalJson(e.data)},"eventId":${JSON.stringify(e.eventId)},"metadata":${fastCanonicalJson(e.metadata)},` +
      `"prevHash":${JSON.stringify(e.prevHash)},"recordedAt":${JSON.stringify(e.recordedAtIso ?? e.recordedAt.toISOString())},"schemaVersion":${JSON.stringify(e.schemaVersion)},` +
      `"streamId":${JSON.stringify(e.streamId)},"streamVersion":${JSON.stringify(e.streamVersion)},"type":${JSON.stringify(e.type)}}`,
  );
}
