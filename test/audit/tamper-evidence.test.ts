import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlteredContentError, createCheckpoint, listCheckpoints, SignedRecordChangedError } from '../../audit/checkpoints.js';
import { verifyCase, verifyStore, type VerificationProblem } from '../../audit/verify-store.js';
import { appendToStream, readStream, verifyChain, type Projection } from '../../db/event-store.js';
import { recomputedHash } from '../../db/hash-chain.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countEvents, fixedClock, newEvent, tamperAsSuperuser } from '../db/support.js';
import { checkpointNow, exportCheckpoints, interleavedStore, positionsOf, STREAMS, tamperWithCheckpoints, testKey } from './support.js';

const key = testKey();
const [A, B, C] = STREAMS;
let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database?.drop();
});

const kinds = (problems: readonly VerificationProblem[]) => [...new Set(problems.map((p) => p.kind))].sort();

/** The store, a signed checkpoint over it, and the checkpoints as exported before anyone tampers. */
async function signedStore() {
  await interleavedStore(database.db);
  const checkpoint = await checkpointNow(database.db, key);
  return { checkpoint, exported: await exportCheckpoints(database.db) };
}

/**
 * Recomputes a stream's chain from a version on, as an insider covering their tracks would, and
 * returns the statements that write it back (hashes, previous hashes and the stream's head).
 */
async function consistentRewrite(streamId: string, fromVersion: number, change: (data: Record<string, unknown>) => Record<string, unknown>) {
  const events = await readStream(database.db, streamId);
  const statements: { text: string; values: unknown[] }[] = [];
  let prevHash = events[fromVersion - 2]?.hash ?? '0'.repeat(64);
  for (const e of events.slice(fromVersion - 1)) {
    const data = e.streamVersion === fromVersion ? change(e.data) : e.data;
    // By the event's own hash version, as the insider would (they know the scheme: it is published).
    const hash = recomputedHash({ ...e, prevHash, data });
    statements.push({ text: 'UPDATE events SET payload = $1, prev_hash = $2, hash = $3 WHERE event_id = $4', values: [JSON.stringify(data), prevHash, hash, e.eventId] });
    prevHash = hash;
  }
  statements.push({ text: 'UPDATE streams SET head_hash = $1 WHERE stream_id = $2', values: [prevHash, streamId] });
  return statements;
}

describe('an untouched store', () => {
  it('verifies: every event, every stream, the checkpoint and its signature', async () => {
    const { checkpoint, exported } = await signedStore();
    expect(checkpoint).toMatchObject({ checkpointNo: 1, eventCount: 12, streamCount: 3, keyId: key.keyId });
    const report = await verifyStore(database.db, { exported, trustedKey: key });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ intact: true, eventsChecked: 12, streamsChecked: 3, checkpoints: { checked: 1, trustedKeyId: key.keyId, eventsAfterLatest: 0 } });
    expect(report.warnings).toEqual([]);
  });

  it('verifying one case says in words what protects it: only its chain before any checkpoint; a signature no trusted key checked', async () => {
    await interleavedStore(database.db);
    expect((await verifyCase(database.db, A)).warnings).toEqual(['尚无签名检查点：本案目前只由哈希链保护']);
    await checkpointNow(database.db, key);
    expect((await verifyCase(database.db, A)).warnings).toEqual(['未配置可信公钥（AUDIT_SIGNING_KEY 或 AUDIT_PUBLIC_KEY）：检查点的签名是用与它存放在一起的公钥核对的，能改动数据库的人可以把这个公钥一并换掉']);
    expect((await verifyCase(database.db, A, { trustedKey: key })).warnings).toEqual([]);
  });

  it('signs only new events in the next checkpoint, continuing the digest, and signs nothing when nothing is new', async () => {
    const { checkpoint } = await signedStore();
    expect((await createCheckpoint(database.db, key, { now: fixedClock('2026-06-02T00:00:00Z'), reason: 'interval', requestedBy: 'interval' })).created).toBe(false);
    await appendToStream(database.db, { streamId: A, streamType: 'audit-test', expectedVersion: 4, events: [newEvent('Noted', { round: 5 })] }, { now: fixedClock('2026-06-03T00:00:00Z') });
    const second = await checkpointNow(database.db, key, '2026-06-04T00:00:00.000Z');
    expect(second).toMatchObject({ checkpointNo: 2, eventCount: 13, streamCount: 3 });
    expect(second.position).toBeGreaterThan(checkpoint.position);
    const report = await verifyStore(database.db, { trustedKey: key });
    expect(report).toMatchObject({ intact: true, checkpoints: { checked: 2, latest: { checkpointNo: 2 } } });
  });
});

describe('verification against an exported checkpoint detects tampering by a database superuser', () => {
  it('a modified payload: its recomputed hash no longer matches the hash the checkpoint signed', async () => {
    const { exported } = await signedStore();
    await tamperAsSuperuser(database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{note}', '"改过的记录"') WHERE stream_id = $1 AND stream_version = 2`, values: [B] }]);

    const report = await verifyStore(database.db, { exported, trustedKey: key });
    expect(report.intact).toBe(false);
    // The stored hash is still the one the checkpoint signed, so the digest matches: the recomputed
    // hash proves the content changed after it was signed.
    expect(kinds(report.problems)).toEqual(['chain']);
    const chain = report.problems.find((p) => p.kind === 'chain')!;
    expect(chain).toMatchObject({ streamId: B, streamVersion: 2 });
    expect(chain.message).toContain('内容与其哈希不符');
  });

  it('a deleted event: the gap in its stream, and one event fewer than signed', async () => {
    const { exported } = await signedStore();
    await tamperAsSuperuser(database.url, [{ text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 2', values: [B] }]);

    const report = await verifyStore(database.db, { exported, trustedKey: key });
    const chain = report.problems.filter((p) => p.kind === 'chain');
    expect(chain).toHaveLength(1);
    expect(chain[0]).toMatchObject({ streamId: B, streamVersion: 3 });
    expect(chain[0]!.message).toContain('第 2 版事件缺失');
    expect(report.problems.find((p) => p.kind === 'checkpoint')!.message).toContain('签署时有 12 个事件，现在到该位置为 11 个');
  });

  it('reordered events: two events of different streams swapped in the log, every chain still intact', async () => {
    const { exported } = await signedStore();
    const [a2, b2] = [(await positionsOf(database.db, A))[1]!, (await positionsOf(database.db, B))[1]!];
    await tamperAsSuperuser(database.url, [
      { text: 'CREATE TEMP TABLE moved ON COMMIT DROP AS SELECT * FROM events WHERE global_position IN ($1, $2)', values: [a2, b2] },
      { text: 'DELETE FROM events WHERE global_position IN ($1, $2)', values: [a2, b2] },
      {
        text: `INSERT INTO events OVERRIDING SYSTEM VALUE
               SELECT CASE WHEN global_position = $1 THEN $2::bigint ELSE $1::bigint END, stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash, hash_version FROM moved`,
        values: [a2, b2],
      },
    ]);
    // Each stream's own chain cannot see it ...
    for (const streamId of STREAMS) expect(verifyChain(await readStream(database.db, streamId))).toBeUndefined();
    expect((await verifyStore(database.db, { trustedKey: key, exported: [] })).problems.filter((p) => p.kind === 'chain')).toEqual([]);

    // ... the signed digest of the global log does.
    const report = await verifyStore(database.db, { exported, trustedKey: key });
    expect(kinds(report.problems)).toEqual(['checkpoint']);
    expect(report.problems[0]!.message).toContain('事件数相同（12 个），但事件或其顺序不同');
  });

  it('reordered events within one stream: the chain names the versions out of order', async () => {
    const { exported } = await signedStore();
    const [, a2, a3] = await positionsOf(database.db, A);
    await tamperAsSuperuser(database.url, [
      { text: 'CREATE TEMP TABLE moved ON COMMIT DROP AS SELECT * FROM events WHERE global_position IN ($1, $2)', values: [a2, a3] },
      { text: 'DELETE FROM events WHERE global_position IN ($1, $2)', values: [a2, a3] },
      {
        text: `INSERT INTO events OVERRIDING SYSTEM VALUE
               SELECT CASE WHEN global_position = $1 THEN $2::bigint ELSE $1::bigint END, stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash, hash_version FROM moved`,
        values: [a2, a3],
      },
    ]);
    const report = await verifyStore(database.db, { exported, trustedKey: key });
    const chain = report.problems.filter((p) => p.kind === 'chain');
    expect(chain.map((p) => p.streamVersion)).toEqual([3, 2]);
    expect(chain[1]!.message).toContain('第 2 版在日志中排在第 3 版之后');
    expect(kinds(report.problems)).toContain('checkpoint');
  });

  it('a truncated tail: the last events cut off and the stream heads set back to match, so every chain and head agrees', async () => {
    const { exported } = await signedStore();
    // The log ends A4, B4, C4: cut B4 and C4.
    const [b4, c4] = [(await positionsOf(database.db, B))[3]!, (await positionsOf(database.db, C))[3]!];
    const previousHash = async (streamId: string) => (await readStream(database.db, streamId))[2]!.hash;
    const [bHead, cHead] = [await previousHash(B), await previousHash(C)];
    await tamperAsSuperuser(database.url, [
      { text: 'DELETE FROM events WHERE global_position IN ($1, $2)', values: [b4, c4] },
      { text: 'UPDATE streams SET version = 3, head_hash = $1 WHERE stream_id = $2', values: [bHead, B] },
      { text: 'UPDATE streams SET version = 3, head_hash = $1 WHERE stream_id = $2', values: [cHead, C] },
    ]);
    expect(verifyChain(await readStream(database.db, B))).toBeUndefined();

    const report = await verifyStore(database.db, { exported, trustedKey: key });
    expect(kinds(report.problems)).toEqual(['checkpoint', 'streams-root']);
    expect(report.problems.find((p) => p.kind === 'checkpoint')!.message).toContain('签署时有 12 个事件，现在到该位置为 10 个');
  });

  it('a truncated tail without the heads set back: caught by the stream head even before any checkpoint', async () => {
    await interleavedStore(database.db);
    await tamperAsSuperuser(database.url, [{ text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 4', values: [C] }]);
    // verifyChain alone sees a perfect three-event chain:
    expect(verifyChain(await readStream(database.db, C))).toBeUndefined();
    const report = await verifyStore(database.db, { trustedKey: key });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ kind: 'head', streamId: C });
    expect(report.problems[0]!.message).toContain('链头记录为第 4 版');
    expect(report.problems[0]!.message).toContain('末尾的事件被删除了');
  });

  it('a rewritten log: a payload changed and every later hash and the head recomputed consistently', async () => {
    const { exported } = await signedStore();
    await tamperAsSuperuser(database.url, await consistentRewrite(B, 2, (data) => ({ ...data, note: '从未发生的记录' })));

    // The chains and heads are flawless now: without checkpoints nothing can tell.
    const unsigned = await verifyStore(database.db, { trustedKey: key, exported: [] });
    expect(unsigned.problems.filter((p) => p.kind === 'chain' || p.kind === 'head')).toEqual([]);

    const report = await verifyStore(database.db, { exported, trustedKey: key });
    expect(kinds(report.problems)).toEqual(['checkpoint', 'streams-root']);
    expect(report.problems.find((p) => p.kind === 'checkpoint')!.message).toContain('事件或其顺序不同');
  });

  it('a rewritten log and an event appended since: the next checkpoint is refused rather than signing the forgery', async () => {
    await signedStore();
    await tamperAsSuperuser(database.url, await consistentRewrite(B, 2, (data) => ({ ...data, note: '从未发生的记录' })));
    await appendToStream(database.db, { streamId: A, streamType: 'audit-test', expectedVersion: 4, events: [newEvent('Noted', { round: 5, note: '篡改之后' })] }, { now: fixedClock('2026-06-02T00:00:00.000Z') });
    const refused = await checkpointNow(database.db, key, '2026-06-02T01:00:00.000Z').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SignedRecordChangedError);
    expect((refused as Error).message).toContain('不签署新的检查点：检查点 #1');
    expect((await listCheckpoints(database.db)).map((c) => c.checkpointNo)).toEqual([1]);
  });

  it('an event changed after it was hashed and not yet signed: no checkpoint signs it, and the refusal names the event', async () => {
    await signedStore();
    await appendToStream(database.db, { streamId: C, streamType: 'audit-test', expectedVersion: 4, events: [newEvent('Noted', { round: 5, note: '原来的记录' })] }, { now: fixedClock('2026-06-02T00:00:00.000Z') });
    const position = (await positionsOf(database.db, C))[4];
    // Changed in place, its hash left as it was (what an outside tester did before the next checkpoint).
    await tamperAsSuperuser(database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{note}', '"改过的记录"') WHERE stream_id = $1 AND stream_version = 5`, values: [C] }]);
    const refused = await checkpointNow(database.db, key, '2026-06-02T01:00:00.000Z').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AlteredContentError);
    expect((refused as Error).message).toBe(
      `不签署新的检查点：日志位置 ${position} 的事件（事件流 ${C} 第 5 版）的内容与其哈希不符，记录写入后被改动过。签名只能证明原来的哈希，不能为改动后的内容作证。请先运行 npm run audit -- verify 查明改动，查清之前不再签署。`,
    );
    expect((await listCheckpoints(database.db)).map((c) => c.checkpointNo)).toEqual([1]);
  });

  it('a rewritten log whose insider also deleted the checkpoint and signed a new one with a key of their own', async () => {
    const { exported } = await signedStore();
    await tamperAsSuperuser(database.url, await consistentRewrite(A, 1, (data) => ({ ...data, note: '伪造' })));
    await tamperWithCheckpoints(database.url, ['DELETE FROM audit_checkpoints']);
    const forgerKey = testKey();
    await checkpointNow(database.db, forgerKey);

    // Trusting the stored checkpoints and the key beside them, the forgery would pass (with a warning) ...
    const naive = await verifyStore(database.db);
    expect(naive.intact).toBe(true);
    expect(naive.warnings).toEqual(['未配置可信公钥（AUDIT_SIGNING_KEY 或 AUDIT_PUBLIC_KEY）：检查点的签名是用与检查点存放在一起的公钥核对的，能改动数据库的人可以把这些公钥一并换掉']);

    // ... the configured key and the exported copy each catch it.
    const withKey = await verifyStore(database.db, { trustedKey: key });
    expect(withKey.problems.map((p) => p.kind)).toEqual(['signature']);
    expect(withKey.problems[0]!.message).toContain(`不是所信任的密钥 ${key.keyId}`);

    const withExport = await verifyStore(database.db, { trustedKey: key, exported });
    expect(kinds(withExport.problems)).toEqual(['checkpoint', 'checkpoint-missing', 'streams-root']);
    expect(withExport.problems.find((p) => p.kind === 'checkpoint-missing')!.message).toContain('它被替换过');
  });

  it('a checkpoint altered in the table: its signature no longer matches', async () => {
    await signedStore();
    await tamperWithCheckpoints(database.url, ['UPDATE audit_checkpoints SET event_count = 11']);
    const report = await verifyStore(database.db, { trustedKey: key });
    expect(report.problems.map((p) => p.kind)).toContain('signature');
    expect(report.problems.find((p) => p.kind === 'signature')!.message).toContain('签署后内容被改动过');
  });
});

describe('the append-only log at the database level', () => {
  async function asOwner(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  it('refuses TRUNCATE of events, streams and checkpoints, and any change to a checkpoint', async () => {
    await signedStore();
    await expect(asOwner('TRUNCATE events')).rejects.toThrow('events are append-only: TRUNCATE refused');
    await expect(asOwner('TRUNCATE streams CASCADE')).rejects.toThrow(/append-only: TRUNCATE refused/);
    await expect(asOwner('TRUNCATE audit_checkpoints')).rejects.toThrow('audit_checkpoints is append-only: TRUNCATE refused');
    await expect(asOwner('DELETE FROM audit_checkpoints')).rejects.toThrow('audit_checkpoints is append-only: DELETE refused');
    await expect(asOwner("UPDATE audit_checkpoints SET reason = 'interval'")).rejects.toThrow('audit_checkpoints is append-only: UPDATE refused');
    expect(await countEvents(database.db)).toBe(12);
    expect(await listCheckpoints(database.db)).toHaveLength(1);
  });
});

describe('a checkpoint and an append in flight', () => {
  it('waits for an append that holds a lower position, so the checkpoint covers it', async () => {
    await interleavedStore(database.db, { rounds: 1 });
    let enter!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Runs inside the appending transaction, after its event has its position: the append stays in flight.
    const slow: Projection = async () => {
      enter();
      await gate;
    };
    const inFlight = appendToStream(database.db, { streamId: A, streamType: 'audit-test', expectedVersion: 1, events: [newEvent('Noted', { slow: true })] }, { now: fixedClock('2026-05-07T00:00:00Z'), project: slow });
    await entered;
    // A later append commits first, with a higher position.
    const later = await appendToStream(database.db, { streamId: B, streamType: 'audit-test', expectedVersion: 1, events: [newEvent('Noted', { fast: true })] }, { now: fixedClock('2026-05-07T00:00:01Z') });

    const checkpoint = createCheckpoint(database.db, key, { now: fixedClock('2026-05-07T00:00:02Z'), reason: 'on-demand', requestedBy: 'test' });
    const early = await Promise.race([checkpoint.then(() => 'signed'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 400))]);
    expect(early).toBe('waiting');

    release();
    const slowResult = await inFlight;
    const { checkpoint: signed } = await checkpoint;
    expect(slowResult.globalPositions[0]).toBeLessThan(later.globalPositions[0]!);
    expect(signed.position).toBe(later.globalPositions[0]);
    expect(signed.eventCount).toBe(5);
    expect((await verifyStore(database.db, { trustedKey: key })).problems).toEqual([]);
  });
});

describe('verifying one case', () => {
  it('reports an intact case with the versions its checkpoint covers', async () => {
    await signedStore();
    await appendToStream(database.db, { streamId: B, streamType: 'audit-test', expectedVersion: 4, events: [newEvent('Noted', { after: true })] }, { now: fixedClock('2026-06-05T00:00:00Z') });
    const report = await verifyCase(database.db, B, { trustedKey: key });
    expect(report).toMatchObject({ intact: true, events: 5, firstProblem: null, checkpoint: { checkpointNo: 1, coveredVersion: 4, signature: 'valid', streamsRoot: 'matches', trustedKeyId: key.keyId } });
  });

  it('reports the first bad position and what is wrong', async () => {
    await signedStore();
    await tamperAsSuperuser(database.url, [
      { text: `UPDATE events SET metadata = jsonb_set(metadata, '{actor,displayName}', '"别人"') WHERE stream_id = $1 AND stream_version = 3`, values: [C] },
      { text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 2', values: [C] },
    ]);
    const position = (await positionsOf(database.db, C))[1]!; // version 3 is now the second row
    const report = await verifyCase(database.db, C, { trustedKey: key });
    expect(report.intact).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'chain', streamVersion: 3, globalPosition: position });
    expect(report.firstProblem!.message).toBe(`第 3 版（日志位置 ${position}）：应为第 2 版，实为第 3 版：第 2 版事件缺失`);
    // The head is untouched, so it still leads to the signed root: the chain is what caught this.
    expect(report.checkpoint).toMatchObject({ signature: 'valid', streamsRoot: 'matches' });
  });

  it('a head row changed alone: says what the stored head holds against where the events end, and reports both', async () => {
    await signedStore();
    const last = (await readStream(database.db, A)).at(-1)!;
    const zeros = '0'.repeat(64);
    await tamperAsSuperuser(database.url, [{ text: 'UPDATE streams SET head_hash = $1 WHERE stream_id = $2', values: [zeros, A] }]);
    const report = await verifyCase(database.db, A, { trustedKey: key });
    expect(report.intact).toBe(false);
    expect(report.head).toEqual({ version: 4, hash: zeros });
    expect(report.eventsHead).toEqual({ version: 4, hash: last.hash });
    // As the whole-store check words it: not "第 4 版 … 止于第 4 版", which contradicts itself.
    const words = `链头记录为第 4 版、哈希 000000000000…，其事件却止于第 4 版、哈希 ${last.hash.slice(0, 12)}…：链头记录被改动过`;
    expect(report.problems).toEqual([{ kind: 'head', streamId: A, streamVersion: 4, message: words }]);
    expect((await verifyStore(database.db, { trustedKey: key })).problems).toEqual([{ kind: 'head', streamId: A, streamVersion: 4, message: `${A}：${words}` }]);
  });

  it("a last event's hash changed: the head check does not blame the head record alone", async () => {
    await signedStore();
    await tamperAsSuperuser(database.url, [{ text: `UPDATE events SET hash = $1 WHERE stream_id = $2 AND stream_version = 4`, values: ['f'.repeat(64), A] }]);
    const report = await verifyCase(database.db, A, { trustedKey: key });
    expect(report.firstProblem!.message).toMatch(/^第 4 版（日志位置 \d+）：内容与其哈希不符：写入后被改动过$/);
    expect(report.problems.find((p) => p.kind === 'head')!.message).toMatch(/：链头记录或最后一个事件被改动过（最后一个事件本身也未通过核验）$/);
  });
});
