import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** One row per event, append-only (a trigger refuses UPDATE and DELETE). */
export interface EventsTable {
  global_position: Generated<number>;
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  payload: JSONColumnType<Record<string, unknown>>;
  metadata: JSONColumnType<Record<string, unknown>>;
  recorded_at: ColumnType<Date, Date, never>;
  prev_hash: string;
  hash: string;
  /** Which definition `hash` follows (db/hash-chain.ts HashVersion); 1 for what was written before the database hashed. */
  hash_version: ColumnType<number, number | undefined, never>;
}

/** The head of each stream: its type, version and last hash; locked to serialise appends. */
export interface StreamsTable {
  stream_id: string;
  stream_type: string;
  version: number;
  head_hash: string;
  updated_at: Date;
}
