import type { Client } from '@temporalio/client';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../api/app.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS } from '../../api/auth/device-cookies.js';
import { addressKey, IN_FLIGHT_EXPIRY_MS, IN_FLIGHT_WAIT, LOGIN_LIMITS } from '../../api/auth/login-throttle.js';
import type * as Passwords from '../../api/auth/passwords.js';
import { verifyPassword } from '../../api/auth/passwords.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { createDb, type Db } from '../../db/client.js';
import { generatePersonalDataKey, parsePersonalDataKey, PersonalDataVault } from '../../db/personal-data-vault.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Every password check (the 32 MiB scrypt run) is counted, so a test can say how many ran.
vi.mock('../../api/auth/passwords.js', async (importOriginal) => {
  const original = await importOriginal<typeof Passwords>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});
const passwordChecks = () => vi.mocked(verifyPassword).mock.calls.length;

/**
 * Sign-in limits on an injected clock: charged before the password is checked so that concurrency
 * cannot pass them, per username for browsers without its device cookie, per device cookie for
 * browsers with one, and never an address-wide lock on people who did nothing wrong. Two API
 * instances on separate connection pools stand for two API processes.
 */
let database: TestDatabase;
let secondPool: Db;
let app: FastifyInstance;
let otherProcess: FastifyInstance;
let behindHttpsProxy: FastifyInstance;
let now = new Date('2026-11-23T02:00:00Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

beforeAll(async () => {
  database = await createTestDatabase();
  const personalData = new PersonalDataVault(database.db, parsePersonalDataKey(generatePersonalDataKey(), 'a test key'));
  await seedDemoAccounts(database.db, now, personalData);
  const deps = { db: database.db, temporal: {} as Client, taskQueue: 'signin', clock: () => now, calendar: calendarFromDatabase(database.db), personalData };
  app = await buildApp(deps);
  behindHttpsProxy = await buildApp(deps, { trustProxy: true });
  secondPool = createDb(database.url);
  otherProcess = await buildApp({ ...deps, db: secondPool });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await otherProcess?.close();
  await behindHttpsProxy?.close();
  await secondPool?.destroy();
  await database?.drop();
});

interface From {
  address?: string;
  /** The Cookie header the browser sends. */
  cookie?: string;
  via?: FastifyInstance;
}
const login = (username: string, password: string, { address = '127.0.0.1', cookie, via = app }: From = {}) =>
  via.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: address, payload: { username, password }, ...(cookie ? { headers: { cookie } } : {}) });

const setCookies = (response: LightMyRequestResponse) => [response.headers['set-cookie'] ?? []].flat().map(String);
/** The device cookie a response set, as the browser would send it back. */
function deviceCookieOf(response: LightMyRequestResponse): string {
  const set = setCookies(response).find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  if (!set) throw new Error(`no device cookie in ${JSON.stringify(setCookies(response))}`);
  return set.split(';')[0]!;
}
/** A browser that has signed in as `username` once: its device cookie. */
async function browserOf(username: string, from: From = {}): Promise<string> {
  const response = await login(username, DEMO_PASSWORD, from);
  expect(response.statusCode).toBe(200);
  return deviceCookieOf(response);
}
async function guess(username: string, times: number, from: From = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await login(username, `wrong-${i}`, from)).statusCode);
  return statuses;
}
const tally = (statuses: number[]) => ({ 401: statuses.filter((s) => s === 401).length, 429: statuses.filter((s) => s === 429).length, other: statuses.filter((s) => s !== 401 && s !== 429) });

const { username: USERNAME, device: DEVICE, address: ADDRESS } = LOGIN_LIMITS;

describe('counting and checking are one step', () => {
  it(`12 simultaneous wrong passwords for one username, across two API processes: ${USERNAME.failures} checked, the rest 429`, async () => {
    const checksBefore = passwordChecks();
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login('fund-reviewer', `wrong-${i}`, { address: `10.1.0.${i}`, via: i % 2 ? otherProcess : app })),
    );
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 401: USERNAME.failures, 429: 12 - USERNAME.failures, other: [] });
    expect(passwordChecks() - checksBefore).toBe(USERNAME.failures);
    const refused = responses.find((r) => r.statusCode === 429)!;
    expect(refused.json()).toMatchObject({ error: 'too-many-attempts', retryAfterSeconds: USERNAME.lockMs / 1000 });
    expect(refused.json().message).toBe('登录失败次数过多，请 15 分钟后再试；在以前成功登录过的浏览器上仍可登录，或请管理员重置密码');
    expect(refused.headers['retry-after']).toBe(String(USERNAME.lockMs / 1000));

    // Now locked for browsers without the device cookie: the right password is not even checked.
    const checksLocked = passwordChecks();
    expect((await login('fund-reviewer', DEMO_PASSWORD, { address: '10.1.1.1' })).statusCode).toBe(429);
    expect(passwordChecks()).toBe(checksLocked);
  });

  it(`12 simultaneous wrong passwords from one browser with the device cookie: ${DEVICE.failures} checked`, async () => {
    const cookie = await browserOf('fund-approver');
    const checksBefore = passwordChecks();
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => login('fund-approver', `wrong-${i}`, { cookie, via: i % 2 ? otherProcess : app })));
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 401: DEVICE.failures, 429: 12 - DEVICE.failures, other: [] });
    expect(passwordChecks() - checksBefore).toBe(DEVICE.failures);
  });

  it('8 simultaneous sign-ins with the right password, across two API processes, are all let in: none is refused as a failure', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => login('xuhui-director', DEMO_PASSWORD, { address: `10.1.2.${i}`, via: i % 2 ? otherProcess : app })));
    expect(responses.map((r) => [r.statusCode, r.statusCode === 200 ? '' : r.json().message])).toEqual(Array.from({ length: 8 }, () => [200, '']));
    // Nothing was left counted against the username: a guesser still has no more than the whole budget.
    expect(tally(await guess('xuhui-director', USERNAME.failures + 1, { address: '10.1.2.99' }))).toEqual({ 401: USERNAME.failures, 429: 1, other: [] });
    advance(USERNAME.lockMs);
  });

  it('8 simultaneous sign-ins with the right password from one browser with the device cookie are all let in', async () => {
    const cookie = await browserOf('hrss-supervisor');
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => login('hrss-supervisor', DEMO_PASSWORD, { cookie, via: i % 2 ? otherProcess : app })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array.from({ length: 8 }, () => 200));
  });

  it(`30 simultaneous wrong passwords mixed with the right one: at most ${USERNAME.failures} guesses checked, and the right password is never told it failed`, async () => {
    const checksBefore = passwordChecks();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login('huangpu-supervisor', i % 10 === 9 ? DEMO_PASSWORD : `wrong-${i}`, { address: `10.1.3.${i}`, via: i % 2 ? otherProcess : app })),
    );
    const wrong = responses.filter((_, i) => i % 10 !== 9).map((r) => r.statusCode);
    expect(tally(wrong)).toEqual({ 401: USERNAME.failures, 429: 27 - USERNAME.failures, other: [] });
    // Every password checked is the right one's or one of the budget's guesses.
    const right = responses.filter((_, i) => i % 10 === 9);
    expect(passwordChecks() - checksBefore).toBe(USERNAME.failures + right.filter((r) => r.statusCode === 200).length);
    // The right ones were let in until the guesses locked the username, and then refused for the guesses' failures.
    for (const r of right) if (r.statusCode !== 200) expect(r.json().message).toBe('登录失败次数过多，请 15 分钟后再试；在以前成功登录过的浏览器上仍可登录，或请管理员重置密码');
    advance(USERNAME.lockMs);
  });

  it('an attempt that finds its bucket full of attempts in flight waits, and is told the requests are too frequent, never that it failed', async () => {
    // Five attempts in flight that never end (an API process that stopped while checking them).
    await database.db.insertInto('login_throttle').values({ scope: 'username', key: 'hrss-approver', failures: 0, in_flight: USERNAME.failures, in_flight_since: now, window_started_at: now, locked_until: null }).execute();
    const checksBefore = passwordChecks();
    const started = performance.now();
    const refused = await login('hrss-approver', DEMO_PASSWORD, { address: '10.1.4.1' });
    expect(performance.now() - started).toBeGreaterThan(IN_FLIGHT_WAIT.maxMs / 2);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ message: '登录请求过于频繁，请稍后再试' });
    expect(passwordChecks()).toBe(checksBefore);
    // Still taken just short of a minute after the latest began; a minute after, they are a stopped process's, and freed.
    advance(IN_FLIGHT_EXPIRY_MS - 1_000);
    expect((await login('hrss-approver', DEMO_PASSWORD, { address: '10.1.4.1' })).statusCode).toBe(429);
    advance(1_000);
    expect((await login('hrss-approver', DEMO_PASSWORD, { address: '10.1.4.1' })).statusCode).toBe(200);
    // The places freed do not come back: a wrong password now is one failure of five, not a lock.
    const row = await database.db.selectFrom('login_throttle').select(['failures', 'in_flight']).where('scope', '=', 'username').where('key', '=', 'hrss-approver').executeTakeFirstOrThrow();
    expect(row).toEqual({ failures: 0, in_flight: 0 });
  });

  it('places in flight counted before their time was kept (no in_flight_since) end with their window, as they did', async () => {
    await database.db.insertInto('login_throttle').values({ scope: 'username', key: 'hrss-reviewer', failures: 0, in_flight: USERNAME.failures, window_started_at: now, locked_until: null }).execute();
    advance(IN_FLIGHT_EXPIRY_MS);
    expect((await login('hrss-reviewer', DEMO_PASSWORD, { address: '10.1.4.2' })).statusCode).toBe(429);
    advance(USERNAME.windowMs);
    expect((await login('hrss-reviewer', DEMO_PASSWORD, { address: '10.1.4.2' })).statusCode).toBe(200);
  });

  it('answers 401 in plain Chinese, and a lock lasts its time to the second', async () => {
    const wrong = await login('cac-approver', 'wrong', { address: '10.2.0.1' });
    expect(wrong.json()).toMatchObject({ error: 'unauthenticated', message: '用户名或密码错误' });
    await guess('cac-approver', USERNAME.failures - 1, { address: '10.2.0.2' });
    advance(USERNAME.lockMs - 60_000);
    const stillLocked = await login('cac-approver', DEMO_PASSWORD, { address: '10.2.0.3' });
    expect(stillLocked.statusCode).toBe(429);
    expect(stillLocked.headers['retry-after']).toBe('60');
    expect(stillLocked.json()).toMatchObject({ retryAfterSeconds: 60, message: '登录失败次数过多，请 1 分钟后再试；在以前成功登录过的浏览器上仍可登录，或请管理员重置密码' });
    advance(60_000);
    expect((await login('cac-approver', DEMO_PASSWORD, { address: '10.2.0.3' })).statusCode).toBe(200);
  });

  it('failures spread beyond the window never add up to a lock', async () => {
    for (let i = 0; i < USERNAME.failures * 2; i++) {
      expect((await login('huangpu-approver', 'wrong', { address: '10.3.0.1' })).statusCode).toBe(401);
      advance(USERNAME.windowMs / (USERNAME.failures - 1) + 1000);
    }
  });

  it('a sign-in without the device cookie gives back only its own charge: the owner signing in hands a guesser no fresh budget', async () => {
    expect(tally(await guess('huangpu-director', USERNAME.failures - 1, { address: '10.4.0.1' }))).toMatchObject({ 401: USERNAME.failures - 1 });
    expect((await login('huangpu-director', DEMO_PASSWORD, { address: '10.4.0.2' })).statusCode).toBe(200);
    expect(await guess('huangpu-director', 2, { address: '10.4.0.1' })).toEqual([401, 429]);
    advance(USERNAME.lockMs);
  });

  it('a sign-in with the device cookie starts its device’s count again', async () => {
    let cookie = await browserOf('yangpu-reviewer');
    expect(tally(await guess('yangpu-reviewer', DEVICE.failures - 1, { cookie }))).toMatchObject({ 401: DEVICE.failures - 1 });
    const success = await login('yangpu-reviewer', DEMO_PASSWORD, { cookie });
    expect(success.statusCode).toBe(200);
    cookie = deviceCookieOf(success);
    expect(tally(await guess('yangpu-reviewer', DEVICE.failures - 1, { cookie }))).toMatchObject({ 401: DEVICE.failures - 1 });
    expect((await login('yangpu-reviewer', DEMO_PASSWORD, { cookie })).statusCode).toBe(200);
  });
});

describe('nobody’s failures lock out a different person', () => {
  it(`after ${ADDRESS.failures + 5} failures for other usernames from one address, another user there signs in with the right password`, async () => {
    const office = '192.0.2.7';
    expect(tally(await Promise.all(Array.from({ length: ADDRESS.failures + 5 }, (_, i) => login(`nobody-${i}`, 'guess', { address: office }).then((r) => r.statusCode))))).toEqual({
      401: ADDRESS.failures + 5,
      429: 0,
      other: [],
    });
    expect((await login('hrss-reviewer', DEMO_PASSWORD, { address: office })).statusCode).toBe(200);
    expect((await login('hrss-approver', DEMO_PASSWORD, { address: office, via: otherProcess })).statusCode).toBe(200);
    // A username not tried from there is still one try away from a 401, not a 429.
    expect((await login('nobody-else', 'guess', { address: office })).statusCode).toBe(401);
  });

  it('an address spraying many usernames gets one try per window at each username it failed at', async () => {
    const sprayer = '198.51.100.9';
    for (let i = 0; i < ADDRESS.failures; i++) expect((await login(`sprayed-${i}`, 'Password1', { address: sprayer })).statusCode).toBe(401);
    const checksBefore = passwordChecks();
    const again = await login('sprayed-0', 'Password2', { address: sprayer });
    expect(again.statusCode).toBe(429);
    expect(again.json().message).toBe('此网络地址登录该用户名失败次数过多，请 15 分钟后再试；在以前成功登录过的浏览器上仍可登录');
    expect(passwordChecks()).toBe(checksBefore);
    // The same username from elsewhere is not refused (its own budget has room).
    expect((await login('sprayed-0', 'Password2', { address: '198.51.100.10' })).statusCode).toBe(401);
    // Stepping through an IPv6 /64 is one address.
    for (let i = 0; i < ADDRESS.failures; i++) expect((await login(`v6-${i}`, 'Password1', { address: `2001:db8:1:2::${i + 1}` })).statusCode).toBe(401);
    expect((await login('v6-0', 'Password2', { address: '2001:db8:1:2:ffff::1' })).statusCode).toBe(429);

    advance(ADDRESS.windowMs);
    expect((await login('sprayed-0', 'Password2', { address: sprayer })).statusCode).toBe(401);
  });

  it('after guesses lock a username, its owner’s browser with the device cookie still signs in; a guesser without one stays refused', async () => {
    const owner = await browserOf('filing-reviewer', { address: '10.5.0.1' });
    expect(tally(await guess('filing-reviewer', USERNAME.failures + 3, { address: '203.0.113.5' }))).toEqual({ 401: USERNAME.failures, 429: 3, other: [] });
    // Even with the right password, from the owner's address: only the cookie makes a browser the owner's.
    expect((await login('filing-reviewer', DEMO_PASSWORD, { address: '10.5.0.1' })).statusCode).toBe(429);
    expect((await login('filing-reviewer', 'wrong', { address: '203.0.113.5' })).statusCode).toBe(429);

    const signedIn = await login('filing-reviewer', DEMO_PASSWORD, { address: '10.5.0.1', cookie: owner });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().account.username).toBe('filing-reviewer');
    // From any address, and the refreshed cookie works as well as the first one.
    expect((await login('filing-reviewer', DEMO_PASSWORD, { address: '10.9.9.9', cookie: deviceCookieOf(signedIn) })).statusCode).toBe(200);
    expect((await login('filing-reviewer', DEMO_PASSWORD, { address: '203.0.113.5' })).statusCode).toBe(429);
  });

  it('the device cookie of another username does not help', async () => {
    const otherUsers = await browserOf('filing-supervisor');
    await guess('yangpu-approver', USERNAME.failures);
    expect((await login('yangpu-approver', DEMO_PASSWORD, { cookie: otherUsers })).statusCode).toBe(429);
  });

  it('a forged, tampered or expired device cookie does not help', async () => {
    const genuine = await browserOf('yangpu-director');
    await guess('yangpu-director', USERNAME.failures, { address: '203.0.113.6' });
    const value = genuine.slice(DEVICE_COOKIE.length + 1);
    const [nonce, issued, mac] = value.split('.') as [string, string, string];
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    const forgeries = [
      `${nonce}.${issued}.${flip(mac)}`,
      `${flip(nonce)}.${issued}.${mac}`,
      `${nonce}.${(parseInt(issued, 36) + 1).toString(36)}.${mac}`,
      `${'A'.repeat(22)}.${issued}.${'A'.repeat(43)}`,
      'garbage',
    ];
    for (const forged of forgeries) {
      const response = await login('yangpu-director', DEMO_PASSWORD, { cookie: `${DEVICE_COOKIE}=${forged}` });
      expect(response.statusCode, forged).toBe(429);
    }
    expect((await login('yangpu-director', DEMO_PASSWORD, { cookie: genuine })).statusCode).toBe(200);

    // After DEVICE_COOKIE_DAYS the cookie is a stranger's.
    const old = await browserOf('xuhui-reviewer');
    advance(DEVICE_COOKIE_DAYS * 86_400_000 + 60_000);
    await guess('xuhui-reviewer', USERNAME.failures, { address: '203.0.113.7' });
    expect((await login('xuhui-reviewer', DEMO_PASSWORD, { cookie: old })).statusCode).toBe(429);
  });

  it('a device’s own failures lock that device only', async () => {
    const device = await browserOf('xuhui-approver');
    expect(tally(await guess('xuhui-approver', DEVICE.failures, { cookie: device }))).toEqual({ 401: DEVICE.failures, 429: 0, other: [] });
    const locked = await login('xuhui-approver', DEMO_PASSWORD, { cookie: device });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: 'too-many-attempts', code: 'too-many-attempts', message: '此浏览器登录失败次数过多，请 15 分钟后再试；忘记密码的，可请管理员重置密码', retryAfterSeconds: DEVICE.lockMs / 1000 });
    // Another browser of the owner's, and one that never signed in, are not locked out by them.
    expect((await login('xuhui-approver', DEMO_PASSWORD, { address: '10.6.0.2' })).statusCode).toBe(200);
    advance(DEVICE.lockMs);
    expect((await login('xuhui-approver', DEMO_PASSWORD, { cookie: device })).statusCode).toBe(200);
  });
});

describe('the device cookie', () => {
  it('is HttpOnly, SameSite=Strict, sent only to the sign-in route, long-lived, and Secure over HTTPS', async () => {
    const response = await login('culture-approver', DEMO_PASSWORD);
    const device = setCookies(response).find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
    expect(device).toMatch(new RegExp(`^${DEVICE_COOKIE}=[A-Za-z0-9_-]{22}\\.[0-9a-z]+\\.[A-Za-z0-9_-]{43}; Path=/api/auth/login; Max-Age=${DEVICE_COOKIE_DAYS * 86_400}; HttpOnly; SameSite=Strict$`));
    // It names no username.
    expect(device).not.toContain('culture-approver');
    const overHttps = await behindHttpsProxy.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'culture-approver', password: DEMO_PASSWORD } });
    expect(setCookies(overHttps).find((c) => c.startsWith(`${DEVICE_COOKIE}=`))).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('remembers each username signed in on a shared browser', async () => {
    const first = await browserOf('culture-director');
    const both = deviceCookieOf(await login('admin', DEMO_PASSWORD, { cookie: first }));
    expect(both.split('~')).toHaveLength(2);
    await guess('culture-director', USERNAME.failures, { address: '203.0.113.8' });
    await guess('admin', USERNAME.failures, { address: '203.0.113.8' });
    expect((await login('culture-director', DEMO_PASSWORD, { cookie: both })).statusCode).toBe(200);
    expect((await login('admin', DEMO_PASSWORD, { cookie: both })).statusCode).toBe(200);
  });

  it('expired counters are deleted as failures come in', async () => {
    await guess('auditor', 1, { address: '10.7.0.1' });
    advance(Math.max(USERNAME.lockMs, DEVICE.lockMs, ADDRESS.lockMs) + 1000);
    await guess('someone-new', 1, { address: '10.7.0.2' });
    const rows = await database.db.selectFrom('login_throttle').select(['scope', 'key']).execute();
    expect(rows.map((r) => r.key).sort()).toEqual(['10.7.0.2', JSON.stringify(['10.7.0.2', 'someone-new']), 'someone-new'].sort());
  });
});

describe('a holder locked out calls the office', () => {
  it('the administrator sees the lock; a reset lifts nothing by itself; the new password set with the one-time code signs in at once, on any browser', async () => {
    // An outside tester locked an applicant out with five guesses: the office reset the password, the
    // holder set a new one with the code, and was refused with it for the lock's 15 minutes.
    const adminToken = (await login('admin', DEMO_PASSWORD, { address: '10.8.0.1' })).json().token as string;
    const asAdmin = (method: 'GET' | 'POST', url: string) => app.inject({ method, url, headers: { authorization: `Bearer ${adminToken}` } });
    const listed = async () => ((await asAdmin('GET', '/api/admin/accounts')).json().accounts as { username: string; signInLockedUntil?: string }[]).find((a) => a.username === 'creator')!;
    expect((await listed()).signInLockedUntil).toBeUndefined();

    expect(tally(await guess('creator', USERNAME.failures + 1, { address: '203.0.113.77' }))).toEqual({ 401: USERNAME.failures, 429: 1, other: [] });
    expect((await listed()).signInLockedUntil).toBe(new Date(now.getTime() + USERNAME.lockMs).toISOString());

    const reset = await asAdmin('POST', '/api/admin/accounts/creator/reset-password');
    expect(reset.statusCode, reset.body).toBe(200);
    // The office's reset alone hands nobody a fresh budget of guesses.
    expect((await login('creator', 'guess-again', { address: '203.0.113.77' })).statusCode).toBe(429);
    expect((await login('creator', 'guess-again', { address: '10.8.0.3' })).statusCode).toBe(429);

    const activated = await app.inject({ method: 'POST', url: '/api/auth/activate', payload: { username: 'creator', code: reset.json().signIn.code, newPassword: 'my-own-new-password-7' } });
    expect(activated.statusCode, activated.body).toBe(200);
    const signedIn = await login('creator', 'my-own-new-password-7', { address: '10.8.0.2' });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect((await listed()).signInLockedUntil).toBeUndefined();
    // Guesses count from nought again, as against anyone's new password.
    expect(await guess('creator', 1, { address: '203.0.113.77' })).toEqual([401]);
    expect(
      await database.db.selectFrom('login_throttle').select(['failures', 'locked_until']).where('scope', '=', 'username').where('key', '=', 'creator').executeTakeFirstOrThrow(),
    ).toEqual({ failures: 1, locked_until: null });
  });

  it('a holder who locked their own browser with a forgotten password signs in on it at once with the new one; another account’s locked browser stays locked', async () => {
    // The browser had signed in before, so its own failures locked it alone: the office's reset and
    // the new password set with the code used to leave it refused for the rest of its 15 minutes.
    const adminToken = (await login('admin', DEMO_PASSWORD, { address: '10.8.1.1' })).json().token as string;
    const ownBrowser = await browserOf('individual-creator', { address: '10.8.1.2' });
    const someoneElses = await browserOf('hrss-reviewer', { address: '10.8.1.3' });
    expect(tally(await guess('individual-creator', DEVICE.failures, { cookie: ownBrowser }))).toEqual({ 401: DEVICE.failures, 429: 0, other: [] });
    expect(tally(await guess('hrss-reviewer', DEVICE.failures, { cookie: someoneElses }))).toEqual({ 401: DEVICE.failures, 429: 0, other: [] });
    const refused = await login('individual-creator', DEMO_PASSWORD, { cookie: ownBrowser });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().message).toContain('可请管理员重置密码');
    // The office sees what the holder sees: their browser locked, not the username.
    const listed = async (username: string) =>
      ((await app.inject({ method: 'GET', url: '/api/admin/accounts', headers: { authorization: `Bearer ${adminToken}` } })).json().accounts as { username: string; signInLockedUntil?: string; signInLockedBrowsers?: unknown }[]).find(
        (a) => a.username === username,
      )!;
    expect(await listed('individual-creator')).toMatchObject({ signInLockedBrowsers: { count: 1, until: new Date(now.getTime() + DEVICE.lockMs).toISOString() } });
    expect((await listed('individual-creator')).signInLockedUntil).toBeUndefined();

    const reset = await app.inject({ method: 'POST', url: '/api/admin/accounts/individual-creator/reset-password', headers: { authorization: `Bearer ${adminToken}` } });
    expect(reset.statusCode, reset.body).toBe(200);
    // The reset alone lifts nothing: whoever tried at this browser is not handed a fresh budget.
    expect((await login('individual-creator', 'guess-again', { cookie: ownBrowser })).statusCode).toBe(429);
    const activated = await app.inject({ method: 'POST', url: '/api/auth/activate', payload: { username: 'individual-creator', code: reset.json().signIn.code, newPassword: 'remembered-at-last-42' } });
    expect(activated.statusCode, activated.body).toBe(200);

    expect((await listed('individual-creator')).signInLockedBrowsers).toBeUndefined();
    expect((await login('individual-creator', 'remembered-at-last-42', { cookie: ownBrowser })).statusCode).toBe(200);
    expect((await login('hrss-reviewer', DEMO_PASSWORD, { cookie: someoneElses })).statusCode).toBe(429);
    expect((await listed('hrss-reviewer')).signInLockedBrowsers).toMatchObject({ count: 1 });
  });
});

describe('addressKey', () => {
  it('counts an IPv4 address as itself and an IPv6 address by its /64', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1:2:3:4:5:6:7')).toBe('0:1:2:3::/64');
  });
});
