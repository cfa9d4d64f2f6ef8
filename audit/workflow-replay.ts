import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { caseWorkflowId } from '../workflows/task-queues.js';

interface JsonHistoryEvent {
  eventId: string;
  eventType: string;
  [attributes: string]: unknown;
}

export interface JsonHistory {
  events: JsonHistoryEvent[];
}

export interface ReplayReport {
  caseId: string;
  workflowId: string;
  historyEvents: number;
  deterministic: boolean;
  /** One sentence for a person: which case, which event, what the code does differently. */
  summary: string;
  divergence: {
    eventId: number;
    eventType: string;
    /** What the history says happened at that event (the activity, timer or update it concerns). */
    recorded: string;
    /** Temporal's own words. */
    temporalMessage: string;
  } | null;
}

// Events that record a command the workflow code gave: where a replay can disagree with the code.
const COMMAND_EVENTS = new Set([
  'ActivityTaskScheduled',
  'ActivityTaskCancelRequested',
  'TimerStarted',
  'TimerCanceled',
  'MarkerRecorded',
  'WorkflowExecutionUpdateAccepted',
  'WorkflowExecutionUpdateCompleted',
  'StartChildWorkflowExecutionInitiated',
  'SignalExternalWorkflowExecutionInitiated',
  'RequestCancelExternalWorkflowExecutionInitiated',
  'UpsertWorkflowSearchAttributes',
  'WorkflowPropertiesModified',
  'WorkflowExecutionCompleted',
  'WorkflowExecutionFailed',
  'WorkflowExecutionContinuedAsNew',
]);

/** EVENT_TYPE_ACTIVITY_TASK_SCHEDULED → ActivityTaskScheduled */
function eventTypeName(eventType: string): string {
  return eventType
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());
}

/** What an event is about, in a few words. */
function describeEvent(event: JsonHistoryEvent): string {
  const type = eventTypeName(event.eventType);
  const attributes = Object.entries(event).find(([key]) => key.endsWith('EventAttributes'))?.[1] as Record<string, unknown> | undefined;
  const detail =
    (attributes?.activityType as { name?: string } | undefined)?.name ??
    (attributes?.timerId !== undefined ? `计时器 ${String(attributes.timerId)}${attributes.startToFireTimeout ? `，时长 ${String(attributes.startToFireTimeout)}` : ''}` : undefined) ??
    ((attributes?.acceptedRequest as { input?: { name?: string } } | undefined)?.input?.name ? `更新 ${(attributes!.acceptedRequest as { input: { name: string } }).input.name}` : undefined) ??
    (attributes?.markerName as string | undefined);
  return detail ? `${type} (${detail})` : type;
}

async function replays(bundle: WorkflowBundleWithSourceMap, history: JsonHistory, workflowId: string): Promise<Error | undefined> {
  try {
    await Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'audit-replay' }, historyFromJSON(history), workflowId);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/**
 * Replays a case workflow's history against the given workflow bundle (the current worker code).
 * On a determinism failure it finds the first workflow task whose replay fails (replaying ever
 * longer prefixes of the history, by bisection) and names the recorded event there that the code
 * no longer produces.
 */
export async function replayHistory(caseId: string, history: JsonHistory, bundle: WorkflowBundleWithSourceMap): Promise<ReplayReport> {
  const workflowId = caseWorkflowId(caseId);
  const base = { caseId, workflowId, historyEvents: history.events.length };
  const failure = await replays(bundle, history, workflowId);
  if (!failure) {
    return { ...base, deterministic: true, summary: `案件 ${caseId}：工作流 ${workflowId} 的全部 ${history.events.length} 个历史事件都能用当前代码重放`, divergence: null };
  }
  if (!(failure instanceof DeterminismViolationError)) {
    return { ...base, deterministic: false, summary: `案件 ${caseId}：其工作流历史无法重放（${failure.message}）`, divergence: null };
  }

  // Prefixes ending at each workflow task start (and the whole history): find the shortest that fails.
  const cuts = history.events.flatMap((e, i) => (eventTypeName(e.eventType) === 'WorkflowTaskStarted' ? [i + 1] : []));
  if (cuts[cuts.length - 1] !== history.events.length) cuts.push(history.events.length);
  let low = 0;
  let high = cuts.length - 1;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (await replays(bundle, { events: history.events.slice(0, cuts[mid]) }, workflowId)) high = mid;
    else low = mid + 1;
  }
  const window = history.events.slice(low > 0 ? cuts[low - 1]! : 0, cuts[low]);
  const temporalMessage = /Nondeterminism error: ([^"]*)/.exec(failure.message)?.[1] ?? failure.message;
  const quoted = [...temporalMessage.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  const commands = window.filter((e) => COMMAND_EVENTS.has(eventTypeName(e.eventType)));
  const culprit =
    commands.find((e) => quoted.some((q) => JSON.stringify(e).includes(JSON.stringify(q)))) ??
    commands[0] ??
    window.find((e) => eventTypeName(e.eventType) === 'WorkflowTaskCompleted') ??
    window[window.length - 1]!;
  const eventId = Number(culprit.eventId);
  const recorded = describeEvent(culprit);
  return {
    ...base,
    deterministic: false,
    summary: `案件 ${caseId}：当前工作流代码不能重现工作流 ${workflowId} 的第 ${eventId} 个历史事件 ${recorded}（Temporal 的说明：${temporalMessage}）`,
    divergence: { eventId, eventType: eventTypeName(culprit.eventType), recorded, temporalMessage },
  };
}

/** Whether Temporal has no such workflow: the client's WorkflowNotFoundError, or the bare gRPC NOT_FOUND some servers answer with. */
export const isWorkflowNotFound = (error: unknown): boolean => error instanceof WorkflowNotFoundError || /\bNOT_FOUND\b/.test((error as Error)?.message ?? '');

/** The case workflow's history as stored by Temporal (its latest run). */
export async function fetchCaseHistory(client: Client, caseId: string): Promise<JsonHistory> {
  const history = await client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
  return JSON.parse(historyToJSON(history)) as JsonHistory;
}

export async function replayCase(client: Client, caseId: string, bundle: WorkflowBundleWithSourceMap): Promise<ReplayReport> {
  return replayHistory(caseId, await fetchCaseHistory(client, caseId), bundle);
}
