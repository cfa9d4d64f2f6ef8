import type { JSONColumnType } from 'kysely';

export interface AccountsTable {
  account_id: string;
  username: string;
  display_name: string;
  role: 'applicant' | 'official' | 'auditor';
  department: string | null;
  password_hash: string;
  /** For applicants: the organisation they apply for (company name, credit code, district). */
  profile: JSONColumnType<Record<string, unknown>>;
  created_at: Date;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  created_at: Date;
  expires_at: Date;
}
