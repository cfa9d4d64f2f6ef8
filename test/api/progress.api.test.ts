import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_CODE_ALPHABET, progressCodeOf } from '../../api/progress-code.js';
import { PROGRESS_LOOKUP_LIMIT } from '../../api/routes/progress.routes.js';
import { repayingLoan, startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { eventually } from '../support/filings.js';
import { loadCalendarYear } from '../support/calendar.js';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let fundReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  fundReviewer = await harness.as('fund-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

/** Anonymous: no token, no cookie; each test from its own address, so the per-address limit of one does not touch another. */
const lookUp = (query: Record<string, string>, remoteAddress = '198.51.100.1') =>
  harness.app.inject({ method: 'GET', url: `/api/progress?${new URLSearchParams(query)}`, remoteAddress });

async function openCase(): Promise<{ caseId: string; referenceNo: string }> {
  const response = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(response.statusCode).toBe(201);
  return response.json();
}

/** Another code of the same shape: the case's own with its first symbol changed. */
const otherCode = (code: string) => `${PROGRESS_CODE_ALPHABET[(PROGRESS_CODE_ALPHABET.indexOf(code[0]!) + 1) % 32]}${code.slice(1)}`;

describe('the 查询码 on the case page', () => {
  it("is shown to the case's applicant and the department's officials, the same code each time, and to nobody else", async () => {
    const { caseId } = await openCase();
    const mine = (await creator('GET', `/api/cases/${caseId}`)).json();
    expect(mine.progressCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect((await creator('GET', `/api/cases/${caseId}`)).json().progressCode).toBe(mine.progressCode);
    // The department's official may read it out to an applicant on the phone.
    expect((await fundReviewer('GET', `/api/cases/${caseId}`)).json().progressCode).toBe(mine.progressCode);
    // The auditor reads the case but has no use for its code.
    const audited = await auditor('GET', `/api/cases/${caseId}`);
    expect(audited.statusCode).toBe(200);
    expect(audited.json()).not.toHaveProperty('progressCode');
    // Another applicant sees neither the case nor its code.
    const theirs = await otherCreator('GET', `/api/cases/${caseId}`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain(mine.progressCode);
    // Each case has its own code.
    const second = await openCase();
    expect((await creator('GET', `/api/cases/${second.caseId}`)).json().progressCode).not.toBe(mine.progressCode);
  });

  it('is not given to a call (申报批次): nobody applies to it, and 办件进度查询 does not find it even with its code', async () => {
    // An outsider found 查询码 on a call's page, where no applicant will ever read it.
    const office = await harness.as('yangpu-reviewer');
    const opened = await office('POST', '/api/cases/call', { programmeId: 'yangpu-content-award', title: '查询码之外', opensAt: formatShanghaiMinute(Date.now() + 100 * 86_400_000).replace(' ', 'T'), closesAt: formatShanghaiMinute(Date.now() + 125 * 86_400_000).replace(' ', 'T'), budgetFen: 100_000_000, mode: 'competitive' });
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>();
    const page = (await office('GET', `/api/cases/${caseId}`)).json<{ overview?: { label: string }[] }>();
    expect(page).not.toHaveProperty('progressCode');
    expect((page.overview ?? []).map((line) => line.label)).not.toContain('查询码');
    // The code such a case would have, had it been given one, finds nothing.
    const code = await progressCodeOf(harness.database.db, caseId, new Date());
    expect((await lookUp({ referenceNo, code }, '198.51.100.90')).statusCode).toBe(404);
  });
});

describe('GET /api/progress (办件进度查询, no sign-in)', () => {
  it('answers the programme, the step, who acts next, the deadline and the steps so far — and nothing personal', async () => {
    const { caseId, referenceNo } = await openCase();
    const code = (await creator('GET', `/api/cases/${caseId}`)).json().progressCode as string;

    const first = await lookUp({ referenceNo, code });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      referenceNo,
      programme: '雏鹰计划（V聚场基金）创业借款',
      currentStep: '材料审查',
      finished: false,
      nextActor: '杨浦区 V聚场基金',
      timeline: [{ step: '材料审查' }],
    });
    expect(first.json().submittedText).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);

    // The department asks for more: the applicant acts next, by a due day given in Chinese form.
    const supplement = await fundReviewer('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本'] });
    expect(supplement.statusCode, supplement.body).toBe(200);
    const dueOn = supplement.json().case.deadline.dueOn as string;
    // Lower case and all: the code is read off a page and typed by hand.
    const second = await lookUp({ referenceNo, code: code.toLowerCase() });
    expect(second.statusCode, second.body).toBe(200);
    const progress = second.json();
    expect(progress).toMatchObject({ currentStep: '待补正', nextActor: '申请人', deadline: { dueOn, text: `${Number(dueOn.slice(0, 4))}年${Number(dueOn.slice(5, 7))}月${Number(dueOn.slice(8, 10))}日`, term: '办理期限' } });
    // 暂定 exactly where the case page says so.
    expect(progress.deadline.provisional).toBe(supplement.json().case.deadline.provisional);
    expect(progress.timeline.map((t: { step: string }) => t.step)).toEqual(['材料审查', '待补正']);
    expect(progress.timeline.every((t: { on: string; text: string }) => /^\d{4}-\d{2}-\d{2}$/.test(t.on) && /年.+月.+日$/.test(t.text))).toBe(true);

    // No names, amounts, account ids, case id or the applicant's data anywhere in the answer.
    const application = validApplication();
    for (const personal of [
      application.company.name,
      application.company.unifiedSocialCreditCode,
      application.project.name,
      application.project.summary,
      'demo-creator',
      caseId,
      '王审查',
      String(application.requestedAmountFen),
      '400,000',
      '400000',
      '营业执照副本',
    ]) {
      expect(second.body, personal).not.toContain(personal);
    }
  });

  it('answers a wrong code and an unknown reference number with the same 404', async () => {
    const { caseId, referenceNo } = await openCase();
    const code = (await creator('GET', `/api/cases/${caseId}`)).json().progressCode as string;
    const wrongCode = await lookUp({ referenceNo, code: otherCode(code) }, '198.51.100.2');
    const unknown = await lookUp({ referenceNo: 'CY-1999-999999', code }, '198.51.100.2');
    expect(wrongCode.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrongCode.body).toBe(unknown.body);
    expect(wrongCode.json().message).toMatch(/[\u4e00-\u9fff]/);
    expect(wrongCode.body).not.toContain(referenceNo);
    // A malformed query is refused before anything is looked up, in Chinese per field.
    const malformed = await lookUp({ referenceNo: 'nonsense', code: '0000' }, '198.51.100.2');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['query.code', 'query.referenceNo']);
  });

  it(`refuses an address after ${PROGRESS_LOOKUP_LIMIT.requests} look-ups in an hour, found or not, and not another address`, async () => {
    const { caseId, referenceNo } = await openCase();
    const code = (await creator('GET', `/api/cases/${caseId}`)).json().progressCode as string;
    const guesser = '203.0.113.9';
    for (let i = 0; i < PROGRESS_LOOKUP_LIMIT.requests; i++) {
      expect((await lookUp({ referenceNo, code: otherCode(code) }, guesser)).statusCode).toBe(404);
    }
    // Even the right code is refused now: guessing cannot go on at any speed.
    const refused = await lookUp({ referenceNo, code }, guesser);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: 'too-many-attempts', code: 'too-many-attempts' });
    expect(refused.json().message).toMatch(/[\u4e00-\u9fff]/);
    expect((await lookUp({ referenceNo, code }, '203.0.113.10')).statusCode).toBe(200);
  });
});

describe('GET /api/progress: a deadline in a year whose holiday arrangement is not loaded', () => {
  it('is answered 暂定 (provisional) until the year is loaded, then final, as the case page says', async () => {
    const caseId = await repayingLoan(harness);
    const view = (await creator('GET', `/api/cases/${caseId}`)).json<{ referenceNo: string; progressCode: string; schedule: { dueOn: string; amountFen: number; paidFen: number; provisional: boolean }[] }>();
    // The first instalment is paid; the next falls in 2027, whose arrangement is not loaded.
    const next = view.schedule.find((i) => i.paidFen < i.amountFen)!;
    expect(next.provisional).toBe(true);
    const address = '198.51.100.20';
    const before = await lookUp({ referenceNo: view.referenceNo, code: view.progressCode }, address);
    expect(before.statusCode, before.body).toBe(200);
    // The borrower's next instalment, called so: it is no time limit of the fund's.
    expect(before.json().deadline).toEqual({ dueOn: next.dueOn, text: `${Number(next.dueOn.slice(0, 4))}年${Number(next.dueOn.slice(5, 7))}月${Number(next.dueOn.slice(8, 10))}日`, provisional: true, term: '下一期应还日' });

    // The year is loaded: the loan's due dates are counted again, and the answer is final.
    const year = Number(next.dueOn.slice(0, 4));
    const loaded = await loadCalendarYear(harness, year, { holidays: fixedDateHolidaysOf(year), makeUpWorkdays: [], note: '测试用（非官方）' });
    expect(loaded.statusCode, loaded.body).toBe(200);
    const after = await eventually(async () => {
      const answer = (await lookUp({ referenceNo: view.referenceNo, code: view.progressCode }, address)).json();
      return answer.deadline?.provisional === false ? answer : undefined;
    }, 'the deadline counted again once the year is loaded');
    const recounted = (await creator('GET', `/api/cases/${caseId}`)).json<{ schedule: { dueOn: string; amountFen: number; paidFen: number; provisional: boolean }[] }>().schedule.find((i) => i.paidFen < i.amountFen)!;
    expect(after.deadline).toMatchObject({ dueOn: recounted.dueOn, provisional: false });
  });
});
