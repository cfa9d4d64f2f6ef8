import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonthsClamped, chineseDate, startOfShanghaiDay, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { freshCreditCode } from '../support/actors.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { eachCaseAgainstItsRows } from '../audit/support.js';
import { verifyClaims } from '../support/verify-claims.js';
import { sleepUntil } from '../support/workflow-updates.js';

let harness: ApiHarness;
let tenant: ApiCaller;
let otherCreator: ApiCaller;
let yangpuReviewer: ApiCaller;
let yangpuApprover: ApiCaller;
let yangpuDirector: ApiCaller;
let huangpuReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  const as = (username: string) => harness.as(username);
  tenant = await as('individual-creator');
  otherCreator = await as('other-creator');
  yangpuReviewer = await as('yangpu-reviewer');
  yangpuApprover = await as('yangpu-approver');
  yangpuDirector = await as('yangpu-director');
  huangpuReviewer = await as('huangpu-reviewer');
  auditor = await as('auditor');
});
afterAll(() => harness?.close());

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: object) {
  const response = await caller(method, url, body);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json();
}

/**
 * Since issue 14 a carrier tenancy (V聚场 included) is the register's answer, not the applicant's: a
 * company of its own, entered by 杨浦区投促办 in the 载体入驻企业名录, whose 统一社会信用代码 the application gives.
 */
async function registeredTenant(): Promise<string> {
  const code = freshCreditCode();
  const response = await yangpuReviewer('POST', '/api/registers/carrier-tenants/entries', { subject: code, name: '上海星河文化传媒有限公司', detail: { carrier: 'V聚场' }, from: '2026-01-01', reason: '入驻协议已签订' });
  expect(response.statusCode, response.body).toBe(201);
  return code;
}

/** A 杨浦 rent subsidy paid three months, then stopped by a move two months in: one month paid too much. */
async function overpaidRentSubsidy() {
  const opened = await ok(tenant, 'POST', '/api/applications/yangpu-talent-rent', { title: '人才租房补贴', summary: '在杨浦租房', facts: { applicantKind: 'individual-creator', monthlyRentFen: 950_000 } });
  const caseId = opened.caseId as string;
  await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
  await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 80 });
  await verifyClaims(yangpuReviewer, caseId);
  const approved = (await ok(yangpuApprover, 'POST', `/api/cases/${caseId}/approve-application`, {})).case;
  const awardedOn = approved.award.awardedOn as LocalDate;
  await sleepUntil(harness.env, startOfShanghaiDay(addMonthsClamped(awardedOn, 3)) + 12 * 3600_000);
  // The three months fell due; the department recorded each payment (登记拨付) as the money left.
  for (let n = 1; n <= 3; n++) {
    await ok(yangpuReviewer, 'POST', `/api/cases/${caseId}/record-payout`, { paidOn: addMonthsClamped(awardedOn, n), bankReference: `YP-${caseId.slice(0, 8)}-${n}`, amountFen: 800_000 });
  }
  await ok(tenant, 'POST', `/api/cases/${caseId}/report-left-yangpu`, { leftOn: addMonthsClamped(awardedOn, 2), note: '迁往浦东' });
  return caseId;
}

describe('追回: recovery of public money, opened against a case with a recoverable amount', () => {
  it('is offered on the overpaid case, opened by its department, objected to, answered, paid in part once, written off by the director; the ledger shows it', async () => {
    const sourceId = await overpaidRentSubsidy();
    const source = await ok(yangpuReviewer, 'GET', `/api/cases/${sourceId}`);
    expect(source.availableOpenings).toEqual([
      expect.objectContaining({ caseType: 'recovery', label: '立案追回', prefill: { sourceCaseId: sourceId, amountFen: 800_000 } }),
    ]);
    // The applicant is not offered to open a recovery against themself.
    expect((await ok(tenant, 'GET', `/api/cases/${sourceId}`)).availableOpenings ?? []).toEqual([]);

    // Only officials of the awarding department open it; another department's official does not see the case.
    expect((await huangpuReviewer('POST', '/api/cases/recovery', { sourceCaseId: sourceId, reason: '多发一个月' })).statusCode).toBe(404);
    expect((await tenant('POST', '/api/cases/recovery', { sourceCaseId: sourceId, reason: '多发一个月' })).statusCode).toBe(403);
    const tooMuch = await yangpuReviewer('POST', '/api/cases/recovery', { sourceCaseId: sourceId, amountFen: 800_001, reason: '多发一个月' });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().message).toContain('超过可追回的 8,000.00 元');

    const recovery = await ok(yangpuReviewer, 'POST', '/api/cases/recovery', { sourceCaseId: sourceId, reason: '迁离杨浦后多发一个月租房补贴' });
    expect(recovery).toMatchObject({
      caseType: 'recovery',
      referenceNo: expect.stringMatching(/^ZH-\d{4}-\d{6}$/),
      status: 'objection-period',
      statusLabel: '告知及异议期',
      requestedAmountFen: 800_000,
      outstandingFen: 800_000,
      source: { caseId: sourceId },
    });
    // One recovery per case: opening it again answers with the same one.
    expect((await ok(yangpuApprover, 'POST', '/api/cases/recovery', { sourceCaseId: sourceId, reason: '再次立案' })).caseId).toBe(recovery.caseId);
    const id = recovery.caseId as string;

    // The applicant sees it, is told amount and reason, and may object; nobody else's applicant sees it.
    expect((await otherCreator('GET', `/api/cases/${id}`)).statusCode).toBe(404);
    const told = await ok(tenant, 'GET', `/api/cases/${id}`);
    expect(told.overview).toEqual(expect.arrayContaining([{ label: '追回金额', value: '8,000.00 元' }, { label: '追回理由', value: '迁离杨浦后多发一个月租房补贴' }]));
    expect(told.availableActions.map((a: { name: string }) => a.name)).toEqual(['raise-objection']);
    await ok(tenant, 'POST', `/api/cases/${id}/raise-objection`, { statement: '迁离日期应为次月' });
    await ok(yangpuApprover, 'POST', `/api/cases/${id}/answer-objection`, { outcome: 'dismissed', answer: '经核对，迁离日期无误' });
    // Told in the inbox: the recovery with the day to object by, and the answer (an outsider's applicant was told of neither).
    const inbox = ((await ok(tenant, 'GET', '/api/inbox')).notices as { caseId: string; kind: string; title: string; body: string }[]).filter((n) => n.caseId === id);
    expect(inbox.map((n) => n.title).sort()).toEqual([`追回通知：追回（${recovery.referenceNo as string}）`, `追回异议已答复（异议不成立）：追回（${recovery.referenceNo as string}）`].sort());
    expect(inbox.find((n) => n.title.startsWith('追回通知'))!.body).toMatch(/^主管部门决定追回多发给您的款项8,000\.00元。理由：迁离杨浦后多发一个月租房补贴。如有异议，请于\d{4}年\d{1,2}月\d{1,2}日（含(；暂定：[^）]+)?）前在案件页面提出；/);

    const today = shanghaiDateOf(await harness.env.currentTimeMs());
    // Dates in a refusal read as dates, not ISO strings.
    const early = await yangpuReviewer('POST', `/api/cases/${id}/record-recovery-payment`, { amountFen: 100, paidOn: '2020-01-01', reference: 'ZH-OLD' });
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toMatch(/^还款日期 2020年1月1日 早于追回立案日 \d{4}年\d{1,2}月\d{1,2}日/);
    const payment = { amountFen: 300_000, paidOn: today, reference: 'ZH-PAY-1' };
    const first = await ok(yangpuReviewer, 'POST', `/api/cases/${id}/record-recovery-payment`, payment);
    const again = await ok(yangpuReviewer, 'POST', `/api/cases/${id}/record-recovery-payment`, payment);
    expect(first.result.events).toEqual(['RecoveryPaymentRecorded']);
    expect(again.result).toMatchObject({ events: [], alreadyRecorded: true });
    expect(again.case.outstandingFen).toBe(500_000);
    // The same bank reference with another amount: 409 at the reference's field, saying the amount it was recorded with.
    const otherAmount = await yangpuReviewer('POST', `/api/cases/${id}/record-recovery-payment`, { ...payment, amountFen: 200_000 });
    expect(otherAmount.statusCode).toBe(409);
    expect(otherAmount.json()).toMatchObject({ code: 'money-already-recorded', issues: [{ field: 'reference', code: 'money-already-recorded', message: `此流水号已登记为${chineseDate(today)}还款 3,000.00元` }] });
    // The same transfer typed without its hyphens, or with a dash for one: not a second payment.
    for (const reference of ['ZHPAY1', 'zh—pay 1']) {
      const alike = await yangpuReviewer('POST', `/api/cases/${id}/record-recovery-payment`, { ...payment, reference });
      expect(alike.statusCode, alike.body).toBe(409);
      expect(alike.json()).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(`即已登记为${chineseDate(today)}还款 3,000.00元的 ZH-PAY-1`), issues: [{ field: 'reference', message: expect.stringContaining('登记时写作 ZH-PAY-1') }] });
    }
    expect((await ok(auditor, 'GET', `/api/cases/${id}`)).outstandingFen).toBe(500_000);

    // A reviewer holds no director duty: the write-off is not theirs to take.
    const forReviewer = (await ok(yangpuReviewer, 'GET', `/api/cases/${id}`)).availableActions.map((a: { name: string }) => a.name);
    expect(forReviewer).not.toContain('write-off');
    expect((await yangpuReviewer('POST', `/api/cases/${id}/write-off`, { reasons: ['无力偿还'] })).statusCode).toBe(403);
    const writtenOff = await ok(yangpuDirector, 'POST', `/api/cases/${id}/write-off`, { reasons: ['申请人已离沪，经催告无果'] });
    expect(writtenOff.case).toMatchObject({ status: 'written-off', outstandingFen: 0 });

    // The awards ledger shows what came back from the award and what was written off.
    const ledger = await harness.database.db.selectFrom('awards').selectAll().where('case_id', '=', sourceId).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ recovered_fen: 300_000, written_off_fen: 500_000 });
    const sourceNow = await ok(auditor, 'GET', `/api/cases/${sourceId}`);
    expect(sourceNow.applicantAwards.awards[0]).toMatchObject({ recoveredFen: 300_000, writtenOffFen: 500_000 });
  });

  it('is refused against a case with nothing to recover', async () => {
    const creator = await harness.as('creator');
    const opened = await ok(creator, 'POST', '/api/applications/yangpu-rent-waiver', { title: '房租减免', summary: '入驻载体', facts: { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 2_000_000, unifiedSocialCreditCode: await registeredTenant() } });
    expect((await ok(yangpuReviewer, 'GET', `/api/cases/${opened.caseId}`)).availableOpenings).toEqual([]);
    const refused = await yangpuReviewer('POST', '/api/cases/recovery', { sourceCaseId: opened.caseId, reason: '无' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('没有可追回的金额');
  });
});

describe("the auditor's check of one case (verify --case)", () => {
  it('rebuilds each case, the recoveries and the awards they recover, from its own events alone, as it is', async () => {
    expect((await eachCaseAgainstItsRows(harness.database.db)).drift).toEqual([]);
  });
});
