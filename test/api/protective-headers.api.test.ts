import { connect } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { buildApp } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import {
  actionResultResponse,
  caseDetailResponse,
  caseListResponse,
  caseResponse,
  dramaFilingCaseResponse,
  errorResponse,
  loginResponse,
  meResponse,
  programmeListResponse,
  worklistResponse,
} from '../../api/schemas/responses.schemas.js';
import { createDb } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';

function expectProtected(response: LightMyRequestResponse | { headers: Record<string, unknown> }) {
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
}

/** The answer in the API's one error shape, with its code. */
function expectRefusal(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(errorResponse.safeParse(response.json()).success, response.body).toBe(true);
  expect(response.json()).toMatchObject({ error: code, message: expect.any(String) });
  expect(response.body).not.toMatch(/FST_ERR/);
  expectProtected(response);
}

function expectShape(schema: ZodType, response: LightMyRequestResponse) {
  const parsed = schema.safeParse(response.json());
  expect(parsed.success, `${parsed.error?.message}\n${response.body.slice(0, 500)}`).toBe(true);
}

describe('every answer is protected and every refusal has one shape (no database needed)', () => {
  // Only routes that reach neither the database nor Temporal are called here.
  const deps = { db: createDb('postgres://nobody@127.0.0.1:1/none'), temporal: {}, taskQueue: 'headers', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies;
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(deps);
  });
  afterAll(async () => {
    await app.close();
    await deps.db.destroy();
  });

  it('a 200: the catalogue, with no-store and nosniff', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/programmes' });
    expect(response.statusCode).toBe(200);
    expectProtected(response);
    expectShape(programmeListResponse, response);
  });

  it('a 400, a 404 and a 401 (with WWW-Authenticate: Bearer)', async () => {
    expectRefusal(await app.inject({ method: 'GET', url: '/api/working-days/countdown?dueOn=9999-01-01' }), 400, 'validation');
    expectRefusal(await app.inject({ method: 'GET', url: '/api/nowhere' }), 404, 'not-found');
    const unauthenticated = await app.inject({ method: 'GET', url: '/api/me' });
    expectRefusal(unauthenticated, 401, 'unauthenticated');
    expect(unauthenticated.headers['www-authenticate']).toBe('Bearer realm="youchuang"');
  });

  it('a text/plain body is a 415, as the README promises, not a 400', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'username=creator' });
    expectRefusal(response, 415, 'unsupported-media-type');
    expect(response.json().message).toContain('请以 JSON 提交');
  });

  it('a method a known path does not serve is a 405 with Allow, TRACE included', async () => {
    const trace = await app.inject({ method: 'TRACE', url: '/api/programmes' });
    expectRefusal(trace, 405, 'method-not-allowed');
    expect(trace.headers.allow).toBe('GET, HEAD');
    const remove = await app.inject({ method: 'DELETE', url: '/api/cases/6f1c2b8e-3a57-4c1d-9e0f-2b7a8c9d0e1f' });
    expectRefusal(remove, 405, 'method-not-allowed');
    expect(remove.headers.allow).toBe('GET, HEAD');
    const put = await app.inject({ method: 'PUT', url: '/api/auth/login', payload: {} });
    expect(put.headers.allow).toBe('POST');
  });

  it('a known path with a slash added is a 404, not a 405 that refuses GET while allowing it', async () => {
    for (const url of ['/api/me/', '/api/cases/6f1c2b8e-3a57-4c1d-9e0f-2b7a8c9d0e1f/']) {
      const response = await app.inject({ method: 'GET', url });
      expectRefusal(response, 404, 'not-found');
      expect(response.json().message).toBe('没有这个页面或接口：请核对地址。');
    }
  });

  it('an unknown method such as QUERY answers in the error shape, with or without a body', async () => {
    const query = await app.inject({ method: 'QUERY' as 'GET', url: '/api/cases' });
    expectRefusal(query, 405, 'method-not-allowed');
    expect(query.headers.allow).toBe('GET, HEAD');
    expectRefusal(await app.inject({ method: 'QUERY' as 'GET', url: '/api/nowhere' }), 405, 'method-not-allowed');
    expectRefusal(await app.inject({ method: 'QUERY' as 'GET', url: '/api/cases', headers: { 'content-type': 'application/json' }, payload: '{}' }), 405, 'method-not-allowed');
  });

  it('a content-length that does not match the body is refused in the error shape', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json', 'content-length': '100' }, payload: '{}' });
    expectRefusal(response, 400, 'validation');
  });

  it('a malformed URL path answers in the error shape with the protective headers', async () => {
    expectRefusal(await app.inject({ method: 'GET', url: '/api/cases/%zz' }), 400, 'validation');
  });

  /** What the server answers last to bytes written straight to its socket. */
  async function lastAnswerTo(bytes: Buffer | string): Promise<string> {
    const server = await buildApp(deps);
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const port = (server.server.address() as { port: number }).port;
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('error', reject);
        socket.on('close', () => resolve(received));
        socket.write(bytes);
      });
      return raw.slice([...raw.matchAll(/HTTP\/1\.1 \d{3} /g)].at(-1)!.index);
    } finally {
      await server.close();
    }
  }

  it('what Node refuses on the socket (bytes beyond the content-length) answers in the error shape too, in Chinese', async () => {
    // The request itself is answered first; the bytes after it are what Node refuses.
    const last = await lastAnswerTo('POST /api/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}\u0000garbage that is no request\r\n\r\n');
    expect(last).toMatch(/^HTTP\/1\.1 400 /);
    expect(last).toMatch(/cache-control: no-store/i);
    expect(last).toMatch(/x-content-type-options: nosniff/i);
    const body = JSON.parse(last.slice(last.indexOf('\r\n\r\n') + 4)) as unknown;
    expect(body).toMatchObject({ error: 'validation', message: expect.stringContaining('请检查 content-length 是否与实际发送的内容一致') });
  });

  it('a file name in Chinese sent unencoded in the address is told to percent-encode it, not to check content-length', async () => {
    // An outsider uploaded with curl "…/api/documents?name=现场核查记录.pdf", as the README's placeholder reads.
    const last = await lastAnswerTo(Buffer.from('POST /api/documents?name=现场核查记录.pdf HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n'));
    expect(last).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(last.slice(last.indexOf('\r\n\r\n') + 4)) as { error: string; code: string; message: string };
    expect(body.message).toContain('须先进行百分号编码');
    expect(body.message).not.toContain('content-length');
    // The error shape every answer has, and curl advice that keeps the file: --url-query, since --data-urlencode on a POST replaces the body.
    expect(body).toMatchObject({ error: 'validation', code: 'validation' });
    expect(body.message).toContain('--url-query name=文件名');
  });
});

describe('answers that carry a token or personal data are never stored, and match their documented schemas', () => {
  let harness: ApiHarness;
  let creator: ApiCaller;
  let fundReviewer: ApiCaller;
  beforeAll(async () => {
    harness = await startApiHarness();
    creator = await harness.as('creator');
    fundReviewer = await harness.as('fund-reviewer');
  });
  afterAll(() => harness?.close());

  it('the sign-in answer (token) and the account read (personal data)', async () => {
    const login = await harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'creator', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    expectProtected(login);
    expectShape(loginResponse, login);
    const wrong = await harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'creator', password: 'not the password' } });
    expectRefusal(wrong, 401, 'unauthenticated');
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="youchuang"');
    const me = await creator('GET', '/api/me');
    expectProtected(me);
    expectShape(meResponse, me);
  });

  it('a loan case opened, read, listed, acted on; a filing opened; the worklist', async () => {
    const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    expectShape(caseResponse, opened);
    const caseId = opened.json<{ caseId: string }>().caseId;

    const read = await fundReviewer('GET', `/api/cases/${caseId}`);
    expect(read.statusCode).toBe(200);
    expectProtected(read);
    expectShape(caseDetailResponse, read);
    expectShape(caseListResponse, await fundReviewer('GET', '/api/cases'));
    expectShape(worklistResponse, await fundReviewer('GET', '/api/worklist'));

    const acted = await fundReviewer('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本'], expectedVersion: opened.json<{ version: number }>().version });
    expect(acted.statusCode, acted.body).toBe(200);
    expectShape(actionResultResponse, acted);

    const filing = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission());
    expect(filing.statusCode, filing.body).toBe(201);
    expectShape(dramaFilingCaseResponse, filing);
    expectShape(caseDetailResponse, await creator('GET', `/api/cases/${filing.json<{ caseId: string }>().caseId}`));
  });
});
