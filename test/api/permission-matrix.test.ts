import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../api/app.js';
import { createAuthorizer } from '../../api/authorization/authorize.js';
import { PERMISSIONS } from '../../api/authorization/permissions.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { errorHandler } from '../../api/http-errors.js';
import { concreteRoutes, registerRoutes, route, type RouteDefinition } from '../../api/route.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { CALLERS, expectedAccess, openTargets, type Caller, type Target } from '../support/permission-oracle.js';

/**
 * The permission matrix (api/authorization/permissions.ts), walked: every route of apiRoutes, as
 * every kind of caller, on every kind of case (theirs, someone else's, their department's, another
 * department's, a missing one). Each request carries one unknown field (`__probe`) in its query or
 * body: a caller let through is stopped by validation (400) before anything runs, so the walk
 * changes nothing, and every other answer is the refusal itself. The expected answer is worked out
 * from the matrix and the facts of each case (test/support/permission-oracle.ts), independently of
 * the code that enforces it.
 */
// The one action route (POST /api/cases/:caseId/:action) stands for one route per action: each is a
// row of the matrix and is probed by itself.
const routes = concreteRoutes(apiRoutes({ db: {}, temporal: {}, taskQueue: 'matrix', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies));
const key = (r: Pick<RouteDefinition, 'method' | 'url'>) => `${r.method} ${r.url}`;

let harness: ApiHarness;
const tokens = new Map<string, string>();
const targets: Target[] = [];

beforeAll(async () => {
  harness = await startApiHarness();
  for (const caller of CALLERS.filter((c) => c.username)) {
    const login = await harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: caller.username, password: DEMO_PASSWORD } });
    tokens.set(caller.username!, login.json().token);
  }
  targets.push(...(await openTargets(harness)));
}, 180_000);
afterAll(() => harness?.close());

const SAMPLE_PARAMS: Record<string, string> = { programmeId: 'huangpu-platform-subsidy', year: '2027', username: 'other-creator', grantId: '00000000-0000-4000-8000-000000000000', callId: 'chuying-fund', letterId: '00000000-0000-4000-8000-00000000000a', noticeId: '00000000-0000-4000-8000-00000000000b', documentId: '00000000-0000-4000-8000-00000000000c', kind: 'carrier-tenants', entryId: 'matrix-probe-entry' };
// Programme terms and the stacking matrix (issue 14 part 4).
Object.assign(SAMPLE_PARAMS, { version: '1', changeId: 'SC-matrix-probe' });
// A year's calendar proposal (one administrator proposes, another approves).
Object.assign(SAMPLE_PARAMS, { proposalId: '00000000-0000-4000-8000-00000000000d' });

function urlFor(route: RouteDefinition, target: Target | undefined): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => (name === 'caseId' ? target!.caseId : SAMPLE_PARAMS[name]!));
}

async function call(route: RouteDefinition, caller: Caller, url: string, probe: boolean) {
  const headers: Record<string, string> = caller.username ? { authorization: `Bearer ${tokens.get(caller.username)}` } : {};
  if (route.method === 'GET') return harness.app.inject({ method: 'GET', url: probe ? `${url}?__probe=1` : url, headers });
  return harness.app.inject({ method: route.method, url, headers, payload: probe ? { __probe: true } : {} });
}

describe('the permission matrix', () => {
  it('names every route the API serves, and nothing else; public routes are the public ones', () => {
    const served = routes.map(key).sort();
    const listed = Object.keys(PERMISSIONS).sort();
    expect(served.filter((k) => !listed.includes(k)), 'routes missing from api/authorization/permissions.ts').toEqual([]);
    expect(listed.filter((k) => !served.includes(k)), 'entries for routes that do not exist').toEqual([]);
    for (const r of routes) expect(PERMISSIONS[key(r)]!.public === true, key(r)).toBe(r.access === 'public');
  });

  it('lets in to 批量认领 exactly those the claim route lets in, and walks it with every other route', () => {
    // A bulk claim is a claim of each case: nobody may ask in bulk what they may not ask case by case.
    expect(routes.map(key)).toContain('POST /api/worklist/claims');
    expect(PERMISSIONS['POST /api/worklist/claims']).toEqual(PERMISSIONS['POST /api/cases/:caseId/claim']);
  });

  it('never lets an administrator near a case, nor an auditor write outside the audit tools', () => {
    for (const r of routes) {
      const policy = PERMISSIONS[key(r)]!;
      if (r.url.includes(':caseId') || r.url.startsWith('/api/cases')) expect(policy.admin, key(r)).toBeUndefined();
      if (r.method !== 'GET' && !r.url.startsWith('/api/audit/')) expect(policy.auditor, key(r)).toBeUndefined();
    }
  });

  it('is enforced on every route, for every caller and every kind of case', async () => {
    const mismatches: string[] = [];
    let requests = 0;
    for (const r of routes) {
      const policy = PERMISSIONS[key(r)]!;
      const onCase = r.url.includes(':caseId');
      for (const caller of CALLERS) {
        for (const target of onCase ? targets : [undefined]) {
          const want = expectedAccess(policy, r, caller, target);
          const response = await call(r, caller, urlFor(r, target), true);
          requests += 1;
          const got = response.statusCode;
          const ok = want === 'through' ? got === 400 && response.body.includes('__probe') : got === want;
          if (!ok) mismatches.push(`${key(r)} as ${caller.username ?? 'anonymous'}${target ? ` on ${target.name}` : ''}: expected ${want}, got ${got} ${response.body.slice(0, 160)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    console.info(`permission matrix: ${routes.length} routes × ${CALLERS.length} callers (case routes × ${targets.length} cases) = ${requests} requests`);
    expect(requests).toBeGreaterThan(routes.length * CALLERS.length);
  }, 300_000);

  it('lets the callers it grants through to the handler: reads answer 200, refusals match the walk', async () => {
    const mismatches: string[] = [];
    // Some reads narrow further in their handlers, tested with their routes: a sample decision letter or document passes
    // the matrix and is then, rightly, not found; a call's budget is shown only to officials of the call's own department.
    const narrowedInHandler = (url: string) => url.endsWith('/replay') || url.endsWith('/:letterId') || url === '/api/documents/:documentId' || url === '/api/calls/:callId/budget' || url === '/api/calls/:callId/panel-member-choices';
    const reads = routes.filter((r) => r.method === 'GET' && (r.query === undefined || r.query.safeParse({}).success) && !narrowedInHandler(r.url));
    for (const r of reads) {
      const policy = PERMISSIONS[key(r)]!;
      for (const caller of CALLERS) {
        for (const target of r.url.includes(':caseId') ? targets.filter((t) => t.owner !== null) : [undefined]) {
          const want = expectedAccess(policy, r, caller, target);
          const got = (await call(r, caller, urlFor(r, target), false)).statusCode;
          if ((want === 'through' && got !== 200) || (want !== 'through' && got !== want)) {
            mismatches.push(`${key(r)} as ${caller.username ?? 'anonymous'}${target ? ` on ${target.name}` : ''}: expected ${want === 'through' ? 200 : want}, got ${got}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('lists to each caller exactly the cases the case check lets them open', async () => {
    const existing = targets.filter((t) => t.owner !== null);
    for (const caller of CALLERS.filter((c) => c.role === 'applicant' || c.role === 'official' || c.role === 'auditor')) {
      const headers = { authorization: `Bearer ${tokens.get(caller.username!)}` };
      for (const list of ['/api/cases?limit=100', '/api/worklist?view=all&limit=200']) {
        const listed = (await harness.app.inject({ method: 'GET', url: list, headers })).json().cases.map((c: { caseId: string }) => c.caseId);
        const expected = existing.filter((t) => expectedAccess(PERMISSIONS['GET /api/cases/:caseId']!, { url: '/api/cases/:caseId' }, caller, t) === 'through').map((t) => t.caseId);
        expect([...listed].sort(), `${list} as ${caller.username}`).toEqual([...expected].sort());
      }
    }
  });

  it('answers an action no case type has like a route that does not exist (404), on every kind of case', async () => {
    for (const caller of CALLERS) {
      for (const target of targets) {
        const response = await call({ method: 'POST', url: '/api/cases/:caseId/no-such-action' } as RouteDefinition, caller, `/api/cases/${target.caseId}/no-such-action`, false);
        expect(response.statusCode, `${caller.username ?? 'anonymous'} on ${target.name}: ${response.body}`).toBe(caller.role === 'anonymous' ? 401 : caller.role === 'auditor' ? 403 : 404);
      }
    }
  });

  it('refuses a route that is missing from the matrix to everyone, signed in or not (default deny)', async () => {
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    let ran = 0;
    const unlisted = route({ method: 'GET', url: '/api/not-in-the-matrix', summary: 'a route nobody listed', tag: 'test', access: 'public', handle: async () => (ran += 1) });
    const auditor = { accountId: 'demo-auditor', username: 'auditor', displayName: '赵审计', role: 'auditor' as const, duties: [], applicantKind: null, profile: {} };
    registerRoutes(app, [unlisted], async (request) => (request.headers['x-as-auditor'] ? auditor : undefined), { authorize: createAuthorizer(harness.database.db) });
    const anonymous = await app.inject({ method: 'GET', url: '/api/not-in-the-matrix' });
    const signedIn = await app.inject({ method: 'GET', url: '/api/not-in-the-matrix', headers: { 'x-as-auditor': '1' } });
    expect([anonymous.statusCode, signedIn.statusCode]).toEqual([403, 403]);
    expect(anonymous.json().message).toContain('is not in the permission matrix');
    expect(ran).toBe(0);
  });
});
