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
}
