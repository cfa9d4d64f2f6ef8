import { post } from '../api.js';
import type { AvailableAction, AvailableOpening, CaseView } from '../case-model.js';
import { h, uid } from '../dom.js';
import { flash } from '../flash.js';
import { apiForm, plannedBody, plannedFields } from '../forms.js';
import { departmentName, isoDatesInWords, todayInShanghai } from '../format.js';
import { refresh } from '../nav.js';
import { planFields } from '../schema-form.js';
import type { SignedInAccount } from '../session.js';

/**
 * What the signed-in person may do on this case, as the API offers it (`availableActions`: only the
 * actions of the current step granted to them, each with its body schema, or why not now). Nothing
 * here knows a case type, an action or a step: the API decides, and the forms follow its schemas.
 */
export interface CaseActionsView {
  /** The actions to take now, near the top of the page. */
  main: HTMLElement | null;
  /** An applicant's closing moves (a withdrawal): folded away at the bottom, opened on purpose. */
  folded: HTMLElement[];
}

export function caseActions(c: CaseView, me: SignedInAccount): CaseActionsView {
  // An action this person has already taken (a claim they hold, a score they gave) is nothing left to do:
  // no greyed card for it; the case's facts say who holds the claim.
  const actions = (c.availableActions ?? []).filter((a) => !a.alreadyTaken);
  const applicant = me.role === 'applicant';
  const folds = (a: AvailableAction) => applicant && a.tone === 'danger';
  const shown = actions.filter((a) => !folds(a));
  return { main: applicant ? applicantCard(c, shown) : me.role === 'official' ? officialCard(c, shown) : null, folded: actions.filter(folds).map((a) => foldedAction(c, a)) };
}

function officialCard(c: CaseView, actions: readonly AvailableAction[]): HTMLElement | null {
  if (actions.length === 0) {
    if (c.waitingFor?.role !== 'official') return null;
    const who = departmentName(c.waitingFor.department) || '经办部门';
    return h('section', { class: 'card', 'aria-labelledby': 'actions-h' }, h('h2', { id: 'actions-h' }, '办理'), h('p', {}, `当前环节由${who}办理，您无需操作。`), c.waitingFor.note ? h('p', { class: 'muted' }, isoDatesInWords(c.waitingFor.note)) : null);
  }
  return h('section', { class: 'card actions', 'aria-labelledby': 'actions-h' }, h('h2', { id: 'actions-h' }, '办理'), h('div', { class: 'action-grid' }, ...actions.map((a) => actionBox(c, a))));
}

function applicantCard(c: CaseView, actions: readonly AvailableAction[]): HTMLElement | null {
  if (actions.length === 0) return null;
  return h('section', { class: 'card highlight actions', 'aria-labelledby': 'actions-h' }, h('h2', { id: 'actions-h' }, '待您办理'), h('div', { class: 'action-grid' }, ...actions.map((a) => actionBox(c, a))));
}

function foldedAction(c: CaseView, action: AvailableAction): HTMLElement {
  return h('details', { class: 'card withdraw' }, h('summary', {}, `不再需要？${action.label}`), actionBox(c, action));
}

/** Whether taking the action settles something for good, so that the page asks before it sends it: the API says (asksFirst). */
export function decides(action: Pick<AvailableAction, 'asksFirst'>): boolean {
  return action.asksFirst;
}

/** What the page asks before such an action: what will happen, and that it cannot be undone. */
export function confirmation(action: Pick<AvailableAction, 'label'>): string {
  return `确认“${action.label}”？提交后立即生效并记入办理过程，不能撤销。`;
}

/** One action: its heading, the line that explains it, its form, and — when it may not be taken now — why, with the form disabled. */
export function actionBox(c: CaseView, action: AvailableAction): HTMLElement {
  const plan = planFields(action.bodySchema, action.prefill, { today: todayInShanghai() });
  const danger = action.tone === 'danger';
  const form = apiForm({
    label: action.label,
    submitText: action.submit || action.label,
    className: danger ? 'danger' : '',
    fields: plannedFields(plan),
    ...(decides(action) ? { confirm: { text: confirmation(action), check: (f: HTMLFormElement) => void plannedBody(f, plan) } } : {}),
    async action(f) {
      await post(`/api/cases/${c.caseId}/${encodeURIComponent(action.name)}`, { expectedVersion: c.version, ...plannedBody(f, plan) });
      flash(action.done);
      await refresh();
    },
  });
  const box = h('div', { class: `action ${danger ? 'danger' : ''}`, 'data-action': action.name }, h('h3', {}, action.label), action.explain ? h('p', { class: 'muted explain' }, isoDatesInWords(action.explain)) : null, form);
  if (!action.enabled) {
    const id = uid('why');
    box.insertBefore(h('p', { class: 'constraint', id }, action.disabledReason ? isoDatesInWords(action.disabledReason) : '当前不能办理。'), form);
    for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select, button')) {
      control.disabled = true;
      control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
    }
    // Why not now is what matters; the greyed form, there to be read, is folded (an official saw the two
    // objection answers' full forms on a case with no objection left to answer).
    const folded = h('details', { class: 'disabled-form' }, h('summary', {}, '查看表单'));
    box.replaceChild(folded, form);
    folded.append(form);
  }
  return box;
}

/**
 * Cases of another type the person may open against this one, as the API offers them (a recovery
 * of what was overpaid): one form each, drawn from its body schema; once one is open, a link to it.
 */
export function openingsCard(c: CaseView): HTMLElement | null {
  const openings = c.availableOpenings ?? [];
  if (openings.length === 0) return null;
  return h('section', { class: 'card actions', 'aria-labelledby': 'openings-h' }, h('h2', { id: 'openings-h' }, '关联办理'), h('div', { class: 'action-grid' }, ...openings.map(openingBox)));
}

function openingBox(opening: AvailableOpening): HTMLElement {
  const box = h('div', { class: 'action', 'data-opening': opening.caseType }, h('h3', {}, opening.label), h('p', { class: 'muted explain' }, opening.explain));
  if (opening.existingCaseId) {
    box.append(h('p', {}, '已立案：', h('a', { href: `#/cases/${opening.existingCaseId}` }, '查看该案件')));
    return box;
  }
  const plan = planFields(opening.bodySchema, opening.prefill, { today: todayInShanghai() });
  box.append(
    apiForm({
      label: opening.label,
      submitText: opening.label,
      fields: plannedFields(plan),
      async action(f) {
        const created = await post<{ caseId: string; referenceNo: string }>(`/api/cases/${encodeURIComponent(opening.caseType)}`, plannedBody(f, plan));
        flash(`已立案，编号 ${created.referenceNo}。`);
        location.hash = `#/cases/${created.caseId}`;
      },
    }),
  );
  return box;
}
