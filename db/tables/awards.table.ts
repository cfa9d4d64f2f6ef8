import type { Generated } from 'kysely';

/** The stacking ledger: every award granted, per applicant, programme and funded item. */
export interface AwardsTable {
  award_id: string;
  case_id: string;
  applicant_account_id: string;
  programme_id: string;
  catalogue_version: string;
  item_id: string;
  amount_fen: number;
  awarded_on: string;
  recorded_at: Date;
  /** Recovered from the award since (追回 cases against it). */
  recovered_fen: Generated<number>;
  /** Written off by a director: no longer to be recovered. */
  written_off_fen: Generated<number>;
}
