import { availableParallelism } from 'node:os';
import type { Db } from '../db/client.js';
import { Worker } from 'node:worker_threads';
import { loadFold } from '../cases/folds.js';
import { alteredContent, StreamVerifier, VERIFIER_WORKER, type EventRowText, type RangeVerdict, type StreamRange, type StreamVerdict, type VerifyResponse, type VerifyTask } from './verify-worker.js';

/** Below this many events a store is verified on this thread: starting workers would cost more. */
export const WORKERS_FROM_EVENTS = 50_000;

/** As many workers as cores (the reading thread mostly waits on PostgreSQL), at least one. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The CPU side of verification (parsing each event, recomputing its hash, folding a stream) on
 * worker threads, one per core; the thread that reads the log keeps only what is sequential (the
 * log digest, the links between events). With `workers: 0` everything runs on the calling thread,
 * through the same functions.
 */
export class VerifierPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (r: VerifyResponse) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private nextInTurn = 0;
  private readonly inline: StreamVerifier[] = [];

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url), { workerData: { role: VERIFIER_WORKER } });
      worker.on('message', (response: VerifyResponse) => {
        const waiter = this.waiting.get(response.id);
        this.waiting.delete(response.id);
        if (response.error) waiter?.reject(new Error(`核验工作线程出错：${response.error}`));
        else waiter?.resolve(response);
      });
      worker.on('error', (error) => this.failAll(error));
      this.workers.push(worker);
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  private ask(worker: Worker, request: VerifyTask): Promise<VerifyResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  /** Indexes of the rows whose content no longer matches their hash, in ascending order. */
  async alteredContent(rows: readonly EventRowText[]): Promise<number[]> {
    if (this.size === 0) return alteredContent(rows);
    const share = Math.ceil(rows.length / this.size);
    const parts = await Promise.all(
      this.workers.map((worker, w) => {
        const from = w * share;
        return from < rows.length ? this.ask(worker, { kind: 'content', rows: rows.slice(from, from + share) }).then((r) => r.altered!.map((i) => i + from)) : [];
      }),
    );
    return parts.flat();
  }

  /**
   * Rows in (stream, version) order, handed out by stream, so each worker sees its streams whole
   * and in order; answers the verdicts of the streams that ended. `flushStreams` ends the rest.
   */
  async streams(rows: readonly EventRowText[], foldAs?: string): Promise<StreamVerdict[]> {
    const lanes = Math.max(1, this.size);
    const shares: EventRowText[][] = Array.from({ length: lanes }, () => []);
    for (const row of rows) shares[laneOf(row[1], lanes)]!.push(row);
    if (this.size === 0) {
      this.inline[0] ??= new StreamVerifier(foldAs ? await loadFold(foldAs) : undefined);
      return this.inline[0].add(shares[0]!);
    }
    const parts = await Promise.all(this.workers.map((worker, w) => (shares[w]!.length ? this.ask(worker, { kind: 'streams', rows: shares[w]!, foldAs }).then((r) => r.verdicts!) : [])));
    return parts.flat();
  }

  async flushStreams(): Promise<StreamVerdict[]> {
    if (this.size === 0) {
      const verdicts = this.inline[0]?.flush() ?? [];
      this.inline.length = 0;
      return verdicts;
    }
    return (await Promise.all(this.workers.map((worker) => this.ask(worker, { kind: 'flush' }).then((r) => r.verdicts!)))).flat();
  }

  /**
   * Every stream in the database, each worker reading a range of its own on its own connection,
   * each stream verified whole and folded as `foldAs` when given: no thread reads for another.
   * `bounds` are size − 1 stream ids in order (streamBounds): worker w reads from bounds[w − 1] up
   * to, not including, bounds[w].
   */
  async streamsFromDatabase(url: string, bounds: readonly string[], options: { pageSize: number; foldAs?: string }): Promise<RangeVerdict[]> {
    if (this.size === 0) throw new RangeError('reading ranges needs workers');
    const ranges: StreamRange[] = this.workers.slice(0, bounds.length + 1).map((_, w) => ({
      url,
      ...(w > 0 ? { from: bounds[w - 1]! } : {}),
      ...(w < bounds.length ? { before: bounds[w]! } : {}),
      pageSize: options.pageSize,
      ...(options.foldAs ? { foldAs: options.foldAs } : {}),
    }));
    return Promise.all(ranges.map((range, w) => this.ask(this.workers[w]!, { kind: 'range', range }).then((r) => r.range!)));
  }

  /**
   * The global positions, from `from` to `to`, of the events whose content no longer matches their
   * hash: the next worker in turn reads them on its own connection to `url` and checks them.
   */
  async alteredContentBetween(url: string, from: number, to: number): Promise<number[]> {
    if (this.size === 0) throw new RangeError('reading positions needs workers');
    const worker = this.workers[this.nextInTurn++ % this.size]!;
    return (await this.ask(worker, { kind: 'content-between', url, from, to })).altered!;
  }

  async close(): Promise<void> {
    // Each worker ends its own connection, if it opened one, before it is stopped.
    await Promise.all(this.workers.map((worker) => this.ask(worker, { kind: 'end' }).catch(() => undefined)));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** A stream's lane: a cheap, stable hash of its id. */
function laneOf(streamId: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < streamId.length; i++) h = (h * 31 + streamId.charCodeAt(i)) | 0;
  return (h >>> 0) % lanes;
}

/** Stream ids that split the streams into `parts` ranges of equal counts (fewer when there are few streams). */
export async function streamBounds(db: Db, parts: number): Promise<string[]> {
  const { n } = await db.selectFrom('streams').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const bounds: string[] = [];
  for (let p = 1; p < parts; p++) {
    const at = await db.selectFrom('streams').select('stream_id').orderBy('stream_id').offset(Math.floor((n * p) / parts)).limit(1).executeTakeFirst();
    if (at && at.stream_id !== bounds.at(-1)) bounds.push(at.stream_id);
  }
  return bounds;
}
