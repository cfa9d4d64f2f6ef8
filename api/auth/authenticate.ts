import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import { HttpError } from '../http-errors.js';
import { CSRF_HEADER, csrfTokenMatches, sessionTokenFromCookie } from './cookies.js';
import { accountForToken, type Account } from './sessions.js';

export interface Authentication {
  account: Account;
  token: string;
  via: 'bearer' | 'cookie';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header ?? '');
  return match?.[1];
}

/** The session's token as the request presents it: the Authorization header wins over the cookie. */
export function presentedToken(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | undefined {
  if (request.headers.authorization !== undefined) {
    const token = bearerToken(request.headers.authorization);
    return token ? { token, via: 'bearer' } : undefined;
  }
  const token = sessionTokenFromCookie(request.headers.cookie);
  return token ? { token, via: 'cookie' } : undefined;
}

/**
 * Who is calling: a bearer token (API clients) or the session cookie (the web UI). A write
 * authenticated by the cookie needs the CSRF header; without it the request is refused on a
 * route that needs a sign-in, and treated as anonymous on a public one (it can use no privilege).
 */
export async function authenticate(db: Db, request: FastifyRequest, now: Date, isPublicRoute: boolean): Promise<Authentication | undefined> {
  const presented = presentedToken(request);
  if (!presented) return undefined;
  const account = await accountForToken(db, presented.token, now, request);
  if (!account) return undefined;
  if (presented.via === 'cookie' && !SAFE_METHODS.has(request.method) && !csrfTokenMatches(presented.token, request.headers[CSRF_HEADER])) {
    if (isPublicRoute) return undefined;
    throw new HttpError(403, 'csrf', '页面已过期，请刷新页面后再提交。', [], {}, {}, `a change made with the session cookie needs the ${CSRF_HEADER} header: its value is the csrfToken of POST /api/auth/login, GET /api/auth/session or GET /api/me`);
  }
  return { account, ...presented };
}
