import { z } from 'zod';
import { login, logout } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';

export function authRoutes({ db, clock }: ApiDependencies) {
  return [
    route({
      method: 'POST',
      url: '/api/auth/login',
      summary: 'Sign in with username and password; returns a bearer token',
      tag: 'accounts',
      access: 'public',
      body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      async handle({ body }) {
        const session = await login(db, body.username, body.password, clock());
        if (!session) throw new HttpError(401, 'unauthenticated', 'wrong username or password');
        const { accountId, username, displayName, role, department } = session.account;
        return { token: session.token, expiresAt: session.expiresAt.toISOString(), account: { accountId, username, displayName, role, department: department ?? null } };
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'End this session',
      tag: 'accounts',
      access: 'signed-in',
      status: 204,
      async handle({ request }) {
        await logout(db, bearerToken(request.headers.authorization) ?? '');
        return null;
      },
    }),
    route({
      method: 'GET',
      url: '/api/me',
      summary: 'The signed-in account',
      tag: 'accounts',
      access: 'signed-in',
      async handle({ account }) {
        const { accountId, username, displayName, role, department } = account!;
        return { accountId, username, displayName, role, department: department ?? null };
      },
    }),
  ];
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header ?? '');
  return match?.[1];
}
