import { expect } from 'vitest';
import { hashPassword } from '../../api/auth/passwords.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import type { ApiCaller, ApiHarness } from './api-harness.js';

/**
 * An administrator's change of an account's role, department or duties, approved by the second
 * demo administrator where it needs a second approval (a privileged role, a duty, a department).
 */
export async function assignWithApproval(harness: ApiHarness, username: string, assignment: object): Promise<void> {
  const requested = await (await harness.as('admin'))('PUT', `/api/admin/accounts/${username}`, assignment);
  expect(requested.statusCode, requested.body).toBe(200);
  const grant = requested.json().grant as { grantId: string } | null;
  if (!grant) return;
  const approved = await (await harness.as('second-admin'))('POST', `/api/admin/account-grants/${grant.grantId}/approve`, {});
  expect(approved.statusCode, approved.body).toBe(200);
}

/** An individual applicant of a test's own (the demo password, no profile data), signed in: one whose cases no other test touches. */
export async function individualApplicant(harness: ApiHarness, username: string, displayName: string): Promise<ApiCaller> {
  await harness.database.db
    .insertInto('accounts')
    .values({ account_id: username, username, display_name: displayName, role: 'applicant', department: null, applicant_kind: 'individual', profile: '{}', password_hash: await hashPassword(DEMO_PASSWORD), created_at: new Date() })
    .execute();
  return harness.as(username);
}
