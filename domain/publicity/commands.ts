import type { Actor, Department } from '../cases/actor.js';
import type { Fen } from '../money/fen.js';
import type { Remedy } from './events.js';
import type { Recipient } from './masking.js';

/** The award put on the 公示 list: from the batch decision (or a single approval) of its case. */
export interface AwardForPublicity {
  caseId: string;
  referenceNo: string;
  callId: string | null;
  programme: { id: string; name: string };
  department: Department;
  recipient: Recipient;
  amountFen: Fen;
}

export type PublicityCommand =
  | { type: 'LodgeObjection'; reasons: string; contact?: string }
  | { type: 'UpholdObjection'; objectionId: string; answer: string; remedy: Remedy }
  | { type: 'DismissObjection'; objectionId: string; answer: string };

export type PublicityCommandType = PublicityCommand['type'];

export interface PublicityContext {
  /** Who acts; undefined for a member of the public who lodges an objection without an account. */
  actor?: Actor;
  now: number;
  /** A deterministic id for a new objection (the workflow's uuid4). */
  objectionId?: string;
  /** The personal-data vault's reference for an objector's contact, stored before deciding. */
  contactRef?: string;
}
