import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STICKY_SCHEDULE_TO_START_TIMEOUT, workerOptionsFromEnvironment } from '../../config/worker-options.js';
import { createDb, type Db } from '../../db/client.js';
import { unregisterDemoCompany } from '../support/legacy-company.js';
import { startTemporalCluster, type TemporalCluster } from '../../dev/temporal-cluster.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { expectIntactAndRebuildable } from '../reliability/event-store-audit.js';
import { freshCreditCode } from '../support/actors.js';
import { newPersonalDataKey, request, runScript, sendReliably, startApi, startWorker, type Answer, type Deployment, type SystemProcess } from './system.js';

/**
 * The system as it runs in production, on one machine: a Temporal cluster built from the server's Go
 * module with its four services as four processes on PostgreSQL (dev/temporal-cluster.ts), the
 * application's database on the same PostgreSQL, `npm run bootstrap -- --demo`, two `npm run api`
 * and two `npm run worker` processes. Then the README's walkthroughs with requests alternating
 * between the APIs, and the faults an operator meets: a worker killed with kill -9 in the middle of a
 * case, an API killed in the middle of a load, a Temporal service restarted; afterwards the store is
 * checked as after every fault test, and the operators' search-attribute query is run.
 *
 * The parts run in order and share the deployment, as a day in production would.
 */
const DATA = fileURLToPath(new URL(`../../.data/topology-${process.pid}/`, import.meta.url));
let cluster: TemporalCluster;
let deployment: Deployment;
let superDb: Db;
let temporal: Client;
let temporalConnection: Connection;
const workers: (SystemProcess & { metricsPort: number })[] = [];
const apis: (SystemProcess & { base: string })[] = [];
const tokens: Record<string, string> = {};
const say = (line: string) => console.log(`[topology] ${line}`);

const aliveApis = () => apis.filter((a) => a.child.exitCode === null && a.child.signalCode === null).map((a) => a.base);
let turn = 0;
/** The next API in turn: consecutive requests go to different processes. */
const nextApi = () => {
  const alive = aliveApis();
  return alive[turn++ % alive.length]!;
};
const today = () => shanghaiDateOf(Date.now());

async function signIn(username: string): Promise<string> {
  const answer = await request(nextApi(), 'POST', '/api/auth/login', { body: { username, password: 'youchuang-demo' } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.token as string;
}

async function act(token: string, caseId: string, action: string, body: unknown, key?: string): Promise<Answer> {
  return request(nextApi(), 'POST', `/api/cases/${caseId}/${action}`, { token, body, ...(key ? { key } : {}) });
}

async function expectOk(answer: Promise<Answer> | Answer, status = 200): Promise<Answer> {
  const resolved = await answer;
  expect(resolved.status, JSON.stringify(resolved.body)).toBe(status);
  return resolved;
}

/** A loan for a company of its own: a company holds one 雏鹰 loan at a time, and this file opens many. */
const loan = () => ({
  company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: freshCreditCode(), registeredDistrict: '杨浦区' },
  project: { name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' },
  requestedAmountFen: 40_000_000,
});

async function applyForLoan(key = `topology-${randomUUID()}`): Promise<string> {
  const answer = await request(nextApi(), 'POST', '/api/cases/chuying-loan', { token: tokens.creator, body: loan(), key });
  expect([200, 201], JSON.stringify(answer.body)).toContain(answer.status);
  return answer.body.caseId as string;
}

/** The identity (`<pid>@<host>`) of the worker that completed the case's last workflow task: it holds the case in its sticky cache. */
async function lastWorkflowTaskWorker(caseId: string): Promise<string> {
  const history = await temporal.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
  const completed = (history.events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes).at(-1);
  return completed!.workflowTaskCompletedEventAttributes!.identity!;
}

beforeAll(async () => {
  const started = Date.now();
  cluster = await startTemporalCluster({ dataDir: DATA, say });
  deployment = { TEMPORAL_ADDRESS: cluster.address, DATABASE_URL: cluster.postgres.app.appUrl, PERSONAL_DATA_KEY: newPersonalDataKey() };
  // `npm run bootstrap -- --demo`: migrations as the owner, grants, and the demo accounts (no administrators asked for).
  const bootstrap = await runScript('db/bootstrap.ts', ['--demo'], { ...deployment, DATABASE_OWNER_URL: cluster.postgres.app.ownerUrl });
  expect(bootstrap.code, `${bootstrap.stdout}\n${bootstrap.stderr}`).toBe(0);
  superDb = createDb(cluster.postgres.app.url, { max: 4 });
  // The walkthrough's loans are each a company of its own (loan() gives a fresh code): see test/support/legacy-company.ts.
  await unregisterDemoCompany(superDb);
  // Two and two, started together as an orchestrator would.
  const [w1, w2, a1, a2] = await Promise.all([startWorker('worker-1', deployment), startWorker('worker-2', deployment), startApi('api-1', deployment), startApi('api-2', deployment)]);
  workers.push(w1, w2);
  apis.push(a1, a2);
  temporalConnection = await Connection.connect({ address: cluster.address });
  temporal = new Client({ connection: temporalConnection, namespace: cluster.namespace });
  for (const username of ['creator', 'fund-reviewer', 'fund-approver', 'cac-reviewer', 'filing-reviewer', 'filing-supervisor']) tokens[username] = await signIn(username);
  say(`deployment up in ${Math.round((Date.now() - started) / 1000)} s`);
}, 900_000);

afterAll(async () => {
  await Promise.all([...apis, ...workers].map((p) => p.stop('SIGKILL')));
  await temporalConnection?.close().catch(() => {});
  await superDb?.destroy().catch(() => {});
  await cluster?.stop();
  // The cluster's configuration and logs; its PostgreSQL data went with it.
  await rm(DATA, { recursive: true, force: true });
});

describe('the production topology: a Temporal cluster of four processes, two APIs, two workers', () => {
  let walkthroughCase = '';

  it('runs the README 雏鹰 walkthrough and a filing with requests alternating between the two APIs', async () => {
    const { creator: applicant, 'fund-reviewer': reviewer, 'fund-approver': approver, 'cac-reviewer': cac } = tokens as Record<string, string>;
    const schedule = await expectOk(request(nextApi(), 'GET', '/api/loans/chuying/schedule?principalFen=50000000&disbursedOn=2026-01-31'));
    expect(schedule.body.instalments).toHaveLength(36);

    walkthroughCase = await applyForLoan(`readme-${randomUUID()}`);
    const steps: [string, string, unknown, number, string?][] = [
      [reviewer!, 'request-supplement', { missingItems: ['营业执照副本', '项目预算表'] }, 200, 'awaiting-supplement'],
      [applicant!, 'provide-supplement', { responses: [{ item: '营业执照副本', response: 'license.pdf' }, { item: '项目预算表', response: 'budget.xlsx' }] }, 200],
      [reviewer!, 'accept-materials', {}, 200],
      [cac!, 'pass-compliance-review', { notes: '内容积极健康' }, 200],
      [reviewer!, 'approve-funding', { approvedAmountFen: 36_000_000 }, 403],
      [approver!, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核定 36 万元' }, 200],
      // One bank transaction is recorded on one loan: each run's references are its own.
      [reviewer!, 'record-disbursement', { disbursedOn: today(), bankReference: `BOC-${walkthroughCase}` }, 200],
      [reviewer!, 'record-repayment', { amountFen: 1_000_000, paidOn: today(), reference: `REPAY-1-${walkthroughCase}` }, 200, 'repaying'],
    ];
    for (const [token, action, body, status, expected] of steps) {
      const answer = await expectOk(act(token, walkthroughCase, action, body), status);
      if (expected) expect(answer.body.case.status).toBe(expected);
    }
    const view = await expectOk(request(nextApi(), 'GET', `/api/cases/${walkthroughCase}`, { token: applicant }));
    expect(view.body).toMatchObject({ status: 'repaying', outstandingFen: 35_000_000 });
    const events = await expectOk(request(nextApi(), 'GET', `/api/cases/${walkthroughCase}/events`, { token: applicant }));
    expect(events.body.events.map((e: { type: string }) => e.type)).toContain('RepaymentRecorded');

    // The filing walkthrough: 退回修改, resubmission, approval.
    const { creator: producer, 'filing-reviewer': filing, 'filing-supervisor': supervisor } = tokens as Record<string, string>;
    const drama = { title: '外滩往事', producer: '上海星河文化传媒有限公司', episodeCount: 80, episodeLengthMinutes: 2, aiGenerated: true, synopsis: '一个 AI 生成的外滩爱情故事', platform: '抖音' };
    const opened = await request(nextApi(), 'POST', '/api/cases/drama-planning-filing', { token: producer, body: drama });
    expect([200, 201], JSON.stringify(opened.body)).toContain(opened.status);
    const filingCase = opened.body.caseId as string;
    const queue = await expectOk(request(nextApi(), 'GET', '/api/filings/queue', { token: filing }));
    expect(queue.body.filings.map((f: { caseId: string }) => f.caseId)).toContain(filingCase);
    await expectOk(act(filing!, filingCase, 'claim', {}));
    await expectOk(act(filing!, filingCase, 'return-for-revision', { reasons: ['第 3 集未标注 AI 生成'] }));
    await expectOk(act(producer!, filingCase, 'resubmit', { filing: drama, changeNote: '已补充 AI 生成标识' }));
    await expectOk(act(filing!, filingCase, 'claim', {}));
    const approved = await expectOk(act(filing!, filingCase, 'approve', { notes: '同意备案' }));
    expect(approved.body.case.status).toBe('approved');
    const filingView = await expectOk(request(nextApi(), 'GET', `/api/cases/${filingCase}`, { token: producer }));
    expect(filingView.body.rounds).toHaveLength(2);
    await expectOk(request(nextApi(), 'GET', '/api/filings/sla', { token: supervisor }));

    // Both APIs served the cases; the workflow tasks were done by the two worker processes and nothing else.
    for (const api of apis) expect(api.lines.some((l) => l.includes('"url":"/api/cases/')), `${api.name} served no case request`).toBe(true);
    for (const caseId of [walkthroughCase, filingCase]) {
      const history = await temporal.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
      for (const e of history.events ?? []) {
        const identity = e.workflowTaskCompletedEventAttributes?.identity;
        if (identity) expect(workers.map((w) => w.pid)).toContain(Number(identity.split('@')[0]));
      }
    }
  });

  it('goes on within 2 s on the other worker when the worker holding the case is killed with kill -9', async () => {
    // The production default, in force in the workers started above.
    expect(DEFAULT_STICKY_SCHEDULE_TO_START_TIMEOUT).toBe('1s');
    expect(workerOptionsFromEnvironment({}).stickyQueueScheduleToStartTimeout).toBe(1_000);
    for (const worker of workers) expect(worker.lines.find((l) => l.startsWith('[worker] running'))).toContain('sticky schedule-to-start timeout 1000 ms');

    const caseId = await applyForLoan();
    await expectOk(act(tokens['fund-reviewer']!, caseId, 'accept-materials', {}));
    const holder = await lastWorkflowTaskWorker(caseId);
    const victim = workers.find((w) => holder.startsWith(`${w.pid}@`));
    expect(victim, `no worker has identity ${holder}`).toBeDefined();
    const survivor = workers.find((w) => w !== victim)!;

    expect(await victim!.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = performance.now();
    const next = await act(tokens['cac-reviewer']!, caseId, 'pass-compliance-review', { notes: '内容积极健康' });
    const seconds = (performance.now() - killedAt) / 1000;
    say(`kill -9 of the worker holding the case → its next action answered in ${seconds.toFixed(2)} s`);
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.case.status).toBe('funding-decision');
    expect(seconds).toBeLessThan(2);
    expect(await lastWorkflowTaskWorker(caseId)).toMatch(new RegExp(`^${survivor.pid}@`));

    // Back to two workers for what follows, as the orchestrator would.
    workers.splice(workers.indexOf(victim!), 1, await startWorker('worker-3', deployment));
  });

  it('loses nothing and counts nothing twice when one API is killed in the middle of a load', async () => {
    const before = await superDb.selectFrom('cases').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const repayments = Array.from({ length: 16 }, (_, i) => ({ kind: 'repayment' as const, key: `load-repay-${randomUUID()}`, reference: `LOAD-${i + 1}-${randomUUID()}` }));
    const openings = Array.from({ length: 8 }, () => ({ kind: 'opening' as const, key: `load-open-${randomUUID()}`, body: loan() }));
    // Interleaved: a repayment, an opening, a repayment, a repayment, an opening, …
    const load = repayments.flatMap((r, i) => (i % 2 === 0 ? [r, openings[i / 2]!] : [r]));
    const victim = apis[0]!;
    let answered = 0;
    let killed: Promise<unknown> | undefined;
    const answers = new Map<string, Answer & { attempts: number }>();
    // Four clients at a time; each request starts on the next API in turn (so half of them on the victim).
    let index = 0;
    const lanes = Array.from({ length: 4 }, async () => {
      while (index < load.length) {
        const item = load[index++]!;
        const first = nextApi();
        // First the API in turn; once it is gone, the others.
        const order = () => {
          const alive = aliveApis();
          return alive.includes(first) ? [first, ...alive.filter((b) => b !== first)] : alive;
        };
        const answer =
          item.kind === 'repayment'
            ? await sendReliably(order, 'POST', `/api/cases/${walkthroughCase}/record-repayment`, {
                token: tokens['fund-reviewer']!,
                key: item.key,
                body: { amountFen: 100, paidOn: today(), reference: item.reference },
              })
            : await sendReliably(order, 'POST', '/api/cases/chuying-loan', { token: tokens.creator!, key: item.key, body: item.body });
        answers.set(item.key, answer);
        if (++answered === 6) killed = victim.stop('SIGKILL');
      }
    });
    await Promise.all(lanes);
    await killed;
    expect(victim.child.signalCode).toBe('SIGKILL');
    say(`load: ${load.length} requests, ${[...answers.values()].filter((a) => a.attempts > 1).length} retried after the kill`);

    // Every request answered with success: a repayment recorded by its first attempt or found recorded by a retry.
    for (const item of load) expect(answers.get(item.key)?.status, `${item.key}: ${JSON.stringify(answers.get(item.key)?.body)}`).toBeLessThan(300);
    const events = await superDb.selectFrom('events').select(['event_type', 'payload']).where('stream_id', '=', walkthroughCase).execute();
    const recorded = events.filter((e) => e.event_type === 'RepaymentRecorded').map((e) => (e.payload as { reference: string }).reference);
    for (const { reference } of repayments) expect(recorded.filter((r) => r === reference), reference).toHaveLength(1);
    const view = await superDb.selectFrom('cases').select(['status']).where('case_id', '=', walkthroughCase).executeTakeFirstOrThrow();
    expect(view.status).toBe('repaying');
    const outstanding = await expectOk(request(nextApi(), 'GET', `/api/cases/${walkthroughCase}`, { token: tokens.creator }));
    expect(outstanding.body.outstandingFen).toBe(35_000_000 - 16 * 100);
    // One case per opening key, no more.
    const opened = new Set(openings.map((o) => answers.get(o.key)!.body.caseId as string));
    expect(opened.size).toBe(openings.length);
    const after = await superDb.selectFrom('cases').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(openings.length);

    apis.splice(apis.indexOf(victim), 1, await startApi('api-3', deployment));
  }, 400_000);

  it('goes on with its cases when a whole Temporal service is restarted', async () => {
    const caseId = await applyForLoan();
    const reviewer = tokens['fund-reviewer']!;
    await expectOk(act(reviewer, caseId, 'accept-materials', {}));
    const reliably = (action: string, body: unknown) =>
      sendReliably(aliveApis, 'POST', `/api/cases/${caseId}/${action}`, { token: action === 'pass-compliance-review' ? tokens['cac-reviewer']! : action === 'approve-funding' ? tokens['fund-approver']! : reviewer, key: `restart-${randomUUID()}`, body });

    let started = performance.now();
    await cluster.restart('history');
    say(`history service restarted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect((await reliably('pass-compliance-review', { notes: '内容积极健康' })).body.case.status).toBe('funding-decision');

    started = performance.now();
    await cluster.restart('matching');
    say(`matching service restarted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect((await reliably('approve-funding', { approvedAmountFen: 36_000_000, notes: '核定 36 万元' })).status).toBe(200);
    expect((await reliably('record-disbursement', { disbursedOn: today(), bankReference: `BOC-RESTART-${caseId}` })).body.case.status).toBe('repaying');

    // A repayment in flight while the history service goes down and comes back: recorded once.
    const inFlight = reliably('record-repayment', { amountFen: 5_000, paidOn: today(), reference: `REPAY-DURING-RESTART-${caseId}` });
    await cluster.restart('history');
    const answer = await inFlight;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const events = await superDb.selectFrom('events').select(['event_type', 'payload']).where('stream_id', '=', caseId).execute();
    expect(events.filter((e) => e.event_type === 'RepaymentRecorded' && (e.payload as { reference: string }).reference === `REPAY-DURING-RESTART-${caseId}`)).toHaveLength(1);
  }, 300_000);

  it('afterwards: every hash chain verifies, the read models rebuild identically, the audit tools agree', async () => {
    const env = { DATABASE_URL: cluster.postgres.app.appUrl, TEMPORAL_ADDRESS: cluster.address };
    // The auditor's tools first (`npm run audit -- verify`, `-- replay`), so that a failed rebuild below hides neither.
    const verify = await runScript('audit/cli.ts', ['verify'], env);
    expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    // The case that lived through the API kill's load replays from the cluster's history against the current code.
    const replay = await runScript('audit/cli.ts', ['replay', walkthroughCase], env);
    expect(replay.code, `${replay.stdout}\n${replay.stderr}`).toBe(0);
    const check = await expectIntactAndRebuildable(superDb, cluster.postgres.app.url);
    expect(check.streams).toBeGreaterThan(10);
  }, 300_000);

  it('lists exactly the repaying cases with `temporal workflow list --query "CaseStatus=\'repaying\'"`', async () => {
    const repaying = (await superDb.selectFrom('cases').select('case_id').where('status', '=', 'repaying').execute()).map((r) => caseWorkflowId(r.case_id)).sort();
    expect(repaying.length).toBeGreaterThanOrEqual(2);
    // Visibility is eventually consistent: the last change shows a moment after it was made.
    let listed: string[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const output = await cluster.cli(['workflow', 'list', '--namespace', cluster.namespace, '--query', "CaseStatus='repaying'", '--output', 'json']);
      listed = (JSON.parse(output) as { execution: { workflowId: string } }[]).map((w) => w.execution.workflowId).sort();
      if (listed.join() === repaying.join()) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(listed).toEqual(repaying);
  });
});
