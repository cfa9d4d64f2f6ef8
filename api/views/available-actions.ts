import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { ActionFormContext, FieldLimit, OpeningContext } from '../../cases/case-module.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import { grantsAction, type ActionGrant, type CaseAction, type CaseModule, type CaseStateBase } from '../../cases/case-module.js';
import type { OfficialDuty } from '../../domain/cases/actor.js';
import { ownCaseRefusal } from '../../domain/cases/own-case.js';
import { actorOf, type Account } from '../auth/sessions.js';

/** An action as the case page offers it: its form (a JSON Schema with zh-CN titles), and whether it may be taken now. */
export interface AvailableAction {
  name: string;
  label: string;
  submit: string;
  done: string;
  tone: 'danger' | null;
  /** The page asks before it sends it: it settles something for good (see asksFirst). */
  asksFirst: boolean;
  explain: string | null;
  prefill: Record<string, unknown>;
  bodySchema: Record<string, unknown>;
  enabled: boolean;
  disabledReason: string | null;
  /** This account has taken the action at this step already (claimed the filing, scored the case): nothing is left to do. */
  alreadyTaken: boolean;
}

const bodySchemas = new WeakMap<CaseAction<CaseStateBase>, Record<string, unknown>>();

/** The action's body as JSON Schema, `.meta` titles, descriptions, units and formats included; built once per action. */
export function bodySchemaOf(action: CaseAction<CaseStateBase>): Record<string, unknown> {
  let schema = bodySchemas.get(action);
  if (!schema) {
    const { $schema: _, ...rest } = z.toJSONSchema(action.body, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    bodySchemas.set(action, (schema = rest));
  }
  return schema;
}

/** The schema less the fields the form does not ask at this case: a copy, the cached schema stays whole. */
function withoutFields(schema: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return schema;
  const properties = Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, unknown>).filter(([name]) => !fields.includes(name)));
  const required = ((schema.required ?? []) as string[]).filter((name) => !fields.includes(name));
  return { ...schema, properties, ...(schema.required ? { required } : {}) };
}

/**
 * The schema with the fields the case gives choices for asked as those choices (an enum, each value
 * named in `enumLabels`, as the forms show a choice): a copy, the cached schema stays whole. The route
 * still takes the field as its own schema does; the decider refuses a value that is no choice.
 */
function withChoices(schema: Record<string, unknown>, choices: Readonly<Record<string, readonly { value: string; label: string }[]>> | undefined): Record<string, unknown> {
  const fields = Object.entries(choices ?? {}).filter(([, options]) => options.length > 0);
  if (fields.length === 0) return schema;
  const properties = { ...((schema.properties ?? {}) as Record<string, Record<string, unknown>>) };
  for (const [name, options] of fields) {
    if (!properties[name]) continue;
    const { minLength: _min, maxLength: _max, pattern: _pattern, ...rest } = properties[name]!;
    properties[name] = { ...rest, enum: options.map((o) => o.value), enumLabels: Object.fromEntries(options.map((o) => [o.value, o.label])) };
  }
  return { ...schema, properties };
}

/** The schema with fields titled as the action is worded at this step (放弃原因 where the borrower declines a loan): a copy. */
function withTitles(schema: Record<string, unknown>, titles: Readonly<Record<string, string>> | undefined): Record<string, unknown> {
  if (!titles) return schema;
  const properties = { ...((schema.properties ?? {}) as Record<string, Record<string, unknown>>) };
  for (const [name, title] of Object.entries(titles)) if (properties[name]) properties[name] = { ...properties[name], title };
  return { ...schema, properties };
}

/** The schema with the case's limits on its fields (CaseAction.fieldLimits): a copy, the cached schema stays whole. */
function withLimits(schema: Record<string, unknown>, limits: Readonly<Record<string, FieldLimit>> | undefined): Record<string, unknown> {
  if (!limits) return schema;
  const properties = { ...((schema.properties ?? {}) as Record<string, Record<string, unknown>>) };
  for (const [name, limit] of Object.entries(limits)) if (properties[name]) properties[name] = { ...properties[name], ...limit };
  return { ...schema, properties };
}

/**
 * What the account may do on the case at its step: the actions of its module at the case's status
 * that the account's role, duty and department are granted (so an applicant sees only the
 * applicant's steps, an official only officials'; auditors and admins act on no case), each
 * enabled or disabled with the case's own reason (four-eyes, recusal, the applicant's own case)
 * in Chinese. The same actor and rules the action route and the decider use. `context` is what the
 * API read beside the case for the forms (the applicant's awards against a yearly cap).
 */
export function availableActions(module: CaseModule, state: CaseStateBase, account: Account, now: number, context?: ActionFormContext): AvailableAction[] {
  if (account.role !== 'applicant' && account.role !== 'official' && account.role !== 'expert') return [];
  // A case that has ended takes no action (its workflow refuses them all): none is offered.
  if (module.isTerminal(state as never)) return [];
  const actor = actorOf(account);
  // The department whose move it is sees the step's actions even where a duty is missing, disabled
  // with the reason (the reviewer at the funding decision sees 四眼原则); others see only their own.
  const movingDepartment = module.nextStep(state).waitingFor?.department;
  return module.actions
    .filter((action) => action.at.includes(state.status) && (action.concerns?.(state) ?? true))
    .filter((action) => grantsAction(action.who, account) || (account.role === 'official' && action.who.official !== undefined && account.department === movingDepartment && grantsDepartment(action.who, account)))
    .map((action) => {
      const refusal = ownCaseRefusal(actor, state.applicant?.accountId, module)?.zh ?? action.availability(state, actor, now) ?? (grantsAction(action.who, account) ? undefined : missingDuty(action.who));
      const words = action.wordedAt?.(state) ?? action;
      return {
        name: action.name,
        label: words.label,
        submit: words.submit ?? words.label,
        done: words.done,
        tone: action.tone ?? null,
        asksFirst: asksFirst(action),
        explain: action.explain?.(state, actor, context) ?? null,
        prefill: action.prefill?.(state, { ...context, actor }) ?? {},
        bodySchema: withLimits(
          withTitles(withChoices(withoutFields(bodySchemaOf(action), action.notAsked?.(state) ?? []), action.choices?.(state)), 'fieldTitles' in words ? words.fieldTitles : undefined),
          action.fieldLimits?.(state),
        ),
        enabled: refusal === undefined,
        disabledReason: refusal ?? null,
        alreadyTaken: action.alreadyTaken?.(state, actor) ?? false,
      };
    });
}

const DUTY_NAMES: Record<OfficialDuty, string> = { reviewer: '审查', approver: '审批', director: '处长（负责人）', supervisor: '分管领导' };

function grantsDepartment(grant: ActionGrant, account: Account): boolean {
  const departments = grant.official?.departments;
  return !departments || (account.department !== undefined && account.department !== null && departments.includes(account.department));
}

function missingDuty(grant: ActionGrant): string {
  const duties = grant.official?.duties ?? [];
  return `此步骤须由具有${duties.map((d) => DUTY_NAMES[d]).join('或')}职责的工作人员办理。`;
}

/** A case of another type the account may open against this one (a recovery of what was overpaid). */
export interface AvailableOpening {
  caseType: string;
  label: string;
  explain: string;
  prefill: Record<string, unknown>;
  bodySchema: Record<string, unknown>;
  /** The case already opened for this one, where its type allows one per case. */
  existingCaseId: string | null;
}

const openingSchemas = new WeakMap<object, Record<string, unknown>>();

/**
 * The openings of every module whose `opening.offer` takes this case as its source and whose
 * `opening.who` grants the account; `existingCaseId` names the case already opened where the type
 * allows one per case (the route would answer with it).
 */
export function availableOpenings(
  modules: readonly CaseModule[],
  source: Parameters<NonNullable<NonNullable<CaseModule['opening']>['offer']>>[0],
  account: Account,
  caseIdOfKey: (caseType: string, key: string) => string,
  existing: ReadonlySet<string>,
): AvailableOpening[] {
  if (account.role !== 'applicant' && account.role !== 'official' && account.role !== 'expert') return [];
  return modules.flatMap((module) => {
    const opening = module.opening;
    if (!opening?.offer || !grantsAction(opening.who, account)) return [];
    const offer = opening.offer(source);
    if (!offer) return [];
    let schema = openingSchemas.get(opening);
    if (!schema) {
      const { $schema: _, ...rest } = z.toJSONSchema(opening.body, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      openingSchemas.set(opening, (schema = rest));
    }
    const key = opening.oneCasePer?.(offer.prefill);
    const existingId = key === undefined ? undefined : caseIdOfKey(module.caseType, key);
    return [{ caseType: module.caseType, ...offer, bodySchema: schema, existingCaseId: existingId && existing.has(existingId) ? existingId : null }];
  });
}

/** The case ids a module with one case per key would give the openings offered on this case. */
export function openingCaseIds(modules: readonly CaseModule[], source: Parameters<NonNullable<NonNullable<CaseModule['opening']>['offer']>>[0], caseIdOfKey: (caseType: string, key: string) => string): string[] {
  return modules.flatMap((module) => {
    const offer = module.opening?.offer?.(source);
    const key = offer && module.opening?.oneCasePer?.(offer.prefill);
    return key === undefined ? [] : [caseIdOfKey(module.caseType, key)];
  });
}

/** The case id of a case type that allows one case per key (one recovery per award): the key decides it, so a second opening finds the first. */
export function caseIdOfKey(caseType: string, key: string): string {
  const hex = createHash('sha256').update(`${caseType}\u0000${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A case as an opening against it reads it: its own module's state and its read-model columns. */
export function openingSourceOf(row: Selectable<CasesTable>): NonNullable<OpeningContext['source']> {
  return {
    caseId: row.case_id,
    caseType: row.case_type,
    referenceNo: row.reference_no,
    applicant: { accountId: row.applicant_account_id, displayName: row.applicant_name },
    department: row.department,
    programmeId: row.programme_id,
    state: row.state,
  };
}


/**
 * Whether taking the action settles something for good, so that the page asks before it sends it: a
 * refusal, a closing, a withdrawal or a recusal (the danger tone), an approval (an action named
 * approve…: 备案通过, 同意资助, 给予支持, 批准名单, 批准预算), and money recorded as moved (the
 * action's asksFirst: 登记放款, 登记还款, 登记拨付). An outside tester's 登记放款 of 320,000.00 took one click.
 */
export function asksFirst(action: Pick<CaseAction<CaseStateBase>, 'name' | 'tone' | 'asksFirst'>): boolean {
  return action.tone === 'danger' || /^approve(-|$)/.test(action.name) || action.asksFirst === true;
}
