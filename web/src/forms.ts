import { ApiError, type FieldIssue } from './api.js';
import { h, notice, uid } from './dom.js';
import { dateTimeInWords } from './format.js';
import { bareLabel, bodyOf, type PlannedField } from './schema-form.js';
import { documentPicker } from './document-picker.js';
import { refresh } from './nav.js';
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

/** Clears every field error, the form's summary and a failure shown beside its button. */
export function clearErrors(form: HTMLElement): void {
  for (const error of form.querySelectorAll<HTMLElement>('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  form.querySelector('.form-summary')?.replaceChildren();
  form.querySelector('.request-failure')?.remove();
  if (document.title.startsWith(ERROR_TITLE)) document.title = document.title.slice(ERROR_TITLE.length);
}

/** The tab's title says so while a form shows its problems (GOV.UK: a screen reader hears it first). */
const ERROR_TITLE = '错误：';

/** A field's name as its label shows it (without the required mark), for messages that name it. */
export function fieldLabel(wrapper: Element): string {
  const label = wrapper.querySelector('legend') ?? wrapper.querySelector('label');
  if (!label) return '';
  const copy = label.cloneNode(true) as HTMLElement;
  for (const mark of copy.querySelectorAll('.required, input, select, textarea')) mark.remove();
  return (copy.textContent ?? '').trim();
}

/** The control a field's error link moves focus to: its input, or the button that chooses its files. */
function focusTarget(wrapper: Element): HTMLElement | null {
  return wrapper.querySelector<HTMLElement>('input:not([type=hidden]):not([tabindex="-1"]), select, textarea, button');
}

/**
 * Every problem at once (一次告知), the GOV.UK way: a summary at the top of the form listing each
 * one as a link that moves focus to its field, and each message at its own field. Focus goes to the
 * summary, so the person hears how many there are and can go through them. Issues that name no field
 * of this form are listed in the summary without a link.
 */
export function showErrors(form: HTMLElement, message: string, issues: readonly FieldIssue[]): void {
  clearErrors(form);
  const items: HTMLElement[] = [];
  for (const issue of issues) {
    const text = translate(issue.message);
    const wrapper = findField(form, issue.field);
    const error = wrapper?.querySelector<HTMLElement>('.field-error');
    if (!wrapper || !error) {
      items.push(h('li', {}, text));
      continue;
    }
    error.hidden = false;
    error.textContent = error.textContent ? `${error.textContent}；${text}` : text;
    const control = focusTarget(wrapper);
    // A group names which of its controls its problem is about (data-invalid-marks); a field marks its own.
    for (const invalid of wrapper.querySelectorAll((wrapper as HTMLElement).dataset.invalidMarks ?? 'input:not([type=hidden]), select, textarea')) invalid.setAttribute('aria-invalid', 'true');
    const name = fieldLabel(wrapper);
    // A message that names its field (请填写剧名) is link enough; one that does not is prefixed with the field's name.
    const link = h('a', { href: control?.id ? `#${control.id}` : '#' }, name && !text.includes(bareLabel(name)) ? `${name}：${text}` : text);
    // The address is the page's (hash routing): the link moves focus, never the location.
    link.addEventListener('click', (event) => {
      event.preventDefault();
      // A form in steps (steps.ts) shows the step that holds the field before it takes focus.
      wrapper.dispatchEvent(new CustomEvent(REVEAL_FIELD, { bubbles: true }));
      (wrapper.querySelector('label, legend') ?? wrapper).scrollIntoView({ block: 'start' });
      control?.focus({ preventScroll: true });
    });
    fieldOfSummaryLink.set(link, wrapper);
    items.push(h('li', {}, link));
  }
  const summary = form.querySelector<HTMLElement>('.form-summary');
  if (!summary) return;
  if (issues.length === 0) {
    summary.replaceChildren(notice('error', translate(message)));
    summary.querySelector<HTMLElement>('[role=alert]')?.setAttribute('tabindex', '-1');
    summary.querySelector<HTMLElement>('[role=alert]')?.focus();
    return;
  }
  const headingId = uid('error-summary');
  const box = h(
    'div',
    { class: 'error-summary', role: 'alert', tabindex: -1, 'aria-labelledby': headingId },
    h('h2', { id: headingId, class: 'error-summary-title' }, `有 ${issues.length} 处需要修改`),
    h('ul', { class: 'error-summary-list' }, ...items),
  );
  summary.replaceChildren(box);
  document.title = `${ERROR_TITLE}${document.title}`;
  form.dispatchEvent(new CustomEvent(ERRORS_SHOWN));
  box.focus();
}

/**
 * The field each line of a summary is about. Clearing a step finds its lines by the field, not by
 * the control the link moves to: a documents field's link pointed at a button without an id, so a
 * refused file removed and its step put right left 有 1 处需要修改 on the page, and on the next step.
 */
const fieldOfSummaryLink = new WeakMap<HTMLAnchorElement, Element>();

/** Sent on a field's wrapper when an error link is followed: whoever hides it (a step) shows it. */
export const REVEAL_FIELD = 'youchuang:reveal-field';
/** Sent on a form once its error summary lists problems. */
export const ERRORS_SHOWN = 'youchuang:errors-shown';
/** Sent on a form when its draft is thrown away (放弃草稿). */
export const DRAFT_DISCARDED = 'youchuang:draft-discarded';

/**
 * Clears the problems of the fields inside `part` of a form (a step just put right), and their lines
 * in the summary; the summary goes once nothing is left in it, and its count follows what is left.
 */
export function clearErrorsWithin(form: HTMLElement, part: HTMLElement): void {
  for (const error of part.querySelectorAll<HTMLElement>('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const control of part.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const box = form.querySelector<HTMLElement>('.error-summary');
  if (!box) return;
  for (const link of box.querySelectorAll<HTMLAnchorElement>('.error-summary-list a')) {
    const field = fieldOfSummaryLink.get(link);
    if (field && part.contains(field)) link.closest('li')?.remove();
  }
  const left = box.querySelectorAll('.error-summary-list li').length;
  if (left === 0) clearErrors(form);
  else box.querySelector('.error-summary-title')!.textContent = `有 ${left} 处需要修改`;
}

/**
 * A request that did not reach a decision (the network failed, or the server did: 5xx) is no fault
 * of what was typed: it is said beside the button that sent it, with 重试, which sends it again.
 */
export function showFailure(anchor: HTMLElement, error: unknown, retry: () => void): HTMLElement {
  anchor.parentElement?.querySelector('.request-failure')?.remove();
  const again = h('button', { type: 'button', class: 'button retry' }, '重试');
  const box = h('div', { class: 'request-failure', role: 'alert' }, h('p', { class: 'request-failure-text' }, failureText(error)), again);
  again.addEventListener('click', () => {
    box.remove();
    retry();
  });
  anchor.after(box);
  again.focus();
  return box;
}

/** Whether an error is a failure to get an answer (network, server) rather than a refusal of what was sent. */
export function isFailure(error: unknown): boolean {
  if (error instanceof LocalIssues) return false;
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
}

function failureText(error: unknown): string {
  if (error instanceof ApiError && error.status === 0) return '网络连接失败，没有提交成功。请检查网络后重试。';
  if (error instanceof ApiError) return error.message;
  return '出了点问题，没有完成。请重试；如果一直不成功，请稍后再来。';
}

/** A field path from the API (responses.0.response, company.name, body) to the field that shows it. */
function findField(form: HTMLElement, path: string): HTMLElement | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const found = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(p)}"]`);
    if (found) return found;
  }
  return undefined;
}

/** Every required control left empty inside `part` (a form, or one step of it), each named: all at once (一次告知). */
export function blankIssues(part: HTMLElement): FieldIssue[] {
  const missing = [...part.querySelectorAll<Control>('[required]')].filter((c) => (c instanceof HTMLInputElement && c.type === 'checkbox' ? !c.checked : c.value.trim() === ''));
  return missing.map((c) => ({ field: c.name, message: blankMessage(c) }));
}

/** What to say of a required control left empty, naming its field: 请填写项目名称, 请选择申请主体类型. */
function blankMessage(control: Control): string {
  const name = bareLabel(fieldLabel(control.closest('[data-field]') ?? control.parentElement!)) || '此项';
  if (control instanceof HTMLSelectElement) return `请选择${name}`;
  if (control instanceof HTMLInputElement && control.type === 'checkbox') return `请勾选“${name}”`;
  // A 补正 item's answer is named by the item: 请填写房屋租赁合同备案证明 read as if the certificate were missing though it was attached.
  if (/^responses\.\d+(\.response)?$/.test(control.name)) return `请填写对“${name}”的答复说明（已上传附件的，也请写一句说明）`;
  return `请填写${name}`;
}

/** Common API phrases in Chinese; anything else is shown as the API said it. */
const PHRASES: [RegExp, string][] = [
  [/^must not be blank$/, '必填，不能为空'],
  [/^must be an 18-character 统一社会信用代码$/, '须为 18 位统一社会信用代码'],
  [/^must be a whole number of fen.*$/, '请填写金额（最多两位小数）'],
  [/^must be more than 0$/, '须大于 0'],
  [/^must be 杨浦区$/, '须为杨浦区注册企业'],
  [/^at most (\d+) fen \((.+)\)$/, '不得超过 $2 元'],
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
  /**
   * A step that cannot be taken back (a decision): the first press asks, inline, with this
   * sentence; only its 确认 sends, and 取消 (or Esc) sends nothing. `check` finds in the browser,
   * before asking, what the request would be refused for (it throws LocalIssues).
   */
  confirm?: { text: string; check?: (form: HTMLFormElement) => void };
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
  const asking = options.confirm ? askFirst(form, button, options.confirm.text) : undefined;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // Taken at once: a press that is stopped below (a blank field) leaves the next one to ask again.
    const confirmed = asking?.confirmed() ?? false;
    const missing = blankIssues(form);
    if (missing.length) {
      asking?.withdraw();
      showErrors(form, '还有必填项没有填写', missing);
      return;
    }
    if (asking && !confirmed) {
      try {
        options.confirm?.check?.(form);
      } catch (error) {
        if (!(error instanceof LocalIssues)) throw error;
        asking.withdraw();
        showErrors(form, error.message, error.issues);
        return;
      }
      clearErrors(form);
      asking.ask();
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
      // 重试 sends what was confirmed already: it does not ask again.
      if (isFailure(error)) showFailure(button, error, () => (asking ? asking.send() : form.requestSubmit(button)));
      else {
        showErrors(form, (error as ApiError | LocalIssues).message, (error as ApiError | LocalIssues).issues);
        if (error instanceof ApiError && (error.code === 'concurrency' || error.code === 'illegal-state')) offerRefresh(form);
      }
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return form;
}

/**
 * The page is behind the case: someone changed it while the page was open (the refusal says who and
 * when), or the action was already taken, or the case is at another step. A button beside the
 * refusal shows the page again, as the case now is (what was typed is kept as a draft).
 */
function offerRefresh(form: HTMLFormElement): void {
  const alert = form.querySelector<HTMLElement>('.form-summary [role=alert]');
  if (!alert) return;
  const button = h('button', { type: 'button', class: 'button' }, '刷新，查看最新情况');
  button.addEventListener('click', () => void refresh());
  alert.append(' ', button);
}

/**
 * The question a form asks before it sends a step that cannot be taken back: in the form, where its
 * button was, the sentence and 确认 / 取消. Focus moves to it, so a screen reader reads the sentence
 * (the group is named by it); 取消 or Esc takes it back and focus returns to the button.
 */
function askFirst(form: HTMLFormElement, button: HTMLButtonElement, text: string) {
  let question: HTMLElement | undefined;
  let confirmed = false;
  const withdraw = () => {
    question?.remove();
    question = undefined;
    button.hidden = false;
  };
  const send = () => {
    withdraw();
    confirmed = true;
    button.focus();
    form.requestSubmit(button);
  };
  const ask = () => {
    if (question) return question.focus();
    const textId = uid('confirm');
    const yes = h('button', { type: 'button', class: 'button primary' }, '确认');
    const no = h('button', { type: 'button', class: 'button' }, '取消');
    question = h(
      'div',
      { class: `notice ${form.classList.contains('danger') ? 'notice-error' : 'notice-info'} confirm-step`, role: 'group', tabindex: -1, 'aria-labelledby': textId },
      h('p', { id: textId }, text),
      h('div', { class: 'confirm-actions' }, yes, no),
    );
    yes.addEventListener('click', send);
    no.addEventListener('click', () => {
      withdraw();
      button.focus();
    });
    question.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      withdraw();
      button.focus();
    });
    button.hidden = true;
    button.after(question);
    question.focus();
  };
  return {
    ask,
    send,
    withdraw,
    /** Whether this submission was confirmed (once: the next one asks again). */
    confirmed() {
      const was = confirmed;
      confirmed = false;
      return was;
    },
  };
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
  // Said where it is kept: a phone user who closed the browser had expected to find it again.
  form.querySelector('.form-summary')!.after(h('p', { class: 'hint draft-hint' }, '填写内容自动保存为草稿，只保存在本浏览器的这个标签页中：关闭标签页或换用其他设备后不再保留。'));
  if (stored && !same(stored.values, initial)) {
    fillIn(form, stored.values);
    const throwAway = h('button', { type: 'button', class: 'button link' }, '放弃草稿，重新填写');
    const restored = h('p', { class: 'notice notice-info draft-notice', role: 'status' }, `已恢复您上次未提交的填写内容（草稿保存于 ${dateTimeInWords(stored.savedAt)}）。`, ' ', throwAway);
    throwAway.addEventListener('click', () => {
      fillIn(form, initial);
      discard();
      form.dispatchEvent(new CustomEvent(DRAFT_DISCARDED));
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
