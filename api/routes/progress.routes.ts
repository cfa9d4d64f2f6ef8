import { z } from 'zod';
import type { CaseStateBase, DecidedEvent } from '../../cases/case-module.js';
import { moduleForStreamType } from '../../cases/registry.js';
import type { Db } from '../../db/client.js';
import { readStream } from '../../db/event-store.js';
import { countingFor, deadlineKindOf, deadlineTermOf } from '../../domain/time/deadline-counting.js';
import { shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { chargeAddress, type AddressBudget } from '../address-budget.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { PROGRESS_CODE_PATTERN, progressCodeMatches } from '../progress-code.js';
import { route, type RouteDefinition } from '../route.js';
import { progressResponse } from '../schemas/responses.schemas.js';
import { caseFinished, caseView } from '../views/case.view.js';
import { countdown, nextDayOf } from '../views/countdown.view.js';
import { waitingForText } from '../views/worklist.view.js';

/**
 * 办件进度查询: anyone holding a case's reference number and its 查询码 (api/progress-code.ts) reads
 * where the case stands without signing in — the programme, the step, who acts next (a department,
 * never a person), the deadline (暂定 where it is) and the steps so far. Nothing personal: no names, no amounts, no
 * applicant data, so a code read out or forwarded discloses no more than a case's progress.
 */

/** Look-ups one address may make in a window: plenty for people checking their cases, far too few to guess a 40-bit code. */
export const PROGRESS_LOOKUP_LIMIT: AddressBudget = { purpose: 'progress', requests: 30, windowMs: 60 * 60_000 };

export const REFERENCE_NO_PATTERN = /^[A-Za-z]{2,4}-\d{4}-\d{6,10}$/;

export const progressQuery = z.strictObject({
  referenceNo: z.string().regex(REFERENCE_NO_PATTERN, '申请编号的格式为字母、年份和六位数字，例如 CY-2026-000001').describe('the reference number (申请编号), e.g. CY-2026-000001'),
  code: z.string().regex(PROGRESS_CODE_PATTERN, '查询码为 8 位字母和数字，不含 0、1 及与之相似的字母').meta({ title: '查询码', description: 'the 8-character 查询码 shown to the applicant on the case page' }),
});

/** One answer for a wrong code and an unknown reference alike: the look-up tells nothing about which references exist. */
const NOT_FOUND_MESSAGE = '没有查到这件办件：请核对申请编号和查询码（查询码在申请人的办件页面上）。';

/** 2026-12-02 → 2026年12月2日 */
export function dateInWords(date: LocalDate): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * The steps the case reached, each with the day it reached it: its events folded by its module, a
 * line wherever the step changes. Steps only — the events' own data (reasons, amounts, names) stays out.
 */
async function stepsOf(db: Db, caseId: string, caseType: string): Promise<{ step: string; on: LocalDate }[]> {
  const module = moduleForStreamType(caseType);
  if (!module) return [];
  const steps: { step: string; on: LocalDate }[] = [];
  let state = module.initialState();
  for (const event of await readStream(db, caseId)) {
    state = module.evolve(state, { type: event.type, data: event.data } as DecidedEvent);
    const status = (state as CaseStateBase).status;
    const step = module.statuses[status] ?? status;
    if (steps.at(-1)?.step !== step) steps.push({ step, on: shanghaiDateOf(event.recordedAt) });
  }
  return steps;
}

export function progressRoutes({ db, clock, calendar }: ApiDependencies): RouteDefinition[] {
  /**
   * Whether the case's deadline is 暂定, as its case page and the lists say (api/routes/worklist.routes.ts):
   * the open review clock of a filing, else the step's time limit or the deadline its module's view
   * shows (a 补正 reply day, an instalment), and a count of working days through a year whose holiday
   * arrangement is not loaded.
   */
  async function deadlineProvisional(row: { case_id: string; details: unknown; waiting_for_role: string | null }, dueOn: LocalDate, now: Date): Promise<boolean> {
    const review = await db.selectFrom('filing_reviews').select('provisional').where('case_id', '=', row.case_id).where('outcome', 'is', null).executeTakeFirst();
    const view = row.details as { timeLimit?: { provisional?: boolean } | null; deadline?: { provisional?: boolean } | null } | null;
    const flagged = review ? review.provisional : view?.timeLimit ? view.timeLimit.provisional === true : view?.deadline?.provisional === true;
    return countdown(await calendar(), now, dueOn, flagged, countingFor(row.waiting_for_role, deadlineKindOf(row.details))).provisional;
  }

  return [
    route({
      method: 'GET',
      url: '/api/progress',
      summary: 'Public, no sign-in: a case’s progress by its reference number and 查询码 — programme, step, who acts next, deadline (provisional, 暂定, while its year has no holiday arrangement loaded), steps so far; nothing personal',
      description:
        'A wrong code and an unknown reference number answer the same 404, so the look-up tells nothing about which references exist. Every look-up counts against the client address: at most 30 an hour, then 429 with Retry-After.',
      tag: 'progress',
      access: 'public',
      query: progressQuery,
      response: progressResponse,
      refusals: [404, 429],
      async handle({ query, request, reply }) {
        const now = clock();
        const charge = await chargeAddress(db, PROGRESS_LOOKUP_LIMIT, request.ip, now);
        if (charge.refused) {
          return reply
            .status(429)
            .header('retry-after', String(charge.retryAfterSeconds))
            .send({ error: 'too-many-attempts', code: 'too-many-attempts', message: `同一网络地址每小时最多查询 ${PROGRESS_LOOKUP_LIMIT.requests} 次，请 ${Math.ceil(charge.retryAfterSeconds / 60)} 分钟后再试。`, retryAfterSeconds: charge.retryAfterSeconds });
        }
        const row = await db.selectFrom('cases').selectAll().where('reference_no', '=', query.referenceNo.toUpperCase()).executeTakeFirst();
        // The code is checked even when no case has the reference, so both refusals take the same work.
        const matches = await progressCodeMatches(db, row?.case_id ?? query.referenceNo, query.code, now);
        const module = row ? moduleForStreamType(row.case_type) : undefined;
        if (!row || !matches || !module?.view || module.progressLookup === false) throw new HttpError(404, 'not-found', NOT_FOUND_MESSAGE);
        const finished = caseFinished(module, row);
        const submittedOn = shanghaiDateOf(row.opened_at);
        // A payout's day is its own (issued at its start); a deadline's is the day it ends.
        const dueOn = row.next_deadline_at && !finished ? nextDayOf(row.next_deadline_at, countingFor(row.waiting_for_role, deadlineKindOf(row.details))) : null;
        const timeline = await stepsOf(db, row.case_id, row.case_type);
        return {
          referenceNo: row.reference_no,
          // The module's own name for the case (an application's measure), from its view; nothing else of the view is used.
          programme: caseView(row).programme.zh,
          currentStep: row.status_label,
          finished,
          nextActor: finished ? null : waitingForText(row),
          // 暂定 while the day depends on a year whose holiday arrangement is not loaded: never shown as final.
          deadline: dueOn ? { dueOn, text: dateInWords(dueOn), provisional: await deadlineProvisional(row, dueOn, now), term: deadlineTermOf(deadlineKindOf(row.details)) } : null,
          submittedOn,
          submittedText: dateInWords(submittedOn),
          timeline: timeline.map((t) => ({ ...t, text: dateInWords(t.on) })),
        };
      },
    }),
  ];
}
