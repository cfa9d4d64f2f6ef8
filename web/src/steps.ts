import type { FieldIssue } from './api.js';
import { h, uid } from './dom.js';
import { apiForm, blankIssues, clearErrors, clearErrorsWithin, DRAFT_DISCARDED, ERRORS_SHOWN, fieldLabel, REVEAL_FIELD, showErrors, type ApiFormOptions } from './forms.js';
import { money, parseYuan } from './format.js';
import { draftKey } from './session.js';

/** One page of a form in steps: a question group under its title. */
export interface FormStep {
  title: string;
  fields: HTMLElement[];
  /**
   * Problems told before 继续 (beyond required fields left empty), all at once: the browser's own,
   * or the API's answer to what the step holds (a rule across two fields, a measure's conditions).
   */
  check?: (form: HTMLFormElement) => FieldIssue[] | Promise<FieldIssue[]>;
}

export interface SteppedFormOptions extends Omit<ApiFormOptions, 'fields' | 'submitText'> {
  steps: FormStep[];
  /** The button on the 核对信息 step that sends it all. */
  submitText?: string;
}

/**
 * An application form the 一网通办 / GOV.UK way: one page per question group with 继续 and 上一步,
 * "第 2 步，共 4 步", then 核对信息 (every answer in words, 修改 per group), then 确认提交.
 * It stays ONE form element, so the draft kept by forms.ts covers every step, and a reload returns
 * to the step the person was on. Problems from the API after 确认提交 are listed in the form's error
 * summary; following one shows the step that holds its field.
 */
export function steppedForm(options: SteppedFormOptions): HTMLFormElement {
  const groups = options.steps.filter((s) => s.fields.length > 0);
  const pages = groups.map((step) => h('fieldset', { class: 'form-step' }, h('legend', { class: 'form-step-title' }, step.title), ...step.fields));
  const checkHeading = uid('check');
  const answers = h('div', { class: 'check-answers-list' });
  const checkPage = h(
    'section',
    { class: 'form-step check-answers', 'aria-labelledby': checkHeading },
    h('h2', { id: checkHeading, class: 'form-step-title' }, '核对信息'),
    h('p', { class: 'hint' }, '请核对以下内容。需要改的，点该部分的“修改”；确认无误后点“确认提交”。'),
    answers,
  );
  const all = [...pages, checkPage];
  const last = all.length - 1;
  const stepKey = draftKey(`${location.hash}|${options.label}|step`);
  let current = 0;
  /** Reached from 核对信息 (修改, or a problem's link): 继续 goes back there. */
  let backToCheck = false;

  const form = apiForm({
    ...options,
    submitText: options.submitText ?? '确认提交',
    fields: all,
    async action(f) {
      await options.action(f);
      if (stepKey) sessionStorage.removeItem(stepKey);
    },
  });
  const progress = h('p', { class: 'step-progress', tabindex: -1 });
  pages[0]?.before(progress);
  const submit = form.querySelector<HTMLButtonElement>('.form-actions button[type=submit]')!;
  const next = h('button', { type: 'button', class: 'button primary' }, '继续');
  const back = h('button', { type: 'button', class: 'button' }, '上一步');
  submit.after(next, back);
  submit.parentElement!.classList.add('step-actions');

  function show(index: number, focus: boolean): void {
    current = Math.max(0, Math.min(index, last));
    all.forEach((page, i) => (page.hidden = i !== current));
    progress.textContent = `第 ${current + 1} 步，共 ${all.length} 步`;
    back.hidden = current === 0;
    next.hidden = current === last;
    submit.hidden = current !== last;
    if (current === last) {
      backToCheck = false;
      drawAnswers();
    }
    if (stepKey) sessionStorage.setItem(stepKey, String(current));
    if (focus) {
      progress.focus({ preventScroll: true });
      progress.scrollIntoView({ block: 'start' });
    }
  }

  /** Every answer in words, by group, each group with its 修改; a group the API found fault with says so. */
  function drawAnswers(): void {
    answers.replaceChildren(
      ...groups.map((step, i) => {
        const page = pages[i]!;
        const change = h('button', { type: 'button', class: 'button link' }, '修改', h('span', { class: 'visually-hidden' }, ` ${step.title}`));
        change.addEventListener('click', () => {
          backToCheck = true;
          show(i, true);
        });
        const faulty = [...page.querySelectorAll<HTMLElement>('.field-error')].some((e) => !e.hidden);
        const rows = [...page.querySelectorAll<HTMLElement>('[data-field]')].flatMap((wrapper) => [h('dt', {}, fieldLabel(wrapper)), h('dd', {}, answerOf(wrapper))]);
        return h(
          'div',
          { class: `check-group${faulty ? ' check-group-faulty' : ''}`, 'data-step': String(i + 1) },
          h('div', { class: 'check-group-head' }, h('h3', {}, step.title), change),
          faulty ? h('p', { class: 'field-error' }, '这部分有需要修改的内容') : null,
          h('dl', { class: 'facts check-list' }, ...rows),
        );
      }),
    );
  }

  async function forward(): Promise<void> {
    // A check that asks the API takes a moment: a second 继续 meanwhile would skip a step.
    if (next.disabled) return;
    const page = all[current]!;
    next.disabled = true;
    form.setAttribute('aria-busy', 'true');
    let issues: FieldIssue[];
    try {
      issues = [...blankIssues(page), ...((await groups[current]?.check?.(form)) ?? [])];
    } finally {
      // A check that failed leaves 继续 to be pressed again, not disabled for good.
      form.removeAttribute('aria-busy');
      next.disabled = false;
    }
    if (issues.length) {
      showErrors(form, '还有需要填写或修改的内容', issues);
      return;
    }
    clearErrorsWithin(form, page);
    show(backToCheck ? last : current + 1, true);
  }

  next.addEventListener('click', () => void forward());
  back.addEventListener('click', () => {
    clearErrorsWithin(form, all[current]!);
    show(current - 1, true);
  });
  // Enter in a field of a step before the last means 继续, not send (the form's only submit button is 确认提交).
  form.addEventListener(
    'submit',
    (event) => {
      if (current === last) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      void forward();
    },
    { capture: true },
  );
  form.addEventListener(REVEAL_FIELD, (event) => {
    const index = all.findIndex((page) => page.contains(event.target as Node));
    if (index < 0 || index === current) return;
    if (current === last) backToCheck = true;
    show(index, false);
  });
  form.addEventListener(ERRORS_SHOWN, () => {
    if (current === last) drawAnswers();
  });
  form.addEventListener(DRAFT_DISCARDED, () => {
    clearErrors(form);
    show(0, false);
  });

  const stored = stepKey ? Number(sessionStorage.getItem(stepKey)) : 0;
  show(Number.isInteger(stored) ? stored : 0, false);
  return form;
}

/** A field's answer as the person reads it: the chosen option's name, 是 / 否, or what was typed. */
function answerOf(wrapper: HTMLElement): string {
  // Files: the names of those uploaded (a refused one is not sent).
  if (wrapper.classList.contains('field-documents')) {
    const names = [...wrapper.querySelectorAll('.document-item[data-document-id] .document-name')].map((e) => e.textContent ?? '');
    return names.length ? names.join('、') : '未上传';
  }
  const control = wrapper.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input:not([type=hidden]), select, textarea');
  if (!control) return '';
  if (control instanceof HTMLInputElement && control.type === 'checkbox') return control.checked ? '是' : '否';
  if (control instanceof HTMLSelectElement) return control.value === '' ? '未填写' : (control.selectedOptions[0]?.textContent ?? control.value);
  const typed = control.value.trim();
  if (typed === '') return '未填写';
  // An amount in 元 as every page writes money: 300,000.00 元.
  const fen = /元/.test(fieldLabel(wrapper)) ? parseYuan(typed) : undefined;
  return fen === undefined ? typed : money(fen);
}
