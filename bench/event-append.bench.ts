import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { appendToStream, type NewEvent } from '../db/event-store.js';
import { projectReadModels } from '../db/projections/index.js';
import { asNewEvents, ChuyingHistory } from '../test/support/chuying-history.js';
import type { BenchContext } from './context.js';
import { cpuByProcess, now, pool, Progress, round } from './measure.js';
import { ratio, type BenchmarkResult } from './report.js';

const WRITERS = 8;
const BATCH = 100;
const PLAIN_COLUMNS = ['stream_id', 'stream_version', 'event_id', 'event_type', 'schema_version', 'payload', 'metadata', 'recorded_at', 'prev_hash', 'hash'] as const;
const DUMMY_HASH = 'f'.repeat(64);

/**
 * The append path (hash chain, optimistic-concurrency check, projection of the case read model,
 * all in one transaction) against what Postgres does with the same rows and nothing else:
 *   - one event per append ÷ one plain single-row INSERT per event, 8 writers each;
 *   - 100-event appends ÷ COPY of 100 rows (pg-copy-streams, CSV), 8 writers each.
 * The plain table is `CREATE TABLE … (LIKE events INCLUDING ALL)`: the same columns, identity,
 * unique indexes and checks, without the foreign key and the append-only trigger.
 */
export async function eventAppend(ctx: BenchContext): Promise<BenchmarkResult> {
  const streamsPerWriter = ctx.quick ? 3 : 20;
  const batchesPerWriter = ctx.quick ? 6 : 40;
  const { db, url } = await ctx.database('bench_append', { max: WRITERS + 2 });
  await sql`CREATE TABLE bench_plain_events (LIKE events INCLUDING ALL)`.execute(db);
  const plain = new pg.Pool({ connectionString: url, max: WRITERS });
  const progress = new Progress('event append');
  const project = { now: () => new Date(), project: projectReadModels };
  // CPU µs a row or event cost each side, per phase: with 2 cores shared, the rate follows the total.
  const cpuPerEvent: Record<string, { benchProcess: number; postgres: number; total: number }> = {};

  // Single events: each writer takes its cases one after another, every event of a case's life
  // (submission to the 36th repayment, 44 events) appended on its own, as the workflow does.
  const lives = Array.from({ length: WRITERS * streamsPerWriter }, () => {
    const history = new ChuyingHistory();
    history.fullLife(36);
    return { caseId: history.caseId, events: asNewEvents(history.decided, history.caseId) };
  });
  const singleTotal = lives.reduce((n, l) => n + l.events.length, 0);
  let done = 0;
  const singleCpu = cpuByProcess();
  const appendStarted = now();
  await pool(lives, WRITERS, async (life) => {
    for (const [index, event] of life.events.entries()) {
      await appendToStream(db, { streamId: life.caseId, streamType: 'chuying-loan', expectedVersion: index, events: [event] }, project);
      if (++done % 200 === 0) progress.update(`single appends: ${done}/${singleTotal} events, ${round(done / ((now() - appendStarted) / 1000))} events/s`);
    }
  });
  const appendRate = singleTotal / ((now() - appendStarted) / 1000);
  cpuPerEvent.single = cpuPerEventSince(singleCpu, singleTotal);

  // The same appends without the read models (the hash chain, the concurrency check and the
  // idempotency look-up alone), on cases of their own: what the projection's writes cost, in the details.
  const bareLives = Array.from({ length: lives.length }, () => {
    const history = new ChuyingHistory();
    history.fullLife(36);
    return { caseId: history.caseId, events: asNewEvents(history.decided, history.caseId) };
  });
  done = 0;
  const singleWithoutReadModelsCpu = cpuByProcess();
  const bareStarted = now();
  await pool(bareLives, WRITERS, async (life) => {
    for (const [index, event] of life.events.entries()) {
      await appendToStream(db, { streamId: life.caseId, streamType: 'chuying-loan', expectedVersion: index, events: [event] }, { now: project.now });
      if (++done % 1000 === 0) progress.update(`single appends without read models: ${done}/${singleTotal} events`);
    }
  });
  const bareAppendRate = singleTotal / ((now() - bareStarted) / 1000);
  cpuPerEvent.singleWithoutReadModels = cpuPerEventSince(singleWithoutReadModelsCpu, singleTotal);

  done = 0;
  const rows = lives.flatMap((life) => life.events.map((event, index) => plainRow(life.caseId, index + 1, event)));
  const insertCpu = cpuByProcess();
  const insertStarted = now();
  await pool(rows, WRITERS, async (row) => {
    await plain.query(`INSERT INTO bench_plain_events (${PLAIN_COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, row);
    if (++done % 1000 === 0) progress.update(`plain INSERTs: ${done}/${rows.length} rows, ${round(done / ((now() - insertStarted) / 1000))} rows/s`);
  });
  const insertRate = rows.length / ((now() - insertStarted) / 1000);
  cpuPerEvent.insert = cpuPerEventSince(insertCpu, rows.length);

  // 100-event batches: each writer appends `batchesPerWriter` batches to streams of its own.
  const template = new ChuyingHistory();
  template.fullLife(0);
  const supplementCycle = template.decided.slice(1, 3);
  const batches = Array.from({ length: WRITERS * batchesPerWriter }, (_, i) => {
    const streamId = randomUUID();
    const first = new ChuyingHistory(streamId);
    const head = first.submit(`CY-BATCH-${i}`);
    const rest = Array.from({ length: BATCH - 1 }, (_, k) => supplementCycle[k % 2]!);
    return { streamId, events: asNewEvents([...head, ...rest], streamId) };
  });
  done = 0;
  const batchCpu = cpuByProcess();
  const batchStarted = now();
  await pool(batches, WRITERS, async (batch) => {
    await appendToStream(db, { streamId: batch.streamId, streamType: 'chuying-loan', expectedVersion: 0, events: batch.events }, project);
    if (++done % 20 === 0) progress.update(`100-event appends: ${done}/${batches.length} batches, ${round((done * BATCH) / ((now() - batchStarted) / 1000))} events/s`);
  });
  const batchRate = (batches.length * BATCH) / ((now() - batchStarted) / 1000);
  cpuPerEvent.batch = cpuPerEventSince(batchCpu, batches.length * BATCH);

  const bareBatches = batches.map((batch) => {
    const streamId = randomUUID();
    return { streamId, events: batch.events.map((event) => ({ ...event, eventId: randomUUID() })) };
  });
  const batchWithoutReadModelsCpu = cpuByProcess();
  const bareBatchStarted = now();
  await pool(bareBatches, WRITERS, async (batch) => {
    await appendToStream(db, { streamId: batch.streamId, streamType: 'chuying-loan', expectedVersion: 0, events: batch.events }, { now: project.now });
  });
  const bareBatchRate = (bareBatches.length * BATCH) / ((now() - bareBatchStarted) / 1000);
  cpuPerEvent.batchWithoutReadModels = cpuPerEventSince(batchWithoutReadModelsCpu, bareBatches.length * BATCH);

  done = 0;
  const csvBatches = batches.map((batch) => batch.events.map((event, index) => csvLine(plainRow(`copy-${batch.streamId}`, index + 1, { ...event, eventId: randomUUID() }))).join(''));
  const copyCpu = cpuByProcess();
  const copyStarted = now();
  await pool(csvBatches, WRITERS, async (csv) => {
    const client = await plain.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFrom(`COPY bench_plain_events (${PLAIN_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
        stream.on('finish', resolve).on('error', reject);
        stream.end(csv);
      });
    } finally {
      client.release();
    }
    if (++done % 20 === 0) progress.update(`COPY of 100 rows: ${done}/${csvBatches.length} batches`);
  });
  const copyRate = (csvBatches.length * BATCH) / ((now() - copyStarted) / 1000);
  cpuPerEvent.copy = cpuPerEventSince(copyCpu, csvBatches.length * BATCH);
  await plain.end();

  progress.done(`single ${round(appendRate)} vs INSERT ${round(insertRate)} events/s; batches ${round(batchRate)} vs COPY ${round(copyRate)} events/s`);
  return {
    ratios: [
      ratio(
        'event append',
        'single-event append ÷ plain INSERT',
        'events/s appended one per transaction through appendToStream (hash chain, concurrency check, case projection) divided by rows/s of plain single-row INSERTs of the same rows into an equivalent table, both at 8 concurrent writers',
        { what: 'appendToStream, 1 event', value: appendRate, unit: 'events/s' },
        { what: 'single-row INSERT', value: insertRate, unit: 'rows/s' },
      ),
      ratio(
        'event append',
        '100-event append ÷ COPY of 100 rows',
        'events/s appended in 100-event batches through appendToStream divided by rows/s of COPY (CSV, pg-copy-streams) of 100 rows at a time into the equivalent table, both at 8 concurrent writers',
        { what: 'appendToStream, 100 events', value: batchRate, unit: 'events/s' },
        { what: 'COPY, 100 rows', value: copyRate, unit: 'rows/s' },
      ),
    ],
    details: {
      // appendToStream with no projection ÷ the same plain INSERTs: the event store's own share of the append.
      singleAppendWithoutReadModelsPerSecond: round(bareAppendRate),
      singleAppendWithoutReadModelsOverInsert: round(bareAppendRate / insertRate),
      batchAppendWithoutReadModelsPerSecond: round(bareBatchRate),
      batchAppendWithoutReadModelsOverCopy: round(bareBatchRate / copyRate),
      cpuMicrosecondsPerEvent: cpuPerEvent,
      writers: WRITERS,
      singleEvents: singleTotal,
      cases: lives.length,
      batches: batches.length,
      batchSize: BATCH,
      plainTable: 'LIKE events INCLUDING ALL (no FK, no trigger)',
    },
  };
}

function cpuPerEventSince(before: ReturnType<typeof cpuByProcess>, events: number) {
  const after = cpuByProcess();
  const benchProcess = ((after.benchProcess - before.benchProcess) * 1000) / events;
  const postgres = ((after.postgres - before.postgres) * 1000) / events;
  return { benchProcess: round(benchProcess), postgres: round(postgres), total: round(benchProcess + postgres) };
}

function plainRow(streamId: string, version: number, event: NewEvent): unknown[] {
  return [streamId, version, event.eventId, event.type, 1, JSON.stringify(event.data), JSON.stringify(event.metadata), new Date().toISOString(), DUMMY_HASH, DUMMY_HASH];
}

function csvLine(row: unknown[]): string {
  return `${row.map((v) => `"${String(v).replaceAll('"', '""')}"`).join(',')}\n`;
}
