/** Which open case holds an account's application for an item under a measure (db/application-claims.ts). */
export interface ApplicationClaimsTable {
  programme_id: string;
  applicant_account_id: string;
  /** The item, folded (domain/applications/one-open-application.ts claimKey). */
  item_key: string;
  case_id: string;
  reference_no: string;
  claimed_at: Date;
}
