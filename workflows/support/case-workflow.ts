import { ApplicationFailure, condition, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import { hasChange } from './changes.js';
import type { CaseActivities } from '../../activities/case-events.activities.js';
import type { Actor } from '../../domain/cases/actor.js';
import { DomainError, type Wording } from '../../domain/errors.js';
import { chineseInstant } from '../../domain/time/local-date.js';
import { caseStatusKey, caseTypeKey, departmentKey, nextDeadlineKey, programmeIdKey, referenceNoKey } from '../case-search-attributes.js';

type NewEvent = Parameters<CaseActivities['appendCaseEvents']>[0]['events'][number];

/**
 * One change at a time: each update, signal and timer of a case decides against the state the
 * previous one left. Issues no commands of its own, so using it changes no workflow history.
 */
export function turnTaking() {
  let busy = false;
  return async function exclusively<T>(work: () => Promise<T>): Promise<T> {
    // condition() releases every waiter whose predicate holds in the same pass, before any of them
    // runs on: each one looks again and takes the turn only if no other waiter took it first.
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };
}

/** A refusal by the rules becomes a failed update (or workflow) with the rule's message, never a stuck task. */
export function asFailure<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof DomainError) throw refusalFailure(error);
    throw error;
  }
}

/**
 * A domain refusal as a Temporal failure: its kind as the type, the Chinese message, and in its
 * details the issues (or the module's facts about the refusal) then the rule's code, the English and
 * the parameters, which api/http-errors.ts reads back into the HTTP answer. Where the module's facts
 * take the first place, the issues follow the wording, so that the answer keeps both (a bank
 * reference recorded before: the first record, and the issue at the reference's field).
 */
export function refusalFailure(error: DomainError, details?: unknown): ApplicationFailure {
  const issuesBeside = details !== undefined && error.issues.length > 0 ? [error.issues] : [];
  return ApplicationFailure.create({ type: error.kind, message: error.message, nonRetryable: true, details: [details ?? error.issues, error.wording, ...issuesBeside] });
}

/**
 * Decided events as the event store takes them. Event ids come from the workflow's deterministic
 * uuid4, so an activity retried after a lost reply appends nothing twice.
 */
export function toNewEvents(
  events: readonly { type: string; data: unknown }[],
  context: { caseId: string; actor: Actor; causationId: string },
): NewEvent[] {
  const { workflowId, runId } = workflowInfo();
  return events.map((event) => ({
    eventId: uuid4(),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: { actor: context.actor, correlationId: context.caseId, causationId: context.causationId, workflowId, runId },
  }));
}

/** Who made a case's latest change, and when (the workflow clock), and by which action (its label): what a stale action is told. */
export interface LatestChange {
  by: Actor;
  at: number;
  /** The action's type and label, when a person's action made it, and what it said (its command). */
  action?: { type: string; label: string; command?: unknown };
}

/** The latest change in words: （陈文旅于2026年12月4日 10:32办理）, the requester's own （您本人于…办理了“通过”）, or the system's. */
function latestInWords(latest: LatestChange | undefined, requester: Actor | undefined): string {
  if (!latest) return '';
  const when = chineseInstant(new Date(latest.at).toISOString());
  if (latest.by.role === 'system') return `（系统于${when}自动更新）`;
  if (requester && latest.by.accountId === requester.accountId) return `（您本人于${when}办理了${latest.action ? `“${latest.action.label}”` : '一项'}）`;
  return `（${latest.by.displayName}于${when}办理）`;
}

/**
 * Optimistic concurrency for people: an action sent against a version the case has moved past is
 * refused. The message says who changed it and when, not version numbers, which nobody sees on the
 * page; the versions stay in the parameters for programs.
 */
export function refuseStaleVersion(what: { zh: string; en: string }, currentVersion: number, expectedVersion: number | undefined, latest?: LatestChange, requester?: Actor): void {
  // A version the case has not reached is no page anybody opened: said as a wrong request, not as news.
  if (expectedVersion !== undefined && expectedVersion > currentVersion) {
    const wording: Wording = {
      code: 'unknown-version',
      zh: `请求有误：${what.zh} 目前是第 ${currentVersion} 版，没有第 ${expectedVersion} 版。请刷新页面后再办理。`,
      en: `${what.en} is at version ${currentVersion}; version ${expectedVersion} does not exist`,
      params: { currentVersion, expectedVersion },
    };
    throw ApplicationFailure.create({ type: 'validation', message: wording.zh, nonRetryable: true, details: [[{ field: 'expectedVersion', message: `本案目前是第 ${currentVersion} 版` }], wording] });
  }
  if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
    const wording: Wording = {
      code: 'stale-version',
      zh: `${what.zh} 在您打开页面之后已有新的变化${latestInWords(latest, requester)}：请刷新页面，看过最新情况后再办理。`,
      en: `${what.en} has changed: it is at version ${currentVersion}, not ${expectedVersion}`,
      params: { currentVersion, expectedVersion },
    };
    throw ApplicationFailure.create({ type: 'concurrency', message: wording.zh, nonRetryable: true, details: [{ currentVersion }, wording] });
  }
}

/**
 * The same person's same action again, after the first was recorded and the case moved on (a
 * second click, a second tab): said as done, not as an action the step does not take.
 */
export function alreadyDoneFailure(what: { zh: string; en: string }, latest: LatestChange & { action: { type: string; label: string } }): ApplicationFailure {
  const when = chineseInstant(new Date(latest.at).toISOString());
  const wording: Wording = {
    code: 'already-done',
    zh: `${what.zh} 的“${latest.action.label}”已由您于${when}办理，无需再次办理：请刷新页面查看办理结果。`,
    en: `${latest.action.type} on ${what.en} was already taken by you at ${new Date(latest.at).toISOString()}`,
    params: { action: latest.action.type },
  };
  return ApplicationFailure.create({ type: 'illegal-state', message: wording.zh, nonRetryable: true, details: [[], wording] });
}

/**
 * Sleeps until the case changes or the next instant at which time alone changes it; true when that
 * instant has come. The timer is the same one each case workflow always started.
 */
export async function changeOrDeadline(version: () => number, wakeAt: number | undefined): Promise<boolean> {
  const seen = version();
  if (wakeAt === undefined) {
    await condition(() => version() !== seen);
    return false;
  }
  await condition(() => version() !== seen, Math.max(wakeAt - Date.now(), 1));
  return Date.now() >= wakeAt;
}

/**
 * Since issue 16: each case keeps its search attributes (CaseType, CaseStatus, ReferenceNo, …) up to
 * date in Temporal's visibility. Histories before it set none; a case that was running when it came
 * sets them from its next change on.
 */
export const CASE_SEARCH_ATTRIBUTES_PATCH = 'case-search-attributes';

/** What an operator finds a case by; `nextDeadline` is the next instant at which time alone changes the case. */
export interface CaseSearchView {
  caseType: string;
  status: string;
  referenceNo?: string;
  department?: string;
  programmeId?: string;
  nextDeadline?: number;
}

/**
 * Publishes a case's search attributes after each change, only when one of them changed (an
 * upsert is a command in history). Values come from the case state alone, so replay repeats them.
 */
export function searchAttributePublisher(): (view: CaseSearchView) => void {
  let published: string | undefined;
  return (view) => {
    if (!hasChange(CASE_SEARCH_ATTRIBUTES_PATCH)) return;
    const seen = JSON.stringify(view);
    if (seen === published) return;
    published = seen;
    // A key without a value is removed (null), so a case with no deadline left is not listed by its old one.
    upsertSearchAttributes([
      { key: caseTypeKey, value: view.caseType },
      { key: caseStatusKey, value: view.status },
      { key: referenceNoKey, value: view.referenceNo ?? null },
      { key: departmentKey, value: view.department ?? null },
      { key: programmeIdKey, value: view.programmeId ?? null },
      { key: nextDeadlineKey, value: view.nextDeadline === undefined ? null : new Date(view.nextDeadline) },
    ]);
  };
}
