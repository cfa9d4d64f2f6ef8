/**
 * `npm run audit -- <command>`: the auditor's tools against DATABASE_URL (and TEMPORAL_ADDRESS for
 * replay). Without DATABASE_URL it uses the embedded database of a running `npm start`, whose URL
 * that process writes to .data/database-url. Exit code 0: intact; 1: problems found; 2: cannot run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironment, temporalConnectionOptions } from '../config/environment.js';
import { createDb, type Db } from '../db/client.js';
import { buildCaseBundle, exportCaseBundle, fullyCovered, writeCaseBundle } from './case-bundle.js';
import { auditedEvent, caseAsOf, caseDiff, caseStream } from './case-history.js';
import { supplementRoundLines } from './supplement-rounds.js';
import { createCheckpoint, listCheckpoints, type Checkpoint } from './checkpoints.js';
import { describeInstant, INSTANT_HELP, parseInstant } from './instants.js';
import { rebuildAndCompare } from './read-model-drift.js';
import { generateSigningKeyPem, loadAuditKey, parseSigningKey, type AuditKey } from './signing-key.js';
import { verifyCase, verifyStore, type VerificationProblem } from './verify-store.js';

const DATA = fileURLToPath(new URL('../.data/', import.meta.url));
export const DATABASE_URL_FILE = path.join(DATA, 'database-url');
export const TEMPORAL_ADDRESS_FILE = path.join(DATA, 'temporal-address');
export const DEV_SIGNING_KEY_FILE = path.join(DATA, 'audit-signing-key.pem');

const USAGE = `usage: npm run audit -- <command>

  verify [--case CASE_ID] [--checkpoints FILE]   verify the whole store (or one case); FILE: checkpoints exported earlier
  events CASE_ID                                  the case's events: who, when, what, hash
  as-of CASE_ID INSTANT                           the case as it was at INSTANT
  diff CASE_ID FROM TO                            what changed between two instants, and who changed it
  export CASE_ID DIR [--no-checkpoint]            a bundle for tools/verify-bundle.mjs (signs a fresh checkpoint first when the key is at hand)
  replay CASE_ID [--history FILE]                 replay the case's workflow history against the current code
  drift [--keep-scratch]                          rebuild every read model from the events and list rows that differ
  checkpoint [create|list|export FILE]            sign a checkpoint now, list them, or export them as JSON
  keygen FILE                                     write a new Ed25519 signing key (PKCS#8 PEM) for AUDIT_SIGNING_KEY_FILE

  INSTANT is ${INSTANT_HELP}.
  Add --json to any command for machine-readable output.`;

class UsageError extends Error {}

interface Options {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Options {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const withValue = new Set(['--case', '--checkpoints', '--history']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (withValue.has(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      flags.set(arg, value);
    } else if (arg.startsWith('--')) flags.set(arg, true);
    else positional.push(arg);
  }
  return { positional, flags };
}

function need(options: Options, count: number, what: string): string[] {
  const args = options.positional.slice(1, 1 + count);
  if (args.length < count) throw new UsageError(`${options.positional[0]} needs ${what}`);
  return args;
}

function instantArg(text: string): Date {
  const at = parseInstant(text);
  if (!at) throw new UsageError(`"${text}" is not ${INSTANT_HELP}`);
  return at;
}

const err = (line: string) => process.stderr.write(`${line}\n`);

/** A problem's kind as an auditor reads it (the --json output keeps the kind as it is). */
const PROBLEM_KINDS: Record<string, string> = { chain: '哈希链', head: '链头', signature: '签名', checkpoint: '检查点', 'streams-root': '流根', 'checkpoint-missing': '检查点缺失' };
/** A check's verdict in words. */
const CHECK_WORDS: Record<string, string> = { valid: '有效', invalid: '无效', matches: '相符', differs: '不符' };
const fmt = (n: number) => n.toLocaleString('en-US');

/** DATABASE_URL, or the one `npm start` wrote for its embedded database. */
function databaseUrl(): { url: string; embedded: boolean } {
  const environment = readEnvironment();
  if (environment.databaseUrl) return { url: environment.databaseUrl, embedded: false };
  if (existsSync(DATABASE_URL_FILE)) {
    const url = readFileSync(DATABASE_URL_FILE, 'utf8').trim();
    err(`(DATABASE_URL is not set: using the embedded database of \`npm start\`, ${url.replace(/:[^:@/]*@/, ':…@')}, from .data/database-url)`);
    return { url, embedded: true };
  }
  throw new UsageError(
    'DATABASE_URL is not set, and no `npm start` is running here.\n' +
      '  Either start the system with `npm start` in another terminal (it writes the URL of its embedded database to .data/database-url, which this command reads),\n' +
      '  or point this command at a database: DATABASE_URL=postgres://user:password@host:5432/youchuang npm run audit -- …',
  );
}

function progressBar(label: string) {
  const started = performance.now();
  let lastTenth = -1;
  return (done: number, total: number) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
    const text = `${label} ${fmt(done)}/${fmt(total)} events, ${fmt(rate)} events/s`;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${text}  `);
      if (done >= total) process.stderr.write('\n');
    } else if (Math.floor(fraction * 10) > lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      err(`${String(Math.round(fraction * 100)).padStart(3)}% ${text}`);
    }
  };
}

function printProblems(problems: readonly VerificationProblem[], total: number) {
  for (const p of problems.slice(0, 50)) console.log(`  ✗ [${PROBLEM_KINDS[p.kind] ?? p.kind}] ${p.message}`);
  if (total > 50) console.log(`  …另有 ${fmt(total - 50)} 处（--json 最多列出 1,000 处）`);
}

async function readCheckpointFile(file: string): Promise<Checkpoint[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { checkpoints?: Checkpoint[] } | Checkpoint[];
  const list = Array.isArray(parsed) ? parsed : parsed.checkpoints;
  if (!Array.isArray(list)) throw new UsageError(`${file} holds no checkpoints (expected the output of \`npm run audit -- checkpoint export FILE\`)`);
  return list;
}

async function run(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  const json = options.flags.has('--json');
  const command = options.positional[0];
  const out = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  if (!command || command === 'help' || options.flags.has('--help')) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'keygen') {
    const [file] = need(options, 1, 'a FILE to write the key to');
    await writeFile(file!, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
    const key = parseSigningKey(await readFile(file!, 'utf8'), file!);
    console.log(`已写入 ${file}（密钥指纹 ${key.keyId}）：请公布下面的公钥，妥善保管该文件，并设置 AUDIT_SIGNING_KEY_FILE=${file}\n\n${key.publicKeyPem}`);
    return 0;
  }

  const { url, embedded } = databaseUrl();
  const key = await loadAuditKey(readEnvironment(), embedded ? DEV_SIGNING_KEY_FILE : undefined);
  const db = createDb(url, { max: 4 });
  try {
    return await runWithDb(db, key, command, options, json, out);
  } catch (error) {
    if ((error as { code?: string }).code === 'ECONNREFUSED') {
      throw new UsageError(`cannot reach the database (${(error as Error).message})${embedded ? ': is `npm start` still running?' : ''}`);
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

async function runWithDb(db: Db, key: AuditKey | undefined, command: string, options: Options, json: boolean, out: (value: unknown) => void): Promise<number> {
  const now = () => new Date();
  switch (command) {
    case 'verify': {
      const caseId = options.flags.get('--case');
      const file = options.flags.get('--checkpoints');
      const exported = typeof file === 'string' ? await readCheckpointFile(file) : undefined;
      if (typeof caseId === 'string') {
        const report = await verifyCase(db, caseId, { trustedKey: key, ...(exported?.length ? { checkpoint: exported.reduce((a, c) => (c.checkpointNo > a.checkpointNo ? c : a)) } : {}) });
        if (json) out(report);
        else {
          console.log(`案件 ${caseId}（${report.streamType}）：${report.events} 个事件${report.head ? `，链头第 ${report.head.version} 版 ${report.head.hash.slice(0, 16)}…` : ''}`);
          if (report.checkpoint) {
            const c = report.checkpoint;
            const covers = c.coveredVersion > 0 ? `覆盖本案第 1 至第 ${c.coveredVersion} 版` : '签署时本案尚无记录';
            console.log(`检查点 #${c.checkpointNo}（日志位置 ${fmt(c.position)}，${describeInstant(new Date(c.createdAt)).shanghai}）${covers}：签名${CHECK_WORDS[c.signature] ?? c.signature}，流根${CHECK_WORDS[c.streamsRoot] ?? c.streamsRoot}`);
          }
          for (const w of report.warnings) console.log(`  ! ${w}`);
          if (report.intact) console.log('完好：本案记录未被改动。');
          else {
            console.log(`有问题。第一处：${report.firstProblem?.message}`);
            printProblems(report.problems, report.problems.length);
          }
        }
        return report.intact ? 0 : 1;
      }
      const report = await verifyStore(db, { trustedKey: key, exported, onProgress: json ? undefined : progressBar('verified') });
      if (json) out(report);
      else {
        console.log(`已核验 ${fmt(report.eventsChecked)} 个事件，共 ${fmt(report.streamsChecked)} 条事件流，用时 ${report.seconds.toFixed(1)} 秒（每秒 ${fmt(report.eventsPerSecond)} 个事件）。`);
        const latest = report.checkpoints.latest;
        console.log(
          report.checkpoints.checked
            ? `检查点：核验 ${report.checkpoints.checked} 个${report.checkpoints.trustedKeyId ? `（以可信密钥 ${report.checkpoints.trustedKeyId}）` : ''}；最新为 #${latest!.checkpointNo}，日志位置 ${fmt(latest!.position)}（${describeInstant(new Date(latest!.createdAt)).shanghai}）；其后 ${fmt(report.checkpoints.eventsAfterLatest)} 个事件只核验了哈希链。`
            : '检查点：尚无（可用 `npm run audit -- checkpoint` 签署）：只核验了哈希链。',
        );
        for (const w of report.warnings) console.log(`  ! ${w}`);
        if (report.intact) console.log('没有发现问题：记录完好。');
        else {
          console.log(`发现 ${fmt(report.problemCount)} 处问题：`);
          printProblems(report.problems, report.problemCount);
        }
      }
      return report.intact ? 0 : 1;
    }
    case 'events': {
      const [caseId] = need(options, 1, 'a CASE_ID');
      const { caseType, events } = await caseStream(db, caseId!);
      if (json) out({ caseId, caseType, events: events.map(auditedEvent) });
      else {
        console.log(`案件 ${caseId}（${caseType}），${events.length} 个事件：`);
        for (const e of events) {
          const a = e.metadata.actor;
          console.log(`  v${e.streamVersion}  ${describeInstant(e.recordedAt).shanghai}  ${e.type.padEnd(26)} ${a?.displayName ?? '?'} (${a?.role ?? '?'}${a?.department ? `, ${a.department}` : ''})  ${e.hash.slice(0, 12)}…`);
        }
      }
      return 0;
    }
    case 'as-of': {
      const [caseId, at] = need(options, 2, 'a CASE_ID and an INSTANT');
      const report = await caseAsOf(db, caseId!, instantArg(at!));
      if (json) out(report);
      else {
        console.log(`案件 ${caseId}（${report.caseType}）在 ${report.at.shanghai}（北京时间；UTC ${report.at.utc}）时：`);
        if (!report.existed) console.log('  尚不存在。');
        else {
          const last = report.lastEvent!;
          console.log(`  第 ${report.version} 版，最后一个事件为 ${last.type}，${describeInstant(new Date(last.recordedAt)).shanghai} 由${last.actor?.displayName ?? '?'}（${last.actor?.role ?? '?'}）记录；此后又记录了 ${report.laterEvents} 个事件。`);
          console.log(JSON.stringify(report.state, null, 2));
          // The case's state keeps a 补正 only while it is open: the rounds come from the events.
          for (const line of supplementRoundLines(report.supplements)) console.log(`  ${line}`);
        }
        for (const w of report.warnings) console.log(`  ! ${w}`);
      }
      return 0;
    }
    case 'diff': {
      const [caseId, from, to] = need(options, 3, 'a CASE_ID and two INSTANTs');
      const report = await caseDiff(db, caseId!, instantArg(from!), instantArg(to!));
      if (json) out(report);
      else {
        console.log(`案件 ${caseId}（${report.caseType}）从 ${report.from.at.shanghai}（第 ${report.from.version} 版）到 ${report.to.at.shanghai}（第 ${report.to.version} 版）：`);
        console.log(`其间 ${report.events.length} 个事件：`);
        for (const e of report.events) console.log(`  v${e.version}  ${describeInstant(new Date(e.recordedAt)).shanghai}  ${e.type}，${e.actor?.displayName ?? '?'}（${e.actor?.role ?? '?'}${e.actor?.department ? `，${e.actor.department}` : ''}）`);
        console.log(`${report.changes.length} 个字段有变化：`);
        const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v).slice(0, 120));
        for (const c of report.changes) console.log(`  ${c.path}: ${show(c.before)} → ${show(c.after)}`);
      }
      return 0;
    }
    case 'export': {
      const [caseId, dir] = need(options, 2, 'a CASE_ID and a DIR');
      const exportedBy = `npm run audit (${process.env.USER ?? 'unknown user'})`;
      // A fresh checkpoint first (when the key can sign), so that every event of the bundle is under the signature.
      const bundle = options.flags.has('--no-checkpoint')
        ? await buildCaseBundle(db, caseId!, { now, exportedBy })
        : await exportCaseBundle(db, caseId!, { now, exportedBy, key, requestedBy: 'cli export' });
      const files = await writeCaseBundle(dir!, bundle);
      if (json) out({ files, manifest: bundle.manifest, fullyCovered: fullyCovered(bundle.manifest) });
      else {
        console.log(`已写入 ${files.join('、')}`);
        const { checkpoint: c, inclusion, events } = bundle.manifest;
        const signed = inclusion?.version ?? 0;
        console.log(c ? `检查点 #${c.checkpointNo}（日志位置 ${fmt(c.position)}，密钥 ${c.keyId}）签名证明了全部 ${events.count} 个事件中的第 1 至第 ${signed} 个。` : '没有检查点：证据包只能证明其哈希链（配置 AUDIT_SIGNING_KEY 后导出会先签署检查点）。');
        if (!fullyCovered(bundle.manifest)) {
          console.log(`  ! 有 ${fmt(events.count - signed)} 个事件没有签名证明：tools/verify-bundle.mjs 会判定不通过，除非加 --allow-unsigned-tail${key?.privateKey ? '' : '（配置 AUDIT_SIGNING_KEY 后，导出会先签署新的检查点）'}。`);
        }
        console.log(`可在任何地方核验：node tools/verify-bundle.mjs ${dir}${c ? ` --key-id ${c.keyId}` : ''}`);
      }
      return 0;
    }
    case 'replay': {
      const [caseId] = need(options, 1, 'a CASE_ID');
      const { DefaultLogger, Runtime } = await import('@temporalio/worker');
      Runtime.install({ logger: new DefaultLogger('ERROR') });
      const { replayHistory, fetchCaseHistory } = await import('./workflow-replay.js');
      const { bundleWorkflows } = await import('../worker/create-worker.js');
      const historyFile = options.flags.get('--history');
      let history;
      if (typeof historyFile === 'string') history = JSON.parse(await readFile(historyFile, 'utf8'));
      else {
        const environment = readEnvironment();
        const address = environment.temporalAddress ?? (existsSync(TEMPORAL_ADDRESS_FILE) ? readFileSync(TEMPORAL_ADDRESS_FILE, 'utf8').trim() : undefined);
        if (!address) throw new UsageError('TEMPORAL_ADDRESS is not set and no `npm start` is running here (it writes .data/temporal-address); or replay a saved history with --history FILE');
        const { Client, Connection } = await import('@temporalio/client');
        const connection = await Connection.connect(temporalConnectionOptions(environment, address));
        try {
          history = await fetchCaseHistory(new Client({ connection, namespace: environment.temporalNamespace }), caseId!);
        } finally {
          await connection.close();
        }
      }
      err('bundling the current workflow code …');
      const report = await replayHistory(caseId!, history, await bundleWorkflows());
      if (json) out(report);
      else console.log(report.deterministic ? `✓ ${report.summary}` : `✗ ${report.summary}`);
      return report.deterministic ? 0 : 1;
    }
    case 'drift': {
      const report = await rebuildAndCompare(db, { keepScratchSchema: options.flags.has('--keep-scratch'), onProgress: json ? undefined : progressBar('rebuilt') });
      if (json) out(report);
      else {
        console.log(`由 ${fmt(report.eventsReplayed)} 个事件（至日志位置 ${fmt(report.position)}）重建读模型，用时 ${report.seconds.toFixed(1)} 秒${report.scratchSchemaKept ? `，保留在 schema ${report.scratchSchema}` : ''}：`);
        for (const t of report.tables) console.log(`  ${t.table.padEnd(18)} 现有 ${fmt(t.liveRows)} 行，重建 ${fmt(t.rebuiltRows)} 行：不同 ${t.changed}，缺少 ${t.missing}，多出 ${t.extra}`);
        for (const d of report.drift.slice(0, 50)) {
          const what = d.kind === 'changed' ? d.columns!.map((c) => `${c.column}：现有 ${JSON.stringify(c.live)?.slice(0, 60)} ≠ 重建 ${JSON.stringify(c.rebuilt)?.slice(0, 60)}`).join('；') : d.kind === 'missing' ? '事件产生这一行，现有读模型却没有' : '现有读模型有这一行，却没有事件能说明它';
          console.log(`  ✗ ${d.table} ${JSON.stringify(d.key)}：${what}`);
        }
        console.log(report.intact ? '没有偏差：每个读模型都与事件相符。' : `${report.driftCount} 行有偏差。`);
      }
      return report.intact ? 0 : 1;
    }
    case 'checkpoint': {
      const sub = options.positional[1] ?? 'create';
      if (sub === 'create') {
        if (!key?.privateKey) throw new UsageError('no signing key: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE (npm start generates .data/audit-signing-key.pem for the embedded setup)');
        const { checkpoint, created } = await createCheckpoint(db, key, { now, reason: 'on-demand', requestedBy: 'cli' });
        if (json) out({ created, checkpoint });
        else console.log(`${created ? '已签署检查点' : '自上一个检查点以来没有新事件：检查点'} #${checkpoint.checkpointNo}：${fmt(checkpoint.eventCount)} 个事件，至日志位置 ${fmt(checkpoint.position)}，${fmt(checkpoint.streamCount)} 条事件流，密钥 ${checkpoint.keyId}。`);
        return 0;
      }
      const checkpoints = await listCheckpoints(db);
      if (sub === 'list') {
        if (json) out(checkpoints);
        else for (const c of checkpoints) console.log(`#${c.checkpointNo}  ${describeInstant(new Date(c.createdAt)).shanghai}  日志位置 ${fmt(c.position)}  ${fmt(c.eventCount)} 个事件  ${c.reason === 'interval' ? '定时' : '按需'}，${c.requestedBy}  密钥 ${c.keyId}`);
        return 0;
      }
      if (sub === 'export') {
        const file = options.positional[2];
        if (!file) throw new UsageError('checkpoint export needs a FILE');
        await writeFile(file, `${JSON.stringify({ exportedAt: now().toISOString(), keyId: key?.keyId ?? null, publicKey: key?.publicKeyPem ?? null, checkpoints }, null, 2)}\n`);
        console.log(`已将 ${checkpoints.length} 个检查点写入 ${file}：请保存在系统之外，核验时用 npm run audit -- verify --checkpoints ${file}`);
        return 0;
      }
      throw new UsageError(`unknown checkpoint command ${sub}: create, list or export FILE`);
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      if (error instanceof UsageError) {
        err(error.message);
        if (/^unknown command|needs/.test(error.message)) err(`\n${USAGE}`);
      } else err(`audit: ${error.message}`);
      process.exitCode = 2;
    },
  );
}
