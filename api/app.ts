import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { sql } from 'kysely';
import { authenticate } from './auth/authenticate.js';
import { createAuthorizer, createPrefetch } from './authorization/authorize.js';
import type { ApiDependencies } from './dependencies.js';
import { installHttpObservability, RequestLogController, type HttpObservability } from '../observability/http-observability.js';
import { errorHandler, HttpError } from './http-errors.js';
import { clientErrorHandler, installProtectiveHeaders, methodsServedAt, PROTECTIVE_HEADERS } from './protective-headers.js';
import { createIdempotency } from './idempotency.js';
import { installStrictJsonParser, MAX_BODY_BYTES } from './input-guard.js';
import { concreteRoutes, openApiDocument, registerRoutes, route, type RouteDefinition } from './route.js';
import { healthResponse } from './schemas/responses.schemas.js';
import { accountRoutes } from './routes/accounts.routes.js';
import { auditGuard, auditRoutes } from './routes/audit.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { caseActionRoutes } from './routes/case-actions.routes.js';
import { caseOpeningRoutes } from './routes/case-opening.routes.js';
import { caseRoutes } from './routes/cases.routes.js';
import { programmeRoutes } from './routes/programmes.routes.js';
import { applicationRoutes } from './routes/applications.routes.js';
import { chuyingScheduleRoutes } from './routes/chuying-schedule.routes.js';
import { calendarRoutes } from './routes/calendar.routes.js';
import { dramaFilingRoutes } from './routes/drama-filing.routes.js';
import { dashboardRoutes } from './routes/dashboard.routes.js';
import { ratingRoutes } from './routes/ratings.routes.js';
import { registerWebRoutes } from './routes/web.routes.js';
import { worklistRoutes } from './routes/worklist.routes.js';
import { worklistClaimRoutes } from './routes/worklist-claims.routes.js';
import { decisionLetterRoutes } from './routes/decision-letters.routes.js';
import { callRoutes } from './routes/calls.routes.js';
import { publicityRoutes } from './routes/publicity.routes.js';
import { progressRoutes } from './routes/progress.routes.js';
import { inboxRoutes } from './routes/inbox.routes.js';
import { documentRoutes, installDocumentUploadParser } from './routes/documents.routes.js';
import { departmentRegisterRoutes } from './routes/registers.routes.js';
import { programmeTermsRoutes } from './routes/programme-terms.routes.js';

export const API_INFO = {
  title: '优创 Youchuang API',
  version: '0.1.0',
  description:
    "Cases of Shanghai's support programmes for internet quality-content creators. Money is in integer fen; dates are Asia/Shanghai. " +
    'Every string of a request (path, query, body, field names included) is refused with 400 if it holds a control character (tab, line feed and carriage return are text; the `pattern` of each string says so) ' +
    'or a lone UTF-16 surrogate; bodies nest at most 16 levels deep and are at most 64 KiB of JSON. Every answer carries Cache-Control: no-store and X-Content-Type-Options: nosniff; every refusal is { error, message, issues? }.',
};

/** Every route the API serves, in one list: the OpenAPI document and the tests walk the same list. */
export function apiRoutes(deps: ApiDependencies): RouteDefinition[] {
  const caseActions = caseActionRoutes(deps);
  const routes: RouteDefinition[] = [...authRoutes(deps), ...chuyingScheduleRoutes(deps), ...caseRoutes(deps), ...caseOpeningRoutes(deps), ...caseActions, ...programmeRoutes(deps), ...applicationRoutes(deps), ...calendarRoutes(deps), ...dramaFilingRoutes(deps)];
  // 批量认领 claims each case through the claim route itself.
  routes.push(...worklistRoutes(deps), ...worklistClaimRoutes(deps, caseActions), ...dashboardRoutes(deps), ...ratingRoutes(deps));
  routes.push(...auditRoutes(deps));
  routes.push(...accountRoutes(deps));
  routes.push(...inboxRoutes(deps));
  routes.push(...callRoutes(deps), ...decisionLetterRoutes(deps), ...publicityRoutes(deps), ...progressRoutes(deps));
  routes.push(...documentRoutes(deps));
  routes.push(...departmentRegisterRoutes(deps));
  routes.push(...programmeTermsRoutes(deps));
  routes.push(
    route({
      method: 'GET',
      url: '/api/health',
      summary: 'Whether the database and Temporal answer',
      tag: 'system',
      access: 'public',
      response: healthResponse,
      otherResponses: { 503: { description: 'the database or Temporal does not answer', schema: healthResponse } },
      async handle({ reply }) {
        const [database, temporal] = await Promise.all([
          sql`SELECT 1`.execute(deps.db).then(() => 'ok', (e: Error) => e.message),
          // A deadline, or the client's retries keep a health check waiting ~20 s while Temporal is down.
          deps.temporal.connection
            .withDeadline(Date.now() + 2_000, () => deps.temporal.connection.workflowService.getSystemInfo({}))
            .then(() => 'ok', (e: Error) => e.message),
        ]);
        const healthy = database === 'ok' && temporal === 'ok';
        return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', database, temporal });
      },
    }),
  );
  return routes;
}

/** Builds the app without listening: the server listens, tests `inject`. */
export async function buildApp(
  deps: ApiDependencies,
  options: { logger?: FastifyServerOptions['logger']; trustProxy?: FastifyServerOptions['trustProxy']; observability?: HttpObservability } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // "incoming request" is logged by installHttpObservability, once the request's trace and case ids are bound.
    logController: new RequestLogController(),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: MAX_BODY_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A malformed URL or an overlong path parameter answers in the API's own shape too.
    // (Fastify runs no onSend hook for these, so the protective headers are set here.)
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply.headers(PROTECTIVE_HEADERS)),
    // What Node refuses before Fastify sees a request (a body longer than its content-length said) answers in the same shape.
    clientErrorHandler,
  });
  // First, so every later hook and the handler run inside the request's span and log with its ids.
  installHttpObservability(app, options.observability ?? {});
  installStrictJsonParser(app);
  // Uploads are the file's own bytes; every other route still refuses a body that is not JSON.
  installDocumentUploadParser(app);
  installProtectiveHeaders(app);
  app.setErrorHandler(errorHandler);
  const routes = apiRoutes(deps);
  // The action route serves the actions' own URLs, not any name at all: a GET of an action's URL is a 405, of a made-up one a 404.
  const served = methodsServedAt([...concreteRoutes(routes), { method: 'GET', url: '/openapi.json' }]);
  // A path this API serves, asked with a method it does not serve (TRACE, QUERY …): 405 with Allow, before any body is read.
  app.addHook('onRequest', async (request) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0]!;
    const allow = served(path);
    if (allow) throw new HttpError(405, 'method-not-allowed', `这个地址不接受 ${request.method} 请求，只接受 ${allow}。`, [], {}, { allow }, `${request.method} is not served at ${path}; it serves ${allow}`);
  });
  app.setNotFoundHandler((request, reply) => errorHandler(new HttpError(404, 'not-found', '没有这个页面或接口：请核对地址。', [], {}, {}, `no route ${request.method} ${request.url.split('?')[0]}`), request, reply));
  const guard = auditGuard(routes);
  const publicRoutes = new Set(routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`));
  registerRoutes(
    app,
    routes,
    async (request) => {
      // A bearer token (API clients) or the session cookie with its CSRF header on writes (the web UI).
      const signedIn = await authenticate(deps.db, request, deps.clock(), publicRoutes.has(`${request.method} ${request.routeOptions.url}`));
      guard(request, signedIn?.account);
      return signedIn?.account;
    },
    // Every route checked against the permission matrix (default deny); Idempotency-Key on every write.
    { prefetch: createPrefetch(deps.db, deps.clock), authorize: createAuthorizer(deps.db), idempotent: createIdempotency(deps.db, deps.clock) },
  );
  const document = openApiDocument(routes, API_INFO);
  app.get('/openapi.json', async () => document);
  registerWebRoutes(app);
  return app;
}
