/**
 * `npm run audit:seed-synthetic -- COUNT [--streams N]`: fills a throwaway database with COUNT
 * valid, hash-chained events spread over many interleaved streams, quickly (multi-row inserts of
 * arrays), then signs a checkpoint over them: a store to measure `npm run audit -- verify` on.
 *
 * With DATABASE_URL set it seeds that database (migrated, and it should be empty). Without it, it
 * starts its own embedded PostgreSQL in .data/bench-audit (never the dev data), recreates the
 * database `youchuang_bench` there, seeds it, prints the commands to verify it, and keeps the
 * server running until Ctrl-C.
 *
 * Events are of the stream type 'audit-synthetic' (no read model, no case fold) with payloads and
 * metadata shaped and sized like a 雏鹰 loan's repayments, so hashing costs what it does live.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readEnvironment } from '../config/environment.js';
import { createDb } from '../db/client.js';
import { APPEND_FENCE_LOCK } from '../db/event-store.js';
import { eventHashV2, GENESIS_HASH, jsonbText } from '../db/hash-chain.js';
import { migrateToLatest } from '../db/migrations/index.js';
import { ensureDatabase, startEmbeddedPostgres } from '../dev/embedded-postgres.js';
import { createCheckpoint } from './checkpoints.js';
import { generateSigningKeyPem, parseSigningKey } from './signing-key.js';

const DATA = fileURLToPath(new URL('../.data/', import.meta.url));
const BENCH_DIR = `${DATA}bench-audit`;
const BENCH_DATABASE = 'youchuang_bench';
const KEY_FILE = `${DATA}bench-audit-signing-key.pem`;
const STREAM_TYPE = 'audit-synthetic';
const BATCH = 5000;

function parseArgs(argv: string[]) {
  const count = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const streamsFlag = argv.indexOf('--streams');
  const streams = streamsFlag >= 0 ? Number(argv[streamsFlag + 1]) : Math.max(1, Math.round(count / 50));
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(streams) || streams < 1) {
    throw new Error('usage: npm run audit:seed-synthetic -- COUNT [--streams N]   (COUNT events over N streams, default COUNT/50)');
  }
  return { count, streams: Math.min(streams, count) };
}

const OFFICIALS = [
  { accountId: 'demo-fund-reviewer', displayName: '王审查', role: 'official', department: 'yangpu-fund' },
  { accountId: 'demo-fund-approver', displayName: '李决策', role: 'official', department: 'yangpu-fund' },
  { accountId: 'system', displayName: '系统', role: 'system' },
];

/** An event shaped like the live ones: type, payload and metadata of realistic size. */
function syntheticEvent(streamId: string, version: number, at: Date) {
  const actor = OFFICIALS[version % OFFICIALS.length]!;
  const instalment = ((version - 1) % 36) + 1;
  const data: Record<string, unknown> =
    version === 1
      ? {
          caseId: streamId,
          referenceNo: `CY-2026-${streamId.slice(0, 6)}`,
          applicant: { accountId: 'demo-applicant', displayName: '上海星河文化传媒有限公司' },
          company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: '91310110MA1G8XXXXY', registeredDistrict: '杨浦区' },
          project: { name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' },
          requestedAmountFen: 40_000_000,
          submittedAt: at.toISOString(),
        }
      : {
          by: { accountId: actor.accountId, displayName: actor.displayName },
          amountFen: 1_000_000 + version,
          paidOn: at.toISOString().slice(0, 10),
          reference: `REPAY-${version}`,
          allocations: [{ number: instalment, amountFen: 1_000_000 + version }],
          recordedAt: at.toISOString(),
        };
  return {
    eventId: randomUUID(),
    type: version === 1 ? 'LoanApplicationSubmitted' : 'RepaymentRecorded',
    schemaVersion: 1,
    data,
    metadata: { actor, correlationId: streamId, causationId: randomUUID(), workflowId: `case-${streamId}`, runId: '0193c2d4-5b6e-7f80-9a1b-2c3d4e5f6a7b' },
  };
}

async function seed(url: string, count: number, streamCount: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
  if (Number(rows[0]!.n) > 0) throw new Error(`the database already holds ${rows[0]!.n} events: seed an empty one`);

  const streamIds = Array.from({ length: streamCount }, () => randomUUID());
  const heads = streamIds.map(() => ({ version: 0, hash: GENESIS_HASH }));
  const start = Date.parse('2025-10-01T01:00:00.000Z');
  await client.query(
    `INSERT INTO streams (stream_id, stream_type, version, head_hash, updated_at) SELECT id, $2, 0, $3, $4 FROM unnest($1::text[]) AS id`,
    [streamIds, STREAM_TYPE, GENESIS_HASH, new Date(start)],
  );

  const began = performance.now();
  for (let done = 0; done < count; done += BATCH) {
    const n = Math.min(BATCH, count - done);
    const columns = { stream: [] as string[], version: [] as number[], id: [] as string[], type: [] as string[], schema: [] as number[], payload: [] as string[], metadata: [] as string[], at: [] as Date[], prev: [] as string[], hash: [] as string[] };
    for (let i = 0; i < n; i++) {
      const index = done + i;
      // Interleaved: consecutive positions belong to different streams, as with many live cases.
      const s = index % streamCount;
      const streamId = streamIds[s]!;
      const head = heads[s]!;
      const version = head.version + 1;
      const at = new Date(start + index * 2_000);
      const e = syntheticEvent(streamId, version, at);
      // Hash version 2, as append_events computes it: over the jsonb's own text, which jsonbText writes out here.
      const dataText = jsonbText(e.data);
      const metadataText = jsonbText(e.metadata);
      const hash = eventHashV2(head.hash, { streamId, streamVersion: version, eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, recordedAt: at.toISOString(), dataText, metadataText });
      columns.stream.push(streamId);
      columns.version.push(version);
      columns.id.push(e.eventId);
      columns.type.push(e.type);
      columns.schema.push(e.schemaVersion);
      columns.payload.push(dataText);
      columns.metadata.push(metadataText);
      columns.at.push(at);
      columns.prev.push(head.hash);
      columns.hash.push(hash);
      heads[s] = { version, hash };
    }
    await client.query('BEGIN');
    // Like every append, hold the shared side of the append fence (see db/event-store.ts).
    await client.query(`SELECT pg_advisory_xact_lock_shared(${APPEND_FENCE_LOCK})`);
    await client.query(
      `INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash, hash_version)
       SELECT *, 2 FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int2[], $6::jsonb[], $7::jsonb[], $8::timestamptz[], $9::text[], $10::text[])`,
      [columns.stream, columns.version, columns.id, columns.type, columns.schema, columns.payload, columns.metadata, columns.at, columns.prev, columns.hash],
    );
    await client.query('COMMIT');
    const seeded = done + n;
    if (seeded % 100_000 < BATCH || seeded === count) {
      process.stderr.write(`seeded ${seeded.toLocaleString('en-US')} events (${Math.round(seeded / ((performance.now() - began) / 1000)).toLocaleString('en-US')} events/s)\n`);
    }
  }
  await client.query(
    `UPDATE streams s SET version = h.version, head_hash = h.hash, updated_at = $4 FROM unnest($1::text[], $2::int[], $3::text[]) AS h(id, version, hash) WHERE s.stream_id = h.id`,
    [streamIds, heads.map((h) => h.version), heads.map((h) => h.hash), new Date(start + count * 2_000)],
  );
  await client.query('VACUUM ANALYZE events');
  await client.query('VACUUM ANALYZE streams');
  await client.end();
  return { seconds: (performance.now() - began) / 1000 };
}

const { count, streams } = parseArgs(process.argv.slice(2));
const environment = readEnvironment();
let url = environment.databaseUrl;
let stop: (() => Promise<void>) | undefined;
if (!url) {
  const postgres = await startEmbeddedPostgres({ dataDir: BENCH_DIR, database: 'postgres', persistent: true });
  stop = postgres.stop;
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(postgres.adminUrl, BENCH_DATABASE);
  url = postgres.adminUrl.replace(/\/[^/]*$/, `/${BENCH_DATABASE}`);
  console.error(`embedded PostgreSQL for the benchmark in ${postgres.dataDir}, database ${BENCH_DATABASE}`);
}
const db = createDb(url);
await migrateToLatest(db);
console.error(`seeding ${count.toLocaleString('en-US')} events over ${streams.toLocaleString('en-US')} streams …`);
const { seconds } = await seed(url, count, streams);
console.error(`seeded in ${seconds.toFixed(1)} s`);

if (!existsSync(KEY_FILE)) await writeFile(KEY_FILE, generateSigningKeyPem(), { mode: 0o600 });
const key = parseSigningKey(await readFile(KEY_FILE, 'utf8'), KEY_FILE);
const signing = performance.now();
const { checkpoint } = await createCheckpoint(db, key, { now: () => new Date(), reason: 'on-demand', requestedBy: 'audit:seed-synthetic' });
console.error(`signed checkpoint #${checkpoint.checkpointNo} over ${checkpoint.eventCount.toLocaleString('en-US')} events in ${((performance.now() - signing) / 1000).toFixed(1)} s`);
await db.destroy();

const keyFile = KEY_FILE.replace(process.cwd() + '/', '');
console.log(`\nVerify it with:\n  DATABASE_URL=${url} AUDIT_SIGNING_KEY_FILE=${keyFile} npm run audit -- verify`);
if (stop) {
  console.log('\nThe benchmark database keeps running until Ctrl-C.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
}
