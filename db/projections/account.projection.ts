import { accountNoticesFor } from '../../domain/notices/account-notices.js';
import { noticeRow } from '../notices/notice-projection.js';
import { sql, type Transaction } from 'kysely';
import type { ApplicantCompany } from '../../domain/accounts/applicant-company.js';
import type { Database } from '../database.js';
import type { StoredEvent } from '../event-store.js';
import type { AssignmentJson, GrantKind } from '../tables/accounts.table.js';

/**
 * Every change to an account is an event on its own `account-<username>` stream, hash-chained like
 * a case's: who created it, who gave or took which role, who approved, who disabled it and why,
 * when a sign-in code went out and when its holder set a password. Never a secret: no code, no hash.
 */
export const ACCOUNT_STREAM = 'account';

export const accountStreamId = (username: string) => `account-${username}`;

/** Who did it: an administrator, the account's holder (PasswordSet), or the system (the demo seed). */
export interface AccountEventBy {
  accountId: string;
  displayName: string;
}

export interface AccountEventData {
  AccountCreated: AssignmentJson & {
    accountId: string;
    username: string;
    displayName: string;
    /** The applicant's organisation (company name, credit code, district); never personal data. */
    profile: Record<string, unknown>;
    by: AccountEventBy;
    /** Set when the role waits for a second administrator: the account cannot sign in until then. */
    awaitingGrantId: string | null;
  };
  DisplayNameChanged: { from: string; to: string; by: AccountEventBy };
  /** The company an applicant's account is registered for, recorded or corrected by an administrator. */
  ApplicantCompanyRecorded: { from: ApplicantCompany | null; to: ApplicantCompany; by: AccountEventBy };
  AccountRoleChanged: { from: AssignmentJson; to: AssignmentJson; by: AccountEventBy };
  RoleGrantRequested: { grantId: string; kind: GrantKind; from: AssignmentJson | null; to: AssignmentJson; reasons: string[]; requestedBy: AccountEventBy };
  RoleGrantApproved: { grantId: string; kind: GrantKind; from: AssignmentJson | null; to: AssignmentJson; requestedBy: AccountEventBy; approvedBy: AccountEventBy };
  RoleGrantRefused: { grantId: string; kind: GrantKind; to: AssignmentJson; requestedBy: AccountEventBy; refusedBy: AccountEventBy; reason: string };
  SignInCodeIssued: { purpose: 'activation' | 'reset'; expiresAt: string; by: AccountEventBy };
  PasswordSet: { by: AccountEventBy; method: 'sign-in-code' | 'demo-seed' };
  PasswordResetIssued: { by: AccountEventBy };
  AccountDisabled: { reason: string; by: AccountEventBy };
  AccountEnabled: { by: AccountEventBy };
}

export type AccountEventType = keyof AccountEventData;
export type AccountEvent = { [T in AccountEventType]: { type: T; data: AccountEventData[T] } }[AccountEventType];

/** Why an account whose role awaits approval cannot sign in (shown to administrators). */
export const AWAITING_APPROVAL = '等待第二位管理员批准授权';

/**
 * The row's columns of an assignment. An account that is no longer a company applicant's loses its
 * registered company with the kind: the code is freed for the company's own account (an outside
 * tester made a company account an individual's, then an official's, and the code stayed held).
 */
const assignmentColumns = (a: AssignmentJson) => ({
  role: a.role,
  department: a.department,
  duties: a.duties,
  applicant_kind: a.applicantKind,
  ...(a.role === 'applicant' && a.applicantKind === 'company' ? {} : { profile: sql<string>`profile - 'company'` }),
});

/**
 * The account's row, its grants and its sessions, in the appending transaction. Not one of the
 * projections of db/projections/index.ts: the accounts table also holds what no event may carry
 * (password hashes) and accounts from before these streams, so the auditors' rebuild could never
 * reproduce it; the events are checked by the hash chain and the store verification instead.
 */
export async function projectAccount(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as AccountEvent;
    const username = stored.streamId.slice('account-'.length);
    const account = () => trx.updateTable('accounts').where('username', '=', username);
    const revokeSessions = () => trx.deleteFrom('sessions').where('account_id', 'in', trx.selectFrom('accounts').select('account_id').where('username', '=', username)).execute();
    switch (event.type) {
      case 'AccountCreated': {
        const d = event.data;
        await trx
          .insertInto('accounts')
          .values({
            account_id: d.accountId,
            username: d.username,
            display_name: d.displayName,
            ...assignmentColumns(d),
            profile: JSON.stringify(d.profile),
            password_hash: null,
            created_at: stored.recordedAt,
            disabled_at: d.awaitingGrantId ? stored.recordedAt : null,
            disabled_reason: d.awaitingGrantId ? AWAITING_APPROVAL : null,
          })
          .execute();
        break;
      }
      case 'DisplayNameChanged':
        await account().set({ display_name: event.data.to }).execute();
        break;
      case 'ApplicantCompanyRecorded':
        await account()
          .set({ profile: sql`jsonb_set(profile, '{company}', ${JSON.stringify(event.data.to)}::jsonb)` })
          .execute();
        break;
      case 'AccountRoleChanged':
        await account().set(assignmentColumns(event.data.to)).execute();
        break;
      case 'RoleGrantRequested': {
        const d = event.data;
        const row = await trx.selectFrom('accounts').select('account_id').where('username', '=', username).executeTakeFirstOrThrow();
        await trx
          .insertInto('account_grants')
          .values({
            grant_id: d.grantId,
            account_id: row.account_id,
            username,
            kind: d.kind,
            before: d.from ? JSON.stringify(d.from) : null,
            after: JSON.stringify(d.to),
            reasons: d.reasons,
            status: 'pending',
            requested_by_account_id: d.requestedBy.accountId,
            requested_by_name: d.requestedBy.displayName,
            requested_at: stored.recordedAt,
          })
          .execute();
        break;
      }
      case 'RoleGrantApproved': {
        const d = event.data;
        await trx
          .updateTable('account_grants')
          .set({ status: 'approved', decided_by_account_id: d.approvedBy.accountId, decided_by_name: d.approvedBy.displayName, decided_at: stored.recordedAt })
          .where('grant_id', '=', d.grantId)
          .execute();
        await account()
          .set({ ...assignmentColumns(d.to), ...(d.kind === 'creation' ? { disabled_at: null, disabled_reason: null } : {}) })
          .execute();
        break;
      }
      case 'RoleGrantRefused': {
        const d = event.data;
        await trx
          .updateTable('account_grants')
          .set({ status: 'refused', decided_by_account_id: d.refusedBy.accountId, decided_by_name: d.refusedBy.displayName, decided_at: stored.recordedAt, refusal_reason: d.reason })
          .where('grant_id', '=', d.grantId)
          .execute();
        // A refused creation leaves the account unable to sign in, and says why.
        if (d.kind === 'creation') await account().set({ disabled_reason: `授权未获批准：${d.reason}` }).execute();
        break;
      }
      case 'AccountDisabled':
        await account().set({ disabled_at: stored.recordedAt, disabled_reason: event.data.reason }).execute();
        await revokeSessions();
        break;
      case 'AccountEnabled':
        await account().set({ disabled_at: null, disabled_reason: null }).execute();
        break;
      case 'PasswordResetIssued':
        // The old password stops working at once, and so does every session signed in with it.
        await account().set({ password_hash: null }).execute();
        await revokeSessions();
        // And its holder is told (their inbox, and their email through the outbox).
        await projectAccountNotices(trx, [stored]);
        break;
      case 'PasswordSet':
        // A new password ends the sessions of the old one (the hash itself is written by the caller, in this transaction).
        await revokeSessions();
        break;
      case 'SignInCodeIssued':
        // The code's hash is written by the caller, in this transaction; the event records only its expiry.
        break;
      default: {
        const unknown: never = event;
        throw new Error(`no projection for account event ${(unknown as { type: string }).type}`);
      }
    }
  }
}

/**
 * The notices an account's events give its holder (domain/notices/account-notices.ts), into the
 * notices read model in the appending transaction. The holder is the account as the `accounts` table
 * on the search path has it: the rebuilt one in a whole rebuild, the live one where a rebuild of chosen
 * tables leaves the accounts alone (audit/read-model-drift.ts).
 */
export async function projectAccountNotices(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
  for (const stored of events) {
    const username = stored.streamId.slice('account-'.length);
    const holder = await trx.selectFrom('accounts').select('account_id').where('username', '=', username).executeTakeFirst();
    if (!holder) continue;
    const notices = accountNoticesFor({ eventId: stored.eventId, type: stored.type, data: stored.data, recordedAt: stored.recordedAt.toISOString() }, { accountId: holder.account_id, username });
    if (notices.length === 0) continue;
    await trx
      .insertInto('notices')
      .values(notices.map(noticeRow))
      .onConflict((c) => c.column('notice_id').doNothing())
      .execute();
  }
}
