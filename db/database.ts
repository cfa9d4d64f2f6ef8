import type { AccountGrantsTable, AccountSignInCodesTable, AccountsTable, SessionsTable } from './tables/accounts.table.js';
import type { IdempotencyKeysTable, LoginThrottleTable, ObjectionContactsTable, PersonalDataTable } from './tables/authorization.table.js';
import type { AuditCheckpointsTable } from './tables/audit-checkpoints.table.js';
import type { AwardsTable } from './tables/awards.table.js';
import type { CalendarYearsTable } from './tables/calendar.table.js';
import type { FilingReviewsTable } from './tables/filing-reviews.table.js';
import type { CasesTable, LoanInstalmentsTable } from './tables/cases.table.js';
import type { EventsTable, StreamsTable } from './tables/events.table.js';
import type { CaseRatingsTable, FollowUpTasksTable } from './tables/ratings.table.js';
import type { BudgetCommitmentsTable, CallsTable } from './tables/calls.table.js';
import type { DecisionLettersTable } from './tables/decision-letters.table.js';

export interface Database {
  events: EventsTable;
  streams: StreamsTable;
  cases: CasesTable;
  loan_instalments: LoanInstalmentsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  account_grants: AccountGrantsTable;
  account_sign_in_codes: AccountSignInCodesTable;
  audit_checkpoints: AuditCheckpointsTable;
  calendar_years: CalendarYearsTable;
  filing_reviews: FilingReviewsTable;
  awards: AwardsTable;
  case_ratings: CaseRatingsTable;
  follow_up_tasks: FollowUpTasksTable;
  personal_data: PersonalDataTable;
  login_throttle: LoginThrottleTable;
  idempotency_keys: IdempotencyKeysTable;
  objection_contacts: ObjectionContactsTable;
  calls: CallsTable;
  budget_commitments: BudgetCommitmentsTable;
  decision_letters: DecisionLettersTable;
}
