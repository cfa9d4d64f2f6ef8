import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import type { FieldIssue } from '../domain/errors.js';
import type { Account } from './auth/sessions.js';
import { HttpError, unauthenticated } from './http-errors.js';

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
  const result = (schema ?? EMPTY).safeParse(value ?? {});
  if (result.success) return result.data as T;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: [where === 'body' ? '' : where, ...issue.path.map(String)].filter(Boolean).join('.') || where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${(issue as { keys: string[] }).keys.join(', ')}` : issue.message,
  }));
  throw new HttpError(400, 'validation', `invalid ${where === 'path' ? 'path' : where}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteDefinition[],
  resolveAccount: (request: FastifyRequest) => Promise<Account | undefined>,
): void {
  for (const definition of routes) {
    app.route({
      method: definition.method,
      url: definition.url,
      handler: async (request, reply) => {
        const account = await resolveAccount(request);
        if (definition.access === 'signed-in' && !account) throw unauthenticated();
        const params = parse(definition.params, request.params, 'path');
        const query = parse(definition.query, request.query, 'query');
        const body = parse(definition.body, request.body, 'body');
        const result = await definition.handle({ params, query, body, account, request, reply });
        if (reply.sent) return reply;
        return reply.status(definition.status ?? 200).send(result);
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
      ...(r.access === 'signed-in' ? { security: [{ bearer: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body) } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: { description: 'success' },
        '400': { description: 'invalid input: { error, message, issues: [{ field, message }] }' },
        ...(r.access === 'signed-in' ? { '401': { description: 'not signed in' } } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
