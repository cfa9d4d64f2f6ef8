import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import type { SignInKeysTable } from '../../db/tables/authorization.table.js';
import { cookieValue, secureFlag } from './cookies.js';

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that has
 * signed in as a username gets a signed token for that username, and its later sign-ins as that
 * username are counted against that browser alone. Whoever guesses at the username without one
 * (everyone but its owner's browsers) can lock out only other browsers without one, never the owner's.
 *
 * One cookie holds the entries of the last few usernames signed in on the browser (a shared office
 * computer). An entry is `nonce.issued.mac`: the MAC (HMAC-SHA-256 under a server key) covers the
 * username, so the entry names no username and helps no other one; `issued` lets it expire.
 * Path=/api/auth/login: the browser sends it nowhere else.
 */
export const DEVICE_COOKIE = 'youchuang_device';
export const DEVICE_COOKIE_DAYS = 180;
const DEVICE_COOKIE_PATH = '/api/auth/login';
const MAX_ENTRIES = 5;
const ENTRY = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/;
const COOKIE_SHAPE = /^[A-Za-z0-9_.~-]{1,600}$/;

/**
 * The HMAC key: 32 random bytes made by whichever API process needs it first and kept in the
 * database, so every process signs and checks alike and the operator configures nothing. Whoever can
 * read the database could forge device cookies, but could as well guess passwords offline against
 * the scrypt hashes beside it, which no sign-in limit slows.
 */
const keys = new WeakMap<Db, Promise<Buffer>>();

export function deviceCookieKey(db: Db, now: Date): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = loadOrCreateKey(db, now);
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

async function loadOrCreateKey(db: Db, now: Date): Promise<Buffer> {
  const withKeys = db.withTables<{ sign_in_keys: SignInKeysTable }>();
  await withKeys
    .insertInto('sign_in_keys')
    .values({ purpose: 'device-cookie', secret: randomBytes(32), created_at: now })
    .onConflict((oc) => oc.column('purpose').doNothing())
    .execute();
  const row = await withKeys.selectFrom('sign_in_keys').select('secret').where('purpose', '=', 'device-cookie').executeTakeFirstOrThrow();
  return row.secret;
}

const macOf = (key: Buffer, username: string, nonce: string, issued: string) =>
  createHmac('sha256', key).update(`youchuang-device\u0000${username}\u0000${nonce}\u0000${issued}`).digest();

function entriesOf(cookieHeader: string | undefined): string[] {
  const value = cookieValue(cookieHeader, DEVICE_COOKIE, COOKIE_SHAPE);
  return value ? value.split('~').filter((entry) => ENTRY.test(entry)).slice(0, MAX_ENTRIES) : [];
}

const expired = (issued: string, now: Date) => now.getTime() / 1000 - parseInt(issued, 36) > DEVICE_COOKIE_DAYS * 86_400;

function entryFor(key: Buffer, entry: string, username: string, now: Date): string | undefined {
  const [, nonce, issued, mac] = ENTRY.exec(entry) ?? [];
  if (!nonce || !issued || !mac || expired(issued, now)) return undefined;
  const expected = macOf(key, username, nonce, issued);
  const actual = Buffer.from(mac, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? nonce : undefined;
}

/** The device (its nonce) when the request carries a valid, unexpired device cookie entry for this username. */
export function trustedDevice(key: Buffer, cookieHeader: string | undefined, username: string, now: Date): string | undefined {
  for (const entry of entriesOf(cookieHeader)) {
    const nonce = entryFor(key, entry, username, now);
    if (nonce) return nonce;
  }
  return undefined;
}

/** The Set-Cookie after a successful sign-in: a fresh entry for this username first, the browser's entries for others after it. */
export function deviceCookieAfterSignIn(request: FastifyRequest, key: Buffer, username: string, now: Date): string {
  const nonce = randomBytes(16).toString('base64url');
  const issued = Math.floor(now.getTime() / 1000).toString(36);
  const fresh = `${nonce}.${issued}.${macOf(key, username, nonce, issued).toString('base64url')}`;
  const others = entriesOf(request.headers.cookie).filter((entry) => !expired(entry.split('.')[1]!, now) && !entryFor(key, entry, username, now));
  const value = [fresh, ...others].slice(0, MAX_ENTRIES).join('~');
  return `${DEVICE_COOKIE}=${value}; Path=${DEVICE_COOKIE_PATH}; Max-Age=${DEVICE_COOKIE_DAYS * 86_400}; HttpOnly; SameSite=Strict${secureFlag(request)}`;
}
