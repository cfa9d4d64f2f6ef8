import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { accountForToken } from './auth/sessions.js';
import type { ApiDependencies } from './dependencies.js';
import { errorHandler, HttpError } from './http-errors.js';
import { openApiDocument, registerRoutes, route, type RouteDefinition } from './route.js';
import { authRoutes, bearerToken } from './routes/auth.routes.js';
import { caseRoutes } from './routes/cases.routes.js';
import { programmeRoutes } from './routes/programmes.routes.js';
import { chuyingScheduleRoutes } from './routes/chuying-schedule.routes.js';
import { landingPage } from './landing-page.js';

export const API_INFO = {
  title: '优创 Youchuang API',
  version: '0.1.0',
  description: "Cases of Shanghai's support programmes for internet quality-content creators. Money is in integer fen; dates are Asia/Shanghai.",
};

/** Every route the API serves, in one list: the OpenAPI document and the tests walk the same list. */
export function apiRoutes(deps: ApiDependencies): RouteDefinition[] {
  const routes: RouteDefinition[] = [...authRoutes(deps), ...chuyingScheduleRoutes(deps), ...caseRoutes(deps), ...programmeRoutes(deps)];
  routes.push(
    route({
      method: 'GET',
      url: '/api/health',
      summary: 'Whether the database and Temporal answer',
      tag: 'system',
      access: 'public',
      async handle({ reply }) {
        const [database, temporal] = await Promise.all([
          sql`SELECT 1`.execute(deps.db).then(() => 'ok', (e: Error) => e.message),
          deps.temporal.connection.workflowService.getSystemInfo({}).then(() => 'ok', (e: Error) => e.message),
        ]);
        const healthy = database === 'ok' && temporal === 'ok';
        return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', database, temporal });
      },
    }),
  );
  return routes;
}

/** Builds the app without listening: the server listens, tests `inject`. */
export async function buildApp(deps: ApiDependencies, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024, onProtoPoisoning: 'error', onConstructorPoisoning: 'error' });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => errorHandler(new HttpError(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`), request, reply));
  const routes = apiRoutes(deps);
  registerRoutes(app, routes, async (request) => {
    const token = bearerToken(request.headers.authorization);
    return token ? accountForToken(deps.db, token, deps.clock()) : undefined;
  });
  const document = openApiDocument(routes, API_INFO);
  app.get('/openapi.json', async () => document);
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(landingPage()));
  return app;
}
