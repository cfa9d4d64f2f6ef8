import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oneAccountPerCreditCode from '../../db/migrations/2026-12-04T02-10_one-account-per-credit-code.js';
import { freshCreditCode } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const account = (username: string, code: string) => ({
  account_id: `acct-${username}`,
  username,
  display_name: username,
  role: 'applicant' as const,
  department: null,
  applicant_kind: 'company' as const,
  profile: JSON.stringify({ company: { name: username, unifiedSocialCreditCode: code } }),
  created_at: new Date(),
});

describe('migration 2026-12-04T02-10: one credit code, one account', () => {
  it('holds a code to one account, and names the accounts that share one instead of failing unexplained', async () => {
    const { ownerDb } = database;
    const code = freshCreditCode();
    await ownerDb.insertInto('accounts').values(account('first-studio', code)).execute();
    await expect(ownerDb.insertInto('accounts').values(account('second-studio', code)).execute()).rejects.toMatchObject({ code: '23505', constraint: 'accounts_company_credit_code_key' });

    // Accounts recorded with one code before the index: the migration names them.
    await oneAccountPerCreditCode.down(ownerDb);
    await ownerDb.insertInto('accounts').values(account('second-studio', code)).execute();
    await expect(oneAccountPerCreditCode.up(ownerDb)).rejects.toThrow(`${code} (first-studio, second-studio)`);
    await sql`DELETE FROM accounts WHERE username = 'second-studio'`.execute(ownerDb);
    await oneAccountPerCreditCode.up(ownerDb);
    // Accounts with no company are not held to anything.
    await ownerDb.insertInto('accounts').values({ ...account('plain-one', code), profile: '{}' }).execute();
    await ownerDb.insertInto('accounts').values({ ...account('plain-two', code), profile: '{}' }).execute();
  });
});
