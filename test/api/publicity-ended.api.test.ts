/**
 * An objection lodged after the 公示 ended, over the public route: refused (409) with the day the
 * 公示 ended, whether the award waits for the answer to an earlier objection or, with none, has
 * already become final (before, the latter was answered 404 “找不到这项正在公示的资助”, as if there
 * had never been one). One lodged at 23:59 of the last day (Asia/Shanghai) is taken. The API's
 * clock follows the time-skipping server's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { endOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';

let harness: ApiHarness;
/** How far the time-skipping server has been moved on: the API's clock moves with it. */
let skipped = 0;

beforeAll(async () => {
  harness = await startApiHarness({ clock: () => new Date(Date.now() + skipped) });
});

afterAll(async () => {
  await harness?.close();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

async function skipTo(instant: number): Promise<void> {
  const now = await harness.env.currentTimeMs();
  if (instant > now) {
    await harness.env.sleep(instant - now);
    skipped += instant - now;
  }
}

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: unknown, status = 200) {
  const response = await caller(method, url, body);
  expect(response.statusCode, response.body).toBe(status);
  return response.json<Record<string, unknown>>();
}

async function addCompanyApplicant(accountId: string, username: string, displayName: string): Promise<void> {
  await harness.database.db
    .insertInto('accounts')
    .values({ account_id: accountId, username, display_name: displayName, role: 'applicant', department: null, applicant_kind: 'company', profile: '{}', password_hash: await hashPassword(DEMO_PASSWORD), created_at: new Date() })
    .execute();
}

async function awardOnNotice(applicant: string): Promise<string> {
  const reviewer = await harness.as('huangpu-reviewer');
  const opened = await ok(await harness.as(applicant), 'POST', '/api/applications/huangpu-platform-subsidy', { title: '平台集聚补贴', summary: '集聚创作者 300 名', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 50_000_000 } }, 201);
  const caseId = opened.caseId as string;
  await ok(reviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
  const inReview = await ok(reviewer, 'GET', `/api/cases/${caseId}`);
  if (inReview.status === 'compliance-review') await ok(await harness.as('cac-reviewer'), 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
  await ok(reviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 85 });
  await verifyClaims(reviewer, caseId);
  const approved = await ok(await harness.as('huangpu-approver'), 'POST', `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 50_000_000 });
  expect(approved.case).toMatchObject({ status: 'publicity' });
  return caseId;
}

const object = (caseId: string, remoteAddress: string) =>
  harness.app.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '集聚人数与实际不符' }, remoteAddress });

describe('an objection after the 公示 ended', () => {
  it('is taken at 23:59 of the last day; after 24:00 (Shanghai) it is refused naming the day, also for an award already final', async () => {
    const reviewer = await harness.as('huangpu-reviewer');
    const now = Date.now();
    const call = await ok(reviewer, 'POST', '/api/cases/call', { programmeId: 'huangpu-platform-subsidy', title: '2026 年黄浦平台集聚补贴', opensAt: shanghai(now - DAY), closesAt: shanghai(now + 30 * DAY), budgetFen: 500_000_000, mode: 'first-come' }, 201);
    await ok(await harness.as('huangpu-approver'), 'POST', `/api/cases/${call.caseId as string}/approve-budget`, {});
    await addCompanyApplicant('ended-objected', 'ended-objected', '第五家传媒公司');
    await addCompanyApplicant('ended-quiet', 'ended-quiet', '第六家传媒公司');
    const objected = await awardOnNotice('ended-objected');
    const quiet = await awardOnNotice('ended-quiet');

    const entries = (await harness.app.inject({ method: 'GET', url: '/api/publicity' })).json<{ entries: { caseId: string; lastWorkingDay: string }[] }>().entries;
    const lastDay = entries.find((e) => e.caseId === objected)!.lastWorkingDay as LocalDate;
    expect(entries.find((e) => e.caseId === quiet)!.lastWorkingDay).toBe(lastDay);
    const end = endOfShanghaiDay(lastDay);

    // 23:59 Shanghai on the last day: taken.
    await skipTo(end - MINUTE);
    const inTime = await object(objected, '203.0.113.21');
    expect(inTime.statusCode, inTime.body).toBe(201);

    // 00:30 Shanghai the day after — still the last day in UTC: refused, naming the day it ended.
    await skipTo(end + 30 * MINUTE);
    const told = `公示期已于 ${lastDay} 24:00 结束，不再受理异议。`;
    const late = await object(objected, '203.0.113.22');
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json()).toMatchObject({ code: 'objection-closed', message: told });
    // The award with no objection becomes final at the end: an objection to it is refused the same way, not answered as missing.
    await expect.poll(async () => (await harness.app.inject({ method: 'GET', url: '/api/publicity' })).json<{ entries: { caseId: string }[] }>().entries.some((e) => e.caseId === quiet), { timeout: 15_000 }).toBe(false);
    const afterFinal = await object(quiet, '203.0.113.23');
    expect(afterFinal.statusCode, afterFinal.body).toBe(409);
    expect(afterFinal.json()).toEqual(late.json());
  }, 180_000);
});
