import { ApiError, get, post, type FieldIssue } from '../api.js';
import { h, mount } from '../dom.js';
import { FACTS } from '../facts.js';
import { documentPicker } from '../document-picker.js';
import { field, LocalIssues, valueOf } from '../forms.js';
import { dateTimeInWords, money } from '../format.js';
import type { SignedInAccount } from '../session.js';
import { documentIdsOf, documentsProblem } from '../schema-form.js';
import { steppedForm } from '../steps.js';
import { factField, factsFrom, type Programme } from './catalogue.js';
import { guidePath } from './guide.js';
import { submittedPath } from './submitted.js';

/** An award or a service of the catalogue: what the applicant describes and the facts its rules read. */
export async function applyProgrammePage(main: HTMLElement, params: string[], account?: SignedInAccount): Promise<void> {
  const programme = await get<Programme>(`/api/programmes/${params[0]}`);
  // Facts a department's register answers are looked up there, not asked (issue 14): the 统一社会信用代码 (and the venue) key the look-up.
  const looksUp = programme.requiredFacts.some((f) => REGISTER_FACTS.includes(f));
  const facts = programme.requiredFacts.filter((f) => FACTS[f] && f !== 'staysThisYear' && !REGISTER_FACTS.includes(f));
  const keyed = looksUp && !facts.includes('unifiedSocialCreditCode') ? [...facts, 'unifiedSocialCreditCode'] : facts;
  const asksVenue = programme.requiredFacts.includes('venueOnPublishedList');
  const amountAsked = !facts.includes('requestedAmountFen') && programme.amount.kind !== 'none';
  const names = amountAsked ? [...keyed, 'requestedAmountFen'] : keyed;
  const idempotencyKey = `web-${crypto.randomUUID()}`;
  const form = steppedForm({
    label: programme.name.zh,
    // What was typed survives a reload or a sign-in that ran out (forms.ts keepDrafts), on every step.
    draft: true,
    steps: [
      {
        title: '申请内容',
        fields: [field({ name: 'title', label: '申请事项', required: true, hint: '例如：作品或项目名称' }), field({ name: 'summary', label: '情况说明', type: 'textarea', required: true })],
      },
      {
        title: '审核所需信息',
        fields: [
          ...names.map((name) => (name === 'requestedAmountFen' ? amountField(programme, facts.includes(name)) : factField(programme, name, 'facts.', { onlyKindsItIsFor: true, required: facts.includes(name) }))),
          ...(asksVenue ? [field({ name: 'venue', label: '使用的共享直播场地', required: true, hint: '按公布的共享直播场地名单核对' })] : []),
          // 落户, 职称 and certification verify who applies: the number is kept encrypted, shown in full only to the department.
          ...(programme.asksIdNumber ? [field({ name: 'personalData.idNumber', label: '身份证号', required: true, hint: '18 位居民身份证号码，用于核验身份；加密保存，仅经办部门可见完整号码' })] : []),
          ...(looksUp ? [h('p', { class: 'hint' }, '入驻载体、重点企业名录、人才认定、国家级评选、直播场地名单和 LPR 由主管部门的登记名录核对，无需填写；企业、机构请填写统一社会信用代码。')] : []),
        ],
        // Amounts, whole numbers and percentages that are none: told on 继续, all at once; then the measure's own conditions.
        check: async (f) => {
          try {
            return await conditionIssues(programme, f, factsFrom(f, names, 'facts.'));
          } catch (error) {
            if (error instanceof LocalIssues) return error.issues;
            throw error;
          }
        },
      },
      {
        title: '申请材料',
        fields: [
          documentPicker({
            kind: 'documents',
            name: 'documents',
            label: '申请材料',
            hint: '按办事指南所列上传：PDF、图片或 Office 文档，每个不超过 20 MB，最多 20 个。缺少的材料，审查人员会以补正告知。',
            required: false,
            value: '',
          }),
        ],
        check: (f) => {
          const problem = documentsProblem(valueOf(f, 'documents'));
          if (problem) return [{ field: 'documents', message: problem }];
          return documentIdsOf(valueOf(f, 'documents')).length > 20 ? [{ field: 'documents', message: '最多上传 20 个文件' }] : [];
        },
      },
    ],
    async action(f) {
      const created = await post<{ caseId: string; referenceNo: string }>(
        `/api/applications/${programme.id}`,
        {
          title: valueOf(f, 'title'),
          summary: valueOf(f, 'summary'),
          facts: factsFrom(f, names, 'facts.'),
          ...(asksVenue ? { venue: valueOf(f, 'venue') } : {}),
          ...(programme.asksIdNumber ? { personalData: { idNumber: valueOf(f, 'personalData.idNumber') } } : {}),
          ...(documentIdsOf(valueOf(f, 'documents')).length ? { documents: documentIdsOf(valueOf(f, 'documents')).map((documentId) => ({ documentId })) } : {}),
        },
        { 'idempotency-key': idempotencyKey },
      ).catch((error: unknown) => {
        if (error instanceof ApiError) for (const issue of error.issues) issue.field = ruleField(issue.field, names);
        throw error;
      });
      // 申请编号, not 受理编号: 受理 (accepted) comes after the completeness check.
      // Replacing the form's entry: back from the confirmation leads to where the person came from, not to an emptied form inviting a second application.
      location.replace(submittedPath(created.caseId));
    },
  });
  // An account registered for a company applies as that company: its code is the account's, not typed.
  const code = form.querySelector<HTMLInputElement>('input[name="facts.unifiedSocialCreditCode"]');
  if (code && account?.company) {
    code.value = account.company.unifiedSocialCreditCode;
    code.readOnly = true;
    code.closest('.field')?.querySelector('.hint')?.replaceChildren('账户登记的本单位代码，不能更改；如有误请联系管理员');
  }
  // The call an application goes into, where the measure is applied for in calls: an outsider came from 申报批次 and the form never named it.
  type ListedCall = { title: string; programme: { id: string }; open: boolean; closesAt: string; remainingFen: number | null; budgetUsedUp: boolean; placesLeft: number | null; placesFull: boolean };
  // One that still takes applications before one with no budget or no places left (first-come: listed to its close, taking none).
  const call = await get<{ calls: ListedCall[] }>('/api/calls')
    .then(({ calls }) => {
      const open = calls.filter((c) => c.open && c.programme.id === programme.id);
      return open.find((c) => !c.budgetUsedUp && !c.placesFull) ?? open[0];
    })
    .catch(() => undefined);
  const left = [call && call.remainingFen !== null ? `，预算余额 ${money(call.remainingFen)}` : '', call && call.placesLeft !== null ? `，剩余名额 ${call.placesLeft} 个` : ''].join('');
  // Why a first-come call takes no more applications: its budget used up, or its places all taken.
  const full = call?.budgetUsedUp ? '预算已用完' : call?.placesFull ? '名额已满' : undefined;
  // A measure applied for in calls with none taking applications now (the call closed early, or the
  // next not yet open) is said before anything is typed, in the words its submission would be refused
  // with: an outsider filled in all four steps and uploaded a file to be told so at 确认提交.
  const intake = await get<{ runByCalls: boolean; call: unknown; refusal: string | null }>(`/api/programmes/${programme.id}/intake`).catch(() => undefined);
  const notTaking = !full && intake?.runByCalls && intake.call === null && intake.refusal ? intake.refusal : undefined;
  mount(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: guidePath(programme.id) }, '← 办事指南')),
    h('h1', {}, `申请：${programme.name.zh}`),
    h('p', { class: 'lead' }, programme.rulesInWords, `（受理：${programme.department.name}）`),
    call && full
      ? h(
          'p',
          { class: 'notice notice-error', role: 'alert', [call.budgetUsedUp ? 'data-call-used-up' : 'data-call-places-full']: call.title },
          `申报批次：${call.title}为先到先审，${full}，不再受理申报（该批次列出至 ${dateTimeInWords(call.closesAt)}，北京时间）。请留意申报批次列表中的下一批次。`,
        )
      : notTaking
        ? h('p', { class: 'notice notice-error', role: 'alert', 'data-call-not-taking': '' }, `本事项通过申报批次受理，现在不能申报：${notTaking.replace(/。?$/, '。')}请留意申报批次列表。`)
        : call
          ? h('p', { class: 'notice', 'data-call-applied-to': call.title }, `申报批次：${call.title}，${dateTimeInWords(call.closesAt)}（北京时间）截止申报${left}`)
          : null,
    // Nothing to fill in for a call with nothing left to award, or none taking applications.
    full || notTaking ? null : h('div', { class: 'card' }, form),
  );
}

/** The facts a department's register answers (domain/programmes/fact-sources.ts): never asked of the applicant. */
const REGISTER_FACTS: readonly string[] = ['admittedToCarrier', 'vJuchangTenant', 'keyCulturalEnterprise', 'meetsCityTalentStandard', 'nationallySelected', 'venueOnPublishedList', 'lprBasisPoints'];

/** A rule the programme's check broke, shown next to the fact it reads (applicant-kind → facts.applicantKind). */
function ruleField(field: string, facts: readonly string[]): string {
  if (field.startsWith('amount-')) return 'facts.requestedAmountFen';
  const camel = field.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return facts.includes(camel) ? `facts.${camel}` : field;
}

/**
 * The measure's conditions on what the step holds, in the API's words (its eligibility check, the
 * one 确认提交 applies): a period that ends before it starts, a stay longer than the measure pays
 * for, a district it is not for, told at their field before the applicant goes on to 核对信息.
 * Only a condition on a field that is filled in is told here (an empty one is told as empty), and
 * one about the application as a whole waits for 确认提交, which asks again; so does every
 * condition when the check cannot be reached.
 */
async function conditionIssues(programme: Programme, form: HTMLFormElement, facts: Record<string, unknown>): Promise<FieldIssue[]> {
  const check = await post<{ violations: { rule: string; message: string; fact?: string }[] }>(`/api/programmes/${programme.id}/check`, facts).catch(() => undefined);
  return (check?.violations ?? []).flatMap((violation) => {
    const name = `facts.${violation.fact}`;
    const control = violation.fact ? form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(name)}"]`) : null;
    return control && control.value.trim() !== '' ? [{ field: name, message: violation.message }] : [];
  });
}

/**
 * The amount asked: for a subsidy paid monthly, the whole period's (an outsider applying for 每月最高
 * 8,000 元 would have typed 8000, and the total is what is asked and checked).
 */
function amountField(programme: Programme, required: boolean): HTMLElement {
  const { monthlyCapFen, maxMonths } = programme.amount;
  if (programme.amount.kind !== 'monthly' || monthlyCapFen === undefined || maxMonths === undefined) return factField(programme, 'requestedAmountFen', 'facts.', { onlyKindsItIsFor: true, required });
  return field({
    name: 'facts.requestedAmountFen',
    label: '申请金额（元）',
    required,
    hint: `按月发放：请填写整个补贴期的合计金额，不是每月金额（每月最高 ${money(monthlyCapFen)}，最多 ${maxMonths} 个月，合计最高 ${money(monthlyCapFen * maxMonths)}）`,
    attrs: { 'data-programme': programme.id, inputmode: 'decimal' },
  });
}
