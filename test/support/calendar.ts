import { expect } from 'vitest';
import type { ApiHarness } from './api-harness.js';

/** The notice a test's made-up arrangement names as its source (a proposal must cite one). */
export const TEST_NOTICE = '测试用通知（非官方）';

/**
 * A year's arrangement put in force the only way it is: one administrator (`admin`) proposes it and a
 * different one (`second-admin`) approves it. Answers the approval (the year as loaded, and the recount).
 */
export async function loadCalendarYear(harness: ApiHarness, year: number, body: { holidays: string[]; makeUpWorkdays: string[]; note?: string; source?: string; expectedRevision?: number }) {
  const proposed = await (await harness.as('admin'))('PUT', `/api/calendar/${year}`, { source: TEST_NOTICE, ...body });
  expect(proposed.statusCode, proposed.body).toBe(202);
  const { proposalId } = proposed.json().proposal as { proposalId: string };
  return (await harness.as('second-admin'))('POST', `/api/calendar/${year}/proposals/${proposalId}/approve`, {});
}
