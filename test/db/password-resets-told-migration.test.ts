import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as passwordResetsTold from '../../db/migrations/2026-12-07T15-10_password-resets-told.js';
import { accountStreamVersion, recordAccountChange } from '../../db/accounts/account-stream.js';
import { seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccounts(database.db, new Date('2026-12-01T01:00:00Z'));
});
afterAll(() => database?.drop());

const admin = { accountId: 'demo-admin', displayName: '系统管理员' };

describe('migration 2026-12-07T15-10: the resets recorded before, told to their holders', () => {
  it('writes each reset’s notice exactly as the account projection does, and no other', async () => {
    const { db, ownerDb } = database;
    for (const username of ['creator', 'individual-creator']) {
      await recordAccountChange(
        db,
        { username, expectedVersion: await accountStreamVersion(db, username), events: [{ type: 'PasswordResetIssued', data: { by: admin } }], actor: { accountId: 'demo-admin', displayName: '系统管理员', role: 'admin' } as never },
        () => new Date('2026-12-07T07:05:00Z'),
      );
    }
    const rows = () => db.selectFrom('notices').selectAll().where('kind', '=', 'account-security').orderBy('recipient_account_id').execute();
    const projected = await rows();
    expect(projected.map((r) => [r.recipient_account_id, r.title])).toEqual([
      ['demo-applicant', '您的账户密码已被重置'],
      ['demo-individual-creator', '您的账户密码已被重置'],
    ]);
    expect(projected[0]!.body).toContain('管理员（系统管理员）于2026年12月7日 15:05重置了您的账户（creator）的密码');

    // As a store from before the change: the resets recorded, no notice of them. The migration writes them back exactly.
    await passwordResetsTold.down(ownerDb);
    expect(await rows()).toEqual([]);
    await passwordResetsTold.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
