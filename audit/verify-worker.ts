import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { EventMetadata, StoredEvent } from '../db/event-store.js';
import { eventHashV2, type HashVersion, verifyChain } from '../db/hash-chain.js';
import { recomputedEventHash } from './event-hash.js';
import { loadFold } from '../cases/folds.js';
import type { CaseFold } from '../cases/registry.js';

/**
 * An event as the verifier reads it: jsonb and timestamptz columns as the text PostgreSQL sends,
 * so the thread that reads only moves strings, and the parsing is done where the hashing is.
 * A version-2 hash covers data and metadata as exactly this text, so it is hashed as it came.
 * [global_position, stream_id, stream_version, event_id, event_type, schema_version, payload,
 *  metadata, recorded_at, prev_hash, hash, hash_version]
 */
export type EventRowText = [number, string, number, string, string, number, string, string, string, string, string, number];

export const EVENT_ROW_COLUMNS = `global_position, stream_id, stream_version, event_id, event_type, schema_version,
  payload::text AS payload, metadata::text AS metadata, recorded_at::text AS recorded_at, prev_hash, hash, hash_version`;

export function asRowText(row: Record<string, unknown>): EventRowText {
  return [
    row.global_position as number,
    row.stream_id as string,
    row.stream_version as number,
    row.event_id as string,
    row.event_type as string,
    row.schema_version as number,
    row.payload as string,
    row.metadata as string,
    row.recorded_at as string,
    row.prev_hash as string,
    row.hash as string,
    row.hash_version as number,
  ];
}

/** A worker's rows: global_position, stream_version, schema_version as numbers (the pool's parsers are not here), the rest as sent. */
const AS_SENT = { getTypeParser: (oid: number) => (oid === 20 || oid === 23 || oid === 21 ? Number : (text: string) => text) } as pg.CustomTypesConfig;

/** The same parser the application's pool uses for timestamptz, so a Date here is the Date there. */
const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/**
 * A timestamptz's text in ISO 8601 to the millisecond, as the hashes write recordedAt. PostgreSQL
 * writes a time in UTC as `2026-01-05 02:00:00.12+00` (DateStyle ISO, trailing zeros dropped): that
 * is rearranged without making a Date, which was most of what reading the time cost the verifier.
 * Any other text (another zone, microseconds, a year past 9999) goes through the pool's parser.
 */
export function isoOfTimestamptzText(text: string): string {
  const n = text.length;
  if (n >= 22 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32 && text.endsWith('+00')) {
    if (n === 22) return `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`;
    const digits = n - 23;
    if (text.charCodeAt(19) === 46 && digits >= 1 && digits <= 3) return `${text.slice(0, 10)}T${text.slice(11, 19)}.${text.slice(20, n - 3).padEnd(3, '0')}Z`;
  }
  return parseTimestamptz(text).toISOString();
}

/**
 * An event read as text. Data is parsed (the fold needs it); metadata and the time as a Date only
 * when something asks for them, which neither a version-2 hash (it covers their text) nor a fold does.
 */
class EventFromText implements StoredEvent {
  readonly globalPosition: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly recordedAtIso: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly hashVersion: HashVersion;
  readonly dataText: string;
  readonly metadataText: string;
  private parsedMetadata: EventMetadata | undefined;
  private readonly recordedAtText: string;

  constructor(row: EventRowText) {
    this.globalPosition = row[0];
    this.streamId = row[1];
    this.streamVersion = row[2];
    this.eventId = row[3];
    this.type = row[4];
    this.schemaVersion = row[5];
    this.dataText = row[6];
    this.metadataText = row[7];
    this.data = JSON.parse(row[6]) as Record<string, unknown>;
    this.recordedAtText = row[8];
    this.recordedAtIso = isoOfTimestamptzText(row[8]);
    this.prevHash = row[9];
    this.hash = row[10];
    this.hashVersion = row[11] as HashVersion;
  }

  get metadata(): EventMetadata {
    return (this.parsedMetadata ??= JSON.parse(this.metadataText) as EventMetadata);
  }

  /** A Date only for whoever asks: the hashes take recordedAtIso, and a fold reads no times. */
  get recordedAt(): Date {
    return parseTimestamptz(this.recordedAtText);
  }
}

export function toEvent(row: EventRowText): StoredEvent {
  return new EventFromText(row);
}

/** The hash a row's content gives now, by its hash version: a version-2 row's texts are hashed as read, nothing parsed. */
function rehashRow(row: EventRowText): string {
  if (row[11] !== 2) return recomputedEventHash(toEvent(row));
  return eventHashV2(row[9], {
    streamId: row[1], streamVersion: row[2], eventId: row[3], type: row[4], schemaVersion: row[5],
    recordedAt: isoOfTimestamptzText(row[8]), dataText: row[6], metadataText: row[7],
  });
}

/** Indexes (into `rows`) of the events whose content no longer matches their stored hash. */
export function alteredContent(rows: readonly EventRowText[]): number[] {
  const altered: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rehashRow(rows[i]!) !== rows[i]![10]) altered.push(i);
  return altered;
}

/** A stream's first problem (db/event-store.ts verifyChain), after folding it into its case state when asked. */
export interface StreamVerdict {
  streamId: string;
  events: number;
  problem?: { streamVersion: number; problem: string };
}

/**
 * Whole streams, each verified (and folded) as it ends. The rows of a stream must arrive
 * consecutively and in version order; a stream may span several batches.
 */
export class StreamVerifier {
  private current: StoredEvent[] = [];
  /** `fold` is the case type's (cases/folds.ts loadFold), passed in so that a worker that only hashes never loads the domain. */
  constructor(private readonly fold?: CaseFold) {}

  add(rows: readonly EventRowText[]): StreamVerdict[] {
    const verdicts: StreamVerdict[] = [];
    for (const row of rows) {
      const verdict = this.addRow(row);
      if (verdict) verdicts.push(verdict);
    }
    return verdicts;
  }

  /** One row: the verdict of the stream before it, when it begins another. */
  addRow(row: EventRowText): StreamVerdict | undefined {
    const ended = this.current.length > 0 && this.current[0]!.streamId !== row[1] ? this.finish() : undefined;
    this.current.push(toEvent(row));
    return ended;
  }

  flush(): StreamVerdict[] {
    return this.current.length > 0 ? [this.finish()] : [];
  }

  private finish(): StreamVerdict {
    const events = this.current;
    this.current = [];
    const problem = verifyChain(events, recomputedEventHash);
    if (this.fold) events.reduce((state, event) => this.fold!.evolve(state, event), this.fold.initial());
    return { streamId: events[0]!.streamId, events: events.length, ...(problem ? { problem } : {}) };
  }
}

/** A range of streams [from, to) for a worker to read from the database itself and verify whole. */
export interface StreamRange {
  url: string;
  /** Inclusive lower bound (undefined: from the first stream). */
  from?: string;
  /** Exclusive upper bound (undefined: to the last stream). */
  before?: string;
  pageSize: number;
  foldAs?: string;
}

export interface RangeVerdict {
  events: number;
  streams: number;
  problems: StreamVerdict[];
  /** This worker thread's CPU time, reading included (on Linux; elsewhere the whole process's, which counts every thread). */
  cpuMs: number;
}

export type VerifyTask =
  | { kind: 'content'; rows: EventRowText[] }
  | { kind: 'content-between'; url: string; from: number; to: number }
  | { kind: 'end' }
  | { kind: 'streams'; rows: EventRowText[]; foldAs?: string }
  | { kind: 'flush' }
  | { kind: 'range'; range: StreamRange };
export type VerifyRequest = VerifyTask & { id: number };

export type VerifyResponse = { id: number; altered?: number[]; verdicts?: StreamVerdict[]; range?: RangeVerdict; error?: string };

/**
 * Reads a range of streams in (stream, version) order on a connection of its own, a page at a time,
 * and verifies (and folds) each stream whole as its rows arrive: nothing is kept but the stream
 * being read, so a page never lives long enough for the collector to copy it (holding a page of
 * 5,000 rows while the next one arrived had made garbage collection a fifth of the work).
 */
async function verifyRange(range: StreamRange): Promise<RangeVerdict> {
  const cpuAtStart = threadCpuMs();
  const client = await connectForText(range.url);
  try {
    const verifier = new StreamVerifier(range.foldAs ? await loadFold(range.foldAs) : undefined);
    const problems: StreamVerdict[] = [];
    let events = 0;
    let streams = 0;
    const judge = (verdict: StreamVerdict | undefined) => {
      if (!verdict) return;
      streams++;
      if (verdict.problem) problems.push(verdict);
    };
    /** One page after `after` (a stream id and version), each row verified as it comes: answers the page's last row, if it was full. */
    const readPage = async (after: [string, number] | undefined): Promise<EventRowText | undefined> => {
      const values: unknown[] = [];
      const conditions: string[] = [];
      if (after) conditions.push(`(stream_id, stream_version) > ($${values.push(after[0])}, $${values.push(after[1])})`);
      else if (range.from !== undefined) conditions.push(`stream_id >= $${values.push(range.from)}`);
      if (range.before !== undefined) conditions.push(`stream_id < $${values.push(range.before)}`);
      let last: EventRowText | undefined;
      const rows = await eachRow(
        client,
        `SELECT ${EVENT_ROW_COLUMNS} FROM events ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
         ORDER BY stream_id, stream_version LIMIT $${values.push(range.pageSize)}`,
        values,
        (row) => {
          last = row;
          judge(verifier.addRow(row));
        },
      );
      events += rows;
      return rows === range.pageSize ? last : undefined;
    };
    let last = await readPage(undefined);
    while (last) last = await readPage([last[1], last[2]]);
    judge(verifier.flush()[0]);
    return { events, streams, problems, cpuMs: threadCpuMs() - cpuAtStart };
  } finally {
    await client.end();
  }
}

/** A connection that sends times as UTC text, which isoOfTimestamptzText rearranges without parsing, wherever the server's zone is. */
async function connectForText(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO'`);
  return client;
}

/**
 * Runs a query of EVENT_ROW_COLUMNS and hands each row to `onRow` as the driver parses it, keeping
 * none; answers how many rows there were. A handler that threw would throw inside the driver's
 * socket handler, so its error is kept until the query ends, and the rest of the rows are skipped.
 */
function eachRow(client: pg.Client, text: string, values: unknown[], onRow: (row: EventRowText) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query<EventRowText>({ text, values, rowMode: 'array', types: AS_SENT } as pg.QueryConfig);
    let rows = 0;
    let failure: unknown;
    query.on('row', (row: EventRowText) => {
      rows++;
      if (failure !== undefined) return;
      try {
        onRow(row);
      } catch (error) {
        failure = error;
      }
    });
    query.on('error', reject);
    query.on('end', () => (failure !== undefined ? reject(failure) : resolve(rows)));
    client.query(query);
  });
}

/** This worker's own connection, for the content checks it reads itself (one store per worker's life). */
let ownClient: Promise<pg.Client> | undefined;

/**
 * The global positions, from `from` to `to`, of the events whose content no longer matches their
 * hash, read by this worker on its own connection and checked as each row arrives: the thread that
 * walks the log then reads only the links (audit/verify-store.ts), and no rows cross threads.
 */
async function alteredContentBetween(url: string, from: number, to: number): Promise<number[]> {
  const client = await (ownClient ??= connectForText(url));
  const altered: number[] = [];
  await eachRow(client, `SELECT ${EVENT_ROW_COLUMNS} FROM events WHERE global_position BETWEEN $1 AND $2`, [from, to], (row) => {
    if (rehashRow(row) !== row[10]) altered.push(row[0]);
  });
  return altered.sort((a, b) => a - b);
}

/**
 * CPU time this thread has used, in ms: Linux keeps it per thread (/proc/thread-self/stat, utime and
 * stime, in ticks of 10 ms). process.cpuUsage() counts every thread of the process, so workers
 * verifying side by side would each report the others' time too. Elsewhere, the process's.
 */
function threadCpuMs(): number {
  try {
    const line = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = line.slice(line.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
}

/** What audit/parallel-verify.ts passes a worker it starts, so that importing this module elsewhere starts nothing. */
export const VERIFIER_WORKER = 'youchuang-verifier';

if (parentPort && (workerData as { role?: string } | null)?.role === VERIFIER_WORKER) {
  const port = parentPort;
  let streams: StreamVerifier | undefined;
  const handle = async (request: VerifyRequest): Promise<VerifyResponse> => {
    if (request.kind === 'content') return { id: request.id, altered: alteredContent(request.rows) };
    if (request.kind === 'content-between') return { id: request.id, altered: await alteredContentBetween(request.url, request.from, request.to) };
    if (request.kind === 'end') {
      await (await ownClient)?.end();
      ownClient = undefined;
      return { id: request.id };
    }
    if (request.kind === 'streams') {
      streams ??= new StreamVerifier(request.foldAs ? await loadFold(request.foldAs) : undefined);
      return { id: request.id, verdicts: streams.add(request.rows) };
    }
    if (request.kind === 'range') return { id: request.id, range: await verifyRange(request.range) };
    const verdicts = streams?.flush() ?? [];
    streams = undefined;
    return { id: request.id, verdicts };
  };
  // One request at a time, in the order sent: a stream's rows may span several.
  let queue = Promise.resolve();
  port.on('message', (request: VerifyRequest) => {
    queue = queue.then(async () => {
      try {
        port.postMessage(await handle(request));
      } catch (error) {
        port.postMessage({ id: request.id, error: (error as Error).stack ?? String(error) } satisfies VerifyResponse);
      }
    });
  });
}
