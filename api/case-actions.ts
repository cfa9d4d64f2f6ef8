import { z } from 'zod';
import { actionNamed, type ActionGrant, type CaseAction, type CaseModule, type CaseStateBase } from '../cases/case-module.js';
import { CASE_MODULES, moduleForStreamType } from '../cases/registry.js';
import type { RoutePolicy } from './authorization/permissions.js';
import { HttpError } from './http-errors.js';

/**
 * The actions of every case type, by their URL name, as the one action route
 * (POST /api/cases/:caseId/:action), its permission entries and its OpenAPI document read them.
 * Everything here comes from the case modules of cases/registry.ts.
 */
export const CASE_ACTION_URL = '/api/cases/:caseId/:action';

/** The URL of one action, as the permission matrix and the tests name it. */
export const actionUrl = (name: string) => `/api/cases/:caseId/${name}`;

/** One declaration of an action: the module that declares it and the action. */
export interface DeclaredAction {
  module: CaseModule;
  action: CaseAction<CaseStateBase>;
}

/** Every action name, in the order the modules declare them, with every module that declares it. */
const grantsNobody = (who: ActionGrant): boolean => !who.applicant && !who.official && !who.expert;

export function declaredActions(): ReadonlyMap<string, readonly DeclaredAction[]> {
  const byName = new Map<string, DeclaredAction[]>();
  for (const module of CASE_MODULES) {
    // An action no person is granted (a call's batch decision reaching its applications, an objection
    // lodged through the public 公示 route) is taken by the system alone: no action route serves it.
    for (const action of module.actions.filter((a) => !grantsNobody(a.who))) byName.set(action.name, [...(byName.get(action.name) ?? []), { module, action }]);
  }
  return byName;
}

const expectedVersion = z.int().nonnegative().optional().meta({ description: 'the case version you saw (GET /api/cases/:caseId); a stale one is refused with 409 concurrency' });
const requestBodies = new WeakMap<CaseAction<CaseStateBase>, z.ZodObject>();

/** What the route accepts for an action: its body and, optionally, the version the sender saw. */
export function requestBodyOf(action: CaseAction<CaseStateBase>): z.ZodObject {
  let body = requestBodies.get(action);
  if (!body) requestBodies.set(action, (body = action.body.extend({ expectedVersion })));
  return body;
}

const ANNOTATIONS = new Set(['title', 'description', 'unit', 'examples']);

/** A JSON Schema without the words for people (titles, hints, units): what a body accepts, and nothing else. */
function acceptedShape(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(acceptedShape);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !ANNOTATIONS.has(key))
      .map(([key, value]) => [key, key === 'properties' || key === '$defs' ? Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, acceptedShape(child)])) : acceptedShape(value)]),
  );
}

const schemaText = (body: z.ZodType) => JSON.stringify(acceptedShape(z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' })));

/**
 * The distinct request bodies of one action name: one where every module that declares the name
 * accepts the same bodies (the loan's and the applications' 补正 and withdrawal, whatever their
 * hints say), several otherwise.
 */
export function distinctBodies(declarations: readonly DeclaredAction[]): z.ZodObject[] {
  const seen = new Map<string, z.ZodObject>();
  for (const { action } of declarations) {
    const body = requestBodyOf(action);
    const key = schemaText(body);
    if (!seen.has(key)) seen.set(key, body);
  }
  return [...seen.values()];
}

const union = <T>(lists: readonly (readonly T[] | undefined)[]): T[] | undefined => (lists.some((l) => l === undefined) ? undefined : [...new Set(lists.flatMap((l) => l!))]);

/**
 * The route-level grant of an action name: its module's grant, or — where several modules declare
 * the name with different grants — the least grant covering them all. The route then holds the
 * caller to the grant of the case's own module (api/routes/case-actions.routes.ts), so a wider entry
 * here lets nobody act beyond their module's grant.
 */
export function policyOfAction(declarations: readonly DeclaredAction[]): RoutePolicy {
  const grants = declarations.map((d) => d.action.who);
  const officials = grants.map((g) => g.official).filter((o) => o !== undefined);
  const policy: RoutePolicy = {};
  if (grants.some((g) => g.applicant)) policy.applicant = true;
  if (grants.some((g) => g.expert)) policy.expert = true;
  if (officials.length > 0) {
    const duties = union(officials.map((o) => o.duties));
    const departments = union(officials.map((o) => o.departments));
    policy.official = { ...(duties ? { duties } : {}), ...(departments ? { departments } : {}) };
  }
  return policy;
}

/** The permission matrix's entries of the action route: one per action URL, from the modules' `who`. */
export function actionPermissions(): Record<string, RoutePolicy> {
  return Object.fromEntries([...declaredActions()].map(([name, declarations]) => [`POST ${actionUrl(name)}`, policyOfAction(declarations)]));
}

/** The permission matrix's entries of the opening routes (POST /api/cases/<caseType>): each module's `opening.who`. */
export function openingPermissions(): Record<string, RoutePolicy> {
  return Object.fromEntries(
    CASE_MODULES.filter((module) => module.opening).map((module) => {
      const who = module.opening!.who;
      const policy: RoutePolicy = {};
      if (who.applicant) policy.applicant = true;
      if (who.official) policy.official = { ...(who.official.duties ? { duties: who.official.duties } : {}), ...(who.official.departments ? { departments: who.official.departments } : {}) };
      return [`POST /api/cases/${module.caseType}`, policy];
    }),
  );
}

/**
 * The permission matrix's entry of a request that takes one action on several cases at once (批量认领,
 * POST /api/worklist/claims): the action's own entry, so that nobody may ask in bulk what they may not
 * ask case by case. Each case is then held to its module's grant and scope by the action route itself.
 */
export function bulkActionPermission(name: string): RoutePolicy {
  const declarations = declaredActions().get(name);
  if (!declarations) throw new Error(`no case type has the action ${name}: nothing to take in bulk`);
  return policyOfAction(declarations);
}

/**
 * The refusal of an action the case's type does not have (认领 on an application, which has no such
 * step), or undefined when it has it. Asked before anyone's grant is weighed: the grants of the name
 * are another case type's, and refusing by them told a district's reviewer that only 市文旅局 could
 * claim its own application.
 */
export function actionNotOnCaseType(row: { case_type: string; reference_no: string }, name: string): HttpError | undefined {
  const declarations = declaredActions().get(name);
  if (!declarations) return undefined;
  const module = moduleForStreamType(row.case_type);
  if (module && actionNamed(module, name)) return undefined;
  const typeName = module?.name ?? row.case_type;
  const owners = [...new Set(declarations.map((d) => d.module.name))].join('、');
  const theirs = module ? `; its actions: ${module.actions.map((a) => a.name).join(', ')}` : '';
  return new HttpError(409, 'illegal-state', `办件 ${row.reference_no} 是${typeName}，不能办理这项操作（它属于${owners}）。`, [], {}, {}, `${name} is an action on ${owners}; case ${row.reference_no} is a ${typeName} (${row.case_type})${theirs}`);
}
