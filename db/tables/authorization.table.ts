import type { Generated } from 'kysely';

/** An encrypted 身份证号 or phone number (AES-256-GCM); see db/personal-data-vault.ts. */
/** An objector's contact (公示 异议), encrypted; found by the reference its objection's event keeps. */
export interface ObjectionContactsTable {
  contact_ref: string;
  key_id: string;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  created_at: Generated<Date>;
}

export interface PersonalDataTable {
  personal_data_id: string;
  subject_account_id: string;
  /** Null: the account's profile; else the case it was given for. */
  case_id: string | null;
  kind: 'id-number' | 'phone';
  /** Which key encrypted it: the first 16 hex digits of SHA-256 over the key. */
  key_id: string;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  created_at: Date;
}

/**
 * Sign-in attempts in the current window, per bucket (see api/auth/login-throttle.ts): per username
 * from browsers without its device cookie ('username'), per device cookie ('device'), failures per
 * client address ('address') and per address and username ('address-username').
 */
export interface LoginThrottleTable {
  scope: 'username' | 'device' | 'address' | 'address-username';
  key: string;
  /** Failures counted in the window (for 'address' rows of the public routes' budgets, requests). */
  failures: number;
  /** 'username' and 'device': attempts whose password is being checked; failures + in_flight never pass the limit. */
  in_flight: Generated<number>;
  /** When the latest attempt in flight took its place: places a minute older than it are a stopped process's (IN_FLIGHT_EXPIRY_MS). Null on rows from before. */
  in_flight_since: Generated<Date | null>;
  window_started_at: Date;
  locked_until: Date | null;
  /** 'device': the username the browser's cookie entry is for (a new password lifts its lock); null on every other row and on rows from before. */
  username: Generated<string | null>;
}

/** Keys the API makes for itself on first use and keeps here so that every API process shares them. */
export interface SignInKeysTable {
  purpose: 'device-cookie';
  secret: Buffer;
  created_at: Date;
}

/** The first answer to an (account, Idempotency-Key); status_code is null while the request runs. */
export interface IdempotencyKeysTable {
  account_id: string;
  idempotency_key: string;
  request_hash: string;
  route: string;
  status_code: number | null;
  response: unknown;
  created_at: Date;
  completed_at: Date | null;
}
