import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../audit/case-bundle.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { fundReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { checkpointNow, forgeBundle, LoanCase, testKey, type BundleLine } from './support.js';

/**
 * What the checkpoint's signature covers is decided by signed data only: the case's head signed under
 * the streams root (the manifest's inclusion path), never the events' globalPosition (outside the
 * event hash) or the unsigned manifest. An export signs a fresh checkpoint first, so that every event
 * is covered; a bundle with events the signature does not cover fails unless --allow-unsigned-tail.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERIFIER = path.join(ROOT, 'tools/verify-bundle.mjs');
const run = promisify(execFile);
const key = testKey();
let database: TestDatabase;
let root: string;
let loan: LoanCase;
let exported: string;

interface VerifierResult {
  exitCode: number;
  ok: boolean;
  checks: { name: string; ok: boolean; title: string; detail: string }[];
  warnings: string[];
  facts: { coveredVersion: number; eventsAfterCheckpoint: number; checkpoint?: { checkpointNo: number } };
}

type Outcome = { code: number; stdout: string; stderr: string };
const outcome = (p: Promise<{ stdout: string; stderr: string }>): Promise<Outcome> =>
  p.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

/** The verifier as an outside auditor runs it: plain node, no database, no environment. */
const verifyText = (bundle: string, ...args: string[]) => outcome(run(process.execPath, [VERIFIER, bundle, ...args], { env: {} }));
async function verify(bundle: string, ...args: string[]): Promise<VerifierResult> {
  const { code, stdout } = await verifyText(bundle, '--json', ...args);
  return { exitCode: code, ...(JSON.parse(stdout) as Omit<VerifierResult, 'exitCode'>) };
}
const failed = (r: VerifierResult) => r.checks.filter((c) => !c.ok).map((c) => c.name);
const detailOf = (r: VerifierResult, name: string) => r.checks.find((c) => c.name === name)?.detail;

/** `npm run audit -- …` through tsx, against the test database; with the signing key unless `signing` is false. */
function audit(args: string[], signing = true): Promise<Outcome> {
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, DATABASE_URL: database.url };
  if (signing) env.AUDIT_SIGNING_KEY = key.privateKey!.export({ type: 'pkcs8', format: 'pem' }).toString();
  return outcome(run(process.execPath, ['--import', 'tsx', 'audit/cli.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }));
}

async function copyOf(name: string): Promise<string> {
  const dir = path.join(root, name);
  await cp(exported, dir, { recursive: true });
  return dir;
}

/** The changes the tester made to the loan's payloads: the amount asked for and the bank's reference. */
const editPayloads = (lines: BundleLine[]) =>
  lines.map((l) => {
    if (l.type === 'LoanApplicationSubmitted') return { ...l, data: { ...l.data, requestedAmountFen: 99_000_000 } };
    if (l.type === 'LoanDisbursed') return { ...l, data: { ...l.data, bankReference: 'FORGED-0001' } };
    return l;
  });

beforeAll(async () => {
  database = await createTestDatabase();
  root = path.join(tmpdir(), `youchuang-signed-coverage-${randomBytes(4).toString('hex')}`);
  await mkdir(root, { recursive: true });
  for (let i = 0; i < 3; i++) await new LoanCase(database.db).submit(`2026-03-0${i + 1}T02:00:00.000Z`);
  loan = await new LoanCase(database.db).toFirstRepayment();
  await checkpointNow(database.db, key);
  // Recorded after the latest checkpoint: only a checkpoint signed at export time covers it.
  await loan.act(fundReviewer, { type: 'RecordRepayment', amountFen: 1_500_000, paidOn: parseLocalDate('2026-05-11'), reference: 'R2' }, '2026-05-11T03:00:00.000Z');
  exported = path.join(root, 'exported');
  const cli = await audit(['export', loan.caseId, exported]);
  expect(cli.code, cli.stderr).toBe(0);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await database?.drop();
});

describe('npm run audit -- export signs a fresh checkpoint', () => {
  it('so that every event of the bundle is under the signature, and verify-bundle says so in Chinese', async () => {
    const manifest = JSON.parse(await readFile(path.join(exported, 'manifest.json'), 'utf8')) as BundleManifest;
    expect(manifest).toMatchObject({ events: { count: 7 }, checkpoint: { checkpointNo: 2, reason: 'on-demand', requestedBy: 'cli export' }, inclusion: { version: 7 } });

    const result = await verify(exported, '--key-id', key.keyId);
    expect(failed(result)).toEqual([]);
    expect(result).toMatchObject({ exitCode: 0, ok: true, warnings: [], facts: { coveredVersion: 7, eventsAfterCheckpoint: 0 } });
    expect(result.checks.map((c) => c.name)).not.toContain('unsigned tail');
    expect(detailOf(result, 'checkpoint coverage')).toBe('第 1–7 版正是检查点 #2 签署的事件');

    const text = await verifyText(exported, '--key-id', key.keyId);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('✓ 哈希链完整：7 个事件，第 1–7 版，每个哈希都已重算');
    expect(text.stdout).toContain('✓ 签名覆盖成立：第 1–7 版正是检查点 #2 签署的事件');
    expect(text.stdout).toContain(`校验通过：案件 ${loan.caseId} 的证据包完整，第 1–7 版全部由检查点 #2 的签名证明。`);
  });

  it('without a signing key keeps the latest checkpoint: the events after it fail, unless --allow-unsigned-tail, loudly', async () => {
    await loan.act(fundReviewer, { type: 'RecordRepayment', amountFen: 1_500_000, paidOn: parseLocalDate('2026-06-10'), reference: 'R3' }, '2026-06-10T03:00:00.000Z');
    const dir = path.join(root, 'unsigned-export');
    const cli = await audit(['export', loan.caseId, dir], false);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('检查点 #2');
    expect(cli.stdout).toContain('有 1 个事件没有签名证明：tools/verify-bundle.mjs 会判定不通过，除非加 --allow-unsigned-tail');

    const strict = await verify(dir, '--key-id', key.keyId);
    expect(strict).toMatchObject({ exitCode: 1, ok: false });
    expect(failed(strict)).toEqual(['unsigned tail']);
    expect(detailOf(strict, 'unsigned tail')).toContain('检查点 #2 签署的本案链头是第 7 版，其后的事件是签署之后才记录的；第 8 版（共 1 个事件）未经签名证明');

    const allowed = await verifyText(dir, '--key-id', key.keyId, '--allow-unsigned-tail');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('! ！！！注意：第 8 版没有任何签名证明，只因指定了 --allow-unsigned-tail 才放行');
    expect(allowed.stdout).toContain(`校验通过，但有保留：案件 ${loan.caseId} 的证据包中只有第 1–7 版经检查点 #2 签名证明，另有 1 个事件仅因 --allow-unsigned-tail 放行`);
  });
});

describe('a forged bundle no longer passes on unsigned data', () => {
  it('fails the tester’s forgery: payloads edited, every hash recomputed, positions pushed past the checkpoint, inclusion null', async () => {
    const dir = await copyOf('forged');
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    const beyond = manifest.checkpoint!.position + 1000;
    await forgeBundle(
      dir,
      (lines) => editPayloads(lines).map((l, i) => ({ ...l, globalPosition: beyond + i })),
      (m) => {
        m.inclusion = null;
      },
    );
    const events = await readFile(path.join(dir, 'events.jsonl'), 'utf8');
    expect(events).toContain('"requestedAmountFen":99000000');
    expect(events).toContain('"bankReference":"FORGED-0001"');

    const result = await verify(dir, '--key-id', key.keyId);
    expect(result).toMatchObject({ exitCode: 1, ok: false });
    // Files, chain, head and summary were all made consistent: only the signature's coverage can tell.
    expect(failed(result)).toEqual(['unsigned tail']);
    expect(detailOf(result, 'unsigned tail')).toContain('检查点 #2 没有为本案签署任何版本：清单中没有从本案链头到签名流根的包含路径（inclusion 为空）；第 1–7 版（共 7 个事件）未经签名证明');

    const text = await verifyText(dir, '--key-id', key.keyId);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('✗ 有未经签名证明的事件：检查点 #2 没有为本案签署任何版本');
    expect(text.stdout).toContain(`校验未通过：案件 ${loan.caseId} 的证据包有 1 项检查未通过`);
    expect(text.stdout).not.toContain('校验通过');
  });

  it('fails the same forgery with the inclusion path kept: the bundle’s events do not match the signed head', async () => {
    const dir = await copyOf('forged-with-path');
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    await forgeBundle(dir, (lines) => editPayloads(lines).map((l, i) => ({ ...l, globalPosition: manifest.checkpoint!.position + 1000 + i })));
    const result = await verify(dir, '--key-id', key.keyId);
    expect(result.exitCode).toBe(1);
    expect(failed(result)).toEqual(['checkpoint coverage']);
    expect(detailOf(result, 'checkpoint coverage')).toContain('检查点 #2 签署的本案链头是第 7 版');
    expect(detailOf(result, 'checkpoint coverage')).toContain('签名覆盖的事件被改动、删除、重排或截短');
  });

  it('fails genuine events whose log positions were moved past the checkpoint: positions are outside the hash and decide nothing', async () => {
    const dir = await copyOf('moved-positions');
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    await forgeBundle(dir, (lines) => lines.map((l, i) => ({ ...l, globalPosition: manifest.checkpoint!.position + 1000 + i })));
    const result = await verify(dir, '--key-id', key.keyId);
    expect(result.exitCode).toBe(1);
    expect(failed(result)).toEqual(['checkpoint coverage']);
    expect(detailOf(result, 'checkpoint coverage')).toContain('日志位置不受事件哈希保护，被改动过');
  });

  it('with --allow-unsigned-tail the forgery passes only under a loud warning that nothing is signed', async () => {
    const dir = await copyOf('forged-allowed');
    await forgeBundle(dir, editPayloads, (m) => {
      m.inclusion = null;
    });
    const result = await verify(dir, '--key-id', key.keyId, '--allow-unsigned-tail');
    expect(result.exitCode).toBe(0);
    expect(result.facts).toMatchObject({ coveredVersion: 0, eventsAfterCheckpoint: 7 });
    expect(result.warnings.join('\n')).toContain('！！！注意：第 1–7 版没有任何签名证明');
    expect(result.warnings.join('\n')).toContain('这些事件可能是伪造的，不能作为证据');
  });
});
