/**
 * `npx tsx bench/append-statements.ts [--batches] [--cases=N]`: where an append's time goes inside
 * PostgreSQL, statement by statement. The event-append benchmark's single appends (each 雏鹰 loan's
 * 44 events, one per append, 8 writers), or with --batches its 100-event appends (2N of them), on a
 * throwaway embedded PostgreSQL with pg_stat_statements counting nested statements too
 * (`track = all`): the append function, the read-model writes it applies and the triggers they fire. Prints each statement's calls and mean time (wall time, so
 * with 8 writers on a few cores it includes waiting for a core: read the shares, not the µs), the
 * tables' row writes (HOT or not), and the case row's stored size. Writes nothing under bench/results/.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDb, type Db } from '../db/client.js';
import { appendToStream, type NewEvent, type ReadModelWrite } from '../db/event-store.js';
import { migrateToLatest } from '../db/migrations/index.js';
import { projectReadModels } from '../db/projections/index.js';
import { ensureDatabase, startEmbeddedPostgres } from '../dev/embedded-postgres.js';
import { asNewEvents, ChuyingHistory } from '../test/support/chuying-history.js';
import { now, pool, sleep } from './measure.js';

const WRITERS = 8;
const BATCH = 100;
const cases = Number(process.argv.find((a) => a.startsWith('--cases='))?.slice('--cases='.length) ?? 160);
const batched = process.argv.includes('--batches');
const dataDir = fileURLToPath(new URL(`../.data/bench-append-statements-${process.pid}`, import.meta.url));

// pg_stat_statements must be preloaded: set in the cluster's own configuration, then a restart.
let postgres = await startEmbeddedPostgres({ dataDir, database: 'bench', persistent: true });
const admin = createDb(postgres.adminUrl, { max: 1 });
await sql`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`.execute(admin);
await sql`ALTER SYSTEM SET pg_stat_statements.track = 'all'`.execute(admin);
await admin.destroy();
await postgres.stop();
postgres = await startEmbeddedPostgres({ dataDir: postgres.dataDir, database: 'bench', persistent: true });

try {
  await ensureDatabase(postgres.adminUrl, 'bench_statements');
  const url = postgres.adminUrl.replace(/\/[^/]*$/, '/bench_statements');
  let db = createDb(url, { max: WRITERS + 2 });
  await migrateToLatest(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(db);
  await sql`SELECT pg_stat_statements_reset()`.execute(db);

  const project = { now: () => new Date(), project: projectReadModels };
  const { appends, events, seconds, sent } = batched ? await appendBatches(db, project) : await appendSingly(db, project);
  console.log(`${events} events in ${appends} appends at ${WRITERS} writers: ${Math.round(events / seconds)} events/s\n`);
  // A backend reports its table counts when it ends (or at most once a second): read them from a new one once the writers' have.
  await db.destroy();
  await sleep(500);
  db = createDb(url, { max: 1 });

  const statements = await sql<{ nested: boolean; calls: string; mean_us: number; share: number; query: string }>`
    SELECT NOT toplevel AS nested, calls, round((total_exec_time / calls * 1000)::numeric)::int AS mean_us,
           round((100 * total_exec_time / sum(total_exec_time) FILTER (WHERE toplevel) OVER ())::numeric, 1)::float AS share,
           left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query
      FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND calls >= ${appends / 2}
     ORDER BY total_exec_time DESC LIMIT 16`.execute(db);
  console.log('calls    µs/call  % of appends  statement (nested ones indented)');
  for (const s of statements.rows) console.log(`${String(s.calls).padStart(6)} ${String(s.mean_us).padStart(9)} ${String(s.share).padStart(13)}  ${s.nested ? '  ' : ''}${s.query}`);

  const tables = await sql<{ relname: string; n_tup_ins: string; n_tup_upd: string; n_tup_hot_upd: string }>`
    SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd > 0 AND relname NOT LIKE 'kysely%' ORDER BY relname`.execute(db);
  console.log('\nrows written: table, inserted, updated (of them HOT)');
  for (const t of tables.rows) console.log(`  ${t.relname.padEnd(20)} ${String(t.n_tup_ins).padStart(7)} ${String(t.n_tup_upd).padStart(7)} (${t.n_tup_hot_upd})`);
  const size = await sql<{ row: number; state: number; details: number }>`
    SELECT avg(pg_column_size(c.*))::int AS row, avg(pg_column_size(state))::int AS state, avg(pg_column_size(details))::int AS details FROM cases c`.execute(db);
  console.log(`\na loan's case row as stored: ${size.rows[0]!.row} bytes (state ${size.rows[0]!.state}, details ${size.rows[0]!.details}, compressed)`);
  if (sent) console.log(`what the 36th repayment's append sends: the event ${sent.event} bytes of JSON, its read-model writes ${sent.writes} (the case row's state ${sent.state}, details ${sent.details})`);
  await db.destroy();
} finally {
  await postgres.stop();
  await rm(postgres.dataDir, { recursive: true, force: true });
}

type Project = { now: () => Date; project: typeof projectReadModels };

/** Each loan's life (submission to the 36th repayment, 44 events) appended one event at a time, as the workflow does. */
async function appendSingly(db: Db, project: Project) {
  const lives = Array.from({ length: cases }, () => {
    const history = new ChuyingHistory();
    history.fullLife(36);
    return { caseId: history.caseId, events: asNewEvents(history.decided, history.caseId) };
  });
  const started = now();
  await pool(lives, WRITERS, async (life) => {
    for (const [index, event] of life.events.entries()) {
      await appendToStream(db, { streamId: life.caseId, streamType: 'chuying-loan', expectedVersion: index, events: [event] }, project);
    }
  });
  const seconds = (now() - started) / 1000;
  const events = lives.reduce((n, l) => n + l.events.length, 0);
  return { appends: events, events, seconds, sent: lastAppendSends(lives[0]!.caseId, lives[0]!.events) };
}

/** The benchmark's 100-event appends: a submission, then 补正 requested and answered over and over, to a new stream each. */
async function appendBatches(db: Db, project: Project) {
  const template = new ChuyingHistory();
  template.fullLife(0);
  const supplementCycle = template.decided.slice(1, 3);
  const batches = Array.from({ length: cases * 2 }, (_, i) => {
    const streamId = randomUUID();
    const head = new ChuyingHistory(streamId).submit(`CY-BATCH-${i}`);
    return { streamId, events: asNewEvents([...head, ...Array.from({ length: BATCH - head.length }, (_, k) => supplementCycle[k % 2]!)], streamId) };
  });
  const started = now();
  await pool(batches, WRITERS, async (batch) => {
    await appendToStream(db, { streamId: batch.streamId, streamType: 'chuying-loan', expectedVersion: 0, events: batch.events }, project);
  });
  return { appends: batches.length, events: batches.length * BATCH, seconds: (now() - started) / 1000, sent: undefined };
}

/** The JSON an append of a loan's last event carries: the event, and the writes its projection plans (planned as the append path does). */
function lastAppendSends(caseId: string, events: readonly NewEvent[]) {
  const planner = projectReadModels.planner!;
  let before: unknown;
  let writes: ReadModelWrite[] = [];
  for (const [index, event] of events.entries()) {
    const planned = { streamId: caseId, streamVersion: index + 1, eventId: event.eventId, type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata, recordedAt: new Date() };
    const plan = planner.plan('chuying-loan', before, [planned])!;
    before = plan.after;
    writes = plan.writes;
  }
  const caseRow = writes.find((w) => w.table === 'cases')!.rows[0]!;
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  return { event: bytes(events.at(-1)), writes: bytes(writes), state: bytes(caseRow.state), details: bytes(caseRow.details) };
}
