import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client.js';
import { deviceCookieKey } from './auth/device-cookies.js';

/**
 * The 查询码 (verification code) that lets anyone holding a case's reference number and its code
 * read the case's progress without signing in (办件进度查询). Nothing is stored per case: the code
 * is an HMAC of the case id under a server key, so it is the same on every page, in every API
 * process and after every restart, and cannot be worked out from the reference number.
 *
 * The key is derived (HKDF, its own label) from the 32 random bytes the API already keeps in
 * `sign_in_keys` for device cookies: made once on first use and shared by every process, so the
 * operator configures nothing and a restart never changes a code. A key generated at start-up
 * would change every code on each restart and differ between API processes, so it is not used.
 * The derivation label keeps the two uses apart: a device-cookie MAC is never a valid code.
 */

/** 32 symbols without 0/O, 1/I: read out on the phone or copied by hand without mistakes. */
export const PROGRESS_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const PROGRESS_CODE_LENGTH = 8;
/** What the look-up accepts: the alphabet in either case (the web page upper-cases what is typed). */
export const PROGRESS_CODE_PATTERN = /^[2-9A-HJ-NP-Za-hj-np-z]{8}$/;

const keys = new WeakMap<Db, Promise<Buffer>>();

function progressKey(db: Db, now: Date): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = deviceCookieKey(db, now).then((base) => Buffer.from(hkdfSync('sha256', base, Buffer.alloc(0), 'youchuang-progress-code', 32)));
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

/**
 * Codes worked out, by key: every case page an applicant or official opens shows its case's code,
 * and the MAC with its arithmetic was a twentieth of such a request's time outside SQL. Bounded: the
 * oldest goes first.
 */
const codesByKey = new WeakMap<Buffer, Map<string, string>>();
const REMEMBERED_CODES = 10_000;

function codeOf(key: Buffer, caseId: string): string {
  let codes = codesByKey.get(key);
  if (!codes) codesByKey.set(key, (codes = new Map()));
  let code = codes.get(caseId);
  if (code === undefined) {
    code = computeCode(key, caseId);
    if (codes.size >= REMEMBERED_CODES) codes.delete(codes.keys().next().value!);
    codes.set(caseId, code);
  }
  return code;
}

/** 8 symbols of 5 bits each: the first 40 bits of the MAC (32 symbols, so no symbol is likelier than another). */
function computeCode(key: Buffer, caseId: string): string {
  const mac = createHmac('sha256', key).update(`youchuang-progress\u0000${caseId}`).digest();
  let bits = 0n;
  for (const byte of mac.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = PROGRESS_CODE_LENGTH - 1; i >= 0; i--) code += PROGRESS_CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

/** The case's 查询码, as its applicant is shown it. */
export async function progressCodeOf(db: Db, caseId: string, now: Date): Promise<string> {
  return codeOf(await progressKey(db, now), caseId);
}

/** Whether `code` (any letter case) is the case's 查询码, compared in constant time. */
export async function progressCodeMatches(db: Db, caseId: string, code: string, now: Date): Promise<boolean> {
  const expected = Buffer.from(codeOf(await progressKey(db, now), caseId));
  const given = Buffer.from(code.toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
