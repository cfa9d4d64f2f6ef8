import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/client.js';
import { appendToStream, ConcurrencyError, readStream, verifyChain } from '../../db/event-store.js';
import { projectReadModels, READ_MODEL_TABLES } from '../../db/projections/index.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let app: Db;
const role = `yc_app_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');

async function asOwner(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// The application's future role: it may read and insert events, never change them, and owns nothing.
beforeAll(async () => {
  database = await createTestDatabase();
  await asOwner(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await asOwner(`GRANT SELECT, INSERT ON events TO ${role}`);
  await asOwner(`GRANT SELECT, INSERT, UPDATE ON streams, ${READ_MODEL_TABLES.join(', ')} TO ${role}`);
  // A projected notice queues its deliveries in the same transaction: a trigger fills the outbox from
  // the recipients' contacts (db/migrations/2026-12-03T00-10_notices.ts).
  await asOwner(`GRANT SELECT, INSERT ON notice_deliveries TO ${role}`);
  await asOwner(`GRANT SELECT ON notice_contacts, accounts TO ${role}`);
  // A loan's bank references are held across loans by a trigger (db/migrations/2026-12-05T14-00_one-bank-reference-one-loan.ts).
  await asOwner(`GRANT SELECT, INSERT ON money_references TO ${role}`);
  const url = new URL(database.url);
  url.username = role;
  url.password = password;
  app = createDb(url.toString(), { max: 2 });
});

afterAll(async () => {
  await app?.destroy();
  await asOwner(`DROP OWNED BY ${role}`).catch(() => {});
  await database?.drop();
  await asOwner(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
});

describe('an append by a role that may only read and insert events', () => {
  it('appends, projects, answers a retry with the original positions and refuses a stale version', async () => {
    const history = new ChuyingHistory();
    history.fullLife(2);
    const events = asNewEvents(history.decided, history.caseId);
    const options = { now: () => new Date(), project: projectReadModels };
    for (const [index, event] of events.entries()) {
      await appendToStream(app, { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: index, events: [event] }, options);
    }
    const retry = await appendToStream(app, { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: 0, events: events.slice(0, 1) }, options);
    expect(retry.alreadyAppended).toBe(true);
    await expect(appendToStream(app, { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: 1, events: asNewEvents(history.decided.slice(1, 2), history.caseId) }, options)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );

    const stored = await readStream(app, history.caseId);
    expect(stored).toHaveLength(events.length);
    expect(verifyChain(stored)).toBeUndefined();
    const row = await app.selectFrom('cases').select(['version', 'status']).where('case_id', '=', history.caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ version: events.length, status: 'repaying' });
    const paid = await app.selectFrom('loan_instalments').select('number').where('case_id', '=', history.caseId).where('status', '=', 'paid').execute();
    expect(paid.map((r) => r.number)).toEqual([1, 2]);

    // ... and it really is that role: an event cannot be changed by it.
    await expect(app.updateTable('events').set({ event_type: 'Changed' }).where('stream_id', '=', history.caseId).execute()).rejects.toThrow(/permission denied/);
  });
});
