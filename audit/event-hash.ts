import { createHash } from 'node:crypto';
import type { StoredEvent } from '../db/event-store.js';

/**
 * The canonical JSON of db/hash-chain.ts, written for speed (whole-store verification spends most
 * of its time here): keys sorted with the default sort, which compares UTF-16 code units exactly as
 * that comparator does; undefined members left out; Dates as ISO strings; the same TypeErrors. A
 * second, independent implementation also means a bug in one shows up as a verification failure.
 * test/audit/audit-units.test.ts checks the two agree.
 */
export function fastCanonicalJson(value: unknown): string {
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
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + fastCanonicalJson(value[i]);
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
        out += `${first ? '' : ','}${JSON.stringify(key)}:${fastCanonicalJson(member)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`cannot hash a value of type ${typeof value}`);
  }
}

/** The hash an event would have if nothing about it had changed since it was written (db/hash-chain.ts eventHash). */
export function recomputedEventHash(e: StoredEvent): string {
  return createHash('sha256')
    .update(
      fastCanonicalJson({
        prevHash: e.prevHash,
        streamId: e.streamId,
        streamVersion: e.streamVersion,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        recordedAt: e.recordedAt.toISOString(),
      }),
    )
    .digest('hex');
}
