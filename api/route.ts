import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import type { FieldIssue } from '../domain/errors.js';
import type { Account } from './auth/sessions.js';
import { HttpError, unauthenticated } from './http-errors.js';
import { assertWellFormedInput } from './input-guard.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const EMPTY = z.strictObject({});
type Empty = typeof EMPTY;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  account: Account | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One route: its schemas (validation, types and OpenAPI from the same zod objects), who may call it
 * and its handler. Every route the API serves is one of these, so tools can walk them all.
 */
export interface RouteDefinition<P extends ZodType = ZodType, Q extends ZodType = ZodType, B extends ZodType = ZodType> {
  method: Method;
  url: string;
  summary: string;
  tag: string;
  /** 'public' needs no sign-in; 'signed-in' needs a valid bearer token. */
  access: 'public' | 'signed-in';
  params?: P;
  query?: Q;
  body?: B;
  status?: number;
  handle(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

export function route<P extends ZodType = Empty, Q extends ZodType = Empty, B extends ZodType = Empty>(
  definition: RouteDefinition<P, Q, B>,
): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: 'path' | 'query' | 'body'): T {
  // NUL, control characters, malformed Unicode and deep nesting are refused whatever the schema says.
  assertWellFormedInput(value, where);
  // No body (or query) at all reads as {}; an explicit JSON null is a value like any other, and refused.
  const result = (schema ?? EMPTY).safeParse(value === undefined ? {} : value);
  if (result.success) return result.data as T;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: [where === 'body' ? '' : where, ...issue.path.map(String)].filter(Boolean).join('.') || where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${(issue as { keys: string[] }).keys.join(', ')}` : issue.message,
  }));
  throw new HttpError(400, 'validation', `invalid ${where === 'path' ? 'path' : where}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
}

/** What registerRoutes runs around every handler: the permission matrix and Idempotency-Key. */
export interface RouteHooks {
  /** Who may call the route; runs once the account and the path are known, before the query and body are read. */
  authorize?(input: { definition: RouteDefinition; request: FastifyRequest; account: Account | undefined; params: Record<string, unknown> }): Promise<void>;
  /** Runs the handler at most once per Idempotency-Key and answers (or replays the first answer). */
  idempotent?(
    call: { definition: RouteDefinition; request: FastifyRequest; reply: FastifyReply; account: Account | undefined },
    handle: () => Promise<{ status: number; body: unknown } | 'sent'>,
  ): Promise<unknown>;
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteDefinition[],
  resolveAccount: (request: FastifyRequest) => Promise<Account | undefined>,
  hooks: RouteHooks = {},
): void {
  for (const definition of routes) {
    app.route({
      method: definition.method,
      url: definition.url,
      handler: async (request, reply) => {
        const account = await resolveAccount(request);
        if (definition.access === 'signed-in' && !account) throw unauthenticated();
        const params = parse(definition.params, request.params, 'path');
        await hooks.authorize?.({ definition, request, account, params: params as Record<string, unknown> });
        const query = parse(definition.query, request.query, 'query');
        const body = parse(definition.body, request.body, 'body');
        const handle = async () => {
          const result = await definition.handle({ params, query, body, account, request, reply });
          return reply.sent ? ('sent' as const) : { status: definition.status ?? 200, body: result };
        };
        if (hooks.idempotent) return hooks.idempotent({ definition, request, reply, account }, handle);
        const outcome = await handle();
        return outcome === 'sent' ? reply : reply.status(outcome.status).send(outcome.body);
      },
    });
  }
}

/** OpenAPI 3.1, generated from the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly RouteDefinition[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const json = (schema: ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...Object.entries((json(r.params ?? EMPTY).properties ?? {}) as Record<string, object>).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries((json(r.query ?? EMPTY).properties ?? {}) as Record<string, object>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: ((json(r.query ?? EMPTY).required ?? []) as string[]).includes(name),
        schema,
      })),
    ];
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.access === 'signed-in' ? { security: [{ bearer: [] }, { cookie: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body) } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: { description: 'success' },
        '400': { description: 'invalid input: { error, message, issues: [{ field, message }] }' },
        ...(r.access === 'signed-in'
          ? {
              '401': { description: 'not signed in' },
              '403': { description: 'not for this role, department or duty (api/authorization/permissions.ts); a cookie-signed-in write without X-CSRF-Token' },
            }
          : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        // The web UI's session; its writes also send the session's csrfToken in X-CSRF-Token.
        cookie: { type: 'apiKey', in: 'cookie', name: 'youchuang_session' },
      },
    },
  };
}
