import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { exportCaseBundle } from '../../audit/case-bundle.js';
import { auditedEvent, caseAsOf, caseDiff, caseStream } from '../../audit/case-history.js';
import { createCheckpoint, listCheckpoints, type Checkpoint } from '../../audit/checkpoints.js';
import { INSTANT_HELP, INSTANT_HELP_ZH, parseInstant } from '../../audit/instants.js';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { verifyCase, verifyStore } from '../../audit/verify-store.js';
import { isWorkflowNotFound, replayCase } from '../../audit/workflow-replay.js';
import { fetchCaseRuns, witnessCase } from '../../audit/history-witness.js';
import type { Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route, type RouteDefinition } from '../route.js';
import { auditedEventsResponse, checkpointCreatedResponse, checkpointListResponse, freeForm } from '../schemas/responses.schemas.js';
import { caseIdParams } from '../schemas/common.schemas.js';

/**
 * Who may do what, decided for every request as soon as the account is known and before any input
 * is read: only auditors use /api/audit/…; and auditors read and verify, they change nothing, so
 * any write they attempt elsewhere is refused, whatever the route (those added later included).
 * Open to auditors: signing in and out, and public routes (anyone may call them without signing
 * in, so refusing them would protect nothing).
 */

/** What POST /api/audit/verify takes: 100,000 exported checkpoints (its most) of about 620 bytes each. */
export const AUDIT_VERIFY_BODY_LIMIT = 64 * 1024 * 1024;
export function auditGuard(routes: readonly RouteDefinition[]): (request: FastifyRequest, account: Account | undefined) => void {
  const publicRoutes = new Set(routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`));
  return (request, account) => {
    if (!account) return;
    const url = request.routeOptions.url ?? request.url;
    if (url.startsWith('/api/audit/')) {
      requireAuditor(account);
      return;
    }
    if (account.role !== 'auditor' || request.method === 'GET' || request.method === 'HEAD') return;
    if (url.startsWith('/api/auth/') || publicRoutes.has(`${request.method} ${url}`)) return;
    throw new HttpError(403, 'forbidden', '审计人员只查看和核验，不能更改任何内容。', [], {}, {}, `auditors read and verify cases and change nothing: ${request.method} ${url} would change something`);
  };
}

function requireAuditor(account: Account | undefined): Account {
  if (account?.role !== 'auditor') {
    throw new HttpError(403, 'forbidden', '审计功能仅供审计人员使用。', [], {}, {}, `the audit endpoints are for auditors; you are signed in as ${account?.role ?? 'nobody'}`);
  }
  return account;
}

const instant = z
  .string()
  .max(40, '最多 40 个字符')
  .refine((s) => parseInstant(s) !== undefined, { message: INSTANT_HELP_ZH, params: { english: `must be ${INSTANT_HELP}` } })
  .transform((s) => parseInstant(s)!);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, '应为 64 位小写十六进制数字');
const exportedCheckpoint = z.strictObject({
  checkpointNo: z.int().min(1),
  position: z.int().min(0),
  eventCount: z.int().min(0),
  logDigest: hex64,
  streamCount: z.int().min(0),
  streamsRoot: hex64,
  createdAt: z.string().max(40),
  reason: z.enum(['interval', 'on-demand']),
  requestedBy: z.string().max(200),
  keyId: z.string().max(100),
  publicKey: z.string().max(1000),
  signature: z.string().max(200),
});

/** A version of a case in a query string: a whole number, 0 being before its first event. */
const versionQuery = (title: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, '应为版本号（0 或正整数）')
    .transform(Number)
    .meta({ title });

export function auditRoutes(deps: ApiDependencies) {
  const { db, clock } = deps;
  const key = deps.audit?.key;
  let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
  const workflowBundle = () =>
    (bundle ??= deps.audit?.workflowBundle?.() ?? import('../../worker/create-worker.js').then((m) => m.bundleWorkflows()));

  return [
    route({
      method: 'GET',
      url: '/api/audit/cases/:caseId/events',
      summary: "Auditor: a case's full event stream — what, who (role, department), when, and the hash chain",
      tag: 'audit',
      access: 'signed-in',
      params: caseIdParams,
      response: auditedEventsResponse,
      async handle({ params, account }) {
        requireAuditor(account);
        const { caseType, events } = await caseStream(db, params.caseId);
        return { caseId: params.caseId, caseType, events: events.map(auditedEvent) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/cases/:caseId/as-of',
      summary: `Auditor: the case as it was at an instant (${INSTANT_HELP}), folded from the events recorded by then with the case type's own evolve`,
      tag: 'audit',
      access: 'signed-in',
      params: caseIdParams,
      query: z
        .strictObject({ at: instant.meta({ title: '时点' }).optional(), version: versionQuery('版本').optional() })
        .refine((q) => (q.at === undefined) !== (q.version === undefined), { path: ['at'], message: '请给出时点或版本（二者选一）' }),
      response: freeForm('the case folded as of the instant or just after the version, in the shape of its case type’s state'),
      async handle({ params, query, account }) {
        requireAuditor(account);
        return caseAsOf(db, params.caseId, query.version !== undefined ? { version: query.version } : query.at!, { trustedKey: key });
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/cases/:caseId/diff',
      summary: 'Auditor: what changed in a case between two instants — every differing field, and the events in between with who recorded them',
      tag: 'audit',
      access: 'signed-in',
      params: caseIdParams,
      query: z
        .strictObject({
          from: instant.meta({ title: '起始时点' }).optional(),
          to: instant.meta({ title: '截止时点' }).optional(),
          fromVersion: versionQuery('起始版本').optional(),
          toVersion: versionQuery('截止版本').optional(),
        })
        .refine((q) => (q.from === undefined) !== (q.fromVersion === undefined), { path: ['from'], message: '请给出起始时点或起始版本（二者选一）' })
        .refine((q) => (q.to === undefined) !== (q.toVersion === undefined), { path: ['to'], message: '请给出截止时点或截止版本（二者选一）' }),
      response: freeForm('every differing field and the events in between'),
      async handle({ params, query, account }) {
        requireAuditor(account);
        const from = query.fromVersion !== undefined ? { version: query.fromVersion } : query.from!;
        const to = query.toVersion !== undefined ? { version: query.toVersion } : query.to!;
        // `rows` are the difference in words for people (the audit page, as the CLI prints them); `changes` as the data has it, for tools.
        return caseDiff(db, params.caseId, from, to, { trustedKey: key });
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/cases/:caseId/verify',
      summary: "Auditor: verify a case — its hash chain, its head, and the latest signed checkpoint — reporting the first bad position and what is wrong",
      tag: 'audit',
      access: 'signed-in',
      params: caseIdParams,
      response: freeForm('the verification report: chain, head, checkpoint, first bad position'),
      async handle({ params, account }) {
        requireAuditor(account);
        return verifyCase(db, params.caseId, { trustedKey: key });
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/cases/:caseId/export',
      summary:
        'Auditor: a case bundle (events.jsonl, summary.csv, manifest.json with file hashes, a checkpoint signed on demand first when the server has the signing key, and the proof of the case under it), saved as one JSON file that tools/verify-bundle.mjs checks',
      tag: 'audit',
      access: 'signed-in',
      params: caseIdParams,
      response: freeForm('the case bundle: file names to their contents, the documents (base64) and the manifest'),
      // Like POST /api/audit/checkpoints, the export may record a signed statement about the log (an
      // on-demand checkpoint): without it the case's latest events would be under no signature.
      async handle({ params, account }) {
        const auditor = requireAuditor(account);
        return exportCaseBundle(db, params.caseId, { now: clock, exportedBy: `${auditor.displayName} (${auditor.username})`, key, requestedBy: auditor.accountId });
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/cases/:caseId/replay',
      summary: "Auditor: replay the case's Temporal workflow history against the current workflow code; a determinism failure names the event",
      tag: 'audit',
      access: 'signed-in',
      params: caseIdParams,
      response: freeForm('the replay outcome; a determinism failure names the event'),
      async handle({ params, account }) {
        requireAuditor(account);
        try {
          return await replayCase(deps.temporal, params.caseId, await workflowBundle());
        } catch (error) {
          if (isWorkflowNotFound(error)) {
            throw new HttpError(404, 'not-found', `办件 ${params.caseId} 在流程引擎中没有记录。`, [], {}, {}, `case ${params.caseId} has no workflow in Temporal`);
          }
          throw error;
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/cases/:caseId/witness',
      summary: "Auditor: the case's stored events against what its Temporal workflow asked to append — an event written around the workflow, changed, or lost is named",
      tag: 'audit',
      access: 'signed-in',
      params: caseIdParams,
      response: freeForm('the witness report: events vouched for, not checked (past retention), and every problem'),
      async handle({ params, account }) {
        requireAuditor(account);
        const { events } = await caseStream(db, params.caseId);
        try {
          return witnessCase(params.caseId, events, await fetchCaseRuns(deps.temporal, params.caseId));
        } catch (error) {
          if (isWorkflowNotFound(error)) {
            throw new HttpError(404, 'not-found', `办件 ${params.caseId} 在流程引擎中没有工作流历史（可能已超过保留期），无法核对。`, [], {}, {}, `case ${params.caseId} has no workflow in Temporal`);
          }
          throw error;
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/verify',
      summary: 'Auditor: verify the whole store — every stream, every head, every signed checkpoint — with events/s and every problem found',
      tag: 'audit',
      access: 'signed-in',
      response: freeForm('the store verification report: streams, heads, checkpoints, events/s and every problem'),
      async handle({ account }) {
        requireAuditor(account);
        return verifyStore(db, { trustedKey: key });
      },
    }),
    route({
      method: 'POST',
      url: '/api/audit/verify',
      summary: 'Auditor: verify the whole store against checkpoints exported earlier (held outside the database); changes nothing',
      tag: 'audit',
      access: 'signed-in',
      body: z.strictObject({ checkpoints: z.array(exportedCheckpoint).min(1).max(100_000) }),
      // A year of checkpoints signed every 15 minutes is some 35,000 of about 620 bytes each: above the API's 64 KiB.
      bodyLimit: AUDIT_VERIFY_BODY_LIMIT,
      response: freeForm('the store verification report against the exported checkpoints'),
      async handle({ body, account }) {
        requireAuditor(account);
        return verifyStore(db, { trustedKey: key, exported: body.checkpoints as Checkpoint[] });
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/read-models/drift',
      summary: 'Auditor: rebuild every read model from the events into a scratch schema and list each row that differs from the live one',
      tag: 'audit',
      access: 'signed-in',
      response: freeForm('each read-model row that differs from its rebuild'),
      async handle({ account }) {
        requireAuditor(account);
        return rebuildAndCompare(db);
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/checkpoints',
      summary: 'Auditor: every signed checkpoint, to export and keep outside the system, with the public key they are checked against',
      tag: 'audit',
      access: 'signed-in',
      response: checkpointListResponse,
      async handle({ account }) {
        requireAuditor(account);
        return { keyId: key?.keyId ?? null, publicKey: key?.publicKeyPem ?? null, checkpoints: await listCheckpoints(db) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/audit/checkpoints',
      summary: 'Auditor: sign a checkpoint of the log now (e.g. before an inspection or an export); returns the latest one when nothing was recorded since',
      tag: 'audit',
      access: 'signed-in',
      status: 201,
      // No body, or {}: there is nothing for the caller to choose.
      body: z.strictObject({}),
      response: checkpointCreatedResponse,
      otherResponses: { 200: { description: 'nothing was recorded since the latest checkpoint: that one', schema: checkpointCreatedResponse } },
      // The one write an auditor may make: it records a signed statement about the log, changes no
      // case, no event and no read model, and what is signed is decided by the server, not the caller.
      async handle({ account, reply }) {
        const auditor = requireAuditor(account);
        if (!key?.privateKey) throw new HttpError(409, 'illegal-state', '本服务器没有配置检查点签名密钥，不能签署检查点（请管理员设置 AUDIT_SIGNING_KEY）。', [], {}, {}, 'this server has no checkpoint signing key: set AUDIT_SIGNING_KEY (or AUDIT_SIGNING_KEY_FILE) to sign checkpoints');
        const { checkpoint, created } = await createCheckpoint(db, key, { now: clock, reason: 'on-demand', requestedBy: auditor.accountId });
        // 201 for a new checkpoint; 200 with the latest one when nothing was recorded since.
        return created ? { created, checkpoint } : reply.status(200).send({ created, checkpoint });
      },
    }),
  ];
}
