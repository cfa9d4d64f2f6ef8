import { ApiError, type FieldIssue } from './api.js';
import { h, notice, uid } from './dom.js';
import { bodyOf, type PlannedField } from './schema-form.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface FieldOptions {
  /** The API's field path (e.g. company.name): where its 400 issues are shown. */
  name: string;
  label: string;
  type?: 'text' | 'number' | 'date' | 'textarea' | 'select' | 'checkbox' | 'password';
  value?: string;
  hint?: string;
  required?: boolean;
  options?: { value: string; label: string }[];
  attrs?: Record<string, string>;
}

/** A labelled control with its hint and its own error line (aria-describedby, aria-invalid). */
export function field(options: FieldOptions): HTMLElement {
  const id = uid('f');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [options.hint ? hintId : '', errorId].filter(Boolean).join(' ');
  const common = { id, name: options.name, 'aria-describedby': describedBy, ...(options.required ? { required: true, 'aria-required': 'true' } : {}), ...options.attrs };
  let control: Control;
  if (options.type === 'textarea') {
    control = h('textarea', { ...common, rows: 3 });
    control.value = options.value ?? '';
  } else if (options.type === 'select') {
    control = h('select', common, ...(options.options ?? []).map((o) => h('option', { value: o.value }, o.label)));
    if (options.value !== undefined) control.value = options.value;
  } else if (options.type === 'checkbox') {
    control = h('input', { ...common, type: 'checkbox' });
    (control as HTMLInputElement).checked = options.value === 'true';
    return h(
      'div',
      { class: 'field field-checkbox', 'data-field': options.name },
      h('label', { for: id }, control, ' ', options.label),
      options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
      h('p', { class: 'field-error', id: errorId, hidden: true }),
    );
  } else {
    control = h('input', { ...common, type: options.type ?? 'text', ...(options.type === 'number' ? { inputmode: 'decimal' } : {}) });
    control.value = options.value ?? '';
  }
  return h(
    'div',
    { class: 'field', 'data-field': options.name },
    h('label', { for: id }, options.label, options.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

export function controlOf(form: HTMLElement, name: string): Control {
  const control = form.querySelector<Control>(`[name="${CSS.escape(name)}"]`);
  if (!control) throw new Error(`no field ${name}`);
  return control;
}

export const valueOf = (form: HTMLElement, name: string) => controlOf(form, name).value.trim();
export const checkedOf = (form: HTMLElement, name: string) => (controlOf(form, name) as HTMLInputElement).checked;

/** Clears every field error and the form's summary. */
export function clearErrors(form: HTMLElement): void {
  for (const error of form.querySelectorAll<HTMLElement>('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  form.querySelector('.form-summary')?.replaceChildren();
}

/** Field messages next to their fields (matched by the API's field path), the rest in the summary. */
export function showErrors(form: HTMLElement, message: string, issues: readonly FieldIssue[]): void {
  clearErrors(form);
  const unplaced: FieldIssue[] = [];
  let first: Control | undefined;
  for (const issue of issues) {
    const wrapper = findField(form, issue.field);
    const error = wrapper?.querySelector<HTMLElement>('.field-error');
    if (!wrapper || !error) {
      unplaced.push(issue);
      continue;
    }
    error.hidden = false;
    error.textContent = error.textContent ? `${error.textContent}；${translate(issue.message)}` : translate(issue.message);
    const control = wrapper.querySelector<Control>('input, select, textarea');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? undefined;
  }
  const summary = form.querySelector('.form-summary');
  summary?.replaceChildren(
    notice('error', issues.length ? `有 ${issues.length} 处需要修改，请看标出的内容。` : translate(message)),
    ...(unplaced.length ? [h('ul', {}, ...unplaced.map((i) => h('li', {}, `${i.field}：${translate(i.message)}`)))] : []),
  );
  (first ?? summary?.querySelector<HTMLElement>('[role=alert]'))?.focus?.();
}

/** A field path from the API (responses.0.response, company.name, body) to the field that shows it. */
function findField(form: HTMLElement, path: string): HTMLElement | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const found = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(p)}"]`);
    if (found) return found;
  }
  return undefined;
}

/** Common API phrases in Chinese; anything else is shown as the API said it. */
const PHRASES: [RegExp, string][] = [
  [/^must not be blank$/, '必填，不能为空'],
  [/^must be an 18-character 统一社会信用代码$/, '须为 18 位统一社会信用代码'],
  [/^must be a whole number of fen.*$/, '请填写金额（最多两位小数）'],
  [/^must be more than 0$/, '须大于 0'],
  [/^must be 杨浦区$/, '须为杨浦区注册企业'],
  [/^at most (\d+) fen \((.+)\)$/, '不得超过 ¥$2'],
  [/^at most (\d+) characters$/, '最多 $1 个字'],
  [/^give at least one reason$/, '请至少写一条理由'],
  [/^list every missing item$/, '请逐项列出需补正的材料'],
  [/^must be a real date written YYYY-MM-DD$/, '请填写有效日期'],
  [/^not after today$/, '不能晚于今天'],
];

export function translate(message: string): string {
  for (const [pattern, zh] of PHRASES) if (pattern.test(message)) return message.replace(pattern, zh);
  return message;
}

/** A form that submits through `action`, shows the API's refusal in place and disables itself while busy. */
export function apiForm(options: { label: string; submitText: string; fields: HTMLElement[]; action: (form: HTMLFormElement) => Promise<void>; extra?: HTMLElement[]; className?: string }): HTMLFormElement {
  const button = h('button', { type: 'submit', class: 'button primary' }, options.submitText);
  const form = h(
    'form',
    { class: `api-form ${options.className ?? ''}`, 'aria-label': options.label, novalidate: true },
    h('div', { class: 'form-summary', 'aria-live': 'polite' }),
    ...options.fields,
    ...(options.extra ?? []),
    h('div', { class: 'form-actions' }, button),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = [...form.querySelectorAll<Control>('[required]')].filter((c) => (c instanceof HTMLInputElement && c.type === 'checkbox' ? !c.checked : c.value.trim() === ''));
    if (missing.length) {
      showErrors(form, '还有必填项没有填写', missing.map((c) => ({ field: c.name, message: 'must not be blank' })));
      return;
    }
    clearErrors(form);
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await options.action(form);
    } catch (error) {
      if (error instanceof ApiError) showErrors(form, error.message, error.issues);
      else if (error instanceof LocalIssues) showErrors(form, error.message, error.issues);
      else showErrors(form, `出错了：${(error as Error).message}`, []);
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return form;
}

/** Problems found in the browser before anything is sent, shown like the API's. */
export class LocalIssues extends Error {
  constructor(
    message: string,
    readonly issues: FieldIssue[],
  ) {
    super(message);
  }
}

/** The controls of a form planned from a body schema (schema-form.ts), drawn like every other form's. */
export function plannedFields(plan: readonly PlannedField[]): HTMLElement[] {
  return plan.map((p) =>
    field({
      name: p.name,
      label: p.label,
      type: p.kind === 'date' ? 'date' : p.kind === 'textarea' || p.kind === 'lines' ? 'textarea' : p.kind === 'select' ? 'select' : p.kind === 'checkbox' ? 'checkbox' : 'text',
      value: p.value,
      required: p.required,
      ...(p.hint ? { hint: p.hint } : {}),
      ...(p.options ? { options: p.options } : {}),
      ...(p.kind === 'money' || p.kind === 'number' ? { attrs: { inputmode: 'decimal' } } : p.kind === 'integer' ? { attrs: { inputmode: 'numeric' } } : {}),
    }),
  );
}

/** The body a planned form's controls say; throws LocalIssues (shown like the API's) before anything is sent. */
export function plannedBody(form: HTMLElement, plan: readonly PlannedField[]): Record<string, unknown> {
  const { body, issues } = bodyOf(plan, (name) => {
    const control = controlOf(form, name);
    return control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
  });
  if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
  return body;
}
