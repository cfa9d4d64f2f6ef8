import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import pg from 'pg';
import { createDb, type Db } from '../../db/client.js';
import { toStoredEvent, verifyChain, type StoredEvent } from '../../db/event-store.js';
import { migrateToLatest } from '../../db/migrations/index.js';
import { projectReadModels } from '../../db/projections/index.js';
import { TEMPLATE_DATABASE } from '../support/global-setup.js';

/**
 * What every fault test checks afterwards: each stream's hash chain verifies and agrees with its
 * head row, and the read models rebuilt from the events alone equal the live ones.
 *
 * The rebuild re-folds every stream through the same projections the appends use, into a fresh,
 * migrated scratch database on the same server, and compares the rows of every read model.
 */

export interface StoreCheck {
  streams: number;
  events: number;
  /** One line per stream whose chain or head row is wrong; empty when the store is intact. */
  problems: string[];
}

/** Verifies every stream's chain, and that `streams.version`/`head_hash` match its last event. */
export async function verifyAllChains(db: Db): Promise<StoreCheck> {
  const heads = await db.selectFrom('streams').selectAll().orderBy('stream_id').execute();
  const problems: string[] = [];
  let events = 0;
  for (const head of heads) {
    const stream = (await db.selectFrom('events').selectAll().where('stream_id', '=', head.stream_id).orderBy('stream_version').execute()).map(toStoredEvent);
    events += stream.length;
    const problem = verifyChain(stream);
    if (problem) problems.push(`${head.stream_id} v${problem.streamVersion}: ${problem.problem}`);
    const last = stream.at(-1);
    if (head.version !== stream.length) problems.push(`${head.stream_id}: head says version ${head.version}, the stream has ${stream.length} events`);
    if (last && head.head_hash !== last.hash) problems.push(`${head.stream_id}: head hash is not the last event's hash`);
  }
  const orphans = await db.selectFrom('events').select('stream_id').where('stream_id', 'not in', db.selectFrom('streams').select('stream_id')).execute();
  for (const orphan of orphans) problems.push(`${orphan.stream_id}: events without a stream head`);
  return { streams: heads.length, events, problems };
}

/** The read models' rows in a stable order, as comparable plain values. */
export async function readModelRows(db: Db) {
  const [cases, instalments] = await Promise.all([
    db.selectFrom('cases').selectAll().orderBy('case_id').execute(),
    db.selectFrom('loan_instalments').selectAll().orderBy('case_id').orderBy('number').execute(),
  ]);
  return { cases, instalments };
}

/**
 * Folds every stream's events, in order and one stream per transaction, through the live
 * projections into a scratch database, and returns the rebuilt rows (the scratch database is dropped).
 * `databaseUrl` must name a user allowed to create databases (the test clusters' owner is).
 */
export async function rebuildReadModels(source: Db, databaseUrl: string): Promise<Awaited<ReturnType<typeof readModelRows>>> {
  const name = `rebuild_${randomBytes(6).toString('hex')}`;
  const adminUrl = databaseUrl.replace(/\/[^/?]*(\?.*)?$/, '/postgres$1');
  const admin = (text: string) => adminQuery(adminUrl, text);
  // A copy of the test run's migrated, empty template where there is one (much faster than migrating).
  const template = await adminQuery(adminUrl, `SELECT 1 FROM pg_database WHERE datname = '${TEMPLATE_DATABASE}'`);
  await admin(`CREATE DATABASE ${name}${template.rowCount ? ` TEMPLATE ${TEMPLATE_DATABASE}` : ''}`);
  const scratch = createDb(databaseUrl.replace(/\/[^/?]*(\?.*)?$/, `/${name}$1`), { max: 2 });
  try {
    if (!template.rowCount) await migrateToLatest(scratch);
    const heads = await source.selectFrom('streams').select(['stream_id', 'stream_type']).orderBy('stream_id').execute();
    for (const head of heads) {
      const events: StoredEvent[] = (
        await source.selectFrom('events').selectAll().where('stream_id', '=', head.stream_id).orderBy('stream_version').execute()
      ).map(toStoredEvent);
      if (events.length === 0) continue;
      await scratch.transaction().execute((trx) => projectReadModels(trx, head.stream_type, events));
    }
    return await readModelRows(scratch);
  } finally {
    await scratch.destroy();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function adminQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** The check after every fault test: chains intact, and a rebuild from the events equals the live read models. */
export async function expectIntactAndRebuildable(db: Db, databaseUrl: string): Promise<StoreCheck> {
  const check = await verifyAllChains(db);
  expect(check.problems).toEqual([]);
  const live = await readModelRows(db);
  const rebuilt = await rebuildReadModels(db, databaseUrl);
  expect(rebuilt.cases).toHaveLength(live.cases.length);
  expect(rebuilt).toEqual(live);
  return check;
}
