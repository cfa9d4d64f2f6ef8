import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chineseAmount } from '../../domain/money/fen.js';
import { addDays, chineseDate, chineseInstant, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * Money is recorded once, through the real API over a real worker: a bank reference names one
 * disbursement or payment; the same request again (however many at once) is answered with the
 * first record and records nothing. Money dates lie between the case's facts and today.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

const today = async (): Promise<LocalDate> => shanghaiDateOf(await harness.env.currentTimeMs());

async function post(caller: ApiCaller, caseId: string, action: string, body: object) {
  return caller('POST', `/api/cases/${caseId}/${action}`, body);
}

/** A case approved for 360,000.00 today, waiting for its disbursement. */
async function approvedCase(): Promise<string> {
  const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(opened.statusCode).toBe(201);
  const caseId = opened.json<{ caseId: string }>().caseId;
  for (const [caller, action, body] of [
    [fundReviewer, 'accept-materials', {}],
    [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
    [fundApprover, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核定 36 万元' }],
  ] as const) {
    const response = await post(caller, caseId, action, body);
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  }
  return caseId;
}

async function events(caseId: string): Promise<{ version: number; type: string; data: Record<string, unknown> }[]> {
  return (await auditor('GET', `/api/cases/${caseId}/events`)).json().events;
}

async function outstanding(caseId: string): Promise<number> {
  return (await auditor('GET', `/api/cases/${caseId}`)).json().outstandingFen;
}

describe('a repayment is recorded once', () => {
  it('30 identical requests at once: all answered 200 with the same record, one RepaymentRecorded, the outstanding down by one payment', async () => {
    const caseId = await approvedCase();
    expect((await post(fundReviewer, caseId, 'record-disbursement', { disbursedOn: await today(), bankReference: 'BOC-0001' })).statusCode).toBe(200);
    expect(await outstanding(caseId)).toBe(36_000_000);
    const payment = { amountFen: 1_000_000, paidOn: await today(), reference: 'R1' };

    const answers = await Promise.all(Array.from({ length: 30 }, () => post(fundReviewer, caseId, 'record-repayment', payment)));

    expect(answers.map((a) => a.statusCode)).toEqual(Array<number>(30).fill(200));
    const results = answers.map((a) => a.json().result);
    const first = results.find((r) => !r.alreadyRecorded);
    expect(first).toMatchObject({ caseId, status: 'repaying', events: ['RepaymentRecorded'], alreadyRecorded: false });
    expect(first.recorded).toMatchObject({ type: 'RepaymentRecorded', reference: 'R1', amountFen: 1_000_000, date: payment.paidOn, version: first.version });
    expect(results.filter((r) => r.alreadyRecorded)).toHaveLength(29);
    for (const result of results) {
      // The same answer: the same record, the case at the same version and step; a repeat recorded nothing.
      expect(result.recorded).toEqual(first.recorded);
      expect({ caseId: result.caseId, version: result.version, status: result.status }).toEqual({ caseId, version: first.version, status: 'repaying' });
      expect(result.events).toEqual(result.alreadyRecorded ? [] : ['RepaymentRecorded']);
    }
    expect((await events(caseId)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);
    expect(await outstanding(caseId)).toBe(35_000_000);

    // A 31st, later, with the version its sender saw before the first: the same answer, nothing recorded.
    const later = await post(fundReviewer, caseId, 'record-repayment', { ...payment, expectedVersion: first.version - 1 });
    expect(later.statusCode).toBe(200);
    expect(later.json().result).toEqual({ ...first, events: [], alreadyRecorded: true });
    expect((await events(caseId)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);
    expect(await outstanding(caseId)).toBe(35_000_000);

    // The same reference with another amount or date: 409 naming the first (date, amount, when recorded).
    const otherAmount = await post(fundReviewer, caseId, 'record-repayment', { ...payment, amountFen: 2_000_000 });
    expect(otherAmount.statusCode).toBe(409);
    expect(otherAmount.json()).toMatchObject({ error: 'conflict', alreadyRecorded: first.recorded });
    const recordedAt = (await events(caseId)).find((e) => e.type === 'RepaymentRecorded')!.data.recordedAt as string;
    for (const part of ['R1', chineseDate(payment.paidOn), chineseAmount(1_000_000), `登记于 ${chineseInstant(recordedAt)}`, chineseAmount(2_000_000)]) expect(otherAmount.json().message).toContain(part);
    expect(otherAmount.json().code).toBe('money-already-recorded');
    // At the reference's field, so that the form marks it, saying which amount it was recorded with.
    expect(otherAmount.json().issues).toEqual([expect.objectContaining({ field: 'reference', code: 'money-already-recorded', message: `此流水号已登记为${chineseDate(payment.paidOn)}还款 ${chineseAmount(1_000_000)}` })]);
    const otherDate = await post(fundReviewer, caseId, 'record-repayment', { ...payment, paidOn: addDays(payment.paidOn, -1) });
    expect(otherDate.statusCode).toBe(409);
    expect(otherDate.json().alreadyRecorded).toEqual(first.recorded);
    expect((await events(caseId)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);

    // Another payment, with its own reference, is recorded.
    const second = await post(fundReviewer, caseId, 'record-repayment', { ...payment, reference: 'R2' });
    expect(second.json().result).toMatchObject({ events: ['RepaymentRecorded'], alreadyRecorded: false });
    expect(await outstanding(caseId)).toBe(34_000_000);
  });
});

describe('the payment that repaid the loan, sent again after the case closed', () => {
  it('is answered with the first record from the case’s events; a new payment is refused, the case being closed', async () => {
    const caseId = await approvedCase();
    expect((await post(fundReviewer, caseId, 'record-disbursement', { disbursedOn: await today(), bankReference: 'BOC-0004' })).statusCode).toBe(200);
    const payment = { amountFen: 36_000_000, paidOn: await today(), reference: 'R-ALL' };
    const first = await post(fundReviewer, caseId, 'record-repayment', payment);
    expect(first.json().result).toMatchObject({ status: 'completed', events: ['RepaymentRecorded', 'LoanRepaid'], alreadyRecorded: false });
    await harness.env.client.workflow.getHandle(caseWorkflowId(caseId)).result();

    const again = await post(fundReviewer, caseId, 'record-repayment', payment);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().result).toEqual({ caseId, version: first.json().result.version, status: 'completed', events: [], recorded: first.json().result.recorded, alreadyRecorded: true });
    const otherAmount = await post(fundReviewer, caseId, 'record-repayment', { ...payment, amountFen: 100 });
    expect(otherAmount.statusCode).toBe(409);
    expect(otherAmount.json()).toMatchObject({ error: 'conflict', alreadyRecorded: first.json().result.recorded, issues: [{ field: 'reference', message: `此流水号已登记为${chineseDate(payment.paidOn)}还款 ${chineseAmount(36_000_000)}` }] });
    const auditorRepeat = await post(auditor, caseId, 'record-repayment', payment);
    expect(auditorRepeat.statusCode).toBe(403);
    const newPayment = await post(fundReviewer, caseId, 'record-repayment', { ...payment, reference: 'R-NEW', amountFen: 100 });
    expect(newPayment.statusCode).toBe(409);
    // Said plainly: the case is closed, not that 登记还款 is taken at another step.
    const referenceNo = (await auditor('GET', `/api/cases/${caseId}`)).json().referenceNo as string;
    expect(newPayment.json()).toMatchObject({ error: 'illegal-state', code: 'case-closed', message: expect.stringMatching(new RegExp(`^办件 ${referenceNo} 已于\\d{4}年\\d{1,2}月\\d{1,2}日办结（已结清），不能再办理“登记还款”。$`)) });
    expect(newPayment.json().message).not.toContain('不能办理');
    expect((await events(caseId)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);
  });
});

describe('thirty repayments at once, each of the whole loan under its own reference', () => {
  it('record one, which settles the loan; no other is told it was done already, and a refusal as closed names the step the loan ended at', async () => {
    const caseId = await approvedCase();
    expect((await post(fundReviewer, caseId, 'record-disbursement', { disbursedOn: await today(), bankReference: 'BOC-SETTLE-ALL' })).statusCode).toBe(200);
    const paidOn = await today();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(fundReviewer, caseId, 'record-repayment', { amountFen: 36_000_000, paidOn, reference: `SETTLE-${i}` })));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    const refused = answers.filter((a) => a.statusCode !== 200).map((a) => a.json<{ code: string; message: string }>());
    // Another transfer was not "already done by you": it was not recorded, the loan being settled.
    for (const refusal of refused) expect(refusal.code, refusal.message).not.toBe('already-done');
    for (const refusal of refused.filter((r) => r.message.includes('已办结'))) expect(refusal.message).toMatch(/办结（已结清）/);
    expect((await events(caseId)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);
  });
});

describe('a disbursement is recorded once', () => {
  it('sent again once the case is 还款中: the first answer, not a wrong step; another disbursement: 409 naming the first', async () => {
    const caseId = await approvedCase();
    const disbursement = { disbursedOn: await today(), bankReference: 'BOC-0002' };
    const first = await post(fundReviewer, caseId, 'record-disbursement', disbursement);
    expect(first.statusCode).toBe(200);
    expect(first.json().result).toMatchObject({ status: 'repaying', events: ['LoanDisbursed'], alreadyRecorded: false });
    expect(first.json().result.recorded).toMatchObject({ type: 'LoanDisbursed', reference: 'BOC-0002', amountFen: 36_000_000, date: disbursement.disbursedOn });

    const again = await post(fundReviewer, caseId, 'record-disbursement', disbursement);
    expect(again.statusCode).toBe(200);
    expect(again.json().result).toEqual({ ...first.json().result, events: [], alreadyRecorded: true });

    const another = await post(fundReviewer, caseId, 'record-disbursement', { ...disbursement, bankReference: 'BOC-9999' });
    expect(another.statusCode).toBe(409);
    expect(another.json()).toMatchObject({ error: 'conflict', alreadyRecorded: first.json().result.recorded });
    expect(another.json().message).toContain('一笔贷款只放款一次');
    expect(another.json().message).toContain('BOC-0002');
    expect(another.json().message).toContain('360,000.00');
    expect(another.json().issues).toEqual([expect.objectContaining({ field: 'bankReference', message: `本笔贷款已放款（${chineseDate(disbursement.disbursedOn)}放款 ${chineseAmount(36_000_000)}，银行流水号 BOC-0002），不能再登记放款` })]);

    const types = (await events(caseId)).map((e) => e.type);
    expect(types.filter((t) => t === 'LoanDisbursed')).toHaveLength(1);
    expect(types.filter((t) => t.startsWith('Instalment'))).toEqual([]);
  });
});

describe('money dates are bounded by the case’s facts', () => {
  it('refuses (400, naming the bound, with a field issue) a 1990 disbursement, 1990 and 2199 repayments, and a repayment before the disbursement', async () => {
    const caseId = await approvedCase();
    const approvedOn = await today();

    const ancient = await post(fundReviewer, caseId, 'record-disbursement', { disbursedOn: '1990-01-02', bankReference: 'BOC-0003' });
    expect(ancient.statusCode).toBe(400);
    expect(ancient.json()).toMatchObject({ code: 'date-out-of-range', message: expect.stringContaining(`放款日期1990年1月2日早于批准日期${chineseDate(approvedOn)}`) });
    expect(ancient.json().issues).toEqual([expect.objectContaining({ field: 'disbursedOn', message: expect.stringContaining(`${chineseDate(approvedOn)}（批准日）`) })]);
    const future = await post(fundReviewer, caseId, 'record-disbursement', { disbursedOn: addDays(approvedOn, 1), bankReference: 'BOC-0003' });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toContain('晚于今天');
    expect((await events(caseId)).map((e) => e.type)).not.toContain('LoanDisbursed');

    const disbursedOn = await today();
    expect((await post(fundReviewer, caseId, 'record-disbursement', { disbursedOn, bankReference: 'BOC-0003' })).statusCode).toBe(200);
    for (const [paidOn, part] of [
      ['1990-01-01', `还款日期1990年1月1日早于放款日期${chineseDate(disbursedOn)}`],
      ['2199-12-31', `还款日期2199年12月31日晚于今天${chineseDate(await today())}`],
      [addDays(disbursedOn, -1), `早于放款日期${chineseDate(disbursedOn)}`],
    ] as const) {
      const refused = await post(fundReviewer, caseId, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: `R-${paidOn}` });
      expect(refused.statusCode, paidOn).toBe(400);
      expect(refused.json()).toMatchObject({ error: 'validation', issues: [{ field: 'paidOn', message: expect.stringContaining(`${chineseDate(disbursedOn)}（放款日）`) }] });
      expect(refused.json().message).toContain(part);
    }
    const types = (await events(caseId)).map((e) => e.type);
    expect(types.filter((t) => t === 'RepaymentRecorded' || t.startsWith('Instalment'))).toEqual([]);
    expect(await outstanding(caseId)).toBe(36_000_000);
  });
});

describe('a bank reference is one transaction of the fund', () => {
  /** Two approved loans; the first disbursed and repaid once under these references. */
  async function twoLoansTheFirstRepaid(disbursementReference: string, repaymentReference: string) {
    const first = await approvedCase();
    const second = await approvedCase();
    const firstNo = (await auditor('GET', `/api/cases/${first}`)).json().referenceNo as string;
    expect((await post(fundReviewer, first, 'record-disbursement', { disbursedOn: await today(), bankReference: disbursementReference })).statusCode).toBe(200);
    expect((await post(fundReviewer, first, 'record-repayment', { amountFen: 1_000_000, paidOn: await today(), reference: repaymentReference })).statusCode).toBe(200);
    return { first, second, firstNo };
  }

  it('is refused on another loan, and as this loan’s other kind of money, naming where it is recorded; nothing is recorded', async () => {
    const { first, second, firstNo } = await twoLoansTheFirstRepaid('BOC-ONCE-1', 'R-ONCE-1');

    // The same transaction typed again on another loan (another case, width and case folded as on one loan).
    const secondDisbursement = await post(fundReviewer, second, 'record-disbursement', { disbursedOn: await today(), bankReference: ' boc－once－1 ' });
    expect(secondDisbursement.statusCode, secondDisbursement.body).toBe(409);
    expect(secondDisbursement.json()).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(`已登记为办件 ${firstNo} 的放款`), issues: [{ field: 'bankReference' }] });
    expect((await post(fundReviewer, second, 'record-disbursement', { disbursedOn: await today(), bankReference: 'BOC-ONCE-2' })).statusCode).toBe(200);
    const repaidElsewhere = await post(fundReviewer, second, 'record-repayment', { amountFen: 1_000_000, paidOn: await today(), reference: 'R-ONCE-1' });
    expect(repaidElsewhere.statusCode).toBe(409);
    expect(repaidElsewhere.json().message).toContain(`已登记为办件 ${firstNo} 的还款`);

    // This loan's own disbursement is not also a repayment of it.
    const ownDisbursementAsRepayment = await post(fundReviewer, first, 'record-repayment', { amountFen: 1_000_000, paidOn: await today(), reference: 'BOC-ONCE-1' });
    expect(ownDisbursementAsRepayment.statusCode).toBe(409);
    expect(ownDisbursementAsRepayment.json()).toMatchObject({ code: 'bank-reference-used', issues: [{ field: 'reference' }] });

    expect((await events(second)).filter((e) => e.type === 'RepaymentRecorded')).toEqual([]);
    expect((await events(first)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);
  });

  it('typed without its hyphens or with dashes for them, is the same transaction: refused on this loan and on another, saying how it was recorded; nothing is recorded', async () => {
    const { first, second, firstNo } = await twoLoansTheFirstRepaid('BOC-DASH-1', 'ICBC-H2-R1');
    const paidOn = await today();
    const before = await outstanding(first);

    // This loan's repayment again, without hyphens, with en and em dashes, and in lower case with spaces.
    for (const reference of ['ICBCH2R1', 'ICBC–H2–R1', 'ICBC——H2——R1', ' icbc h2 r1 ']) {
      const again = await post(fundReviewer, first, 'record-repayment', { amountFen: 1_000_000, paidOn, reference });
      expect(again.statusCode, `${reference}: ${again.body}`).toBe(409);
      expect(again.json()).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(`已登记为本案（${firstNo}）的还款（登记时写作 ICBC-H2-R1）`), issues: [{ field: 'reference' }] });
    }
    // This loan's disbursement, typed without hyphens, as a repayment of it.
    const disbursementAsRepayment = await post(fundReviewer, first, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: 'BOCDASH1' });
    expect(disbursementAsRepayment.statusCode).toBe(409);
    expect(disbursementAsRepayment.json().message).toContain(`已登记为本案（${firstNo}）的放款（登记时写作 BOC-DASH-1）`);
    expect(await outstanding(first)).toBe(before);
    expect((await events(first)).filter((e) => e.type === 'RepaymentRecorded')).toHaveLength(1);

    // On another loan: its disbursement, and a repayment.
    const elsewhereDisbursement = await post(fundReviewer, second, 'record-disbursement', { disbursedOn: paidOn, bankReference: 'BOC DASH 1' });
    expect(elsewhereDisbursement.statusCode, elsewhereDisbursement.body).toBe(409);
    expect(elsewhereDisbursement.json()).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(`已登记为办件 ${firstNo} 的放款（登记时写作 BOC-DASH-1）`), issues: [{ field: 'bankReference' }] });
    expect((await post(fundReviewer, second, 'record-disbursement', { disbursedOn: paidOn, bankReference: 'BOC-DASH-2' })).statusCode).toBe(200);
    const elsewhereRepayment = await post(fundReviewer, second, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: 'ICBCH2R1' });
    expect(elsewhereRepayment.statusCode).toBe(409);
    expect((await events(second)).filter((e) => e.type === 'RepaymentRecorded')).toEqual([]);

    // A reference that differs in more than hyphens is another transaction.
    expect((await post(fundReviewer, first, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: 'ICBC-H2-R2' })).statusCode).toBe(200);
  });

  it('sent to two loans at once, 20 times, is recorded on one of them only: the other is told where it went', async () => {
    const { first, second } = await twoLoansTheFirstRepaid('BOC-RACE-1', 'R-RACE-0');
    expect((await post(fundReviewer, second, 'record-disbursement', { disbursedOn: await today(), bankReference: 'BOC-RACE-2' })).statusCode).toBe(200);
    const paidOn = await today();
    for (const round of [1, 2, 3]) {
      const reference = `R-RACE-${round}`;
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(fundReviewer, i % 2 === 0 ? first : second, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: i % 4 < 2 ? reference : reference.replaceAll('-', '') })));
      expect(answers.every((a) => a.statusCode === 200 || a.statusCode === 409), answers.map((a) => a.body).join('\n')).toBe(true);
      const refused = answers.filter((a) => a.statusCode === 409);
      for (const answer of refused) expect(answer.json().code).toMatch(/^(bank-reference-used|money-already-recorded)$/);
      const recorded = [...(await events(first)), ...(await events(second))].filter((e) => e.type === 'RepaymentRecorded' && String(e.data.reference).replaceAll('-', '') === reference.replaceAll('-', ''));
      expect(recorded, `round ${round}`).toHaveLength(1);
    }
  });

  it('a borrower’s report of a transfer the fund recorded elsewhere is refused when it is made, without naming the other loan; nothing is recorded', async () => {
    const { second, firstNo } = await twoLoansTheFirstRepaid('BOC-DECL-1', 'R-DECL-1');
    expect((await post(fundReviewer, second, 'record-disbursement', { disbursedOn: await today(), bankReference: 'BOC-DECL-2' })).statusCode).toBe(200);
    const paidOn = await today();
    const declare = (reference: string) => post(creator, second, 'declare-repayment', { amountFen: 1_000_000, paidOn, reference, note: '' });

    // Another loan's repayment, typed with other spaces and width: the fund could never record it here.
    const elsewhere = await declare(' r－decl－1 ');
    expect(elsewhere.statusCode, elsewhere.body).toBe(409);
    expect(elsewhere.json()).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining('已由基金登记为另一笔款项，不能再报告为本案的还款'), issues: [{ field: 'reference' }] });
    expect(elsewhere.body).not.toContain(firstNo);
    // This loan's own disbursement is not a repayment of it (its own check, as before).
    const ownDisbursement = await declare('BOC-DECL-2');
    expect(ownDisbursement.statusCode).toBe(409);
    expect(ownDisbursement.json().message).toContain('是本笔借款放款的流水号');
    expect((await events(second)).filter((e) => e.type === 'RepaymentDeclared')).toEqual([]);

    // A reference of symbols alone is no transfer's.
    for (const symbols of ['--', '——', '#/']) {
      const bare = await declare(symbols);
      expect(bare.statusCode, symbols).toBe(400);
      expect(bare.json().issues).toEqual([expect.objectContaining({ field: 'reference', message: '须含字母或数字，不能只有符号' })]);
    }
    // Left empty, it is told so once (it read 不能为空；须含字母或数字，不能只有符号).
    for (const empty of ['', '   ']) {
      const blank = await declare(empty);
      expect(blank.statusCode).toBe(400);
      expect(blank.json().issues).toEqual([expect.objectContaining({ field: 'reference', message: '不能为空' })]);
    }
    expect((await declare('R-DECL-2')).statusCode).toBe(200);
    expect((await events(second)).filter((e) => e.type === 'RepaymentDeclared')).toHaveLength(1);

    // The same transfer reported again with other dashes, or after the fund recorded it so typed: not a second report.
    for (const reference of ['R‐DECL‐2', 'RDECL2']) {
      const again = await declare(reference);
      expect(again.statusCode, `${reference}: ${again.body}`).toBe(409);
      expect(again.json()).toMatchObject({ code: 'repayment-already-declared', message: expect.stringContaining('您已报告的还款（流水号 R-DECL-2'), issues: [{ field: 'reference', message: '即已报告的 R-DECL-2' }] });
    }
    // The fund records the report typed otherwise: told to record it as reported, which checks the report.
    const typedOtherwise = await post(fundReviewer, second, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: 'RDECL2' });
    expect(typedOtherwise.statusCode).toBe(409);
    expect(typedOtherwise.json()).toMatchObject({ code: 'declared-reference-alike', message: expect.stringContaining('请按报告的流水号 R-DECL-2 登记'), issues: [{ field: 'reference' }] });
    expect((await post(fundReviewer, second, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: 'R-DECL-2' })).statusCode).toBe(200);
    const reports = (await auditor('GET', `/api/cases/${second}`)).json().repaymentDeclarations as { reference: string; status: string }[];
    expect(reports.find((d) => d.reference === 'R-DECL-2')).toMatchObject({ status: 'confirmed' });
    expect((await post(fundReviewer, second, 'record-repayment', { amountFen: 1_000_000, paidOn, reference: 'R-DECL-3' })).statusCode).toBe(200);
    const recordedAlike = await declare('R—DECL—3');
    expect(recordedAlike.statusCode).toBe(409);
    expect(recordedAlike.json()).toMatchObject({ code: 'repayment-already-recorded', message: expect.stringContaining('基金已登记入账的还款（流水号 R-DECL-3') });
    expect((await events(second)).filter((e) => e.type === 'RepaymentDeclared')).toHaveLength(1);
  });
});
