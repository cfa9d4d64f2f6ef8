import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { CaseBundle } from '../../audit/case-bundle.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { repayingLoan, startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { testKey } from './support.js';

/**
 * The audit page's 导出案件证据包: GET /api/audit/cases/:caseId/export signs an on-demand checkpoint
 * first (when the server has the signing key), and the page saves the answer as one file,
 * <ref>-bundle.json, which tools/verify-bundle.mjs checks offline like an exported directory.
 */

const VERIFIER = fileURLToPath(new URL('../../tools/verify-bundle.mjs', import.meta.url));
const run = promisify(execFile);
const key = testKey();
let harness: ApiHarness;
/** The API with the audit key (the harness's own app has none). */
let signing: FastifyInstance;
let root: string;
let caseId: string;
let referenceNo: string;
type Caller = (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<LightMyRequestResponse>;

async function signIn(app: FastifyInstance, username: string): Promise<Caller> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const token = login.json<{ token: string }>().token;
  return (method, url, body) => app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
}

interface VerifierResult {
  exitCode: number;
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  warnings: string[];
  facts: { coveredVersion: number; eventsAfterCheckpoint: number };
}
type Outcome = { code: number; stdout: string; stderr: string };
/** The verifier as an outside auditor runs it: plain node, no database, no environment. */
const verifyText = (bundle: string, ...args: string[]): Promise<Outcome> =>
  run(process.execPath, [VERIFIER, bundle, ...args], { env: {} }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
async function verify(bundle: string, ...args: string[]): Promise<VerifierResult> {
  const { code, stdout } = await verifyText(bundle, '--json', ...args);
  return { exitCode: code, ...(JSON.parse(stdout) as Omit<VerifierResult, 'exitCode'>) };
}
const failed = (r: VerifierResult) => r.checks.filter((c) => !c.ok).map((c) => c.name);

/** What the page does with the answer: JSON.stringify(bundle, null, 2) into <ref>-bundle.json. */
async function saveAsThePageDoes(name: string, bundle: unknown): Promise<string> {
  const file = path.join(root, name);
  await writeFile(file, JSON.stringify(bundle, null, 2));
  return file;
}

beforeAll(async () => {
  harness = await startApiHarness();
  signing = await buildApp({
    db: harness.database.db,
    temporal: harness.env.client,
    taskQueue: 'bundle-export-api-test',
    clock: () => new Date(),
    calendar: calendarFromDatabase(harness.database.db),
    personalData: harness.personalData,
    audit: { key },
  });
  root = path.join(tmpdir(), `youchuang-web-bundles-${randomBytes(4).toString('hex')}`);
  await mkdir(root, { recursive: true });
  // A loan through the real workflow to 还款中: its steps, the time limits they start, a disbursement and a repayment.
  caseId = await repayingLoan(harness);
  referenceNo = (await (await harness.as('auditor'))('GET', `/api/audit/cases/${caseId}/events`)).json<{ events: { data: { referenceNo?: string } }[] }>().events[0]!.data.referenceNo!;
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await signing?.close();
  await harness?.close();
});

describe('the audit page’s 导出案件证据包', () => {
  it('signs an on-demand checkpoint first, so every event is covered, and the single <ref>-bundle.json verifies offline', async () => {
    const auditor = await signIn(signing, 'auditor');
    expect((await auditor('GET', '/api/audit/checkpoints')).json()).toMatchObject({ checkpoints: [] });
    const response = await auditor('GET', `/api/audit/cases/${caseId}/export`);
    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json<CaseBundle>();
    const count = bundle.manifest.events.count;
    expect(count).toBeGreaterThanOrEqual(7);
    expect(bundle.manifest).toMatchObject({ caseId, checkpoint: { checkpointNo: 1, reason: 'on-demand', requestedBy: 'demo-auditor', keyId: key.keyId }, inclusion: { version: count } });

    expect(referenceNo).toMatch(/^CY-/);
    const file = await saveAsThePageDoes(`${referenceNo}-bundle.json`, bundle);
    const result = await verify(file, '--key-id', key.keyId);
    expect(failed(result)).toEqual([]);
    expect(result).toMatchObject({ exitCode: 0, ok: true, warnings: [], facts: { coveredVersion: count, eventsAfterCheckpoint: 0 } });
    expect(result.checks.map((c) => c.name)).toEqual(['format', 'file events.jsonl', 'file summary.csv', 'hash chain', 'head', 'summary.csv', 'checkpoint signature', 'signing key', 'checkpoint coverage']);

    const text = await verifyText(file, '--key-id', key.keyId);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('（单文件 JSON 证据包）');
    expect(text.stdout).toContain(`校验通过：案件 ${caseId} 的证据包完整，第 1–${count} 版全部由检查点 #1 的签名证明。`);
  });

  it('runs the same checks on the single file: an edited payload, or its two manifests disagreeing, fails', async () => {
    const auditor = await signIn(signing, 'auditor');
    const bundle = (await auditor('GET', `/api/audit/cases/${caseId}/export`)).json<CaseBundle>();
    const edited = structuredClone(bundle);
    edited.files['events.jsonl'] = edited.files['events.jsonl'].replace('"requestedAmountFen":40000000', '"requestedAmountFen":49000000');
    expect(edited.files['events.jsonl']).not.toBe(bundle.files['events.jsonl']);
    const editedResult = await verify(await saveAsThePageDoes('edited-bundle.json', edited), '--key-id', key.keyId);
    expect(editedResult.exitCode).toBe(1);
    expect(failed(editedResult)).toEqual(['file events.jsonl', 'hash chain']);
    expect(editedResult.checks.find((c) => c.name === 'hash chain')!.detail).toBe('第 1 版（第 1 行）：内容与其哈希不符（写入后被改动）');

    const twoManifests = structuredClone(bundle);
    twoManifests.manifest.exportedBy = '别人';
    const manifestResult = await verify(await saveAsThePageDoes('two-manifests-bundle.json', twoManifests), '--key-id', key.keyId);
    expect(manifestResult.exitCode).toBe(1);
    expect(failed(manifestResult)).toEqual(['manifest']);

    // The manifest is unsigned: a changed exporter is not proven either way, and is not presented as checked; an export dated before the evidence it holds fails.
    const backdated = structuredClone(bundle);
    backdated.manifest.exportedAt = '2025-12-04T18:37:36.294Z';
    backdated.files['manifest.json'] = JSON.stringify({ ...JSON.parse(backdated.files['manifest.json']), exportedAt: '2025-12-04T18:37:36.294Z' }, null, 2);
    const backdatedResult = await verify(await saveAsThePageDoes('backdated-bundle.json', backdated), '--key-id', key.keyId);
    expect(backdatedResult.exitCode).toBe(1);
    expect(failed(backdatedResult)).toEqual(['export time']);
    expect(backdatedResult.checks.find((c) => c.name === 'export time')!.detail).toMatch(/^清单记载导出于 2025-12-04T18:37:36\.294Z，早于(第 \d+ 版事件的记录时间|检查点 #\d+ 的签署时间) .+：清单未签名，被改动过$/);
    expect(backdatedResult.checks.find((c) => c.name === 'format')!.detail).toContain('（清单未签名：导出人和导出时间仅供参考，不是校验结论）');

    // A file cut or garbled so that it is no longer JSON: told in Chinese where, not in the parser's English.
    const garbled = path.join(root, 'garbled-bundle.json');
    await writeFile(garbled, JSON.stringify(bundle).replace('"files"', '"fil\\q"'));
    const unreadable = await verifyText(garbled, '--key-id', key.keyId);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/JSON 格式有误（约在第 \d+ 个字符处），文件可能被截断或改动过/);
    expect(unreadable.stderr).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{4,}/);
  });

  it('without a signing key signs nothing: the single file then fails on the events after the latest checkpoint, unless --allow-unsigned-tail', async () => {
    const reviewer = await harness.as('fund-reviewer');
    const repaid = await reviewer('POST', `/api/cases/${caseId}/record-repayment`, { amountFen: 500_000, paidOn: shanghaiDateOf(Date.now()), reference: `R2-${caseId}` });
    expect(repaid.statusCode, repaid.body).toBe(200);
    // The harness's own API has no audit key.
    const response = await (await harness.as('auditor'))('GET', `/api/audit/cases/${caseId}/export`);
    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json<CaseBundle>();
    const signed = bundle.manifest.inclusion!.version;
    expect(bundle.manifest.events.count).toBeGreaterThan(signed);
    const file = await saveAsThePageDoes(`${referenceNo}-unsigned-bundle.json`, bundle);

    const strict = await verify(file, '--key-id', key.keyId);
    expect(strict.exitCode).toBe(1);
    expect(failed(strict)).toEqual(['unsigned tail']);
    expect(strict.checks.find((c) => c.name === 'unsigned tail')!.detail).toContain(`检查点 #1 签署的本案链头是第 ${signed} 版，其后的事件是签署之后才记录的`);

    const allowed = await verify(file, '--key-id', key.keyId, '--allow-unsigned-tail');
    expect(allowed.exitCode).toBe(0);
    expect(allowed.warnings.join('\n')).toContain('只因指定了 --allow-unsigned-tail 才放行');
  });

  it('exits 2 for a JSON file that is not a bundle, saying so', async () => {
    const file = await saveAsThePageDoes('not-a-bundle.json', { hello: 'world' });
    const result = await verifyText(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('这个 JSON 文件不是证据包');
  });
});
