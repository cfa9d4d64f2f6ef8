import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, buildApp } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { operationIdOf, type RouteDefinition } from '../../api/route.js';
import { CASE_MODULES } from '../../cases/registry.js';
import { createDb } from '../../db/client.js';

const SCHEMATHESIS_DIR = fileURLToPath(new URL('../../.tools/schemathesis', import.meta.url));

type Operation = {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> }>;
  security?: unknown[];
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

// The document is built from the route list alone: no database or Temporal is reached.
const deps = { db: createDb('postgres://nobody@127.0.0.1:1/none'), temporal: {}, taskQueue: 'openapi', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies;
let app: FastifyInstance;
let doc: Document;
let routes: RouteDefinition[];
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })));
const operationOf = (r: RouteDefinition) => doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]![r.method.toLowerCase()]!;

beforeAll(async () => {
  app = await buildApp(deps);
  doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>();
  routes = apiRoutes(deps);
});
afterAll(async () => {
  await app.close();
  await deps.db.destroy();
});

describe('the OpenAPI document', () => {
  it('documents every route of the API, each with a unique operationId', () => {
    expect(operations()).toHaveLength(routes.length);
    const ids = operations().map((o) => o.operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operationIdOf({ method: 'POST', url: '/api/cases/:caseId/approve-funding' })).toBe('postCasesByCaseIdApproveFunding');
  });

  it('declares a response schema for every status of every operation (204 has no body); refusals share the Error schema', () => {
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error', 'message'] });
    for (const { path, method, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === '204') {
          expect(response.content, `${method} ${path} ${status}`).toBeUndefined();
          continue;
        }
        // A spreadsheet or a PDF is documented by its own media type; everything else answers JSON.
        const produces = routes.find((r) => operationIdOf(r) === operation.operationId)?.produces;
        if (status.startsWith('2') && produces) {
          expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual([produces.mediaType]);
          continue;
        }
        expect(response.content?.['application/json']?.schema, `${method} ${path} ${status}`).toBeDefined();
        if (Number(status) >= 400 && !(path === '/api/health' && status === '503')) {
          expect(response.content!['application/json']!.schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        }
      }
    }
  });

  it('declares the statuses the server answers: 400 everywhere; 401/403 when signed in; 404/414 with a path id; 413/415 with a body; 409/422 on signed-in writes', () => {
    for (const r of routes) {
      const declared = Object.keys(operationOf(r).responses).map(Number);
      const label = `${r.method} ${r.url}`;
      expect(declared, label).toContain(400);
      if (r.access === 'signed-in') expect(declared, label).toEqual(expect.arrayContaining([401, 403]));
      if (r.url.includes('/:')) expect(declared, label).toEqual(expect.arrayContaining([404, 414]));
      if (r.method !== 'GET') expect(declared, label).toEqual(expect.arrayContaining([413, 415]));
      if (r.method !== 'GET' && r.access === 'signed-in') expect(declared, label).toEqual(expect.arrayContaining([409, 422]));
    }
    expect(Object.keys(doc.paths['/api/auth/login']!.post!.responses)).toContain('429');
    expect(Object.keys(doc.paths['/api/health']!.get!.responses)).toEqual(expect.arrayContaining(['200', '503']));
    expect(Object.keys(doc.paths['/api/audit/checkpoints']!.post!.responses)).toEqual(expect.arrayContaining(['200', '201']));
  });

  it('declares the headers: Idempotency-Key on signed-in writes, Retry-After on 429 and 409, WWW-Authenticate on 401', () => {
    for (const r of routes) {
      const operation = operationOf(r);
      const key = operation.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      if (r.method !== 'GET' && r.access === 'signed-in') expect(key, `${r.method} ${r.url}`).toMatchObject({ required: false, schema: { type: 'string' } });
      else expect(key, `${r.method} ${r.url}`).toBeUndefined();
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === '429' || status === '409') expect(response.headers, `${r.method} ${r.url} ${status}`).toHaveProperty('Retry-After');
        if (status === '401') expect(response.headers, `${r.method} ${r.url} ${status}`).toHaveProperty('WWW-Authenticate');
      }
    }
  });

  it('gives the main resources precise answers, not free-form ones', () => {
    const successSchema = (path: string, method: string, status = '200') => doc.paths[path]![method]!.responses[status]!.content!['application/json']!.schema as Record<string, unknown>;
    expect(successSchema('/api/auth/login', 'post')).toMatchObject({ type: 'object', required: expect.arrayContaining(['token', 'csrfToken', 'expiresAt', 'account']) });
    expect(successSchema('/api/cases', 'get')).toMatchObject({ properties: { cases: { type: 'array' } } });
    const caseDetail = JSON.stringify(successSchema('/api/cases/{caseId}', 'get'));
    for (const field of ['caseId', 'referenceNo', 'version', 'waitingFor', 'schedule', 'rounds', 'applicantAwards', 'personalData']) expect(caseDetail).toContain(`"${field}"`);
    expect(successSchema('/api/cases/{caseId}/{action}', 'post')).toMatchObject({ required: ['result', 'case'] });
    expect(caseDetail).toContain('"availableActions"');
    expect(successSchema('/api/programmes', 'get')).toMatchObject({ properties: { programmes: { type: 'array' } } });
    expect(successSchema('/api/worklist', 'get')).toMatchObject({ properties: { cases: { type: 'array' } } });
    expect(successSchema('/api/filings/queue', 'get')).toMatchObject({ properties: { filings: { type: 'array' } } });
    // Routes without a declared schema say so rather than pretending.
    for (const { path, method, operation } of operations()) {
      const schema = Object.entries(operation.responses).find(([s]) => s.startsWith('2'))?.[1].content?.['application/json']?.schema as { description?: string } | undefined;
      if (schema && Object.keys(schema).length <= 3 && (schema as { type?: string }).type === 'object' && !('properties' in schema)) {
        expect(schema.description, `${method} ${path}`).toMatch(/^free-form/);
      }
    }
  });

  it('names every field an applicant fills to open a loan or a filing by the label its form shows', () => {
    // An outsider reading the document met producer, synopsis and company.registeredDistrict with no word of what they were.
    const untitled = (schema: Record<string, unknown>, path = ''): string[] =>
      Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>).flatMap(([name, field]) => [
        ...(typeof field.title === 'string' && field.title.length > 0 ? [] : [`${path}${name}`]),
        ...untitled(field, `${path}${name}.`),
      ]);
    const body = (path: string) => doc.paths[path]!.post!.requestBody!.content!['application/json']!.schema as Record<string, unknown>;
    expect(untitled(body('/api/cases/chuying-loan'))).toEqual([]);
    for (const filing of ['/api/cases/drama-planning-filing', '/api/cases/drama-release-filing']) expect(untitled(body(filing))).toEqual([]);
  });

  it('documents the one action route: every action by name, each action’s body, every refusal it can answer', () => {
    const operation = doc.paths['/api/cases/{caseId}/{action}']!.post!;
    // Every action a person may take; one the system alone takes (a batch decision, a public objection) has no route.
    const declared = [...new Set(CASE_MODULES.flatMap((m) => m.actions.filter((a) => a.who.applicant || a.who.official || a.who.expert).map((a) => a.name)))];
    expect(declared).not.toContain('record-batch-decision');
    expect(declared).toEqual(expect.arrayContaining(['approve-funding', 'record-repayment', 'withdraw']));
    expect(operation.parameters!.find((p) => p.name === 'action')).toMatchObject({ in: 'path', required: true, schema: { type: 'string', enum: declared } });
    const branches = (operation.requestBody!.content['application/json']!.schema as { anyOf: { title: string; properties: Record<string, Record<string, unknown>> }[] }).anyOf;
    expect(branches.map((b) => b.title)).toEqual(declared);
    const approve = branches.find((b) => b.title === 'approve-funding')!;
    expect(approve.properties.approvedAmountFen).toMatchObject({ type: 'integer', unit: 'fen', title: '核定金额（元）' });
    expect(approve.properties).toHaveProperty('expectedVersion');
    // An unknown action (404), one the case's type lacks or at the wrong step (409), not the caller's (403): all declared.
    expect(Object.keys(operation.responses).map(Number)).toEqual(expect.arrayContaining([200, 400, 401, 403, 404, 409, 413, 414, 415, 422]));
    // No other path is an action's own: the one route serves them all.
    expect(Object.keys(doc.paths).filter((p) => declared.some((name) => p === `/api/cases/{caseId}/${name}`))).toEqual([]);
  });

  it('states the limits the server enforces: no control characters in text, dates within the calendar’s years', () => {
    const body = doc.paths['/api/cases/{caseId}/{action}']!.post!.requestBody!.content['application/json']!.schema;
    expect(JSON.stringify(body)).toContain('^[^\\\\u0000-\\\\u0008');
    // However a field's schema was written, every string of a body or a parameter states the refusal.
    const unguarded: string[] = [];
    const walk = (schema: unknown, where: string): void => {
      if (Array.isArray(schema)) return schema.forEach((s, i) => walk(s, `${where}[${i}]`));
      if (schema === null || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      if (s.type === 'string' && !s.pattern && !s.enum && !s.const && !s.format && !s.allOf) unguarded.push(where);
      for (const [k, v] of Object.entries(s)) if (k !== 'default') walk(v, `${where}.${k}`);
    };
    for (const { path, method, operation } of operations()) {
      walk(operation.requestBody?.content['application/json']?.schema, `${method} ${path} body`);
      for (const p of operation.parameters ?? []) if (p.in !== 'header') walk(p.schema, `${method} ${path} ${p.name}`);
    }
    expect(unguarded).toEqual([]);
    const dueOn = doc.paths['/api/working-days/countdown']!.get!.parameters!.find((p) => p.name === 'dueOn')!;
    expect(new RegExp(dueOn.schema.pattern as string).test('2026-12-01')).toBe(true);
    expect(new RegExp(dueOn.schema.pattern as string).test('9999-12-01')).toBe(false);
    expect(new RegExp(dueOn.schema.pattern as string).test('1989-12-31')).toBe(false);
  });

  it('marks a request body required exactly where an absent one is refused', async () => {
    for (const r of routes.filter((route) => route.body)) {
      expect(operationOf(r).requestBody!.required, `${r.method} ${r.url}`).toBe(!r.body!.safeParse({}).success);
    }
    // An auditor's checkpoint needs no body: the document says so.
    expect(doc.paths['/api/audit/checkpoints']!.post!.requestBody!.required).toBe(false);
    expect(doc.paths['/api/auth/login']!.post!.requestBody!.required).toBe(true);
  });

  it('passes openapi-spec-validator (installed into .tools/ by dev/bootstrap.mjs)', () => {
    expect(existsSync(`${SCHEMATHESIS_DIR}/openapi_spec_validator`), 'run `node dev/bootstrap.mjs --api-tools` to install openapi-spec-validator').toBe(true);
    const result = spawnSync('python3', ['-c', 'import json, sys; from openapi_spec_validator import validate; validate(json.load(sys.stdin)); print("valid")'], {
      input: JSON.stringify(doc),
      env: { ...process.env, PYTHONPATH: SCHEMATHESIS_DIR },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('valid');
  });

  it('is rejected by the validator when broken, so the check above can fail', () => {
    const broken = { ...doc, paths: { '/api/x': { get: { responses: { '200': { content: {} } } } } } };
    const result = spawnSync('python3', ['-c', 'import json, sys; from openapi_spec_validator import validate; validate(json.load(sys.stdin))'], {
      input: JSON.stringify(broken),
      env: { ...process.env, PYTHONPATH: SCHEMATHESIS_DIR },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
  });
});
