import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCaseRuns, witnessCase, type CaseRuns } from '../../audit/history-witness.js';
import { verifyCase } from '../../audit/verify-store.js';
import type { JsonHistory } from '../../audit/workflow-replay.js';
import { appendToStream, readStream, type StoredEvent } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import { repayingLoan, startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { tamperAsSuperuser } from '../db/support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

// ---- the history as Temporal writes it (JSON), built by hand for the rules ----

const json = (value: unknown) => ({ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(value)).toString('base64') });
const actor = { accountId: 'demo-fund-reviewer', displayName: '王审查', role: 'official', department: 'yangpu-fund' };

interface Asked {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

/** A run that asked for each batch to be appended; `failed` batches' activities never completed. */
function runOf(batches: Asked[][], failed: ReadonlySet<number> = new Set()): JsonHistory {
  const events: JsonHistory['events'] = [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflowExecutionStartedEventAttributes: {} }];
  for (const [i, batch] of batches.entries()) {
    const scheduledId = String(events.length + 1);
    events.push({
      eventId: scheduledId,
      eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
      activityTaskScheduledEventAttributes: {
        activityType: { name: 'appendCaseEvents' },
        input: { payloads: [json({ streamId: 'c', streamType: 'chuying-loan', expectedVersion: 0, events: batch.map((e) => ({ ...e, metadata: { actor, correlationId: 'c', causationId: 'x' } })) })] },
      },
    });
    events.push(
      failed.has(i)
        ? { eventId: String(events.length + 1), eventType: 'EVENT_TYPE_ACTIVITY_TASK_FAILED', activityTaskFailedEventAttributes: { scheduledEventId: scheduledId } }
        : { eventId: String(events.length + 1), eventType: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED', activityTaskCompletedEventAttributes: { scheduledEventId: scheduledId } },
    );
  }
  return { events };
}

function stored(asked: Asked[], changes: Partial<Record<number, Partial<Asked>>> = {}): StoredEvent[] {
  return asked.map((e, i) => ({
    globalPosition: i + 1,
    streamId: 'c',
    streamVersion: i + 1,
    eventId: e.eventId,
    type: changes[i]?.type ?? e.type,
    schemaVersion: 1,
    // Stored jsonb gives its keys back in its own order: the comparison must not care.
    data: Object.fromEntries(Object.entries(changes[i]?.data ?? e.data).reverse()),
    metadata: { actor, correlationId: 'c', causationId: 'x' },
    recordedAt: new Date('2026-03-05T02:00:00Z'),
    prevHash: '',
    hash: '',
    hashVersion: 2,
  }));
}

const opened: Asked = { eventId: randomUUID(), type: 'ApplicationSubmitted', data: { requestedAmountFen: 40_000_000, company: '上海星河文化传媒有限公司' } };
const accepted: Asked = { eventId: randomUUID(), type: 'MaterialsAccepted', data: { acceptedAt: '2026-03-05T02:00:00.000Z' } };
const repaid: Asked = { eventId: randomUUID(), type: 'RepaymentRecorded', data: { amountFen: 1_000_000, paidOn: '2026-03-05' } };
const whole = (...histories: JsonHistory[]): CaseRuns => ({ histories: histories.map((history, i) => ({ runId: `run-${i}`, history })), complete: true });

describe('the workflow history witnesses each event of its case', () => {
  it('vouches for every event the workflow appended, across its continued runs, whatever the stored key order', () => {
    const report = witnessCase('c', stored([opened, accepted, repaid]), whole(runOf([[opened]]), runOf([[accepted], [repaid]])));
    expect(report).toMatchObject({ intact: true, events: 3, witnessed: 3, unchecked: 0, runs: 2, problems: [] });
    expect(report.summary).toBe('案件 c：记录库中的 3 个事件都与工作流 case-c 的历史相符，没有流程以外写入或改动的事件。');
  });

  it('names an event no append of the workflow held: written around the case workflow', () => {
    const forged: Asked = { eventId: randomUUID(), type: 'RepaymentRecorded', data: { amountFen: 36_000_000, paidOn: '2026-03-06' } };
    const report = witnessCase('c', stored([opened, accepted, forged]), whole(runOf([[opened], [accepted]])));
    expect(report.intact).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'not-written-by-workflow', version: 3, eventId: forged.eventId, type: 'RepaymentRecorded', message: expect.stringContaining('第 3 版事件 RepaymentRecorded') }),
    ]);
    expect(report.problems[0]!.message).toContain('不是本案的工作流写入的');
    expect(report.problems[0]!.message).toContain('记为王审查（工作人员，杨浦区 V聚场基金）办理');
  });

  it('names an event whose data, type or actor is not what the workflow wrote', () => {
    const report = witnessCase('c', stored([opened, accepted, repaid], { 2: { data: { amountFen: 36_000_000, paidOn: '2026-03-05' } } }), whole(runOf([[opened], [accepted], [repaid]])));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'differs-from-workflow', version: 3, message: expect.stringMatching(/^第 3 版事件 RepaymentRecorded（事件编号 .+）的内容与本案工作流写入时不同（工作流历史第 6 个事件安排的写入）/) })]);
    const retyped = witnessCase('c', stored([opened, accepted], { 1: { type: 'ComplianceReviewPassed' } }), whole(runOf([[opened], [accepted]])));
    expect(retyped.problems[0]!.message).toContain('的类型（流程写入的是 MaterialsAccepted）与本案工作流写入时不同');
  });

  it('names an event the workflow saw appended that the store no longer has, and not one whose append failed', () => {
    const lost = witnessCase('c', stored([opened]), whole(runOf([[opened], [accepted]])));
    expect(lost.problems).toEqual([expect.objectContaining({ kind: 'missing-from-store', version: null, eventId: accepted.eventId, message: expect.stringContaining('记录库中却没有它') })]);
    // A refused append (another award landed first) wrote nothing, and nothing is missing.
    expect(witnessCase('c', stored([opened]), whole(runOf([[opened], [accepted]], new Set([1])))).intact).toBe(true);
  });

  it('reports the events of runs Temporal no longer keeps as not checked, not as forged, and still checks the rest', () => {
    const forged: Asked = { eventId: randomUUID(), type: 'RepaymentRecorded', data: { amountFen: 1 } };
    const kept = { histories: [{ runId: 'run-2', history: runOf([[repaid]]) }], complete: false };
    const report = witnessCase('c', stored([opened, accepted, repaid]), kept);
    expect(report).toMatchObject({ intact: true, witnessed: 1, unchecked: 2 });
    expect(report.summary).toContain('前 2 个事件由流程引擎已不再保存（超过保留期）的运行写入，未能核对');
    // An event after the first one the kept history vouches for is the kept runs' to account for.
    const after = witnessCase('c', stored([opened, accepted, repaid, forged]), kept);
    expect(after.problems).toEqual([expect.objectContaining({ kind: 'not-written-by-workflow', version: 4 })]);
  });
});

describe('a case run by its real workflow', () => {
  let harness: ApiHarness;
  let caseId: string;
  beforeAll(async () => {
    harness = await startApiHarness();
    caseId = await repayingLoan(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const audit = async (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'audit/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: harness.database.url, TEMPORAL_ADDRESS: harness.env.address },
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('finds a repayment appended with the application database role, which the hash chain takes as its own', async () => {
    const db = harness.database.db;
    const before = await readStream(db, caseId);
    const clean = witnessCase(caseId, before, await fetchCaseRuns(harness.env.client, caseId));
    expect(clean).toMatchObject({ intact: true, events: before.length, witnessed: before.length, unchecked: 0 });
    const referenceNo = (await db.selectFrom('cases').select('reference_no').where('case_id', '=', caseId).executeTakeFirstOrThrow()).reference_no;
    const cleanCli = await audit('witness', referenceNo);
    expect(cleanCli.code, cleanCli.stderr).toBe(0);
    expect(cleanCli.stdout).toContain(`✓ 案件 ${referenceNo}（${caseId}）：记录库中的 ${before.length} 个事件都与工作流 case-${caseId} 的历史相符`);

    const auditor = await harness.as('auditor');
    const page = await auditor('GET', `/api/audit/cases/${caseId}/witness`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ intact: true, events: before.length, witnessed: before.length });
    expect((await (await harness.as('fund-reviewer'))('GET', `/api/audit/cases/${caseId}/witness`)).statusCode).toBe(403);
    const nowhere = await auditor('GET', '/api/audit/cases/00000000-0000-4000-8000-000000000000/witness');
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json().message).toMatch(/^没有编号为 .+ 的办件/);

    // What the outside tester did: a repayment of the whole loan appended as the application would, outside the workflow.
    const last = before.at(-1)!;
    await appendToStream(
      db,
      {
        streamId: caseId,
        streamType: 'chuying-loan',
        expectedVersion: last.streamVersion,
        events: [{ eventId: randomUUID(), type: 'RepaymentRecorded', data: { ...(before.find((e) => e.type === 'RepaymentRecorded')!.data), amountFen: 35_000_000, reference: `FORGED-${caseId}` }, metadata: last.metadata }],
      },
      { now: () => new Date(), project: projectReadModels },
    );
    // The chain holds: the database hashed the forgery in.
    expect((await verifyCase(db, caseId, {})).intact).toBe(true);

    const forged = witnessCase(caseId, await readStream(db, caseId), await fetchCaseRuns(harness.env.client, caseId));
    expect(forged.problems).toEqual([expect.objectContaining({ kind: 'not-written-by-workflow', version: last.streamVersion + 1, type: 'RepaymentRecorded' })]);
    expect((await auditor('GET', `/api/audit/cases/${caseId}/witness`)).json()).toMatchObject({ intact: false, problems: [{ kind: 'not-written-by-workflow', version: last.streamVersion + 1 }] });

    // An event's amount rewritten in place by the superuser, too.
    await tamperAsSuperuser(harness.database.url, [
      { text: "UPDATE events SET payload = jsonb_set(payload, '{amountFen}', '1') WHERE stream_id = $1 AND event_type = 'RepaymentRecorded' AND stream_version < $2", values: [caseId, last.streamVersion + 1] },
    ]);
    const cli = await audit('witness');
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/^已用工作流历史核对 1 个案件的 \d+ 个事件：\d+ 个与本案工作流写入的相符。$/m);
    expect(cli.stdout).toContain(`${referenceNo}：第 ${last.streamVersion + 1} 版事件 RepaymentRecorded`);
    expect(cli.stdout).toMatch(/第 \d+ 版事件 RepaymentRecorded（事件编号 [^）]+）的内容与本案工作流写入时不同/);
    expect(cli.stdout).toContain('发现 2 处不符。');
  });

  it('finds the decision deleted with the latest checkpoint, which a new checkpoint would then sign as whole', async () => {
    // An outside tester deleted a case's last event and the checkpoint that signed it, then had a new
    // checkpoint signed over the shortened log: the chain, the checkpoints and the bundle all passed.
    const db = harness.database.db;
    const loan = await repayingLoan(harness);
    const events = await readStream(db, loan);
    const last = events.at(-1)!;
    await tamperAsSuperuser(harness.database.url, [
      { text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version = $2', values: [loan, last.streamVersion] },
      { text: 'UPDATE streams SET version = $2, head_hash = $3 WHERE stream_id = $1', values: [loan, last.streamVersion - 1, events.at(-2)!.hash] },
    ]);
    expect((await verifyCase(db, loan, {})).intact).toBe(true);

    const report = witnessCase(loan, await readStream(db, loan), await fetchCaseRuns(harness.env.client, loan));
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'missing-from-store', version: null, eventId: last.eventId, type: last.type, message: expect.stringContaining('记录库中却没有它：它被删掉了') })]);
  });
});
