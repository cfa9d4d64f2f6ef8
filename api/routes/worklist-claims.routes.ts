import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actionNamed } from '../../cases/case-module.js';
import { moduleForStreamType } from '../../cases/registry.js';
import type { Account } from '../auth/sessions.js';
import { createAuthorizer } from '../authorization/authorize.js';
import { caseAccessOf, readCase } from '../authorization/case-access.js';
import { actionUrl } from '../case-actions.js';
import type { ApiDependencies } from '../dependencies.js';
import { prefersEnglish, refusalBody, toHttpError } from '../http-errors.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { concreteRoutes, route, runRouteWithin, type RouteDefinition } from '../route.js';
import { worklistClaimsResponse } from '../schemas/responses.schemas.js';

export const WORKLIST_CLAIMS_URL = '/api/worklist/claims';
/** The most cases one request claims: a page of the queue is at most 100 lines, and an answer about 50 cases is still read at a glance. */
export const MOST_CLAIMS_AT_ONCE = 50;
/**
 * How many of them are claimed at the same time: 50 claims one after another keep the official
 * waiting some seconds, and 50 at once would crowd the workflows out for everyone else.
 */
export const CLAIMS_AT_A_TIME = 5;

const CASE_IDS_TITLE = '要认领的办件';

export const worklistClaimsBody = z.strictObject({
  caseIds: z
    .array(z.uuid('办件编号格式不对'), `${CASE_IDS_TITLE}应为办件编号的列表`)
    .min(1, '请至少选择 1 件')
    .max(MOST_CLAIMS_AT_ONCE, `一次最多认领 ${MOST_CLAIMS_AT_ONCE} 件，请分批认领`)
    // The same case twice would be claimed, then refused as one's own: said as the list's mistake instead.
    .superRefine((ids, ctx) => {
      const first = new Map<string, number>();
      ids.forEach((id, i) => {
        const seen = first.get(id.toLowerCase());
        if (seen === undefined) first.set(id.toLowerCase(), i);
        else ctx.addIssue({ code: 'custom', path: [i], message: `与第 ${seen + 1} 项是同一件，每件只能选一次`, params: { code: 'duplicate-case', english: `the same case as item ${seen + 1}: each case once` } });
      });
    })
    .meta({ title: CASE_IDS_TITLE, description: `the cases to claim, by id, 1 to ${MOST_CLAIMS_AT_ONCE}, each once (GET /api/worklist marks those the caller may claim: claimable)` }),
});

/** One case's result: claimed, or refused with the claim route's own answer for it (the response schema's own type). */
type ClaimResult = z.infer<typeof worklistClaimsResponse>['results'][number];

/**
 * The refusals of a claim that say the caller holds the case already: the claim route's own answer
 * to the same claim sent again (the filing's 您已认领本备案, the workflow's 已由您…办理). A bulk
 * claim sent twice reports such a case as claimed, since what was asked for is so.
 */
const HELD_BY_THE_CALLER = new Set(['already-claimed', 'already-done']);

/**
 * POST /api/worklist/claims — an official claims several cases of the queue at once (批量认领). Each
 * case is claimed through the claim route itself (POST /api/cases/:caseId/claim, run within this
 * request: the permission matrix, the case's scope, the case's own rules in its workflow), so a bulk
 * claim can do nothing a single claim may not, and each refusal is the single claim's. It never takes
 * over a colleague's claim: the body it sends is a plain claim, without takeOver.
 */
export function worklistClaimRoutes(deps: ApiDependencies, caseActionRoutes: readonly RouteDefinition[]): RouteDefinition[] {
  const { db } = deps;
  const claim = concreteRoutes(caseActionRoutes).find((r) => r.method === 'POST' && r.url === actionUrl('claim'));
  if (!claim) throw new Error(`no claim route (POST ${actionUrl('claim')}) to claim cases in bulk through`);
  // The central check of the permission matrix, as registerRoutes runs it for the claim route's own requests.
  const authorize = createAuthorizer(db);

  /** The case as the caller may see it now, or undefined: a refusal names only a case the caller may open. */
  async function seenBy(account: Account, caseId: string) {
    const read = await readCase(db, caseId).catch(() => undefined);
    return read && (await caseAccessOf(db, account, read.row)) === 'visible' ? read.row : undefined;
  }

  /** What a claimed case's module says of a claim done (已认领，请在期限内反馈。). */
  function doneWords(caseType: string): string {
    const module = moduleForStreamType(caseType);
    return (module && actionNamed(module, 'claim')?.done) ?? '已认领。';
  }

  return [
    route({
      method: 'POST',
      url: WORKLIST_CLAIMS_URL,
      summary: `Claim several cases of the queue at once (1 to ${MOST_CLAIMS_AT_ONCE}): each through POST /api/cases/:caseId/claim, with its checks and refusals; a claim a colleague holds is never taken over`,
      description:
        'Answers 200 with one result per case, in the order sent: claimed, or refused with what the claim route answers for that case (a case the caller may not see as it answers it: nothing of the case is said). ' +
        `The claims run ${CLAIMS_AT_A_TIME} at a time. With an Idempotency-Key, a retry is answered with the first answer, and each case's claim is sent to its workflow under an id of its own derived from the key, so that a retry after a lost answer records nothing twice.`,
      tag: 'worklist',
      access: 'signed-in',
      body: worklistClaimsBody,
      response: worklistClaimsResponse,
      async handle({ body, account, request, reply }) {
        const me = account!;
        const key = idempotencyKeyOf(request);
        const english = prefersEnglish(request);

        const claimOne = async (caseId: string): Promise<ClaimResult> => {
          try {
            const answer = (await runRouteWithin(claim, { params: { caseId }, body: {}, account: me, request, reply, requestId: requestIdFor(me, key, caseId) }, authorize)) as {
              case: { referenceNo: string; caseType: string; version: number };
            };
            return { caseId, referenceNo: answer.case.referenceNo, outcome: 'claimed', alreadyYours: false, version: answer.case.version, message: doneWords(answer.case.caseType), refusal: null };
          } catch (error) {
            const http = toHttpError(error);
            // The single route logs what fails on our side; here the bulk answer goes on for the other cases.
            if (http.status >= 500) request.log.error({ err: error, caseId }, 'a claim of a bulk claim failed');
            const seen = await seenBy(me, caseId);
            const refusal = { status: http.status, ...refusalBody(http, request) };
            if (seen && HELD_BY_THE_CALLER.has(refusal.code)) {
              return { caseId, referenceNo: seen.reference_no, outcome: 'claimed', alreadyYours: true, version: seen.version, message: english && http.english ? http.english : http.message, refusal: null };
            }
            return { caseId, referenceNo: seen?.reference_no ?? null, outcome: 'refused', alreadyYours: false, version: null, message: refusal.message, refusal };
          }
        };

        const results = await atMostAtOnce(body.caseIds, CLAIMS_AT_A_TIME, claimOne);
        const claimed = results.filter((r) => r.outcome === 'claimed').length;
        return { claimed, refused: results.length - claimed, results };
      },
    }),
  ];
}

/**
 * The id each case's claim is sent to its workflow under: derived from the bulk request's
 * Idempotency-Key where it has one (the same key, account and case give the same id, so a retry is
 * answered by the workflow with the first claim's answer); a fresh one otherwise.
 */
export function requestIdFor(account: Pick<Account, 'accountId'>, idempotencyKey: string | undefined, caseId: string): string {
  if (!idempotencyKey) return randomUUID();
  const bytes = createHash('sha256').update(`worklist-claim\n${account.accountId}\n${idempotencyKey}\n${caseId.toLowerCase()}`).digest().subarray(0, 16);
  // Written as a UUID (version 8, derived by our own rule), as every other request id is.
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Runs `work` on every item, at most `limit` at a time; the answers in the items' order. */
export async function atMostAtOnce<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const answers = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      answers[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return answers;
}
