import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { StoredEvent } from '../db/event-store.js';
import { caseWorkflowId } from '../workflows/task-queues.js';
import { actorInWords } from './actor-words.js';
import { fastCanonicalJson } from './event-hash.js';
import { describeInstant } from './instants.js';
import { isWorkflowNotFound, type JsonHistory } from './workflow-replay.js';

/**
 * The case workflow's history as a second witness of the case's events.
 *
 * The hash chain and the signed checkpoints prove that what was recorded has not changed since; they
 * cannot tell who recorded it. An outside tester appended a forged `RepaymentRecorded` through the
 * database function with the application's own role: the database hashed it into the chain and the
 * next checkpoint signed it, and every check passed. A case's events are appended only by its
 * workflow, through the `appendCaseEvents` activity, and Temporal keeps each activity's input in the
 * workflow's history, in another database. So every event of a case stream must be one the
 * workflow asked to append, with the same id, type, data and actor; and every append the workflow
 * saw succeed must be in the store. A forger now has to rewrite two systems of record.
 *
 * What Temporal no longer keeps (a run past the namespace's retention) cannot witness anything: the
 * events it wrote are reported as not checked, never as forged.
 */

const APPEND_ACTIVITY = 'appendCaseEvents';

/** An event as the workflow asked for it to be appended. */
export interface WitnessedEvent {
  eventId: string;
  type: string;
  data: unknown;
  actor: unknown;
  /** Whether Temporal recorded the append activity as completed (a failed append wrote nothing). */
  appended: boolean;
  runId: string;
  /** The history event that scheduled the append. */
  historyEventId: number;
}

export interface CaseRuns {
  /** Each run's history, oldest first. */
  histories: { runId: string; history: JsonHistory }[];
  /** False when the oldest run Temporal still has was continued from one it no longer keeps. */
  complete: boolean;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

function attributesOf(event: JsonHistory['events'][number], name: string): Record<string, unknown> | undefined {
  return event[name] as Record<string, unknown> | undefined;
}

function decodeJsonPayload(payload: JsonPayload | undefined): unknown {
  const encoding = payload?.metadata?.encoding ? Buffer.from(payload.metadata.encoding, 'base64').toString('utf8') : undefined;
  if (encoding !== 'json/plain' || payload?.data === undefined) return undefined;
  return JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
}

/** Every event the workflow's runs asked to append, in the order they asked. */
export function appendsInHistories(runs: CaseRuns['histories']): WitnessedEvent[] {
  const witnessed: WitnessedEvent[] = [];
  for (const { runId, history } of runs) {
    const completed = new Set<string>();
    for (const event of history.events) {
      const done = attributesOf(event, 'activityTaskCompletedEventAttributes');
      if (done?.scheduledEventId !== undefined) completed.add(String(done.scheduledEventId));
    }
    for (const event of history.events) {
      const scheduled = attributesOf(event, 'activityTaskScheduledEventAttributes');
      if ((scheduled?.activityType as { name?: string } | undefined)?.name !== APPEND_ACTIVITY) continue;
      const input = decodeJsonPayload((scheduled!.input as { payloads?: JsonPayload[] } | undefined)?.payloads?.[0]) as
        | { events?: { eventId: string; type: string; data: unknown; metadata?: { actor?: unknown } }[] }
        | undefined;
      for (const e of input?.events ?? []) {
        witnessed.push({ eventId: e.eventId, type: e.type, data: e.data, actor: e.metadata?.actor, appended: completed.has(String(event.eventId)), runId, historyEventId: Number(event.eventId) });
      }
    }
  }
  return witnessed;
}

export type WitnessProblemKind = 'not-written-by-workflow' | 'differs-from-workflow' | 'missing-from-store';

export interface WitnessProblem {
  kind: WitnessProblemKind;
  /** The stored version, where the event is in the store. */
  version: number | null;
  eventId: string;
  type: string;
  message: string;
}

export interface WitnessReport {
  caseId: string;
  workflowId: string;
  events: number;
  /** Stored events the history vouches for, unchanged. */
  witnessed: number;
  /** Stored events written by runs Temporal no longer keeps: not checked either way. */
  unchecked: number;
  runs: number;
  historyComplete: boolean;
  intact: boolean;
  problems: WitnessProblem[];
  summary: string;
}

const EVENT_WORDS = (e: { streamVersion?: number; type: string; eventId: string }) =>
  `${e.streamVersion !== undefined ? `第 ${e.streamVersion} 版事件` : '事件'} ${e.type}（事件编号 ${e.eventId}）`;

/**
 * Compares a case's stored events with what its workflow asked to append. Pure: the store and the
 * history are read by the caller.
 */
export function witnessCase(caseId: string, stored: readonly StoredEvent[], runs: CaseRuns): WitnessReport {
  const asked = appendsInHistories(runs.histories);
  const byId = new Map(asked.map((w) => [w.eventId, w]));
  const storedIds = new Set(stored.map((e) => e.eventId));
  const problems: WitnessProblem[] = [];
  let witnessed = 0;
  let unchecked = 0;
  // Events before the first one the kept history asked for were written by runs it no longer has.
  const firstKept = stored.findIndex((e) => byId.has(e.eventId));
  for (const [index, event] of stored.entries()) {
    const witness = byId.get(event.eventId);
    if (!witness) {
      if (!runs.complete && (firstKept === -1 || index < firstKept)) {
        unchecked += 1;
        continue;
      }
      problems.push({
        kind: 'not-written-by-workflow',
        version: event.streamVersion,
        eventId: event.eventId,
        type: event.type,
        message: `${EVENT_WORDS(event)}不是本案的工作流写入的：工作流历史中没有任何一次写入含有它（记录于 ${describeInstant(event.recordedAt).shanghai}，记为${actorInWords(event.metadata.actor)}办理）。它是绕过办案流程、直接写进记录库的。`,
      });
      continue;
    }
    const differs: string[] = [];
    if (witness.type !== event.type) differs.push(`类型（流程写入的是 ${witness.type}）`);
    if (fastCanonicalJson(witness.data) !== fastCanonicalJson(event.data)) differs.push('内容');
    if (fastCanonicalJson(witness.actor ?? null) !== fastCanonicalJson(event.metadata.actor ?? null)) differs.push('办理人');
    if (differs.length > 0) {
      problems.push({
        kind: 'differs-from-workflow',
        version: event.streamVersion,
        eventId: event.eventId,
        type: event.type,
        message: `${EVENT_WORDS(event)}的${differs.join('、')}与本案工作流写入时不同（工作流历史第 ${witness.historyEventId} 个事件安排的写入）：记录库中的这条事件被改过。`,
      });
      continue;
    }
    witnessed += 1;
  }
  for (const witness of asked) {
    if (!witness.appended || storedIds.has(witness.eventId)) continue;
    problems.push({
      kind: 'missing-from-store',
      version: null,
      eventId: witness.eventId,
      type: witness.type,
      message: `${EVENT_WORDS(witness)}由本案的工作流写入，流程引擎记录写入成功（工作流历史第 ${witness.historyEventId} 个事件安排的写入），记录库中却没有它：它被删掉了。`,
    });
  }
  const workflowId = caseWorkflowId(caseId);
  const intact = problems.length === 0;
  const notKept = unchecked > 0 ? `；前 ${unchecked} 个事件由流程引擎已不再保存（超过保留期）的运行写入，未能核对` : '';
  const summary = intact
    ? `案件 ${caseId}：记录库中的 ${stored.length} 个事件${unchecked > 0 ? `中，${witnessed} 个` : '都'}与工作流 ${workflowId} 的历史相符，没有流程以外写入或改动的事件${notKept}。`
    : `案件 ${caseId}：记录库与工作流 ${workflowId} 的历史有 ${problems.length} 处不符${notKept}。`;
  return { caseId, workflowId, events: stored.length, witnessed, unchecked, runs: runs.histories.length, historyComplete: runs.complete, intact, problems, summary };
}

/**
 * Every run of the case's workflow Temporal still keeps, oldest first: the latest run, then back
 * along the runs it continued from (`continueAsNew`) until Temporal no longer has one.
 */
export async function fetchCaseRuns(client: Client, caseId: string): Promise<CaseRuns> {
  const workflowId = caseWorkflowId(caseId);
  const histories: CaseRuns['histories'] = [];
  let runId: string | undefined;
  for (;;) {
    let history: JsonHistory;
    try {
      history = JSON.parse(historyToJSON(await client.workflow.getHandle(workflowId, runId).fetchHistory())) as JsonHistory;
    } catch (error) {
      // The latest run missing is the caller's to say (no such workflow); an earlier one is past retention.
      if (runId !== undefined && isWorkflowNotFound(error)) return { histories, complete: false };
      throw error;
    }
    const started = history.events[0] ? attributesOf(history.events[0], 'workflowExecutionStartedEventAttributes') : undefined;
    const thisRun = (started?.originalExecutionRunId as string | undefined) ?? runId ?? 'latest';
    histories.unshift({ runId: thisRun, history });
    const previous = started?.continuedExecutionRunId as string | undefined;
    if (!previous) return { histories, complete: true };
    runId = previous;
  }
}
