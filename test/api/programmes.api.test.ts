import { APPLICATION_RULES } from '../../domain/applications/terms.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAMMES } from '../../domain/programmes/catalogue.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';

let harness: ApiHarness;
beforeAll(async () => {
  harness = await startApiHarness();
});
afterAll(() => harness?.close());

const post = (url: string, payload: object) => harness.app.inject({ method: 'POST', url, payload });

describe('GET /api/programmes', () => {
  it('lists every measure of the catalogue with its rules in words and in numbers', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/programmes' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.programmes.map((p: { id: string }) => p.id)).toEqual(PROGRAMMES.map((p) => p.id));
    const agent = body.programmes.find((p: { id: string }) => p.id === 'drama-agent-project');
    expect(agent).toMatchObject({
      department: { id: 'culture-tourism', name: '市文旅局' },
      amount: { kind: 'share-of-base', shareBasisPoints: 2000, capFen: 1_000_000_000 },
      payout: { kind: 'one-off' },
      rulesInWords: '按实际研发投入的 20% 给予支持，最高 1,000 万元',
    });
    // The stacking matrix names only what the sources say: 沪九条 city measures stack with district ones (002 Q5).
    const cityInterest = body.programmes.find((p: { id: string }) => p.id === 'hu9-loan-interest-subsidy');
    expect(cityInterest.stacksWith).toContain('yangpu-loan-interest-subsidy');
    expect(cityInterest.stacksWith).not.toContain('drama-excellent-project');
    expect(agent.stacksWith).toEqual([]);
  });

  it('gives one measure its 政策依据 in words, from the table the decision letters cite too', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/programmes/yangpu-content-award' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: 'yangpu-content-award',
      source: '001 奖',
      sourceInWords: '《杨浦区打造互联网优质内容创作集聚区支持政策》（“YOUNG立方”）“奖”维度',
    });
    const cited = (await harness.app.inject({ method: 'GET', url: '/api/programmes/hu9-key-cultural-enterprise-list' })).json();
    expect(cited.sourceInWords).toBe('《上海市关于支持互联网优质内容创作的若干举措》（沪九条）政策问答第 9 问；黄浦区支持互联网优质内容创作四大维度举措“聚企聚才强根基”');
  });

  it('names the sources of stacking rules and referrals in words too, never by seed file', async () => {
    const all = (await harness.app.inject({ method: 'GET', url: '/api/programmes' })).json<{ programmes: { stacking: { source: string; sourceInWords: string }[]; referral?: { sourceInWords: string } }[] }>().programmes;
    const stacking = all.flatMap((p) => p.stacking);
    expect(stacking.length).toBeGreaterThan(0);
    expect(stacking.find((s) => s.source === '002 Q5')?.sourceInWords).toBe('《上海市关于支持互联网优质内容创作的若干举措》（沪九条）政策问答第 5 问');
    const referrals = all.flatMap((p) => (p.referral ? [p.referral.sourceInWords] : []));
    expect(referrals.length).toBeGreaterThan(0);
    for (const words of [...stacking.map((s) => s.sourceInWords), ...referrals]) expect(words).not.toMatch(/\b00[0-4]\b|\bQ\d/);
  });

  it('says how many working days the department has to list what is missing, the same the cases are held to; a filing has none', async () => {
    const all = (await harness.app.inject({ method: 'GET', url: '/api/programmes' })).json<{ programmes: { id: string; caseKind: string; completenessWorkingDays?: number; supplementReplyDays?: number }[] }>().programmes;
    expect(all.find((p) => p.id === 'chuying-loan')?.completenessWorkingDays).toBe(CHUYING_LOAN_TERMS.timeLimits!.completenessWorkingDays);
    for (const p of all.filter((p) => p.caseKind === 'award' || p.caseKind === 'service')) expect(p.completenessWorkingDays).toBe(APPLICATION_RULES.completenessWorkingDays);
    for (const p of all.filter((p) => p.caseKind === 'filing')) expect(p.completenessWorkingDays).toBeUndefined();
    expect(all.find((p) => p.id === 'chuying-loan')?.supplementReplyDays).toBe(CHUYING_LOAN_TERMS.supplementReplyDays);
    for (const p of all.filter((p) => p.caseKind === 'award' || p.caseKind === 'service')) expect(p.supplementReplyDays).toBe(APPLICATION_RULES.supplementReplyDays);
    for (const p of all.filter((p) => p.caseKind === 'filing')) expect(p.supplementReplyDays).toBeUndefined();
  });

  it('answers 404 for an unknown programme and 400 for a malformed id', async () => {
    expect((await harness.app.inject({ method: 'GET', url: '/api/programmes/no-such-thing' })).statusCode).toBe(404);
    expect((await harness.app.inject({ method: 'GET', url: '/api/programmes/BAD%20ID' })).statusCode).toBe(400);
  });
});

describe('POST /api/programmes/:id/check', () => {
  it('applies the formula and names the rule and the numbers', async () => {
    const response = await post('/api/programmes/drama-agent-project/check', { applicantKind: 'company', requestedAmountFen: 1_200_000_000, rdSpendFen: 3_000_000_000, itemId: 'agent-x' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      eligible: false,
      maxAmountFen: 600_000_000,
      violations: [{ rule: 'amount-cap', message: '申请金额 12,000,000.00 元 超过可申请的最高额：实际研发投入 30,000,000.00 元 的 20% 为 6,000,000.00 元，且不超过 10,000,000.00 元' }],
    });
  });

  it('asks what the application asks: no 项目或作品编号 for 徐汇 企业落户 or 基地运营方, none and no 申请主体类型 for the 雏鹰 loan', async () => {
    const measures = (await harness.app.inject({ method: 'GET', url: '/api/programmes' })).json<{ programmes: { id: string; requiredFacts: string[] }[] }>().programmes;
    const asked = (id: string) => measures.find((p) => p.id === id)!.requiredFacts;
    expect(asked('xuhui-company-settling')).not.toContain('itemId');
    expect(asked('xuhui-base-operator')).not.toContain('itemId');
    expect(asked('chuying-loan')).toEqual(['registeredDistrict', 'requestedAmountFen']);

    const settling = (await post('/api/programmes/xuhui-company-settling/check', { applicantKind: 'company', requestedAmountFen: 2_000_000_000, registeredDistrict: '徐汇区' })).json();
    expect(settling).toMatchObject({ eligible: true, maxAmountFen: 3_000_000_000, amountRule: '每年最高 30,000,000.00 元', violations: [] });
    const loan = (await post('/api/programmes/chuying-loan/check', { registeredDistrict: '杨浦区', requestedAmountFen: 30_000_000 })).json();
    expect(loan).toMatchObject({ eligible: true, maxAmountFen: 50_000_000, violations: [] });
    const elsewhere = (await post('/api/programmes/chuying-loan/check', { registeredDistrict: '徐汇区', requestedAmountFen: 30_000_000 })).json();
    expect(elsewhere.violations).toEqual([{ rule: 'district-required', fact: 'registeredDistrict', message: '雏鹰计划只面向注册在杨浦区的企业；本企业注册在徐汇区。' }]);
  });

  it('names the fact each broken condition reads, so the form tells it at that field before 确认提交', async () => {
    const period = (await post('/api/programmes/hu9-loan-interest-subsidy/check', { applicantKind: 'platform', interestPeriodFrom: '2026-05-01', interestPeriodTo: '2026-01-01' })).json();
    expect(period.violations).toContainEqual({ rule: 'interest-period', fact: 'interestPeriodFrom', message: '付息期间起始日 2026年5月1日 晚于截止日 2026年1月1日' });
    const stay = (await post('/api/programmes/yangpu-talent-apartment/check', { applicantKind: 'individual-creator', stayDays: 9, staysThisYear: 0 })).json();
    expect(stay.violations).toContainEqual({ rule: 'stay-length', fact: 'stayDays', message: '每次入住 1 至 5 天；申请入住 9 天' });
  });

  it('says how a measure without a published cap pays: 首套购房 is a one-off subsidy, not a service', async () => {
    const home = (await post('/api/programmes/yangpu-first-home-subsidy/check', { applicantKind: 'individual-creator', requestedAmountFen: 20_000_000 })).json();
    expect(home).toMatchObject({ eligible: true, maxAmountFen: null, amountRule: '一次性补贴，政策原文未列最高额，金额由评审核定' });
  });

  it('takes the LPR from the register, as the application does: a typed LPR counts for nothing', async () => {
    const admin = await harness.as('admin');
    const published = await admin('POST', '/api/registers/lpr/entries', { subject: '2025-01', name: '2025年1月', detail: { oneYearBasisPoints: 300, overFiveYearsBasisPoints: 350 }, from: '2025-01-20', reason: '全国银行间同业拆借中心公布' });
    expect(published.statusCode, published.body).toBe(201);
    // 100,000.00 of interest paid on a 6% loan: 50% of the 3% LPR subsidises 1.5 of the 6 points.
    const facts = {
      applicantKind: 'company', loanLender: '上海银行杨浦支行', loanContractNo: 'SH-2026-0042', interestPaidFen: 10_000_000,
      interestPeriodFrom: '2026-01-01', interestPeriodTo: '2026-06-30', loanRateBasisPoints: 600,
    };
    const typed = (await post('/api/programmes/hu9-loan-interest-subsidy/check', { ...facts, lprBasisPoints: 1_000 })).json();
    expect(typed).toMatchObject({ eligible: true, maxAmountFen: 2_500_000 });
    expect((await post('/api/programmes/hu9-loan-interest-subsidy/check', facts)).json()).toMatchObject({ eligible: true, maxAmountFen: 2_500_000 });
  });

  it('judges what is stated as the application does: an item for a measure that funds the applicant, a kind the account is not', async () => {
    const item = (await post('/api/programmes/xuhui-company-settling/check', { applicantKind: 'company', requestedAmountFen: 100_000_000, registeredDistrict: '徐汇区', itemId: 'P-1' })).json();
    expect(item.violations).toEqual([{ rule: 'item-is-the-applicant', fact: 'itemId', message: '徐汇 企业落户资助的就是申请人本身，不填写项目或作品编号' }]);
    const company = await harness.as('creator');
    const asPerson = (await company('POST', '/api/programmes/hu9-all-media-operator-certification/check', { applicantKind: 'individual-creator', age: 30 })).json();
    expect(asPerson).toMatchObject({ eligible: false, violations: [{ rule: 'applicant-kind-of-account', message: expect.stringContaining('企业') }] });
  });

  it('refuses unknown facts and amounts that are not whole fen', async () => {
    expect((await post('/api/programmes/chuying-loan/check', { applicantKind: 'company', approved: true })).statusCode).toBe(400);
    expect((await post('/api/programmes/chuying-loan/check', { requestedAmountFen: 10.5 })).statusCode).toBe(400);
  });

  it("checks stacking against the signed-in applicant's own awards, never revealing anyone else's", async () => {
    await harness.database.db
      .insertInto('awards')
      .values([
        { award_id: 'AW-1', case_id: '00000000-0000-4000-8000-000000000001', applicant_account_id: 'demo-applicant', programme_id: 'xuhui-quality-works', catalogue_version: 'v', item_id: 'drama-mine', amount_fen: 10_000_000, awarded_on: '2026-03-01', recorded_at: new Date() },
        { award_id: 'AW-2', case_id: '00000000-0000-4000-8000-000000000002', applicant_account_id: 'someone-else', programme_id: 'xuhui-quality-works', catalogue_version: 'v', item_id: 'drama-theirs', amount_fen: 10_000_000, awarded_on: '2026-03-01', recorded_at: new Date() },
      ])
      .execute();
    const creator = await harness.as('creator');
    const facts = (itemId: string) => ({ applicantKind: 'company', requestedAmountFen: 50_000_000, itemId, registeredDistrict: '徐汇区' });
    // Two 徐汇 measures: the sources say nothing of the pair, so the official is asked to review it.
    const mine = (await creator('POST', '/api/programmes/xuhui-culture-commerce-tourism/check', facts('drama-mine'))).json();
    expect(mine.eligible).toBe(true);
    expect(mine.notes.map((v: { rule: string }) => v.rule)).toEqual(['stacking-unspecified']);
    expect(mine.notes[0].message).toContain('AW-1');
    const twice = (await creator('POST', '/api/programmes/xuhui-quality-works/check', facts('drama-mine'))).json();
    expect(twice.violations.map((v: { rule: string }) => v.rule)).toEqual(['funded-once']);
    const theirs = (await creator('POST', '/api/programmes/xuhui-quality-works/check', facts('drama-theirs'))).json();
    expect(theirs).toMatchObject({ eligible: true, notes: [] });
    const anonymous = (await post('/api/programmes/xuhui-culture-commerce-tourism/check', facts('drama-mine'))).json();
    expect(anonymous.eligible).toBe(true);
  });
});
