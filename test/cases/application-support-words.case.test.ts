/**
 * The case page says of the money what the catalogue says (the outside tester's walk): a cap counted
 * per year reads 每年最高 on the 可获上限 line, and a one-off subsidy whose amount the review sets is
 * described as such there and in the approval's explanation, never as a service that pays nothing.
 */
import { describe, expect, it } from 'vitest';
import { actionNamed, type CaseRow } from '../../cases/case-module.js';
import { applicationCase, applicationCaseView, applicationReadModel } from '../../cases/application.case.js';
import { decideApplicationSubmission } from '../../domain/applications/decide.js';
import type { WorkingDayWindow } from '../../domain/applications/events.js';
import { initialApplicationState, type ApplicationState } from '../../domain/applications/state.js';
import { withServerFacts } from '../../domain/applications/terms.js';
import { yuan } from '../../domain/money/fen.js';
import { supportInWords } from '../../domain/programmes/amount-words.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { checkApplication } from '../../domain/programmes/check.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { applicant } from '../support/actors.js';
import { termsOf } from '../support/applications.js';

const ON = parseLocalDate('2026-12-10');
const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: ON, lastWorkingDay: parseLocalDate('2026-12-17'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-12-17'))).toISOString(), provisional: false };

/** A case just submitted under the measure, assessed by the rules as the workflow's activity assesses it. */
function submitted(programmeId: string, stated: ApplicationFacts): ApplicationState {
  const programme = findProgramme(programmeId)!;
  const facts = withServerFacts(programme, stated, { applicantAccountId: applicant.accountId });
  const { eligible, maxAmountFen, amountRule, violations } = checkApplication(programme, facts, { on: ON, ledger: [] });
  const events = decideApplicationSubmission(
    { caseId: '3a1c2d3e-0000-4000-8000-0000000000aa', referenceNo: 'AP-2026-000099', applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, terms: termsOf(programmeId), details: { title: '申请', summary: '说明' } },
    { eligible, maxAmountFen, amountRule, violations, facts },
    WINDOW,
    Date.parse('2026-12-10T02:00:00Z'),
  );
  return events.reduce(applicationCase.evolve, initialApplicationState());
}

const overviewLine = (state: ApplicationState, label: string) => {
  const view = applicationCaseView({ details: applicationReadModel(state).details } as unknown as CaseRow) as { overview: { label: string; value: string }[] };
  return view.overview.find((line) => line.label === label)?.value;
};
const approvalExplain = (state: ApplicationState) => actionNamed(applicationCase, 'approve-application')!.explain!(state);

describe('the case page words the money as the catalogue does', () => {
  it('徐汇 企业落户: 可获上限 reads 每年最高, and so does the approval', () => {
    const state = submitted('xuhui-company-settling', { applicantKind: 'company', requestedAmountFen: yuan(10_000_000), registeredDistrict: '徐汇区' });
    expect(overviewLine(state, '可获上限')).toBe('每年最高 30,000,000.00 元');
    expect(approvalExplain(state)).toBe('核定金额不超过申请金额 10,000,000.00 元（本措施每年最高 30,000,000.00 元）。');
    // The words come from the case's catalogue version at view time: the row itself stores nothing new,
    // so rows projected before read the same and the auditor's rebuild finds no drift.
    expect(applicationReadModel(state).details).not.toHaveProperty('support');
  });

  it('徐汇 算力券: per item per year, paid as vouchers', () => {
    const state = submitted('xuhui-compute-voucher', { applicantKind: 'company', requestedAmountFen: yuan(300_000), itemId: 'compute-2026', registeredDistrict: '徐汇区' });
    expect(overviewLine(state, '可获上限')).toBe('每项每年最高 1,000,000.00 元，以券的形式发放');
  });

  it('a cap per award keeps 最高', () => {
    const state = submitted('huangpu-creator-reward', { applicantKind: 'individual-creator', requestedAmountFen: yuan(800_000), registeredDistrict: '黄浦区' });
    expect(overviewLine(state, '可获上限')).toBe('最高 1,000,000.00 元');
    expect(approvalExplain(state)).toBe('核定金额不超过申请金额 800,000.00 元（本措施最高 1,000,000.00 元）。');
    // In a first-come call whose budget left is less than asked: said, and the form starts from what is left.
    const approve = actionNamed(applicationCase, 'approve-application')!;
    const ledger = { refusals: [], callBudget: { title: '2026 年黄浦优质创作者评选', remainingFen: yuan(500_000) } };
    expect(approve.explain!(state, undefined, { ledger })).toBe('核定金额不超过申请金额 800,000.00 元（本措施最高 1,000,000.00 元）。申报批次「2026 年黄浦优质创作者评选」预算余额 500,000.00 元，不足以核定所申请的 800,000.00 元。');
    expect(approve.prefill!(state, { ledger })).toEqual({ approvedAmountFen: yuan(500_000) });
  });

  it('杨浦人才首套购房: a one-off subsidy whose amount the review sets, in the catalogue’s words', () => {
    const state = submitted('yangpu-first-home-subsidy', { applicantKind: 'individual-creator', requestedAmountFen: yuan(200_000) });
    const words = supportInWords(findProgramme('yangpu-first-home-subsidy')!);
    expect(overviewLine(state, '可获上限')).toBe(words);
    expect(words).toBe('一次性补贴，政策原文未列最高额，金额由评审核定');
    expect(approvalExplain(state)).toBe('一次性补贴，政策原文未列最高额，金额由评审核定：请填写核定金额。');
    expect(approvalExplain(state)).not.toContain('不涉及资金');
  });

  it('a service still says it pays nothing', () => {
    const state = submitted('hu9-starlight', { applicantKind: 'individual-creator' });
    expect(overviewLine(state, '可获上限')).toBe('—');
    expect(approvalExplain(state)).toBe('本事项为服务，不发放资金，无需填写金额。');
  });

  it("a service's approval form asks no amount, which would only be refused; an award's asks it", () => {
    const approve = applicationCase.actions.find((a) => a.type === 'ApproveApplication')!;
    expect(approve.notAsked!(submitted('hu9-starlight', { applicantKind: 'individual-creator' }))).toEqual(['approvedAmountFen']);
    expect(approve.notAsked!(submitted('xuhui-quality-works', { applicantKind: 'company', requestedAmountFen: 1_000_000, itemId: 'W-1', registeredDistrict: '徐汇区' }))).toEqual([]);
  });
});
