import { sql } from 'kysely';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import type { Db } from './client.js';

/**
 * The reference number printed on every case: a prefix for its kind (CY loans, BA filings, AP
 * applications, each module's own for types added since), the Shanghai year it opened, and a number from one sequence for all cases.
 */
export async function nextReferenceNo(db: Db, prefix: string, now: Date): Promise<string> {
  const { rows } = await sql<{ n: number }>`SELECT nextval('case_reference_seq') AS n`.execute(db);
  return `${prefix}-${shanghaiDateOf(now).slice(0, 4)}-${String(rows[0]!.n).padStart(6, '0')}`;
}
