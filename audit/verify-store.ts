import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { connectionStringOf, type Db } from '../db/client.js';
import { readStream, type StoredEvent } from '../db/event-store.js';
import { GENESIS_HASH } from '../db/hash-chain.js';
import { caseNotFound } from '../domain/errors.js';
import { recomputedEventHash } from './event-hash.js';
import { checkpointSignatureProblem, latestCheckpoint, listCheckpoints, streamHeadsAt, type Checkpoint } from './checkpoints.js';
import { GENESIS_DIGEST, inclusionProof, nextLogDigest, rootFromProof, sortHeads, streamLeafHash, streamsRoot, type StreamHead } from './log-digest.js';
import { defaultWorkerCount, VerifierPool, WORKERS_FROM_EVENTS } from './parallel-verify.js';
import type { AuditKey } from './signing-key.js';
import { asRowText, EVENT_ROW_COLUMNS, type EventRowText } from './verify-worker.js';

export type ProblemKind = 'chain' | 'head' | 'checkpoint' | 'signature' | 'checkpoint-missing' | 'streams-root' | 'letter';

export interface VerificationProblem {
  kind: ProblemKind;
  message: string;
  streamId?: string;
  streamVersion?: number;
  globalPosition?: number;
  checkpointNo?: number;
}

interface ChainState {
  version: number;
  hash: string;
  position: number;
  /** Whether the event at `version` passed its own check: when not, its hash is suspect too. */
  lastIntact?: boolean;
}

/**
 * What is wrong when a stream's head row disagrees with its events, in the same words for the whole
 * store and for one case: what the stored head record holds (version and hash) against what the
 * events give. A head row changed alone was reported per case as "第 14 版 … 止于第 14 版", and with
 * the events' hash as the head, which hid what had changed.
 */
function headProblem(head: { version: number; hash: string }, events: ChainState): string | undefined {
  if (head.version === events.version && head.hash === events.hash) return undefined;
  const cause =
    head.version > events.version ? '末尾的事件被删除了' : events.lastIntact === false ? '链头记录或最后一个事件被改动过（最后一个事件本身也未通过核验）' : '链头记录被改动过';
  return `链头记录为第 ${head.version} 版、哈希 ${head.hash.slice(0, 12)}…，其事件却止于第 ${events.version} 版${events.version ? `、哈希 ${events.hash.slice(0, 12)}…` : ''}：${cause}`;
}

/**
 * Checks one event against the state of its stream so far (the events before it, in log order)
 * and returns what is wrong with it, if anything. After a problem the caller carries on from this
 * event's stored version and hash, so one altered event is one problem, not a cascade.
 */
function chainProblem(state: ChainState, e: ChainLink, contentMatches: () => boolean): string | undefined {
  if (e.streamVersion > state.version + 1) {
    const missing = e.streamVersion - state.version - 1;
    return `应为第 ${state.version + 1} 版，实为第 ${e.streamVersion} 版：${missing === 1 ? `第 ${state.version + 1} 版事件` : `第 ${state.version + 1} 至第 ${e.streamVersion - 1} 版事件`}缺失`;
  }
  if (e.streamVersion <= state.version) {
    return `第 ${e.streamVersion} 版在日志中排在第 ${state.version} 版之后（日志位置 ${e.globalPosition} 在 ${state.position} 之后）：事件被重排或重复`;
  }
  if (e.prevHash !== state.hash) return '其“前一哈希”与前一个事件的哈希不符：前面的事件被删除、插入或改动过';
  if (!contentMatches()) return '内容与其哈希不符：写入后被改动过';
  return undefined;
}

/** What the links between events are checked on: an event without its content. */
type ChainLink = Pick<StoredEvent, 'globalPosition' | 'streamId' | 'streamVersion' | 'prevHash' | 'hash'>;

const MAX_LISTED_PROBLEMS = 1000;

class ProblemList {
  readonly listed: VerificationProblem[] = [];
  count = 0;
  add(problem: VerificationProblem) {
    this.count++;
    if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(problem);
  }
}

export interface CheckpointComparison {
  /** Checkpoints held outside the database (an earlier export): they are checked in preference, and each must still be in the table unchanged. */
  exported?: readonly Checkpoint[];
  /** The key checkpoints must be signed with; without it signatures are checked against the keys stored beside them. */
  trustedKey?: AuditKey;
}

/** Merges the stored checkpoints with exported copies, reporting those deleted or changed since the export. */
function checkpointsToCheck(stored: Checkpoint[], options: CheckpointComparison, problems: ProblemList): Checkpoint[] {
  const byNo = new Map(stored.map((c) => [c.checkpointNo, c]));
  for (const exported of options.exported ?? []) {
    const current = byNo.get(exported.checkpointNo);
    // A copy that is not as it was signed proves nothing of the database: it is said to be the copy's fault, and the stored one is checked as it is.
    const copyProblem = checkpointSignatureProblem(exported, options.trustedKey);
    if (copyProblem) {
      problems.add({
        kind: 'signature',
        checkpointNo: exported.checkpointNo,
        message: `导出的检查点 #${exported.checkpointNo} 不是签署时的原样（${copyProblem}）：这份副本被改动过或不是本系统签发的，不能据以核验数据库；数据库中的检查点 #${exported.checkpointNo} 照常核验`,
      });
      continue;
    }
    if (!current) {
      problems.add({ kind: 'checkpoint-missing', checkpointNo: exported.checkpointNo, message: `检查点 #${exported.checkpointNo}（日志位置 ${exported.position}，签署于 ${exported.createdAt}）此前已导出，数据库中却已没有：它被删除了` });
    } else if (current.signature !== exported.signature || current.logDigest !== exported.logDigest || current.position !== exported.position) {
      problems.add({ kind: 'checkpoint-missing', checkpointNo: exported.checkpointNo, message: `数据库中的检查点 #${exported.checkpointNo} 与此前导出的副本不同：它被替换过；核验以导出的副本为准` });
    }
    byNo.set(exported.checkpointNo, exported);
  }
  const all = [...byNo.values()].sort((a, b) => a.position - b.position || a.checkpointNo - b.checkpointNo);
  for (const c of all) {
    const problem = checkpointSignatureProblem(c, options.trustedKey);
    if (problem) problems.add({ kind: 'signature', checkpointNo: c.checkpointNo, message: problem });
  }
  return all;
}

export interface StoreVerificationReport {
  intact: boolean;
  eventsChecked: number;
  streamsChecked: number;
  seconds: number;
  eventsPerSecond: number;
  checkpoints: {
    checked: number;
    /** The key signatures were checked with, or null when none was configured (see warnings). */
    trustedKeyId: string | null;
    latest: { checkpointNo: number; position: number; createdAt: string } | null;
    /** Events after the latest checkpoint: protected by their chains only, until the next checkpoint. */
    eventsAfterLatest: number;
  };
  problemCount: number;
  /** The first 1,000 problems, in the order found. */
  problems: VerificationProblem[];
  warnings: string[];
}

export interface StoreVerificationOptions extends CheckpointComparison {
  batchSize?: number;
  /** Worker threads for the hashing: by default one per core once the store is large enough to pay for starting them (0: this thread). */
  workers?: number;
  onProgress?: (eventsChecked: number, totalEvents: number) => void;
  now?: () => number;
}

/**
 * Verifies the whole store in one pass over the log in position order: every stream's chain
 * (version by version, previous hash, recomputed hash), every stream's head row, and every
 * checkpoint (signature, event count and log digest at its position; streams root at the latest
 * one and at every exported one).
 */
export async function verifyStore(db: Db, options: StoreVerificationOptions = {}): Promise<StoreVerificationReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const problems = new ProblemList();
  const warnings: string[] = [];
  const checkpoints = checkpointsToCheck(await listCheckpoints(db), options, problems);
  if (!options.trustedKey && checkpoints.length > 0) {
    warnings.push('未配置可信公钥（AUDIT_SIGNING_KEY 或 AUDIT_PUBLIC_KEY）：检查点的签名是用与检查点存放在一起的公钥核对的，能改动数据库的人可以把这些公钥一并换掉');
  }
  const latest = checkpoints.reduce<Checkpoint | undefined>((a, c) => (!a || c.checkpointNo > a.checkpointNo ? c : a), undefined);
  const rootChecked = new Set<Checkpoint>([...(latest ? [latest] : []), ...checkpoints.filter((c) => options.exported?.some((e) => e.checkpointNo === c.checkpointNo))]);

  const { total } = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const streams = new Map<string, ChainState>();
  let digest = GENESIS_DIGEST;
  let count = 0; // events up to here as the digest sees them (set back to a checkpoint's count after a mismatch)
  let checkedCount = 0;
  let eventsAfterLatest = 0;
  let next = 0;
  let lastMatched: Checkpoint | undefined;

  const checkAt = (c: Checkpoint) => {
    const since = lastMatched ? `在相符的检查点 #${lastMatched.checkpointNo}（日志位置 ${lastMatched.position}）之后` : '在日志开头与此之间';
    if (count !== c.eventCount || digest !== c.logDigest) {
      const counted = count === c.eventCount ? `事件数相同（${count} 个），但事件或其顺序不同` : `签署时有 ${c.eventCount} 个事件，现在到该位置为 ${count} 个`;
      problems.add({
        kind: 'checkpoint',
        checkpointNo: c.checkpointNo,
        globalPosition: c.position,
        message: `截至日志位置 ${c.position} 的日志与检查点 #${c.checkpointNo}（签署于 ${c.createdAt}）不再相符：${counted}；改动发生${since}`,
      });
      // Carry on from what was signed, so each later checkpoint speaks for its own stretch of the log.
      digest = c.logDigest;
      count = c.eventCount;
    } else {
      lastMatched = c;
    }
    if (rootChecked.has(c)) {
      const heads = [...streams.entries()].map(([streamId, s]) => ({ streamId, version: s.version, hash: s.hash }));
      if (heads.length !== c.streamCount || streamsRoot(heads) !== c.streamsRoot) {
        problems.add({
          kind: 'streams-root',
          checkpointNo: c.checkpointNo,
          message: `日志位置 ${c.position} 处各事件流的链头（${heads.length} 条）算不出检查点 #${c.checkpointNo} 签署的流根（${c.streamCount} 条）`,
        });
      }
    }
  };

  // The log is read in position order, a batch at a time. With workers, this thread reads only the
  // links (position, stream, version, hashes) and each worker reads the content of a batch itself,
  // on its own connection, and recomputes its hashes: no rows cross threads. On this thread alone,
  // the content comes with the links, as text (no JSON parsed here). Either way the walk over a
  // batch waits for its content's verdict only, while the next batches are read and checked.
  const batchSize = options.batchSize ?? 5000;
  const pool = new VerifierPool(options.workers ?? (total >= WORKERS_FROM_EVENTS ? defaultWorkerCount() : 0));
  const url = pool.size > 0 ? connectionStringOf(db) : undefined;
  const fetch = async (after: number): Promise<ChainLink[] | EventRowText[]> => {
    if (url) {
      return db
        .selectFrom('events')
        .select(['global_position as globalPosition', 'stream_id as streamId', 'stream_version as streamVersion', 'prev_hash as prevHash', 'hash'])
        .where('global_position', '>', after)
        .orderBy('global_position')
        .limit(batchSize)
        .execute();
    }
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${sql.raw(EVENT_ROW_COLUMNS)} FROM events WHERE global_position > ${after} ORDER BY global_position LIMIT ${batchSize}`.execute(db);
    return rows.map(asRowText);
  };
  /** A batch's links, and the positions of its events whose content no longer matches their hash. */
  const checked = (rows: ChainLink[] | EventRowText[]): { links: ChainLink[]; altered: Promise<number[]> } => {
    if (url) {
      const links = rows as ChainLink[];
      return { links, altered: pool.alteredContentBetween(url, links[0]!.globalPosition, links[links.length - 1]!.globalPosition) };
    }
    const texts = rows as EventRowText[];
    const links = texts.map((row) => ({ globalPosition: row[0], streamId: row[1], streamVersion: row[2], prevHash: row[9], hash: row[10] }));
    return { links, altered: pool.alteredContent(texts).then((indexes) => indexes.map((i) => texts[i]![0])) };
  };
  try {
    const inFlight: { links: ChainLink[]; altered: Promise<number[]> }[] = [];
    const walk = async ({ links, altered }: { links: ChainLink[]; altered: Promise<number[]> }) => {
      const alteredAt = new Set(await altered);
      for (const e of links) {
        while (next < checkpoints.length && checkpoints[next]!.position < e.globalPosition) checkAt(checkpoints[next++]!);
        const state = streams.get(e.streamId) ?? { version: 0, hash: GENESIS_HASH, position: 0 };
        const problem = chainProblem(state, e, () => !alteredAt.has(e.globalPosition));
        if (problem) problems.add({ kind: 'chain', streamId: e.streamId, streamVersion: e.streamVersion, globalPosition: e.globalPosition, message: `${e.streamId} 第 ${e.streamVersion} 版（日志位置 ${e.globalPosition}）：${problem}` });
        // An event out of order leaves the stream where it was, so the next in-order event still links.
        if (e.streamVersion > state.version) streams.set(e.streamId, { version: e.streamVersion, hash: e.hash, position: e.globalPosition, lastIntact: !problem });
        digest = nextLogDigest(digest, e);
        count++;
        checkedCount++;
        if (latest && e.globalPosition > latest.position) eventsAfterLatest++;
      }
      options.onProgress?.(checkedCount, total);
    };
    let pending = fetch(0);
    for (;;) {
      const rows = await pending;
      if (rows.length === 0) break;
      const batch = checked(rows);
      pending = rows.length === batchSize ? fetch(batch.links[batch.links.length - 1]!.globalPosition) : Promise.resolve([]);
      inFlight.push(batch);
      // Keep every worker busy with a batch while this thread walks the oldest one.
      if (inFlight.length > Math.max(1, pool.size)) await walk(inFlight.shift()!);
    }
    while (inFlight.length) await walk(inFlight.shift()!);
  } finally {
    await pool.close();
  }
  while (next < checkpoints.length) checkAt(checkpoints[next++]!);

  // A stream's head row must agree with its last event: a cut-off tail shows here even before any checkpoint.
  const heads = await db.selectFrom('streams').select(['stream_id', 'version', 'head_hash']).execute();
  for (const head of heads) {
    const state = streams.get(head.stream_id) ?? { version: 0, hash: GENESIS_HASH, position: 0 };
    const problem = headProblem({ version: head.version, hash: head.head_hash }, state);
    if (problem) problems.add({ kind: 'head', streamId: head.stream_id, streamVersion: state.version, message: `${head.stream_id}：${problem}` });
  }

  const seconds = (now() - started) / 1000;
  return {
    intact: problems.count === 0,
    eventsChecked: checkedCount,
    streamsChecked: streams.size,
    seconds,
    eventsPerSecond: seconds > 0 ? Math.round(checkedCount / seconds) : 0,
    checkpoints: {
      checked: checkpoints.length,
      trustedKeyId: options.trustedKey?.keyId ?? null,
      latest: latest ? { checkpointNo: latest.checkpointNo, position: latest.position, createdAt: latest.createdAt } : null,
      eventsAfterLatest,
    },
    problemCount: problems.count,
    problems: problems.listed,
    warnings,
  };
}

export interface CaseVerificationReport {
  caseId: string;
  streamType: string;
  intact: boolean;
  events: number;
  /** The stored head record (the `streams` row): what the chain is said to end at. */
  head: { version: number; hash: string };
  /** Where the events themselves end: the last event's version and hash (null when there is none). Differs from `head` when either was changed. */
  eventsHead: { version: number; hash: string } | null;
  /** The first problem, by stream version: where an auditor starts looking. */
  firstProblem: VerificationProblem | null;
  problems: VerificationProblem[];
  checkpoint: {
    checkpointNo: number;
    position: number;
    createdAt: string;
    /** The case's version at the checkpoint's position: events 1..coveredVersion are under the signature. */
    coveredVersion: number;
    signature: 'valid' | 'invalid';
    trustedKeyId: string | null;
    streamsRoot: 'matches' | 'differs';
  } | null;
  warnings: string[];
}

/**
 * One stream's own record, as its events and its head row hold it: the chain in log order (each
 * version following the last, each previous hash the one before it, each hash recomputed from the
 * content) and the head row against the last event. What `verify --case` checks before the
 * checkpoint, and what as-of and diff check before they fold the events (audit/case-history.ts).
 */
export function caseChainProblems(caseId: string, head: { version: number; hash: string }, events: readonly StoredEvent[]): VerificationProblem[] {
  // Log order is the order that matters for reordering: sort by position, then check versions follow.
  const inLogOrder = [...events].sort((a, b) => a.globalPosition - b.globalPosition);
  const problems: VerificationProblem[] = [];
  let state: ChainState = { version: 0, hash: GENESIS_HASH, position: 0 };
  for (const e of inLogOrder) {
    const problem = chainProblem(state, e, () => recomputedEventHash(e) === e.hash);
    if (problem) problems.push({ kind: 'chain', streamId: caseId, streamVersion: e.streamVersion, globalPosition: e.globalPosition, message: `第 ${e.streamVersion} 版（日志位置 ${e.globalPosition}）：${problem}` });
    if (e.streamVersion > state.version) state = { version: e.streamVersion, hash: e.hash, position: e.globalPosition, lastIntact: !problem };
  }
  const problem = headProblem(head, state);
  if (problem) problems.push({ kind: 'head', streamId: caseId, streamVersion: state.version, message: problem });
  return problems;
}

/** The problem an auditor starts from: the lowest version's. */
export function firstProblemOf(problems: readonly VerificationProblem[]): VerificationProblem | null {
  return [...problems].sort((a, b) => (a.streamVersion ?? Infinity) - (b.streamVersion ?? Infinity))[0] ?? null;
}

/**
 * One case's chain, head row and standing against a checkpoint (the latest, unless one is given):
 * its signature, and whether the heads of all streams at its position (this case's taken from
 * its own verified chain) still hash to the signed root.
 */
export async function verifyCase(db: Db, caseId: string, options: { checkpoint?: Checkpoint; trustedKey?: AuditKey } = {}): Promise<CaseVerificationReport> {
  const stream = await db.selectFrom('streams').selectAll().where('stream_id', '=', caseId).executeTakeFirst();
  if (!stream) throw caseNotFound(caseId);
  const events = await readStream(db, caseId);
  const problems = caseChainProblems(caseId, { version: stream.version, hash: stream.head_hash }, events);
  const last = events[events.length - 1];
  const standing = await caseStandingAgainstCheckpoint(db, caseId, events, options);
  const letters = await caseLetterProblems(db, caseId, events);
  const all = [...problems, ...standing.problems, ...letters];

  return {
    caseId,
    streamType: stream.stream_type,
    intact: all.length === 0,
    events: events.length,
    head: { version: stream.version, hash: stream.head_hash },
    eventsHead: last ? { version: last.streamVersion, hash: last.hash } : null,
    firstProblem: firstProblemOf(all),
    problems: all,
    checkpoint: standing.checkpoint,
    warnings: standing.warnings,
  };
}

/**
 * The decision letters (决定书) the case's events say were issued, against the files kept: each must
 * be there, and its PDF must give the SHA-256 its decision's event recorded. The letter is what the
 * applicant holds in law; an outside tester swapped one for another case's (its PDF and its stored
 * hash together), and it vanished from everyone's list with no check saying why.
 */
async function caseLetterProblems(db: Db, caseId: string, events: readonly StoredEvent[]): Promise<VerificationProblem[]> {
  const named = events.flatMap((e) => {
    const letter = (e.data as { letter?: { letterId?: unknown; letterNo?: unknown; sha256?: unknown } }).letter;
    return typeof letter?.letterId === 'string' && typeof letter.sha256 === 'string' ? [{ event: e, letterId: letter.letterId, letterNo: typeof letter.letterNo === 'string' ? letter.letterNo : '', sha256: letter.sha256 }] : [];
  });
  if (named.length === 0) return [];
  const rows = await db
    .selectFrom('decision_letters')
    .select(['letter_id', 'case_id', 'title', 'pdf'])
    .where('letter_id', 'in', named.map((n) => n.letterId))
    .execute();
  const byId = new Map(rows.map((r) => [r.letter_id, r]));
  const problems: VerificationProblem[] = [];
  for (const n of named) {
    const row = byId.get(n.letterId);
    const which = `第 ${n.event.streamVersion} 版记录签发的决定书${n.letterNo ? ` ${n.letterNo}` : ''}`;
    const at = { streamId: caseId, streamVersion: n.event.streamVersion, globalPosition: n.event.globalPosition };
    if (!row || row.case_id !== caseId) {
      problems.push({ kind: 'letter', ...at, message: `${which}在决定书库中${row ? '属于另一个案件' : '不存在'}：文件被删掉或挪走了，申请人和工作人员都已看不到它` });
    } else if (createHash('sha256').update(row.pdf).digest('hex') !== n.sha256) {
      problems.push({ kind: 'letter', ...at, message: `${which}（${row.title}）的文件与该版记录的哈希不符：文件在签发后被换过或改过，系统已不再提供它` });
    }
  }
  return problems;
}

/**
 * A case's events against a signed checkpoint (the latest, unless one is given): its signature, and
 * whether the heads of all streams at its position (this case's taken from its own events) still
 * hash to the signed root. A chain rewritten with every hash recomputed passes the chain's own check
 * and fails this one. What `verify --case` reports, and what as-of and diff check before they fold.
 */
export async function caseStandingAgainstCheckpoint(
  db: Db,
  caseId: string,
  events: readonly StoredEvent[],
  options: { checkpoint?: Checkpoint; trustedKey?: AuditKey } = {},
): Promise<{ problems: VerificationProblem[]; warnings: string[]; checkpoint: CaseVerificationReport['checkpoint'] }> {
  const checkpoint = options.checkpoint ?? (await latestCheckpoint(db));
  if (!checkpoint) return { problems: [], warnings: ['尚无签名检查点：本案目前只由哈希链保护'], checkpoint: null };
  const problems: VerificationProblem[] = [];
  const warnings: string[] = [];
  const signatureProblem = checkpointSignatureProblem(checkpoint, options.trustedKey);
  if (signatureProblem) problems.push({ kind: 'signature', checkpointNo: checkpoint.checkpointNo, message: signatureProblem });
  if (!options.trustedKey) warnings.push('未配置可信公钥（AUDIT_SIGNING_KEY 或 AUDIT_PUBLIC_KEY）：检查点的签名是用与它存放在一起的公钥核对的，能改动数据库的人可以把这个公钥一并换掉');
  const covered = events.filter((e) => e.globalPosition <= checkpoint.position);
  const ownHead = covered.length ? { streamId: caseId, version: covered[covered.length - 1]!.streamVersion, hash: covered[covered.length - 1]!.hash } : undefined;
  const heads = (await streamHeadsAt(db, checkpoint.position)).filter((h) => h.streamId !== caseId);
  const root = streamsRoot(ownHead ? [...heads, ownHead] : heads);
  const matches = root === checkpoint.streamsRoot && heads.length + (ownHead ? 1 : 0) === checkpoint.streamCount;
  if (!matches) {
    problems.push({
      kind: 'streams-root',
      checkpointNo: checkpoint.checkpointNo,
      message: `日志位置 ${checkpoint.position} 处各事件流的链头（本案为第 ${ownHead?.version ?? 0} 版）算不出检查点 #${checkpoint.checkpointNo} 签署的流根：本案或其他事件流在该位置之前被改动过（全库核验可查出在哪里）`,
    });
  }
  return {
    problems,
    warnings,
    checkpoint: {
      checkpointNo: checkpoint.checkpointNo,
      position: checkpoint.position,
      createdAt: checkpoint.createdAt,
      coveredVersion: ownHead?.version ?? 0,
      signature: signatureProblem ? 'invalid' : 'valid',
      trustedKeyId: options.trustedKey?.keyId ?? null,
      streamsRoot: matches ? 'matches' : 'differs',
    },
  };
}

/** The path from a stream's head at a checkpoint to the checkpoint's streams root, for a case bundle. */
export async function streamInclusion(db: Db, checkpoint: Checkpoint, streamId: string) {
  const heads: StreamHead[] = sortHeads(await streamHeadsAt(db, checkpoint.position));
  const index = heads.findIndex((h) => h.streamId === streamId);
  if (index < 0) return undefined;
  const leaves = heads.map(streamLeafHash);
  const proof = inclusionProof(leaves, index);
  return { head: heads[index]!, proof, root: rootFromProof(leaves[index]!, proof) };
}
