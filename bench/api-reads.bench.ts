import http from 'node:http';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { CompiledQuery, Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import { buildApp } from '../api/app.js';
import { packagedCalendar } from '../db/calendar/official-arrangements.js';
import { createPool } from '../db/client.js';
import type { Database } from '../db/database.js';
import { appendToStream } from '../db/event-store.js';
import { projectReadModels } from '../db/projections/index.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../db/seed/demo-accounts.js';
import { cacReviewer, fundApprover, fundReviewer } from '../test/support/actors.js';
import { asNewEvents, ChuyingHistory } from '../test/support/chuying-history.js';
import type { BenchContext } from './context.js';
import { now, percentile, Progress, round } from './measure.js';
import { ratio, type BenchmarkResult } from './report.js';

const QUEUE_URL = '/api/cases?waitingFor=yangpu-fund&limit=25';

/**
 * Reads at 100,000 cases, with writes going on: p50 and p99 of GET /api/cases/:id and of a
 * filtered 25-row queue page over real HTTP on loopback ÷ the same SQL issued directly. "The same
 * SQL" is what the route itself sent: the API's Kysely logs its statements, the benchmark takes the
 * ones on `cases` and re-issues them (new ids substituted) through the same kind of pool.
 *
 * The 100,000 rows: six cases at different steps go through the real append path and projection,
 * then their read-model rows are cloned with `INSERT … SELECT` (new ids, reference numbers,
 * applicants, times; `state` patched to match). They are valid read-model rows without events.
 */
export async function apiReads(ctx: BenchContext): Promise<BenchmarkResult> {
  const totalCases = ctx.quick ? 20_000 : 100_000;
  const samples = ctx.quick ? 300 : 2_000;
  const { db, url } = await ctx.database('bench_api');
  const progress = new Progress('API reads');

  // Templates through the real path, then clones.
  const stages: ((h: ChuyingHistory) => void)[] = [
    (h) => h.submit(),
    (h) => (h.submit(), h.act(fundReviewer, { type: 'RequestSupplement', missingItems: ['项目预算表'] })),
    (h) => (h.submit(), h.act(fundReviewer, { type: 'AcceptMaterials' })),
    (h) => (h.submit(), h.act(fundReviewer, { type: 'AcceptMaterials' }), h.act(cacReviewer, { type: 'PassComplianceReview', notes: '通过' })),
    (h) => (
      h.submit(),
      h.act(fundReviewer, { type: 'AcceptMaterials' }),
      h.act(cacReviewer, { type: 'PassComplianceReview', notes: '通过' }),
      h.act(fundApprover, { type: 'ApproveFunding', approvedAmountFen: 30_000_000, notes: '核减至 30 万元' })
    ),
    (h) => {
      h.fullLife(3);
    },
  ];
  const templates: string[] = [];
  for (const stage of stages) {
    const history = new ChuyingHistory();
    stage(history);
    await appendToStream(db, { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: 0, events: asNewEvents(history.decided, history.caseId) }, { now: () => new Date(), project: projectReadModels });
    templates.push(history.caseId);
  }
  const columns = (await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'cases' AND table_schema = current_schema() ORDER BY ordinal_position`.execute(db)).rows.map((r) => r.column_name);
  const cloned: Record<string, string> = {
    case_id: 'n.id',
    reference_no: `t.reference_no || '-' || g`,
    applicant_account_id: `'bench-applicant-' || (g % 2000)`,
    opened_at: `t.opened_at - make_interval(secs => g * 37)`,
    updated_at: `t.updated_at - make_interval(secs => g * 37)`,
    state: `jsonb_set(jsonb_set(t.state, '{caseId}', to_jsonb(n.id::text)), '{referenceNo}', to_jsonb(t.reference_no || '-' || g))`,
  };
  const select = columns.map((c) => cloned[c] ?? `t.${c}`).join(', ');
  const perTemplate = Math.ceil((totalCases - templates.length) / templates.length);
  // The clones copy their template's bank references; they are rows to read, not loans that
  // recorded money, so the register of one reference per loan (a trigger on cases) stays out of it.
  await sql`ALTER TABLE cases DISABLE TRIGGER cases_money_references_added`.execute(db);
  for (const [i, template] of templates.entries()) {
    progress.update(`seeding ${totalCases.toLocaleString('en')} cases: ${i * perTemplate}`);
    await sql
      .raw(
        `INSERT INTO cases (${columns.join(', ')})
         SELECT ${select} FROM cases t CROSS JOIN generate_series(1, ${perTemplate}) g CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id, g AS seq) n
         WHERE t.case_id = '${template}'`,
      )
      .execute(db);
  }
  await sql`ALTER TABLE cases ENABLE TRIGGER cases_money_references_added`.execute(db);
  await sql`ANALYZE cases`.execute(db);
  const caseCount = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases`.execute(db)).rows[0]!.n);
  const ids = (await sql<{ case_id: string }>`SELECT case_id FROM cases TABLESAMPLE SYSTEM (5) LIMIT 5000`.execute(db)).rows.map((r) => r.case_id);
  const waiting = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases WHERE waiting_for_department = 'yangpu-fund'`.execute(db)).rows[0]!.n);

  // The API, with a Kysely of its own whose statements are recorded.
  let recorded: CompiledQuery[] = [];
  const apiDb = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPool(url) }),
    log: (event: LogEvent) => {
      if (event.level === 'query') recorded.push(event.query);
    },
  });
  await seedDemoAccounts(apiDb, new Date());
  const app = await buildApp({ db: apiDb, temporal: ctx.temporal.client, taskQueue: 'bench-unused', clock: () => new Date(), calendar: async () => packagedCalendar() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fund-reviewer', password: DEMO_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  // The client is node:http on one kept-alive connection, as a browser or a proxy holds its own.
  // fetch (undici) was measured costing 0.1–0.2 ms of this process's CPU per request on its own
  // side of the loopback, time the API did not spend; its figure is kept in the details.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get(`${base}${path}`, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`GET ${path} answered ${response.statusCode}: ${Buffer.concat(chunks).toString()}`))));
          response.on('error', reject);
        })
        .on('error', reject);
    });
  const getWithFetch = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  const direct = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(url) }) });

  /** The statements on `cases` a request made, as a function of the case id it was made with. */
  const captureSql = async (path: string, id?: string) => {
    recorded = [];
    await get(path);
    const statements = recorded.filter((q) => /\bfrom "cases"/i.test(q.sql));
    if (statements.length === 0) throw new Error(`no statement on cases was recorded for ${path}`);
    return (nextId?: string) => statements.map((q) => CompiledQuery.raw(q.sql, q.parameters.map((p) => (id !== undefined && p === id ? nextId : p)) as unknown[]));
  };
  const caseSql = await captureSql(`/api/cases/${ids[0]}`, ids[0]);
  const queueSql = await captureSql(QUEUE_URL);

  // Writes in the background, on cases of their own, for the whole measurement (bench/api-reads-writer.ts).
  const writer = ctx.quick ? 1 : 2;
  const counter = new SharedArrayBuffer(4);
  const appended = new Int32Array(counter);
  const writerThread = new Worker(new URL('./api-reads-writer.mjs', import.meta.url), { workerData: { url, writers: writer, counter } });
  const writerStopped = new Promise<void>((resolve, reject) => {
    writerThread.once('error', reject);
    writerThread.on('message', (message) => message === 'stopped' && resolve());
  });
  const writes = () => Atomics.load(appended, 0);

  const times = { apiCase: [] as number[], sqlCase: [] as number[], apiQueue: [] as number[], sqlQueue: [] as number[], apiCaseFetch: [] as number[] };
  const timed = async (into: number[], work: () => Promise<unknown>) => {
    const started = now();
    await work();
    into.push(now() - started);
  };
  const runSql = async (statements: CompiledQuery[]) => {
    for (const statement of statements) await direct.executeQuery(statement);
  };
  const measureStarted = now();
  for (let i = 0; i < samples; i++) {
    const apiId = ids[Math.floor(Math.random() * ids.length)]!;
    const sqlId = ids[Math.floor(Math.random() * ids.length)]!;
    const steps = [
      () => timed(times.apiCase, () => get(`/api/cases/${apiId}`)),
      () => timed(times.sqlCase, () => runSql(caseSql(sqlId))),
      () => timed(times.apiQueue, () => get(QUEUE_URL)),
      () => timed(times.sqlQueue, () => runSql(queueSql())),
      () => timed(times.apiCaseFetch, () => getWithFetch(`/api/cases/${apiId}`)),
    ];
    // Alternate the order, so that neither side always reads right after the other warmed the cache.
    for (const step of i % 2 === 0 ? steps : steps.reverse()) await step();
    if (i % 50 === 0) progress.update(`${i}/${samples} samples of each; ${writes()} background appends`);
  }
  const seconds = (now() - measureStarted) / 1000;
  writerThread.postMessage('stop');
  await writerStopped;
  await writerThread.terminate();
  agent.destroy();
  await app.close();
  await apiDb.destroy();
  await direct.destroy();

  const p = (values: number[], q: number) => percentile(values, q);
  progress.done(
    `get-case p50 ${round(p(times.apiCase, 50))} vs ${round(p(times.sqlCase, 50))} ms; queue p50 ${round(p(times.apiQueue, 50))} vs ${round(p(times.sqlQueue, 50))} ms; ${round(writes() / seconds)} appends/s behind`,
  );
  const entry = (name: string, api: number[], direct: number[], q: number, what: string) =>
    ratio(
      'API reads',
      `${name} p${q} ÷ same SQL`,
      `p${q} latency of ${what} over HTTP on loopback (auth, validation, view, JSON) at ${caseCount.toLocaleString('en')} cases with background appends, divided by p${q} of the same SQL statements issued directly`,
      { what: `HTTP ${name}`, value: p(api, q), unit: 'ms' },
      { what: 'same SQL, direct', value: p(direct, q), unit: 'ms' },
    );
  return {
    ratios: [
      entry('GET /api/cases/:id', times.apiCase, times.sqlCase, 50, 'GET /api/cases/:id'),
      entry('GET /api/cases/:id', times.apiCase, times.sqlCase, 99, 'GET /api/cases/:id'),
      entry('queue page', times.apiQueue, times.sqlQueue, 50, `GET ${QUEUE_URL} (a filtered 25-row queue page)`),
      entry('queue page', times.apiQueue, times.sqlQueue, 99, `GET ${QUEUE_URL} (a filtered 25-row queue page)`),
    ],
    details: {
      cases: caseCount,
      waitingForYangpuFund: waiting,
      samplesPerEndpoint: samples,
      backgroundWriters: writer,
      backgroundAppendsPerSecond: round(writes() / seconds),
      client: 'node:http, one kept-alive connection',
      getCaseWithFetchP50Ms: round(p(times.apiCaseFetch, 50)),
      getCaseWithFetchP50OverSql: round(p(times.apiCaseFetch, 50) / p(times.sqlCase, 50)),
      seeding: 'six template cases through appendToStream + projection, cloned with INSERT … SELECT into valid read-model rows (no events behind the clones)',
      caseSql: caseSql(ids[0]).map((q) => q.sql),
      queueSql: queueSql().map((q) => q.sql),
    },
  };
}
