import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;

/**
 * int8 columns (positions, money in fen) come back as strings from pg. Decided once, here: they
 * become JS numbers, and a value beyond 2^53 is an error rather than a silently rounded number.
 */
function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${text} is beyond the safe range of this system`);
  return value;
}

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return parseSafeInteger;
    // A calendar date stays 'YYYY-MM-DD': turning it into a JS Date would put it at a UTC midnight.
    if (oid === DATE_OID) return (text: string) => text;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types: typeParsers });
  // An idle connection dropped by a server restart is replaced on next use; it must not crash the process.
  pool.on('error', (error) => console.warn(`[db] idle connection lost: ${error.message}`));
  // So must one lost while checked out (a restart between two statements of a transaction): its
  // client emits 'error', which unhandled ends the process. With this listener the statement in
  // progress or the next one fails instead, and the pool discards the client when it is released.
  pool.on('connect', (client) => client.on('error', (error) => console.warn(`[db] connection lost: ${error.message}`)));
  return pool;
}

const connectionStrings = new WeakMap<Kysely<Database>, string>();

export function createDb(connectionString: string, options: { max?: number } = {}): Kysely<Database> {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(connectionString, options.max) }) });
  connectionStrings.set(db, connectionString);
  return db;
}

/** Where a database made by createDb connects: for a worker thread that must open its own connection (audit/verify-store.ts). */
export function connectionStringOf(db: Kysely<Database>): string | undefined {
  return connectionStrings.get(db);
}

export type Db = Kysely<Database>;
