import { ApiError, type FieldIssue } from './api.js';
import { h, notice, uid } from './dom.js';
import { dateTimeInWords } from './format.js';
import { bodyOf, type PlannedField } from './schema-form.js';
import { documentPicker } from './document-picker.js';
import { draftKey } from './session.js';

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

export interface ApiFormOptions {
  label: string;
  submitText: string;
  fields: HTMLElement[];
  action: (form: HTMLFormElement) => Promise<void>;
  extra?: HTMLElement[];
  className?: string;
  /**
   * Keep what is typed as a draft across reloads (see `keepDrafts`). On by default for forms drawn
   * from an action's body schema (plannedFields); the application forms ask for it.
   */
  draft?: boolean;
}

/** A form that submits through `action`, shows the API's refusal in place and disables itself while busy. */
export function apiForm(options: ApiFormOptions): HTMLFormElement {
  const button = h('button', { type: 'submit', class: 'button primary' }, options.submitText);
  const form = h(
    'form',
    { class: `api-form ${options.className ?? ''}`, 'aria-label': options.label, novalidate: true },
    h('div', { class: 'form-summary', 'aria-live': 'polite' }),
    ...options.fields,
    ...(options.extra ?? []),
    h('div', { class: 'form-actions' }, button),
  );
  const draft = (options.draft ?? options.fields.some((f) => planned.has(f))) ? keepDrafts(form, options.label) : undefined;
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
    // Gone before the request: an action that shows its page again must not find its own draft there.
    draft?.discard();
    try {
      await options.action(form);
    } catch (error) {
      draft?.save();
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

type FormValues = Record<string, string | boolean>;

/** The form's answers by control name; never a password (nor a file, nor what the page itself fixed). */
function valuesOf(form: HTMLFormElement): FormValues {
  const values: FormValues = {};
  for (const control of form.querySelectorAll<Control>('input[name], select[name], textarea[name]')) {
    if (control instanceof HTMLInputElement) {
      if (['password', 'file', 'hidden', 'submit', 'button', 'reset', 'image'].includes(control.type)) continue;
      if (control.type === 'checkbox') values[control.name] = control.checked;
      else if (control.type === 'radio') {
        if (control.checked) values[control.name] = control.value;
        else values[control.name] ??= '';
      } else values[control.name] = control.value;
    } else values[control.name] = control.value;
  }
  return values;
}

function fillIn(form: HTMLFormElement, values: FormValues): void {
  for (const control of form.querySelectorAll<Control>('input[name], select[name], textarea[name]')) {
    const value = values[control.name];
    if (value === undefined) continue;
    if (control instanceof HTMLInputElement && control.type === 'password') continue;
    if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
    else if (control instanceof HTMLInputElement && control.type === 'radio') control.checked = control.value === value;
    // A choice the list no longer offers is left as the page set it.
    else if (control instanceof HTMLSelectElement && ![...control.options].some((o) => o.value === value)) continue;
    else control.value = String(value);
  }
}

const same = (a: FormValues, b: FormValues) => Object.keys({ ...a, ...b }).every((k) => a[k] === b[k]);

/**
 * What is typed into the form, kept in this tab's sessionStorage under the signed-in account, the
 * page's address and the form's label (so per form and per case), from each keystroke until it is
 * sent; a reload, or a return to the page, puts it back and says so, with a way to throw it away.
 * The key is fixed when the form is drawn: a request refused because the session ended still keeps
 * the draft for when the same person signs in again. Nothing is kept for nobody signed in.
 */
function keepDrafts(form: HTMLFormElement, label: string): { save(): void; discard(): void } | undefined {
  const key = draftKey(`${location.hash}|${label}`);
  if (!key) return undefined;
  const initial = valuesOf(form);
  const discard = () => sessionStorage.removeItem(key);
  const save = () => {
    const values = valuesOf(form);
    if (same(values, initial)) return discard();
    try {
      sessionStorage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), values }));
    } catch {
      // Storage full or refused: the form works as before, without a draft.
    }
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);

  let stored: { savedAt: string; values: FormValues } | undefined;
  try {
    stored = JSON.parse(sessionStorage.getItem(key) ?? 'null') ?? undefined;
  } catch {
    discard();
  }
  if (stored && !same(stored.values, initial)) {
    fillIn(form, stored.values);
    const throwAway = h('button', { type: 'button', class: 'button link' }, '放弃草稿，重新填写');
    const restored = h('p', { class: 'notice notice-info draft-notice', role: 'status' }, `已恢复您上次未提交的填写内容（草稿保存于 ${dateTimeInWords(stored.savedAt)}）。`, ' ', throwAway);
    throwAway.addEventListener('click', () => {
      fillIn(form, initial);
      discard();
      restored.replaceWith(notice('info', '已放弃草稿，表单已恢复为初始内容。'));
      form.querySelector<Control>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])')?.focus();
    });
    form.querySelector('.form-summary')!.after(restored);
  }
  return { save, discard };
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

/** Fields drawn by plannedFields: a form of them keeps drafts unless it says otherwise. */
const planned = new WeakSet<HTMLElement>();

/** The controls of a form planned from a body schema (schema-form.ts), drawn like every other form's. */
export function plannedFields(plan: readonly PlannedField[]): HTMLElement[] {
  const fields = plan.map((p) =>
    p.kind === 'documents' ? documentPicker(p) : field({
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
  for (const f of fields) planned.add(f);
  return fields;
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
