import { chineseInstant } from '../../domain/time/local-date.js';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { applicationCase } from '../../cases/application.case.js';
import { PUBLIC_OBJECTOR } from '../../domain/applications/in-call.js';
import type { ApplicationCommand } from '../../domain/applications/commands.js';
import { AWARD_WITHDRAWN_MESSAGE, publicityEndedMessage } from '../../domain/publicity/decide.js';
import type { PublicEntry } from '../../domain/publicity/state.js';
import { endOfShanghaiDay, startOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import type { Db } from '../../db/client.js';
import { caseActionUpdate } from '../../workflows/case.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { chargeAddress, type AddressBudget } from '../address-budget.js';
import { actorOf } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { departmentName } from '../views/worklist.view.js';
import { route, type RouteDefinition } from '../route.js';
import { objectionBody, objectionLodgedResponse, publicityCaseParams, publicityListResponse } from '../schemas/publicity.schemas.js';
import { caseIdFromText } from '../../db/queries/case-id-text.js';
import { awardsOnNotice, type OnNoticeRow } from '../../db/queries/awards-on-notice.js';

/**
 * 公示: the public list of awards on notice before they are final, and objections (异议) to them.
 * Both are public: anyone may read the list and object, with or without an account. The list reads
 * the application read model's `details.publicEntry` (a person's name already masked there).
 */

/** Objections one address may lodge in a window: enough for a real objector, too few to flood the department. */
export const OBJECTION_LIMIT: AddressBudget = { purpose: 'objection', requests: 5, windowMs: 60 * 60_000 };

/** The awards on notice now, or the one case's award that has been on 公示 (ended or not) when `caseId` is given. */
async function onNotice(db: Db, caseId?: string): Promise<OnNoticeRow[]> {
  return (await awardsOnNotice(caseId).execute(db)).rows;
}

const objectionsOpen = (entry: PublicEntry, now: number) => now >= startOfShanghaiDay(entry.publishedOn as LocalDate) && now < endOfShanghaiDay(entry.lastWorkingDay as LocalDate);

const objectionClosed = (message: string, english: string) => new HttpError(409, 'illegal-state', message, [], {}, {}, english, { code: 'objection-closed' });

const LODGE_OBJECTION = applicationCase.actions.find((a) => a.type === 'LodgeObjection')!.update;

export function publicityRoutes({ db, temporal, clock, personalData }: ApiDependencies): RouteDefinition[] {
  return [
    route({
      method: 'GET',
      url: '/api/publicity',
      summary: 'Public: the awards on 公示 now — programme, recipient (a company by its name, a person masked), amount, the window — and whether objections are taken',
      tag: 'publicity',
      access: 'public',
      response: publicityListResponse,
      async handle() {
        const now = clock().getTime();
        const rows = await onNotice(db);
        return {
          entries: rows.map(({ entry, call_id, call_title, department }) => ({
            ...entry,
            status: entry.status as 'in-publicity' | 'objection-pending',
            objectionsOpen: objectionsOpen(entry, now),
            call: call_id && call_title ? { callId: call_id, title: call_title } : null,
            publisher: departmentName(department) ?? '主管部门',
          })),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/publicity/:caseId/objections',
      summary: 'Public, no sign-in needed: object (异议) to an award on 公示, with reasons and optionally a contact (kept in the personal-data vault, never public); at most 5 per address an hour',
      description:
        'The objection goes to the case, which waits for the department’s written answer before the award can become final. Refused with 404 for a case not on 公示, 409 once the 公示 has ended, 429 with Retry-After after too many objections from one address.',
      tag: 'publicity',
      access: 'public',
      params: publicityCaseParams,
      body: objectionBody,
      status: 201,
      response: objectionLodgedResponse,
      refusals: [404, 409, 429],
      async handle({ params, body, account, request, reply }) {
        const now = clock();
        const [row] = await onNotice(db, params.caseId);
        // Only an award on notice can be objected to; any other case is answered as missing (nothing is told about it).
        if (!row) throw new HttpError(404, 'not-found', '找不到这项正在公示的资助：公示可能已经结束。请回到“公示”页面查看正在公示的名单。', [], {}, {}, `no award on notice with case id ${params.caseId}`);
        // An award whose 公示 has ended (final once no objection waited, or withdrawn on one): refused as the case refuses it, naming the day it ended.
        if (row.entry.status === 'final') throw objectionClosed(publicityEndedMessage(row.entry.lastWorkingDay), `the 公示 of case ${params.caseId} ended at 24:00 on ${row.entry.lastWorkingDay}`);
        if (row.entry.status === 'withdrawn') throw objectionClosed(AWARD_WITHDRAWN_MESSAGE, `the award of case ${params.caseId} was withdrawn on an objection`);
        const charge = await chargeAddress(db, OBJECTION_LIMIT, request.ip, now);
        if (charge.refused) {
          return reply
            .status(429)
            .header('retry-after', String(charge.retryAfterSeconds))
            .send({ error: 'too-many-attempts', code: 'too-many-attempts', message: `同一网络地址每小时最多提出 ${OBJECTION_LIMIT.requests} 件异议，请 ${Math.ceil(charge.retryAfterSeconds / 60)} 分钟后再试。`, retryAfterSeconds: charge.retryAfterSeconds });
        }
        let contactRef: string | undefined;
        if (body.contact !== undefined) {
          const vault = personalData;
          if (!vault) throw new HttpError(503, 'not-configured', '本服务器暂不能留存联系方式（个人信息库未配置）；可不留联系方式提出异议');
          // The contact is the objector's personal data: the vault keeps it; the case only its reference.
          contactRef = `objection-contact:${randomUUID()}`;
          await vault.putObjectionContact(contactRef, body.contact);
        }
        const action: ApplicationCommand = { type: 'LodgeObjection', reasons: body.reasons, ...(contactRef ? { contactRef } : {}) };
        const lodged = await temporal.workflow
          .getHandle(caseWorkflowId(params.caseId))
          .executeUpdate(caseActionUpdate<ApplicationCommand>(LODGE_OBJECTION), { args: [{ actor: account ? actorOf(account) : PUBLIC_OBJECTOR, requestId: randomUUID(), action }] });
        // The same objection as one still waiting for its answer (domain/publicity/state.ts repeatedObjection): that one, said so.
        const repeated = lodged.alreadyRecorded ? (lodged.recorded as { objectionId: string; lodgedAt: string }) : undefined;
        if (repeated) {
          return { caseId: params.caseId, referenceNo: row.reference_no, objectionId: repeated.objectionId, message: `相同理由的异议已于${chineseInstant(repeated.lodgedAt)}受理，正等待主管部门书面答复，无需重复提出。` };
        }
        const { rows } = await sql<{ objection_id: string }>`
          SELECT details->'objections'->-1->>'objectionId' AS objection_id FROM cases WHERE case_id = ${caseIdFromText(sql.val(params.caseId))}`.execute(db);
        return { caseId: params.caseId, referenceNo: row.reference_no, objectionId: rows[0]?.objection_id ?? '', message: '异议已受理。主管部门将书面答复；答复前该资助不能确定。' };
      },
    }),
  ];
}
