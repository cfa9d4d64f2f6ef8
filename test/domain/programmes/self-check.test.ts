import { describe, expect, it } from 'vitest';
import { fundsTheApplicant, isApplicationProgramme, withServerFacts } from '../../../domain/applications/terms.js';
import { loanApplicationProblems } from '../../../domain/chuying/decide.js';
import { CHUYING_LOAN_TERMS } from '../../../domain/chuying/terms.js';
import { yuan } from '../../../domain/money/fen.js';
import { supportInWords } from '../../../domain/programmes/amount-words.js';
import { findProgramme, PROGRAMMES } from '../../../domain/programmes/catalogue.js';
import { applicantKindProblem } from '../../../domain/accounts/applicant-kind.js';
import { checkApplication, PUBLISHED_FACTS, selfCheck, selfCheckFacts } from '../../../domain/programmes/check.js';
import type { ApplicationFacts, Programme } from '../../../domain/programmes/programme.js';
import { parseLocalDate } from '../../../domain/time/local-date.js';

/**
 * 资格自查 decides as the application decides (the outside tester's walk): it asks what the
 * application asks, judges it by the same rules, takes the LPR from where the application takes it,
 * and words the money as the catalogue does.
 */
const ON = parseLocalDate('2026-12-10');
const programme = (id: string): Programme => {
  const found = findProgramme(id);
  if (!found) throw new Error(`no programme ${id}`);
  return found;
};
const rules = (result: { violations: { rule: string }[] }) => result.violations.map((v) => v.rule);

describe('the self-check asks what the application asks', () => {
  it('no measure asks a 项目或作品编号 the application derives itself and refuses when typed (徐汇 企业落户, 基地运营方)', () => {
    for (const p of PROGRAMMES.filter((m) => isApplicationProgramme(m) && fundsTheApplicant(m.fundedItem))) {
      expect(p.requiredFacts, p.id).not.toContain('itemId');
    }
    expect(programme('xuhui-company-settling').requiredFacts).toEqual(['applicantKind', 'requestedAmountFen', 'registeredDistrict']);
    expect(programme('xuhui-base-operator').requiredFacts).toEqual(['applicantKind', 'requestedAmountFen', 'registeredDistrict']);
  });

  it('徐汇 企业落户: what the self-check asks is eligible there and in the application alike', () => {
    const p = programme('xuhui-company-settling');
    const asked: ApplicationFacts = { applicantKind: 'company', requestedAmountFen: yuan(20_000_000), registeredDistrict: '徐汇区' };
    const self = checkApplication(p, asked, { on: ON, ledger: [] });
    expect(self).toMatchObject({ eligible: true, violations: [] });
    const applied = checkApplication(p, withServerFacts(p, asked, { applicantAccountId: 'acct-company' }), { on: ON, ledger: [] });
    expect(applied).toMatchObject({ eligible: true, violations: [] });
  });

  it('徐汇 基地运营方: a 项目或作品编号 typed anyway is refused by the self-check in the application’s words, at that field', () => {
    const result = selfCheck(programme('xuhui-base-operator'), { applicantKind: 'carrier-operator', requestedAmountFen: yuan(1_000_000), registeredDistrict: '徐汇区', itemId: 'P-1' }, { on: ON });
    expect(result.eligible).toBe(false);
    expect(result.violations).toEqual([{ rule: 'item-is-the-applicant', fact: 'itemId', message: '徐汇 基地运营方资助的就是申请人本身，不填写项目或作品编号' }]);
  });

  it('雏鹰: asks the loan form’s 注册区 and 申请金额 only, and judges them by the loan’s own terms', () => {
    const loan = programme('chuying-loan');
    expect(loan.requiredFacts).toEqual(['registeredDistrict', 'requestedAmountFen']);
    expect(loan.amount).toEqual({ kind: 'cap', capFen: CHUYING_LOAN_TERMS.capFen });
    // An eligible company is told it is eligible: no 项目或作品编号, no 申请主体类型.
    expect(checkApplication(loan, { registeredDistrict: '杨浦区', requestedAmountFen: yuan(300_000) }, { on: ON, ledger: [] })).toMatchObject({ eligible: true, maxAmountFen: yuan(500_000) });
    const elsewhere = checkApplication(loan, { registeredDistrict: '徐汇区', requestedAmountFen: yuan(300_000) }, { on: ON, ledger: [] });
    const loanForm = loanApplicationProblems({ company: { name: '甲', unifiedSocialCreditCode: '91310110MA1G8XXX18', registeredDistrict: '徐汇区' }, requestedAmountFen: yuan(300_000) }, CHUYING_LOAN_TERMS);
    expect(elsewhere.violations).toEqual([{ rule: 'district-required', message: loanForm[0]!.wording.zh }]);
    expect(rules(checkApplication(loan, { registeredDistrict: '杨浦区', requestedAmountFen: CHUYING_LOAN_TERMS.capFen + 1 }, { on: ON, ledger: [] }))).toEqual(['amount-cap']);
  });
});

describe('the LPR is the register’s, in the self-check as in the application', () => {
  // 100,000.00 of interest paid on a 6% loan: 50% of a 3% LPR subsidises 1.5 of the 6 points, 25,000.00.
  const facts: ApplicationFacts = {
    applicantKind: 'company', loanLender: '上海银行杨浦支行', loanContractNo: 'SH-2026-0042', interestPaidFen: yuan(100_000),
    interestPeriodFrom: parseLocalDate('2026-01-01'), interestPeriodTo: parseLocalDate('2026-06-30'), loanRateBasisPoints: 600,
  };
  const city = () => programme('hu9-loan-interest-subsidy');

  it('is a published figure: nobody is asked it', () => {
    expect(PUBLISHED_FACTS).toEqual(['lprBasisPoints']);
  });

  it('an LPR typed into the self-check counts for nothing; the published one decides the cap, as on the case', () => {
    const typed = selfCheck(city(), { ...facts, lprBasisPoints: 1_000 }, { on: ON, published: { lprBasisPoints: 300 } });
    expect(typed).toMatchObject({ eligible: true, maxAmountFen: yuan(25_000) });
    expect(typed.amountRule).toContain('同期 LPR 3%');
    // The application, with the register's answer in place of anything typed: the same cap.
    expect(checkApplication(city(), { ...facts, lprBasisPoints: 300 }, { on: ON, ledger: [] }).maxAmountFen).toBe(yuan(25_000));
    expect(selfCheckFacts(city(), { ...facts, lprBasisPoints: 1_000 }, {}).lprBasisPoints).toBeUndefined();
  });

  it('with no LPR published yet, says so in plain words instead of asking for it', () => {
    const result = selfCheck(city(), facts, { on: ON });
    expect(result.eligible).toBe(false);
    expect(result.violations).toEqual([
      { rule: 'required-fact', fact: 'lprBasisPoints', message: '同期贷款市场报价利率（LPR）按申请当日已公布的数值计算，2026年12月10日以前尚无公布的数值，暂不能申请沪九条 银行贷款贴息；请咨询受理部门' },
    ]);
  });
});

describe('the account applies as what it is registered as, in the self-check as in the application', () => {
  const certification = () => programme('hu9-all-media-operator-certification');

  it('全媒体运营师 as 个人创作者 from a company account: refused, in the application’s words, before anything else', () => {
    const stated: ApplicationFacts = { applicantKind: 'individual-creator', age: 30 };
    const result = selfCheck(certification(), stated, { on: ON, applicant: { accountId: 'acct-co', kind: 'company' } });
    const application = applicantKindProblem('company', 'individual-creator')!;
    expect(result.eligible).toBe(false);
    expect(result.violations).toEqual([{ rule: application.code, fact: 'applicantKind', message: application.message }]);
    expect(result.violations[0]!.message).toContain('企业');
  });

  it('an individual’s account, or a check made without signing in, is not refused for it', () => {
    const stated: ApplicationFacts = { applicantKind: 'individual-creator', age: 30 };
    expect(selfCheck(certification(), stated, { on: ON, applicant: { accountId: 'acct-person', kind: 'individual' } }).eligible).toBe(true);
    expect(selfCheck(certification(), stated, { on: ON }).eligible).toBe(true);
  });
});

describe('money in words: what each measure pays, truthfully (DOMAIN.md, seeds 001 and 003)', () => {
  const amountRule = (id: string, facts: ApplicationFacts) => checkApplication(programme(id), facts, { on: ON, ledger: [] }).amountRule;

  it('no measure that pays is said to pay nothing', () => {
    for (const p of PROGRAMMES.filter((m) => m.payout.kind !== 'none')) {
      expect(supportInWords(p), p.id).not.toContain('不涉及资金');
      expect(checkApplication(p, {}, { on: ON, ledger: [] }).amountRule, p.id).not.toContain('不涉及资金');
    }
  });

  it('003 人才: 首套购房 is a one-off subsidy whose amount the review sets (the source names no cap)', () => {
    expect(amountRule('yangpu-first-home-subsidy', { applicantKind: 'individual-creator', requestedAmountFen: yuan(200_000) })).toBe('一次性补贴，政策原文未列最高额，金额由评审核定');
  });

  it('001 补: 节展活动 support is a one-off subsidy; 杨浦直播券 are vouchers', () => {
    expect(supportInWords(programme('yangpu-event-support'))).toBe('一次性补贴，政策原文未列最高额，金额由评审核定');
    expect(supportInWords(programme('yangpu-live-stream-vouchers'))).toBe('以券的形式发放，政策原文未列面额，金额由评审核定');
  });

  it('004 徐汇: caps counted per year say 每年最高 (算力券 per item per year); a service says it pays nothing', () => {
    expect(supportInWords(programme('xuhui-company-settling'))).toBe('每年最高 30,000,000.00 元');
    expect(supportInWords(programme('xuhui-base-operator'))).toBe('每年最高 3,000,000.00 元');
    expect(supportInWords(programme('xuhui-compute-voucher'))).toBe('每项每年最高 1,000,000.00 元，以券的形式发放');
    expect(amountRule('xuhui-company-settling', { applicantKind: 'company', requestedAmountFen: yuan(1), registeredDistrict: '徐汇区' })).toBe('每年最高 30,000,000.00 元');
    expect(supportInWords(programme('xuhui-ip-library'))).toBe('最高 3,000,000.00 元');
    expect(supportInWords(programme('hu9-starlight'))).toBe('不涉及资金（本措施为服务或备案）');
    for (const p of PROGRAMMES.filter((m) => m.capPeriod === 'per-year')) expect(supportInWords(p), p.id).toContain('每年最高');
  });
});

describe('the dates in the rules’ words', () => {
  it('names a reversed interest period by its dates in Chinese (2026年1月1日), never as ISO strings', () => {
    const facts: ApplicationFacts = { applicantKind: 'company', interestPeriodFrom: parseLocalDate('2026-01-01'), interestPeriodTo: parseLocalDate('2025-01-01') };
    for (const id of ['hu9-loan-interest-subsidy', 'yangpu-loan-interest-subsidy']) {
      const refusal = checkApplication(programme(id), facts, { on: ON, ledger: [] }).violations.find((v) => v.rule === 'interest-period');
      expect(refusal?.message, id).toBe('付息期间起始日 2026年1月1日 晚于截止日 2025年1月1日');
    }
  });
});
