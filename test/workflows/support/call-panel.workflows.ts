// A workflow bundle entry for the panel's workflow test: the production call workflow, and a stand-in
// for an application's workflow that records the batch decisions delivered to it (its update name
// and request shape are the application module's `record-batch-decision`).
import { condition, defineQuery, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CaseActionRequest, CaseActionResult } from '../../../workflows/case.messages.js';

export { callWorkflow } from '../../../workflows/index.js';

export const receivedQuery = defineQuery<CaseActionRequest[]>('received');

/** Answers a repeated request (the same request id) as already recorded, as the application's workflow does. */
export async function batchRecipientWorkflow(options: { refuse?: string; recordedBefore?: boolean } = {}): Promise<void> {
  const received: CaseActionRequest[] = [];
  setHandler(receivedQuery, () => received);
  setHandler(
    defineUpdate<CaseActionResult, [CaseActionRequest]>('recordBatchDecision'),
    (request) => {
      const repeat = options.recordedBefore === true || received.some((r) => r.requestId === request.requestId);
      if (!repeat) received.push(request);
      return { caseId: workflowInfo().workflowId, version: received.length, status: 'decided', events: repeat ? [] : ['PanelReviewRecorded', 'BatchDecisionRecorded'], alreadyRecorded: repeat };
    },
    {
      validator: (_request: CaseActionRequest) => {
        if (options.refuse) throw new Error(options.refuse);
      },
    },
  );
  await condition(() => false);
}
