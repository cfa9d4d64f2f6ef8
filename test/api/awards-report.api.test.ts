import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';

/**
 * An outside tester ran a year of programmes as the office: 数据看板 counted cases only, and nothing
 * said what was awarded, paid or still to pay by measure, nor could any page export it.
 */

let harness: ApiHarness;
let creator: ApiCaller, fundReviewer: ApiCaller, fundApprover: ApiCaller, cacReviewer: ApiCaller, yangpuReviewer: ApiCaller, yangpuApprover: ApiCaller, auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  const callers = await Promise.all(['creator', 'fund-reviewer', 'fund-approver', 'cac-reviewer', 'yangpu-reviewer', 'yangpu-approver', 'auditor'].map((username) => harness.as(username)));
  [creator, fundReviewer, fundApprover, cacReviewer, yangpuReviewer, yangpuApprover, auditor] = callers as [ApiCaller, ApiCaller, ApiCaller, ApiCaller, ApiCaller, ApiCaller, ApiCaller];
}, 180_000);
afterAll(() => harness?.close());

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: object) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json();
}

/** A 雏鹰 loan approved for `approvedAmountFen`, and disbursed when asked. */
async function loan(approvedAmountFen: number, disburse: boolean): Promise<string> {
  const caseId = (await ok(creator, 'POST', '/api/cases/chuying-loan', validApplication())).caseId as string;
  await ok(fundReviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
  await ok(cacReviewer, 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '内容积极健康' });
  await ok(fundApprover, 'POST', `/api/cases/${caseId}/approve-funding`, { approvedAmountFen, notes: '核减' });
  if (disburse) {
    const today = shanghaiDateOf(new Date(await harness.env.currentTimeMs()));
    await ok(fundReviewer, 'POST', `/api/cases/${caseId}/record-disbursement`, { disbursedOn: today, bankReference: `BOC-${caseId.slice(0, 8)}` });
  }
  return caseId;
}

type Money = { awards: number; awardedFen: number; paidFen: number; toPayFen: number; recoveredFen: number; writtenOffFen: number };
type Report = { asOf: string; years: string[]; byProgramme: (Money & { programme: string; name: string; departmentName: string | null })[]; totals: Money };

describe('奖补资金: the awards ledger by measure, for the office and the auditor', () => {
  it('says what each measure awarded, paid out and has still to pay, each department its own, the auditor all; by year, and as a spreadsheet', async () => {
    await loan(36_000_000, true);
    await loan(40_000_000, false);
    // 杨浦人才租房补贴: 36 months of min(9,500.00, 8,000.00), paid as each month falls due.
    const tenant = await harness.as('individual-creator');
    const subsidy = (await ok(tenant, 'POST', '/api/applications/yangpu-talent-rent', { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } })).caseId as string;
    await ok(yangpuReviewer, 'POST', `/api/cases/${subsidy}/accept-materials`, {});
    await ok(yangpuReviewer, 'POST', `/api/cases/${subsidy}/score-application`, { score: 80 });
    await verifyClaims(yangpuReviewer, subsidy);
    await ok(yangpuApprover, 'POST', `/api/cases/${subsidy}/approve-application`, {});

    const loans = { programme: 'chuying-loan', name: '雏鹰计划（V聚场基金）', departmentName: '杨浦区 V聚场基金', awards: 2, awardedFen: 76_000_000, paidFen: 36_000_000, toPayFen: 40_000_000, recoveredFen: 0, writtenOffFen: 0 };
    const rent = { programme: 'yangpu-talent-rent', departmentName: '杨浦区投促办', awards: 1, awardedFen: 28_800_000, paidFen: 0, toPayFen: 28_800_000, recoveredFen: 0, writtenOffFen: 0 };
    const fund: Report = await ok(fundReviewer, 'GET', '/api/dashboard/awards');
    expect(fund.byProgramme).toEqual([expect.objectContaining({ ...loans, name: expect.any(String) })]);
    expect(fund.totals).toEqual({ awards: 2, awardedFen: 76_000_000, paidFen: 36_000_000, toPayFen: 40_000_000, recoveredFen: 0, writtenOffFen: 0 });
    // 网信 reviews the loans' content, not their money: it sees no loan's figures.
    expect((await ok(cacReviewer, 'GET', '/api/dashboard/awards')).byProgramme).toEqual([]);
    const yangpu: Report = await ok(yangpuReviewer, 'GET', '/api/dashboard/awards');
    expect(yangpu.byProgramme).toEqual([expect.objectContaining(rent)]);

    const all: Report = await ok(auditor, 'GET', '/api/dashboard/awards');
    expect(all.byProgramme.map((p) => p.programme)).toEqual(['chuying-loan', 'yangpu-talent-rent']);
    expect(all.totals).toEqual({ awards: 3, awardedFen: 104_800_000, paidFen: 36_000_000, toPayFen: 68_800_000, recoveredFen: 0, writtenOffFen: 0 });
    const year = all.asOf.slice(0, 4);
    expect(all.years).toEqual([year]);
    expect((await ok(auditor, 'GET', `/api/dashboard/awards?year=${year}`)).totals).toEqual(all.totals);
    expect((await ok(auditor, 'GET', '/api/dashboard/awards?year=2001')).byProgramme).toEqual([]);
    expect((await ok(auditor, 'GET', '/api/dashboard/awards?programme=yangpu-talent-rent')).totals).toMatchObject({ awards: 1, awardedFen: 28_800_000 });

    const csv = await auditor('GET', `/api/dashboard/awards.csv?year=${year}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toContain(encodeURIComponent(`奖补资金-${year}年`));
    expect(csv.body.split('\r\n')).toEqual([
      '\uFEFF政策事项,政策编号,主管部门,奖补笔数,核定金额（元）,已发放（元）,待发放（元）,已追回（元）,已核销（元）',
      `${all.byProgramme[0]!.name},chuying-loan,杨浦区 V聚场基金,2,760000.00,360000.00,400000.00,0.00,0.00`,
      `${all.byProgramme[1]!.name},yangpu-talent-rent,杨浦区投促办,1,288000.00,0.00,288000.00,0.00,0.00`,
      '合计,,,3,1048000.00,360000.00,688000.00,0.00,0.00',
      '',
    ]);
  });

  it('is the office’s and the auditor’s: an applicant is refused, and a bad year is told in Chinese', async () => {
    for (const url of ['/api/dashboard/awards', '/api/dashboard/awards.csv']) {
      const refused = await creator('GET', url);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message).toContain('只有工作人员、审计人员可以查看此项');
    }
    const badYear = await auditor('GET', '/api/dashboard/awards?year=26');
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().message).toContain('年份为 4 位数字');
  });
});
