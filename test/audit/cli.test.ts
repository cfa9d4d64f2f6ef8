import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTimeSkippingEnvironment } from '../support/temporal.js';
import { tamperAsSuperuser } from '../db/support.js';
import { createCheckpoint } from '../../audit/checkpoints.js';
import { checkpointNow, LoanCase, tamperWithCheckpoints, testKey } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const key = testKey();
let database: TestDatabase;
let loan: LoanCase;
let dir: string;

const SIGNING_KEY = { AUDIT_SIGNING_KEY: key.privateKey!.export({ type: 'pkcs8', format: 'pem' }).toString() };

/** `npm run audit -- …` as a person runs it (through tsx), against the test database (with the signing key unless told otherwise). */
async function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return auditWith(SIGNING_KEY, ...args);
}

async function auditWith(keys: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, DATABASE_URL: database.url, ...keys };
  return run(process.execPath, ['--import', 'tsx', 'audit/cli.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/**
 * The CLI speaks Chinese: an outside tester found English warnings in it. Four lowercase words in a
 * row are a sentence; names it keeps as they are (AUDIT_PUBLIC_KEY, --checkpoints, npm run audit --) are not.
 */
function englishSentences(text: string): string[] {
  return text.match(/\b[a-z]{2,}(?: [a-z]{2,}){3,}\b/g) ?? [];
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = path.join(tmpdir(), `youchuang-cli-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  loan = await new LoanCase(database.db).toApproval();
  await checkpointNow(database.db, key);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await database?.drop();
});

describe('npm run audit', () => {
  it('as-of and diff say which versions of the case the signed checkpoint proves, before the state', async () => {
    const signed = await audit('as-of', loan.caseId, '2026-03-05');
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout.split('\n')[0]).toMatch(/^检查点 #1（.+签署）的签名证明了本案第 1 至第 4 版；此后的记录只由哈希链保护。$/);
    const diff = await audit('diff', loan.caseId, '2026-03-01', '2026-03-05');
    expect(diff.stdout.split('\n')[0]).toBe(signed.stdout.split('\n')[0]);
  });

  it('verify: reports events, streams, rate and checkpoints, with progress on stderr, and exits 0 when intact', async () => {
    const { code, stdout, stderr } = await audit('verify');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^已核验 4 个事件，共 1 条事件流，用时 \d+\.\d 秒（每秒 [\d,]+ 个事件）。$/m);
    expect(stdout).toContain(`检查点：核验 1 个（以可信密钥 ${key.keyId}）；最新为 #1，日志位置 4`);
    expect(stdout).toContain('没有发现问题：记录完好。');
    // What it did not check is said, and how to: the read models people are shown.
    expect(stdout).toContain('读模型（办件页面、列表和台账显示的内容）未在此比对：请再运行 `npm run audit -- drift`');
    expect(stderr).toMatch(/100% 已核验 4\/4 个事件，每秒 [\d,]+ 个/);
    expect(englishSentences(stdout + stderr)).toEqual([]);
  });

  it('verify without a trusted key: warns in Chinese that the signatures were checked against the stored keys', async () => {
    const store = await auditWith({}, 'verify');
    expect(store.code).toBe(0);
    expect(store.stdout).toContain('  ! 未配置可信公钥（AUDIT_SIGNING_KEY 或 AUDIT_PUBLIC_KEY）：检查点的签名是用与检查点存放在一起的公钥核对的');
    const one = await auditWith({}, 'verify', '--case', loan.caseId);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('  ! 未配置可信公钥（AUDIT_SIGNING_KEY 或 AUDIT_PUBLIC_KEY）：检查点的签名是用与它存放在一起的公钥核对的');
    expect(englishSentences(store.stdout + store.stderr + one.stdout + one.stderr)).toEqual([]);
  });

  it('as-of and diff: the case on a date, and who changed what since', async () => {
    const asOf = await audit('as-of', loan.caseId, '2026-03-03');
    expect(asOf.code).toBe(0);
    expect(asOf.stdout).toContain(`案件 ${loan.input.referenceNo}（${loan.caseId}，雏鹰计划（V聚场基金）创业借款 [chuying-loan]）在 2026-03-03T23:59:59+08:00`);
    expect(asOf.stdout).toContain('第 2 版，最后一个事件为 材料审查通过 [MaterialsAccepted]，2026-03-03T10:00:00+08:00 由王审查（工作人员，杨浦区 V聚场基金）记录；此后又记录了 2 个事件。');
    // The state in words, field by field, as the diff names them; its keys and codes only under --json.
    expect(asOf.stdout).toContain('\n  环节：网信内容合规审查\n');
    expect(asOf.stdout).toContain('\n  申请金额：500,000.00 元\n');
    expect(asOf.stdout).not.toMatch(/"status"|compliance-review|requestedAmountFen/);
    expect(JSON.parse((await audit('as-of', loan.caseId, '2026-03-03', '--json')).stdout).state).toMatchObject({ status: 'compliance-review' });
    // The 补正 rounds in words, read from the events (this loan had none).
    expect(asOf.stdout).toContain('  补正：无。');

    const diff = await audit('diff', loan.caseId, '2026-03-03', '2026-03-05T12:00:00+08:00');
    expect(diff.code).toBe(0);
    // Each event by its title (its type as recorded beside it), who recorded it by role and department in words.
    expect(diff.stdout).toContain('第 3 版  2026-03-04T10:00:00+08:00  网信内容合规审查通过 [ComplianceReviewPassed]，张网信（工作人员，市委网信办）');
    expect(diff.stdout).toContain('第 4 版  2026-03-05T10:00:00+08:00  评审决策：同意资助 [FundingApproved]，李决策（工作人员，杨浦区 V聚场基金）');
    expect(diff.stdout).toContain('  环节：网信内容合规审查 → 待放款');
    expect(diff.stdout).toContain('  核定金额：— → 360,000.00 元');
    expect(englishSentences(asOf.stdout + asOf.stderr + diff.stdout + diff.stderr)).toEqual([]);
  });

  it("events: each event by its title, who recorded it by role and department in words, and its hash", async () => {
    const { code, stdout } = await audit('events', loan.caseId);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`案件 ${loan.input.referenceNo}（${loan.caseId}，雏鹰计划（V聚场基金）创业借款 [chuying-loan]），4 个事件：`);
    expect(lines[1]).toMatch(/^  第 1 版  2026-03-02T10:00:00\+08:00  提交借款申请 \[LoanApplicationSubmitted\]  \S+（申请人）  [0-9a-f]{12}…$/);
    expect(lines[2]).toMatch(/^  第 2 版  2026-03-03T10:00:00\+08:00  材料审查通过 \[MaterialsAccepted\]  王审查（工作人员，杨浦区 V聚场基金）  [0-9a-f]{12}…$/);
    expect(stdout).not.toMatch(/official|applicant|yangpu-fund|\bcac\b/);
  });

  it('export: a bundle the standalone verifier passes', async () => {
    const bundle = path.join(dir, 'bundle');
    const exported = await audit('export', loan.caseId, bundle);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`可在任何地方核验：node tools/verify-bundle.mjs ${bundle} --key-id ${key.keyId}`);
    const verified = await run(process.execPath, [path.join(ROOT, 'tools/verify-bundle.mjs'), bundle, '--key-id', key.keyId], { env: {} });
    expect(verified.stdout).toContain(`校验通过：案件 ${loan.caseId} 的证据包完整，第 1–4 版全部由检查点 #1 的签名证明。`);
  });

  it('takes a case by its 申请编号 as well as by its id, in any letter case, and names it by both', async () => {
    const numbered = new LoanCase(database.db);
    Object.assign(numbered.input, { referenceNo: 'CY-2026-000032' });
    await numbered.toApproval();
    const named = `案件 CY-2026-000032（${numbered.caseId}，雏鹰计划（V聚场基金）创业借款 [chuying-loan]）`;

    const events = await audit('events', ' cy-2026-000032 ');
    expect(events.code, events.stderr).toBe(0);
    expect(events.stdout.split('\n')[0]).toBe(`${named}，4 个事件：`);
    expect(JSON.parse((await audit('events', 'CY-2026-000032', '--json')).stdout)).toMatchObject({ caseId: numbered.caseId, referenceNo: 'CY-2026-000032' });

    // A number stored in lower case (these tests' CY-TEST-<hex>) is found whatever case it is typed in.
    const typedUp = await audit('events', loan.input.referenceNo.toUpperCase());
    expect(typedUp.stdout.split('\n')[0]).toBe(`案件 ${loan.input.referenceNo}（${loan.caseId}，雏鹰计划（V聚场基金）创业借款 [chuying-loan]），4 个事件：`);

    const asOf = await audit('as-of', 'CY-2026-000032', '2026-03-03');
    expect(asOf.code, asOf.stderr).toBe(0);
    expect(asOf.stdout).toContain(`${named}在 2026-03-03T23:59:59+08:00`);
    // The same case as by its id, which names it the same way.
    expect((await audit('as-of', numbered.caseId, '2026-03-03')).stdout).toBe(asOf.stdout);

    const diff = await audit('diff', 'Cy-2026-000032', '2026-03-03', '2026-03-05T12:00:00+08:00');
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(`${named}从 `);
    expect(diff.stdout).toContain('  核定金额：— → 360,000.00 元');

    const verified = await audit('verify', '--case', 'cy-2026-000032');
    expect(verified.stdout).toContain(`${named}：4 个事件`);
    expect(verified.stdout).toContain('读模型：本案在 cases、loan_instalments、filing_reviews 中的行，与由本案 4 个事件重建的相符。');

    const bundle = path.join(dir, 'numbered-bundle');
    const exported = await audit('export', 'CY-2026-000032', bundle, '--no-checkpoint');
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(bundle, 'manifest.json'), 'utf8'))).toMatchObject({ caseId: numbered.caseId });

    // A number no case has: said in Chinese, before anything else is tried (replay does not reach the workflow engine).
    for (const args of [['events', 'CY-2026-999999'], ['as-of', 'CY-2026-999999', '2026-03-05'], ['diff', 'CY-2026-999999', '2026-03-01', '2026-03-05'], ['verify', '--case', 'CY-2026-999999'], ['export', 'CY-2026-999999', path.join(dir, 'none')], ['replay', 'CY-2026-999999']]) {
      const unknown = await audit(...args);
      expect(unknown.code, args.join(' ')).toBe(2);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toBe('没有申请编号为 CY-2026-999999 的案件：请核对编号（申请编号如 CY-2026-000032，大小写均可；也可以写案件编号）。\n');
    }
    expect(englishSentences(events.stdout + asOf.stdout + diff.stdout + verified.stdout + exported.stdout)).toEqual([]);
  });

  it('verify --checkpoints: against exported checkpoints, a deleted checkpoint and a cut-off event exit 1 with each problem', async () => {
    const file = path.join(dir, 'checkpoints.json');
    expect((await audit('checkpoint', 'export', file)).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ keyId: key.keyId, checkpoints: [{ checkpointNo: 1, eventCount: 4 }] });

    await tamperAsSuperuser(database.url, [{ text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 4', values: [loan.caseId] }]);
    await tamperWithCheckpoints(database.url, ['DELETE FROM audit_checkpoints']);
    const { code, stdout } = await audit('verify', '--checkpoints', file);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ [检查点缺失] 检查点 #1（日志位置 4');
    expect(stdout).toContain('它被删除了');
    expect(stdout).toContain('✗ [检查点] 截至日志位置 4 的日志与检查点 #1');
    // Named by its 申请编号 too: the auditor opens the case by it.
    expect(stdout).toContain(`✗ [链头]（案件 ${loan.input.referenceNo}） ${loan.caseId}：链头记录为第 4 版`);
  });

  it('replay --history: a saved history the current code no longer produces exits 1, naming the event', async () => {
    const history = JSON.parse(await readFile(path.join(ROOT, 'test/fixtures/histories/chuying-loan.compliance-failed.json'), 'utf8'));
    const scheduled = history.events.find((e: { eventType: string }) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'sendFax';
    const file = path.join(dir, 'history.json');
    await writeFile(file, JSON.stringify(history));
    const { code, stdout } = await audit('replay', loan.caseId, '--history', file);
    expect(code).toBe(1);
    expect(stdout).toContain(`✗ 案件 ${loan.caseId}：当前工作流代码不能重现工作流 case-${loan.caseId} 的第 ${scheduled.eventId} 个历史事件 ActivityTaskScheduled (sendFax)`);
  });

  it("verify --case: the events, then the case's own read-model rows against them, and what neither covers", async () => {
    const checked = await new LoanCase(database.db).toApproval();
    const intact = await audit('verify', '--case', checked.caseId);
    expect(intact.code).toBe(0);
    // (No checkpoint to stand against: the test before deleted them.)
    expect(intact.stdout).toContain('完好：本案的事件记录（哈希链、链头）未被改动。');
    expect(intact.stdout).toContain('读模型：本案在 cases、loan_instalments、filing_reviews 中的行，与由本案 4 个事件重建的相符。');
    expect(intact.stdout).toContain('  与其他案件共用的读模型（预算台账、奖补台账、通知等）不在此核验之内：请用 npm run audit -- drift 核验全部读模型。');

    // The row the officials work from, changed by hand: the events are still intact, and that is not 完好 enough.
    await sql`UPDATE cases SET status = 'completed' WHERE case_id = ${checked.caseId}`.execute(database.db);
    const changed = await audit('verify', '--case', checked.caseId);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('读模型有偏差：本案在 cases、loan_instalments、filing_reviews 中有 1 行与由其事件重建的不符（工作人员看到的是现有的行）：');
    expect(changed.stdout).toContain(`  ✗ cases {"case_id":"${checked.caseId}"}：status：现有 "completed" ≠ 重建 "awaiting-disbursement"`);
    const asJson = await audit('verify', '--case', checked.caseId, '--json');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ intact: true, readModels: { intact: false, driftCount: 1, drift: [{ table: 'cases', kind: 'changed' }] } });
    expect(englishSentences(intact.stdout + intact.stderr + changed.stdout + changed.stderr)).toEqual([]);
  });

  it("verify --case and drift: a JSON column that drifted is shown at the place inside it that differs", async () => {
    const edited = await new LoanCase(database.db).toApproval();
    const summary = '改过的项目简介'.repeat(10);
    await sql`UPDATE cases SET details = jsonb_set(details, '{project,summary}', to_jsonb(${summary}::text)) WHERE case_id = ${edited.caseId}`.execute(database.db);
    // Not the two documents' first 60 characters (the same: {"company":{"name":…), but the path and each value, a cut marked with ….
    const line = `details.project.summary：现有 "${summary.slice(0, 59)}… ≠ 重建 "`;
    const one = await audit('verify', '--case', edited.caseId);
    expect(one.code).toBe(1);
    expect(one.stdout).toContain(`  ✗ cases {"case_id":"${edited.caseId}"}：${line}`);
    expect(one.stdout).not.toContain('{"company"');
    const all = await audit('drift');
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`  ✗ cases {"case_id":"${edited.caseId}"}（案件 ${edited.input.referenceNo}）：${line}`);
    // --json keeps the columns as they were, each place inside the document beside them.
    const asJson = JSON.parse((await audit('verify', '--case', edited.caseId, '--json')).stdout);
    expect(asJson.readModels.drift[0].columns).toEqual([
      { column: 'details', live: expect.any(Object), rebuilt: expect.any(Object), differences: [{ path: 'details.project.summary', live: summary, rebuilt: expect.any(String) }] },
    ]);
    expect(englishSentences(one.stdout + one.stderr + all.stdout + all.stderr)).toEqual([]);
  });

  it('as-of and diff of a case whose record was changed in the database: the warning first, the output kept, exit 1', async () => {
    const forged = await new LoanCase(database.db).toApproval();
    await tamperAsSuperuser(database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{approvedAmountFen}', '46000000') WHERE stream_id = $1 AND stream_version = 4`, values: [forged.caseId] }]);
    const warning = /^! 本案记录的哈希链未通过核验（第 4 版（日志位置 \d+）：内容与其哈希不符：写入后被改动过）：以下内容可能已被改动，不能作为证据$/;

    const asOf = await audit('as-of', forged.caseId, '2026-03-05');
    expect(asOf.code).toBe(1);
    expect(asOf.stdout.split('\n')[0]).toMatch(warning);
    expect(asOf.stdout.split('\n')[1]).toBe(`  （每一处问题：npm run audit -- verify --case ${forged.caseId}）`);
    expect(asOf.stdout).toContain('\n  核定金额：460,000.00 元\n');

    const diff = await audit('diff', forged.caseId, '2026-03-01', '2026-03-05');
    expect(diff.code).toBe(1);
    expect(diff.stdout.split('\n')[0]).toMatch(warning);
    expect(diff.stdout).toContain('  核定金额：— → 460,000.00 元');

    const asJson = await audit('as-of', forged.caseId, '2026-03-05', '--json');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ chainIntact: false, warnings: [expect.stringMatching(/^本案记录的哈希链未通过核验/)] });

    // verify --case says what is wrong with the events, and compares no read model rebuilt from them.
    const verified = await audit('verify', '--case', forged.caseId);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('读模型：未比对（本案的事件记录未通过核验，由它重建的行不能作准）。');

    // A case beside it, untouched, says nothing of the kind (the first one lost its last event in the test before).
    const untouched = await new LoanCase(database.db).toApproval();
    const intact = await audit('as-of', untouched.caseId, '2026-03-05');
    expect(intact.code).toBe(0);
    expect(intact.stdout).not.toContain('未通过核验');
    // The checkpoints were deleted in a test before: said so, before the state.
    expect(intact.stdout.split('\n')[0]).toBe('尚无签名检查点：本案只由哈希链保护。');
    // Put back as it was: a changed event not yet signed stops every later checkpoint (the tests after sign some).
    await tamperAsSuperuser(database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{approvedAmountFen}', '36000000') WHERE stream_id = $1 AND stream_version = 4`, values: [forged.caseId] }]);
  });

  it('verify --case of a case whose head row alone was changed: the stored head beside where the events end, and what that means', async () => {
    const changed = await new LoanCase(database.db).toApproval();
    const last = (await database.db.selectFrom('events').select('hash').where('stream_id', '=', changed.caseId).where('stream_version', '=', 4).executeTakeFirstOrThrow()).hash;
    await tamperAsSuperuser(database.url, [{ text: 'UPDATE streams SET head_hash = $1 WHERE stream_id = $2', values: ['0'.repeat(64), changed.caseId] }]);
    const verified = await audit('verify', '--case', changed.caseId);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`4 个事件，链头记录第 4 版 0000000000000000…（事件止于第 4 版 ${last.slice(0, 16)}…）`);
    expect(verified.stdout).toContain(`有问题。第一处：链头记录为第 4 版、哈希 000000000000…，其事件却止于第 4 版、哈希 ${last.slice(0, 12)}…：链头记录被改动过`);
    const asJson = JSON.parse((await audit('verify', '--case', changed.caseId, '--json')).stdout);
    expect(asJson).toMatchObject({ head: { version: 4, hash: '0'.repeat(64) }, eventsHead: { version: 4, hash: last } });
  });

  it('says in Chinese what it needs when a command is incomplete, an instant unreadable or a file missing', async () => {
    const incomplete = await audit('as-of', loan.caseId);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain('as-of 需要 CASE_ID 和 INSTANT');
    expect(incomplete.stderr).toContain('用法：npm run audit -- <命令>');
    const unknown = await audit('verfy');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('没有 verfy 这个命令');
    const instant = await audit('as-of', loan.caseId, 'yesterday');
    expect(instant.code).toBe(2);
    expect(instant.stderr).toContain('“yesterday”不是可用的时点：应为 1990 至 2199 年间存在的日期');
    const missing = path.join(dir, 'no-such-checkpoints.json');
    const file = await audit('verify', '--checkpoints', missing);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(`出错：找不到 ${missing}`);
    for (const { stdout, stderr } of [incomplete, unknown, instant, file]) expect(englishSentences(stdout + stderr)).toEqual([]);
  });

  it('refuses an option or argument a command does not take, naming it and what was meant, before checking anything', async () => {
    // An outside auditor forgot --case, and was told the whole store was intact: they believed the case checked.
    const bare = await audit('verify', loan.caseId);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain(`verify 不接受参数“${loan.caseId}”：要核验一个案件，请用 verify --case ${loan.caseId}`);
    expect(bare.stderr).toContain('用法：npm run audit -- verify [--case CASE_ID] [--checkpoints FILE]');

    const typo = await audit('verify', '--cases', loan.caseId);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('verify 不认识选项 --cases：是不是要用 --case？');

    const elsewhere = await audit('events', '--case', loan.caseId);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`events 不用选项 --case（它属于 verify）：案件编号直接写在命令后面，例如 events ${loan.caseId}`);

    const spaced = await audit('as-of', loan.caseId, '2026-03-05', '10:00');
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain('as-of 多出了参数“10:00”：它只需要 CASE_ID INSTANT（时点中间不能有空格');

    const drift = await audit('drift', '--keep-scrach');
    expect(drift.code).toBe(2);
    expect(drift.stderr).toContain('drift 不认识选项 --keep-scrach：是不是要用 --keep-scratch？');

    // --json goes with every command.
    const json = await audit('events', loan.caseId, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ caseId: loan.caseId });
    for (const { stdout, stderr } of [bare, typo, elsewhere, spaced, drift]) expect(englishSentences(stdout + stderr)).toEqual([]);
  });

  it('diff: each change in words, as the audit page shows it, not field paths and amounts in fen', async () => {
    const repaid = await new LoanCase(database.db).toFirstRepayment();
    const diff = await audit('diff', repaid.caseId, '2026-04-01', '2026-04-11');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('  还款计划 · 第 1 期 · 已还金额：0.00 元 → 10,000.00 元');
    expect(diff.stdout).not.toMatch(/instalments\[|paidFen|Fen:/);
    const asJson = JSON.parse((await audit('diff', repaid.caseId, '2026-04-01', '2026-04-11', '--json')).stdout);
    // --json keeps the changes as the data has them, beside the rows in words.
    expect(asJson.changes).toContainEqual({ path: 'instalments[0].paidFen', kind: 'changed', before: 0, after: 1_000_000 });
    expect(asJson.rows).toContainEqual(expect.objectContaining({ path: 'instalments[0].paidFen', label: '还款计划 · 第 1 期 · 已还金额', before: { text: '0.00 元' } }));
    expect(englishSentences(diff.stdout + diff.stderr)).toEqual([]);
  });

  it('checkpoint list says why each was signed in words; export says plainly when its checkpoint covers none of the case', async () => {
    await new LoanCase(database.db).toApproval();
    await createCheckpoint(database.db, key, { now: () => new Date('2026-06-02T00:00:00Z'), reason: 'interval', requestedBy: 'interval' });
    const late = await new LoanCase(database.db).toApproval();
    const list = await audit('checkpoint', 'list');
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^#\d+  2026-06-02T08:00:00\+08:00  日志位置 \d+  \d+ 个事件  定时  密钥 /);
    expect(list.stdout).not.toContain('interval');

    // The latest checkpoint was signed before this case's first event: not "第 1 至第 0 个".
    const bundle = await audit('export', late.caseId, path.join(dir, 'late-bundle'), '--no-checkpoint');
    expect(bundle.code).toBe(0);
    expect(bundle.stdout).toMatch(/检查点 #\d+（日志位置 \d+，密钥 ed25519:[^）]+）不覆盖本案任何事件：它签署时本案还没有记录。/);
    expect(bundle.stdout).toContain('  ! 有 4 个事件没有签名证明');
    expect(bundle.stdout).not.toContain('第 0 个');

    // Signed on demand here, then listed as this CLI's.
    expect((await audit('checkpoint')).code).toBe(0);
    expect((await audit('checkpoint', 'list')).stdout.trim().split('\n').at(-1)).toMatch(/  按需（命令行）  密钥 /);
    const signed = await audit('export', late.caseId, path.join(dir, 'late-bundle-signed'), '--no-checkpoint');
    expect(signed.stdout).toMatch(/检查点 #\d+（日志位置 \d+，密钥 [^）]+）签名证明了本案全部 4 个事件。/);
    expect(englishSentences(list.stdout + list.stderr + bundle.stdout + bundle.stderr)).toEqual([]);
  });

  it('replay of a case Temporal has no history of: says so in Chinese, and whether the store has the case', async () => {
    const temporal = await createTimeSkippingEnvironment();
    try {
      const env = { ...SIGNING_KEY, TEMPORAL_ADDRESS: temporal.address };
      const nowhere = '00000000-0000-4000-8000-000000000000';
      const unknown = await auditWith(env, 'replay', nowhere);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(`流程引擎（命名空间 default）中没有案件 ${nowhere} 的工作流历史（工作流 case-${nowhere}）；记录库中也没有这个案件：请核对案件编号。`);
      // Not Temporal's gRPC answer ("5 NOT_FOUND: workflow not found for ID: …").
      expect(unknown.stderr).not.toMatch(/NOT_FOUND|not found|出错/);

      const stored = await new LoanCase(database.db).toApproval();
      const known = await auditWith(env, 'replay', stored.caseId);
      expect(known.code).toBe(2);
      expect(known.stderr).toContain(`中没有案件 ${stored.caseId} 的工作流历史（工作流 case-${stored.caseId}）；记录库中有这个案件（chuying-loan，记录到第 4 版）：`);
      expect(known.stderr).toContain('可以用 --history FILE 重放');
      expect(englishSentences(unknown.stdout + unknown.stderr + known.stdout + known.stderr)).toEqual([]);
    } finally {
      await temporal.teardown();
    }
  });
  it('export of a case whose record was changed: says so before the checkpoint line, and exits 1; a checkpoint over it is refused', async () => {
    const changed = await new LoanCase(database.db).toApproval();
    await tamperAsSuperuser(database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{notes}', '"核减至 3.6 万元"') WHERE stream_id = $1 AND stream_version = 4`, values: [changed.caseId] }]);
    // The change is after the latest checkpoint: nothing signs it.
    const refused = await audit('export', changed.caseId, path.join(dir, 'changed-signed'));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`^✗ 不签署新的检查点：日志位置 \\d+ 的事件（案件 ${changed.input.referenceNo} 第 4 版）的内容与其哈希不符`));
    expect(refused.stdout).toContain('仍要导出现有的记录（不签署新的检查点），请加 --no-checkpoint。');

    const taken = await audit('export', changed.caseId, path.join(dir, 'changed'), '--no-checkpoint');
    expect(taken.code).toBe(1);
    expect(taken.stdout).toContain('✗ 本案记录未通过核验：');
    expect(taken.stdout).toContain('证据包照实导出了现有记录，tools/verify-bundle.mjs 核验它也会判定不通过');
    expect(taken.stdout).not.toContain('签名证明了');
    expect(englishSentences(refused.stdout + refused.stderr + taken.stdout + taken.stderr)).toEqual([]);
  });
});
