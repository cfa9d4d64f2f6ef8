import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { sha256Hex } from '../../db/documents/document-store.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { unregisterDemoCompany } from '../support/legacy-company.js';
import { MAX_DOCUMENT_BYTES } from '../../domain/documents/document-type.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { registerCaseSearchAttributes } from '../../worker/search-attributes.js';
import { freshCreditCode } from '../support/actors.js';
import { validApplication } from '../support/api-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { SAMPLES } from '../support/document-samples.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let app: FastifyInstance;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  await registerCaseSearchAttributes(env.nativeConnection, 'default');
  const taskQueue = `documents-api-${randomUUID()}`;
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
  for (const username of ['creator', 'other-creator', 'fund-reviewer', 'huangpu-reviewer', 'auditor']) {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    tokens[username] = login.json<{ token: string }>().token;
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

const call = (username: string, method: 'GET' | 'POST', url: string, body?: object): Promise<LightMyRequestResponse> =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tokens[username]}` }, ...(body === undefined ? {} : { payload: body }) });

const upload = (username: string, bytes: Buffer, name: string, contentType = 'application/octet-stream') =>
  app.inject({ method: 'POST', url: `/api/documents?name=${encodeURIComponent(name)}`, headers: { authorization: `Bearer ${tokens[username]}`, 'content-type': contentType }, payload: bytes });

interface Uploaded {
  documentId: string;
  sha256: string;
  size: number;
  mediaType: string;
  name: string;
  download: string;
}

describe('uploading documents', () => {
  it.each([
    ['pdf', '营业执照.pdf', 'application/pdf', 'application/pdf'],
    ['png', 'scan.png', 'image/png', 'image/png'],
    ['jpeg', 'photo.jpg', 'image/jpeg', 'image/jpeg'],
    ['gif', 'logo.gif', 'application/octet-stream', 'image/gif'],
    ['webp', 'poster.webp', 'image/webp', 'image/webp'],
    ['docx', '项目说明.docx', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', '预算表.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx', '路演.pptx', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['ole2', '旧表格.xls', 'application/vnd.ms-excel', 'application/x-ole-storage'],
  ] as const)('accepts %s, typed by its content', async (kind, name, declared, mediaType) => {
    const response = await upload('creator', SAMPLES[kind], name, declared);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Uploaded>()).toMatchObject({ sha256: sha256Hex(SAMPLES[kind]), size: SAMPLES[kind].length, mediaType, name });
    // Only what a browser shows by itself may open inline: PDF and images; Office documents download.
    const uploaded = response.json<Uploaded & { preview: string | null }>();
    const shown = ['pdf', 'png', 'jpeg', 'gif', 'webp'].includes(kind);
    expect(uploaded.preview).toBe(shown ? `${uploaded.download}?disposition=inline` : null);
    const opened = await call('creator', 'GET', `${uploaded.download}?disposition=inline`);
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['content-disposition']).toMatch(shown ? /^inline; / : /^attachment; /);
  });

  it('refuses a program renamed .pdf and declared application/pdf, in Chinese', async () => {
    const response = await upload('creator', SAMPLES.exe, '营业执照.pdf', 'application/pdf');
    expect(response.statusCode).toBe(415);
    expect(response.json().message).toContain('Windows 可执行程序');
    const stored = await database.db.selectFrom('documents').select('document_id').where('name', '=', '营业执照.pdf').where('media_type', '<>', 'application/pdf').execute();
    expect(stored).toEqual([]);
  });

  it('refuses a file over the limit, and an empty body', async () => {
    const big = Buffer.alloc(MAX_DOCUMENT_BYTES + 45);
    SAMPLES.pdf.copy(big);
    const tooLarge = await upload('creator', big, 'big.pdf');
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().message).toContain('20 MB');
    // 45 bytes over is said as over: rounded up, never “收到 20.0 MB” beside a 20 MB limit.
    expect(tooLarge.json().message).toContain('（收到 20.01 MB）');
    const empty = await upload('creator', Buffer.alloc(0), 'empty.pdf');
    expect(empty.statusCode).toBe(400);
  });

  it('leaves every other route refusing a body that is not JSON', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/cases/chuying-loan', headers: { authorization: `Bearer ${tokens.creator}`, 'content-type': 'application/pdf' }, payload: SAMPLES.pdf });
    expect(response.statusCode).toBe(415);
  });

  it('never overwrites or removes a document (the database refuses)', async () => {
    const { documentId } = (await upload('creator', SAMPLES.pdf, 'keep.pdf')).json<Uploaded>();
    // The application's own role holds no UPDATE or DELETE on it; the owner is stopped by the trigger.
    await expect(sql`UPDATE documents SET name = 'other.pdf' WHERE document_id = ${documentId}`.execute(database.db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM documents WHERE document_id = ${documentId}`.execute(database.db)).rejects.toThrow(/permission denied/);
    await expect(sql`UPDATE documents SET content = ${Buffer.from('%PDF-forged')} WHERE document_id = ${documentId}`.execute(database.ownerDb)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM documents WHERE document_id = ${documentId}`.execute(database.ownerDb)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE documents CASCADE`.execute(database.ownerDb)).rejects.toThrow(/append-only/);
  });
});

describe('a document answering a 补正', () => {
  it('is recorded in the event with its SHA-256, and downloads follow the case’s access rule', async () => {
    const opened = await app.inject({ method: 'POST', url: '/api/cases/chuying-loan', headers: { authorization: `Bearer ${tokens.creator}`, 'idempotency-key': randomUUID() }, payload: validApplication() });
    expect(opened.statusCode, opened.body).toBeLessThan(300);
    const caseId = opened.json<{ caseId: string }>().caseId;
    expect((await call('fund-reviewer', 'POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本'] })).statusCode).toBe(200);

    const licence = (await upload('creator', SAMPLES.pdf, '营业执照副本.pdf', 'application/pdf')).json<Uploaded>();
    // Before any case references it, only its uploader may download it.
    expect((await call('fund-reviewer', 'GET', licence.download)).statusCode).toBe(404);
    const own = await call('creator', 'GET', licence.download);
    expect(own.statusCode).toBe(200);

    // Another applicant cannot reference it on their own case, nor the owner reference a stranger's.
    const strangers = (await upload('other-creator', SAMPLES.png, 'x.png')).json<Uploaded>();
    const refused = await call('creator', 'POST', `/api/cases/${caseId}/provide-supplement`, { responses: [{ item: '营业执照副本', response: '见附件', documents: [{ documentId: strangers.documentId }] }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('不是您上传的');

    const answered = await call('creator', 'POST', `/api/cases/${caseId}/provide-supplement`, { responses: [{ item: '营业执照副本', response: '见附件', documents: [{ documentId: licence.documentId }] }] });
    expect(answered.statusCode, answered.body).toBe(200);

    const events = (await call('fund-reviewer', 'GET', `/api/cases/${caseId}/events`)).json<{ events: { type: string; data: { responses?: { documents?: object[] }[] } }[] }>().events;
    const provided = events.find((e) => e.type === 'SupplementProvided')!;
    expect(provided.data.responses![0]!.documents).toEqual([{ documentId: licence.documentId, sha256: sha256Hex(SAMPLES.pdf), name: '营业执照副本.pdf', mediaType: 'application/pdf', size: SAMPLES.pdf.length }]);

    // The case's official downloads exactly the bytes uploaded, as a download that is never sniffed.
    const download = await call('fund-reviewer', 'GET', licence.download);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(SAMPLES.pdf)).toBe(true);
    expect(download.headers['content-type']).toContain('application/pdf');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('营业执照副本.pdf')}`);
    expect((await call('auditor', 'GET', licence.download)).statusCode).toBe(200);
    // Another applicant, and an official of another department, see it as no document at all.
    const other = await call('other-creator', 'GET', licence.download);
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe((await call('other-creator', 'GET', `/api/documents/${randomUUID()}`)).body.replace(/[0-9a-f-]{36}/, licence.documentId));
    expect((await call('huangpu-reviewer', 'GET', licence.download)).statusCode).toBe(404);
    // The link opened in their browser: the same 404, as a page in words, not JSON; and one not signed in is asked to sign in.
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'sec-fetch-mode': 'navigate' };
    const opened404 = await app.inject({ method: 'GET', url: licence.download, headers: { authorization: `Bearer ${tokens['other-creator']}`, ...browser } });
    expect(opened404.statusCode).toBe(404);
    expect(opened404.headers['content-type']).toContain('text/html');
    expect(opened404.body).toContain('<h1>找不到该内容</h1>');
    expect(opened404.body).not.toContain('"error"');
    const signedOut = await app.inject({ method: 'GET', url: licence.download, headers: browser });
    expect(signedOut.statusCode).toBe(401);
    expect(signedOut.body).toContain('<h1>请先登录</h1>');
    expect(signedOut.body).toContain('前往登录');

    const listed = (await call('fund-reviewer', 'GET', `/api/cases/${caseId}/documents`)).json<{ documents: (Uploaded & { preview: string | null })[] }>().documents;
    expect(listed.map((d) => [d.documentId, d.sha256])).toEqual([[licence.documentId, sha256Hex(SAMPLES.pdf)]]);

    // 预览: a PDF opens in the browser, under the same access rule; the download stays a download.
    expect(listed[0]!.preview).toBe(`${licence.download}?disposition=inline`);
    const preview = await call('fund-reviewer', 'GET', listed[0]!.preview!);
    expect(preview.statusCode).toBe(200);
    expect(preview.rawPayload.equals(SAMPLES.pdf)).toBe(true);
    expect(preview.headers['content-disposition']).toMatch(/^inline; /);
    expect(preview.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
    expect((await call('huangpu-reviewer', 'GET', listed[0]!.preview!)).statusCode).toBe(404);
    expect((await call('fund-reviewer', 'GET', `${licence.download}?disposition=open`)).statusCode).toBe(400);
    expect((await call('other-creator', 'GET', `/api/cases/${caseId}/documents`)).statusCode).toBe(404);
  }, 60_000);
});

describe('documents submitted with an application', () => {
  it('are recorded, with their SHA-256, in the submission’s event; a stranger’s upload is refused', async () => {
    const plan = (await upload('creator', SAMPLES.docx, '项目说明.docx')).json<Uploaded>();
    const strangers = (await upload('other-creator', SAMPLES.pdf, 'x.pdf')).json<Uploaded>();
    const body = (documentId: string) => ({ title: '微短剧出海', summary: '出海发行计划', facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, unifiedSocialCreditCode: freshCreditCode() }, documents: [{ documentId }] });
    const refused = await app.inject({ method: 'POST', url: '/api/applications/drama-overseas', headers: { authorization: `Bearer ${tokens.creator}` }, payload: body(strangers.documentId) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([{ field: 'documents.0.documentId', code: 'document-not-found', message: expect.stringContaining('不是您上传的') }]);

    const opened = await app.inject({ method: 'POST', url: '/api/applications/drama-overseas', headers: { authorization: `Bearer ${tokens.creator}` }, payload: body(plan.documentId) });
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId } = opened.json<{ caseId: string }>();
    const events = (await call('creator', 'GET', `/api/cases/${caseId}/events`)).json<{ events: { type: string; data: { details?: { documents?: object[] } } }[] }>().events;
    expect(events.find((e) => e.type === 'ApplicationSubmitted')!.data.details!.documents).toEqual([
      { documentId: plan.documentId, sha256: sha256Hex(SAMPLES.docx), name: '项目说明.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: SAMPLES.docx.length },
    ]);
    const listed = (await call('creator', 'GET', `/api/cases/${caseId}/documents`)).json<{ documents: Uploaded[] }>().documents;
    expect(listed.map((d) => d.documentId)).toEqual([plan.documentId]);
  }, 60_000);
});
