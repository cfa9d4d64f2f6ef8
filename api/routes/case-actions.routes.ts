import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DocumentReferenceError, documentReferenceProblems, hasDocumentReferences, noteDocumentReferences, resolveDocumentReferences } from '../../db/documents/document-references.js';
import { z } from 'zod';
import { actionNamed, grantsAction, type ActionGrant, type CaseModule, type CaseStateBase } from '../../cases/case-module.js';
import { CASE_MODULES, moduleForStreamType } from '../../cases/registry.js';
import { officialsInWords } from '../../domain/accounts/assignment.js';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import { caseActionUpdate } from '../../workflows/case.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { actorOf } from '../auth/sessions.js';
import { readCase, visibleCase, visibleCaseRead } from '../authorization/case-access.js';
import { actionNotOnCaseType, actionUrl, CASE_ACTION_URL, declaredActions, distinctBodies, requestBodyOf, type DeclaredAction } from '../case-actions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError, toHttpError } from '../http-errors.js';
import { assertWellFormedInput } from '../input-guard.js';
import { answerOnClosedCase, caseClosed } from '../recorded-money.js';
import { route, type RouteDefinition } from '../route.js';
import { caseIdParams } from '../schemas/common.schemas.js';
import { actionResultResponse, caseTypesResponse } from '../schemas/responses.schemas.js';
import { applicantAwardsFor } from '../views/application.view.js';
import { caseFinished, caseView } from '../views/case.view.js';
import { caseRowAsSeenBy } from '../views/panel-confidentiality.js';

/** Who a grant names, in words, for a refusal. */
function whoIs(grant: ActionGrant): string {
  const who: string[] = [];
  if (grant.applicant) who.push('the applicant of the case');
  if (grant.official) {
    const { duties, departments } = grant.official;
    const of = departments ? ` of ${departments.map((d) => DEPARTMENTS[d]).join(' or ')}` : '';
    who.push(`officials${of}${duties ? ` with the duty ${duties.join(' or ')}` : ''}`);
  }
  return who.join(' or ') || 'nobody';
}

/** The same in Chinese. */
function whoIsInChinese(grant: ActionGrant): string {
  const who: string[] = [];
  if (grant.applicant) who.push('本件申请人');
  if (grant.official) {
    const { duties, departments } = grant.official;
    who.push(officialsInWords(duties, departments?.map((d) => DEPARTMENTS[d]).join('或')));
  }
  if (grant.expert) who.push('评审专家');
  return who.join('或') || '任何人都不';
}

/**
 * POST /api/cases/:caseId/:action — every action on every case type, through one route: the case
 * the account may see (api/authorization/case-access.ts), its module (cases/registry.ts), the
 * action of that module by name, its body, and the Temporal update the module names. Who may call
 * it is the permission matrix's entry for the action's own URL (api/authorization/permissions.ts,
 * from each action's `who`); the case's own rules (the step, four-eyes, recusal) are the decider's.
 */
export function caseActionRoutes(deps: ApiDependencies): RouteDefinition[] {
  const { db, temporal, clock } = deps;
  const byName = declaredActions();
  const actionNames = [...byName.keys()];

  const unknownAction = (name: string) => new HttpError(404, 'not-found', `没有“${name}”这项办理操作。`, [], {}, {}, `no action ${name} on any case type; GET /api/case-types lists them`);

  /** The module and action for this case, or the refusal: an action its case type does not have is a 409 that names the type. */
  function declaredFor(row: { case_type: string; reference_no: string }, name: string): { module: CaseModule; declared: DeclaredAction['action'] } {
    if (!byName.has(name)) throw unknownAction(name);
    const notOnType = actionNotOnCaseType(row, name);
    if (notOnType) throw notOnType;
    const module = moduleForStreamType(row.case_type)!;
    return { module, declared: actionNamed(module, name)! };
  }

  // The body of the route, for its document: each action's, titled by its name.
  const bodies = [...byName].flatMap(([name, declarations]) => distinctBodies(declarations).map((body) => body.meta({ title: name })));

  const params = caseIdParams.extend({
    action: z
      .string()
      .min(1)
      .max(100)
      .meta({ enum: actionNames, description: 'the action, by its name; GET /api/cases/:caseId lists those the caller may take now (availableActions)' }),
  });

  const summaryOf = (name: string) =>
    byName
      .get(name)!
      .map((d) => d.action.summary)
      .filter((s, i, all) => all.indexOf(s) === i)
      .join(' / ');

  const actionRoute = route({
    method: 'POST',
    url: CASE_ACTION_URL,
    summary: 'Take an action on a case: one route for every action of every case type (GET /api/case-types names them)',
    description:
      "The body is the action's own (the anyOf branch titled by the action's name), with an optional expectedVersion. " +
      "An action no case type has answers 404; one the case's type does not have, or not at the case's step, 409. The actions:\n" +
      actionNames.map((n) => `- ${n}: ${summaryOf(n)}`).join('\n'),
    tag: 'cases',
    access: 'signed-in',
    params,
    body: z.union(bodies as [z.ZodObject, ...z.ZodObject[]]),
    response: actionResultResponse,
    async bodyFor({ params: { caseId, action }, request, account }) {
      const declarations = byName.get(action);
      if (!declarations) throw unknownAction(action);
      const distinct = distinctBodies(declarations);
      // Malformed input (too deep, control characters) is refused before anything walks it.
      assertWellFormedInput(request.body, 'body', distinct[0]);
      const needsCase = distinct.length > 1 || declarations.some((d) => d.action.caseBodyIssues) || hasDocumentReferences(request.body);
      if (!needsCase) return distinct[0]!;
      // Case types that name an action alike but take different bodies: the case's own decides.
      const row = (await readCase(db, caseId, request))?.row;
      const own = row && declarations.find((d) => d.module.streamTypes.includes(row.case_type));
      const body = distinct.length === 1 ? distinct[0]! : requestBodyOf((own ?? declarations[0]!).action);
      // What is wrong against the case (a 补正's items) and with its files, told with the body's own problems, all at once.
      const raw = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
      const againstCase = [
        ...(row && own?.action.caseBodyIssues ? own.action.caseBodyIssues(row.state as unknown as CaseStateBase, raw) : []),
        ...(account ? await documentReferenceProblems(db, raw, { accountId: account.accountId, caseId }) : []),
      ];
      if (againstCase.length === 0) return body;
      return body.superRefine((_, ctx) => {
        for (const issue of againstCase) {
          ctx.addIssue({ code: 'custom', path: issue.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: issue.message, params: { code: issue.code, english: issue.english } });
        }
      });
    },
    async handle({ params: { caseId, action }, body, account, request, requestId = randomUUID() }) {
      const me = account!;
      const row = await visibleCase(db, caseId, me, request);
      const { module, declared } = declaredFor(row, action);
      // The matrix's entry covers every case type with this action name; the case's own module's grant is the one that holds.
      if (!grantsAction(declared.who, me)) {
        throw new HttpError(403, 'forbidden', `“${declared.label}”只能由${whoIsInChinese(declared.who)}办理；您是${me.displayName}。`, [], {}, {}, `only ${whoIs(declared.who)} may ${action} on a ${module.name}; you are ${me.displayName}`);
      }
      const { expectedVersion, ...fields } = body as Record<string, unknown> & { expectedVersion?: number };
      // Each referenced document becomes, in the command and so in the event, its id with its SHA-256.
      const documentIds = await resolveDocumentReferences(db, fields, { accountId: me.accountId, caseId }).catch((error: unknown) => {
        if (error instanceof DocumentReferenceError) throw new HttpError(400, 'validation', error.message, error.issues);
        throw error;
      });
      await noteDocumentReferences(db, caseId, documentIds, clock());
      const command = declared.toCommand(fields);
      const actor = actorOf(me);
      const result = await temporal.workflow
        .getHandle(caseWorkflowId(caseId))
        // The request's id is the update's too: the workflow answers a request sent again under it (a bulk
        // claim retried under its Idempotency-Key, api/routes/worklist-claims.routes.ts) with its first answer.
        .executeUpdate(caseActionUpdate(declared.update), { args: [{ actor, requestId, expectedVersion, action: command }], updateId: requestId })
        .catch(async (error: unknown) => {
          // The row as it is now, not as this request first read it: another request may have closed the
          // case meanwhile (30 repayments at once, one settling the loan), and the refusal names its final step.
          const current = (await readCase(db, caseId))?.row ?? row;
          // The action as it is worded at the case's final step (a loan's approval undone: 放弃借款, not 撤回申请).
          const label = (declared.wordedAt?.(current.state as never) ?? declared).label;
          if (!(error instanceof WorkflowNotFoundError)) {
            // A case whose last step is recorded while its workflow still finishes: refused as closed all the same, not as the wrong step.
            const refusal = toHttpError(error);
            if (refusal.rule?.code === 'not-at-this-step' && caseFinished(module, current)) throw caseClosed({ referenceNo: current.reference_no, statusLabel: current.status_label, state: current.state }, command.type, label);
            throw error;
          }
          // A closed case's workflow has ended: a repeat of what it recorded is still answered with the first record.
          const answer = await answerOnClosedCase(db, module, { caseId, referenceNo: current.reference_no, statusLabel: current.status_label }, command, actor, clock().getTime(), label);
          if (!answer) throw error;
          return answer;
        });
      const after = await visibleCaseRead(db, caseId, me);
      return { result, case: { ...caseView(caseRowAsSeenBy(after.row, me)), ...applicantAwardsFor(me, after.applicantAwards, after.row) } };
    },
  });

  // One route per action, as the matrix keys them and the tests walk them; each serves through the one route.
  actionRoute.variants = actionNames.map((name) => {
    const distinct = distinctBodies(byName.get(name)!);
    return route({
      ...actionRoute,
      url: actionUrl(name),
      summary: summaryOf(name),
      description: undefined,
      params: caseIdParams,
      body: distinct.length === 1 ? distinct[0]! : z.union(distinct as [z.ZodObject, ...z.ZodObject[]]),
      bodyFor: undefined,
      variants: undefined,
      handle: (input) => actionRoute.handle({ ...input, params: { ...(input.params as object), action: name } }),
    });
  });

  return [actionRoute, caseTypesRoute()];
}

/** GET /api/case-types: what the web's audit view and forms name statuses and actions by. */
function caseTypesRoute(): RouteDefinition {
  return route({
    method: 'GET',
    url: '/api/case-types',
    summary: 'Every case type: its stream types, zh-CN name, the labels of its statuses, its actions and its events',
    tag: 'cases',
    access: 'public',
    response: caseTypesResponse,
    async handle() {
      return CASE_MODULES.map((module) => ({
        caseType: module.caseType,
        streamTypes: [...module.streamTypes],
        name: module.name,
        statuses: { ...module.statuses },
        actions: Object.fromEntries(module.actions.map((a) => [a.name, a.label])),
        events: { ...(module.eventLabels ?? {}) },
      }));
    },
  });
}
