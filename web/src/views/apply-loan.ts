import { post } from '../api.js';
import { h, mount } from '../dom.js';
import { flash } from '../flash.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';
import { parseYuan } from '../format.js';
import type { SignedInAccount } from '../session.js';

export const SHANGHAI_DISTRICTS = ['黄浦区', '徐汇区', '长宁区', '静安区', '普陀区', '虹口区', '杨浦区', '闵行区', '宝山区', '嘉定区', '浦东新区', '金山区', '松江区', '青浦区', '奉贤区', '崇明区'];
const TRACKS = ['短视频', '直播', '图文', '音频播客', '微短剧', '动画', '其他'];

/** 雏鹰计划: the application form, with the API's field messages shown next to each field. */
export function applyLoanPage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): void {
  const idempotencyKey = `web-${crypto.randomUUID()}`;
  const form = apiForm({
    label: '雏鹰计划借款申请',
    // What was typed survives a reload or a sign-in that ran out (forms.ts keepDrafts).
    draft: true,
    submitText: '提交申请',
    fields: [
      h(
        'fieldset',
        {},
        h('legend', {}, '申请企业'),
        field({ name: 'company.name', label: '企业名称', required: true, value: account?.displayName ?? '' }),
        field({ name: 'company.unifiedSocialCreditCode', label: '统一社会信用代码', required: true, hint: '18 位，见营业执照。每家企业限借一笔：本企业已有在办或已获批的申请时，不能再次申请', attrs: { autocomplete: 'off', spellcheck: 'false', maxlength: '18' } }),
        field({ name: 'company.registeredDistrict', label: '注册区', type: 'select', value: '杨浦区', hint: '雏鹰计划面向在杨浦区注册的企业', options: SHANGHAI_DISTRICTS.map((d) => ({ value: d, label: d })) }),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, '创业项目'),
        field({ name: 'project.name', label: '项目名称', required: true }),
        field({ name: 'project.contentTrack', label: '内容赛道', type: 'select', options: TRACKS.map((t) => ({ value: t, label: t })) }),
        field({ name: 'project.summary', label: '项目简介', type: 'textarea', required: true, hint: '做什么内容、面向谁、资金用途' }),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, '借款'),
        field({ name: 'requestedAmountFen', label: '申请金额（元）', required: true, hint: '最高 500,000.00 元；资助期 3 年，分 36 个月等额免息还款', attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
      ),
    ],
    async action(f) {
      const amount = parseYuan(valueOf(f, 'requestedAmountFen'));
      if (amount === undefined || amount <= 0) throw new LocalIssues('申请金额填写有误', [{ field: 'requestedAmountFen', message: '请填写金额，例如 400000 或 400000.00' }]);
      const created = await post<{ caseId: string; referenceNo: string }>(
        '/api/cases/chuying-loan',
        {
          company: { name: valueOf(f, 'company.name'), unifiedSocialCreditCode: valueOf(f, 'company.unifiedSocialCreditCode').toUpperCase(), registeredDistrict: valueOf(f, 'company.registeredDistrict') },
          project: { name: valueOf(f, 'project.name'), summary: valueOf(f, 'project.summary'), contentTrack: valueOf(f, 'project.contentTrack') },
          requestedAmountFen: amount,
        },
        { 'idempotency-key': idempotencyKey },
      );
      flash(`申请已提交，受理编号 ${created.referenceNo}。`);
      location.hash = `#/cases/${created.caseId}`;
    },
  });
  mount(
    main,
    h('h1', {}, '申请雏鹰计划（V聚场基金）创业借款'),
    h('p', { class: 'lead' }, '面向在杨浦注册的公司的创业项目：最高 50 万元，资助期 3 年，分 36 个月等额免息还款，每家企业限借一笔（未通过或已撤回的申请不计）。提交后由杨浦区 V聚场基金审查材料，市委网信办进行内容合规审查，再由基金评审决策。'),
    h('div', { class: 'card' }, form),
  );
}
