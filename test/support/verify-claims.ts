import { expect } from 'vitest';
import type { ApiCaller } from './api-harness.js';

/**
 * Since issue 14 a money decision is refused while a fact the applicant claimed is unverified: tests
 * that walk an application to its decision have the department's reviewer verify every open claim
 * first (核验事实), as the official would against the documents.
 */
export async function verifyClaims(reviewer: ApiCaller, caseId: string, against = '核对申请材料原件'): Promise<void> {
  const view = await reviewer('GET', `/api/cases/${caseId}`);
  const checks = (view.json<{ factChecks?: { fact: string; status: string }[] }>().factChecks ?? []).filter((f) => f.status === 'claimed');
  if (checks.length === 0) return;
  const response = await reviewer('POST', `/api/cases/${caseId}/verify-facts`, { verifiedFacts: checks.map((f) => ({ fact: f.fact, against })) });
  expect(response.statusCode, `verify-facts: ${response.body}`).toBe(200);
}
