import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database } from '../db/database.js';
import { letterRegisterOf, registeredLetterNumber, type LetterContent } from '../domain/decisions/letter.js';
import { renderDecisionLetterPdf, sha256Hex } from './decision-letter-pdf.js';

export interface DecisionLetterActivityDependencies {
  db: Db;
  clock: () => Date;
}

export interface IssueDecisionLetterInput {
  caseId: string;
  /** Generated in the workflow: a retry of this activity is the same letter. */
  letterId: string;
  content: LetterContent;
}

/** What the decision's event records of its letter: the PDF's hash makes the letter part of the hash chain. */
export interface IssuedLetter {
  letterId: string;
  letterNo: string;
  sha256: string;
}

export function createDecisionLetterActivities({ db, clock }: DecisionLetterActivityDependencies) {
  return {
    /**
     * Numbers the letter in its issuer's register for the year, renders it and stores it once, in one
     * transaction: a retry (the same letterId) waits for the attempt before it, then stores nothing
     * more and answers with the row stored first, so the number and the hash the event records are
     * the stored PDF's, and a letter not stored takes no number.
     */
    async issueDecisionLetter({ caseId, letterId, content }: IssueDecisionLetterInput): Promise<IssuedLetter> {
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${letterId}::text, ${LETTER_LOCK_SEED}))`.execute(trx);
        const stored = await trx.selectFrom('decision_letters').select(['letter_id', 'letter_no', 'sha256']).where('letter_id', '=', letterId).executeTakeFirst();
        if (stored) return { letterId: stored.letter_id, letterNo: stored.letter_no, sha256: stored.sha256 };
        const register = letterRegisterOf(content.letterNo);
        const numbered = register === undefined ? content : { ...content, letterNo: registeredLetterNumber(register, await nextSerial(trx, register)) };
        const pdf = await renderDecisionLetterPdf(numbered);
        const sha256 = sha256Hex(pdf);
        await trx
          .insertInto('decision_letters')
          .values({
            letter_id: letterId,
            case_id: caseId,
            letter_no: numbered.letterNo,
            title: numbered.title,
            decision: numbered.decision,
            position: numbered.position,
            event_type: numbered.eventType,
            decided_on: numbered.decidedOn,
            content: JSON.stringify(numbered),
            sha256,
            pdf,
            created_at: clock(),
          })
          .execute();
        return { letterId, letterNo: numbered.letterNo, sha256 };
      });
    },
  };
}

/** Keeps the letters' advisory locks apart from any other lock keyed by a hashed text. */
const LETTER_LOCK_SEED = 0x4c45_5454; // 'LETT'

/** The next serial of the register `prefix` (1 for its first letter); the row stays locked until the letter is stored. */
async function nextSerial(trx: Transaction<Database>, prefix: string): Promise<number> {
  const { last_serial } = await trx
    .insertInto('letter_number_register')
    .values({ prefix, last_serial: 1 })
    .onConflict((oc) => oc.column('prefix').doUpdateSet({ last_serial: sql`letter_number_register.last_serial + 1` }))
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return last_serial;
}

export type DecisionLetterActivities = ReturnType<typeof createDecisionLetterActivities>;
