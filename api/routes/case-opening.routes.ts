import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { z } from 'zod';
import type { CaseModule } from '../../cases/case-module.js';
import { CASE_MODULES } from '../../cases/registry.js';
import { nextReferenceNo } from '../../db/case-references.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { caseOpenedUpdate } from '../../workflows/case.messages.js';
import { visibleCaseRead } from '../authorization/case-access.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError, toHttpError } from '../http-errors.js';
import { route } from '../route.js';
import { caseResponse } from '../schemas/responses.schemas.js';
import { caseIdOfKey, openingSourceOf } from '../views/available-actions.js';
import { caseIdFor, caseDetail } from './cases.routes.js';

/**
 * POST /api/cases/<caseType> for every case type whose module declares its `opening` (issue 11):
 * the body its module declares, who may open it, the case it is opened against (which the opener
 * must be able to see), and the workflow started with the module's input.
 */
export function caseOpeningRoutes(deps: ApiDependencies) {
  const { db, temporal, taskQueue, clock } = deps;
  return CASE_MODULES.filter((module): module is CaseModule & { opening: NonNullable<CaseModule['opening']> } => module.opening !== undefined).map((module) => {
    const opening = module.opening;
    return route({
      method: 'POST',
      url: `/api/cases/${module.caseType}`,
      summary: opening.summary,
      tag: 'cases',
      access: 'signed-in',
      body: opening.body as z.ZodType<Record<string, unknown>>,
      status: 201,
      response: caseResponse,
      refusals: [404, 409],
      async handle({ body, account, request }) {
        const opener = account!;
        const actor = { accountId: opener.accountId, displayName: opener.displayName, role: opener.role, ...(opener.department ? { department: opener.department } : {}), ...(opener.duty ? { duty: opener.duty } : {}) };
        const sourceId = opening.againstCaseField ? (body[opening.againstCaseField] as string) : undefined;
        // The case it is opened against: one the opener may see, or a 404 like a missing one.
        const source = sourceId ? (await visibleCaseRead(db, sourceId, opener)).row : undefined;
        const key = request.headers['idempotency-key'];
        if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{8,100}$/.test(key))) {
          throw new HttpError(400, 'validation', 'Idempotency-Key 须为 8 到 100 个可打印 ASCII 字符');
        }
        const caseId = opening.oneCasePer ? caseIdOfKey(module.caseType, opening.oneCasePer(body)) : caseIdFor(opener, key);
        let input: unknown;
        try {
          input = opening.toInput(body, {
            caseId,
            referenceNo: await nextReferenceNo(db, opening.referencePrefix, clock()),
            requestId: randomUUID(),
            opener: actor,
            now: clock().getTime(),
            source: source && openingSourceOf(source),
          });
        } catch (error) {
          throw toHttpError(error);
        }
        const handle = await temporal.workflow
          .start(module.workflowType, {
            workflowId: caseWorkflowId(caseId),
            taskQueue,
            // A refused opening fails its workflow and opens no case: the same key may try again.
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [input],
          })
          .catch((error: unknown) => {
            // The same key after the first case has closed: answer with that case, open no other.
            if (error instanceof WorkflowExecutionAlreadyStartedError) return temporal.workflow.getHandle(caseWorkflowId(caseId));
            throw error;
          });
        // A refusal by the rules fails the update with the rule's message (api/http-errors.ts).
        await handle.executeUpdate(caseOpenedUpdate);
        return caseDetail(deps, caseId, opener);
      },
    });
  });
}
