import { randomBytes } from 'node:crypto';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database } from '../db/database.js';
import { toStoredEvent, type Projection, type StoredEvent } from '../db/event-store.js';
import { ACCOUNT_STREAM, projectAccount, projectAccountNotices } from '../db/projections/account.projection.js';
import { projectCaseReadModels, projectReadModels, READ_MODEL_TABLES } from '../db/projections/index.js';
import { fencedPosition } from './checkpoints.js';
import { structuralDiff } from './structural-diff.js';

export interface RowDrift {
  table: string;
  /** The row's primary key, column by column (the whole row where the table has none). */
  key: Record<string, unknown>;
  /** changed: both have the row, some columns differ; missing: the events make a row the live model lacks; extra: the live model has a row the events do not explain. */
  kind: 'changed' | 'missing' | 'extra';
  columns?: ColumnDrift[];
  live?: Record<string, unknown>;
  rebuilt?: Record<string, unknown>;
}

/** A column whose live value differs from the rebuilt one. */
export interface ColumnDrift {
  column: string;
  live: unknown;
  rebuilt: unknown;
  /**
   * For a JSON object or list: where inside it the two differ (`details.project.summary`), up to
   * MAX_DIFFERENCES. Two whole documents cut to a prefix showed nothing that differed.
   */
  differences?: { path: string; live?: unknown; rebuilt?: unknown }[];
  /** How many places differ in all, when more than are listed. */
  differenceCount?: number;
}

export interface DriftReport {
  intact: boolean;
  eventsReplayed: number;
  /** The rebuild covers the log up to here; the comparison sees the live rows of the same moment. */
  position: number;
  seconds: number;
  tables: { table: string; liveRows: number; rebuiltRows: number; changed: number; missing: number; extra: number }[];
  driftCount: number;
  /** The first 200 differing rows of each table. */
  drift: RowDrift[];
  scratchSchema: string;
  scratchSchemaKept: boolean;
}

export class UndeclaredReadModelError extends Error {
  constructor(readonly tables: string[]) {
    super(
      `投影写入了 ${tables.join('、')}，不在 READ_MODEL_TABLES（db/projections/index.ts）所列的读模型之中：重建已回滚，现有数据没有任何改动；投影写入的每张表都须列入 READ_MODEL_TABLES`,
    );
  }
}

const BATCH = 5000;
const MAX_DIFFERENCES = 20;
const MAX_ROWS_PER_TABLE = 200;

/**
 * The account projection's tables (db/projections/account.projection.ts). Not read models the
 * rebuild can reproduce whole (password hashes, sessions and accounts from before the account streams
 * are in no event), but what the events say is: the grants, and of each account with a stream its
 * name, role, department, duties, applicant kind and whether it is disabled. An outside auditor gave
 * an official the approver's duty with one UPDATE, and neither verify nor drift said anything.
 * The profile (an applicant's registered company) is left out: accounts from before companies were
 * registered on them hold none their events would give, and the tests make the demo company such an
 * account by hand (test/support/legacy-company.ts); one company per account is the database's own rule.
 */
const ACCOUNT_TABLES = ['accounts', 'account_grants', 'sessions'] as const;
const ACCOUNT_COLUMNS_FROM_EVENTS = ['account_id', 'username', 'display_name', 'role', 'department', 'duties', 'applicant_kind', 'created_at', 'disabled_at', 'disabled_reason'];

type Row = StoredEvent & { streamType: string };

/**
 * Consecutive events of one stream recorded at one instant: one append, as the live system
 * projected it (a projection may care where one append ends, e.g. for a case's opening time).
 */
function takeAppends(rows: Row[], final: boolean): { appends: Row[][]; rest: Row[] } {
  const appends: Row[][] = [];
  let current: Row[] = [];
  for (const row of rows) {
    const head = current[0];
    if (head && (head.streamId !== row.streamId || head.recordedAt.getTime() !== row.recordedAt.getTime())) {
      appends.push(current);
      current = [];
    }
    current.push(row);
  }
  if (final) {
    if (current.length) appends.push(current);
    return { appends, rest: [] };
  }
  return { appends, rest: current };
}

async function fetchEvents(trx: Db | Transaction<Database>, after: number, upTo: number | undefined, limit: number): Promise<Row[]> {
  let query = trx
    .selectFrom('events')
    .innerJoin('streams', 'streams.stream_id', 'events.stream_id')
    .selectAll('events')
    .select('streams.stream_type')
    .where('events.global_position', '>', after);
  if (upTo !== undefined) query = query.where('events.global_position', '<=', upTo);
  const rows = await query.orderBy('events.global_position').limit(limit).execute();
  return rows.map((row) => ({ ...toStoredEvent(row), streamType: row.stream_type }));
}

/**
 * Rebuilds every read model from the events, with the live projections, into empty copies of the
 * read-model tables in a scratch schema, and compares them row by row with the live tables.
 *
 * Each rebuilding transaction puts the scratch schema first on its search_path (SET LOCAL, so the
 * pooled connection forgets it at commit): the projections' unqualified table names resolve to the
 * copies, while `events` and `streams` still resolve to the live log. Before each commit the
 * transaction checks that it wrote nothing in the live schema, and rolls back if it did.
 *
 * Appends may continue meanwhile: the bulk of the log (up to a fenced position) is replayed in
 * ordinary transactions, then the rest and the comparison run in one repeatable-read snapshot, in
 * which the live read models and the events agree by construction (they commit together).
 */
export async function rebuildAndCompare(
  db: Db,
  options: { project?: Projection; tables?: readonly string[]; keepScratchSchema?: boolean; onProgress?: (eventsReplayed: number, totalEvents: number) => void; now?: () => number } = {},
): Promise<DriftReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const project = options.project ?? projectReadModels;
  const { rows: schemaRows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const live = schemaRows[0]!.schema;
  const declared = options.tables ?? READ_MODEL_TABLES;
  const { rows: existing } = await sql<{ table: string }>`
    SELECT table_name AS table FROM information_schema.tables WHERE table_schema = ${live}`.execute(db);
  const tables = declared.filter((t) => existing.some((r) => r.table === t));
  // Only in a whole rebuild: a rebuild of chosen tables leaves the accounts alone.
  const accountTables = options.tables ? [] : ACCOUNT_TABLES.filter((t) => existing.some((r) => r.table === t));

  const scratch = `audit_rebuild_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await sql`CREATE SCHEMA ${sql.id(scratch)}`.execute(db);
  try {
    for (const table of [...tables, ...accountTables]) await sql`CREATE TABLE ${sql.id(scratch, table)} (LIKE ${sql.id(live, table)} INCLUDING ALL)`.execute(db);

    const { total } = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    let replayed = 0;
    // Row changes this backend made to live tables and has not yet reported: read before and after
    // the work, inside one transaction (nothing is reported mid-transaction), the difference is what
    // the work wrote. (The counters also hold earlier transactions' changes until they are reported.)
    const liveWrites = async (trx: Transaction<Database>, counting: 'writes' | 'touches' = 'writes') => {
      const { rows } = await sql<{ table: string; changes: number }>`
        SELECT relname AS table,
               n_tup_ins + n_tup_upd + n_tup_del + CASE WHEN ${counting} = 'touches' THEN coalesce(seq_scan, 0) + coalesce(idx_scan, 0) ELSE 0 END AS changes
        FROM pg_stat_xact_user_tables WHERE schemaname = ${live}`.execute(trx);
      return new Map(rows.map((r) => [r.table, Number(r.changes)]));
    };
    /** The event store itself, which projections may read (a refold); any other live table they reach is undeclared. */
    const STORE_TABLES = new Set(['events', 'streams']);
    const inScratch = async <T>(trx: Transaction<Database>, work: () => Promise<T>): Promise<T> => {
      await sql`SET LOCAL search_path TO ${sql.id(scratch)}, ${sql.id(live)}`.execute(trx);
      const before = await liveWrites(trx);
      const touchedBefore = await liveWrites(trx, 'touches');
      const changedSince = (now: Map<string, number>, then: Map<string, number>) => [...now.entries()].filter(([table, n]) => n > (then.get(table) ?? 0)).map(([table]) => table);
      let result: T;
      // A refusal raised by the database (the budget ledger's rules run there) aborts the
      // transaction; the savepoint keeps it usable to ask which live tables were reached.
      await sql`SAVEPOINT projecting`.execute(trx);
      try {
        result = await work();
        await sql`RELEASE SAVEPOINT projecting`.execute(trx);
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT projecting`.execute(trx).catch(() => undefined);
        // A projection that reached a live table may fail on what it reads there (a budget already
        // committed live) before it writes: the cause is the undeclared table, so say that. All rolls back.
        const touched = await liveWrites(trx, 'touches').then((now) => changedSince(now, touchedBefore).filter((t) => !STORE_TABLES.has(t)), () => []);
        if (touched.length) throw new UndeclaredReadModelError(touched.sort());
        throw error;
      }
      const written = changedSince(await liveWrites(trx), before);
      if (written.length) throw new UndeclaredReadModelError(written.sort());
      return result;
    };
    const projectAll = async (trx: Transaction<Database>, appends: Row[][]) => {
      for (const events of appends) {
        if (events[0]!.streamType === ACCOUNT_STREAM) {
          if (accountTables.length) await projectAccount(trx, events);
          // A rebuild of chosen tables leaves the accounts alone, but not the notices their events give (to the live account).
          else if (tables.includes('notices')) await projectAccountNotices(trx, events);
        } else await project(trx, events[0]!.streamType, events);
      }
      replayed += appends.reduce((n, a) => n + a.length, 0);
      options.onProgress?.(replayed, total);
    };

    // 1. The bulk, batch by batch, up to a position below which nothing can still commit.
    const fenced = await fencedPosition(db);
    let after = 0;
    let carried: Row[] = [];
    for (;;) {
      const rows = await fetchEvents(db, after, fenced, BATCH);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.globalPosition;
      const { appends, rest } = takeAppends([...carried, ...rows], false);
      carried = rest;
      await db.transaction().execute((trx) => inScratch(trx, () => projectAll(trx, appends)));
    }

    // 2. The rest and the comparison, in one snapshot.
    return await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) =>
        inScratch(trx, async () => {
          let rows: Row[];
          do {
            rows = await fetchEvents(trx, after, undefined, BATCH);
            if (rows.length) after = rows[rows.length - 1]!.globalPosition;
            const { appends, rest } = takeAppends([...carried, ...rows], rows.length < BATCH);
            carried = rest;
            await projectAll(trx, appends);
          } while (rows.length === BATCH);
          const compared = [];
          const drift: RowDrift[] = [];
          for (const table of tables) {
            const result = await compareTable(trx, live, scratch, table);
            compared.push(result.summary);
            drift.push(...result.drift);
          }
          if (accountTables.length) {
            for (const result of [await compareTable(trx, live, scratch, 'account_grants'), await compareAccounts(trx, live, scratch)]) {
              compared.push(result.summary);
              drift.push(...result.drift);
            }
          }
          const driftCount = compared.reduce((n, t) => n + t.changed + t.missing + t.extra, 0);
          const seconds = (now() - started) / 1000;
          return { intact: driftCount === 0, eventsReplayed: replayed, position: after, seconds, tables: compared, driftCount, drift, scratchSchema: scratch, scratchSchemaKept: Boolean(options.keepScratchSchema) };
        }),
      );
  } finally {
    if (!options.keepScratchSchema) await sql`DROP SCHEMA ${sql.id(scratch)} CASCADE`.execute(db);
  }
}

/**
 * The read-model tables whose rows of a case only that case's own events write (its projection's):
 * its row in `cases`, its instalments, its filing's review rounds. Other tables its events reach are
 * written by other streams' events too (a call's budget and commitments, the awards a recovery
 * updates, the notices), so only the whole rebuild (`rebuildAndCompare`) can speak for them.
 */
export const CASE_OWN_TABLES: readonly string[] = ['cases', 'loan_instalments', 'filing_reviews'];

export interface CaseDriftReport {
  caseId: string;
  intact: boolean;
  eventsReplayed: number;
  /** The case's rows in each of CASE_OWN_TABLES, live and rebuilt. */
  tables: DriftReport['tables'];
  driftCount: number;
  drift: RowDrift[];
}

/**
 * One case's own read-model rows (CASE_OWN_TABLES) rebuilt from its events alone, with its live
 * projection (`projectCaseReadModels`), and compared row by row with the live ones, as the whole
 * rebuild compares them. `verify --case` checked the events only, and called a case 完好 whose
 * `cases` row an outside tester had changed by hand: the row the officials work from.
 *
 * The rebuild writes into temporary copies of the read-model tables (TEMP needs no right to create a
 * schema) in one repeatable-read transaction, so the events and the live rows are of one moment,
 * and the transaction is rolled back: nothing it did stays, wherever it reached.
 */
export async function rebuildCaseAndCompare(db: Db, caseId: string, options: { project?: Projection } = {}): Promise<CaseDriftReport> {
  const project = options.project ?? projectCaseReadModels;
  const trx = await db.startTransaction().setIsolationLevel('repeatable read').execute();
  try {
    const { rows: schemaRows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(trx);
    const live = schemaRows[0]!.schema;
    const { rows: existing } = await sql<{ table: string }>`
      SELECT table_name AS table FROM information_schema.tables WHERE table_schema = ${live}`.execute(trx);
    const present = (t: string) => existing.some((r) => r.table === t);
    for (const table of READ_MODEL_TABLES.filter(present)) await sql`CREATE TEMP TABLE ${sql.id(table)} (LIKE ${sql.id(live, table)} INCLUDING ALL)`.execute(trx);
    await sql`SET LOCAL search_path TO pg_temp, ${sql.id(live)}`.execute(trx);

    const rows = await trx
      .selectFrom('events')
      .innerJoin('streams', 'streams.stream_id', 'events.stream_id')
      .selectAll('events')
      .select('streams.stream_type')
      .where('events.stream_id', '=', caseId)
      .orderBy('events.global_position')
      .execute();
    const { appends } = takeAppends(rows.map((row) => ({ ...toStoredEvent(row), streamType: row.stream_type })), true);
    for (const events of appends) await project(trx, events[0]!.streamType, events);

    const tables: DriftReport['tables'] = [];
    const drift: RowDrift[] = [];
    for (const table of CASE_OWN_TABLES.filter(present)) {
      // By the key's own type (the parameter takes the column's): `case_id::text` would read the whole live table.
      const ofCase = (schema: string) => sql`(SELECT * FROM ${sql.id(schema, table)} WHERE case_id = ${caseId})`;
      const result = await compareTable(trx, live, 'pg_temp', table, { live: ofCase(live), rebuilt: ofCase('pg_temp'), key: await primaryKey(trx, live, table) });
      tables.push(result.summary);
      drift.push(...result.drift);
    }
    const driftCount = tables.reduce((n, t) => n + t.changed + t.missing + t.extra, 0);
    return { caseId, intact: driftCount === 0, eventsReplayed: rows.length, tables, driftCount, drift };
  } finally {
    await trx.rollback().execute();
  }
}

async function primaryKey(trx: Transaction<Database>, schema: string, table: string): Promise<string[]> {
  const { rows } = await sql<{ column: string }>`
    SELECT a.attname AS column
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE n.nspname = ${schema} AND c.relname = ${table} AND i.indisprimary
    ORDER BY k.ord`.execute(trx);
  return rows.map((r) => r.column);
}

/** The accounts with a stream of their own, on the columns their events decide (ACCOUNT_COLUMNS_FROM_EVENTS). */
function compareAccounts(trx: Transaction<Database>, live: string, scratch: string) {
  const columns = sql.join(ACCOUNT_COLUMNS_FROM_EVENTS.map((c) => sql.ref(c)));
  const withStream = (schema: string) =>
    sql`(SELECT ${columns} FROM ${sql.id(schema, 'accounts')} a WHERE EXISTS (SELECT 1 FROM ${sql.id(live, 'streams')} s WHERE s.stream_id = 'account-' || a.username AND s.stream_type = ${ACCOUNT_STREAM}))`;
  return compareTable(trx, live, scratch, 'accounts', { live: withStream(live), rebuilt: withStream(scratch), key: ['account_id'] });
}

async function compareTable(
  trx: Transaction<Database>,
  live: string,
  scratch: string,
  table: string,
  only?: { live: RawBuilder<unknown>; rebuilt: RawBuilder<unknown>; key: string[] },
) {
  const liveTable = only ? only.live : sql.id(live, table);
  const scratchTable = only ? only.rebuilt : sql.id(scratch, table);
  const counts = await sql<{ live: number; rebuilt: number }>`
    SELECT (SELECT count(*) FROM ${liveTable} AS counted) AS live, (SELECT count(*) FROM ${scratchTable} AS counted) AS rebuilt`.execute(trx);
  // Rows as jsonb: every column type compares, and a row's values read the same on both sides.
  const onlyLive = await sql<{ row: Record<string, unknown> }>`
    SELECT to_jsonb(l) AS row FROM ${liveTable} l EXCEPT ALL SELECT to_jsonb(s) FROM ${scratchTable} s`.execute(trx);
  const onlyRebuilt = await sql<{ row: Record<string, unknown> }>`
    SELECT to_jsonb(s) AS row FROM ${scratchTable} s EXCEPT ALL SELECT to_jsonb(l) FROM ${liveTable} l`.execute(trx);

  const pk = only?.key ?? (await primaryKey(trx, live, table));
  const keyOf = (row: Record<string, unknown>) => (pk.length ? Object.fromEntries(pk.map((c) => [c, row[c]])) : row);
  const rebuiltByKey = new Map(onlyRebuilt.rows.map(({ row }) => [JSON.stringify(keyOf(row)), row]));
  const drift: RowDrift[] = [];
  let changed = 0;
  let extra = 0;
  for (const { row } of onlyLive.rows) {
    const k = JSON.stringify(keyOf(row));
    const rebuilt = pk.length ? rebuiltByKey.get(k) : undefined;
    if (rebuilt) {
      rebuiltByKey.delete(k);
      changed++;
      const columns = Object.keys(row)
        .filter((c) => JSON.stringify(row[c]) !== JSON.stringify(rebuilt[c]))
        .map((column) => columnDrift(column, row[column], rebuilt[column]));
      drift.push({ table, key: keyOf(row), kind: 'changed', columns });
    } else {
      extra++;
      drift.push({ table, key: keyOf(row), kind: 'extra', live: row });
    }
  }
  for (const row of rebuiltByKey.values()) drift.push({ table, key: keyOf(row), kind: 'missing', rebuilt: row });
  return {
    summary: { table, liveRows: counts.rows[0]!.live, rebuiltRows: counts.rows[0]!.rebuilt, changed, missing: rebuiltByKey.size, extra },
    drift: drift.slice(0, MAX_ROWS_PER_TABLE),
  };
}

/**
 * A value with places inside it: an object, or a list of them. A list of plain values (an account's
 * duties) reads best whole, as the auditor's diff reads it (audit/structural-diff.ts readableDiff).
 */
const isDocument = (value: unknown) => typeof value === 'object' && value !== null && (!Array.isArray(value) || value.some((v) => typeof v === 'object' && v !== null));

/** A differing column, and for two JSON documents the paths inside them where they differ. */
function columnDrift(column: string, live: unknown, rebuilt: unknown): ColumnDrift {
  if (!isDocument(live) || !isDocument(rebuilt)) return { column, live, rebuilt };
  const changes = structuralDiff(live, rebuilt, column);
  return {
    column,
    live,
    rebuilt,
    differences: changes.slice(0, MAX_DIFFERENCES).map((c) => ({ path: c.path, live: c.before, rebuilt: c.after })),
    ...(changes.length > MAX_DIFFERENCES ? { differenceCount: changes.length } : {}),
  };
}
