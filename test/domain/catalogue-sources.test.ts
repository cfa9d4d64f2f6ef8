import { describe, expect, it } from 'vitest';
import { findProgrammeAt, ledgerItemId, withServerFacts } from '../../domain/applications/terms.js';
import { yuan } from '../../domain/money/fen.js';
import { CATALOGUE_VERSION, CATALOGUE_VERSION_2026_11_23, findProgramme, PROGRAMMES } from '../../domain/programmes/catalogue.js';
import { checkApplication } from '../../domain/programmes/check.js';
import type { ApplicationFacts, Programme } from '../../domain/programmes/programme.js';
import { fundedItemKey, STACKING_MATRIX, stackingEntry, type LedgerAward } from '../../domain/programmes/stacking.js';
import { parseLocalDate } from '../../domain/time/local-date.js';

/** Catalogue 2026-12-03: each rule corrected against the sources in shared/seeds (issue 14), tested under its source. */
const ON = parseLocalDate('2026-12-03');
const programme = (id: string): Programme => {
  const found = findProgramme(id);
  if (!found) throw new Error(`no programme ${id}`);
  return found;
};
const check = (id: string, facts: ApplicationFacts, ledger: LedgerAward[] = [], on = ON) => checkApplication(programme(id), facts, { on, ledger });
const rules = (result: ReturnType<typeof check>) => result.violations.map((v) => v.rule);
const noteRules = (result: ReturnType<typeof check>) => result.notes.map((n) => n.rule);
const award = (programmeId: string, itemId: string, amountFen: number, awardedOn = '2026-06-01'): LedgerAward => ({
  awardId: `A-${programmeId}`, caseId: '00000000-0000-4000-8000-000000000009', applicantAccountId: 'acct-1', programmeId, itemId, amountFen, awardedOn: parseLocalDate(awardedOn),
});

const loan = {
  loanLender: '上海银行杨浦支行', loanContractNo: 'SH-2026-0042', interestPeriodFrom: parseLocalDate('2026-01-01'), interestPeriodTo: parseLocalDate('2026-06-30'),
} as const;

describe('002 Q8 + 003 杨浦: interest subsidies are paid on the interest actually paid on an identified loan', () => {
  it('002 Q8: the city pays min(loan rate, 50% of LPR) as a share of the interest actually paid, not simple interest up front', () => {
    // 2.5% loan, 3.0% LPR: the subsidised rate is 1.5%, i.e. 60% of every fen of interest paid.
    const result = check('hu9-loan-interest-subsidy', { applicantKind: 'company', ...loan, interestPaidFen: yuan(12_500), loanRateBasisPoints: 250, lprBasisPoints: 300 });
    expect(result).toMatchObject({ eligible: true, maxAmountFen: yuan(7_500) });
    expect(rules(check('hu9-loan-interest-subsidy', { applicantKind: 'company', interestPaidFen: yuan(12_500), loanRateBasisPoints: 250, lprBasisPoints: 300 }))).toEqual([
      'required-fact', 'required-fact', 'required-fact', 'required-fact',
    ]);
  });

  it('the interest must have been paid: a period ending after the day of the application is refused at its end date', () => {
    const future = { applicantKind: 'company' as const, ...loan, interestPeriodFrom: parseLocalDate('2027-01-01'), interestPeriodTo: parseLocalDate('2027-06-30'), interestPaidFen: yuan(12_500) };
    const result = check('yangpu-loan-interest-subsidy', future);
    expect(result.eligible).toBe(false);
    expect(result.violations).toContainEqual(expect.objectContaining({ rule: 'interest-not-yet-paid', message: '付息期间截止日2027年6月30日晚于今天（2026年12月3日）：贴息按实际支付的利息计算，只能申请已经支付的利息' }));
    // Ending on the day itself is interest paid by then.
    expect(check('yangpu-loan-interest-subsidy', { ...future, interestPeriodFrom: parseLocalDate('2026-06-01'), interestPeriodTo: ON }).eligible).toBe(true);
  });

  it('003 杨浦: 50% of the interest actually paid on the loan', () => {
    expect(check('yangpu-loan-interest-subsidy', { applicantKind: 'company', ...loan, interestPaidFen: yuan(12_500) })).toMatchObject({ eligible: true, maxAmountFen: yuan(6_250) });
  });

  it('002 Q8 + 003 杨浦: the two interest subsidies on one loan together never exceed the interest actually paid', () => {
    const facts = { applicantKind: 'company' as const, ...loan, interestPaidFen: yuan(12_500), loanRateBasisPoints: 250, lprBasisPoints: 300 };
    const key = fundedItemKey(programme('yangpu-loan-interest-subsidy'), facts)!;
    // 杨浦 paid 6,250.00 first: the city may add at most 12,500.00 − 6,250.00 = 6,250.00, not its own 7,500.00.
    const second = check('hu9-loan-interest-subsidy', { ...facts, requestedAmountFen: yuan(7_500) }, [award('yangpu-loan-interest-subsidy', key, yuan(6_250))]);
    expect(second.maxAmountFen).toBe(yuan(6_250));
    expect(rules(second)).toEqual(['amount-cap']);
    expect(second.violations[0]!.message).toContain('两项贴息合计不超过实际支付利息 12,500.00 元');
    expect(check('hu9-loan-interest-subsidy', { ...facts, requestedAmountFen: yuan(6_250) }, [award('yangpu-loan-interest-subsidy', key, yuan(6_250))]).eligible).toBe(true);
  });

  it('002 Q8 + 003 杨浦: the loan is identified by lender and contract number, so renaming the item does not make it a new loan', () => {
    const facts = { applicantKind: 'company' as const, ...loan, interestPaidFen: yuan(10_000) };
    const key = fundedItemKey(programme('yangpu-loan-interest-subsidy'), facts)!;
    const renamed = check('yangpu-loan-interest-subsidy', { ...facts, itemId: '另一个名字', loanContractNo: ' sh-2026-0042 ' }, [award('yangpu-loan-interest-subsidy', key, yuan(5_000))]);
    expect(rules(renamed)).toEqual(['funded-once']);
    expect(withServerFacts(programme('yangpu-loan-interest-subsidy'), { ...facts, itemId: '随便' }, { applicantAccountId: 'acct-1' }).itemId).toBe(key);
  });
});

describe('issue 14: the item stacking keys on comes from identifying facts, not free text', () => {
  it('004 沪8条 三: a drama is identified by its 备案号, whatever itemId is typed', () => {
    const p = programme('drama-excellent-project');
    expect(fundedItemKey(p, { dramaFilingNo: '沪剧备 2026-001', itemId: 'a' })).toBe(fundedItemKey(p, { dramaFilingNo: '沪剧备2026-001', itemId: 'b' }));
  });

  it('004 沪8条 六: 出海 is per company, identified by its 统一社会信用代码', () => {
    const facts = { applicantKind: 'company' as const, requestedAmountFen: yuan(300_000), unifiedSocialCreditCode: '91310110MA1G8XXX18' };
    const key = fundedItemKey(programme('drama-overseas'), facts)!;
    expect(key).toBe('company:91310110MA1G8XXX18');
    // A second drama of the same company is not a new item: the company was funded.
    expect(rules(check('drama-overseas', { ...facts, itemId: 'another-drama' }, [award('drama-overseas', key, yuan(500_000))]))).toEqual(['funded-once']);
  });

  it('004 沪8条 六: one account is one company: another credit code from the same account is not a second company', () => {
    const facts = { applicantKind: 'company' as const, requestedAmountFen: yuan(300_000), unifiedSocialCreditCode: '91310000MA1K000027' };
    const paid = award('drama-overseas', 'company:91310000MA1K000019', yuan(500_000));
    const fromSameAccount = checkApplication(programme('drama-overseas'), facts, { on: ON, ledger: [paid], applicantAccountId: paid.applicantAccountId });
    expect(fromSameAccount.violations).toEqual([
      { rule: 'funded-once', message: expect.stringContaining('本账户已于2026年6月1日获微短剧出海资助 500,000.00 元') },
    ]);
    expect(fromSameAccount.violations[0]!.message).toContain('一个账户代表一家单位或一位创作者，同一措施不重复资助');
    // Another account with its own code is another company; and another measure is stacked by its item, as before.
    expect(checkApplication(programme('drama-overseas'), facts, { on: ON, ledger: [paid], applicantAccountId: 'acct-2' }).eligible).toBe(true);
    const otherMeasure = award('drama-production-entity', 'company:91310000MA1K000019', yuan(500_000));
    expect(checkApplication(programme('drama-overseas'), facts, { on: ON, ledger: [otherMeasure], applicantAccountId: otherMeasure.applicantAccountId }).violations).toEqual([]);
  });

  it('001 杨浦 奖: content of any kind has nothing better than the stated itemId, which stays the key', () => {
    expect(fundedItemKey(programme('yangpu-content-award'), { itemId: 'video-1' })).toBe('video-1');
  });

  it('the ledger of a 2026-12-03 case keys on the identified loan; a 2026-11-23 case keeps the stated itemId', () => {
    const facts = { ...loan, itemId: 'free-text' };
    expect(ledgerItemId({ programmeId: 'yangpu-loan-interest-subsidy', fundedItem: 'loan', catalogueVersion: CATALOGUE_VERSION }, facts, 'acct', 'case')).toBe('loan:上海银行杨浦支行|SH-2026-0042');
    expect(ledgerItemId({ programmeId: 'yangpu-loan-interest-subsidy', fundedItem: 'project', catalogueVersion: CATALOGUE_VERSION_2026_11_23 }, facts, 'acct', 'case')).toBe('free-text');
  });
});

describe('001 杨浦 补 and 003: 杨浦直播券 and 节展活动', () => {
  it('001 杨浦 补: 杨浦直播券 is open to companies that are V聚场 tenants only', () => {
    const base = { venueOnPublishedList: true };
    expect(check('yangpu-live-stream-vouchers', { ...base, applicantKind: 'company', vJuchangTenant: true }).eligible).toBe(true);
    expect(rules(check('yangpu-live-stream-vouchers', { ...base, applicantKind: 'company', vJuchangTenant: false }))).toEqual(['v-juchang-tenant']);
    expect(rules(check('yangpu-live-stream-vouchers', { ...base, applicantKind: 'individual-creator', vJuchangTenant: true }))).toEqual(['applicant-kind']);
  });

  it('003 补 活动补贴: 节展活动 support is a money measure, so an amount may be requested', () => {
    const result = check('yangpu-event-support', { applicantKind: 'event-organiser', requestedAmountFen: yuan(200_000), itemId: '2026 知识博主大会' });
    expect(result.eligible).toBe(true);
    expect(programme('yangpu-event-support').caseKind).toBe('award');
  });
});

describe('001 黄浦: housing quota and shared services', () => {
  it('001 黄浦 ②: the housing quota goes to key companies and institutions, not individuals', () => {
    const base = { registeredDistrict: '黄浦区' };
    expect(check('huangpu-housing-quota', { ...base, applicantKind: 'company' }).eligible).toBe(true);
    expect(rules(check('huangpu-housing-quota', { ...base, applicantKind: 'individual-creator' }))).toEqual(['applicant-kind']);
  });

  it('001 黄浦 ③: 每年最高30万元共享服务 is services in kind: no cash, no requested amount', () => {
    const base = { applicantKind: 'individual-creator' as const, registeredDistrict: '黄浦区', admittedToCarrier: true };
    expect(check('huangpu-carrier-shared-services', base)).toMatchObject({ eligible: true, maxAmountFen: null });
    expect(check('huangpu-carrier-shared-services', base).amountRule).toContain('不以现金发放');
    expect(rules(check('huangpu-carrier-shared-services', { ...base, requestedAmountFen: yuan(300_000) }))).toEqual(['no-payment']);
  });
});

describe('002 Q6–7 and Q11: lists that end in 等 are open', () => {
  it('002 Q6–7 盾牌行动: a listed harm passes; 其他 needs a description and is flagged for the official', () => {
    expect(check('hu9-shield', { applicantKind: 'individual-creator', complaintCategory: '网络暴力' })).toMatchObject({ eligible: true, notes: [] });
    const other = check('hu9-shield', { applicantKind: 'individual-creator', complaintCategory: '其他', complaintDescription: '冒用我的声音做 AI 配音' });
    expect(other.eligible).toBe(true);
    expect(noteRules(other)).toEqual(['complaint-category']);
    expect(rules(check('hu9-shield', { applicantKind: 'individual-creator', complaintCategory: '其他' }))).toEqual(['complaint-category']);
    expect(rules(check('hu9-shield', { applicantKind: 'individual-creator', complaintCategory: '版权纠纷' }))).toEqual(['complaint-category']);
  });

  it('002 Q11 职称: 工艺美术、艺术、文物博物、经济等 — 其他 with a description passes for review', () => {
    const other = check('hu9-professional-title', { applicantKind: 'individual-creator', titleField: '其他', titleFieldDescription: '新闻' });
    expect(other.eligible).toBe(true);
    expect(noteRules(other)).toEqual(['title-field']);
  });
});

describe('002 Q10 and 003 管', () => {
  it('002 Q10: 全媒体运营师 certification is done by 社会评价机构; the case is a referral to one', () => {
    const p = programme('hu9-all-media-operator-certification');
    expect(p.referral?.to).toContain('社会评价机构');
    expect(p.referral?.source).toBe('002 Q10');
    expect(check(p.id, { applicantKind: 'individual-creator', age: 16 }).eligible).toBe(true);
  });

  it('003 管 免罚急救包 + 行政处罚法 Art. 33(1): first-violation-minor-corrected, or no subjective fault proven', () => {
    const base = { applicantKind: 'individual-creator' as const };
    expect(check('yangpu-penalty-exemption', { ...base, firstViolation: true, minorHarm: true, correctedInTime: true }).eligible).toBe(true);
    const noFault = check('yangpu-penalty-exemption', { ...base, firstViolation: false, minorHarm: false, correctedInTime: false, noSubjectiveFault: true });
    expect(noFault.eligible).toBe(true);
    expect(noteRules(noFault)).toEqual(['penalty-exemption-conditions']);
    const neither = check('yangpu-penalty-exemption', { ...base, firstViolation: false, minorHarm: true, correctedInTime: true });
    expect(neither.violations).toEqual([{ rule: 'penalty-exemption-conditions', message: '免于处罚须三项条件同时满足；不满足：初次违法；也未主张有证据足以证明没有主观过错' }]);
  });
});

describe('002 Q5: stacking is a matrix seeded only with what the sources say', () => {
  it('002 Q5: city 沪九条 awards stack with district awards', () => {
    expect(stackingEntry(programme('hu9-loan-interest-subsidy'), programme('yangpu-loan-interest-subsidy'))).toMatchObject({ verdict: 'stack', source: '002 Q5' });
    expect(STACKING_MATRIX.every((entry) => entry.source.length > 0)).toBe(true);
  });

  it('004 沪8条 三: the 50,000 national-selection award with the excellent-project award for the same drama is not refused, but flagged for review', () => {
    const facts = { applicantKind: 'drama-producer' as const, dramaFilingNo: '沪剧备2026-001', requestedAmountFen: yuan(1_000_000), promotesCityImage: false };
    const key = fundedItemKey(programme('drama-excellent-project'), facts)!;
    const result = check('drama-excellent-project', facts, [award('drama-national-selection', key, yuan(50_000))]);
    expect(result.eligible).toBe(true);
    expect(noteRules(result)).toEqual(['stacking-unspecified']);
    expect(result.notes[0]!.message).toContain('请经办人审核');
  });

  it('004 沪8条 三: the same measure twice for the same drama stays refused', () => {
    const facts = { applicantKind: 'drama-producer' as const, dramaFilingNo: '沪剧备2026-001', requestedAmountFen: yuan(1_000_000), promotesCityImage: false };
    const key = fundedItemKey(programme('drama-excellent-project'), facts)!;
    expect(rules(check('drama-excellent-project', facts, [award('drama-excellent-project', key, yuan(1_000_000))]))).toEqual(['funded-once']);
  });
});

describe('001 黄浦, 004 徐汇, 000 and 002 Q8: district, effective date and planned measures', () => {
  it('001 黄浦 / 004 徐汇: the district measures check the applicant is registered in the district', () => {
    const facts = { applicantKind: 'company' as const, requestedAmountFen: yuan(100_000), itemId: 'x' };
    expect(check('xuhui-ip-library', { ...facts, registeredDistrict: '徐汇区' }).eligible).toBe(true);
    expect(check('xuhui-ip-library', { ...facts, registeredDistrict: '杨浦区' }).violations).toEqual([
      { rule: 'registered-district', message: '本措施仅面向注册在徐汇区的申请人；申请人注册区为杨浦区' },
    ]);
    expect(rules(check('huangpu-platform-subsidy', { applicantKind: 'mcn', requestedAmountFen: yuan(100_000), registeredDistrict: '静安区' }))).toEqual(['registered-district']);
  });

  it('000: 沪九条 measures apply from 15 July 2025; an application before it is refused', () => {
    const facts = { applicantKind: 'individual-creator' as const };
    expect(programme('hu9-starlight').effectiveFrom).toBe('2025-07-15');
    expect(rules(check('hu9-starlight', facts, [], parseLocalDate('2025-07-14')))).toEqual(['not-yet-effective']);
    expect(check('hu9-starlight', facts, [], parseLocalDate('2025-07-15')).eligible).toBe(true);
  });

  it('002 Q8: the measures the source says 拟 are planned; they may be applied for, flagged for the official', () => {
    expect(PROGRAMMES.filter((p) => p.status === 'planned').map((p) => p.id).sort()).toEqual(['hu9-loan-interest-subsidy', 'hu9-policy-guarantee']);
    const result = check('hu9-policy-guarantee', { applicantKind: 'company' });
    expect(result.eligible).toBe(true);
    expect(noteRules(result)).toEqual(['planned-measure']);
  });
});

describe('missing measures are in the catalogue', () => {
  it.each([
    ['hu9-key-cultural-enterprise-list', '002 Q9 / 001 黄浦 ①'],
    ['yangpu-foreign-creator-facilitation', '003 人才'],
    ['xuhui-workstation-fee-waiver', '004 徐汇'],
    ['xuhui-guangqi-talent', '004 徐汇'],
    ['drama-export-key-enterprise-recommendation', '004 沪8条 六'],
  ])('%s (%s)', (id, source) => {
    expect(programme(id).source).toBe(source);
    expect(programme(id).catalogueVersion).toBe(CATALOGUE_VERSION);
  });

  it('004 沪8条 八: the training award scales with the trainees, at most 200,000.00 a course', () => {
    const base = { applicantKind: 'training-institution' as const, itemId: 'course-1' };
    expect(rules(check('drama-training-course', { ...base, requestedAmountFen: yuan(200_000) }))).toEqual(['required-fact']);
    const withTrainees = check('drama-training-course', { ...base, trainees: 120, requestedAmountFen: yuan(200_000) });
    expect(withTrainees).toMatchObject({ eligible: true, maxAmountFen: yuan(200_000) });
    expect(withTrainees.amountRule).toContain('120 人');
    expect(rules(check('drama-training-course', { ...base, trainees: 120, requestedAmountFen: yuan(200_000) + 1 }))).toEqual(['amount-cap']);
  });
});

describe('issue 15: every message the rules produce is plain Chinese', () => {
  it('required facts are named by their Chinese labels, and amounts are written in 元', () => {
    const result = check('yangpu-content-award', { applicantKind: 'company', requestedAmountFen: yuan(100_001) });
    expect(result.violations).toEqual([
      { rule: 'required-fact', message: '申请杨浦优质内容年度奖励须填写项目或作品编号' },
      { rule: 'amount-cap', message: '申请金额 100,001.00 元 超过杨浦优质内容年度奖励的最高额 100,000.00 元' },
    ]);
    expect(check('yangpu-talent-rent', { applicantKind: 'individual-creator', monthlyRentFen: yuan(9_000) }).amountRule).toBe(
      '每月取实际租金 9,000.00 元 与 8,000.00 元 中的较低者，乘以 36 个月（最长 36 个月），合计 288,000.00 元',
    );
  });

  it('no message of any measure in either catalogue is in English', () => {
    const latin = /[A-Za-z]{4,}/;
    for (const version of [CATALOGUE_VERSION, CATALOGUE_VERSION_2026_11_23]) {
      for (const p of PROGRAMMES) {
        const measure = findProgrammeAt(version, p.id);
        if (!measure) continue;
        const result = checkApplication(measure, { requestedAmountFen: -1 }, { on: ON, ledger: [] });
        for (const m of [...result.violations, ...result.notes].map((v) => v.message)) expect(m.replace(/[A-Z]{2,}|MCN|LPR|YOUNG|V聚场/g, '')).not.toMatch(latin);
        expect(result.amountRule.replace(/LPR/g, '')).not.toMatch(latin);
      }
    }
  });
});
