import { expect } from 'vitest';
import type { ApiHarness } from './api-harness.js';

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
