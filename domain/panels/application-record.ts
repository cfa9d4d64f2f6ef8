import type { Fen } from '../money/fen.js';
import type { ActorRef, AggregateMethod, CentiPoints, CriterionScore, PanelEvent, PassedOver, PassedOverReason } from './events.js';
import type { PanelState } from './state.js';

/**
 * What an application's own case records of the panel's work on it, so that its file is complete
 * on its own: a recusal when it is declared, and at the batch decision the scores that counted
 * (with their comments), who was excluded, its aggregate and rank, and the decision itself.
 */
export type ApplicationPanelEvent =
  | { type: 'PanelRecusalRecorded'; data: { callId: string; member: ActorRef; reason: string; declaredAt: string } }
  | {
      type: 'PanelReviewRecorded';
      data: {
        callId: string;
        listId: string;
        sheets: { member: ActorRef; scores: CriterionScore[]; total: CentiPoints }[];
        excluded: { member: ActorRef; reason: string }[];
        method: AggregateMethod;
        aggregate: CentiPoints;
        rank: number;
        rankedOf: number;
      };
    }
  | {
      type: 'BatchDecisionRecorded';
      data: {
        callId: string;
        listId: string;
        decision: 'selected' | 'not-selected';
        amountFen: Fen | null;
        /** Why it was not selected, in words for the applicant. */
        reason: string | null;
        passedOver: PassedOverReason | null;
        by: ActorRef;
        decidedAt: string;
        decidedOn: string;
      };
    };

export const APPLICATION_PANEL_EVENT_LABELS: Record<ApplicationPanelEvent['type'], string> = {
  PanelRecusalRecorded: '评审专家回避',
  PanelReviewRecorded: '评审结果',
  BatchDecisionRecorded: '批量审批决定',
};

const NOT_SELECTED_BECAUSE: Record<Exclude<PassedOverReason, 'same-item'>, string> = {
  'over-budget': '轮到本申请时预算余额不足以资助其申请金额',
  'quota-full': '资助名额已满',
};

/** Why a passed-over application was not selected: what its applicant reads, and the director beside the list. */
export function notSelectedBecause(passed: PassedOver): string {
  if (passed.reason !== 'same-item') return NOT_SELECTED_BECAUSE[passed.reason];
  const other = passed.sameItemAs;
  const rule = other?.rule === 'cap-per-year' ? '两项合计将超过该措施对同一事项的每年最高资助额' : '同一事项不重复资助';
  return other ? `与排名第 ${other.rank} 位、已列入名单的申请 ${other.referenceNo} 为同一资助事项，${rule}` : `与排名更前的申请为同一资助事项，${rule}`;
}

/** The application events that one panel event causes, by case: a recusal now, the review and decision at the batch. */
export function applicationRecordsOf(state: PanelState, event: PanelEvent): { caseId: string; events: ApplicationPanelEvent[] }[] {
  const callId = state.callId ?? '';
  if (event.type === 'ConflictDeclared') {
    const d = event.data;
    return [{ caseId: d.caseId, events: [{ type: 'PanelRecusalRecorded', data: { callId, member: d.member, reason: d.reason, declaredAt: d.declaredAt } }] }];
  }
  if (event.type !== 'BatchApproved' || !state.list || state.list.listId !== event.data.listId) return [];
  const { list } = state;
  const d = event.data;
  return list.ranking.map((row) => {
    const selected = list.proposed.find((p) => p.caseId === row.caseId);
    const passed = list.passedOver.find((p) => p.caseId === row.caseId);
    const excluded = state.declarations.filter((x) => x.caseId === row.caseId && x.conflicted);
    const sheets = state.sheets
      .filter((s) => s.caseId === row.caseId && !excluded.some((x) => x.member.accountId === s.member.accountId))
      .map((s) => ({ member: s.member, scores: s.scores, total: s.total }));
    return {
      caseId: row.caseId,
      events: [
        {
          type: 'PanelReviewRecorded',
          data: {
            callId,
            listId: list.listId,
            sheets,
            excluded: excluded.map((x) => ({ member: x.member, reason: x.reason ?? '' })),
            method: row.method,
            aggregate: row.aggregate,
            rank: row.rank,
            rankedOf: list.ranking.length,
          },
        },
        {
          type: 'BatchDecisionRecorded',
          data: {
            callId,
            listId: list.listId,
            decision: selected ? 'selected' : 'not-selected',
            amountFen: selected ? selected.amountFen : null,
            reason: passed ? `排名第 ${row.rank} 位（共 ${list.ranking.length} 位），${notSelectedBecause(passed)}，未入选。` : null,
            passedOver: passed?.reason ?? null,
            by: d.by,
            decidedAt: d.approvedAt,
            decidedOn: d.approvedOn,
          },
        },
      ],
    };
  });
}

/**
 * A panel's record on an application as its applicant (or an expert) may read it in the case's
 * events: the rank, how many were ranked and the aggregate — not who scored it, with which points
 * and comments, nor who recused and why, which are the office's. A recusal shows only that one was
 * recorded, and when. Every other event as recorded; the department's officials and the auditors
 * read the events whole.
 */
export function panelRecordAsSeenByApplicant<E extends { type: string; data: unknown }>(event: E): E {
  if (event.type === 'PanelReviewRecorded') {
    const { sheets: _sheets, excluded: _excluded, ...kept } = event.data as Extract<ApplicationPanelEvent, { type: 'PanelReviewRecorded' }>['data'];
    return { ...event, data: kept };
  }
  if (event.type === 'PanelRecusalRecorded') {
    const d = event.data as Extract<ApplicationPanelEvent, { type: 'PanelRecusalRecorded' }>['data'];
    return { ...event, data: { callId: d.callId, declaredAt: d.declaredAt } };
  }
  return event;
}
