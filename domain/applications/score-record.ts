import type { ApplicationEvent } from './events.js';

type Scored = Extract<ApplicationEvent, { type: 'ApplicationScored' }>['data'];

/** Who scored, as the applicant's copy of the events names them: the department's reviewer, not the person. */
export const WITHHELD_REVIEWER = '评审人员';

type WithActor = { type: string; data: unknown; metadata: { actor: { accountId: string; displayName: string; role: string; department?: string } } };

/** The accounts that scored an application: the actors of its ApplicationScored events. */
export function scorersOf(events: readonly WithActor[]): ReadonlySet<string> {
  return new Set(events.filter((e) => e.type === 'ApplicationScored').map((e) => e.metadata.actor.accountId));
}

/**
 * A reviewer's score on an application (a measure without a call panel) as its applicant may read it
 * in the case's events: that the application was scored, and when — not who scored it, the points
 * or the comments, which are the department's. The actor the event was recorded with is the
 * reviewer: it is named as the department's reviewer. So is the actor of any other step taken by
 * one of the application's scorers (`scorers`, scorersOf the whole stream): 材料审查通过 by 孙评审
 * beside 评审打分 by 评审人员 would say who scored. Every other event as recorded; the
 * department's officials and the auditors read the events whole (as panelRecordAsSeenByApplicant
 * does for a competitive call's panel).
 */
export function scoreAsSeenByApplicant<E extends WithActor>(event: E, scorers: ReadonlySet<string>): E {
  const { department, role, accountId } = event.metadata.actor;
  const withheld = { accountId: '', displayName: WITHHELD_REVIEWER, role, ...(department ? { department } : {}) };
  if (event.type === 'ApplicationScored') {
    const { scoredAt } = event.data as Scored;
    return { ...event, data: { scoredAt }, metadata: { ...event.metadata, actor: withheld } };
  }
  // The step's own record of who took it (its data's `by`) would say the same as its actor.
  const by = (event.data as { by?: { accountId?: unknown } } | null)?.by;
  const byAScorer = typeof by === 'object' && by !== null && scorers.has(String(by.accountId));
  if (!scorers.has(accountId) && !byAScorer) return event;
  return {
    ...event,
    data: byAScorer ? { ...(event.data as object), by: { accountId: '', displayName: WITHHELD_REVIEWER } } : event.data,
    metadata: { ...event.metadata, actor: scorers.has(accountId) ? withheld : event.metadata.actor },
  };
}
