import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { newSignInCode, type IssuedSignInCode } from '../../api/auth/sign-in-codes.js';
import type { Db } from '../client.js';
import type { Database } from '../database.js';
import { streamVersion } from '../decision-append.js';
import { appendToStream, type AppendResult, type EventMetadata } from '../event-store.js';
import { ACCOUNT_STREAM, accountStreamId, projectAccount, type AccountEvent, type AccountEventBy } from '../projections/account.projection.js';
import type { AssignmentJson } from '../tables/accounts.table.js';
import { companyNameKey, type ApplicantCompany, type CompanyNameHolder } from '../../domain/accounts/applicant-company.js';

export interface AccountChange {
  username: string;
  /** The stream's version the change was decided on (0 for a new account, or one from before account streams). */
  expectedVersion: number;
  events: readonly AccountEvent[];
  /** Who acted: the administrator, the account's holder (setting a password), or the system. */
  actor: EventMetadata['actor'];
  /** Given for a retry-safe append (the demo seed); otherwise random. */
  eventIds?: readonly string[];
  /** Secrets no event may carry (a password hash, a sign-in code's hash), written in the same transaction. */
  alsoWrite?: (trx: Transaction<Database>) => Promise<void>;
}

/**
 * Appends the events to account-<username> and applies them to the accounts read model (and
 * whatever `alsoWrite` adds) in one transaction: the row never changes without its event, nor
 * the event without the row. A stale `expectedVersion` is refused (409), so two administrators
 * acting on one account at once cannot both decide on the same state.
 */
export async function recordAccountChange(db: Db, change: AccountChange, now: () => Date): Promise<AppendResult> {
  const correlationId = randomUUID();
  return appendToStream(
    db,
    {
      streamId: accountStreamId(change.username),
      streamType: ACCOUNT_STREAM,
      expectedVersion: change.expectedVersion,
      events: change.events.map((event, i) => ({
        eventId: change.eventIds?.[i] ?? randomUUID(),
        type: event.type,
        data: event.data as unknown as Record<string, unknown>,
        metadata: { actor: change.actor, correlationId, causationId: correlationId },
      })),
    },
    {
      now,
      project: async (trx, _streamType, stored) => {
        await projectAccount(trx, stored);
        await change.alsoWrite?.(trx);
      },
    },
  );
}

/**
 * The account's row and the version of its stream, for a decision. The version is read first: a
 * change recorded in between shows in the row but fails the append (its expected version is stale).
 */
export async function accountWithVersion(db: Db, username: string) {
  const version = await accountStreamVersion(db, username);
  const row = await db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? { ...row, version } : undefined;
}

/** The version of account-<username>'s stream. */
export const accountStreamVersion = (db: Db, username: string): Promise<number> => streamVersion(db, accountStreamId(username));

export interface NewAccount {
  username: string;
  displayName: string;
  assignment: AssignmentJson;
  /** Who creates it: an administrator (the API) or the system (the deployment's bootstrap). */
  by: AccountEventBy;
  actor: EventMetadata['actor'];
  /** Set when the role waits for a second administrator: the account stays disabled until approved. */
  grant: { grantId: string; reasons: string[] } | null;
  /** A company applicant's organisation, as its business licence gives it (domain/accounts/applicant-company.ts). */
  company?: ApplicantCompany;
  /** A check in the creating transaction, after the account's row is written (a staff name held elsewhere refuses it). */
  alsoCheck?: (trx: Transaction<Database>) => Promise<void>;
}

/**
 * Creates an account with no password and a one-time activation code for its holder: AccountCreated
 * (and RoleGrantRequested when the role waits for a second administrator) and SignInCodeIssued on
 * account-<username>, the code's hash in the same transaction. The code itself is returned once and
 * stored nowhere. An administrator's POST /api/admin/accounts and the first administrators of a
 * deployment (db/bootstrap.ts) are both this.
 */
export async function createAccountWithSignInCode(db: Db, account: NewAccount, now: () => Date): Promise<{ accountId: string; issued: IssuedSignInCode }> {
  const issuedAt = now();
  const accountId = `acct-${account.username}`;
  const issued = newSignInCode(issuedAt);
  const { grant, by } = account;
  const events: AccountEvent[] = [
    {
      type: 'AccountCreated',
      data: { accountId, username: account.username, displayName: account.displayName, ...account.assignment, profile: account.company ? { company: account.company } : {}, by, awaitingGrantId: grant?.grantId ?? null },
    },
    ...(grant ? [{ type: 'RoleGrantRequested' as const, data: { grantId: grant.grantId, kind: 'creation' as const, from: null, to: account.assignment, reasons: grant.reasons, requestedBy: by } }] : []),
    { type: 'SignInCodeIssued', data: { purpose: 'activation', expiresAt: issued.expiresAt.toISOString(), by } },
  ];
  await recordAccountChange(
    db,
    {
      username: account.username,
      expectedVersion: await accountStreamVersion(db, account.username),
      events,
      actor: account.actor,
      alsoWrite: async (trx) => {
        await trx
          .insertInto('account_sign_in_codes')
          .values({ account_id: accountId, code_hash: issued.hash, purpose: 'activation', issued_by_account_id: by.accountId, issued_at: issuedAt, expires_at: issued.expiresAt })
          .execute();
        await account.alsoCheck?.(trx);
      },
    },
    now,
  );
  return { accountId, issued };
}

/** The unique index that holds one 统一社会信用代码 to one account (migration 2026-12-04T02-10). */
export const ACCOUNT_CREDIT_CODE_INDEX = 'accounts_company_credit_code_key';

/** The account a 统一社会信用代码 is registered to, if any. */
export async function accountHoldingCreditCode(db: Db, code: string): Promise<{ accountId: string; username: string; displayName: string } | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select(['account_id', 'username', 'display_name'])
    .where(sql`profile->'company'->>'unifiedSocialCreditCode'`, '=', code)
    .executeTakeFirst();
  return row ? { accountId: row.account_id, username: row.username, displayName: row.display_name } : undefined;
}

/**
 * The accounts the organisations named are registered to (`profile.company.name`), by the name's key
 * (companyNameKey: width, spaces and case aside); a name no account registers is absent.
 */
export async function accountsHoldingCompanyNames(db: Db, names: readonly string[]): Promise<Map<string, CompanyNameHolder>> {
  const wanted = new Set(names.map(companyNameKey));
  const holders = new Map<string, CompanyNameHolder>();
  if (wanted.size === 0) return holders;
  const rows = await db
    .selectFrom('accounts')
    .select(['account_id', 'display_name', sql<string>`profile->'company'->>'name'`.as('company')])
    .where(sql`coalesce(profile->'company'->>'name', '')`, '<>', '')
    .orderBy('created_at')
    .execute();
  for (const row of rows) {
    const key = companyNameKey(row.company);
    if (wanted.has(key) && !holders.has(key)) holders.set(key, { accountId: row.account_id, displayName: row.display_name, company: row.company });
  }
  return holders;
}
