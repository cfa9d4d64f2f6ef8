import type { ColumnType, JSONColumnType } from 'kysely';

export interface AccountsTable {
  account_id: string;
  username: string;
  display_name: string;
  role: 'applicant' | 'official' | 'auditor' | 'admin' | 'expert';
  department: string | null;
  /** scrypt; null until the account's holder sets a password with a one-time sign-in code (and again after a reset). */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** For applicants: the organisation they apply for (company name, credit code, district). Never personal data: that is in personal_data, encrypted. */
  profile: JSONColumnType<Record<string, unknown>>;
  /** An official's duties in their department (reviewer, approver, director, supervisor); empty for everyone else. */
  duties: ColumnType<string[], string[] | undefined, string[]>;
  /** An applicant applies as an individual creator or as a company; null for everyone else. */
  applicant_kind: ColumnType<'individual' | 'company' | null, 'individual' | 'company' | null | undefined, 'individual' | 'company' | null>;
  created_at: Date;
  /** Set while the account may not sign in (an administrator disabled it, or its role awaits a second administrator). */
  disabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  disabled_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The role, department, duties and applicant kind of an account, as a grant records them. */
export interface AssignmentJson {
  role: 'applicant' | 'official' | 'auditor' | 'admin' | 'expert';
  department: string | null;
  duties: string[];
  applicantKind: 'individual' | 'company' | null;
}

/**
 * What a grant approves: creation (the account was created with this role and stays disabled until
 * approved), change (a later change of role, duty or department), reset (a privileged account's
 * password reset: its one-time code works only once approved), enable (a privileged account enabled
 * again: it stays disabled until approved).
 */
export type GrantKind = 'creation' | 'change' | 'reset' | 'enable';

/** A grant that takes a second administrator: pending until another administrator approves or refuses it. */
export interface AccountGrantsTable {
  grant_id: string;
  account_id: string;
  username: string;
  kind: GrantKind;
  before: JSONColumnType<AssignmentJson | null, string | null, string | null>;
  after: JSONColumnType<AssignmentJson, string, string>;
  /** Why it needs a second administrator, in words. */
  reasons: string[];
  status: 'pending' | 'approved' | 'refused';
  requested_by_account_id: string;
  requested_by_name: string;
  requested_at: Date;
  decided_by_account_id: ColumnType<string | null, string | null | undefined, string | null>;
  decided_by_name: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  refusal_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The one live one-time sign-in code of an account: its SHA-256 only, never the code. */
export interface AccountSignInCodesTable {
  account_id: string;
  code_hash: string;
  purpose: 'activation' | 'reset';
  issued_by_account_id: string;
  issued_at: Date;
  expires_at: Date;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  created_at: Date;
  expires_at: Date;
}
