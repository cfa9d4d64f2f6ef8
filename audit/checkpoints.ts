import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/client.js';
import { DomainError } from '../domain/errors.js';
import { APPEND_FENCE_LOCK } from '../db/event-store.js';
import { canonicalJson } from '../db/hash-chain.js';
import type { AuditCheckpointsTable } from '../db/tables/audit-checkpoints.table.js';
import { GENESIS_DIGEST, nextLogDigest, sortHeads, streamsRoot, type StreamHead } from './log-digest.js';
import { signatureIsValid, signStatement, type AuditKey } from './signing-key.js';
import { alteredContent, asRowText, EVENT_ROW_COLUMNS } from './verify-worker.js';

export const CHECKPOINT_FORMAT = 'youchuang-audit-checkpoint/1';

/** A signed checkpoint, as stored and as exported (JSON). */
export interface Checkpoint {
  checkpointNo: number;
  /** Covers every event whose global position is at most this. */
  position: number;
  eventCount: number;
  logDigest: string;
  streamCount: number;
  streamsRoot: string;
  createdAt: string;
  reason: 'interval' | 'on-demand';
  requestedBy: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

/** The exact text that is signed: every field but the signature and the key itself, as canonical JSON. */
export function checkpointStatement(c: Omit<Checkpoint, 'signature' | 'publicKey'>): string {
  return canonicalJson({
    format: CHECKPOINT_FORMAT,
    checkpointNo: c.checkpointNo,
    position: c.position,
    eventCount: c.eventCount,
    logDigest: c.logDigest,
    streamCount: c.streamCount,
    streamsRoot: c.streamsRoot,
    createdAt: c.createdAt,
    reason: c.reason,
    requestedBy: c.requestedBy,
    keyId: c.keyId,
  });
}

/**
 * What is wrong with a checkpoint's signature, or undefined when it is good. With a trusted key the
 * checkpoint must be signed by that key; without one only the key stored beside it can be used,
 * which proves nothing against someone who could also replace that key.
 */
export function checkpointSignatureProblem(c: Checkpoint, trustedKey: AuditKey | undefined): string | undefined {
  const statement = checkpointStatement(c);
  if (trustedKey) {
    if (c.keyId !== trustedKey.keyId) return `检查点 #${c.checkpointNo} 由密钥 ${c.keyId} 签署，不是所信任的密钥 ${trustedKey.keyId}`;
    if (!signatureIsValid(trustedKey.publicKeyPem, statement, c.signature)) return `检查点 #${c.checkpointNo} 的签名不能被可信密钥 ${trustedKey.keyId} 证实：签署后内容被改动过`;
    return undefined;
  }
  if (!signatureIsValid(c.publicKey, statement, c.signature)) return `检查点 #${c.checkpointNo} 的签名与其内容不符`;
  return undefined;
}

const ACQUIRE_FENCE_TIMEOUT = '10s';
// Serialises checkpoint creators so checkpoint numbers and digests follow each other.
const CHECKPOINT_SERIAL_LOCK = 0x5943_4350; // 'YCCP'

/**
 * The highest global position below which no append can still be in flight. Taking the append
 * fence exclusively waits for every append that already holds it (they hold it from before their
 * positions are assigned until commit), and makes new appends wait for the instant we hold it. In
 * that instant the highest committed position is the highest position ever handed out by a
 * transaction that will commit; every later append gets a higher one. The lock is released at
 * commit, right after one SELECT, so appends stall for that instant only.
 *
 * (The alternatives: serialising every append on one lock would cap throughput; checkpointing "up to
 * the smallest in-flight position" needs each transaction's position range published somewhere.)
 */
export async function fencedPosition(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL lock_timeout = ${sql.lit(ACQUIRE_FENCE_TIMEOUT)}`.execute(trx);
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(APPEND_FENCE_LOCK)})`.execute(trx);
    // READ COMMITTED: this statement's snapshot is taken after the lock was granted.
    const { rows } = await sql<{ position: number | null }>`SELECT max(global_position) AS position FROM events`.execute(trx);
    return rows[0]?.position ?? 0;
  });
}

/**
 * Every stream's head as of a global position: its version and the hash of its last event at or
 * below the position. One statement, so one snapshot: a stream appended to after the position is
 * taken back to the version before its first later event.
 */
export async function streamHeadsAt(db: Db, position: number): Promise<StreamHead[]> {
  const { rows } = await sql<{ stream_id: string; version: number; hash: string }>`
    WITH later AS (
      SELECT stream_id, min(stream_version) AS first_later FROM events WHERE global_position > ${position} GROUP BY stream_id
    ), at_position AS (
      SELECT s.stream_id, COALESCE(l.first_later - 1, s.version) AS version FROM streams s LEFT JOIN later l USING (stream_id)
    )
    SELECT a.stream_id, a.version, e.hash
    FROM at_position a JOIN events e ON e.stream_id = a.stream_id AND e.stream_version = a.version
    WHERE a.version > 0`.execute(db);
  return sortHeads(rows.map((r) => ({ streamId: r.stream_id, version: r.version, hash: r.hash })));
}

export function toCheckpoint(row: Selectable<AuditCheckpointsTable>): Checkpoint {
  return {
    checkpointNo: row.checkpoint_no,
    position: row.global_position,
    eventCount: row.event_count,
    logDigest: row.log_digest,
    streamCount: row.stream_count,
    streamsRoot: row.streams_root,
    createdAt: row.created_at.toISOString(),
    reason: row.reason as Checkpoint['reason'],
    requestedBy: row.requested_by,
    keyId: row.key_id,
    publicKey: row.public_key,
    signature: row.signature,
  };
}

export async function listCheckpoints(db: Db): Promise<Checkpoint[]> {
  return (await db.selectFrom('audit_checkpoints').selectAll().orderBy('checkpoint_no').execute()).map(toCheckpoint);
}

export async function latestCheckpoint(db: Db): Promise<Checkpoint | undefined> {
  const row = await db.selectFrom('audit_checkpoints').selectAll().orderBy('checkpoint_no', 'desc').limit(1).executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

const DIGEST_BATCH = 20_000;

/** Continues a running log digest over the events in (after, upTo], in position order. */
export async function continueLogDigest(db: Db, from: { position: number; digest: string; count: number }, upTo: number) {
  let { position, digest, count } = from;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .select(['global_position', 'stream_id', 'stream_version', 'hash'])
      .where('global_position', '>', position)
      .where('global_position', '<=', upTo)
      .orderBy('global_position')
      .limit(DIGEST_BATCH)
      .execute();
    for (const row of rows) {
      digest = nextLogDigest(digest, { globalPosition: row.global_position, streamId: row.stream_id, streamVersion: row.stream_version, hash: row.hash });
    }
    count += rows.length;
    if (rows.length < DIGEST_BATCH) return { position: upTo, digest, count };
    position = rows[rows.length - 1]!.global_position;
  }
}

/** The first event after `from`, up to `upTo`, whose content no longer gives its stored hash. */
async function firstAlteredEvent(db: Db, from: number, upTo: number): Promise<AlteredAt | undefined> {
  let after = from;
  for (;;) {
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${sql.raw(EVENT_ROW_COLUMNS)} FROM events WHERE global_position > ${after} AND global_position <= ${upTo} ORDER BY global_position LIMIT ${DIGEST_BATCH}`.execute(db);
    const texts = rows.map(asRowText);
    const [first] = alteredContent(texts);
    if (first !== undefined) {
      const [position, streamId, streamVersion] = texts[first]!;
      const named = await db.selectFrom('cases').select('reference_no').where(sql<boolean>`case_id::text = ${streamId}`).executeTakeFirst();
      return { position, streamId, streamVersion, referenceNo: named?.reference_no ?? null };
    }
    if (texts.length < DIGEST_BATCH) return undefined;
    after = texts[texts.length - 1]![0];
  }
}

interface AlteredAt {
  position: number;
  streamId: string;
  streamVersion: number;
  /** The case's 申请编号, when the stream is a case's. */
  referenceNo: string | null;
}

/** A checkpoint refused because an event it would sign was changed after it was hashed. */
export class AlteredContentError extends DomainError {
  constructor(readonly at: AlteredAt) {
    super('conflict', {
      code: 'altered-content',
      zh:
        `不签署新的检查点：日志位置 ${at.position} 的事件（${at.referenceNo ? `案件 ${at.referenceNo}` : `事件流 ${at.streamId}`} 第 ${at.streamVersion} 版）的内容与其哈希不符，记录写入后被改动过。` +
        '签名只能证明原来的哈希，不能为改动后的内容作证。请先运行 npm run audit -- verify 查明改动，查清之前不再签署。',
      en: `no new checkpoint signed: the event at position ${at.position} (stream ${at.streamId}, version ${at.streamVersion}) no longer matches its hash; run npm run audit -- verify`,
      params: { position: at.position, streamId: at.streamId, streamVersion: at.streamVersion },
    });
    this.name = 'AlteredContentError';
  }
}

export interface CheckpointRequest {
  now: () => Date;
  reason: Checkpoint['reason'];
  /** Who asked: an account id, "interval", "cli". */
  requestedBy: string;
}

/** A checkpoint refused because what the previous one signed has changed since: signing would cover a forgery. */
export class SignedRecordChangedError extends DomainError {
  constructor(readonly previous: Checkpoint) {
    super('conflict', {
      code: 'signed-record-changed',
      zh:
        `不签署新的检查点：检查点 #${previous.checkpointNo}（日志位置 ${previous.position}）所签署的记录已被改动，各案卷在该位置的链头与其签署的流根不再相符。` +
        '请先运行 npm run audit -- verify 查明改动，查清之前不再签署。',
      en: `no new checkpoint signed: what checkpoint #${previous.checkpointNo} (position ${previous.position}) signed has changed since (the stream heads at that position no longer give its streams root); run npm run audit -- verify`,
      params: { checkpointNo: previous.checkpointNo, position: previous.position },
    });
    this.name = 'SignedRecordChangedError';
  }
}

/**
 * Signs the head of the global log: fences appends to find a position nothing can still commit
 * below, extends the previous checkpoint's digest over the events since, and stores the signed
 * result. Nothing new since the latest checkpoint: that one is returned and nothing is stored.
 *
 * First it checks that what the previous checkpoint signed still holds: every stream's head as of
 * that position must give the root it signed. An outside tester rewrote a loan's approved amount
 * with every later hash recomputed, appended one event, and had the next checkpoint sign the forged
 * chain: the case and its exported bundle then verified as intact. A stream rewritten, cut short,
 * deleted or mixed with another below the previous position changes its head there, so such a
 * checkpoint is refused (SignedRecordChangedError) and the interval's timer logs it each time.
 */
export async function createCheckpoint(db: Db, key: AuditKey, request: CheckpointRequest): Promise<{ checkpoint: Checkpoint; created: boolean }> {
  if (!key.privateKey) throw new Error(`${key.source} 给出的审计密钥只能核验、不能签名：请配置 AUDIT_SIGNING_KEY 以签署检查点`);
  const position = await fencedPosition(db);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(CHECKPOINT_SERIAL_LOCK)})`.execute(trx);
    const previousRow = await trx.selectFrom('audit_checkpoints').selectAll().orderBy('checkpoint_no', 'desc').limit(1).executeTakeFirst();
    const previous = previousRow ? toCheckpoint(previousRow) : undefined;
    if (previous && previous.position >= position) return { checkpoint: previous, created: false };

    if (previous && streamsRoot(await streamHeadsAt(trx, previous.position)) !== previous.streamsRoot) throw new SignedRecordChangedError(previous);
    // A signature over an event whose content no longer gives its hash certifies the hash, not what is
    // there now: an outside tester saw 签名有效 under 哈希链校验未通过. Refuse, and say which event.
    const altered = await firstAlteredEvent(trx, previous?.position ?? 0, position);
    if (altered) throw new AlteredContentError(altered);
    const start = previous ? { position: previous.position, digest: previous.logDigest, count: previous.eventCount } : { position: 0, digest: GENESIS_DIGEST, count: 0 };
    const { digest, count } = await continueLogDigest(trx, start, position);
    const heads = await streamHeadsAt(trx, position);
    const unsigned = {
      checkpointNo: (previous?.checkpointNo ?? 0) + 1,
      position,
      eventCount: count,
      logDigest: digest,
      streamCount: heads.length,
      streamsRoot: streamsRoot(heads),
      createdAt: request.now().toISOString(),
      reason: request.reason,
      requestedBy: request.requestedBy,
      keyId: key.keyId,
    };
    const checkpoint: Checkpoint = { ...unsigned, publicKey: key.publicKeyPem, signature: signStatement(key, checkpointStatement(unsigned)) };
    await trx
      .insertInto('audit_checkpoints')
      .values({
        checkpoint_no: checkpoint.checkpointNo,
        global_position: checkpoint.position,
        event_count: checkpoint.eventCount,
        log_digest: checkpoint.logDigest,
        stream_count: checkpoint.streamCount,
        streams_root: checkpoint.streamsRoot,
        created_at: new Date(checkpoint.createdAt),
        reason: checkpoint.reason,
        requested_by: checkpoint.requestedBy,
        key_id: checkpoint.keyId,
        public_key: checkpoint.publicKey,
        signature: checkpoint.signature,
      })
      .execute();
    return { checkpoint, created: true };
  });
}

/** Checkpoints at an interval in a long-running process; each failure is logged and retried next time. */
export function scheduleCheckpoints(
  db: Db,
  key: AuditKey,
  options: { intervalMs: number; now: () => Date; log: (line: string) => void },
): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = createCheckpoint(db, key, { now: options.now, reason: 'interval', requestedBy: 'interval' }).then(
      ({ checkpoint, created }) => {
        if (created) options.log(`audit checkpoint #${checkpoint.checkpointNo} signed: ${checkpoint.eventCount} events up to position ${checkpoint.position}`);
      },
      (error: Error) => options.log(`audit checkpoint failed (will try again in ${Math.round(options.intervalMs / 1000)} s): ${error.message}`),
    );
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
