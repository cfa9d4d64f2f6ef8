import { post } from '../api.js';
import { h, mount } from '../dom.js';
import { documentPicker } from '../document-picker.js';
import { checkedOf, field, LocalIssues, valueOf } from '../forms.js';
import { documentIdsOf, documentsProblem } from '../schema-form.js';
import { numberText } from '../format.js';
import type { SignedInAccount } from '../session.js';
import { steppedForm } from '../steps.js';
import { submittedPath } from './submitted.js';

/**
 * What a case's number is called: given at submission, it is not yet a 受理编号 (受理, acceptance,
 * comes after the completeness check); a recovery is opened by the office itself; a filing's is
 * its 备案编号, as its applicant quotes it in an award application.
 */
export function numberLabel(caseType: string): string {
  if (caseType === 'recovery') return '案件编号';
  return FILING_TYPES[caseType] ? '备案编号' : '申请编号';
}

export const FILING_TYPES: Record<string, { name: string; days: number; about: string }> = {
  'drama-planning-filing': { name: '微短剧规划备案', days: 2, about: '拍摄前报送规划，普通微短剧由市文旅局在 2 个工作日内审查反馈。' },
  'drama-release-filing': { name: '微短剧完成片上线备案', days: 5, about: '完成片上线前报送，普通微短剧由市文旅局在 5 个工作日内审查反馈。' },
};

/**
 * 普通 or 重点: asked at the first filing only (a resubmission keeps the case's). 沪8条 (004) promises
 * the working days for 普通 dramas; for 重点 it promises no time, and the form says so.
 */
const CATEGORY_FIELD = 'filing.category';
function categoryField(): HTMLElement {
  return field({
    name: CATEGORY_FIELD,
    label: '微短剧类别',
    type: 'select',
    required: true,
    value: 'ordinary',
    hint: '普通微短剧按沪8条工作日随报随审；重点微短剧沪8条未承诺审查时限。',
    options: [
      { value: 'ordinary', label: '普通微短剧' },
      { value: 'key', label: '重点微短剧' },
    ],
  });
}

/** The filing form's fields, shared by the first filing and a resubmission after it was returned. */
export function filingFields(values: Partial<Record<string, string>> = {}): HTMLElement[] {
  return [
    field({ name: 'filing.title', label: '剧名', required: true, value: values.title ?? '' }),
    field({
      name: 'filing.producer',
      label: '制作机构',
      required: true,
      value: values.producer ?? '',
      // A company account files as its own registered company (the server refuses another): the field starts from it and says so.
      hint: values.ownCompany ? `贵单位账户只能以本单位（${values.ownCompany}）作为制作机构备案。` : '个人请以本人名义备案；已登记在其他账户下的单位须由该单位通过其自己的账户备案。',
    }),
    field({ name: 'filing.episodeCount', label: '集数', required: true, value: values.episodeCount ?? '', attrs: { inputmode: 'numeric' } }),
    field({ name: 'filing.episodeLengthMinutes', label: '单集时长（分钟）', required: true, value: values.episodeLengthMinutes ?? '', attrs: { inputmode: 'decimal' } }),
    field({ name: 'filing.platform', label: '播出平台', required: true, hint: '例如：抖音、快手、红果短剧', value: values.platform ?? '' }),
    field({ name: 'filing.aiGenerated', label: '使用生成式人工智能制作', type: 'checkbox', value: values.aiGenerated ?? 'false' }),
    field({ name: 'filing.synopsis', label: '剧情梗概', type: 'textarea', required: true, value: values.synopsis ?? '' }),
    // The files a reviewer reads with it (a script, episode outlines, a licence); a filing returned for more is resubmitted with them.
    documentPicker({
      kind: 'documents',
      name: 'filing.documents',
      label: '备案材料（可选）',
      hint: '如剧本、分集梗概、授权文件：PDF、图片或 Office 文档，每个不超过 20 MB，最多 20 个。',
      required: false,
      value: '',
    }),
  ];
}

export function filingBody(f: HTMLElement): Record<string, unknown> {
  // Full-width digits and points as a Chinese keyboard types them (８０, ２.５), as in the money fields.
  const episodes = numberText(valueOf(f, 'filing.episodeCount'));
  const minutes = numberText(valueOf(f, 'filing.episodeLengthMinutes'));
  // The endpoint's limits (api/schemas/drama-filing.schemas.ts), told at the step: an outsider's 0 集 passed it and was refused only at 确认提交.
  const issues = [
    ...(/^\d+$/.test(episodes) && Number(episodes) >= 1 && Number(episodes) <= 10_000 ? [] : [{ field: 'filing.episodeCount', message: '集数须为 1 到 10,000 的整数' }]),
    ...(/^\d+(\.\d)?$/.test(minutes) && Number(minutes) >= 0.5 && Number(minutes) <= 600
      ? []
      : [{ field: 'filing.episodeLengthMinutes', message: '单集时长须为 0.5 到 600 分钟，最多一位小数，例如 2.5' }]),
  ];
  const documents = documentIdsOf(valueOf(f, 'filing.documents'));
  const documentsIssue = documentsProblem(valueOf(f, 'filing.documents')) ?? (documents.length > 20 ? '最多附上 20 个文件' : undefined);
  if (documentsIssue) issues.push({ field: 'filing.documents', message: documentsIssue });
  if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
  return {
    ...(documents.length ? { documents: documents.map((documentId) => ({ documentId })) } : {}),
    title: valueOf(f, 'filing.title'),
    producer: valueOf(f, 'filing.producer'),
    episodeCount: Number(episodes),
    episodeLengthMinutes: Number(minutes),
    aiGenerated: checkedOf(f, 'filing.aiGenerated'),
    synopsis: valueOf(f, 'filing.synopsis'),
    platform: valueOf(f, 'filing.platform'),
  };
}

/** Field paths of the filing endpoint are submission.*; the form names them filing.* (as resubmit does). */
const asFilingIssues = (error: unknown) => {
  const e = error as { issues?: { field: string; message: string }[] };
  if (e.issues) for (const issue of e.issues) issue.field = issue.field.replace(/^(submission\.)?/, 'filing.').replace(/^filing\.filing\./, 'filing.');
  return error;
};

/** The filing's own checks of what was typed on its first step (whole episodes, minutes): told on 继续. */
function numbersIssues(f: HTMLElement): { field: string; message: string }[] {
  try {
    filingBody(f);
    return [];
  } catch (error) {
    if (!(error instanceof LocalIssues)) throw error;
    // Only those whose field was filled in: an empty one is named as empty already.
    return error.issues.filter((issue) => valueOf(f, issue.field) !== '');
  }
}

/** Which step a filing field is asked on: what the drama is, then where and what it shows. */
const BROADCAST_FIELDS = ['filing.platform', 'filing.aiGenerated', 'filing.synopsis', 'filing.documents'];

export function applyFilingPage(main: HTMLElement, params: string[], account: SignedInAccount | undefined): void {
  const filingType = params[0]!;
  const type = FILING_TYPES[filingType]!;
  const idempotencyKey = `web-${crypto.randomUUID()}`;
  const ownCompany = account?.company?.name;
  const fields = filingFields(ownCompany ? { producer: ownCompany, ownCompany } : { producer: account?.displayName ?? '' });
  const onBroadcast = (f: HTMLElement) => BROADCAST_FIELDS.includes(f.dataset.field ?? '');
  const form = steppedForm({
    label: type.name,
    // What was typed survives a reload or a sign-in that ran out (forms.ts keepDrafts), on every step.
    draft: true,
    steps: [
      { title: '剧目信息', fields: [categoryField(), ...fields.filter((f) => !onBroadcast(f))], check: numbersIssues },
      {
        title: '播出与内容',
        fields: fields.filter(onBroadcast),
        // The files' own problems at their step, not first at 确认提交 (21 files had gone on with 继续).
        check: (f) => {
          const documents = valueOf(f, 'filing.documents');
          const problem = documentsProblem(documents) ?? (documentIdsOf(documents).length > 20 ? '最多附上 20 个文件' : undefined);
          return problem ? [{ field: 'filing.documents', message: problem }] : [];
        },
      },
    ],
    submitText: '确认提交',
    async action(f) {
      try {
        const category = valueOf(f, CATEGORY_FIELD);
        const created = await post<{ caseId: string; referenceNo: string }>(`/api/cases/${filingType}`, { ...filingBody(f), category }, { 'idempotency-key': idempotencyKey });
        // The confirmation says the 申请编号 and the time limit (受理 comes after the completeness check).
        // Replacing the form's entry: back from the confirmation leads to where the person came from, not to an emptied form inviting a second application.
        location.replace(submittedPath(created.caseId));
      } catch (error) {
        throw asFilingIssues(error);
      }
    },
  });
  mount(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: `#/guide/${filingType}` }, '← 办事指南')),
    h('h1', {}, type.name),
    h('p', { class: 'lead' }, type.about, ' 工作日按国务院节假日安排计算（含调休）。'),
    h('div', { class: 'card' }, form),
  );
}
