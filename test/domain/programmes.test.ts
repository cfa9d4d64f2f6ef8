import { describe, expect, it } from 'vitest';
import { formatFen, yuan } from '../../domain/money/fen.js';
import { findProgrammeAt, stayYearOf } from '../../domain/applications/terms.js';
import { CATALOGUE_VERSION_2026_11_23, PROGRAMMES_2026_11_23 as PROGRAMMES, findProgramme } from '../../domain/programmes/catalogue.js';
import { applicationProblems, checkApplication, stayStartProblem } from '../../domain/programmes/check.js';
import type { ApplicationFacts, Programme } from '../../domain/programmes/programme.js';
import { awardsNamedForOfficials, sameFundedItem, stackingReview, stackingViolations, type LedgerAward } from '../../domain/programmes/stacking.js';
import { parseLocalDate } from '../../domain/time/local-date.js';

// The first catalogue, which the cases opened under it keep for life (its corrections are in catalogue-sources.test.ts).
const ON = parseLocalDate('2026-11-23');
const programme = (id: string): Programme => {
  const found = findProgrammeAt(CATALOGUE_VERSION_2026_11_23, id);
  if (!found) throw new Error(`no programme ${id}`);
  return found;
};
/** Given a measure, when these facts are checked (against this ledger), then … */
const check = (id: string, facts: ApplicationFacts, ledger: LedgerAward[] = []) => checkApplication(programme(id), facts, { on: ON, ledger });
const rules = (result: ReturnType<typeof check>) => result.violations.map((v) => v.rule);

describe('the catalogue holds every measure in DOMAIN.md', () => {
  // Written from DOMAIN.md, not from the catalogue: a measure missing from the catalogue fails here.
  const expected = [
    'hu9-loan-interest-subsidy', 'hu9-policy-guarantee', 'hu9-hukou', 'hu9-all-media-operator-certification', 'hu9-professional-title',
    'hu9-starlight', 'hu9-shield', 'hu9-compliance-engine', 'hu9-crowd-wisdom',
    'yangpu-rent-waiver', 'yangpu-content-award', 'yangpu-honour-title', 'yangpu-overseas-service', 'yangpu-young-v-internship',
    'yangpu-university-road-card', 'yangpu-platform-support', 'yangpu-cac-fast-channel', 'yangpu-investment-fund', 'yangpu-seed-fund',
    'yangpu-financial-partner-loans', 'yangpu-policy-guarantee', 'yangpu-loan-interest-subsidy', 'chuying-loan', 'yangpu-live-stream-vouchers',
    'yangpu-event-support', 'yangpu-talent-hukou', 'yangpu-talent-rent', 'yangpu-first-home-subsidy', 'yangpu-talent-apartment',
    'yangpu-growth-assistant', 'yangpu-penalty-exemption',
    'huangpu-platform-subsidy', 'huangpu-creator-reward', 'huangpu-creator-hukou', 'huangpu-housing-quota', 'huangpu-carrier-operator',
    'huangpu-carrier-shared-services', 'huangpu-event-subsidy',
    'drama-agent-project', 'drama-national-selection', 'drama-excellent-project', 'drama-production-entity', 'drama-overseas',
    'drama-training-course', 'drama-planning-filing', 'drama-release-filing',
    'xuhui-company-settling', 'xuhui-base-operator', 'xuhui-ip-library', 'xuhui-quality-works', 'xuhui-ai-skill-library',
    'xuhui-compute-voucher', 'xuhui-culture-commerce-tourism', 'xuhui-summit-contest',
  ];

  it('has each of them, once, with a kebab-case id, both names and a source', () => {
    expect(PROGRAMMES.map((p) => p.id).sort()).toEqual([...expected].sort());
    for (const p of PROGRAMMES) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.name.zh.length * p.name.en.length * p.source.length * p.rulesInWords.length).toBeGreaterThan(0);
    }
  });
});

describe('caps: a request at the cap passes, one fen more is refused naming the cap', () => {
  // [measure, cap in yuan] straight from DOMAIN.md
  const caps: [string, number][] = [
    ['yangpu-content-award', 100_000], ['yangpu-honour-title', 100_000], ['chuying-loan', 500_000],
    ['huangpu-platform-subsidy', 5_000_000], ['huangpu-creator-reward', 1_000_000], ['huangpu-carrier-operator', 5_000_000],
    ['huangpu-carrier-shared-services', 300_000], ['huangpu-event-subsidy', 5_000_000],
    ['drama-production-entity', 2_000_000], ['drama-overseas', 500_000], ['drama-training-course', 200_000],
    ['xuhui-company-settling', 30_000_000], ['xuhui-base-operator', 3_000_000], ['xuhui-ip-library', 3_000_000], ['xuhui-quality-works', 1_000_000],
    ['xuhui-ai-skill-library', 3_000_000], ['xuhui-compute-voucher', 1_000_000], ['xuhui-culture-commerce-tourism', 2_000_000], ['xuhui-summit-contest', 3_000_000],
  ];
  it.each(caps)('%s: at most %d yuan', (id, capYuan) => {
    const p = programme(id);
    const facts = (amount: number): ApplicationFacts => ({ requestedAmountFen: amount, itemId: 'item-1' });
    const atCap = check(id, facts(yuan(capYuan)));
    expect(atCap.maxAmountFen).toBe(yuan(capYuan));
    expect(rules(atCap)).not.toContain('amount-cap');
    const over = check(id, facts(yuan(capYuan) + 1));
    expect(over.eligible).toBe(false);
    // A cap counted per calendar year (DOMAIN.md: 徐汇 ≤ … per year, 黄浦 共享服务 ≤ 300,000 per year) says so.
    const yearly = p.capPeriod === 'per-year' ? '每年' : '';
    expect(over.violations.find((v) => v.rule === 'amount-cap')?.message).toBe(`申请金额 ${formatFen(yuan(capYuan) + 1)} 元 超过${p.name.zh}的${yearly}最高额 ${formatFen(yuan(capYuan))} 元`);
  });
});

describe('a self-check with facts left blank', () => {
  it('tells each missing fact once, as missing, and judges no rule on a fact it does not have', () => {
    const blank = check('chuying-loan', {});
    const required = blank.violations.filter((v) => v.rule === 'required-fact');
    expect(required.length).toBeGreaterThan(0);
    expect(blank.eligible).toBe(false);
    // Before, 申请主体类型 and 注册区 were also judged as "（未填写）" by their own rules.
    expect(blank.violations.map((v) => v.message).join('；')).not.toContain('未填写');
    expect(new Set(blank.violations.map((v) => v.message)).size).toBe(blank.violations.length);
  });
});

describe('formulas', () => {
  it('AI agent projects: at most 20% of the actual R&D spend, capped at 10,000,000.00', () => {
    const result = check('drama-agent-project', { applicantKind: 'company', requestedAmountFen: yuan(12_000_000), rdSpendFen: yuan(30_000_000), itemId: 'agent-1' });
    expect(result.maxAmountFen).toBe(yuan(6_000_000));
    expect(result.violations).toEqual([
      { rule: 'amount-cap', message: '申请金额 12,000,000.00 元 超过可申请的最高额：实际研发投入 30,000,000.00 元 的 20% 为 6,000,000.00 元，且不超过 10,000,000.00 元' },
    ]);
    expect(check('drama-agent-project', { applicantKind: 'company', requestedAmountFen: yuan(10_000_000), rdSpendFen: yuan(80_000_000), itemId: 'agent-2' }).eligible).toBe(true);
    expect(check('drama-agent-project', { applicantKind: 'company', requestedAmountFen: yuan(10_000_000), rdSpendFen: yuan(80_000_000), itemId: 'agent-2' }).maxAmountFen).toBe(yuan(10_000_000));
  });

  it('excellent micro-dramas: 3,000,000.00, or +50% (4,500,000.00) when they promote the city image', () => {
    const base = { applicantKind: 'drama-producer' as const, itemId: 'drama-1' };
    expect(check('drama-excellent-project', { ...base, promotesCityImage: false, requestedAmountFen: yuan(3_000_000) }).eligible).toBe(true);
    expect(rules(check('drama-excellent-project', { ...base, promotesCityImage: false, requestedAmountFen: yuan(3_000_001) }))).toEqual(['amount-cap']);
    const uplifted = check('drama-excellent-project', { ...base, promotesCityImage: true, requestedAmountFen: yuan(4_500_000) });
    expect(uplifted).toMatchObject({ eligible: true, maxAmountFen: yuan(4_500_000) });
    expect(check('drama-excellent-project', { ...base, promotesCityImage: true, requestedAmountFen: yuan(4_500_000) + 1 }).violations[0]!.message).toContain('因显著推介城市形象增加 50%');
  });

  it('national selection pays the script copyright holder exactly 50,000.00, once', () => {
    const facts = { applicantKind: 'company' as const, nationallySelected: true, holdsScriptCopyright: true, itemId: 'script-9' };
    expect(check('drama-national-selection', facts)).toMatchObject({ eligible: true, maxAmountFen: yuan(50_000) });
    expect(rules(check('drama-national-selection', { ...facts, holdsScriptCopyright: false }))).toEqual(['script-copyright-holder']);
  });

  it('talent rent subsidy: each month min(actual rent, 8,000.00), for at most 36 months', () => {
    expect(check('yangpu-talent-rent', { applicantKind: 'individual-creator', monthlyRentFen: yuan(9_500) }).maxAmountFen).toBe(yuan(8_000) * 36);
    expect(check('yangpu-talent-rent', { applicantKind: 'individual-creator', monthlyRentFen: yuan(6_000), months: 12 }).maxAmountFen).toBe(yuan(6_000) * 12);
    expect(check('yangpu-talent-rent', { applicantKind: 'individual-creator', monthlyRentFen: yuan(6_000), months: 48 }).maxAmountFen).toBe(yuan(6_000) * 36);
  });

  it('rent waiver: 100%, 75% and 50% of the rent waived in years 1, 2 and 3', () => {
    const result = check('yangpu-rent-waiver', { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: yuan(20_000) });
    expect(result.maxAmountFen).toBe(yuan(20_000) * 12 * (1 + 0.75 + 0.5));
    expect(rules(check('yangpu-rent-waiver', { applicantKind: 'company', admittedToCarrier: false, monthlyRentFen: yuan(20_000) }))).toEqual(['admitted-to-carrier']);
  });

  it('rent waiver counts the years from admission: what is left of them, and none after the third', () => {
    const on = (date: string, admittedOn: string) => checkApplication(programme('yangpu-rent-waiver'), { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: yuan(20_000), admittedOn: parseLocalDate(admittedOn) }, { on: parseLocalDate(date) });
    expect(on('2026-12-07', '2026-12-01')).toMatchObject({ eligible: true, maxAmountFen: yuan(20_000) * 12 * (1 + 0.75 + 0.5) });
    const second = on('2026-12-07', '2025-06-01');
    expect(second).toMatchObject({ eligible: true, maxAmountFen: yuan(20_000) * 12 * (0.75 + 0.5) });
    expect(second.amountRule).toContain('第2年（2026年6月1日至2027年5月31日）75%');
    const fifth = on('2026-12-07', '2022-06-01');
    expect(fifth.eligible).toBe(false);
    expect(fifth.violations).toEqual([{ rule: 'rent-waiver-period-ended', message: expect.stringContaining('入驻后3个合同年度的减免期已于2025年5月31日结束') }]);
    // The last day of year 3 is still in the waiver; the day after is not.
    expect(on('2025-05-31', '2022-06-01').eligible).toBe(true);
    expect(on('2025-06-01', '2022-06-01').eligible).toBe(false);
  });

  it('city interest subsidy: at most 50% of the same-period LPR, never more than the loan rate', () => {
    // 1,000,000.00 for 24 months at 4.35% with LPR 3.10%: the subsidised rate is 1.55%.
    const capped = check('hu9-loan-interest-subsidy', { applicantKind: 'company', loanPrincipalFen: yuan(1_000_000), loanRateBasisPoints: 435, lprBasisPoints: 310, termMonths: 24 });
    expect(capped.maxAmountFen).toBe(yuan(1_000_000 * 0.0155 * 2));
    // A loan cheaper than half the LPR is subsidised at its own rate.
    const cheap = check('hu9-loan-interest-subsidy', { applicantKind: 'company', loanPrincipalFen: yuan(1_000_000), loanRateBasisPoints: 100, lprBasisPoints: 310, termMonths: 12 });
    expect(cheap.maxAmountFen).toBe(yuan(10_000));
  });

  it('杨浦 interest subsidy: 50% of the loan interest', () => {
    expect(check('yangpu-loan-interest-subsidy', { applicantKind: 'company', loanPrincipalFen: yuan(1_000_000), loanRateBasisPoints: 400, termMonths: 12 }).maxAmountFen).toBe(yuan(20_000));
  });
});

describe('eligibility', () => {
  it('雏鹰: companies registered in 杨浦 only', () => {
    const facts = { applicantKind: 'company' as const, requestedAmountFen: yuan(100_000), itemId: 'p' };
    expect(check('chuying-loan', { ...facts, registeredDistrict: '杨浦区' }).eligible).toBe(true);
    const elsewhere = check('chuying-loan', { ...facts, registeredDistrict: '浦东新区' });
    expect(elsewhere.violations).toEqual([{ rule: 'registered-district', message: '本措施仅面向注册在杨浦区的申请人；申请人注册区为浦东新区' }]);
    expect(rules(check('chuying-loan', { ...facts, registeredDistrict: '杨浦区', applicantKind: 'individual-creator' }))).toEqual(['applicant-kind']);
  });

  it('全媒体运营师 certification: aged 16 or more', () => {
    expect(check('hu9-all-media-operator-certification', { applicantKind: 'individual-creator', age: 16 }).eligible).toBe(true);
    expect(check('hu9-all-media-operator-certification', { applicantKind: 'individual-creator', age: 15 }).violations).toEqual([
      { rule: 'minimum-age', message: '申请人须年满 16 周岁；填写的年龄为 15 周岁' },
    ]);
    expect(rules(check('hu9-all-media-operator-certification', { applicantKind: 'individual-creator' }))).toEqual(['required-fact']); // the age is told missing, not also judged
  });

  it('职称: only 工艺美术, 艺术, 文物博物 and 经济', () => {
    for (const titleField of ['工艺美术', '艺术', '文物博物', '经济']) expect(check('hu9-professional-title', { applicantKind: 'individual-creator', titleField }).eligible).toBe(true);
    expect(rules(check('hu9-professional-title', { applicantKind: 'individual-creator', titleField: '工程' }))).toEqual(['title-field']);
  });

  it('盾牌行动: the five kinds of harm', () => {
    for (const complaintCategory of ['敲诈勒索', '造谣诽谤', '抹黑攻击', '网络暴力', '账号假冒仿冒']) {
      expect(check('hu9-shield', { applicantKind: 'individual-creator', complaintCategory }).eligible).toBe(true);
    }
    expect(rules(check('hu9-shield', { applicantKind: 'individual-creator', complaintCategory: '版权纠纷' }))).toEqual(['complaint-category']);
  });

  it('YOUNG人才公寓: at most 5 days a stay and 2 stays a calendar year', () => {
    const base = { applicantKind: 'individual-creator' as const };
    expect(check('yangpu-talent-apartment', { ...base, stayDays: 5, staysThisYear: 1 }).eligible).toBe(true);
    expect(rules(check('yangpu-talent-apartment', { ...base, stayDays: 6, staysThisYear: 0 }))).toEqual(['stay-length']);
    expect(rules(check('yangpu-talent-apartment', { ...base, stayDays: 2, staysThisYear: 2 }))).toEqual(['stays-per-year']);
  });

  it('YOUNG人才公寓 (catalogue 2026-12-03): the 2 stays are those of the year the stay begins in (入住日期), which is asked and not in the past', () => {
    // A December application for a January stay was counted against December's year.
    const apartment = findProgramme('yangpu-talent-apartment')!;
    expect(apartment.requiredFacts).toContain('stayStartDate');
    expect(programme('yangpu-talent-apartment').requiredFacts).not.toContain('stayStartDate');
    const december = parseLocalDate('2026-12-20');
    expect(stayYearOf({ stayStartDate: parseLocalDate('2027-01-10') }, december)).toBe(2027);
    // An application from before 入住日期 was asked counts the year it is judged in, as it did.
    expect(stayYearOf({}, december)).toBe(2026);
    const base = { applicantKind: 'individual-creator' as const, stayDays: 3, stayStartDate: parseLocalDate('2027-01-10') };
    expect(checkApplication(apartment, { ...base, staysThisYear: 1 }, { on: december }).eligible).toBe(true);
    expect(checkApplication(apartment, { ...base, staysThisYear: 2 }, { on: december }).violations).toEqual([{ rule: 'stays-per-year', message: '每个自然年最多入住 2 次；2027年已入住 2 次' }]);
    const { stayStartDate: _none, ...undated } = base;
    expect(checkApplication(programme('yangpu-talent-apartment'), { ...undated, staysThisYear: 2 }, { on: december }).violations).toEqual([{ rule: 'stays-per-year', message: '每个自然年最多入住 2 次；本年度已入住 2 次' }]);
    expect(checkApplication(apartment, { ...undated, staysThisYear: 0 }, { on: december }).violations.map((v) => v.rule)).toEqual(['required-fact']);
    // The first day is not before the day of the application; the day itself will do.
    expect(stayStartProblem({ stayStartDate: december }, december)).toBeUndefined();
    expect(stayStartProblem({ stayStartDate: parseLocalDate('2026-12-19') }, december)).toEqual({
      rule: 'stay-start-past',
      fact: 'stayStartDate',
      message: '入住日期2026年12月19日早于申请之日（2026年12月20日）：请填写尚未开始的入住',
    });
    // Nor more than a year on: a year away will do, a day later not (a mistyped year, most likely).
    expect(stayStartProblem({ stayStartDate: parseLocalDate('2027-12-20') }, december)).toBeUndefined();
    expect(stayStartProblem({ stayStartDate: parseLocalDate('2027-12-21') }, december)).toEqual({
      rule: 'stay-start-too-far',
      fact: 'stayStartDate',
      message: '入住日期2027年12月21日距申请之日超过一年：只受理一年内开始的入住（最晚2027年12月20日），请核对年份',
    });
    expect(stayStartProblem({ stayStartDate: parseLocalDate('2062-01-10') }, december)?.rule).toBe('stay-start-too-far');
    // From 29 February, a year on is 28 February.
    expect(stayStartProblem({ stayStartDate: parseLocalDate('2029-03-01') }, parseLocalDate('2028-02-29'))?.rule).toBe('stay-start-too-far');
    expect(stayStartProblem({ stayStartDate: parseLocalDate('2029-02-28') }, parseLocalDate('2028-02-29'))).toBeUndefined();
  });

  it('免罚急救包: exempt only when first violation, minor harm and corrected in time all hold', () => {
    const all = { applicantKind: 'individual-creator' as const, firstViolation: true, minorHarm: true, correctedInTime: true };
    expect(check('yangpu-penalty-exemption', all).eligible).toBe(true);
    for (const missing of ['firstViolation', 'minorHarm', 'correctedInTime'] as const) {
      const result = check('yangpu-penalty-exemption', { ...all, [missing]: false });
      expect(rules(result)).toEqual(['penalty-exemption-conditions']);
    }
    expect(check('yangpu-penalty-exemption', { ...all, minorHarm: false, correctedInTime: false }).violations[0]!.message).toBe(
      '免于处罚须三项条件同时满足；不满足：危害后果轻微、及时改正',
    );
  });

  it('a refusal is told at the fact that fails: the 免罚 condition not met, a stay’s first day (the stays counted are no field)', () => {
    const all = { applicantKind: 'individual-creator' as const, firstViolation: true, minorHarm: true, correctedInTime: true };
    const fieldsOf = (id: string, facts: ApplicationFacts) => applicationProblems(findProgramme(id)!, facts, { on: ON }).map((p) => p.field);
    expect(fieldsOf('yangpu-penalty-exemption', { ...all, correctedInTime: false })).toEqual(['facts.correctedInTime']);
    expect(fieldsOf('yangpu-penalty-exemption', { ...all, minorHarm: false })).toEqual(['facts.minorHarm']);
    expect(fieldsOf('yangpu-penalty-exemption', { ...all, firstViolation: false, minorHarm: false })).toEqual(['facts.firstViolation']);
    const stay = { applicantKind: 'individual-creator' as const, stayDays: 3, stayStartDate: parseLocalDate('2026-12-10'), staysThisYear: 2 };
    expect(fieldsOf('yangpu-talent-apartment', stay)).toEqual(['facts.stayStartDate']);
  });

  it('services and filings pay nothing: asking for money is refused', () => {
    expect(rules(check('hu9-starlight', { applicantKind: 'individual-creator', requestedAmountFen: 100 }))).toEqual(['no-payment']);
    expect(check('drama-planning-filing', { applicantKind: 'drama-producer' })).toMatchObject({ eligible: true, maxAmountFen: null });
  });
});

describe('stacking ledger', () => {
  const award = (programmeId: string, amountYuan: number, awardedOn = '2026-03-01'): LedgerAward => ({
    awardId: `A-${programmeId}`, caseId: '00000000-0000-4000-8000-000000000001', applicantAccountId: 'acct', programmeId, itemId: 'drama-7', amountFen: yuan(amountYuan), awardedOn: parseLocalDate(awardedOn),
  });

  it('a city award stacks with a district award for the same item', () => {
    const result = check('drama-excellent-project', { applicantKind: 'drama-producer', itemId: 'drama-7', requestedAmountFen: yuan(1_000_000), promotesCityImage: false }, [award('xuhui-quality-works', 800_000)]);
    expect(result.eligible).toBe(true);
  });

  it('two district programmes do not stack on the same item: refused, naming the existing award', () => {
    const result = check('xuhui-culture-commerce-tourism', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(500_000) }, [award('xuhui-quality-works', 800_000)]);
    expect(result.violations).toEqual([
      {
        rule: 'no-stacking',
        message: '事项“drama-7”已于2026年3月1日获徐汇 优质短剧、获奖作品资助 800,000.00 元（A-xuhui-quality-works）；徐汇 文商旅融合作品不能与其叠加',
      },
    ]);
  });

  it('a refusal names the applicant’s own award by its id, and another applicant’s without it, its day or its amount; the department’s review names every award', () => {
    const application = { itemId: 'drama-7', requestedAmountFen: yuan(500_000), on: ON };
    const earlier = award('xuhui-quality-works', 800_000);
    const ofProgramme = programme('xuhui-culture-commerce-tourism');
    const refusal = (applicantAccountId: string) => stackingViolations(ofProgramme, { ...application, applicantAccountId }, [earlier], findProgramme)[0]!.message;
    expect(refusal('acct')).toContain('资助 800,000.00 元（A-xuhui-quality-works）；');
    // Another company's award of the same item: that it was funded and under which measure; not its id, when, nor for how much.
    expect(refusal('someone-else')).toBe('事项“drama-7”已获徐汇 优质短剧、获奖作品资助（另一申请人所获）；徐汇 文商旅融合作品不能与其叠加');
    expect(checkApplication(programme('drama-overseas'), { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(100_000) }, { on: ON, ledger: [award('drama-overseas', 100_000)], applicantAccountId: 'someone-else' }).violations[0]!.message).toContain(
      '（另一申请人所获），同一事项不重复资助',
    );
    const forOfficials = stackingReview(ofProgramme, { ...application, applicantAccountId: 'someone-else' }, [earlier], findProgramme, awardsNamedForOfficials);
    expect(forOfficials.violations[0]!.message).toContain('（A-xuhui-quality-works）');
  });

  it('the same programme funds an item once', () => {
    expect(rules(check('drama-overseas', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(100_000) }, [award('drama-overseas', 100_000)]))).toEqual(['funded-once']);
  });

  it('an award that paid nothing (stopped before its first payment: 0.00 in the ledger) funds nothing: the item may be funded, by that measure or another', () => {
    // An outside tester's 杨浦人才租房补贴 stopped the day it was approved barred the person for good (已获…资助 0.00 元).
    expect(rules(check('drama-overseas', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(100_000) }, [award('drama-overseas', 0)]))).toEqual([]);
    expect(rules(check('xuhui-culture-commerce-tourism', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(500_000) }, [award('xuhui-quality-works', 0)]))).toEqual([]);
    // One that paid something still counts.
    expect(rules(check('drama-overseas', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(100_000) }, [award('drama-overseas', 1)]))).toEqual(['funded-once']);
  });

  it('an item typed again in other letter case, full-width letters or with spaces is the same item, funded once', () => {
    for (const itemId of ['DRAMA-7', 'Drama-7 ', ' drama - 7', 'ｄｒａｍａ－７']) {
      expect(rules(check('drama-overseas', { applicantKind: 'company', itemId, requestedAmountFen: yuan(100_000) }, [award('drama-overseas', 100_000)])), itemId).toEqual(['funded-once']);
    }
    // Another item is another item; and Chinese names are compared as written, apart from spacing.
    expect(rules(check('drama-overseas', { applicantKind: 'company', itemId: 'drama-8', requestedAmountFen: yuan(100_000) }, [award('drama-overseas', 100_000)]))).toEqual([]);
    expect(sameFundedItem('剧集 七', '剧集七')).toBe(true);
    expect(sameFundedItem('剧集七', '剧集八')).toBe(false);
  });

  it('a per-year cap counts what the item already received that calendar year', () => {
    const ledger = [award('xuhui-compute-voucher', 700_000, '2026-02-01')];
    expect(rules(check('xuhui-compute-voucher', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(300_000) }, ledger))).toEqual([]);
    expect(rules(check('xuhui-compute-voucher', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(300_001) }, ledger))).toEqual(['cap-per-year']);
    // Last year's vouchers do not count against this year.
    expect(rules(check('xuhui-compute-voucher', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(1_000_000) }, [award('xuhui-compute-voucher', 1_000_000, '2025-12-31')]))).toEqual([]);
    // Nothing yet this year: a request above the cap is refused once, by the cap (an outside tester was also told “已获资助 0.00 元”).
    const overCap = rules(check('xuhui-compute-voucher', { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(1_000_000) + 1 }, []));
    expect(overCap.length).toBeGreaterThan(0);
    expect(overCap).not.toContain('cap-per-year');
  });

  it("a per-year cap refused by another applicant's award does not say how much they received", () => {
    const ledger = [award('xuhui-compute-voucher', 600_000, '2026-02-01')];
    const facts = { applicantKind: 'company', itemId: 'drama-7', requestedAmountFen: yuan(500_000) } as const;
    const messageTo = (applicantAccountId: string) => checkApplication(programme('xuhui-compute-voucher'), facts, { on: ON, ledger, applicantAccountId }).violations.find((v) => v.rule === 'cap-per-year')!.message;
    expect(messageTo('acct')).toContain('已获资助 600,000.00');
    expect(messageTo('another-acct')).toContain('已获资助（含另一申请人所获），再申请 500,000.00 元 将超过每年最高 1,000,000.00 元');
    expect(messageTo('another-acct')).not.toContain('600,000');
  });
});
