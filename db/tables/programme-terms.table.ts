import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** One version of a measure's terms (read model of the 'programme-terms' streams, db/programme-terms/terms-store.ts). */
export interface ProgrammeTermsVersionsTable {
  programme_id: string;
  version: number;
  /** PublishedTerms (domain/programme-terms/published-terms.ts). */
  terms: JSONColumnType<Record<string, unknown>>;
  /** Asia/Shanghai date (YYYY-MM-DD) from which new applications take it, once approved. */
  effective_from: string;
  status: 'draft' | 'approved' | 'rejected';
  drafted: JSONColumnType<{ by: OfficerJson; reason: string; at: string }>;
  decided: ColumnType<{ by: OfficerJson; note: string; at: string } | null, string | null, string | null>;
  updated_at: Date;
}

/** One proposed change of the stacking matrix (read model of the 'stacking-matrix' stream). */
export interface StackingMatrixChangesTable {
  change_id: string;
  between_sides: JSONColumnType<unknown[]>;
  verdict: 'stack' | 'do-not-stack' | 'unspecified';
  status: 'proposed' | 'approved' | 'rejected';
  proposed: JSONColumnType<{ by: OfficerJson; reason: string; at: string }>;
  decided: ColumnType<{ by: OfficerJson; note: string; at: string } | null, string | null, string | null>;
  matrix_version: number | null;
  updated_at: Date;
}

/** The ApplicationTerms a case opened under, as its workflow's look-ups read them. */
export interface CaseOpeningTermsTable {
  case_id: string;
  programme_id: string;
  catalogue_version: string;
  terms: JSONColumnType<Record<string, unknown>>;
  recorded_at: Generated<Date>;
}

export interface OfficerJson {
  accountId: string;
  displayName: string;
  department?: string;
}
