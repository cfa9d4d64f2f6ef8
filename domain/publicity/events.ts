import type { Actor, Department } from '../cases/actor.js';
import type { RecomputeReason } from '../cases/calendar-load.js';
import type { Fen } from '../money/fen.js';
import type { LocalDate } from '../time/local-date.js';
import type { Recipient } from './masking.js';
import type { PublicityWindow } from './window.js';

export type ActorRef = Pick<Actor, 'accountId' | 'displayName'>;

/** An upheld objection either withdraws the award or lowers it. */
export type Remedy = { kind: 'withdraw' } | { kind: 'reduce'; amountFen: Fen };

/**
 * One award's 公示, recorded in its application's stream. The recipient's full name stays in the
 * case; the public list reads only `publicName`. An objector's contact is personal data: it goes to
 * the personal-data vault and the event keeps only the vault's reference.
 */
export type PublicityEvent =
  | {
      type: 'PublicityStarted';
      data: {
        caseId: string;
        referenceNo: string;
        callId: string | null;
        programme: { id: string; name: string };
        department: Department;
        recipient: Recipient;
        publicName: string;
        amountFen: Fen;
        window: PublicityWindow;
        startedAt: string;
      };
    }
  | {
      type: 'ObjectionLodged';
      data: { objectionId: string; reasons: string; contactRef: string | null; lodgedBy: ActorRef | null; lodgedAt: string };
    }
  | { type: 'ObjectionUpheld'; data: { objectionId: string; by: ActorRef; answer: string; remedy: Remedy; previousAmountFen: Fen; answeredAt: string } }
  | { type: 'ObjectionDismissed'; data: { objectionId: string; by: ActorRef; answer: string; answeredAt: string } }
  /**
   * An objection still waiting when another one withdrew the award: answered with the withdrawal, as
   * nothing is left to object to. (Before, it stayed unanswered for good: the case had ended.)
   */
  | { type: 'ObjectionClosedWithAward'; data: { objectionId: string; upheldObjectionId: string; by: ActorRef; answer: string; answeredAt: string } }
  | { type: 'AwardFinalised'; data: { amountFen: Fen; finalisedAt: string; finalisedOn: LocalDate } }
  /** A window counted on weekends only, counted again once its year's holiday arrangement is loaded. */
  | { type: 'PublicityWindowRecomputed'; data: { previous: PublicityWindow; current: PublicityWindow; reason: RecomputeReason; at: string } };

export type PublicityEventType = PublicityEvent['type'];

export const PUBLICITY_EVENT_TYPES: readonly PublicityEventType[] = ['PublicityStarted', 'ObjectionLodged', 'ObjectionUpheld', 'ObjectionDismissed', 'ObjectionClosedWithAward', 'AwardFinalised', 'PublicityWindowRecomputed'];

export function isPublicityEvent(event: { type: string }): event is PublicityEvent {
  return (PUBLICITY_EVENT_TYPES as readonly string[]).includes(event.type);
}

export const PUBLICITY_EVENT_LABELS: Record<PublicityEventType, string> = {
  PublicityStarted: '开始公示',
  ObjectionLodged: '收到异议',
  ObjectionUpheld: '异议成立',
  ObjectionDismissed: '异议不成立',
  ObjectionClosedWithAward: '资助已撤销，异议随之办结',
  AwardFinalised: '公示期满，资助确定',
  PublicityWindowRecomputed: '节假日安排公布，重算公示期',
};
