import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import type { FieldIssue } from '../domain/errors.js';
import { namedProblem } from './field-names.js';
import { inEnglish, MISSING_FIELD } from './validation-messages.js';
import type { Account } from './auth/sessions.js';
import { HttpError, unauthenticated } from './http-errors.js';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.js';
import { assertWellFormedInput } from './input-guard.js';
import { caseResponse, errorResponse } from './schemas/responses.schemas.js';

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
  /**
   * The id under which a handler sends its command to a case's workflow, where the caller names it:
   * a bulk claim names each case's from its own Idempotency-Key (runRouteWithin), so that the
   * workflow answers a retry with what the first attempt recorded. Absent: the handler makes one.
   */
  requestId?: string;
}

/**
 * One route: its schemas (validation, types and OpenAPI from the same zod objects), who may call it
 * and its handler. Every route the API serves is one of these, so tools can walk them all.
 */
export interface RouteDefinition<P extends ZodType = ZodType, Q extends ZodType = ZodType, B extends ZodType = ZodType> {
  method: Method;
  url: string;
  summary: string;
  /** Longer words for the OpenAPI document, where the summary's one line is not enough. */
  description?: string;
  tag: string;
  /** 'public' needs no sign-in; 'signed-in' needs a valid bearer token. */
  access: 'public' | 'signed-in';
  params?: P;
  query?: Q;
  body?: B;
  status?: number;
  /** The success answer's body, for the OpenAPI document; a route without one is documented as free-form. */
  response?: ZodType;
  /** A success answer that is not JSON (a spreadsheet, a PDF): its media type, documented as such so that clients and Schemathesis expect it. */
  produces?: { mediaType: string; description: string };
  /** Answers beside the success and the refusals every route of its kind gives (`refusalsOf`). */
  otherResponses?: Record<number, { description: string; schema?: ZodType }>;
  /** Refusals the handler gives beyond those every route of its kind gives (e.g. 404 on a route without a path id). */
  refusals?: readonly number[];
  /**
   * The body schema of this request, where it depends on the path (the one action route: each
   * action's own body). Runs after the authorization; `body` then only documents the route.
   */
  bodyFor?(input: { params: z.output<P>; request: FastifyRequest; account: Account | undefined }): ZodType | Promise<ZodType>;
  /**
   * A route that stands for several (POST /api/cases/:caseId/:action, one per action): each of
   * them, with the path parameter it fixes written into its URL. The permission matrix keys them,
   * and the tests walk them, one by one.
   */
  variants?: readonly RouteDefinition[];
  /** A body this route takes above the API's 64 KiB (the checkpoints an auditor exported over a year): its own limit, in bytes. */
  bodyLimit?: number;
  handle(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

export function route<P extends ZodType = Empty, Q extends ZodType = Empty, B extends ZodType = Empty>(
  definition: RouteDefinition<P, Q, B>,
): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

/** A request's path, query or body read by its schema, or the 400 that tells every problem of it in plain Chinese. */
export function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: 'path' | 'query' | 'body'): T {
  // NUL, control characters, malformed Unicode and deep nesting are refused whatever the schema says.
  assertWellFormedInput(value, where, schema);
  // No body (or query) at all reads as {}; an explicit JSON null is a value like any other, and refused.
  const input = value === undefined ? {} : value;
  const result = (schema ?? EMPTY).safeParse(input);
  if (result.success) return result.data as T;
  // A value of the wrong kind is told as that alone: zod still runs the size checks on it (a text sent
  // for a list of at most 20 reasons was also told 最多 20 个字, a limit no such field has).
  const wrongKind = new Set(result.error.issues.filter((i) => i.code === 'invalid_type').map((i) => JSON.stringify(i.path)));
  const told = result.error.issues.filter((i) => !((i.code === 'too_big' || i.code === 'too_small') && wrongKind.has(JSON.stringify(i.path))));
  const issues: FieldIssue[] = told.map((issue) => {
    // A rule a schema runs (a custom issue) names itself and gives its English.
    const rule = issue.code === 'custom' ? (issue.params as { code?: string; english?: string } | undefined) : undefined;
    // A schema's own message for a value of the wrong kind (a budget's 金额应为整数, for 1.5) wins over
    // zod's, and zod asks it of a field left out too: left out, the field is told as missing.
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    return {
      field: [where === 'body' ? '' : where, ...issue.path.map(String)].filter(Boolean).join('.') || where,
      message: missing ? MISSING_FIELD : issue.message,
      code: rule?.code ?? issue.code,
      english: rule?.english ?? (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : inEnglish(issue)),
    };
  });
  // A list of 5,400 empty items had been answered with every missing field of each: 9.4 MB. The count is whole; the problems are the first ones.
  const shown = issues.slice(0, PROBLEMS_SAID);
  const rest = issues.length - shown.length;
  const sentence = shown.map((issue) => namedProblem(schema, issue, where)).join('；') + (rest > 0 ? `；另有 ${rest} 处，未一一列出` : '');
  const english = shown.map((i) => `${i.field}: ${i.english}`).join('; ') + (rest > 0 ? `; and ${rest} more` : '');
  throw new HttpError(400, 'validation', `请修改以下 ${issues.length} 处：${sentence}`, issues.slice(0, PROBLEMS_LISTED), {}, {}, `invalid ${where}: ${english}`);
}

/** The value sent at an issue's path; undefined where nothing was sent (JSON has no undefined of its own). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let here = input;
  for (const key of path) {
    if (here === null || typeof here !== 'object' || !Object.hasOwn(here, key)) return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

/** How many of a refused input's problems its message says, and how many its `issues` list. */
const PROBLEMS_SAID = 20;
const PROBLEMS_LISTED = 200;

/** What registerRoutes runs around every handler: the permission matrix and Idempotency-Key. */
export interface RouteHooks {
  /**
   * Starts, before the caller's session is looked up, a read the request needs whoever is calling,
   * so that the two round trips run at once. What it reads is used only once the caller is known
   * and allowed (the central check and the handler await the same read).
   */
  prefetch?(input: { definition: RouteDefinition; request: FastifyRequest }): void;
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
      ...(definition.bodyLimit ? { bodyLimit: definition.bodyLimit } : {}),
      handler: async (request, reply) => {
        hooks.prefetch?.({ definition, request });
        const account = await resolveAccount(request);
        if (definition.access === 'signed-in' && !account) throw unauthenticated();
        const params = parse(definition.params, request.params, 'path');
        await hooks.authorize?.({ definition, request, account, params: params as Record<string, unknown> });
        const query = parse(definition.query, request.query, 'query');
        const bodySchema = definition.bodyFor ? await definition.bodyFor({ params, request, account }) : definition.body;
        const body = parse(bodySchema, request.body, 'body');
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

/**
 * A route run inside another request, as registerRoutes runs it for a request of its own: its path
 * parameters read, the permission matrix's check (the central one, with its logging), its body read,
 * and its handler. A bulk request runs it once per item (POST /api/worklist/claims claims each case
 * through the claim route), so that each item meets exactly the checks, refusals and answers of the
 * single request; the caller is the outer request's signed-in account. A refusal is thrown as the
 * single request would answer it.
 */
export async function runRouteWithin(
  definition: RouteDefinition,
  input: { params: Record<string, unknown>; body: unknown; account: Account; request: FastifyRequest; reply: FastifyReply; requestId?: string },
  authorize: NonNullable<RouteHooks['authorize']>,
): Promise<unknown> {
  // Such a route reads its body schema from its own request, which here is the outer one: run its variant instead.
  if (definition.bodyFor) throw new Error(`${definition.method} ${definition.url} chooses its body by its own request: run one of its variants within another`);
  const params = parse(definition.params, input.params, 'path');
  await authorize({ definition, request: input.request, account: input.account, params: params as Record<string, unknown> });
  const query = parse(definition.query, {}, 'query');
  const body = parse(definition.body, input.body, 'body');
  return definition.handle({ params, query, body, account: input.account, request: input.request, reply: input.reply, requestId: input.requestId });
}

/**
 * The variant of a route these path parameters name (the action route's route for one action), the
 * route itself when it has no variants, or undefined when no variant matches (an unknown action).
 */
export function variantFor(definition: RouteDefinition, params: Record<string, unknown>): RouteDefinition | undefined {
  if (!definition.variants) return definition;
  const parts = definition.url.split('/');
  return definition.variants.find((variant) =>
    variant.url.split('/').every((part, i) => {
      const general = parts[i] ?? '';
      return part === general || (general.startsWith(':') && !part.startsWith(':') && params[general.slice(1)] === part);
    }),
  );
}

/** Every route, with a route that stands for several replaced by them: what the matrix and the tests walk. */
export function concreteRoutes(routes: readonly RouteDefinition[]): RouteDefinition[] {
  return routes.flatMap((r) => r.variants ?? [r]);
}

const REFUSALS: Record<number, string> = {
  400: 'invalid input (path, query, body or header): every field refused is listed in issues',
  401: 'not signed in, or the session has ended (WWW-Authenticate: Bearer)',
  403: 'not for this role, department or duty (api/authorization/permissions.ts); a cookie-signed-in write without X-CSRF-Token',
  404: 'no such resource, or one this account may not see (they look the same)',
  409: 'not at this step, a stale expectedVersion, a conflict, or the same Idempotency-Key still in progress (then with Retry-After)',
  413: 'the body is larger than 64 KiB',
  414: 'a path parameter is longer than 100 characters',
  415: 'the body is not sent as application/json',
  422: 'the Idempotency-Key was used before for a different request',
  429: 'too many attempts: wait Retry-After seconds',
};

const isWrite = (r: RouteDefinition) => r.method !== 'GET';

/**
 * The statuses a route answers besides success, decided by what it is: anything may be invalid (400);
 * a signed-in route may refuse the caller (401, 403); a path id may be missing (404) or too long (414);
 * a body may be too large (413) or not JSON (415); a signed-in write may conflict (409) or reuse an
 * Idempotency-Key (422).
 */
export function refusalsOf(r: RouteDefinition): number[] {
  const statuses = new Set<number>([400, ...(r.refusals ?? [])]);
  const signedIn = r.access === 'signed-in';
  if (signedIn) [401, 403].forEach((s) => statuses.add(s));
  if (r.url.includes('/:')) [404, 414].forEach((s) => statuses.add(s));
  if (isWrite(r)) [413, 415].forEach((s) => statuses.add(s));
  if (isWrite(r) && signedIn) [409, 422].forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

/** `GET /api/cases/:caseId/events` → `getCasesByCaseIdEvents`: stable, unique, and a valid identifier for generated clients. */
export function operationIdOf(r: Pick<RouteDefinition, 'method' | 'url'>): string {
  const words = r.url
    .replace(/^\/api\//, '/')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split('-'));
  return r.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

// A string parameter may not hold control characters (api/input-guard.ts refuses them whatever the schema says).
const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

/** OpenAPI 3.1, generated from the same zod schemas that validate requests and describe answers. */
export function openApiDocument(routes: readonly RouteDefinition[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const json = (schema: ZodType, io: 'input' | 'output' = 'input') => {
    const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  };
  // Every refusal shares one schema, a component referenced from every answer.
  // Every refusal shares one schema; every answer that shows a case shares another: components, so that a generated client has one type for each.
  const components: Record<string, Record<string, unknown>> = { Error: json(errorResponse, 'output'), Case: json(caseResponse, 'output') };
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  const caseJson = JSON.stringify(components.Case);
  const withCaseRefs = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(withCaseRefs);
    if (schema === null || typeof schema !== 'object') return schema;
    if (JSON.stringify(schema) === caseJson) return { $ref: '#/components/schemas/Case' };
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withCaseRefs(v)]));
  };
  const answer = (schema: ZodType) => withCaseRefs(json(schema, 'output'));
  const stringParameter = (schema: Record<string, unknown>) => (schema.type === 'string' && !schema.pattern && !schema.format && !schema.enum ? { ...schema, pattern: NO_CONTROL_CHARACTERS } : schema);
  // Every string of a body, however its schema was written, carries the guard's refusal too.
  const guarded = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(guarded);
    if (schema === null || typeof schema !== 'object') return schema;
    const walked = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'pattern' || k === 'const' || k === 'enum' || k === 'default' ? v : guarded(v)]));
    const plainString = walked.type === 'string' && !('pattern' in walked) && !('format' in walked) && !('enum' in walked) && !('const' in walked) && !('allOf' in walked);
    return plainString ? stringParameter(walked) : walked;
  };
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const query = json(r.query ?? EMPTY);
    const parameters = [
      ...Object.entries((json(r.params ?? EMPTY).properties ?? {}) as Record<string, Record<string, unknown>>).map(([name, schema]) => ({ name, in: 'path', required: true, schema: stringParameter(schema) })),
      ...Object.entries((query.properties ?? {}) as Record<string, Record<string, unknown>>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: ((query.required ?? []) as string[]).includes(name),
        schema: stringParameter(schema),
      })),
      ...(isWrite(r) && r.access === 'signed-in'
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Makes a retry safe: the first answer to this key is kept 24 hours and replayed (Idempotent-Replayed: true) without running the write again',
              schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
            },
          ]
        : []),
    ];
    const success = r.status ?? 200;
    const responses: Record<string, unknown> = {
      [String(success)]:
        success === 204
          ? { description: 'done; no body' }
          : r.produces
            ? { description: r.produces.description, content: { [r.produces.mediaType]: { schema: { type: 'string', format: 'binary' } } } }
            : { description: 'success', content: { 'application/json': { schema: answer(r.response ?? z.looseObject({}).describe('free-form: this answer has no declared schema yet')) } } },
    };
    for (const [status, other] of Object.entries(r.otherResponses ?? {})) {
      responses[status] = { description: other.description, content: other.schema ? { 'application/json': { schema: answer(other.schema) } } : errorContent };
    }
    for (const status of refusalsOf(r)) {
      const retryAfter = status === 429 || status === 409;
      responses[String(status)] = {
        description: REFUSALS[status] ?? 'refused',
        ...(status === 401 ? { headers: { 'WWW-Authenticate': { description: 'the scheme to sign in with', schema: { type: 'string' } } } } : {}),
        ...(retryAfter ? { headers: { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'string', pattern: '^\\d+$' } } } } : {}),
        content: errorContent,
      };
    }
    // What the body must be: required where an absent body (read as {}) is refused, optional where it is accepted.
    const bodyRequired = r.body ? !r.body.safeParse({}).success : false;
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      operationId: operationIdOf(r),
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(r.access === 'signed-in' ? { security: [{ bearer: [] }, { cookie: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: bodyRequired, content: { 'application/json': { schema: guarded(json(r.body)) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        // The web UI's session; its writes also send the session's csrfToken in X-CSRF-Token.
        cookie: { type: 'apiKey', in: 'cookie', name: 'youchuang_session' },
      },
    },
  };
}
