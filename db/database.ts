import type { AccountsTable, SessionsTable } from './tables/accounts.table.js';
import type { AwardsTable } from './tables/awards.table.js';
import type { CasesTable, LoanInstalmentsTable } from './tables/cases.table.js';
import type { EventsTable, StreamsTable } from './tables/events.table.js';

export interface Database {
  events: EventsTable;
  streams: StreamsTable;
  cases: CasesTable;
  loan_instalments: LoanInstalmentsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  awards: AwardsTable;
}
