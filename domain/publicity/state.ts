import type { Department } from '../cases/actor.js';
import { formatFen, type Fen } from '../money/fen.js';
import type { ActorRef, PublicityEvent, Remedy } from './events.js';
import type { Recipient } from './masking.js';
import type { PublicityWindow } from './window.js';

/**
 * not-started → in-publicity ⇄ objection-pending → final, or withdrawn by an upheld objection.
 * "objection-pending": the award is back with the department until every objection is answered.
 */
export type PublicityStatus = 'not-started' | 'in-publicity' | 'objection-pending' | 'final' | 'withdrawn';

export const PUBLICITY_STATUS_LABELS: Record<PublicityStatus, string> = {
  'not-started': '未公示',
  'in-publicity': '公示中',
  'objection-pending': '异议待答复',
  final: '公示期满，资助确定',
  withdrawn: '异议成立，资助撤销',
};

export interface Objection {
  objectionId: string;
  reasons: string;
  contactRef: string | null;
  lodgedBy: ActorRef | null;
  lodgedAt: string;
  /** 'closed-with-award': answered by another objection's withdrawal of the award. */
  answer?: { outcome: 'upheld' | 'dismissed' | 'closed-with-award'; by: ActorRef; text: string; remedy?: Remedy; answeredAt: string };
}

export interface PublicityState {
  status: PublicityStatus;
  caseId?: string;
  referenceNo?: string;
  callId?: string | null;
  programme?: { id: string; name: string };
  department?: Department;
  recipient?: Recipient;
  publicName?: string;
  /** The award as it stands: lowered by an upheld objection. */
  amountFen: Fen;
  originalAmountFen: Fen;
  window?: PublicityWindow;
  objections: Objection[];
  finalisedAt?: string;
}

export function initialPublicityState(): PublicityState {
  return { status: 'not-started', amountFen: 0, originalAmountFen: 0, objections: [] };
}

export const pendingObjections = (state: PublicityState): Objection[] => state.objections.filter((o) => !o.answer);

/** Reasons as compared for sameness: spaces, line breaks and width aside. */
const reasonsKey = (reasons: string) => reasons.normalize('NFKC').replace(/\s+/g, '');

/**
 * An objection still waiting for its answer that this one repeats: the same reasons, and neither
 * leaving a contact (the office's one written answer on the case answers both alike). Thirty copies
 * of one anonymous objection sent at once had been five objections to answer and five notices to the
 * applicant. An objector who leaves a contact is answered as themselves, and is never merged.
 */
export function repeatedObjection(state: PublicityState | undefined, command: { reasons: string; contactRef?: string }): { objectionId: string; lodgedAt: string } | undefined {
  if (!state || command.contactRef) return undefined;
  const key = reasonsKey(command.reasons);
  const same = pendingObjections(state).find((o) => o.contactRef === null && reasonsKey(o.reasons) === key);
  return same ? { objectionId: same.objectionId, lodgedAt: same.lodgedAt } : undefined;
}

/** After an answer: withdrawn stays withdrawn; otherwise pending objections decide. */
function afterAnswer(state: PublicityState): PublicityStatus {
  if (state.status === 'withdrawn') return 'withdrawn';
  return pendingObjections(state).length > 0 ? 'objection-pending' : 'in-publicity';
}

export function evolvePublicity(state: PublicityState, event: PublicityEvent): PublicityState {
  switch (event.type) {
    case 'PublicityStarted': {
      const d = event.data;
      return {
        ...state,
        status: 'in-publicity',
        caseId: d.caseId,
        referenceNo: d.referenceNo,
        callId: d.callId,
        programme: d.programme,
        department: d.department,
        recipient: d.recipient,
        publicName: d.publicName,
        amountFen: d.amountFen,
        originalAmountFen: d.amountFen,
        window: d.window,
      };
    }
    case 'PublicityWindowRecomputed':
      return { ...state, window: event.data.current };
    case 'ObjectionLodged': {
      const d = event.data;
      return { ...state, status: state.status === 'withdrawn' ? 'withdrawn' : 'objection-pending', objections: [...state.objections, { ...d }] };
    }
    case 'ObjectionUpheld': {
      const d = event.data;
      const answered = answer(state, d.objectionId, { outcome: 'upheld', by: d.by, text: d.answer, remedy: d.remedy, answeredAt: d.answeredAt });
      if (d.remedy.kind === 'withdraw') return { ...answered, status: 'withdrawn' };
      return { ...answered, amountFen: d.remedy.amountFen, status: afterAnswer(answered) };
    }
    case 'ObjectionDismissed': {
      const d = event.data;
      const answered = answer(state, d.objectionId, { outcome: 'dismissed', by: d.by, text: d.answer, answeredAt: d.answeredAt });
      return { ...answered, status: afterAnswer(answered) };
    }
    case 'ObjectionClosedWithAward': {
      const d = event.data;
      return answer(state, d.objectionId, { outcome: 'closed-with-award', by: d.by, text: d.answer, answeredAt: d.answeredAt });
    }
    case 'AwardFinalised':
      return { ...state, status: 'final', amountFen: event.data.amountFen, finalisedAt: event.data.finalisedAt };
  }
}

function answer(state: PublicityState, objectionId: string, given: NonNullable<Objection['answer']>): PublicityState {
  return { ...state, objections: state.objections.map((o) => (o.objectionId === objectionId ? { ...o, answer: given } : o)) };
}

export function foldPublicity(events: readonly PublicityEvent[], from = initialPublicityState()): PublicityState {
  return events.reduce(evolvePublicity, from);
}

/** One line of the public 公示 list: nothing here identifies a person beyond the masked name. */
export interface PublicEntry {
  caseId: string;
  referenceNo: string;
  programme: string;
  recipient: string;
  recipientKind: Recipient['kind'];
  /** "50,000.00" (元). */
  amountYuan: string;
  publishedOn: string;
  lastWorkingDay: string;
  status: PublicityStatus;
  statusLabel: string;
}

/** The award's entry on the public list, or undefined before its 公示 (a withdrawn award shows as withdrawn). */
export function publicEntry(state: PublicityState): PublicEntry | undefined {
  if (state.status === 'not-started' || !state.window || !state.programme || state.publicName === undefined) return undefined;
  return {
    caseId: state.caseId!,
    referenceNo: state.referenceNo!,
    programme: state.programme.name,
    recipient: state.publicName,
    recipientKind: state.recipient!.kind,
    amountYuan: formatFen(state.amountFen),
    publishedOn: state.window.publishedOn,
    lastWorkingDay: state.window.lastWorkingDay,
    status: state.status,
    statusLabel: PUBLICITY_STATUS_LABELS[state.status],
  };
}
