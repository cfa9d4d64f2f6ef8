import type { Db } from '../db/client.js';
import type { LetterContent } from '../domain/decisions/letter.js';
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
     * Renders the letter and stores it once: a retry (the same letterId) stores nothing more and
     * answers with the row stored first, so the hash the event records is the stored PDF's.
     */
    async issueDecisionLetter({ caseId, letterId, content }: IssueDecisionLetterInput): Promise<IssuedLetter> {
      const pdf = await renderDecisionLetterPdf(content);
      await db
        .insertInto('decision_letters')
        .values({
          letter_id: letterId,
          case_id: caseId,
          letter_no: content.letterNo,
          title: content.title,
          decision: content.decision,
          position: content.position,
          event_type: content.eventType,
          decided_on: content.decidedOn,
          content: JSON.stringify(content),
          sha256: sha256Hex(pdf),
          pdf,
          created_at: clock(),
        })
        .onConflict((oc) => oc.column('letter_id').doNothing())
        .execute();
      const stored = await db.selectFrom('decision_letters').select(['letter_id', 'letter_no', 'sha256']).where('letter_id', '=', letterId).executeTakeFirstOrThrow();
      return { letterId: stored.letter_id, letterNo: stored.letter_no, sha256: stored.sha256 };
    },
  };
}

export type DecisionLetterActivities = ReturnType<typeof createDecisionLetterActivities>;
