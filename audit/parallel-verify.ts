import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { alteredContent, StreamVerifier, VERIFIER_WORKER, type EventRowText, type StreamVerdict, type VerifyResponse, type VerifyTask } from './verify-worker.js';

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
  private readonly inline: StreamVerifier[] = [];

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./verify-worker.mjs', import.meta.url), { workerData: { role: VERIFIER_WORKER } });
      worker.on('message', (response: VerifyResponse) => {
        const waiter = this.waiting.get(response.id);
        this.waiting.delete(response.id);
        if (response.error) waiter?.reject(new Error(`verification worker failed: ${response.error}`));
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
      this.inline[0] ??= new StreamVerifier(foldAs, foldAs ? (await import('../domain/case-types.js')).foldCase : undefined);
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

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** A stream's lane: a cheap, stable hash of its id. */
function laneOf(streamId: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < streamId.length; i++) h = (h * 31 + streamId.charCodeAt(i)) | 0;
  return (h >>> 0) % lanes;
}
