import type { ColumnType } from 'kysely';

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
  /** Null for a 重点 filing: source 004 promises no review time for it (issue 14). */
  working_days: number | null;
  last_working_day: string | null;
  deadline_at: Date | null;
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
  /** 普通 or 重点 (issue 14): only a 重点 round has no deadline. */
  category: ColumnType<'ordinary' | 'key', 'ordinary' | 'key' | undefined, 'ordinary' | 'key'>;
}
