import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { LETTER_DECISION_LABELS, type LetterDecision } from '../../domain/decisions/letter.js';
import { visibleCase } from '../authorization/case-access.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { caseIdParams } from '../schemas/common.schemas.js';
import { decisionLetterParams, decisionLettersResponse } from '../schemas/decision-letters.schemas.js';

/**
 * The decision letters (决定书) of a case, for those who may see the case (the applicant, officials
 * of its departments, auditors; anyone else's is a 404 like a missing case). Only letters whose
 * decision is recorded are served: a letter rendered for a decision whose append then failed (a
 * retried action, a ledger conflict) was never issued, and no event names it.
 */
function issuedLetters(db: Db, caseId: string) {
  return db
    .selectFrom('decision_letters as l')
    .where('l.case_id', '=', caseId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('events as e')
          .select(sql`1`.as('one'))
          .whereRef('e.stream_id', '=', sql<string>`l.case_id::text`)
          .whereRef('e.stream_version', '=', 'l.position')
          .where(sql<string>`e.payload #>> '{letter,letterId}'`, '=', sql<string>`l.letter_id::text`)
          .where(sql<string>`e.payload #>> '{letter,sha256}'`, '=', sql<string>`l.sha256`),
      ),
    );
}

/** RFC 6266 / RFC 5987: an ASCII fallback, and the Chinese name percent-encoded as UTF-8. */
export function contentDisposition(asciiName: string, name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export function decisionLetterRoutes(deps: ApiDependencies) {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/cases/:caseId/decision-letters',
      summary: "The case's decision letters (决定书): number, title, decision, the PDF's SHA-256 (as its decision's event records it) and where to download it",
      tag: 'cases',
      access: 'signed-in',
      params: caseIdParams,
      response: decisionLettersResponse,
      async handle({ params, account, request }) {
        await visibleCase(db, params.caseId, account!, request);
        const rows = await issuedLetters(db, params.caseId)
          .select(['l.letter_id', 'l.letter_no', 'l.title', 'l.decision', 'l.event_type', 'l.position', 'l.decided_on', 'l.sha256', 'l.created_at'])
          .orderBy('l.position')
          .execute();
        return {
          letters: rows.map((r) => ({
            letterId: r.letter_id,
            letterNo: r.letter_no,
            title: r.title,
            decision: r.decision as LetterDecision,
            decisionLabel: decisionLabelOf(r.title, r.decision),
            eventType: r.event_type,
            version: r.position,
            decidedOn: r.decided_on,
            sha256: r.sha256,
            createdAt: r.created_at.toISOString(),
            download: `/api/cases/${params.caseId}/decision-letters/${r.letter_id}`,
          })),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:caseId/decision-letters/:letterId',
      summary: 'One decision letter as a PDF in Chinese (application/pdf, with its Chinese file name); its SHA-256 is the one its decision’s event records',
      tag: 'cases',
      access: 'signed-in',
      params: decisionLetterParams,
      produces: { mediaType: 'application/pdf', description: 'the letter as a PDF; Repr-Digest carries its SHA-256' },
      async handle({ params, account, request, reply }) {
        await visibleCase(db, params.caseId, account!, request);
        const letter = await issuedLetters(db, params.caseId)
          .select(['l.letter_no', 'l.title', 'l.position', 'l.pdf', 'l.sha256'])
          .where('l.letter_id', '=', params.letterId)
          .executeTakeFirst();
        if (!letter) throw new HttpError(404, 'not-found', '这件办件没有这份决定书：请回到办件页面，从“决定书”中打开。', [], {}, {}, `case ${params.caseId} has no letter ${params.letterId}`);
        const digest = createHash('sha256').update(letter.pdf).digest();
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition(`decision-letter-${letter.position}.pdf`, `${letter.title}（${letter.letter_no}）.pdf`))
          .header('repr-digest', `sha-256=:${digest.toString('base64')}:`)
          .header('cache-control', 'private, no-store')
          .send(letter.pdf);
      },
    }),
  ];
}

/**
 * The decision as its letter names it (不予备案决定书: 不予备案), not the letter's generic kind (a
 * filing refused read 不予批准); a grant's letter (资助决定书) says 同意资助.
 */
export function decisionLabelOf(title: string, decision: string): string {
  const named = title.endsWith('决定书') ? title.slice(0, -'决定书'.length) : '';
  if (named === '资助') return '同意资助';
  return named || (LETTER_DECISION_LABELS[decision as LetterDecision] ?? decision);
}
