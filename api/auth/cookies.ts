import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * The web UI's session: the same token as the API's bearer token, in a cookie the page's scripts
 * cannot read (HttpOnly), that the browser never sends with a request started by another site
 * (SameSite=Strict), over HTTPS only when the request came over HTTPS (Secure). A write made with
 * the cookie must also carry the CSRF token in the X-CSRF-Token header: another site can neither
 * read it nor, without a CORS preflight this server never grants, send that header.
 */
export const SESSION_COOKIE = 'youchuang_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The CSRF token of a session, derived from its token: nothing more to store, and useless without the cookie. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`youchuang-csrf\u0000${sessionToken}`).digest('base64url');
}

export function csrfTokenMatches(sessionToken: string, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** One cookie's value from a Cookie header; undefined when absent or not of the given shape. */
export function cookieValue(header: string | undefined, name: string, shape: RegExp): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const [cookieName, ...rest] = part.split('=');
    if (cookieName?.trim() !== name) continue;
    const value = rest.join('=').trim();
    return shape.test(value) ? value : undefined;
  }
  return undefined;
}

/** The session token from a Cookie header; undefined when absent or not a token's shape. */
export function sessionTokenFromCookie(header: string | undefined): string | undefined {
  return cookieValue(header, SESSION_COOKIE, /^[A-Za-z0-9_-]{20,200}$/);
}

export const secureFlag = (request: FastifyRequest) => (request.protocol === 'https' ? '; Secure' : '');

export function sessionCookie(request: FastifyRequest, token: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secureFlag(request)}`;
}

export function clearedSessionCookie(request: FastifyRequest): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secureFlag(request)}`;
}
