import type { ApplicationEvent } from './events.js';

type Scored = Extract<ApplicationEvent, { type: 'ApplicationScored' }>['data'];

/** Who scored, as the applicant's copy of the events names them: the department's reviewer, not the person. */
export const WITHHELD_REVIEWER = '评审人员';

type WithActor = { type: string; data: unknown; metadata: { actor: { accountId: string; displayName: string; role: string; department?: string } } };

/** An official of the department, as an application's applicant reads their steps: the department's staff, not the person. */
export const WITHHELD_OFFICIAL = '工作人员';

/** Who reads an application's events from outside the office: the applicant (or an expert), or an official of another department. */
export interface ReaderOutsideTheOffice {
  accountId: string;
  /** An official's own department, whose officials they read by name; none for an applicant or an expert. */
  department?: string | null;
}

/**
 * A reviewer's score on an application (a measure without a call panel) as its applicant may read it
 * in the case's events: that the application was scored, and when — not who scored it, the points
 * or the comments, which are the department's. The actor the event was recorded with is the
 * reviewer: it is named as the department's reviewer. Every other event as recorded; the
 * department's officials and the auditors read the events whole (as panelRecordAsSeenByApplicant
 * does for a competitive call's panel).
 */
export function scoreAsSeenByApplicant<E extends WithActor>(event: E): E {
  if (event.type !== 'ApplicationScored') return event;
  const { scoredAt } = event.data as Scored;
  const { department } = event.metadata.actor;
  const actor = { accountId: '', displayName: WITHHELD_REVIEWER, role: event.metadata.actor.role, ...(department ? { department } : {}) };
  return { ...event, data: { scoredAt }, metadata: { ...event.metadata, actor } };
}

/** The events that decide an application: the steps before are the review, in which any official of the department may score. */
const DECISIONS: ReadonlySet<string> = new Set(['ApplicationApproved', 'ApplicationRejected']);

/**
 * An application's events as read outside the office. Scores as scoreAsSeenByApplicant gives them;
 * and the review's steps up to the decision (材料审查, 补正, 核验, 打分) name the official's
 * department, not the person (工作人员（杨浦区投促办）): any official of the department may score an
 * application, so a name on 材料审查通过 beside 评审打分 by 评审人员 would say who scored. The rule
 * is by position, so a step reads the same before a score is given and after (a name that went when
 * 孙评审 scored would say so by its going). The decision and every step after it name who took them:
 * the decider may not be one of the case's scorers. Officials of the reader's own department (网信
 * reading its content review) are named.
 */
export function applicationEventsAsSeenOutside<E extends WithActor>(events: readonly E[], reader: ReaderOutsideTheOffice): E[] {
  const decidedAt = events.findIndex((e) => DECISIONS.has(e.type));
  return events.map((event, i) => {
    const scored = scoreAsSeenByApplicant(event);
    if (scored !== event || (decidedAt >= 0 && i >= decidedAt)) return scored;
    const actor = event.metadata.actor;
    if (actor.role !== 'official' || actor.accountId === reader.accountId || (reader.department && actor.department === reader.department)) return event;
    const by = (event.data as { by?: { accountId?: unknown } } | null)?.by;
    const byTheActor = typeof by === 'object' && by !== null && by.accountId === actor.accountId;
    return {
      ...event,
      data: byTheActor ? { ...(event.data as object), by: { accountId: '', displayName: WITHHELD_OFFICIAL } } : event.data,
      metadata: { ...event.metadata, actor: { accountId: '', displayName: WITHHELD_OFFICIAL, role: actor.role, ...(actor.department ? { department: actor.department } : {}) } },
    };
  });
}
