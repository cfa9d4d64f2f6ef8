import type { ColumnType, JSONColumnType } from 'kysely';

/**
 * Decision letters (决定书) as issued: the PDF, its SHA-256 (also in the decision's event) and the
 * content it was rendered from. Append-only (a trigger refuses UPDATE and DELETE).
 */
export interface DecisionLettersTable {
  letter_id: string;
  case_id: string;
  letter_no: string;
  title: string;
  /** LetterDecision: approve, reject, withdraw-award, recover, cancel-recovery. */
  decision: string;
  /** The stream version of the decision's event. */
  position: number;
  event_type: string;
  /** A Shanghai date, read as text (YYYY-MM-DD). */
  decided_on: ColumnType<string, string, never>;
  content: JSONColumnType<Record<string, unknown>>;
  sha256: string;
  pdf: Buffer;
  created_at: ColumnType<Date, Date, never>;
}

/** 文号 given so far: for each issuer and year (`prefix`, 杨V基金决〔2026〕), the last serial. */
export interface LetterNumberRegisterTable {
  prefix: string;
  last_serial: number;
}
