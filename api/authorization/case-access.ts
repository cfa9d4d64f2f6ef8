import { CompiledQuery, sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import { DEPARTMENTS, type Department } from '../../domain/cases/actor.js';
import { awardPublicitySql, awardStoppedUnpaidSql, type AwardPublicity, type AwardStoppedUnpaid } from '../../db/awards-ledger.js';
import type { Db } from '../../db/client.js';
import type { Database } from '../../db/database.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import type { LedgerAward } from '../../domain/programmes/stacking.js';
import { accountOfSessionJson, sessionAccountSubquery, sessionForToken, sessionReadAhead, tokenHash, type Account, type SessionAccountJson } from '../auth/sessions.js';
import { caseNotFound } from '../http-errors.js';
import { caseIdFromText } from '../../db/queries/case-id-text.js';

/**
 * Which cases an account may see: one rule, used by the central check on every `:caseId` route
 * and by every list of cases. An applicant sees their own; an official the cases of their
 * department; an auditor all; an admin none; an external expert (评审专家) the calls whose panel
 * names them and, to read their materials, the applications of those calls referred to the panel
 * or waiting for it, except those they recused from (回避) — nothing else.
 *
 * A case's departments are those whose officials act on it, as its module's read model writes them
 * (`cases.departments`): the 雏鹰 loan's fund and the 网信 office that reviews its content; a
 * filing's reviewing department; a programme application's department, and 网信 where the measure
 * requires a content review; a recovery's awarding department. No rule here names a case type.
 */
type CaseRow = Pick<Selectable<CasesTable>, 'departments'>;

const isDepartment = (value: unknown): value is Department => typeof value === 'string' && Object.hasOwn(DEPARTMENTS, value);

export function caseDepartments(row: CaseRow): Department[] {
  return (row.departments ?? []).filter(isDepartment);
}

/** The same rule as `caseDepartments`, as SQL over `cases`: the cases an official of `department` may list. */
export function caseOfDepartment(eb: ExpressionBuilder<Database, 'cases'>, department: Department): Expression<SqlBool> {
  return sql<boolean>`${department} = ANY(${eb.ref('cases.departments')})`;
}

export type CaseAccess = 'visible' | 'not-own-case' | 'other-department' | 'not-on-panel' | 'role-sees-no-cases';

/** External experts hold a role of their own (domain/accounts/assignment.ts); a session's account type names it once sessions do. */
export const isExpert = (account: { role: string }): boolean => account.role === 'expert';

/**
 * The cases an expert may see, as SQL over `cases`: the calls whose panel names them (the call's
 * read model lists its members, cases/call.case.ts), and the applications of those calls (their
 * read model names the call) that were referred to the panel or wait for it — not one the expert
 * declared a conflict on (回避): a recused member withdraws from the application and reads no more
 * of it (an outside tester's recused expert still read its materials). The call's state holds the
 * panel's declarations.
 */
export function caseOnExpertsPanel(eb: ExpressionBuilder<Database, 'cases'>, accountId: string): Expression<SqlBool> {
  const details = eb.ref('cases.details');
  return sql<boolean>`(
    (${eb.ref('cases.case_type')} = 'call' AND coalesce(${details}->'panel'->'memberAccountIds', '[]'::jsonb) ? ${accountId})
    OR (${eb.ref('cases.case_type')} = 'application' AND EXISTS (
      SELECT 1 FROM cases AS panel_call
      WHERE panel_call.case_type = 'call'
        AND panel_call.case_id = ${caseIdFromText(sql<string | null>`${details}->'call'->>'callId'`)}
        AND coalesce(panel_call.details->'panel'->'memberAccountIds', '[]'::jsonb) ? ${accountId}
        AND (coalesce(panel_call.details->'panel'->'referredCaseIds', '[]'::jsonb) ? ${eb.ref('cases.case_id')}::text OR ${eb.ref('cases.status')} = 'panel-review')
        AND NOT coalesce(panel_call.state->'panel'->'declarations', '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('caseId', ${eb.ref('cases.case_id')}::text, 'conflicted', true, 'member', jsonb_build_object('accountId', ${accountId}::text)))
    ))
  )`;
}

async function expertSeesCase(db: Db, accountId: string, caseId: string): Promise<boolean> {
  const found = await db
    .selectFrom('cases')
    .select('case_id')
    .where('case_id', '=', caseId)
    .where((eb) => caseOnExpertsPanel(eb, accountId))
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * Whether the account may see the case: `caseAccess`, and for an expert the panel's own record,
 * read from the database (a row alone does not say which panels name them).
 */
export async function caseAccessOf(db: Db, account: Account, row: Pick<Selectable<CasesTable>, 'case_id' | 'departments' | 'applicant_account_id'>): Promise<CaseAccess> {
  if (isExpert(account)) return (await expertSeesCase(db, account.accountId, row.case_id)) ? 'visible' : 'not-on-panel';
  return caseAccess(account, row);
}

/** The access rule on a row alone; an expert's needs the panels (`caseAccessOf`), so a row alone shows them nothing. */
export function caseAccess(account: Account, row: CaseRow & Pick<Selectable<CasesTable>, 'applicant_account_id'>): CaseAccess {
  if (isExpert(account)) return 'not-on-panel';
  switch (account.role) {
    case 'auditor':
      return 'visible';
    case 'applicant':
      return row.applicant_account_id === account.accountId ? 'visible' : 'not-own-case';
    case 'official':
      return account.department && caseDepartments(row).includes(account.department) ? 'visible' : 'other-department';
    default:
      return 'role-sees-no-cases';
  }
}

/** Restricts a list of cases to those the account may see (nothing for an admin, or an official without a department; an expert's panels). */
export function visibleCasesOnly(eb: ExpressionBuilder<Database, 'cases'>, account: Account): Expression<SqlBool> {
  if (isExpert(account)) return caseOnExpertsPanel(eb, account.accountId);
  switch (account.role) {
    case 'auditor':
      return sql<boolean>`true`;
    case 'applicant':
      return eb('cases.applicant_account_id', '=', account.accountId);
    case 'official':
      return account.department ? caseOfDepartment(eb, account.department) : sql<boolean>`false`;
    default:
      return sql<boolean>`false`;
  }
}

/** An award of the stacking ledger as the case read carries it (db/awards-ledger.ts ledgerAwards, in its order). */
/** An award as the case read carries it: the ledger's, with what was recovered from it and written off (追回). */
export type ApplicantAward = LedgerAward & { recoveredFen?: number; writtenOffFen?: number } & Partial<AwardPublicity> & Partial<AwardStoppedUnpaid>;

/** A case row and everything its applicant has been awarded: what GET /api/cases/:caseId shows. */
export interface CaseRead {
  row: Selectable<CasesTable>;
  applicantAwards: ApplicantAward[];
}

/** The case row with the applicant's awards aggregated beside it, as one statement to extend. */
function caseStatement(db: Db, caseId: string) {
  return db
    .selectFrom('cases')
    .selectAll('cases')
    .select(
      sql<ApplicantAward[]>`coalesce((
        SELECT jsonb_agg(jsonb_build_object('awardId', a.award_id, 'caseId', a.case_id, 'applicantAccountId', a.applicant_account_id,
          'programmeId', a.programme_id, 'itemId', a.item_id, 'amountFen', a.amount_fen, 'awardedOn', a.awarded_on,
          'recoveredFen', a.recovered_fen, 'writtenOffFen', a.written_off_fen,
          'publicity', ${awardPublicitySql.status}, 'publicityLastDay', ${awardPublicitySql.lastDay},
          'stoppedUnpaidAt', ${awardStoppedUnpaidSql}) ORDER BY a.awarded_on, a.award_id)
        FROM awards a WHERE a.applicant_account_id = cases.applicant_account_id), '[]'::jsonb)`.as('applicant_awards'),
    )
    .where('case_id', '=', caseId);
}

async function queryCase(db: Db, caseId: string): Promise<CaseRead | undefined> {
  const found = await caseStatement(db, caseId).executeTakeFirst();
  if (!found) return undefined;
  const { applicant_awards: applicantAwards, ...row } = found;
  return { row, applicantAwards };
}

/** Reads made for a request, by case id: the central check and the route's handler share one. */
const readsByRequest = new WeakMap<object, Map<string, Promise<CaseRead | undefined>>>();

function readsOf(request: object): Map<string, Promise<CaseRead | undefined>> {
  let reads = readsByRequest.get(request);
  if (!reads) readsByRequest.set(request, (reads = new Map()));
  return reads;
}

/**
 * The case as it is now, read once per request when a request is given (the central check reads it
 * first; a read-only handler passing the same request gets the same read). A handler that changes
 * the case passes no request, and reads afresh.
 */
export function readCase(db: Db, caseId: string, request?: object): Promise<CaseRead | undefined> {
  if (!request) return queryCase(db, caseId);
  const reads = readsOf(request);
  let read = reads.get(caseId);
  if (!read) {
    read = queryCase(db, caseId);
    reads.set(caseId, read);
  }
  return read;
}

type CaseWithSessionRow = Selectable<CasesTable> & { applicant_awards: ApplicantAward[]; session_account: SessionAccountJson | null };

/**
 * The case page's one statement (the case, the applicant's awards and the session's account), built
 * and compiled once per database handle with stand-in values, then sent with the request's own. It is
 * the API's most frequent read, and building and compiling it had cost about 45 µs of each request.
 */
const caseWithSessionByDb = new WeakMap<Db, CompiledQuery<CaseWithSessionRow>>();
const STAND_IN = { caseId: '00000000-0000-4000-8000-0000000000c5', token: 'stand-in token', now: new Date(0) };
const STAND_IN_TOKEN_HASH = tokenHash(STAND_IN.token);

function caseWithSessionStatement(db: Db, caseId: string, token: string, now: Date): CompiledQuery<CaseWithSessionRow> {
  let compiled = caseWithSessionByDb.get(db);
  if (!compiled) {
    compiled = caseStatement(db, STAND_IN.caseId).select(sessionAccountSubquery(STAND_IN.token, STAND_IN.now).as('session_account')).compile() as CompiledQuery<CaseWithSessionRow>;
    // Each stand-in must be one parameter of its own, or a value would go to the wrong place.
    for (const standIn of [STAND_IN.caseId, STAND_IN_TOKEN_HASH, STAND_IN.now]) {
      if (compiled.parameters.filter((p) => p === standIn).length !== 1) throw new Error(`the case page's statement holds its stand-in ${String(standIn)} other than once`);
    }
    caseWithSessionByDb.set(db, compiled);
  }
  const parameters = compiled.parameters.map((p) => (p === STAND_IN.caseId ? caseId : p === STAND_IN_TOKEN_HASH ? tokenHash(token) : p === STAND_IN.now ? now : p));
  return CompiledQuery.raw(compiled.sql, parameters as unknown[]) as CompiledQuery<CaseWithSessionRow>;
}

/**
 * A case page's case and its caller's session in one statement (issue 17: a round trip fewer on
 * every case page): the row as readCase reads it, and the session's account as sessionForToken
 * answers it, carried as a column. Each is kept for the request, where readCase and the
 * authentication (accountForToken) find it. Nothing of the case is used before the central check
 * has passed. A case that does not exist returns no row, and so no session: that answer comes from
 * the session's own look-up, made only then.
 */
export function readCaseWithSession(db: Db, caseId: string, request: object, token: string, now: Date): void {
  const found = db.executeQuery<CaseWithSessionRow>(caseWithSessionStatement(db, caseId, token, now)).then((result) => result.rows[0]);
  readsOf(request).set(
    caseId,
    found.then((row) => {
      if (!row) return undefined;
      const { applicant_awards: applicantAwards, session_account: _session, ...caseRow } = row;
      return { row: caseRow, applicantAwards };
    }),
  );
  sessionReadAhead(
    request,
    token,
    found.then((row) => (row ? accountOfSessionJson(row.session_account) : sessionForToken(db, token, now).then((session) => session?.account))),
  );
}

/**
 * A case as the account may see it, for route handlers; anyone else's is a 404 like a missing one.
 * (The central check has already refused other departments with 403 and logged the attempt.)
 */
export async function visibleCase(db: Db, caseId: string, account: Account, request?: object): Promise<Selectable<CasesTable>> {
  return (await visibleCaseRead(db, caseId, account, request)).row;
}

/** The same, with the applicant's awards, from the request's read where there is one. */
export async function visibleCaseRead(db: Db, caseId: string, account: Account, request?: object): Promise<CaseRead> {
  const read = await readCase(db, caseId, request);
  if (!read || (await caseAccessOf(db, account, read.row)) !== 'visible') throw caseNotFound();
  return read;
}
