import { sql } from 'kysely';
import { looseReferenceKey, referenceUsedRefusal, type MoneyReferenceHeld } from '../domain/chuying/money.js';
import type { DomainError } from '../domain/errors.js';
import type { Db } from './client.js';

/**
 * The case, other than `caseId`, on which a bank reference is already recorded — a 雏鹰 loan's
 * disbursement or repayment, or an award's payment an official recorded (登记拨付) — compared as domain/chuying/money.ts looseReferenceKey compares them:
 * width and letter case folded, spaces, hyphens, dashes and the other separators dropped. Null when
 * none: the reference is this transaction's own.
 *
 * Read from `money_references`, by its key: the table the appending transaction holds every such
 * reference in (migrations 2026-12-05T14-00 and 2026-12-06T16-10), so one index look-up however
 * many cases there are, where reading every case's state grew with the office's whole history.
 * A key two cases recorded before the table is held by the first: the look-up lets that case's own
 * reference be, as the append does.
 */
export async function moneyReferenceElsewhere(db: Db, input: { caseId: string; reference: string }): Promise<MoneyReferenceHeld | null> {
  // looseReferenceKey is the TypeScript twin of the table's key, money_reference_key (migration 2026-12-05T14-00).
  const key = looseReferenceKey(input.reference);
  const { rows } = await sql<{ case_id: string; reference_no: string; kind: 'disbursement' | 'repayment' | 'payout'; reference: string }>`
    SELECT m.case_id, c.reference_no, m.kind, m.reference
      FROM money_references m JOIN cases c ON c.case_id = m.case_id
     WHERE m.reference_key = ${key} AND m.case_id <> ${input.caseId}`.execute(db);
  const row = rows[0];
  return row ? { caseId: row.case_id, referenceNo: row.reference_no, kind: row.kind, reference: row.reference } : null;
}

/** The SQLSTATE of a reference entered for a loan while another loan holds it (migration 2026-12-05T14-00). */
const REFERENCE_HELD = 'YC432';

/**
 * The refusal of a disbursement, repayment or payout whose reference another case recorded in the moment
 * since the look-up above: the same 409 the look-up gives, at the same field.
 */
export function moneyReferenceRefusalOf(error: unknown): DomainError | undefined {
  const { code, detail } = error as { code?: string; detail?: string };
  if (code !== REFERENCE_HELD || !detail) return undefined;
  const d = JSON.parse(detail) as { referenceNo: string | null; kind: 'disbursement' | 'repayment' | 'payout'; reference: string; typed: string; field: 'bankReference' | 'reference' };
  // Always another loan's (the trigger lets a loan's own references be), which the trigger names by its number only.
  return referenceUsedRefusal(d.typed, d.field, { caseId: '', referenceNo: d.referenceNo ?? '', kind: d.kind, reference: d.reference });
}
