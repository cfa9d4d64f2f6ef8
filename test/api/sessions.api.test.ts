import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { generatePersonalDataKey, parsePersonalDataKey, PersonalDataVault } from '../../db/personal-data-vault.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Sessions: the web UI's cookie beside the API's bearer token, and CSRF protection of
 * cookie-signed-in writes (sign-in limits: signin-limits.api.test.ts). No Temporal is needed:
 * nothing here opens a case.
 */
let database: TestDatabase;
let app: FastifyInstance;
let behindHttpsProxy: FastifyInstance;
let now = new Date('2026-11-23T02:00:00Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

beforeAll(async () => {
  database = await createTestDatabase();
  const personalData = new PersonalDataVault(database.db, parsePersonalDataKey(generatePersonalDataKey(), 'a test key'));
  await seedDemoAccounts(database.db, now, personalData);
  const deps = { db: database.db, temporal: {} as Client, taskQueue: 'sessions', clock: () => now, calendar: calendarFromDatabase(database.db), personalData };
  app = await buildApp(deps);
  behindHttpsProxy = await buildApp(deps, { trustProxy: true });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await behindHttpsProxy?.close();
  await database?.drop();
});

const login = (username: string, password: string, remoteAddress = '127.0.0.1') => app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
/** The session cookie a response set (beside it, the device cookie: signin-limits.api.test.ts). */
const sessionSetCookie = (setCookie: string | string[] | undefined) => [setCookie ?? []].flat().find((c) => c.startsWith('youchuang_session='));
const cookieOf = (setCookie: string | string[] | undefined) => String(sessionSetCookie(setCookie)).split(';')[0]!;

describe('the web UI’s cookie and the API’s bearer token', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie (Secure only over HTTPS) beside the bearer token', async () => {
    const plain = await login('creator', DEMO_PASSWORD);
    const cookie = String(sessionSetCookie(plain.headers['set-cookie']));
    expect(cookie).toMatch(/^youchuang_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(cookie).toContain(plain.json().token);
    expect(plain.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const overHttps = await behindHttpsProxy.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'creator', password: DEMO_PASSWORD } });
    expect(String(sessionSetCookie(overHttps.headers['set-cookie']))).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('reads with the cookie alone; writes with it need the CSRF token; bearer clients need none', async () => {
    const signedIn = await login('individual-creator', DEMO_PASSWORD);
    const cookie = cookieOf(signedIn.headers['set-cookie']);
    const { csrfToken, token } = signedIn.json();

    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'individual-creator', role: 'applicant', applicantKind: 'individual', duties: [], csrfToken });
    expect(me.json().personalData).toEqual({ idNumber: '310***********1235', contactPhone: '136****5432', shown: 'masked' });

    const change = { contactPhone: '13700001111' };
    const noToken = await app.inject({ method: 'PUT', url: '/api/me/personal-data', headers: { cookie }, payload: change });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ error: 'csrf' });
    const wrongToken = await app.inject({ method: 'PUT', url: '/api/me/personal-data', headers: { cookie, 'x-csrf-token': csrfToken.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) }, payload: change });
    expect(wrongToken.statusCode).toBe(403);
    const withToken = await app.inject({ method: 'PUT', url: '/api/me/personal-data', headers: { cookie, 'x-csrf-token': csrfToken }, payload: change });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.json().personalData.contactPhone).toBe('137****1111');
    const bearer = await app.inject({ method: 'PUT', url: '/api/me/personal-data', headers: { authorization: `Bearer ${token}` }, payload: change });
    expect(bearer.statusCode).toBe(200);

    // A public write made with a cookie but no CSRF token runs as anonymous: it can use no privilege.
    const check = await app.inject({ method: 'POST', url: '/api/programmes/hu9-starlight/check', headers: { cookie }, payload: { applicantKind: 'individual-creator' } });
    expect(check.statusCode).toBe(200);
  });

  it('ends the session on logout and clears the cookie; an expired session signs nobody in', async () => {
    const signedIn = await login('auditor', DEMO_PASSWORD);
    const cookie = cookieOf(signedIn.headers['set-cookie']);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': signedIn.json().csrfToken } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^youchuang_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${signedIn.json().token}` } })).statusCode).toBe(401);

    const later = await login('auditor', DEMO_PASSWORD);
    advance(12 * 3600_000);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${later.json().token}` } })).statusCode).toBe(401);
  });

  it('stores only a hash of the token, and a scrypt hash of the password (memory-hard, N=2^15)', async () => {
    const { token } = (await login('admin', DEMO_PASSWORD)).json();
    const sessions = await database.db.selectFrom('sessions').select('token_hash').execute();
    expect(sessions.some((s) => s.token_hash === token)).toBe(false);
    const account = await database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(account.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });
});
