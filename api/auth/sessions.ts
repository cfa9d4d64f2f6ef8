import { createHash, randomBytes } from 'node:crypto';
import { OFFICIAL_DUTIES, specialDutyOf, type Actor, type Department, type OfficialDuty } from '../../domain/cases/actor.js';
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { verifyPassword } from './passwords.js';

export interface Account extends Actor {
  username: string;
  role: 'applicant' | 'official' | 'auditor' | 'admin' | 'expert';
  /** An official's duties in their department; empty for everyone else. */
  duties: OfficialDuty[];
  /** An applicant applies as an individual creator or a company. */
  applicantKind: 'individual' | 'company' | null;
  profile: Record<string, unknown>;
}

export const SESSION_HOURS = 12;

// Only a hash of the token is stored: a copy of the sessions table signs nobody in.
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The actor a workflow records: who, in which role and department, with the special duty the deciders read. */
export function actorOf(account: Account): Actor {
  const { accountId, displayName, role, department, duty } = account;
  return { accountId, displayName, role, ...(department ? { department } : {}), ...(duty ? { duty } : {}) };
}

/** A password check that costs the same whether or not the account exists. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * A session for the right password. A disabled account, one whose role awaits a second
 * administrator, and one with no password yet (never activated, or reset) answer exactly as a
 * wrong password does, after the same work: nothing tells an account's state to whoever guesses.
 */
export async function login(db: Db, username: string, password: string, now: Date): Promise<{ token: string; expiresAt: Date; account: Account } | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
  const valid = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !valid || row.password_hash === null || row.disabled_at !== null) return undefined;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  // Only while the password checked is still the account's and it is still enabled: a reset or a
  // disabling that lands during the (slow) check must not be outlived by the session it revoked.
  const inserted = await db
    .insertInto('sessions')
    .columns(['token_hash', 'account_id', 'created_at', 'expires_at'])
    .expression((eb) =>
      eb
        .selectFrom('accounts')
        .select([sql<string>`${tokenHash(token)}::text`.as('token_hash'), 'account_id', sql<Date>`${now}::timestamptz`.as('created_at'), sql<Date>`${expiresAt}::timestamptz`.as('expires_at')])
        .where('account_id', '=', row.account_id)
        .where('password_hash', '=', row.password_hash)
        .where('disabled_at', 'is', null),
    )
    .executeTakeFirst();
  if (!inserted.numInsertedOrUpdatedRows) return undefined;
  return { token, expiresAt, account: toAccount(row) };
}

/**
 * The signed-in account a token names. Where the request's session was already read with another
 * statement (a case page reads it beside the case: api/authorization/case-access.ts), that answer.
 */
export async function accountForToken(db: Db, token: string, now: Date, request?: object): Promise<Account | undefined> {
  const ahead = request ? sessionsReadAhead.get(request) : undefined;
  if (ahead && ahead.token === token) return ahead.account;
  return (await sessionForToken(db, token, now))?.account;
}

/** Session look-ups made inside another statement, by request, with the token each was made for. */
const sessionsReadAhead = new WeakMap<object, { token: string; account: Promise<Account | undefined> }>();

/** Records that `account` answers `token` for this request (it was read with the same rules as sessionForToken). */
export function sessionReadAhead(request: object, token: string, account: Promise<Account | undefined>): void {
  // A failed read surfaces where the authentication awaits it, not as an unhandled rejection.
  account.catch(() => undefined);
  sessionsReadAhead.set(request, { token, account });
}

/** The columns toAccount reads, as JSON. */
export type SessionAccountJson = Parameters<typeof toAccount>[0];

/**
 * sessionForToken's look-up as a scalar subquery: the account of a live session (unexpired, account
 * enabled) as JSON, or NULL, so that another statement can carry it. Only the columns an Account
 * has travel; never the password hash.
 */
export function sessionAccountSubquery(token: string, now: Date) {
  return sql<SessionAccountJson | null>`(SELECT jsonb_build_object('account_id', a.account_id, 'username', a.username, 'display_name', a.display_name, 'role', a.role,
      'department', a.department, 'duties', a.duties, 'applicant_kind', a.applicant_kind, 'profile', a.profile)
    FROM sessions s JOIN accounts a ON a.account_id = s.account_id
    WHERE s.token_hash = ${tokenHash(token)} AND s.expires_at > ${now} AND a.disabled_at IS NULL)`;
}

export function accountOfSessionJson(json: SessionAccountJson | null): Account | undefined {
  return json ? toAccount(json) : undefined;
}

/** The live session a token names: its account and when it ends; undefined once ended, expired or its account disabled. */
export async function sessionForToken(db: Db, token: string, now: Date): Promise<{ account: Account; expiresAt: Date } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.account_id', 'sessions.account_id')
    .selectAll('accounts')
    .select('sessions.expires_at')
    .where('sessions.token_hash', '=', tokenHash(token))
    .where('sessions.expires_at', '>', now)
    // Disabling revokes the sessions too; this holds even for one that slipped in meanwhile.
    .where('accounts.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { account: toAccount(row), expiresAt: row.expires_at } : undefined;
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}

function toAccount(row: {
  account_id: string;
  username: string;
  display_name: string;
  role: Account['role'];
  department: string | null;
  duties: string[];
  applicant_kind: 'individual' | 'company' | null;
  profile: Record<string, unknown>;
}): Account {
  const duties = row.role === 'official' ? row.duties.filter((d): d is OfficialDuty => (OFFICIAL_DUTIES as readonly string[]).includes(d)) : [];
  const duty = specialDutyOf(duties);
  return {
    accountId: row.account_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    ...(row.department ? { department: row.department as Department } : {}),
    ...(duty ? { duty } : {}),
    duties,
    applicantKind: row.role === 'applicant' ? row.applicant_kind : null,
    profile: row.profile,
  };
}
