import { parentPort, workerData } from 'node:worker_threads';
import { createDb } from '../db/client.js';
import { appendToStream } from '../db/event-store.js';
import { projectReadModels } from '../db/projections/index.js';
import { asNewEvents, ChuyingHistory } from '../test/support/chuying-history.js';
import { sleep } from './measure.js';

/**
 * The writes behind the API-reads benchmark: `writers` cases each appending a step every 5 ms
 * through the real append path and projection, until told to stop; counts what it appended in `counter`.
 *
 * A thread of its own, as in a deployment the appends are the worker's (its activities), not the
 * API process's: the reads share the machine and the database with the writes, not the event loop.
 */
const { url, writers, counter } = workerData as { url: string; writers: number; counter: SharedArrayBuffer };
// Counted in shared memory: a message a write would put work on the API's event loop after all.
const writes = new Int32Array(counter);
const db = createDb(url);
let writing = true;
parentPort!.once('message', () => (writing = false));

const template = new ChuyingHistory();
template.fullLife(0);
const cycle = template.decided.slice(1, 3);
const project = { now: () => new Date(), project: projectReadModels };
await Promise.all(
  Array.from({ length: writers }, async () => {
    const history = new ChuyingHistory();
    const streamId = history.caseId;
    await appendToStream(db, { streamId, streamType: 'chuying-loan', expectedVersion: 0, events: asNewEvents(history.submit(), streamId) }, project);
    for (let version = 1; writing; version++) {
      await appendToStream(db, { streamId, streamType: 'chuying-loan', expectedVersion: version, events: asNewEvents([cycle[version % 2]!], streamId) }, project);
      Atomics.add(writes, 0, 1);
      await sleep(5);
    }
  }),
);
await db.destroy();
parentPort!.postMessage('stopped');
