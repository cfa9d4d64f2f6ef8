/** Which open filing holds an account's title for a filing type (db/filing-claims.ts). */
export interface FilingClaimsTable {
  applicant_account_id: string;
  filing_type: string;
  /** The title, folded (domain/drama-filing/one-open-filing.ts filingTitleKey). */
  title_key: string;
  case_id: string;
  reference_no: string;
  claimed_at: Date;
}
