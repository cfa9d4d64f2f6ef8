import { registeredCompanyOf } from '../../domain/accounts/applicant-company.js';
import { z } from 'zod';
import { bearerToken, presentedToken } from '../auth/authenticate.js';
import { clearedSessionCookie, csrfTokenFor, sessionCookie } from '../auth/cookies.js';
import { deviceCookieAfterSignIn, deviceCookieKey, trustedDevice } from '../auth/device-cookies.js';
import { chargeSignIn, signInFailed, signInSucceeded, tooManyAttemptsMessage } from '../auth/login-throttle.js';
import { login, logout, SESSION_HOURS, sessionForToken, type Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError, unauthenticated } from '../http-errors.js';
import { profilePersonalData } from '../personal-data.js';
import { route } from '../route.js';
import { loginResponse, meResponse } from '../schemas/responses.schemas.js';

export { bearerToken };

/** GET /api/auth/session: what the sign-in answered, less the bearer token (the caller already holds the session). */
const sessionResponse = loginResponse.omit({ token: true }).extend({ via: z.enum(['cookie', 'bearer']).describe('how this request presented the session') });

const accountSummary = (account: Account) => {
  const { accountId, username, displayName, role, department, duties, applicantKind } = account;
  return { accountId, username, displayName, role, department: department ?? null, duties, applicantKind, company: role === 'applicant' ? (registeredCompanyOf(account.profile) ?? null) : null };
};

export function authRoutes({ db, clock, personalData }: ApiDependencies) {
  return [
    route({
      method: 'POST',
      url: '/api/auth/login',
      response: loginResponse,
      refusals: [401, 429],
      summary:
        'Sign in with username and password: a bearer token for API clients, and the same session as an HttpOnly, SameSite=Strict cookie for the web UI (whose writes send csrfToken in X-CSRF-Token), plus a device cookie that marks this browser as one the username signed in on. Limits (429 with Retry-After): 5 failures in 15 minutes lock a username for browsers without its device cookie, and a browser with one only after its own 5; an address with 20 failures in 15 minutes gets one try per 15 minutes at each username it failed at. Only failures lock: attempts beyond the limit sent at once wait for those being checked, and one that waits 5 seconds in vain is answered 429 as too frequent.',
      tag: 'accounts',
      access: 'public',
      body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      async handle({ body, request, reply }) {
        const now = clock();
        const deviceKey = await deviceCookieKey(db, now);
        const device = trustedDevice(deviceKey, request.headers.cookie, body.username, now);
        const attempt = await chargeSignIn(db, { username: body.username, address: request.ip, ...(device ? { device } : {}) }, now);
        if (attempt.refused) {
          return reply
            .status(429)
            .header('retry-after', String(attempt.retryAfterSeconds))
            .send({ error: 'too-many-attempts', code: 'too-many-attempts', message: tooManyAttemptsMessage(attempt), retryAfterSeconds: attempt.retryAfterSeconds });
        }
        const session = await login(db, body.username, body.password, now);
        if (!session) {
          await signInFailed(db, attempt, now);
          throw new HttpError(401, 'unauthenticated', '用户名或密码错误');
        }
        await signInSucceeded(db, attempt);
        reply.header('set-cookie', [sessionCookie(request, session.token, SESSION_HOURS * 3600), deviceCookieAfterSignIn(request, deviceKey, body.username, now)]);
        return { token: session.token, csrfToken: csrfTokenFor(session.token), expiresAt: session.expiresAt.toISOString(), account: accountSummary(session.account) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'End this session (bearer or cookie); the cookie is cleared',
      tag: 'accounts',
      access: 'signed-in',
      status: 204,
      async handle({ request, reply }) {
        const presented = presentedToken(request);
        if (presented) await logout(db, presented.token);
        reply.header('set-cookie', clearedSessionCookie(request));
        return null;
      },
    }),
    route({
      method: 'GET',
      url: '/api/auth/session',
      response: sessionResponse,
      summary: 'The session this request presents (cookie or bearer): its account, when it ends and its CSRF token; 401 once it has ended',
      description:
        'A browser tab opened after sign-in (a case link opened in a new tab) has the session cookie but not the CSRF token its writes need: it asks here. ' +
        'Answering the token to a cookie-signed-in read is safe: the cookie is SameSite=Strict, so a request another site starts carries no cookie and is answered 401, ' +
        'and no other origin can read an answer of this one (no CORS is granted). The token guards against requests another site makes, never against this origin’s own scripts.',
      tag: 'accounts',
      access: 'signed-in',
      async handle({ request }) {
        const presented = presentedToken(request);
        // Looked up again for its expiry; a session that ended between the two reads has ended.
        const session = presented && (await sessionForToken(db, presented.token, clock()));
        if (!presented || !session) throw unauthenticated();
        return { csrfToken: csrfTokenFor(presented.token), expiresAt: session.expiresAt.toISOString(), account: accountSummary(session.account), via: presented.via };
      },
    }),
    route({
      method: 'GET',
      url: '/api/me',
      response: meResponse,
      summary: 'The signed-in account: role, department and duties; an applicant’s own personal data, masked; and the CSRF token of this session',
      tag: 'accounts',
      access: 'signed-in',
      async handle({ account, request }) {
        const presented = presentedToken(request);
        return {
          ...accountSummary(account!),
          personalData: await profilePersonalData(personalData, account!),
          csrfToken: presented ? csrfTokenFor(presented.token) : null,
        };
      },
    }),
  ];
}
