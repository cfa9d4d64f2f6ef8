import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../../domain/cases/actor.js';
import type { Db } from '../../db/client.js';
import { appendToStream, type EventMetadata, type NewEvent } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';
import { fundReviewer } from '../support/actors.js';

/** An injected clock that always reads the same instant. */
export function fixedClock(iso: string): () => Date {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`bad instant ${iso}`);
  return () => new Date(at);
}

export function metadataFor(actor: Actor = fundReviewer, causationId: string = randomUUID()): EventMetadata {
  return { actor, correlationId: randomUUID(), causationId };
}

export function newEvent(type: string, data: Record<string, unknown>, overrides: Partial<NewEvent> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: metadataFor(), ...overrides };
}

/** A batch of simple, distinguishable events. */
export function someEvents(count: number, label = 'Noted'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(label, { seq: i + 1, note: `第 ${i + 1} 条记录` }));
}

export async function countEvents(db: Db, streamId?: string): Promise<number> {
  let query = db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
  if (streamId !== undefined) query = query.where('stream_id', '=', streamId);
  const row = await query.executeTakeFirstOrThrow();
  return row.n;
}

export async function streamHead(db: Db, streamId: string) {
  return db.selectFrom('streams').selectAll().where('stream_id', '=', streamId).executeTakeFirst();
}

/**
 * Acts as the test cluster's superuser (pass TestDatabase.url: the application role, which the
 * code under test uses, could not) on one test database: the append-only trigger is disabled only
 * inside this transaction, so other connections never see it off, and it is on again whatever happens.
 */
export async function tamperAsSuperuser(url: string, statements: { text: string; values?: unknown[] }[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    for (const statement of statements) {
      const result = await client.query(statement.text, statement.values);
      if (result.rowCount === 0) throw new Error(`tampering statement changed nothing: ${statement.text}`);
    }
    await client.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** 'O' when the trigger fires normally, 'D' when disabled. */
export async function appendOnlyTriggerState(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ tgenabled: string }>(
      `SELECT tgenabled FROM pg_trigger WHERE tgname = 'events_append_only' AND tgrelid = 'events'::regclass`,
    );
    return result.rows[0]?.tgenabled;
  } finally {
    await client.end();
  }
}

/**
 * The statements apply_read_model_writes prepared on `db`'s connection (give it one): its general
 * way, which passes the rows as quoted text. The writes of every append of a case are written out,
 * so a loan's life prepares none for them.
 */
export async function preparedReadModelWrites(db: Db): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'youchuang_rmw_%'`.execute(db);
  return rows.map((r) => r.statement);
}

/** A 雏鹰 loan through its life to `repayments` repayments, one event an append with the read models, as the workflow appends it. */
export async function appendLoanLife(db: Db, repayments: number): Promise<{ history: ChuyingHistory; events: NewEvent[] }> {
  const history = new ChuyingHistory();
  history.fullLife(repayments);
  const events = asNewEvents(history.decided, history.caseId);
  for (const [index, event] of events.entries()) {
    await appendToStream(db, { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: index, events: [event] }, { now: () => new Date(), project: projectReadModels });
  }
  return { history, events };
}

/**
 * A `cases` row as a migration or a scan finds it, written straight into the table (no events behind
 * it): case n of the test, a 雏鹰 loan in repayment unless `values` say otherwise.
 */
export function plainCaseRow(n: number, values: Record<string, unknown> = {}) {
  const at = new Date('2026-12-03T02:00:00Z');
  return {
    case_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    reference_no: `X-${n}`,
    case_type: 'chuying-loan',
    applicant_account_id: 'demo-applicant',
    applicant_name: '上海星河文化传媒有限公司',
    status: 'repaying',
    status_label: '还款中',
    waiting_for_role: null,
    waiting_for_department: null,
    requested_fen: 0,
    approved_fen: null,
    outstanding_fen: 0,
    next_deadline_at: null,
    version: 1,
    opened_at: at,
    updated_at: at,
    state: JSON.stringify({}),
    ...values,
  };
}

