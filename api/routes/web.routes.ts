import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance, FastifyReply } from 'fastify';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

/** Everything the page loads comes from this server: no CDN, no inline script, no other origin. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

let bundle: Promise<string> | undefined;

/** web/src compiled by esbuild once per process, on first request: nothing to build beforehand. */
export function webBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [`${WEB}src/main.ts`],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  }).then(
    (result) => result.outputFiles[0]!.text,
    (error: Error) => {
      bundle = undefined;
      throw error;
    },
  );
  return bundle;
}

const send = (reply: FastifyReply, type: string, body: string) => reply.headers(SECURITY_HEADERS).type(type).send(body);

/** The web UI for applicants, officials and auditors, on the API's own port. */
export function registerWebRoutes(app: FastifyInstance): void {
  const file = (name: string) => readFile(`${WEB}${name}`, 'utf8');
  app.get('/', async (_request, reply) => send(reply, 'text/html; charset=utf-8', await file('index.html')));
  app.get('/app.css', async (_request, reply) => send(reply, 'text/css; charset=utf-8', await file('styles.css')));
  app.get('/favicon.svg', async (_request, reply) => send(reply, 'image/svg+xml', await file('favicon.svg')));
  app.get('/app.js', async (_request, reply) => send(reply, 'text/javascript; charset=utf-8', await webBundle()));
}
