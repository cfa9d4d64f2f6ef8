import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * 已获资助 (what the applicant holds across programmes) is read where it is weighed: by the officials of
 * a case that decides money, the applicant and the auditor. An outside tester's 人社 reviewer of a 职称
 * application — a service that pays nothing — read the applicant's 杨浦 and 黄浦 awards with their amounts.
 */

let harness: ApiHarness;

beforeAll(async () => {
  harness = await startApiHarness();
}, 180_000);
afterAll(() => harness?.close());

async function caseAs(caller: ApiCaller, caseId: string): Promise<Record<string, unknown>> {
  const response = await caller('GET', `/api/cases/${caseId}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('who reads 已获资助', () => {
  it('the officials of a case that decides money, the applicant and the auditor; not the officials of a service, nor another department reviewing a step', async () => {
    const [person, hrss, auditor, creator, fund, cac] = await Promise.all(['individual-creator', 'hrss-reviewer', 'auditor', 'creator', 'fund-reviewer', 'cac-reviewer'].map((u) => harness.as(u)));

    // 职称评审: a service of 人社, nothing paid.
    const title = await person!('POST', '/api/applications/hu9-professional-title', { title: '职称评审', summary: '申请艺术类职称', facts: { applicantKind: 'individual-creator', titleField: '艺术' } });
    expect(title.statusCode, title.body).toBe(201);
    const titleId = title.json<{ caseId: string }>().caseId;
    expect(await caseAs(person!, titleId)).toHaveProperty('applicantAwards');
    expect(await caseAs(auditor!, titleId)).toHaveProperty('applicantAwards');
    expect(await caseAs(hrss!, titleId)).not.toHaveProperty('applicantAwards');
    // Nor in the answer to an action the official takes on it.
    const accepted = await hrss!('POST', `/api/cases/${titleId}/accept-materials`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().case).not.toHaveProperty('applicantAwards');

    // A 雏鹰 loan: the fund weighs it; 网信, reviewing the content at its step, does not.
    const loan = await creator!('POST', '/api/cases/chuying-loan', validApplication());
    expect(loan.statusCode, loan.body).toBe(201);
    const loanId = loan.json<{ caseId: string }>().caseId;
    expect((await fund!('POST', `/api/cases/${loanId}/accept-materials`, {})).statusCode).toBe(200);
    expect(await caseAs(fund!, loanId)).toHaveProperty('applicantAwards');
    expect(await caseAs(cac!, loanId)).not.toHaveProperty('applicantAwards');
  });
});
