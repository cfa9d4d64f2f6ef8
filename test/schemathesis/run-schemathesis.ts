/**
 * `npm run test:api-schema`: Schemathesis against the whole system, started here on embedded
 * defaults and free ports (a throw-away PostgreSQL data directory, the Temporal dev server in
 * memory, migrations, demo accounts, the worker and the API), once for each kind of caller:
 * anonymous, an applicant, an official and the auditor. Each run generates requests from
 * /openapi.json and checks every answer: no server error, a status the document declares, the
 * declared content type and headers, a body matching the declared schema, and that a signed-in
 * route refuses a caller without credentials. Fails if any caller has a failure.
 *
 * SCHEMATHESIS_MAX_EXAMPLES (default 50) and SCHEMATHESIS_CALLER_MINUTES (default 15) tune it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildApp } from '../../api/app.js';
import { loadOrCreateDevAuditKey } from '../../audit/signing-key.js';
import { readEnvironment } from '../../config/environment.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { createDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrations/index.js';
import { generatePersonalDataKey, parsePersonalDataKey, PersonalDataVault } from '../../db/personal-data-vault.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { unregisterDemoCompany } from '../support/legacy-company.js';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres.js';
import { freePort } from '../../dev/free-port.js';
import { temporalCli } from '../../dev/temporal-binaries.js';
import { bundleWorkflows, createCaseWorker } from '../../worker/create-worker.js';
import { freshCreditCode } from '../support/actors.js';
import { dramaSubmission } from '../support/filings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Installed by dev/bootstrap.mjs from PyPI, beside the Temporal servers. */
export const SCHEMATHESIS_DIR = path.join(ROOT, '.tools/schemathesis');
const REPORTS = path.join(ROOT, 'test-results/schemathesis');
const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 50);
const CALLER_MINUTES = Number(process.env.SCHEMATHESIS_CALLER_MINUTES ?? 15);

/** The default checks of Schemathesis that judge the answers against the document. */
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_headers_conformance', 'response_schema_conformance', 'ignored_auth'];

/** Who calls: nobody signed in, and one account of each kind that works on cases. */
const CALLERS: { name: string; username?: string }[] = [
  { name: 'anonymous' },
  { name: 'applicant', username: 'creator' },
  { name: 'official', username: 'fund-reviewer' },
  { name: 'auditor', username: 'auditor' },
];

const say = (line: string) => console.log(`[api-schema] ${line}`);

interface CallerResult {
  caller: string;
  operations: number;
  testCases: number;
  failures: number;
  errors: number;
  seconds: number;
  exitCode: number | null;
}

async function startSystem(work: string) {
  const stops: (() => Promise<unknown>)[] = [];
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(work, 'postgres'), database: 'youchuang', persistent: false, port: await freePort() });
  stops.unshift(() => postgres.stop());
  const db = createDb(postgres.url);
  stops.unshift(() => db.destroy());
  await migrateToLatest(db);
  const personalData = new PersonalDataVault(db, parsePersonalDataKey(generatePersonalDataKey(), 'a key for this run'));
  await seedDemoAccounts(db, new Date(), personalData);
  await unregisterDemoCompany(db);

  const temporal = await startTemporalDevServer();
  stops.unshift(() => temporal.teardown());
  const clock = () => new Date();
  const calendar = calendarFromDatabase(db);
  const workflowBundle = await bundleWorkflows();
  const taskQueue = 'api-schema';
  const worker = await createCaseWorker({ connection: temporal.nativeConnection, taskQueue, db, clock, calendar, workflowBundle });
  const running = worker.run();
  stops.unshift(async () => {
    worker.shutdown();
    await running;
  });

  const { key } = await loadOrCreateDevAuditKey(readEnvironment(), path.join(work, 'audit-signing-key.pem'));
  const app = await buildApp(
    { db, temporal: temporal.client, taskQueue, clock, calendar, personalData, audit: { key, workflowBundle: async () => workflowBundle } },
    { logger: { level: 'error' } },
  );
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  stops.unshift(() => app.close());
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      for (const stop of stops) await stop().catch((error: Error) => say(`while stopping: ${error.message}`));
    },
  };
}

async function signIn(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (response.status !== 200) throw new Error(`sign-in as ${username} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Opens a 雏鹰 loan case and a 微短剧 filing as the applicant: real ids for the generated requests to reach. */
async function openCases(base: string, applicantToken: string): Promise<string[]> {
  const open = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${applicantToken}` }, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { caseId: string }).caseId;
  };
  return [
    // A company of its own each time: a company holds one 雏鹰 loan at a time.
    await open('/api/cases/chuying-loan', {
      company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: freshCreditCode(), registeredDistrict: '杨浦区' },
      project: { name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' },
      requestedAmountFen: 40_000_000,
    }),
    await open('/api/cases/drama-planning-filing', dramaSubmission()),
  ];
}

/**
 * The served document with those case ids as examples of every caseId: random UUIDs alone only
 * ever meet 404, so the case views and actions would go unchecked.
 */
async function documentWithCases(base: string, caseIds: readonly string[], file: string): Promise<string> {
  type Parameter = { name: string; in: string; examples?: Record<string, { value: string }> };
  const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
  for (const operation of Object.values(document.paths).flatMap((methods) => Object.values(methods))) {
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'path' && parameter.name === 'caseId') parameter.examples = Object.fromEntries(caseIds.map((id, i) => [`case${i + 1}`, { value: id }]));
    }
  }
  await writeFile(file, JSON.stringify(document));
  return file;
}

/** Counts from the JUnit report: one test case per operation, its failures and errors. */
async function countsOf(junitFile: string): Promise<Pick<CallerResult, 'operations' | 'failures' | 'errors'>> {
  if (!existsSync(junitFile)) return { operations: 0, failures: 0, errors: 0 };
  const xml = await readFile(junitFile, 'utf8');
  const suite = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? '';
  const attribute = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  return { operations: attribute('tests'), failures: attribute('failures'), errors: attribute('errors') };
}

function runSchemathesis(args: string[], minutes: number, cwd: string): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-m', 'schemathesis.cli', ...args], {
      // Its replay store (.schemathesis/) goes to the run's scratch directory, not the checkout.
      cwd,
      env: { ...process.env, PYTHONPATH: SCHEMATHESIS_DIR, SCHEMATHESIS_HOOKS: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Schemathesis's own report goes to a file, and to the console only when the caller failed:
    // its closing rule ("=== 2 warnings in 70s ===") reads as a test run that executed no test.
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // Bounded in time: a run that outlasts its budget is stopped and counts as failed.
    const timer = setTimeout(() => {
      say(`stopping Schemathesis after ${minutes} minutes`);
      child.kill('SIGTERM');
    }, minutes * 60_000);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}

async function runCaller(base: string, document: string, caller: { name: string; token?: string }, work: string): Promise<CallerResult> {
  const junit = path.join(REPORTS, `${caller.name}.junit.xml`);
  await rm(junit, { force: true });
  const started = Date.now();
  const { exitCode, output } = await runSchemathesis(
    [
      'run',
      document,
      '--url',
      base,
      '--checks',
      CHECKS.join(','),
      '--max-examples',
      String(MAX_EXAMPLES),
      '--phases',
      'examples,coverage,fuzzing',
      // One worker: Python 3.11's parser is not thread-safe under Hypothesis ("AST constructor recursion depth mismatch").
      '--workers',
      '1',
      '--request-timeout',
      '30',
      '--seed',
      '20261202',
      '--report',
      'junit',
      '--report-junit-path',
      junit,
      '--suppress-health-check',
      'all',
      ...(caller.token ? ['--header', `Authorization: Bearer ${caller.token}`] : []),
      // Signing out would end the caller's own session halfway through its run.
      ...(caller.token ? ['--exclude-path', '/api/auth/logout'] : []),
    ],
    CALLER_MINUTES,
    work,
  );
  const testCases = Number(/(\d+) generated/.exec(output)?.[1] ?? /(\d+) test cases/.exec(output)?.[1] ?? 0);
  const log = path.join(REPORTS, `${caller.name}.log`);
  await writeFile(log, output);
  const counts = await countsOf(junit);
  if (exitCode !== 0 || counts.failures > 0 || counts.errors > 0) process.stdout.write(output);
  else say(`${caller.name}: Schemathesis's report is in ${path.relative(ROOT, log)}`);
  return { caller: caller.name, ...counts, testCases, seconds: Math.round((Date.now() - started) / 1000), exitCode };
}

async function main(): Promise<number> {
  if (!existsSync(path.join(SCHEMATHESIS_DIR, 'schemathesis'))) {
    console.error(`[api-schema] Schemathesis is not installed in ${SCHEMATHESIS_DIR}: run \`node dev/bootstrap.mjs\``);
    return 1;
  }
  // This script owns Ctrl-C; the Temporal runtime must not exit the process on it.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const started = Date.now();
  await mkdir(REPORTS, { recursive: true });
  const work = await mkdtemp(path.join(tmpdir(), 'youchuang-api-schema-'));
  say('starting PostgreSQL, Temporal, the worker and the API …');
  const system = await startSystem(work);
  const results: CallerResult[] = [];
  try {
    say(`API at ${system.base}`);
    // Every caller signs in first: fuzzing the sign-in route soon locks this address out for 15 minutes.
    const callers = await Promise.all(CALLERS.map(async (c) => ({ name: c.name, token: c.username ? await signIn(system.base, c.username) : undefined })));
    const caseIds = await openCases(system.base, callers.find((c) => c.name === 'applicant')!.token!);
    const document = await documentWithCases(system.base, caseIds, path.join(work, 'openapi.json'));
    for (const caller of callers) {
      say(`Schemathesis as ${caller.name} …`);
      results.push(await runCaller(system.base, document, caller, work));
    }
  } finally {
    await system.stop();
    await rm(work, { recursive: true, force: true });
  }
  console.log('');
  for (const r of results) {
    const verdict = r.exitCode === 0 && r.failures === 0 && r.errors === 0 ? 'passed' : 'FAILED';
    say(`${r.caller.padEnd(9)} ${verdict}: ${r.operations} operations, ${r.testCases} test cases, ${r.failures} failures, ${r.errors} errors, ${r.seconds} s (exit ${r.exitCode})`);
  }
  say(`whole run: ${Math.round((Date.now() - started) / 1000)} s; reports in ${path.relative(ROOT, REPORTS)}/`);
  // CI sums this with the vitest runs into its closing "N passed, N failed" line (dev/ci-summary.mjs).
  const failed = results.reduce((n, r) => n + r.failures + r.errors + (r.exitCode === 0 ? 0 : 1), 0);
  const passed = results.reduce((n, r) => n + Math.max(0, r.testCases - r.failures - r.errors), 0);
  await writeFile(path.join(REPORTS, 'summary.json'), JSON.stringify({ passed, failed, results }, null, 2));
  return results.every((r) => r.exitCode === 0 && r.failures === 0 && r.errors === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[api-schema] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);

/**
 * The Temporal dev server on ports it picks itself. Two "free port" picks made apart can be handed
 * the same port by the OS (the dev server's gRPC and HTTP ports once collided on a busy machine),
 * so a start that fails is tried again, up to three times.
 */
async function startTemporalDevServer(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createLocal({ server: { executable: temporalCli(), ip: '127.0.0.1', ui: false, log: { format: 'pretty', level: 'error' } } });
    } catch (error) {
      if (attempt >= 3) throw error;
      console.warn(`[api-schema] the Temporal dev server did not start (attempt ${attempt}): ${(error as Error).message.split('\n')[0]}; trying again`);
    }
  }
}
