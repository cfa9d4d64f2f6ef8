import type { ColumnType, JSONColumnType } from 'kysely';

export interface AccountsTable {
  account_id: string;
  username: string;
  display_name: string;
  role: 'applicant' | 'official' | 'auditor' | 'admin';
  department: string | null;
  password_hash: string;
  /** For applicants: the organisation they apply for (company name, credit code, district). Never personal data: that is in personal_data, encrypted. */
  profile: JSONColumnType<Record<string, unknown>>;
  /** An official's duties in their department (reviewer, approver, director, supervisor); empty for everyone else. */
  duties: ColumnType<string[], string[] | undefined, string[]>;
  /** An applicant applies as an individual creator or as a company; null for everyone else. */
  applicant_kind: ColumnType<'individual' | 'company' | null, 'individual' | 'company' | null | undefined, 'individual' | 'company' | null>;
  created_at: Date;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  created_at: Date;
  expires_at: Date;
}
