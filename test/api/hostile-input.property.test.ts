import type { Client } from '@temporalio/client';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, buildApp } from '../../api/app.js';
import { PERMISSIONS } from '../../api/authorization/permissions.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { concreteRoutes, type RouteDefinition } from '../../api/route.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { hostileRequests, validShapedRequests, type GeneratedRequest, type RequestContext } from '../support/hostile-input.js';
import { CALLERS, expectedAccess, openTargets, type Target } from '../support/permission-oracle.js';

/**
 * Property-based tests of every route the API serves (the same list as the OpenAPI document and the
 * permission matrix), with requests generated from each route's own zod schemas by fast-check.
 *
 * Hostile: HOSTILE_RUNS requests per route, each with at least one defect (unknown fields such as
 * status or approvedBy, floats, negatives, strings and 2^53 for amounts, NUL, lone surrogates,
 * malformed UTF-8, nesting 20,000 deep, oversized bodies, forms, bad path parameters, bad
 * Idempotency-Keys …), sent as a caller the matrix lets through, on a case that caller may act on.
 * Each must be refused with 400 (413 too large, 415 not JSON; 404 where the path no longer names a
 * route), none may reach Temporal (the app under test has a Temporal client that records any use),
 * and the database must be exactly as it was — every table — after each route's run.
 *
 * Valid-shaped: VALID_RUNS requests per route through the real system (worker, time-skipping
 * Temporal): whatever they do, they never answer 5xx.
 */
const HOSTILE_RUNS = Number(process.env.HOSTILE_RUNS ?? 1000);
const VALID_RUNS = Number(process.env.VALID_RUNS ?? 25);
const SEED = Number(process.env.HOSTILE_SEED ?? 20261123);

// The one action route is walked as one route per action, each with its own body.
const routes = concreteRoutes(apiRoutes({ db: {}, temporal: {}, taskQueue: 'property', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies));
const key = (r: Pick<RouteDefinition, 'method' | 'url'>) => `${r.method} ${r.url}`;

let harness: ApiHarness;
let hostileApp: FastifyInstance;
const temporalUses: string[] = [];
const tokens = new Map<string, string>();
let targets: Target[] = [];
const counts: Record<string, { hostile: number; valid: number; byKind: Record<string, number> }> = {};

/** A Temporal client that must never be used: hostile input is refused before anything reaches a workflow. */
const untouchableTemporal = new Proxy(
  {},
  {
    get(_target, property) {
      temporalUses.push(String(property));
      throw new Error(`hostile input reached Temporal (client.${String(property)})`);
    },
  },
) as Client;

beforeAll(async () => {
  harness = await startApiHarness();
  for (const caller of CALLERS.filter((c) => c.username)) {
    const login = await harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: caller.username, password: DEMO_PASSWORD } });
    tokens.set(caller.username!, login.json().token);
  }
  targets = (await openTargets(harness)).filter((t) => t.owner !== null);
  const { db } = harness.database;
  hostileApp = await buildApp({ db, temporal: untouchableTemporal, taskQueue: 'never', clock: () => new Date(), calendar: calendarFromDatabase(db), personalData: harness.personalData });
}, 180_000);

afterAll(async () => {
  await hostileApp?.close();
  await harness?.close();
  const lines = Object.entries(counts).map(([route, c]) => `  ${route.padEnd(52)} ${String(c.hostile).padStart(5)} hostile  ${String(c.valid).padStart(3)} valid-shaped  (${Object.entries(c.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  if (lines.length) console.info(`hostile-input property tests, requests per route (seed ${SEED}):\n${lines.join('\n')}`);
});

/** Real path parameters and a caller the matrix lets through: the hostile input itself must be what is refused. */
function contextFor(route: RouteDefinition): RequestContext {
  const policy = PERMISSIONS[key(route)]!;
  const onCase = route.url.includes(':caseId');
  for (const caller of CALLERS) {
    for (const target of onCase ? targets : [undefined]) {
      if (expectedAccess(policy, route, caller, target) !== 'through') continue;
      return {
        params: { caseId: target?.caseId ?? '', programmeId: 'huangpu-platform-subsidy', year: '2027', username: 'other-creator' },
        headers: caller.username ? { authorization: `Bearer ${tokens.get(caller.username)}` } : {},
      };
    }
  }
  throw new Error(`${key(route)}: the matrix lets nobody through`);
}

/** Every table's content, hashed: any insert, update or delete shows. */
async function fingerprint(): Promise<Record<string, string>> {
  const { db } = harness.database;
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(db);
  const result: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const { rows } = await sql<{ digest: string; n: number }>`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest, count(*)::int AS n FROM ${sql.table(table_name)} t`.execute(db);
    result[table_name] = `${rows[0]!.n}:${rows[0]!.digest}`;
  }
  return result;
}

const inject = (app: FastifyInstance, r: GeneratedRequest) => app.inject({ method: r.method, url: r.url, headers: r.headers, ...(r.payload === undefined ? {} : { payload: r.payload }) });

describe('hostile input, generated from every route’s schemas, is refused and changes nothing', () => {
  it('covers every route of the API', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.map(key).filter((k) => !PERMISSIONS[k])).toEqual([]);
  });

  for (const route of routes) {
    it(`${key(route)}: ${HOSTILE_RUNS} hostile requests → 400/413/415, nothing stored, nothing sent to Temporal`, async () => {
      const context = contextFor(route);
      const tally = (counts[key(route)] ??= { hostile: 0, valid: 0, byKind: {} });
      const before = await fingerprint();
      await fc.assert(
        fc.asyncProperty(hostileRequests(route, context), async (request) => {
          const response = await inject(hostileApp, request);
          tally.hostile += 1;
          tally.byKind[request.kind] = (tally.byKind[request.kind] ?? 0) + 1;
          const allowed = request.alteredPath ? [400, 404, 414] : [400, 413, 415];
          expect(allowed, `${request.defect}: ${response.statusCode} ${response.body.slice(0, 200)}`).toContain(response.statusCode);
          expect(response.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
          // However hostile the request, the refusal is never cached nor sniffed (api/protective-headers.ts).
          expect([response.headers['cache-control'], response.headers['x-content-type-options']], request.defect).toEqual(['no-store', 'nosniff']);
          expect(temporalUses, request.defect).toEqual([]);
        }),
        { numRuns: HOSTILE_RUNS, seed: SEED, endOnFailure: true },
      );
      expect(await fingerprint()).toEqual(before);
      expect(tally.hostile).toBeGreaterThanOrEqual(HOSTILE_RUNS);
    }, 300_000);
  }
});

describe('valid-shaped requests, generated from the same schemas, never fail on the server', () => {
  // Sign-out last: it ends the session the other routes use.
  const ordered = [...routes].sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
  for (const route of ordered) {
    it(`${key(route)}: ${VALID_RUNS} valid-shaped requests through the real system → no 5xx`, async () => {
      const context = contextFor(route);
      const tally = (counts[key(route)] ??= { hostile: 0, valid: 0, byKind: {} });
      await fc.assert(
        fc.asyncProperty(validShapedRequests(route, context), async (request) => {
          const response = await inject(harness.app, request);
          tally.valid += 1;
          expect(response.statusCode, `${request.url} ${request.payload?.toString().slice(0, 200)}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
        }),
        { numRuns: VALID_RUNS, seed: SEED, endOnFailure: true },
      );
    }, 300_000);
  }
});
