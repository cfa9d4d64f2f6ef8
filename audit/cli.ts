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
import { moduleForStreamType } from '../cases/registry.js';
import { sql } from 'kysely';
import type { Client as TemporalClient } from '@temporalio/client';
import { createDb, type Db } from '../db/client.js';
import { eventTitleOf } from '../domain/cases/event-titles.js';
import { buildCaseBundle, exportCaseBundle, fullyCovered, writeCaseBundle } from './case-bundle.js';
import { actorInWords } from './actor-words.js';
import { UNNAMED_FIELD } from './diff-in-words.js';
import { auditedEvent, caseAsOf, caseDiff, caseStream, type CaseAsOf } from './case-history.js';
import { supplementRoundLines } from './supplement-rounds.js';
import { AlteredContentError, createCheckpoint, listCheckpoints, SignedRecordChangedError, type Checkpoint } from './checkpoints.js';
import { describeInstant, INSTANT_HELP_ZH, parseInstant } from './instants.js';
import { CASE_OWN_TABLES, rebuildAndCompare, rebuildCaseAndCompare, type CaseDriftReport, type RowDrift } from './read-model-drift.js';
import { generateSigningKeyPem, loadAuditKey, parseSigningKey, type AuditKey } from './signing-key.js';
import { verifyCase, verifyStore, type VerificationProblem } from './verify-store.js';
import type { JsonHistory } from './workflow-replay.js';
import type { WitnessReport } from './history-witness.js';
import { readStream } from '../db/event-store.js';

const DATA = fileURLToPath(new URL('../.data/', import.meta.url));
export const DATABASE_URL_FILE = path.join(DATA, 'database-url');
export const TEMPORAL_ADDRESS_FILE = path.join(DATA, 'temporal-address');
export const DEV_SIGNING_KEY_FILE = path.join(DATA, 'audit-signing-key.pem');

/**
 * Each command: how the usage writes it, what it does, how many arguments follow its name at most, and
 * the options it takes (--json and --help go with every command). What a command does not take is
 * refused: an auditor who typed `verify <id>` for `verify --case <id>` was told the whole store was intact.
 */
interface CommandSpec {
  synopsis: string;
  zh: string;
  /** Arguments after the command's name, at most (the missing ones are asked for where they are read). */
  args: number;
  options: readonly string[];
}

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  verify: { synopsis: 'verify [--case CASE_ID] [--checkpoints FILE]', zh: '核验整个记录库（或一个案件）；FILE：此前导出的检查点', args: 0, options: ['--case', '--checkpoints'] },
  events: { synopsis: 'events CASE_ID', zh: '本案的事件：谁、何时、做了什么，以及哈希', args: 1, options: [] },
  'as-of': { synopsis: 'as-of CASE_ID INSTANT', zh: '本案在 INSTANT 时的状态', args: 2, options: [] },
  diff: { synopsis: 'diff CASE_ID FROM TO', zh: '两个时点之间改了什么、由谁改的', args: 3, options: [] },
  export: { synopsis: 'export CASE_ID DIR [--no-checkpoint]', zh: '导出证据包，供 tools/verify-bundle.mjs 核验（有签名密钥时先签署新的检查点）', args: 2, options: ['--no-checkpoint'] },
  witness: { synopsis: 'witness [CASE_ID]', zh: '用流程引擎保存的工作流历史核对事件：每个案件事件都应是本案工作流写入的', args: 1, options: [] },
  replay: { synopsis: 'replay CASE_ID [--history FILE]', zh: '用当前的工作流代码重放本案的工作流历史', args: 1, options: ['--history'] },
  drift: { synopsis: 'drift [--keep-scratch]', zh: '由事件重建每个读模型，列出与现有数据不同的行', args: 0, options: ['--keep-scratch'] },
  checkpoint: { synopsis: 'checkpoint [create|list|export FILE]', zh: '立即签署检查点、列出检查点，或把检查点导出为 JSON', args: 2, options: [] },
  keygen: { synopsis: 'keygen FILE', zh: '生成新的 Ed25519 签名密钥（PKCS#8 PEM），供 AUDIT_SIGNING_KEY_FILE 使用', args: 1, options: [] },
};

const CHECKPOINT_SUBCOMMANDS = ['create', 'list', 'export'];
/** Options every command takes. */
const COMMON_OPTIONS = ['--json', '--help'];
/** Options followed by a value (`--case ID` or `--case=ID`). */
const WITH_VALUE = new Set(['--case', '--checkpoints', '--history']);

const USAGE = `用法：npm run audit -- <命令>

${Object.values(COMMANDS)
  .map((c) => `  ${c.synopsis.padEnd(48)}${c.zh}`)
  .join('\n')}

  CASE_ID（案件）可写申请编号（如 CY-2026-000032，大小写均可），也可写案件编号（UUID）。
  INSTANT（时点）${INSTANT_HELP_ZH}。
  任何命令加 --json，输出机器可读的结果。`;

/** What keeps the command from running (how it was called or configured, a case with nothing to replay): said in words, exit code 2. */
class UsageError extends Error {
  constructor(
    message: string,
    /** Whether the usage text helps: a command unknown or incomplete. */
    readonly showUsage = false,
  ) {
    super(message);
  }
}

interface Options {
  positional: string[];
  flags: Map<string, string | true>;
  /** Options in the order given, as written (`--case=ID` as `--case`), for checkArguments. */
  given: { name: string; value?: string }[];
}

function parseArgs(argv: string[]): Options {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const given: Options['given'] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.length < 2 || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (WITH_VALUE.has(name)) {
      // `--case --json` is a value forgotten, not a case named --json.
      const value = equals > 0 ? arg.slice(equals + 1) : argv[i + 1]?.startsWith('-') ? undefined : argv[++i];
      if (!value) throw new UsageError(`${name} 后面需要一个值`, true);
      flags.set(name, value);
      given.push({ name, value });
    } else {
      flags.set(name, equals > 0 ? arg.slice(equals + 1) : true);
      given.push({ name, ...(equals > 0 ? { value: arg.slice(equals + 1) } : {}) });
    }
  }
  return { positional, flags, given };
}

/** Edits (insert, delete, replace) from one word to another: for "是不是要用 --case" after `--cases`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The option meant by one mistyped (`--cases`, `-h`, `--check`), if one is close enough to say. */
function meantOption(written: string, candidates: readonly string[]): string | undefined {
  const asLong = written.startsWith('--') ? written : `-${written}`;
  const close = candidates
    .map((c) => ({ c, d: asLong.length >= 3 && c.startsWith(asLong) ? 0 : editDistance(asLong, c) }))
    .filter(({ d }) => d <= 2)
    .sort((x, y) => x.d - y.d);
  return close[0]?.c;
}

const quoted = (args: readonly string[]) => args.map((a) => `“${a}”`).join('、');

/**
 * Refuses what the command does not take, before anything runs: an unknown option, another command's
 * option, an argument too many. Each is named, with what was probably meant where that is plain.
 */
function checkArguments(command: string, options: Options): void {
  const spec = COMMANDS[command]!;
  const problems: string[] = [];
  const takes = [...spec.options, ...COMMON_OPTIONS];
  for (const { name, value } of options.given) {
    if (takes.includes(name)) {
      if (value !== undefined && !WITH_VALUE.has(name)) problems.push(`${name} 不带值：请只写 ${name}，不要写 ${name}=${value}`);
      continue;
    }
    const owners = Object.entries(COMMANDS).filter(([, c]) => c.options.includes(name));
    if (owners.length) {
      const caseFirst = name === '--case' && COMMANDS[command]!.synopsis.startsWith(`${command} CASE_ID`);
      problems.push(
        `${command} 不用选项 ${name}（它属于 ${owners.map(([n]) => n).join('、')}）${caseFirst ? `：案件编号直接写在命令后面，例如 ${command} ${value ?? 'CASE_ID'}` : ''}`,
      );
      continue;
    }
    const meant = meantOption(name, takes);
    problems.push(`${command} 不认识选项 ${name}${meant ? `：是不是要用 ${meant}？` : ''}`);
  }

  const args = options.positional.slice(1);
  const allowed = command === 'checkpoint' ? (args[0] === 'export' ? 2 : 1) : spec.args;
  const extra = args.slice(allowed);
  if (command === 'checkpoint' && args[0] !== undefined && !CHECKPOINT_SUBCOMMANDS.includes(args[0])) {
    problems.push(`没有 checkpoint ${args[0]} 这个命令：可用 create、list 或 export FILE`);
  } else if (extra.length) {
    if (command === 'verify') {
      const [first] = extra;
      problems.push(
        /\.json$/i.test(first!)
          ? `verify 不接受参数${quoted(extra)}：要对照此前导出的检查点核验，请用 verify --checkpoints ${first}`
          : `verify 不接受参数${quoted(extra)}：要核验一个案件，请用 verify --case ${first}；不带参数的 verify 核验整个记录库`,
      );
    } else {
      const name = command === 'checkpoint' ? `checkpoint ${args[0]}` : command;
      const takesOnly = command === 'checkpoint' ? (args[0] === 'export' ? 'FILE' : '') : spec.synopsis.replace(/ \[.*$/, '').split(' ').slice(1).join(' ');
      // `as-of ID 2026-03-05 10:00`: one instant written as two arguments.
      const spacedInstant = /^\d{1,2}:\d{2}/.test(extra[0]!) ? '（时点中间不能有空格，请写成 2026-03-05T10:00:00+08:00 这样）' : '';
      problems.push(`${name} 多出了参数${quoted(extra)}${takesOnly ? `：它只需要 ${takesOnly}` : '：它不接受参数'}${spacedInstant}`);
    }
  }
  if (problems.length) throw new UsageError(`${problems.join('\n')}\n用法：npm run audit -- ${spec.synopsis}`);
}

function need(options: Options, count: number, what: string): string[] {
  const args = options.positional.slice(1, 1 + count);
  if (args.length < count) throw new UsageError(`${options.positional[0]} 需要 ${what}`, true);
  return args;
}

function instantArg(text: string): Date {
  const at = parseInstant(text);
  if (!at) throw new UsageError(`“${text}”不是可用的时点：${INSTANT_HELP_ZH}`);
  return at;
}

const err = (line: string) => process.stderr.write(`${line}\n`);

/** Node's file errors in words (their own message is English); any other error as it is. */
function errorInWords(error: Error): string {
  const { code, path: file } = error as NodeJS.ErrnoException;
  if (file && code === 'ENOENT') return `找不到 ${file}`;
  if (file && code === 'EEXIST') return `${file} 已存在：不会覆盖它`;
  if (file && (code === 'EACCES' || code === 'EPERM')) return `没有权限读写 ${file}`;
  if (file && code === 'EISDIR') return `${file} 是目录，不是文件`;
  return error.message;
}

/** A problem's kind as an auditor reads it (the --json output keeps the kind as it is). */
const PROBLEM_KINDS: Record<string, string> = { chain: '哈希链', head: '链头', signature: '签名', checkpoint: '检查点', 'streams-root': '流根', 'checkpoint-missing': '检查点缺失', letter: '决定书' };
/** A check's verdict in words. */
const CHECK_WORDS: Record<string, string> = { valid: '有效', invalid: '无效', matches: '相符', differs: '不符' };
const fmt = (n: number) => n.toLocaleString('en-US');

/** DATABASE_URL, or the one `npm start` wrote for its embedded database. */
function databaseUrl(): { url: string; embedded: boolean } {
  const environment = readEnvironment();
  if (environment.databaseUrl) return { url: environment.databaseUrl, embedded: false };
  if (existsSync(DATABASE_URL_FILE)) {
    const url = readFileSync(DATABASE_URL_FILE, 'utf8').trim();
    err(`（未设置 DATABASE_URL：使用 \`npm start\` 的内置数据库 ${url.replace(/:[^:@/]*@/, ':…@')}，地址取自 .data/database-url）`);
    return { url, embedded: true };
  }
  throw new UsageError(
    '未设置 DATABASE_URL，本机也没有正在运行的 `npm start`。\n' +
      '  可以在另一个终端运行 `npm start` 启动系统（它把内置数据库的地址写入 .data/database-url，本命令从那里读取），\n' +
      '  或者为本命令指定数据库：DATABASE_URL=postgres://user:password@host:5432/youchuang npm run audit -- …',
  );
}

function progressBar(label: string) {
  const started = performance.now();
  let lastTenth = -1;
  return (done: number, total: number) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
    const text = `${label} ${fmt(done)}/${fmt(total)} 个事件，每秒 ${fmt(rate)} 个`;
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

/**
 * The 申请编号 of the cases among these stream ids: an outside tester read whole-store findings and
 * drift rows by uuid alone, and could not tell which case to open.
 */
async function referenceNumbers(db: Db, ids: Iterable<unknown>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && UUID.test(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('cases').select(['case_id', 'reference_no']).where(sql<boolean>`case_id::text = ANY(${wanted})`).execute();
  return new Map(rows.map((r) => [r.case_id, r.reference_no]));
}

function printProblems(problems: readonly VerificationProblem[], total: number, names: ReadonlyMap<string, string> = new Map()) {
  for (const p of problems.slice(0, 50)) {
    const named = p.streamId ? names.get(p.streamId) : undefined;
    console.log(`  ✗ [${PROBLEM_KINDS[p.kind] ?? p.kind}]${named ? `（案件 ${named}）` : ''} ${p.message}`);
  }
  if (total > 50) console.log(`  …另有 ${fmt(total - 50)} 处（--json 最多列出 1,000 处）`);
}

/** A JSON file the auditor names; what it should hold is said when it is not JSON. */
async function readJsonFile(file: string, expected: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${file} 不是 JSON 文件：应为${expected}`);
  }
}

const CHECKPOINT_FILE = ' `npm run audit -- checkpoint export FILE` 导出的检查点文件';

/**
 * The warnings of as-of and diff, before what they show: a chain or checkpoint that failed its check
 * makes what follows no evidence. Then which versions the signed checkpoint proves, as verify --case says it.
 */
function warnFirst(report: Pick<CaseAsOf, 'chainIntact' | 'warnings' | 'checkpoint'>, caseId: string) {
  for (const w of report.warnings) console.log(`! ${w}`);
  if (!report.chainIntact) console.log(`  （每一处问题：npm run audit -- verify --case ${caseId}）`);
  const c = report.checkpoint;
  if (report.chainIntact && !c) console.log('尚无签名检查点：本案只由哈希链保护。');
  if (report.chainIntact && c) {
    console.log(c.coveredVersion > 0 ? `检查点 #${c.checkpointNo}（${describeInstant(new Date(c.createdAt)).shanghai}签署）的签名证明了本案第 1 至第 ${c.coveredVersion} 版；此后的记录只由哈希链保护。` : `检查点 #${c.checkpointNo}（${describeInstant(new Date(c.createdAt)).shanghai}签署）签署时本案还没有记录：本案只由哈希链保护。`);
  }
}

/** A case's type by its Chinese name (雏鹰计划（V聚场基金）创业借款), the stream type an auditor queries by in brackets. */
function caseTypeInWords(caseType: string): string {
  const name = moduleForStreamType(caseType)?.name;
  return name ? `${name} [${caseType}]` : caseType;
}

/**
 * An event by its title, as the case's timeline names it, with its type as recorded (what the hash
 * covers, and what the bundle's 事件类型 column holds) in brackets, for precision.
 */
function eventInWords(type: string, caseType: string): string {
  const title = eventTitleOf(type, moduleForStreamType(caseType)?.eventLabels);
  return title === type ? type : `${title} [${type}]`;
}

/** A value of a drifting column, as JSON, cut to a length a line can hold and marked where it was cut. */
function driftValue(value: unknown): string {
  if (value === undefined) return '（无）';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** How many places inside one JSON column are printed; --json lists more. */
const DIFFERENCES_SHOWN = 3;

/**
 * A read-model row that differs from its rebuild, as the auditor reads it: for a JSON column, each
 * place inside it that differs (details.project.summary：现有 "x" ≠ 重建 "y"), not the two documents'
 * first 60 characters, which were the same.
 */
function driftLine(d: RowDrift, names: ReadonlyMap<string, string> = new Map()): string {
  const what =
    d.kind === 'changed'
      ? d
          .columns!.flatMap((c) => {
            if (!c.differences) return [`${c.column}：现有 ${driftValue(c.live)} ≠ 重建 ${driftValue(c.rebuilt)}`];
            const all = c.differenceCount ?? c.differences.length;
            const shown = c.differences.slice(0, DIFFERENCES_SHOWN).map((p) => `${p.path}：现有 ${driftValue(p.live)} ≠ 重建 ${driftValue(p.rebuilt)}`);
            return all > shown.length ? [...shown, `${c.column} 中另有 ${fmt(all - shown.length)} 处不同（--json 列出前 ${c.differences.length} 处）`] : shown;
          })
          .join('；')
      : d.kind === 'missing'
        ? '事件产生这一行，现有读模型却没有'
        : '现有读模型有这一行，却没有事件能说明它';
  const named = names.get(String(d.key.case_id ?? d.key.stream_id ?? ''));
  return `  ✗ ${d.table} ${JSON.stringify(d.key)}${named ? `（案件 ${named}）` : ''}：${what}`;
}

/**
 * After verify --case's verdict on the events: the case's own read-model rows against them, and
 * plainly what this check leaves out. An outside tester changed a case's row by hand and was told 完好.
 */
function printCaseReadModels(readModels: CaseDriftReport | null) {
  const own = CASE_OWN_TABLES.join('、');
  const rest = '与其他案件共用的读模型（预算台账、奖补台账、通知等）不在此核验之内：请用 npm run audit -- drift 核验全部读模型。';
  if (!readModels) {
    console.log(`读模型：未比对（本案的事件记录未通过核验，由它重建的行不能作准）。${rest}`);
    return;
  }
  if (readModels.intact) console.log(`读模型：本案在 ${own} 中的行，与由本案 ${readModels.eventsReplayed} 个事件重建的相符。`);
  else {
    console.log(`读模型有偏差：本案在 ${own} 中有 ${readModels.driftCount} 行与由其事件重建的不符（工作人员看到的是现有的行）：`);
    for (const d of readModels.drift) console.log(driftLine(d));
  }
  console.log(`  ${rest}`);
}

/** Who asked for a checkpoint, as this CLI and the API record it (checkpoints.ts requestedBy), in words. */
const REQUESTERS: Readonly<Record<string, string>> = { cli: '命令行', 'cli export': '命令行导出证据包时' };

/**
 * Why each checkpoint was signed, in words: 定时 (the interval's, which records "interval" as its
 * requester too), or 按需 and who asked: this CLI, or an auditor named by their account.
 */
async function requestersInWords(db: Db, checkpoints: readonly Checkpoint[]): Promise<(c: Checkpoint) => string> {
  const ids = [...new Set(checkpoints.filter((c) => c.reason === 'on-demand' && !REQUESTERS[c.requestedBy]).map((c) => c.requestedBy))];
  const accounts = ids.length ? await db.selectFrom('accounts').select(['account_id', 'display_name']).where('account_id', 'in', ids).execute() : [];
  const names = new Map(accounts.map((a) => [a.account_id, a.display_name]));
  return (c) => (c.reason === 'interval' ? '定时' : `按需（${REQUESTERS[c.requestedBy] ?? names.get(c.requestedBy) ?? c.requestedBy}）`);
}

/** A case as the auditor named it, resolved: its id, and its 申请编号 where the read model has one. */
interface NamedCase {
  caseId: string;
  referenceNo: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * CASE_ID as written: a case's id, or its 申请编号 (CY-2026-000032), which is what an auditor has in
 * hand (the case page, a 决定书, a complaint name it; its id is nowhere a person reads). An outside
 * tester typed one and was told the case did not exist. Matched trimmed and in any letter case, as the
 * progress look-up matches it; the stored number first, through its unique index.
 */
async function resolveCase(db: Db, written: string): Promise<NamedCase> {
  const text = written.trim();
  if (UUID.test(text)) {
    const caseId = text.toLowerCase();
    const row = await db.selectFrom('cases').select('reference_no').where('case_id', '=', caseId).executeTakeFirst();
    return { caseId, referenceNo: row?.reference_no ?? null };
  }
  const byNumber = (await db.selectFrom('cases').select(['case_id', 'reference_no']).where('reference_no', '=', text.toUpperCase()).executeTakeFirst()) ??
    (await db.selectFrom('cases').select(['case_id', 'reference_no']).where(sql<string>`upper(reference_no)`, '=', text.toUpperCase()).executeTakeFirst());
  if (byNumber) return { caseId: byNumber.case_id, referenceNo: byNumber.reference_no };
  // A stream that is not a case's (its id no UUID) is still the store's to check.
  if (await db.selectFrom('streams').select('stream_id').where('stream_id', '=', text).executeTakeFirst()) return { caseId: text, referenceNo: null };
  throw new UsageError(`没有申请编号为 ${text} 的案件：请核对编号（申请编号如 CY-2026-000032，大小写均可；也可以写案件编号）。`);
}

/** A case in the headers: by its 申请编号 with its id beside it, what it is after them: 案件 CY-2026-000032（<id>，雏鹰计划…）. */
function caseInWords(named: NamedCase, caseType: string): string {
  return named.referenceNo ? `案件 ${named.referenceNo}（${named.caseId}，${caseTypeInWords(caseType)}）` : `案件 ${named.caseId}（${caseTypeInWords(caseType)}）`;
}

/** Why a case has no workflow history to replay, and whether the store knows the case at all. */
async function noWorkflowHistory(db: Db, caseId: string, namespace: string): Promise<string> {
  const { caseWorkflowId } = await import('../workflows/task-queues.js');
  const stream = await db.selectFrom('streams').select(['stream_type', 'version']).where('stream_id', '=', caseId).executeTakeFirst();
  const none = `流程引擎（命名空间 ${namespace}）中没有案件 ${caseId} 的工作流历史（工作流 ${caseWorkflowId(caseId)}）`;
  if (!stream) return `${none}；记录库中也没有这个案件：请核对案件编号。`;
  return (
    `${none}；记录库中有这个案件（${stream.stream_type}，记录到第 ${stream.version} 版）：它的工作流可能已过了流程引擎的保留期而被清除，` +
    '或者 TEMPORAL_ADDRESS、TEMPORAL_NAMESPACE 指向的不是办理它的流程引擎。保存过它的历史的，可以用 --history FILE 重放。'
  );
}

/** A client of the workflow engine that ran the cases (TEMPORAL_ADDRESS, or the running `npm start`'s), for as long as `use` runs. */
async function withTemporal<T>(otherwise: string, use: (client: TemporalClient, namespace: string) => Promise<T>): Promise<T> {
  const environment = readEnvironment();
  const address = environment.temporalAddress ?? (existsSync(TEMPORAL_ADDRESS_FILE) ? readFileSync(TEMPORAL_ADDRESS_FILE, 'utf8').trim() : undefined);
  if (!address) throw new UsageError(`未设置 TEMPORAL_ADDRESS，本机也没有正在运行的 \`npm start\`（它会写入 .data/temporal-address）${otherwise}`);
  const { Client, Connection } = await import('@temporalio/client');
  const connection = await Connection.connect(temporalConnectionOptions(environment, address));
  try {
    return await use(new Client({ connection, namespace: environment.temporalNamespace }), environment.temporalNamespace);
  } finally {
    await connection.close();
  }
}

async function readCheckpointFile(file: string): Promise<Checkpoint[]> {
  const parsed = (await readJsonFile(file, CHECKPOINT_FILE)) as { checkpoints?: Checkpoint[] } | Checkpoint[] | null;
  const list = Array.isArray(parsed) ? parsed : parsed?.checkpoints;
  if (!Array.isArray(list)) throw new UsageError(`${file} 中没有检查点：应为${CHECKPOINT_FILE}`);
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
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`没有 ${command} 这个命令`, true);
  checkArguments(command, options);
  if (command === 'keygen') {
    const [file] = need(options, 1, '写入密钥的文件 FILE');
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
      throw new UsageError(`无法连接数据库（${(error as Error).message}）${embedded ? '：`npm start` 是否仍在运行？' : ''}`);
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
      const caseArg = options.flags.get('--case');
      const file = options.flags.get('--checkpoints');
      const exported = typeof file === 'string' ? await readCheckpointFile(file) : undefined;
      if (typeof caseArg === 'string') {
        const named = await resolveCase(db, caseArg);
        const { caseId } = named;
        const report = await verifyCase(db, caseId, { trustedKey: key, ...(exported?.length ? { checkpoint: exported.reduce((a, c) => (c.checkpointNo > a.checkpointNo ? c : a)) } : {}) });
        // The rows the officials work from, rebuilt from events that passed; from events that did not, a rebuild proves nothing.
        const readModels = report.intact ? await rebuildCaseAndCompare(db, caseId) : null;
        if (json) out({ ...report, referenceNo: named.referenceNo, readModels });
        else {
          // The stored head record, and where the events end when that is elsewhere: what a changed head row changed.
          const end = report.eventsHead;
          const apart = !end || end.version !== report.head.version || end.hash !== report.head.hash;
          console.log(
            `${caseInWords(named, report.streamType)}：${report.events} 个事件，链头记录第 ${report.head.version} 版 ${report.head.hash.slice(0, 16)}…${apart ? `（事件${end ? `止于第 ${end.version} 版 ${end.hash.slice(0, 16)}…` : '一个也没有'}）` : ''}`,
          );
          if (report.checkpoint) {
            const c = report.checkpoint;
            const covers = c.coveredVersion > 0 ? `覆盖本案第 1 至第 ${c.coveredVersion} 版` : '签署时本案尚无记录';
            console.log(`检查点 #${c.checkpointNo}（日志位置 ${fmt(c.position)}，${describeInstant(new Date(c.createdAt)).shanghai}）${covers}：签名${CHECK_WORDS[c.signature] ?? c.signature}，流根${CHECK_WORDS[c.streamsRoot] ?? c.streamsRoot}`);
          }
          for (const w of report.warnings) console.log(`  ! ${w}`);
          if (report.intact) console.log(`完好：本案的事件记录（哈希链、链头${report.checkpoint ? '与检查点' : ''}）未被改动。`);
          else {
            console.log(`有问题。第一处：${report.firstProblem?.message}`);
            printProblems(report.problems, report.problems.length);
          }
          printCaseReadModels(readModels);
        }
        return report.intact && readModels?.intact ? 0 : 1;
      }
      const report = await verifyStore(db, { trustedKey: key, exported, onProgress: json ? undefined : progressBar('已核验') });
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
          printProblems(report.problems, report.problemCount, await referenceNumbers(db, report.problems.map((p) => p.streamId)));
        }
        // The store's check is of the events: what people are shown (the read models) is compared by drift, which an
        // outside tester's altered 尚欠本金 showed (verify said 记录完好; drift found it).
        console.log('读模型（办件页面、列表和台账显示的内容）未在此比对：请再运行 `npm run audit -- drift`，由事件重建后逐行比对。');
      }
      return report.intact ? 0 : 1;
    }
    case 'events': {
      const [written] = need(options, 1, 'CASE_ID');
      const named = await resolveCase(db, written!);
      const { caseType, events } = await caseStream(db, named.caseId);
      if (json) out({ caseId: named.caseId, referenceNo: named.referenceNo, caseType, events: events.map(auditedEvent) });
      else {
        console.log(`${caseInWords(named, caseType)}，${events.length} 个事件：`);
        for (const e of events) {
          console.log(`  第 ${e.streamVersion} 版  ${describeInstant(e.recordedAt).shanghai}  ${eventInWords(e.type, caseType)}  ${actorInWords(e.metadata.actor)}  ${e.hash.slice(0, 12)}…`);
        }
      }
      return 0;
    }
    case 'as-of': {
      const [written, at] = need(options, 2, 'CASE_ID 和 INSTANT');
      const instant = instantArg(at!);
      const named = await resolveCase(db, written!);
      const report = await caseAsOf(db, named.caseId, instant, { trustedKey: key });
      if (json) out({ ...report, referenceNo: named.referenceNo });
      else {
        warnFirst(report, named.caseId);
        console.log(`${caseInWords(named, report.caseType)}在 ${report.at.shanghai}（北京时间；UTC ${report.at.utc}）时：`);
        if (!report.existed) console.log('  尚不存在。');
        else {
          const last = report.lastEvent!;
          console.log(`  第 ${report.version} 版，最后一个事件为 ${eventInWords(last.type, report.caseType)}，${describeInstant(new Date(last.recordedAt)).shanghai} 由${actorInWords(last.actor)}记录；此后又记录了 ${report.laterEvents} 个事件。`);
          // In words, as the diff reads (--json keeps the state as stored, with its keys).
          for (const f of report.fields) console.log(`  ${f.label === UNNAMED_FIELD ? `${f.label}（${f.path}）` : f.label}：${f.value.text}`);
          // The case's state keeps a 补正 only while it is open: the rounds come from the events.
          for (const line of supplementRoundLines(report.supplements)) console.log(`  ${line}`);
        }
      }
      return report.chainIntact ? 0 : 1;
    }
    case 'diff': {
      const [written, from, to] = need(options, 3, 'CASE_ID 和两个时点 FROM、TO');
      const [fromInstant, toInstant] = [instantArg(from!), instantArg(to!)];
      const named = await resolveCase(db, written!);
      const report = await caseDiff(db, named.caseId, fromInstant, toInstant, { trustedKey: key });
      if (json) out({ ...report, referenceNo: named.referenceNo });
      else {
        warnFirst(report, named.caseId);
        console.log(`${caseInWords(named, report.caseType)}从 ${report.from.at.shanghai}（第 ${report.from.version} 版）到 ${report.to.at.shanghai}（第 ${report.to.version} 版）：`);
        console.log(`其间 ${report.events.length} 个事件：`);
        for (const e of report.events) console.log(`  第 ${e.version} 版  ${describeInstant(new Date(e.recordedAt)).shanghai}  ${eventInWords(e.type, report.caseType)}，${actorInWords(e.actor)}`);
        // In words, as the audit page shows them (还款计划 · 第 1 期 · 已还金额：0.00 元 → 8,000.00 元); --json keeps the paths and raw values too.
        console.log(`${report.rows.length} 处变化：`);
        for (const r of report.rows) console.log(`  ${r.label === UNNAMED_FIELD ? `${r.label}（${r.path}）` : r.label}：${r.before.text} → ${r.after.text}`);
      }
      return report.chainIntact ? 0 : 1;
    }
    case 'export': {
      const [written, dir] = need(options, 2, 'CASE_ID 和目录 DIR');
      const { caseId } = await resolveCase(db, written!);
      const exportedBy = `npm run audit (${process.env.USER ?? '用户不明'})`;
      // A fresh checkpoint first (when the key can sign), so that every event of the bundle is under the signature.
      let bundle;
      try {
        bundle = options.flags.has('--no-checkpoint')
          ? await buildCaseBundle(db, caseId, { now, exportedBy })
          : await exportCaseBundle(db, caseId, { now, exportedBy, key, requestedBy: 'cli export' });
      } catch (error) {
        // The record changed after it was signed or hashed: no new signature over it, and the auditor is told how to take what is there.
        if (!(error instanceof AlteredContentError || error instanceof SignedRecordChangedError)) throw error;
        if (json) out({ exported: false, code: error.code, message: error.message });
        else console.log(`✗ ${error.message}\n  仍要导出现有的记录（不签署新的检查点），请加 --no-checkpoint。`);
        return 1;
      }
      // What the bundle's own verifier will find, said now: an export whose chain is broken proves nothing.
      const standing = await verifyCase(db, caseId, { trustedKey: key });
      const files = await writeCaseBundle(dir!, bundle);
      if (json) out({ files, manifest: bundle.manifest, fullyCovered: fullyCovered(bundle.manifest), intact: standing.intact, firstProblem: standing.firstProblem ?? null });
      else {
        console.log(`已写入 ${files.join('、')}`);
        const { checkpoint: c, inclusion, events } = bundle.manifest;
        const signed = inclusion?.version ?? 0;
        const checkpoint = c ? `检查点 #${c.checkpointNo}（日志位置 ${fmt(c.position)}，密钥 ${c.keyId}）` : '';
        if (!standing.intact) console.log(`✗ 本案记录未通过核验：${standing.firstProblem?.message ?? ''}\n  证据包照实导出了现有记录，tools/verify-bundle.mjs 核验它也会判定不通过${c ? `；检查点 #${c.checkpointNo} 的签名只证明原来的哈希，不证明现在的内容` : ''}。`);
        else console.log(
          !c
            ? '没有检查点：证据包只能证明其哈希链（配置 AUDIT_SIGNING_KEY 后导出会先签署检查点）。'
            : signed === 0
              ? `${checkpoint}不覆盖本案任何事件：它签署时本案还没有记录。`
              : `${checkpoint}签名证明了${signed === events.count ? `本案全部 ${events.count} 个事件` : `本案 ${events.count} 个事件中的第 1 至第 ${signed} 个`}。`,
        );
        if (!fullyCovered(bundle.manifest)) {
          console.log(`  ! 有 ${fmt(events.count - signed)} 个事件没有签名证明：tools/verify-bundle.mjs 会判定不通过，除非加 --allow-unsigned-tail${key?.privateKey ? '' : '（配置 AUDIT_SIGNING_KEY 后，导出会先签署新的检查点）'}。`);
        }
        console.log(`可在任何地方核验：node tools/verify-bundle.mjs ${dir}${c ? ` --key-id ${c.keyId}` : ''}`);
      }
      return standing.intact ? 0 : 1;
    }
    case 'replay': {
      const [written] = need(options, 1, 'CASE_ID');
      const { caseId } = await resolveCase(db, written!);
      const { DefaultLogger, Runtime } = await import('@temporalio/worker');
      Runtime.install({ logger: new DefaultLogger('ERROR') });
      const { replayHistory, fetchCaseHistory, isWorkflowNotFound } = await import('./workflow-replay.js');
      const { bundleWorkflows } = await import('../worker/create-worker.js');
      const historyFile = options.flags.get('--history');
      let history: JsonHistory;
      if (typeof historyFile === 'string') history = (await readJsonFile(historyFile, '保存下来的 Temporal 工作流历史（JSON）')) as JsonHistory;
      else {
        history = await withTemporal('；也可以用 --history FILE 重放已保存的历史', async (client, namespace) => {
          try {
            return await fetchCaseHistory(client, caseId);
          } catch (error) {
            // Temporal's own answer is English gRPC ("5 NOT_FOUND: workflow not found for ID: …"): say what it means for this case.
            if (isWorkflowNotFound(error)) throw new UsageError(await noWorkflowHistory(db, caseId, namespace));
            throw error;
          }
        });
      }
      err('正在打包当前的工作流代码 …');
      const report = await replayHistory(caseId, history, await bundleWorkflows());
      if (json) out(report);
      else console.log(report.deterministic ? `✓ ${report.summary}` : `✗ ${report.summary}`);
      return report.deterministic ? 0 : 1;
    }
    case 'witness': {
      const written = options.positional[1];
      const named = written ? [await resolveCase(db, written)] : await db.selectFrom('cases').innerJoin('streams', (join) => join.on(sql<boolean>`streams.stream_id = cases.case_id::text`)).select(['case_id as caseId', 'reference_no as referenceNo']).orderBy('cases.reference_no').execute();
      const { fetchCaseRuns, witnessCase } = await import('./history-witness.js');
      const { isWorkflowNotFound } = await import('./workflow-replay.js');
      const reports = await withTemporal('', async (client, namespace) => {
        const done: { named: NamedCase; report: WitnessReport | null }[] = [];
        for (const one of named) {
          let runs;
          try {
            runs = await fetchCaseRuns(client, one.caseId);
          } catch (error) {
            if (!isWorkflowNotFound(error)) throw error;
            if (written) throw new UsageError(await noWorkflowHistory(db, one.caseId, namespace));
            done.push({ named: one, report: null });
            continue;
          }
          done.push({ named: one, report: witnessCase(one.caseId, await readStream(db, one.caseId), runs) });
        }
        return done;
      });
      const problems = reports.flatMap((r) => r.report?.problems.map((p) => ({ ...p, caseId: r.named.caseId, referenceNo: r.named.referenceNo })) ?? []);
      if (json) out(written ? { ...reports[0]!.report, referenceNo: reports[0]!.named.referenceNo } : { cases: reports.length, problems, reports: reports.map((r) => r.report ?? { caseId: r.named.caseId, noHistory: true }) });
      else if (written) {
        const report = reports[0]!.report!;
        console.log(`${report.intact ? '✓' : '✗'} ${report.summary.replace(`案件 ${report.caseId}`, reports[0]!.named.referenceNo ? `案件 ${reports[0]!.named.referenceNo}（${report.caseId}）` : `案件 ${report.caseId}`)}`);
        for (const p of report.problems) console.log(`  ${p.message}`);
      } else {
        const checked = reports.filter((r) => r.report);
        const events = checked.reduce((sum, r) => sum + r.report!.events, 0);
        const witnessed = checked.reduce((sum, r) => sum + r.report!.witnessed, 0);
        const gone = reports.length - checked.length;
        const unchecked = checked.reduce((sum, r) => sum + r.report!.unchecked, 0);
        console.log(`已用工作流历史核对 ${fmt(checked.length)} 个案件的 ${fmt(events)} 个事件：${fmt(witnessed)} 个与本案工作流写入的相符。`);
        if (gone > 0 || unchecked > 0) {
          console.log(`  ! 流程引擎已不再保存（超过保留期）${gone > 0 ? ` ${fmt(gone)} 个案件的工作流历史` : ''}${gone > 0 && unchecked > 0 ? '，以及' : ''}${unchecked > 0 ? `另外 ${fmt(unchecked)} 个事件所在的早期运行` : ''}：这些未能核对。`);
        }
        for (const r of reports) for (const p of r.report?.problems ?? []) console.log(`  ${r.named.referenceNo ?? r.named.caseId}：${p.message}`);
        console.log(problems.length === 0 ? '没有发现流程以外写入、改动或删去的事件。' : `发现 ${fmt(problems.length)} 处不符。`);
      }
      return problems.length === 0 ? 0 : 1;
    }
    case 'drift': {
      const report = await rebuildAndCompare(db, { keepScratchSchema: options.flags.has('--keep-scratch'), onProgress: json ? undefined : progressBar('已重建') });
      if (json) out(report);
      else {
        console.log(`由 ${fmt(report.eventsReplayed)} 个事件（至日志位置 ${fmt(report.position)}）重建读模型，用时 ${report.seconds.toFixed(1)} 秒${report.scratchSchemaKept ? `，保留在 schema ${report.scratchSchema}` : ''}：`);
        for (const t of report.tables) console.log(`  ${t.table.padEnd(18)} 现有 ${fmt(t.liveRows)} 行，重建 ${fmt(t.rebuiltRows)} 行：不同 ${t.changed}，缺少 ${t.missing}，多出 ${t.extra}`);
        const names = await referenceNumbers(db, report.drift.slice(0, 50).flatMap((d) => [d.key.case_id, d.key.stream_id]));
        for (const d of report.drift.slice(0, 50)) console.log(driftLine(d, names));
        console.log(report.intact ? '没有偏差：每个读模型都与事件相符。' : `${report.driftCount} 行有偏差。`);
      }
      return report.intact ? 0 : 1;
    }
    case 'checkpoint': {
      const sub = options.positional[1] ?? 'create';
      if (sub === 'create') {
        if (!key?.privateKey) throw new UsageError(`${key ? `${key.source} 只有公钥，不能签名` : '没有签名密钥'}：请设置 AUDIT_SIGNING_KEY 或 AUDIT_SIGNING_KEY_FILE（内置环境下 npm start 会生成 .data/audit-signing-key.pem）`);
        const { checkpoint, created } = await createCheckpoint(db, key, { now, reason: 'on-demand', requestedBy: 'cli' });
        if (json) out({ created, checkpoint });
        else console.log(`${created ? '已签署检查点' : '自上一个检查点以来没有新事件：检查点'} #${checkpoint.checkpointNo}：${fmt(checkpoint.eventCount)} 个事件，至日志位置 ${fmt(checkpoint.position)}，${fmt(checkpoint.streamCount)} 条事件流，密钥 ${checkpoint.keyId}。`);
        return 0;
      }
      const checkpoints = await listCheckpoints(db);
      if (sub === 'list') {
        if (json) out(checkpoints);
        else {
          const requestedBy = await requestersInWords(db, checkpoints);
          for (const c of checkpoints) console.log(`#${c.checkpointNo}  ${describeInstant(new Date(c.createdAt)).shanghai}  日志位置 ${fmt(c.position)}  ${fmt(c.eventCount)} 个事件  ${requestedBy(c)}  密钥 ${c.keyId}`);
        }
        return 0;
      }
      if (sub === 'export') {
        const file = options.positional[2];
        if (!file) throw new UsageError('checkpoint export 需要导出到的文件 FILE', true);
        await writeFile(file, `${JSON.stringify({ exportedAt: now().toISOString(), keyId: key?.keyId ?? null, publicKey: key?.publicKeyPem ?? null, checkpoints }, null, 2)}\n`);
        console.log(`已将 ${checkpoints.length} 个检查点写入 ${file}：请保存在系统之外，核验时用 npm run audit -- verify --checkpoints ${file}`);
        return 0;
      }
      throw new UsageError(`没有 checkpoint ${sub} 这个命令：可用 create、list 或 export FILE`, true);
    }
    default:
      throw new UsageError(`没有 ${command} 这个命令`, true);
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
        if (error.showUsage) err(`\n${USAGE}`);
      } else err(`出错：${errorInWords(error)}`);
      process.exitCode = 2;
    },
  );
}
