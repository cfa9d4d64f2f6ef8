import { z } from 'zod';
import { bearerToken, presentedToken } from '../auth/authenticate.js';
import { clearedSessionCookie, csrfTokenFor, sessionCookie } from '../auth/cookies.js';
import { loginLockedFor, recordLoginFailure, recordLoginSuccess } from '../auth/login-throttle.js';
import { login, logout, SESSION_HOURS, type Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { profilePersonalData } from '../personal-data.js';
import { route } from '../route.js';

export { bearerToken };

const accountSummary = (account: Account) => {
  const { accountId, username, displayName, role, department, duties, applicantKind } = account;
  return { accountId, username, displayName, role, department: department ?? null, duties, applicantKind };
};

export function authRoutes({ db, clock, personalData }: ApiDependencies) {
  return [
    route({
      method: 'POST',
      url: '/api/auth/login',
      summary:
        'Sign in with username and password: a bearer token for API clients, and the same session as an HttpOnly, SameSite=Strict cookie for the web UI (whose writes send csrfToken in X-CSRF-Token). 5 failures for a username (20 from an address) in 15 minutes: 429 with Retry-After.',
      tag: 'accounts',
      access: 'public',
      body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      async handle({ body, request, reply }) {
        const now = clock();
        const client = { username: body.username, address: request.ip };
        const lockedFor = await loginLockedFor(db, client, now);
        if (lockedFor !== undefined) {
          return reply
            .status(429)
            .header('retry-after', String(lockedFor))
            .send({ error: 'too-many-attempts', message: `too many failed sign-ins; try again in ${Math.ceil(lockedFor / 60)} minute(s)`, retryAfterSeconds: lockedFor });
        }
        const session = await login(db, body.username, body.password, now);
        if (!session) {
          await recordLoginFailure(db, client, now);
          throw new HttpError(401, 'unauthenticated', 'wrong username or password');
        }
        await recordLoginSuccess(db, client);
        reply.header('set-cookie', sessionCookie(request, session.token, SESSION_HOURS * 3600));
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
      url: '/api/me',
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
