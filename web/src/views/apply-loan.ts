import { creditCodeProblem } from '../../../domain/companies/credit-code.js';
import { SHANGHAI_DISTRICT_NAMES } from '../../../domain/companies/shanghai-districts.js';
import { loanApplicationProblems } from '../../../domain/chuying/decide.js';
import { holdsTheCompanysLoan } from '../../../domain/chuying/one-loan.js';
import { CHUYING_LOAN_TERMS } from '../../../domain/chuying/terms.js';
import { formatFen } from '../../../domain/money/fen.js';
import { get, post } from '../api.js';
import { h, mount } from '../dom.js';
import { field, LocalIssues, valueOf } from '../forms.js';
import { CHUYING_LOAN, notOfferedTo } from '../offers.js';
import { parseYuan, yuanProblem } from '../format.js';
import type { SignedInAccount } from '../session.js';
import { steppedForm } from '../steps.js';
import { guidePath } from './guide.js';
import { submittedPath } from './submitted.js';

const TRACKS = ['短视频', '直播', '图文', '音频播客', '微短剧', '动画', '其他'];

/** The amount typed, in fen; undefined when it is not an amount above 0. */
function amountOf(form: HTMLElement): number | undefined {
  const amount = parseYuan(valueOf(form, 'requestedAmountFen'));
  return amount === undefined || amount <= 0 ? undefined : amount;
}
/** What is wrong with the amount typed, at its field: a third decimal, a sign, a letter, or zero. */
const amountIssue = (form: HTMLElement) => ({
  field: 'requestedAmountFen',
  message: yuanProblem(valueOf(form, 'requestedAmountFen'), '400000 或 400000.00') ?? '金额须大于 0',
});

/** The account's loan that holds its company's one loan, if any (its own cases: an account registered for a company borrows as it). */
async function loanHeldByTheAccount(): Promise<{ caseId: string; referenceNo: string; statusLabel: string } | undefined> {
  const { cases } = await get<{ cases: { caseId: string; referenceNo: string; caseType: string; status: string; statusLabel: string }[] }>('/api/cases?limit=100').catch(() => ({ cases: [] }));
  return cases.find((c) => c.caseType === 'chuying-loan' && holdsTheCompanysLoan(c.status));
}

/** 雏鹰计划: the application in steps (steps.ts), with the API's field messages shown next to each field. */
export function applyLoanPage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): void {
  // Reached by its address (a bookmark, a link passed on): an individual creator is told whom it is for, not given four steps to be refused at the end.
  const notOffered = notOfferedTo(account, CHUYING_LOAN.programmeId);
  if (notOffered) {
    mount(
      main,
      h('h1', {}, '雏鹰计划借款申请'),
      h('p', { class: 'not-offered', role: 'status', 'data-not-offered': 'true' }, `${notOffered}。`),
      h('p', {}, h('a', { class: 'button primary', href: '#/catalogue' }, '查看可以申请的政策'), ' ', h('a', { class: 'button', href: '#/cases' }, '我的办件')),
    );
    return;
  }
  const idempotencyKey = `web-${crypto.randomUUID()}`;
  const form = steppedForm({
    label: '雏鹰计划借款申请',
    // What was typed survives a reload or a sign-in that ran out (forms.ts keepDrafts), on every step.
    draft: true,
    steps: [
      {
        title: '申请企业',
        fields: [
          account?.company
            ? field({ name: 'company.name', label: '企业名称', required: true, value: account.company.name, hint: '账户登记的企业名称，不能更改', attrs: { readonly: 'true' } })
            : field({ name: 'company.name', label: '企业名称', required: true, value: account?.displayName ?? '' }),
          // An account registered for a company borrows as that company: its code is the account's, not typed.
          account?.company
            ? field({ name: 'company.unifiedSocialCreditCode', label: '统一社会信用代码', required: true, value: account.company.unifiedSocialCreditCode, hint: '账户登记的本单位代码，不能更改；如有误请联系管理员。每家企业限借一笔', attrs: { readonly: 'true' } })
            : field({ name: 'company.unifiedSocialCreditCode', label: '统一社会信用代码', required: true, hint: '18 位，见营业执照。每家企业限借一笔：本企业已有在办或已获批的申请时，不能再次申请', attrs: { autocomplete: 'off', spellcheck: 'false', maxlength: '18' } }),
          field({ name: 'company.registeredDistrict', label: '注册区', type: 'select', value: '杨浦区', hint: '雏鹰计划面向在杨浦区注册的企业', options: SHANGHAI_DISTRICT_NAMES.map((d) => ({ value: d, label: d })) }),
        ],
        // The code's form and the district are told on 继续, in the API's own words (one check each: domain/companies/credit-code.ts, the loan's decider).
        check: (f) => {
          const code = valueOf(f, 'company.unifiedSocialCreditCode').trim();
          const problem = code === '' ? undefined : creditCodeProblem(code.toUpperCase());
          const company = { name: '', unifiedSocialCreditCode: '', registeredDistrict: valueOf(f, 'company.registeredDistrict') };
          const district = loanApplicationProblems({ company, requestedAmountFen: 1 }, CHUYING_LOAN_TERMS).find((p) => p.issue.field === 'company.registeredDistrict');
          return [
            ...(problem ? [{ field: 'company.unifiedSocialCreditCode', message: problem }] : []),
            ...(district ? [{ field: 'company.registeredDistrict', message: district.wording.zh }] : []),
          ];
        },
      },
      {
        title: '创业项目',
        fields: [
          field({ name: 'project.name', label: '项目名称', required: true }),
          field({ name: 'project.contentTrack', label: '内容赛道', type: 'select', options: TRACKS.map((t) => ({ value: t, label: t })) }),
          field({ name: 'project.summary', label: '项目简介', type: 'textarea', required: true, hint: '做什么内容、面向谁、资金用途' }),
        ],
      },
      {
        title: '借款',
        fields: [field({ name: 'requestedAmountFen', label: '申请金额（元）', required: true, hint: '最高 500,000.00 元；资助期 3 年，分 36 个月等额免息还款', attrs: { inputmode: 'decimal', autocomplete: 'off' } })],
        // A figure that is no amount, or above the fund's 500,000.00, is told at the step (600,000 had gone on to 确认提交 to be refused there).
        check: (f) => {
          if (valueOf(f, 'requestedAmountFen') === '') return [];
          const amount = amountOf(f);
          if (amount === undefined) return [amountIssue(f)];
          return amount > CHUYING_LOAN_TERMS.capFen ? [{ field: 'requestedAmountFen', message: `雏鹰计划借款最高 ${formatFen(CHUYING_LOAN_TERMS.capFen)} 元` }] : [];
        },
      },
    ],
    async action(f) {
      const amount = amountOf(f);
      if (amount === undefined) throw new LocalIssues('申请金额填写有误', [amountIssue(f)]);
      const created = await post<{ caseId: string; referenceNo: string }>(
        '/api/cases/chuying-loan',
        {
          company: { name: valueOf(f, 'company.name'), unifiedSocialCreditCode: valueOf(f, 'company.unifiedSocialCreditCode').toUpperCase(), registeredDistrict: valueOf(f, 'company.registeredDistrict') },
          project: { name: valueOf(f, 'project.name'), summary: valueOf(f, 'project.summary'), contentTrack: valueOf(f, 'project.contentTrack') },
          requestedAmountFen: amount,
        },
        { 'idempotency-key': idempotencyKey },
      );
      // 申请编号, not 受理编号: 受理 (accepted) comes after the completeness check.
      // Replacing the form's entry: back from the confirmation leads to where the person came from, not to an emptied form inviting a second application.
      location.replace(submittedPath(created.caseId));
    },
  });
  // A company that holds its one loan is told so on arrival: an outsider's filled in all four steps to be refused at 确认提交.
  if (account?.company) {
    void loanHeldByTheAccount().then((held) => {
      if (!held || !form.isConnected) return;
      mount(
        main,
        h('h1', {}, '雏鹰计划借款申请'),
        h('p', { class: 'not-offered', role: 'status', 'data-loan-held': held.referenceNo }, `本企业已有雏鹰计划借款申请 ${held.referenceNo}（${held.statusLabel}），每家企业限借一笔（未通过或已撤回的申请不计）。`),
        h('p', {}, h('a', { class: 'button primary', href: `#/cases/${held.caseId}` }, `查看 ${held.referenceNo}`), ' ', h('a', { class: 'button', href: '#/catalogue' }, '查看其他政策')),
      );
    });
  }
  mount(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: guidePath('chuying-loan') }, '← 办事指南')),
    h('h1', {}, '申请雏鹰计划（V聚场基金）创业借款'),
    h('p', { class: 'lead' }, '面向在杨浦注册的公司的创业项目：最高 50 万元，资助期 3 年，分 36 个月等额免息还款，每家企业限借一笔（未通过或已撤回的申请不计）。提交后由杨浦区 V聚场基金审查材料，市委网信办进行内容合规审查，再由基金评审决策。'),
    h('div', { class: 'card' }, form),
  );
}
