import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPrefetch } from '../../api/authorization/authorize.js';
import type { Account } from '../../api/auth/sessions.js';
import { registerRoutes, route } from '../../api/route.js';
import type { Db } from '../../db/client.js';
import type { Database } from '../../db/database.js';

/**
 * Issue 17: a case page's read of the case starts beside the session look-up instead of after it,
 * and nothing it read is used unless the caller is signed in (the two round trips run at once).
 */
describe('the case read starts beside the session look-up', () => {
  const account = { accountId: 'demo-fund-reviewer', role: 'official' } as Account;

  /** A database whose every statement is recorded, and never answered (the test needs none). */
  function recordingDb() {
    const statements: string[] = [];
    const connection = {
      executeQuery: (query: CompiledQuery) => {
        statements.push(query.sql);
        return new Promise<never>(() => undefined);
      },
      streamQuery: () => {
        throw new Error('not used');
      },
    };
    const db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => ({ init: async () => {}, acquireConnection: async () => connection, beginTransaction: async () => {}, commitTransaction: async () => {}, rollbackTransaction: async () => {}, releaseConnection: async () => {}, destroy: async () => {} }),
        createIntrospector: (kysely) => new PostgresIntrospector(kysely),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    }) as Db;
    return { db, statements };
  }

  async function appWith(prefetch: ReturnType<typeof createPrefetch>, sessionLookup: () => Promise<Account | undefined>, seen: string[]) {
    const app = Fastify();
    registerRoutes(
      app,
      [
        route({
          method: 'GET',
          url: '/api/cases/:caseId',
          summary: 'a case',
          tag: 'cases',
          access: 'signed-in',
          params: z.object({ caseId: z.string() }),
          async handle() {
            seen.push('handler');
            return { ok: true };
          },
        }),
        route({
          method: 'POST',
          url: '/api/cases/:caseId/note',
          summary: 'a write',
          tag: 'cases',
          access: 'signed-in',
          params: z.object({ caseId: z.string() }),
          async handle() {
            return { ok: true };
          },
        }),
      ],
      sessionLookup,
      { prefetch },
    );
    await app.ready();
    return app;
  }

  it('sends the case statement before the session is known, and answers 401 without it when nobody is signed in', async () => {
    const { db, statements } = recordingDb();
    const seen: string[] = [];
    let statementsWhenSessionAnswered = -1;
    const app = await appWith(createPrefetch(db, () => new Date()), async () => {
      // The session's own round trip.
      await new Promise((resolve) => setImmediate(resolve));
      statementsWhenSessionAnswered = statements.length;
      return undefined;
    }, seen);
    const answer = await app.inject({ method: 'GET', url: `/api/cases/${randomUUID()}` });
    expect(answer.statusCode).toBe(401);
    // The read was already sent when the session's answer came; the handler never ran.
    expect(statementsWhenSessionAnswered).toBe(1);
    expect(statements[0]).toMatch(/from "cases"/i);
    expect(seen).toEqual([]);
    await app.close();
  });

  it('reads nothing ahead for a write, or for a path that is not a case id', async () => {
    const { db, statements } = recordingDb();
    const app = await appWith(createPrefetch(db, () => new Date()), async () => undefined, []);
    expect((await app.inject({ method: 'POST', url: `/api/cases/${randomUUID()}/note`, payload: {} })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/cases/not-a-case-id` })).statusCode).toBe(401);
    expect(statements).toEqual([]);
    await app.close();
  });

  it('runs the handler for a signed-in caller', async () => {
    const { db } = recordingDb();
    const seen: string[] = [];
    const app = await appWith(createPrefetch(db, () => new Date()), async () => account, seen);
    expect((await app.inject({ method: 'GET', url: `/api/cases/${randomUUID()}` })).json()).toEqual({ ok: true });
    expect(seen).toEqual(['handler']);
    await app.close();
  });
});
