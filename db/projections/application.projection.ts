import { sql, type Transaction } from 'kysely';
import { applicationReadModel } from '../../cases/application.case.js';
import type { ApplicationEvent } from '../../domain/applications/events.js';
import { evolveApplication, initialApplicationState, type ApplicationState } from '../../domain/applications/state.js';
import { countsStaysThisYear, findProgrammeAt, ledgerItemId, programmeOfTerms, stayYearOf, type ApplicationTerms } from '../../domain/applications/terms.js';
import { budgetMovementsOf } from '../../domain/calls/ledger.js';
import { DomainError } from '../../domain/errors.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { interestLeftOnLoan } from '../../domain/programmes/check.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import { itemMatchKey, stackingViolations } from '../../domain/programmes/stacking.js';
import { localDate, type LocalDate } from '../../domain/time/local-date.js';
import { ledgerAwards } from '../awards-ledger.js';
import type { Db } from '../client.js';
import type { Database } from '../database.js';
import { applyReadModelWrites, type PlannedEvent, type ProjectionPlan, type ProjectionPlanner, type ReadModelWrite, type StoredEvent } from '../event-store.js';
import { caseRowOf, loadCaseReadModel, upsertCase, type CaseReadModel } from './case-read-model.js';

/** Every programme application (award or service) is one stream type; the programme is in the case. */
export const APPLICATION_STREAM = 'application';

/**
 * The case row, folded with the same `evolveApplication` the workflow uses, its columns and view
 * model as the module's `applicationReadModel` declares them; and the stacking ledger: an award is
 * written to `awards` in the transaction that appends its event.
 */
export async function projectApplication(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
  const before = await loadCaseReadModel<ApplicationState>(trx, events[0]!.streamId);
  const { caseRow, state } = foldApplication(before, events);
  await applyReadModelWrites(trx, [caseRow]);
  for (const event of events) {
    if (event.type === 'AwardGranted') await recordAward(trx, event.streamId, event, state.terms, state.facts);
    if (event.type === 'ApplicationApproved') {
      await holdStayQuota(trx, event, state);
      await reserveAwardOnNotice(trx, event, state);
    }
    if (event.type === 'ApprovedAmountReduced') {
      const { toFen } = event.data as unknown as Extract<ApplicationEvent, { type: 'ApprovedAmountReduced' }>['data'];
      await trx.updateTable('awards').set({ amount_fen: toFen }).where('award_id', '=', awardOnNoticeId(event.streamId)).execute();
    }
    if (event.type === 'AwardWithdrawnAfterPublicity') await trx.deleteFrom('awards').where('award_id', '=', awardOnNoticeId(event.streamId)).execute();
    const stopped = payoutsStopped(event, state);
    if (stopped) await applyReadModelWrites(trx, [stopped]);
  }
}

/**
 * YOUNG人才公寓's stays a year, held where the approval is written: the workflow counted the
 * applicant's approved stays just before deciding, but five applications approved at the same
 * moment all counted none and all five were approved. Under a lock on the applicant's year of the
 * measure, the stays approved are counted again and the measure's own rule (stays-per-year) judges.
 */
async function holdStayQuota(trx: Transaction<Database>, event: StoredEvent, state: ApplicationState): Promise<void> {
  const terms = state.terms;
  const programme = terms ? programmeOfTerms(terms) : undefined;
  const rule = programme?.eligibility.find((r) => r.rule === 'stays-per-year');
  if (!programme || !rule || !countsStaysThisYear(programme) || !state.applicant) return;
  const approved = event.data as unknown as Extract<ApplicationEvent, { type: 'ApplicationApproved' }>['data'];
  const year = stayYearOf(state.facts ?? {}, approved.decidedOn);
  const applicantAccountId = state.applicant.accountId;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`stays:${programme.id}:${applicantAccountId}:${year}`}, 0))`.execute(trx);
  const staysThisYear = await approvedStaysInYear(trx, { programmeId: programme.id, applicantAccountId, year, excludingCaseId: event.streamId });
  const refusal = rule.check({ ...state.facts, staysThisYear });
  if (refusal !== undefined) throw new DomainError('conflict', { code: 'stays-per-year', zh: `${programme.name.zh}不能批准：${refusal}`, en: `${programme.name.en} cannot be approved: the stays of ${year} are taken` });
}

/** The award id an award in a call keeps from its approval to its grant once the 公示 ends. */
const awardOnNoticeId = (caseId: string) => `AW-${caseId}`;

/**
 * An award in a call is approved, then on 公示 for days before it is granted. Its item is held in
 * the ledger from the approval, so that stacking refuses another award for the same item then, at
 * that approval, and never the grant at the end of the 公示 (a timer, which cannot be refused).
 */
async function reserveAwardOnNotice(trx: Transaction<Database>, event: StoredEvent, state: ApplicationState): Promise<void> {
  const committed = budgetMovementsOf(event.data).find((m) => m.kind === 'commit');
  const terms = state.terms;
  if (!committed || !terms || !state.applicant) return;
  const approved = event.data as unknown as Extract<ApplicationEvent, { type: 'ApplicationApproved' }>['data'];
  await recordAward(trx, event.streamId, {
    ...event,
    type: 'AwardGranted',
    data: {
      awardId: awardOnNoticeId(event.streamId),
      programmeId: terms.programmeId,
      catalogueVersion: terms.catalogueVersion,
      applicantAccountId: state.applicant.accountId,
      itemId: ledgerItemId(terms, state.facts, state.applicant.accountId, event.streamId),
      amountFen: committed.amountFen,
      awardedOn: approved.decidedOn,
    },
  }, terms, state.facts);
}

/**
 * The same writes, planned ahead, for a batch without an award: granting one needs the
 * transaction (a lock on the funded item and a look at the ledger), so such a batch answers
 * undefined and the append runs `projectApplication` in its transaction instead.
 */
const TRANSACTION_EVENTS: ReadonlySet<string> = new Set(['AwardGranted', 'ApplicationApproved', 'ApprovedAmountReduced', 'AwardWithdrawnAfterPublicity']);

export const applicationPlanner: ProjectionPlanner = {
  load: (trx, _streamType, streamId) => loadCaseReadModel<ApplicationState>(trx, streamId),
  plan: (_streamType, before, events): ProjectionPlan | undefined => {
    // These write the awards ledger with its checks (projectApplication, in the transaction).
    if (events.some((e) => TRANSACTION_EVENTS.has(e.type))) return undefined;
    const { caseRow, state, after } = foldApplication(before as CaseReadModel<ApplicationState> | undefined, events);
    const writes: ReadModelWrite[] = [caseRow];
    for (const event of events) {
      const stopped = payoutsStopped(event, state);
      if (stopped) writes.push(stopped);
    }
    return { writes, after };
  },
};

function foldApplication(before: CaseReadModel<ApplicationState> | undefined, events: readonly PlannedEvent[]) {
  const caseId = events[0]!.streamId;
  const state = events.reduce((s, e) => evolveApplication(s, { type: e.type, data: e.data } as ApplicationEvent), before?.state ?? initialApplicationState());
  const model = applicationReadModel(state);
  // The first event's time, not the batch's last: a rebuild folds a whole stream in one call.
  const openedAt = before?.openedAt ?? events[0]!.recordedAt;
  const caseRow = upsertCase(
    caseRowOf(model, { caseId, caseType: APPLICATION_STREAM, version: state.version, state, openedAt, updatedAt: events[events.length - 1]!.recordedAt, priority: state.terms?.priority === 'first' ? 1 : 0 }),
  );
  return { caseRow, state, after: { state, openedAt } satisfies CaseReadModel<ApplicationState> };
}

/** Payments stopped early: the ledger keeps what the applicant was entitled to, not the plan. */
function payoutsStopped(event: PlannedEvent, state: ApplicationState): ReadModelWrite | undefined {
  if (event.type !== 'PayoutsStopped' || !state.award) return undefined;
  const { entitledFen } = event.data as Extract<ApplicationEvent, { type: 'PayoutsStopped' }>['data'];
  return { op: 'update', table: 'awards', key: ['award_id'], rows: [{ award_id: state.award.awardId, amount_fen: entitledFen }] };
}

/**
 * Writes an award to the ledger. The workflow checked stacking in an activity just before; two
 * cases deciding on the same item at the same moment are serialised here (a lock per item) and the
 * later one is refused, so the ledger never holds an item funded twice where programmes do not stack.
 */
async function recordAward(trx: Transaction<Database>, caseId: string, event: PlannedEvent, terms?: ApplicationTerms, facts?: ApplicationFacts): Promise<void> {
  const award = event.data as Extract<ApplicationEvent, { type: 'AwardGranted' }>['data'];
  // The lock is on the item as compared (itemMatchKey): "W-1" and "w-1" decided at once are one item.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`award-item:${itemMatchKey(award.itemId)}`}, 0))`.execute(trx);
  // The measure as the case opened under it (published caps and stacking matrix), not the catalogue of today (issue 14 part 4).
  const opened = terms && terms.programmeId === award.programmeId && terms.catalogueVersion === award.catalogueVersion ? programmeOfTerms(terms) : undefined;
  const programme = opened ?? findProgrammeAt(award.catalogueVersion, award.programmeId);
  if (programme) {
    const ledger = (await ledgerAwards(trx, { itemId: award.itemId })).filter((a) => a.caseId !== caseId);
    const violations = stackingViolations(programme, { itemId: award.itemId, requestedAmountFen: award.amountFen, on: award.awardedOn }, ledger, findProgramme);
    // Two measures' subsidies of one loan approved at the same moment both passed their checks: under the loan's lock, the second is told what is left.
    const interest = interestLeftOnLoan(programme, award.itemId, facts?.interestPaidFen, ledger);
    if (interest && award.amountFen > interest.remainingFen) violations.push({ rule: 'interest-paid-total', message: interest.inWords });
    if (violations.length > 0) {
      throw new DomainError('conflict', {
        code: 'award-conflicts-with-ledger',
        zh: `${programme.name.zh}不能发放：${violations.map((v) => v.message).join('；')}`,
        en: `${programme.name.en} cannot be granted: ${violations.map((v) => v.message).join('; ')}`,
      });
    }
  }
  await trx
    .insertInto('awards')
    .values({
      award_id: award.awardId,
      case_id: caseId,
      applicant_account_id: award.applicantAccountId,
      programme_id: award.programmeId,
      catalogue_version: award.catalogueVersion,
      item_id: award.itemId,
      amount_fen: award.amountFen,
      awarded_on: award.awardedOn,
      recorded_at: event.recordedAt,
    })
    // Held since its approval (an award on 公示): the grant settles the amount and the day.
    .onConflict((oc) => oc.column('award_id').doUpdateSet({ amount_fen: award.amountFen, awarded_on: award.awardedOn }))
    .execute();
}

/**
 * Stays (or any service) of a programme approved for an applicant whose stay falls in a calendar year,
 * from the read model: the year of the stay's first day (入住日期, the case's stated facts). A stay
 * approved before 入住日期 was asked (2026-12-05) has no such day: it counts in the year of its approval.
 */
export async function approvedStaysInYear(db: Db, filter: { programmeId: string; applicantAccountId: string; year: number; excludingCaseId: string }): Promise<number> {
  const from: LocalDate = localDate(filter.year, 1, 1);
  const to: LocalDate = localDate(filter.year, 12, 31);
  const stayYearDay = sql<string>`coalesce(state #>> '{facts,stayStartDate}', decided_on::text)`;
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('programme_id', '=', filter.programmeId)
    .where('applicant_account_id', '=', filter.applicantAccountId)
    .where('status', '=', 'completed')
    .where(stayYearDay, '>=', from)
    .where(stayYearDay, '<=', to)
    .where('case_id', '!=', filter.excludingCaseId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
