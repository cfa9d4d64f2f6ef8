/** One row per review clock of a drama filing: the first submission and each resubmission. */
export interface FilingReviewsTable {
  case_id: string;
  round: number;
  filing_type: string;
  reference_no: string;
  title: string;
  applicant_name: string;
  submitted_at: Date;
  submitted_on: string;
  working_days: number;
  last_working_day: string;
  deadline_at: Date;
  provisional: boolean;
  reviewer_account_id: string | null;
  reviewer_name: string | null;
  claimed_at: Date | null;
  reminded_at: Date | null;
  breached_at: Date | null;
  escalated_at: Date | null;
  decided_at: Date | null;
  decided_on: string | null;
  outcome: 'approved' | 'returned' | 'rejected' | null;
}
