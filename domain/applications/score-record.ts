import type { ApplicationEvent } from './events.js';

type Scored = Extract<ApplicationEvent, { type: 'ApplicationScored' }>['data'];

/** Who scored, as the applicant's copy of the events names them: the department's reviewer, not the person. */
export const WITHHELD_REVIEWER = '评审人员';

/**
 * A reviewer's score on an application (a measure without a call panel) as its applicant may read it
 * in the case's events: that the application was scored, and when — not who scored it, the points
 * or the comments, which are the department's. The actor the event was recorded with is the
 * reviewer: it is named as the department's reviewer. Every other event as recorded; the
 * department's officials and the auditors read the events whole (as panelRecordAsSeenByApplicant
 * does for a competitive call's panel).
 */
export function scoreAsSeenByApplicant<E extends { type: string; data: unknown; metadata: { actor: { accountId: string; displayName: string; role: string; department?: string } } }>(event: E): E {
  if (event.type !== 'ApplicationScored') return event;
  const { scoredAt } = event.data as Scored;
  const { department } = event.metadata.actor;
  const actor = { accountId: '', displayName: WITHHELD_REVIEWER, role: event.metadata.actor.role, ...(department ? { department } : {}) };
  return { ...event, data: { scoredAt }, metadata: { ...event.metadata, actor } };
}
