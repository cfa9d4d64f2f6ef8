import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import type { Database } from '../database.js';
import type { CasesTable } from '../tables/cases.table.js';

/**
 * The `cases` read model as the work queues search it: one statement for a page of rows, one for
 * the count of what matches, one for what waits and one for the filters' choices. Who may see which
 * case is not decided here: the caller passes that rule (api/authorization/case-access.ts) as
 * `scope`, and every statement applies it first.
 */
export type CasesScope = (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>;

export const WORKLIST_SORTS = ['deadline', 'submitted', 'reference', 'applicant', 'amount'] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];

/** The instants that decide breached and due soon, computed from the working-day calendar by the caller. */
export interface WorklistClock {
  /** 00:00 Shanghai today: a deadline (24:00 of its due day) at or before it has passed. */
  startOfToday: Date;
  /** 00:00 Shanghai of the second working day from today: a deadline up to it leaves at most one working day. */
  dueSoonUntil: Date;
}

export interface WorklistSearch {
  scope: CasesScope;
  /** Part of a reference number, an applicant's name or a title (any case), or a whole case id. */
  q?: string;
  status?: string;
  /** A measure of the catalogue, or the case type of the cases that have none (雏鹰 loans, filings). */
  programmeId?: string;
  caseType?: string;
  breached?: boolean;
  /** Claimed by this account, or claimable and not yet claimed (the review rounds of drama filings). */
  assigned?: { kind: 'mine' | 'unclaimed'; accountId: string };
  /** Undefined: the view's own order (the queue: priority cases first, then the nearest deadline; otherwise the newest first). */
  sort?: { by: WorklistSort; order: 'asc' | 'desc' };
  defaultOrder: 'queue' | 'newest';
  page: number;
  pageSize: number;
  /**
   * Where the page before ended (`nextAfter` of that page's answer): the page starts with the case
   * after it in this order, however the list changed meanwhile. Without it, the page is counted by
   * position (page × pageSize), which skips cases when cases before them leave the list.
   */
  after?: WorklistCursor;
  clock: WorklistClock;
}

export type WorklistRow = Selectable<CasesTable> & { title: string | null; sort_key: unknown[] };

/** The sort key of the last case of a page, with the order it belongs to: where the next page starts. */
export interface WorklistCursor {
  order: string;
  values: unknown[];
}

type KeyType = 'int' | 'bigint' | 'instant' | 'text' | 'pinyin' | 'uuid';

/** One term of a list's order: the expression, its direction, and the type its values are compared as. Nulls come last either way. */
interface OrderKey {
  sql: RawBuilder<unknown>;
  direction: 'asc' | 'desc';
  type: KeyType;
}

/** The order of a search, as the terms it is sorted by; the case id last, so that no two cases tie. */
export function orderOf(search: Pick<WorklistSearch, 'sort' | 'defaultOrder'>): { name: string; keys: OrderKey[] } {
  const caseId: OrderKey = { sql: sql`cases.case_id`, direction: 'asc', type: 'uuid' };
  if (!search.sort) {
    if (search.defaultOrder === 'newest') return { name: 'newest', keys: [{ sql: sql`cases.opened_at`, direction: 'desc', type: 'instant' }, caseId] };
    // Priority cases (盾牌行动 complaints) come before everything else in the queue.
    return {
      name: 'queue',
      keys: [
        { sql: sql`cases.priority`, direction: 'desc', type: 'int' },
        { sql: sql`cases.next_deadline_at`, direction: 'asc', type: 'instant' },
        { sql: sql`cases.opened_at`, direction: 'asc', type: 'instant' },
        caseId,
      ],
    };
  }
  const { by, order } = search.sort;
  const first: OrderKey = {
    deadline: { sql: sql`cases.next_deadline_at`, direction: order, type: 'instant' },
    submitted: { sql: sql`cases.opened_at`, direction: order, type: 'instant' },
    reference: { sql: sql`cases.reference_no`, direction: order, type: 'text' },
    applicant: { sql: sql`name_sort_key(cases.applicant_name)`, direction: order, type: 'pinyin' },
    amount: { sql: sql`cases.requested_fen`, direction: order, type: 'bigint' },
  }[by] as OrderKey;
  // The same deadline, applicant or amount: first come, first served, as in the queue's own order (by case id alone, one
  // applicant's cases read as shuffled). A reference or a submission time is its own order.
  const submitted: OrderKey = { sql: sql`cases.opened_at`, direction: 'asc', type: 'instant' };
  const keys = by === 'reference' || by === 'submitted' ? [first, caseId] : [first, submitted, caseId];
  return { name: `${by}-${order}`, keys };
}

const ordered = (key: OrderKey) => (key.type === 'pinyin' ? sql`${key.sql} COLLATE chinese_pinyin` : key.sql);

/** A value of a cursor as the term's type, typed in the statement: the cursor comes from the client and is checked before (worklistCursorProblem). */
function valueAs(key: OrderKey, value: unknown): RawBuilder<unknown> {
  switch (key.type) {
    case 'int':
      return sql`${value}::integer`;
    case 'bigint':
      return sql`${value}::bigint`;
    case 'instant':
      return sql`${value}::timestamptz`;
    case 'uuid':
      return sql`${value}::uuid`;
    case 'pinyin':
      return sql`(${value}::text COLLATE chinese_pinyin)`;
    case 'text':
      return sql`${value}::text`;
  }
}

/**
 * The cases after the cursor in the order: for some term, every term before it equal and this one
 * past the cursor's (a value is followed by the greater ones ascending, the smaller descending, and
 * by the cases without one, which come last).
 */
function afterCursor(keys: readonly OrderKey[], values: readonly unknown[]): RawBuilder<SqlBool> {
  const past = (key: OrderKey, value: unknown) =>
    value === null ? sql`false` : sql`(${ordered(key)} ${key.direction === 'asc' ? sql`>` : sql`<`} ${valueAs(key, value)} OR ${key.sql} IS NULL)`;
  const same = (key: OrderKey, value: unknown) => (value === null ? sql`${key.sql} IS NULL` : sql`${ordered(key)} = ${valueAs(key, value)}`);
  const alternatives = keys.map((key, i) => sql.join([...keys.slice(0, i).map((k, j) => same(k, values[j])), past(key, values[i])], sql` AND `));
  return sql<SqlBool>`(${sql.join(alternatives, sql` OR `)})`;
}

const INSTANT = /^([1-9]\d{3})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2}):(\d{2}))$/;

/** An instant as PostgreSQL writes it in JSON, and only one it reads back: a real day, a real time of day, an offset within ±14 hours. */
function isInstant(text: string): boolean {
  const m = INSTANT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const offsetFits = m[8] === 'Z' || (Number(m[9]) <= 14 && Number(m[10]) < 60);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 && offsetFits;
}

/** Why a cursor cannot be used with this order (in words for the caller), or undefined when it can. */
export function worklistCursorProblem(cursor: WorklistCursor, search: Pick<WorklistSearch, 'sort' | 'defaultOrder'>): string | undefined {
  const { name, keys } = orderOf(search);
  if (cursor.order !== name) return '翻页位置（after）属于另一种排序：排序改变后请从第一页看起';
  if (cursor.values.length !== keys.length) return '翻页位置（after）不完整，请从第一页看起';
  const fits = (key: OrderKey, v: unknown): boolean => {
    if (v === null) return key.type !== 'uuid';
    switch (key.type) {
      case 'int':
        return Number.isSafeInteger(v) && Math.abs(v as number) < 2 ** 31;
      case 'bigint':
        return Number.isSafeInteger(v);
      case 'instant':
        return typeof v === 'string' && isInstant(v);
      case 'uuid':
        return typeof v === 'string' && UUID.test(v);
      case 'text':
      case 'pinyin':
        return typeof v === 'string' && v.length <= 500 && !v.includes('\u0000');
    }
  };
  return keys.every((key, i) => fits(key, cursor.values[i])) ? undefined : '翻页位置（after）无法识别，请从第一页看起';
}

/**
 * The project's or drama's name, from the `details` each case module writes (cases/*.case.ts
 * readModel): an application's title, a loan's project, a filing's drama, a call's own title.
 */
export function titleOf(eb: ExpressionBuilder<Database, 'cases'>): RawBuilder<string | null> {
  const details = eb.ref('cases.details');
  return sql<string | null>`coalesce(${details}->'titleAndSummary'->>'title', ${details}->'project'->>'name', ${details}->'filing'->>'title', ${details}->>'title')`;
}

/** The programme a case is filed under, as the filter names it: its measure, or its case type. */
export function programmeKeyOf(eb: ExpressionBuilder<Database, 'cases'>): RawBuilder<string> {
  return sql<string>`coalesce(${eb.ref('cases.programme_id')}, ${eb.ref('cases.case_type')})`;
}

/** An open review round of a drama filing whose reviewer is (or is not yet) someone. */
function openReview(eb: ExpressionBuilder<Database, 'cases'>, reviewer: 'nobody' | { accountId: string }): Expression<SqlBool> {
  const who = reviewer === 'nobody' ? sql`fr.reviewer_account_id IS NULL` : sql`fr.reviewer_account_id = ${reviewer.accountId}`;
  return sql<boolean>`EXISTS (SELECT 1 FROM filing_reviews fr WHERE fr.case_id = ${eb.ref('cases.case_id')} AND fr.outcome IS NULL AND ${who})`;
}

/**
 * Past its time limit, as a queue line shows it (api/views/worklist.view.ts): the deadline's day has
 * ended, or the running step's promised time limit (details.timeLimit) or filing review round was
 * recorded as breached.
 */
export function breachedOf(eb: ExpressionBuilder<Database, 'cases'>, clock: WorklistClock): Expression<SqlBool> {
  const details = eb.ref('cases.details');
  return sql<boolean>`(
    coalesce(${eb.ref('cases.next_deadline_at')} <= ${clock.startOfToday}, false)
    OR ${details}->'timeLimit'->>'breachedAt' IS NOT NULL
    OR EXISTS (SELECT 1 FROM filing_reviews fr WHERE fr.case_id = ${eb.ref('cases.case_id')} AND fr.outcome IS NULL AND fr.breached_at IS NOT NULL)
  )`;
}

function dueSoonOf(eb: ExpressionBuilder<Database, 'cases'>, clock: WorklistClock): Expression<SqlBool> {
  const deadline = eb.ref('cases.next_deadline_at');
  return sql<boolean>`(NOT ${breachedOf(eb, clock)} AND ${deadline} > ${clock.startOfToday} AND ${deadline} <= ${clock.dueSoonUntil})`;
}

/** A LIKE pattern that matches the text anywhere, its own % _ and \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function filtered(db: Db, search: Omit<WorklistSearch, 'sort' | 'defaultOrder' | 'page' | 'pageSize'>) {
  let query = db.selectFrom('cases').where((eb) => search.scope(eb));
  // Typed with a Chinese input method, a reference comes full-width (ＢＡ－２０２６－０００１００): read as its plain form.
  const q = search.q?.normalize('NFKC');
  if (q) {
    const pattern = containsPattern(q);
    // A reference typed without its hyphens (BA2026000050) is the reference.
    const compact = q.replace(/[\s\-_/.]+/g, '');
    query = query.where((eb) =>
      eb.or([
        eb('cases.reference_no', 'ilike', pattern),
        ...(compact !== '' ? [eb(sql<string>`replace(cases.reference_no, '-', '')`, 'ilike', containsPattern(compact))] : []),
        eb('cases.applicant_name', 'ilike', pattern),
        eb(titleOf(eb), 'ilike', pattern),
        // A whole case id, as the auditor pastes it from a log line.
        ...(UUID.test(q) ? [eb('cases.case_id', '=', q.toLowerCase())] : []),
      ]),
    );
  }
  if (search.status) query = query.where('cases.status', '=', search.status);
  if (search.caseType) query = query.where('cases.case_type', '=', search.caseType);
  if (search.programmeId) query = query.where((eb) => eb(programmeKeyOf(eb), '=', search.programmeId!));
  if (search.breached !== undefined) {
    const breached = search.breached;
    query = query.where((eb) => (breached ? breachedOf(eb, search.clock) : eb.not(breachedOf(eb, search.clock))));
  }
  if (search.assigned) {
    const { kind, accountId } = search.assigned;
    query = query.where((eb) => openReview(eb, kind === 'mine' ? { accountId } : 'nobody'));
  }
  return query;
}

/** One page of the cases that match, in the order asked for, and how many match in all. */
export async function searchWorklist(db: Db, search: WorklistSearch): Promise<{ rows: WorklistRow[]; total: number }> {
  const base = filtered(db, search);
  const { keys } = orderOf(search);
  // The row's own values of the order's terms, as PostgreSQL writes them (an instant to the microsecond): the next page's cursor.
  let page = base
    .selectAll('cases')
    .select((eb) => titleOf(eb).as('title'))
    .select(sql<unknown[]>`jsonb_build_array(${sql.join(keys.map((k) => k.sql))})`.as('sort_key'));
  for (const key of keys) page = page.orderBy(sql`${ordered(key)} ${key.direction === 'asc' ? sql`ASC` : sql`DESC`} NULLS LAST`);
  page = search.after ? page.where(afterCursor(keys, search.after.values)) : page.offset((search.page - 1) * search.pageSize);
  const [rows, count] = await Promise.all([
    page.limit(search.pageSize).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as WorklistRow[], total: Number(count.total) };
}

/** What waits within the scope: how many, how many past their time limit, and how many due today or on the next working day. */
export async function waitingCounts(db: Db, scope: CasesScope, clock: WorklistClock): Promise<{ total: number; breached: number; dueSoon: number }> {
  const row = await db
    .selectFrom('cases')
    .where((eb) => scope(eb))
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) FILTER (WHERE ${breachedOf(eb, clock)})`.as('breached'),
      sql<string>`count(*) FILTER (WHERE ${dueSoonOf(eb, clock)})`.as('due_soon'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), breached: Number(row.breached), dueSoon: Number(row.due_soon) };
}

/** The steps and programmes present within the scope, with how many cases each: the filters offer these. */
export async function worklistFacets(db: Db, scope: CasesScope) {
  const [statuses, programmes] = await Promise.all([
    db
      .selectFrom('cases')
      .where((eb) => scope(eb))
      .select((eb) => ['cases.case_type', 'cases.status', sql<string>`min(cases.status_label)`.as('status_label'), eb.fn.countAll<string>().as('count')])
      .groupBy(['cases.case_type', 'cases.status'])
      .execute(),
    db
      .selectFrom('cases')
      .where((eb) => scope(eb))
      .select((eb) => [programmeKeyOf(eb).as('programme'), eb.fn.countAll<string>().as('count')])
      .groupBy(sql`1`)
      .execute(),
  ]);
  return {
    statuses: statuses.map((s) => ({ caseType: s.case_type, status: s.status, statusLabel: s.status_label, count: Number(s.count) })),
    programmes: programmes.map((p) => ({ programme: p.programme, count: Number(p.count) })),
  };
}
