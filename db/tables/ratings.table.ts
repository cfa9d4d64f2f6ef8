/** Read model of the 'case-rating' streams: one 好差评 per case. */
export interface CaseRatingsTable {
  case_id: string;
  reference_no: string;
  case_type: string;
  score: number;
  comment: string;
  rated_by_account_id: string;
  rated_by_name: string;
  department: string | null;
  rated_at: Date;
}

/** Follow-up tasks for a department's supervising official, opened by a rating of 1 or 2. */
export interface FollowUpTasksTable {
  task_id: string;
  case_id: string;
  reference_no: string;
  department: string | null;
  duty: string;
  score: number;
  reason: string;
  status: 'open' | 'closed';
  opened_at: Date;
  closed_at: Date | null;
  closed_by_name: string | null;
  note: string | null;
}
