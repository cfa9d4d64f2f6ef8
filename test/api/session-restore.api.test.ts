import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { generatePersonalDataKey, parsePersonalDataKey, PersonalDataVault } from '../../db/personal-data-vault.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * GET /api/auth/session: a browser tab opened after sign-in (a case link opened in a new tab) has
 * the session cookie but not the account nor the CSRF token, which the first tab kept in its own
 * sessionStorage; it asks here (web/src/session.ts restoreSession). No Temporal: nothing opens a case.
 */
let database: TestDatabase;
let app: FastifyInstance;
let now = new Date('2026-11-23T02:00:00Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

beforeAll(async () => {
  database = await createTestDatabase();
  const personalData = new PersonalDataVault(database.db, parsePersonalDataKey(generatePersonalDataKey(), 'a test key'));
  await seedDemoAccounts(database.db, now, personalData);
  app = await buildApp({ db: database.db, temporal: {} as Client, taskQueue: 'session-restore', clock: () => now, calendar: calendarFromDatabase(database.db), personalData });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function signIn(username: string) {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(login.statusCode).toBe(200);
  const setCookie = [login.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('youchuang_session='));
  return { ...(login.json() as { token: string; csrfToken: string; expiresAt: string; account: Record<string, unknown> }), cookie: String(setCookie).split(';')[0]! };
}

const session = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/auth/session', headers });

describe('GET /api/auth/session: the session a new tab finds in its cookie', () => {
  it('answers the cookie’s account, expiry and CSRF token, never the token itself; the token then lets that tab write', async () => {
    const first = await signIn('individual-creator');
    const answer = await session({ cookie: first.cookie });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ csrfToken: first.csrfToken, expiresAt: first.expiresAt, account: first.account, via: 'cookie' });
    expect(answer.body).not.toContain(first.token);
    expect(answer.headers['cache-control']).toBe('no-store');

    // The second tab's write, with nothing but the cookie and what it was answered.
    const change = { contactPhone: '13700002222' };
    const withoutToken = await app.inject({ method: 'PUT', url: '/api/me/personal-data', headers: { cookie: first.cookie }, payload: change });
    expect(withoutToken.statusCode).toBe(403);
    const restored = await app.inject({ method: 'PUT', url: '/api/me/personal-data', headers: { cookie: first.cookie, 'x-csrf-token': answer.json().csrfToken }, payload: change });
    expect(restored.statusCode).toBe(200);
  });

  it('answers 401 without a session: no cookie, or a cookie that names none', async () => {
    const none = await session({});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: 'unauthenticated' });
    expect((await session({ cookie: 'youchuang_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(401);
    expect((await session({ cookie: 'other=1' })).statusCode).toBe(401);
  });

  it('works for bearer-token clients as before: the same answer, and their writes need no CSRF token', async () => {
    const official = await signIn('fund-reviewer');
    const answer = await session({ authorization: `Bearer ${official.token}` });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ via: 'bearer', expiresAt: official.expiresAt, account: { username: 'fund-reviewer', role: 'official', department: 'yangpu-fund' } });
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${official.token}` } })).json()).toMatchObject({ username: 'fund-reviewer' });
    // The Authorization header wins over a cookie, as on every route.
    const creator = await signIn('creator');
    expect((await session({ authorization: `Bearer ${official.token}`, cookie: creator.cookie })).json().account.username).toBe('fund-reviewer');
    expect((await session({ authorization: 'Bearer not-a-token' })).statusCode).toBe(401);
  });

  it('answers 401 once the session is revoked — signed out in any tab, disabled, expired — in every tab alike', async () => {
    const auditor = await signIn('auditor');
    expect((await session({ cookie: auditor.cookie })).statusCode).toBe(200);
    // Another tab signs out: its request carries the same cookie, so the same session ends.
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: auditor.cookie, 'x-csrf-token': auditor.csrfToken } });
    expect(out.statusCode).toBe(204);
    expect((await session({ cookie: auditor.cookie })).statusCode).toBe(401);
    expect((await session({ authorization: `Bearer ${auditor.token}` })).statusCode).toBe(401);

    const reviewer = await signIn('filing-reviewer');
    const admin = await signIn('admin');
    const disabled = await app.inject({ method: 'POST', url: '/api/admin/accounts/filing-reviewer/disable', headers: { authorization: `Bearer ${admin.token}` }, payload: { reason: '调岗' } });
    expect(disabled.statusCode).toBe(200);
    expect((await session({ cookie: reviewer.cookie })).statusCode).toBe(401);

    const later = await signIn('fund-approver');
    advance(12 * 3600_000 - 1000);
    expect((await session({ cookie: later.cookie })).json().expiresAt).toBe(later.expiresAt);
    advance(1000);
    expect((await session({ cookie: later.cookie })).statusCode).toBe(401);
  });

  it('is documented with its answer’s schema (no bearer token in it) and its 401', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> }> }>>;
    };
    const operation = doc.paths['/api/auth/session']!.get!;
    const schema = operation.responses['200']!.content!['application/json']!.schema;
    expect(schema.required).toEqual(expect.arrayContaining(['csrfToken', 'expiresAt', 'account', 'via']));
    expect(Object.keys(schema.properties ?? {})).not.toContain('token');
    expect(Object.keys(operation.responses)).toContain('401');
  });
});
