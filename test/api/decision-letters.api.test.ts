import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { verifyCase } from '../../audit/verify-store.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../activities/decision-letter-pdf.js';
import { createDecisionLetterActivities } from '../../activities/decision-letters.activities.js';
import { buildApp } from '../../api/app.js';
import { decisionLabelOf } from '../../api/routes/decision-letters.routes.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { PERMISSIONS, type RoutePolicy } from '../../api/authorization/permissions.js';
import { contentDisposition } from '../../api/routes/decision-letters.routes.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { unregisterDemoCompany } from '../support/legacy-company.js';
import { letterForChuyingLoan } from '../../domain/decisions/case-letters.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { registerCaseSearchAttributes } from '../../worker/search-attributes.js';
import { event, history } from '../domain/chuying-loan.fixtures.js';
import { validApplication } from '../support/api-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { pdfText } from '../support/pdf-text.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';


// The same readers as GET /api/cases/:caseId.
const caseReaders: RoutePolicy = { applicant: true, official: true, auditor: true };

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let app: FastifyInstance;

type Caller = (url: string, method?: 'GET' | 'POST', body?: object, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
const callers: Record<string, Caller> = {};

beforeAll(async () => {
  [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  await registerCaseSearchAttributes(env.nativeConnection, 'default');
  const taskQueue = `letters-api-${randomUUID()}`;
  const calendar = calendarFromDatabase(database.db);
  worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar, workflowBundle: await workflowBundle() });
  running = worker.run();
  await seedDemoAccounts(database.db, new Date());
  await unregisterDemoCompany(database.db);
  await database.db
    .insertInto('accounts')
    .values({ account_id: 'other-applicant', username: 'other-creator', display_name: '另一家文化公司', role: 'applicant', department: null, applicant_kind: 'company', profile: '{}', password_hash: await hashPassword(DEMO_PASSWORD), created_at: new Date() })
    .execute();
  app = await buildApp({ db: database.db, temporal: env.client, taskQueue, clock: () => new Date(), calendar });
  for (const username of ['creator', 'other-creator', 'fund-reviewer', 'fund-approver', 'cac-reviewer', 'huangpu-reviewer', 'auditor', 'admin']) {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    const token = login.json<{ token: string }>().token;
    callers[username] = (url, method = 'GET', body, headers = {}) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body === undefined ? {} : { payload: body }) });
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

async function ok(username: string, url: string, method: 'GET' | 'POST' = 'GET', body?: object, headers?: Record<string, string>) {
  const response = await callers[username]!(url, method, body, headers);
  expect(response.statusCode, `${username} ${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response;
}

/** A 雏鹰 loan taken to the fund's approval through the API: one decision, one letter. */
async function approvedLoan() {
  const opened = await ok('creator', '/api/cases/chuying-loan', 'POST', validApplication(), { 'idempotency-key': randomUUID() });
  const caseId = opened.json<{ caseId: string }>().caseId;
  await ok('fund-reviewer', `/api/cases/${caseId}/accept-materials`, 'POST', {});
  await ok('cac-reviewer', `/api/cases/${caseId}/pass-compliance-review`, 'POST', { notes: '内容积极健康' });
  await ok('fund-approver', `/api/cases/${caseId}/approve-funding`, 'POST', { approvedAmountFen: 36_000_000, notes: '核定 36 万元' });
  return caseId;
}

type ListedLetter = { letterId: string; letterNo: string; title: string; decision: string; decisionLabel: string; version: number; sha256: string; download: string };

describe('GET /api/cases/:caseId/decision-letters and the PDF', () => {
  let caseId: string;
  let letter: ListedLetter;

  beforeAll(async () => {
    caseId = await approvedLoan();
    const { letters } = (await ok('creator', `/api/cases/${caseId}/decision-letters`)).json<{ letters: ListedLetter[] }>();
    expect(letters).toHaveLength(1);
    letter = letters[0]!;
  }, 120_000);

  it('lists the approval’s letter with the hash its decision event records', async () => {
    expect(letter).toMatchObject({ title: '资助决定书', decision: 'approve', decisionLabel: '同意资助', download: `/api/cases/${caseId}/decision-letters/${letter.letterId}` });
    const { events } = (await ok('creator', `/api/cases/${caseId}/events`)).json<{ events: { version: number; type: string; data: { letter?: { letterId: string; sha256: string; letterNo: string } } }[] }>();
    const approved = events.find((e) => e.type === 'FundingApproved')!;
    expect(approved.version).toBe(letter.version);
    expect(approved.data.letter).toEqual({ letterId: letter.letterId, letterNo: letter.letterNo, sha256: letter.sha256 });
  });

  it('the applicant downloads the PDF: application/pdf, a Chinese file name (RFC 5987), bytes whose SHA-256 is the event’s', async () => {
    const response = await ok('creator', letter.download);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(contentDisposition(`decision-letter-${letter.version}.pdf`, `资助决定书（${letter.letterNo}）.pdf`));
    expect(response.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('资助决定书')}`);
    const pdf = response.rawPayload;
    expect(sha256Hex(pdf)).toBe(letter.sha256);
    expect(response.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(letter.sha256, 'hex').toString('base64')}:`);
    const text = await pdfText(pdf);
    expect(text).toContain('人民币360,000.00元');
    expect(text).toContain('行政复议');
  });

  it('is listed in the permission matrix for exactly the readers of the case', () => {
    expect(PERMISSIONS['GET /api/cases/:caseId/decision-letters']).toEqual(caseReaders);
    expect(PERMISSIONS['GET /api/cases/:caseId/decision-letters/:letterId']).toEqual(caseReaders);
  });

  it('the same readers as the case: its applicant, officials of its departments (the fund, 网信), auditors; another applicant 404, another department 403, an admin 403', async () => {
    for (const reader of ['creator', 'fund-reviewer', 'cac-reviewer', 'auditor']) {
      expect((await callers[reader]!(`/api/cases/${caseId}/decision-letters`)).statusCode, reader).toBe(200);
      expect((await callers[reader]!(letter.download)).statusCode, reader).toBe(200);
    }
    for (const [who, status] of [['other-creator', 404], ['huangpu-reviewer', 403], ['admin', 403]] as const) {
      // As GET /api/cases/:caseId answers them.
      expect((await callers[who]!(`/api/cases/${caseId}`)).statusCode, who).toBe(status);
      expect((await callers[who]!(`/api/cases/${caseId}/decision-letters`)).statusCode, who).toBe(status);
      expect((await callers[who]!(letter.download)).statusCode, who).toBe(status);
    }
    expect((await app.inject({ method: 'GET', url: letter.download })).statusCode).toBe(401);
  });

  it('a letter no recorded event names (rendered for a decision whose append failed) is not issued: not listed, not served', async () => {
    const before = foldChuyingLoan(history.fundingDecision);
    const content = { ...letterForChuyingLoan(event.fundingRejected(), foldChuyingLoan([event.fundingRejected()], before), before.version + 1)!, caseId, position: letter.version + 1 };
    const orphan = await createDecisionLetterActivities({ db: database.db, clock: () => new Date() }).issueDecisionLetter({ caseId, letterId: randomUUID(), content });
    const { letters } = (await ok('creator', `/api/cases/${caseId}/decision-letters`)).json<{ letters: ListedLetter[] }>();
    expect(letters.map((l) => l.letterId)).toEqual([letter.letterId]);
    const missing = await callers.creator!(`/api/cases/${caseId}/decision-letters/${orphan.letterId}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not-found', message: '这件办件没有这份决定书：请回到办件页面，从“决定书”中打开。' });
    // Nor is a letter served under another case's id.
    const other = await approvedLoan();
    expect((await callers.creator!(`/api/cases/${other}/decision-letters/${letter.letterId}`)).statusCode).toBe(404);
  });

  it('a letter swapped for another case’s, file and stored hash together, is reported by the case’s verification; one deleted too', async () => {
    const other = await approvedLoan();
    expect((await verifyCase(database.db, other)).problems.filter((p) => p.kind === 'letter')).toEqual([]);
    const [otherLetter] = (await ok('creator', `/api/cases/${other}/decision-letters`)).json<{ letters: ListedLetter[] }>().letters;
    // What an outside tester did as the database superuser: the other letter's PDF and hash under this letter's row.
    const superuser = new pg.Client({ connectionString: database.url });
    await superuser.connect();
    try {
      await superuser.query('SET session_replication_role = replica');
      await superuser.query('UPDATE decision_letters SET pdf = o.pdf, sha256 = o.sha256 FROM decision_letters o WHERE decision_letters.letter_id = $1 AND o.letter_id = $2', [otherLetter!.letterId, letter.letterId]);
      const report = await verifyCase(database.db, other);
      expect(report.intact).toBe(false);
      expect(report.problems).toEqual([
        expect.objectContaining({ kind: 'letter', streamVersion: otherLetter!.version, message: `第 ${otherLetter!.version} 版记录签发的决定书 ${otherLetter!.letterNo}（资助决定书）的文件与该版记录的哈希不符：文件在签发后被换过或改过，系统已不再提供它` }),
      ]);
      await superuser.query('DELETE FROM decision_letters WHERE letter_id = $1', [otherLetter!.letterId]);
      expect((await verifyCase(database.db, other)).firstProblem?.message).toBe(`第 ${otherLetter!.version} 版记录签发的决定书 ${otherLetter!.letterNo}在决定书库中不存在：文件被删掉或挪走了，申请人和工作人员都已看不到它`);
    } finally {
      await superuser.end();
    }
    // The case whose letter was copied is untouched.
    expect((await verifyCase(database.db, caseId)).problems.filter((p) => p.kind === 'letter')).toEqual([]);
  });
});

describe('a letter is listed under the decision it states', () => {
  it('names a filing refused 不予备案 and one approved 准予备案, not the generic 不予批准 and 批准', () => {
    expect(decisionLabelOf('不予备案决定书', 'reject')).toBe('不予备案');
    expect(decisionLabelOf('准予备案决定书', 'approve')).toBe('准予备案');
    expect(decisionLabelOf('不予支持决定书', 'reject')).toBe('不予支持');
    expect(decisionLabelOf('资助决定书', 'approve')).toBe('同意资助');
    expect(decisionLabelOf('', 'recover')).toBe('追回');
  });
});
