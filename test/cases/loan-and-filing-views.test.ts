import { formatFen } from '../../domain/money/fen.js';
import type { Selectable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { caseView } from '../../api/views/case.view.js';
import { moduleForStreamType } from '../../cases/registry.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { PlannedEvent, ProjectionPlan, ProjectionPlanner } from '../../db/event-store.js';
import { chuyingLoanPlanner } from '../../db/projections/chuying-loan.projection.js';
import { dramaFilingPlanner } from '../../db/projections/drama-filing.projection.js';
import type { CasesTable } from '../../db/tables/cases.table.js';
import type { Actor } from '../../domain/cases/actor.js';
import { decideTimeElapsed, instalmentStatus, nextStep } from '../../domain/chuying/decide.js';
import type { ChuyingLoanState } from '../../domain/chuying/state.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import { decideFilingAction, decideFilingSubmission, decideFilingTimeElapsed, filingNextStep } from '../../domain/drama-filing/decide.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { evolveDramaFiling, initialDramaFilingState, type DramaFilingState } from '../../domain/drama-filing/state.js';
import { DRAMA_FILING_TYPES, dramaFilingTerms, type DramaFilingType } from '../../domain/drama-filing/terms.js';
import { chineseDate, formatShanghaiInstant, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { applicant, cacReviewer, filingReviewer, filingSupervisor, fundApprover, fundReviewer } from '../support/actors.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * The loan's and the filings' views come from their read-model rows alone (issue 11): each row a
 * projection writes, with its decider state taken away, shows exactly what the views before issue
 * 11 showed from that state. Those views are kept here, verbatim, as the oracle.
 */

const shanghai = (iso: string | undefined) => (iso ? formatShanghaiInstant(Date.parse(iso)) : null);

function loanViewBefore(row: Selectable<CasesTable>) {
  const state = row.state as unknown as ChuyingLoanState;
  const step = nextStep(state);
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    programme: { zh: '雏鹰计划（V聚场基金）创业借款', en: 'Chuying start-up loan (V-Space fund)' },
    status: row.status,
    statusLabel: row.status_label,
    version: row.version,
    waitingFor: step.waitingFor,
    deadline: step.deadline ?? null,
    applicant: { accountId: row.applicant_account_id, name: row.applicant_name },
    company: state.company ?? null,
    project: state.project ?? null,
    requestedAmountFen: row.requested_fen,
    approvedAmountFen: row.approved_fen,
    outstandingFen: row.outstanding_fen,
    supplement: state.supplement ?? null,
    disbursement: state.disbursement ?? null,
    closingReasons: state.closingReasons,
    schedule: state.instalments.map((i) => ({ number: i.number, dueOn: i.dueOn, amountFen: i.amountFen, paidFen: i.paidFen, status: instalmentStatus(i), provisional: i.provisional })),
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function filingViewBefore(row: Selectable<CasesTable>) {
  const state = row.state as unknown as DramaFilingState;
  const step = filingNextStep(state);
  const filingType = row.case_type as DramaFilingType;
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    caseType: row.case_type,
    programme: { zh: `AI 微短剧沪8条 · ${DRAMA_FILING_TYPES[filingType].zh}`, en: DRAMA_FILING_TYPES[filingType].en },
    status: row.status,
    statusLabel: row.status_label,
    version: row.version,
    waitingFor: step.waitingFor,
    deadline: step.deadline ? { ...step.deadline, at: shanghai(step.deadline.at) } : null,
    flagged: step.flagged,
    // Since issue 14 the view names the category; a filing recorded without one is 普通.
    category: state.submission?.category ?? 'ordinary',
    applicant: { accountId: row.applicant_account_id, name: row.applicant_name },
    filing: state.submission ?? null,
    reasons: state.reasons,
    decidedBy: state.decidedBy ?? null,
    rounds: state.rounds.map((r) => ({
      round: r.round,
      submittedAt: shanghai(r.submittedAt),
      submittedOn: r.submittedOn,
      workingDays: r.deadline!.workingDays,
      lastWorkingDay: r.deadline!.lastWorkingDay,
      deadline: shanghai(r.deadline!.deadlineAt),
      provisional: r.deadline!.provisional,
      reviewer: r.reviewer ?? null,
      // Since 2026-12-05 a round says when its claim is the supervising official's (taken over, or claimed unclaimed).
      reviewerDuty: r.reviewer && (r.takenOverFrom || r.claimedAs === 'supervisor') ? 'supervisor' : null,
      remindedAt: shanghai(r.remindedAt),
      breachedAt: shanghai(r.breachedAt),
      escalatedAt: shanghai(r.escalatedAt),
      endedAt: shanghai(r.endedAt),
      outcome: r.outcome ?? null,
    })),
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What the API sends: JSON (undefined fields left out). */
const asSent = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The `cases` row each append writes, as PostgreSQL hands it back (JSON columns through JSON, instants as Dates). */
function rowsAfterEachEvent(planner: ProjectionPlanner, streamType: string, caseId: string, events: { type: string; data: unknown }[]): Selectable<CasesTable>[] {
  const rows: Selectable<CasesTable>[] = [];
  let before: unknown;
  events.forEach((event, i) => {
    const planned: PlannedEvent = {
      eventId: `e${i}`,
      type: event.type,
      data: event.data as Record<string, unknown>,
      // The planners read no metadata.
      metadata: { actor: { accountId: 'system', displayName: '系统', role: 'system' }, correlationId: caseId, causationId: `c${i}` },
      streamId: caseId,
      streamVersion: i + 1,
      schemaVersion: 1,
      recordedAt: new Date(Date.UTC(2026, 8, 30) + i * 60_000),
    };
    const plan = planner.plan(streamType, before, [planned]) as ProjectionPlan;
    before = plan.after;
    const written = plan.writes.find((w) => w.table === 'cases')!.rows[0]!;
    rows.push({ ...(asSent(written) as Selectable<CasesTable>), opened_at: written.opened_at as Date, updated_at: written.updated_at as Date, next_deadline_at: written.next_deadline_at as Date | null });
  });
  return rows;
}

/** Each row's view with its state gone equals the view before issue 11 of the row with its state. */
function expectSameViewsWithoutState(rows: Selectable<CasesTable>[], before: (row: Selectable<CasesTable>) => unknown) {
  for (const row of rows) {
    expect(row.details, `details of version ${row.version}`).not.toBeNull();
    const stateless = { ...row, state: {} };
    // Beside what it showed, each view now says what the case is in words (`overview`), for the facts card.
    // And whether it has ended (finished), from its status column: the same as its module's rule on the state.
    const { overview, finished, ...shown } = asSent(caseView(stateless)) as Record<string, unknown>;
    expect(finished, `finished at version ${row.version} (${row.status})`).toBe(moduleForStreamType(row.case_type)!.isTerminal(row.state as never));
    expect(shown, `${row.case_type} at version ${row.version} (${row.status})`).toEqual(asSent(before(row)));
    expect(overview).toEqual(expect.arrayContaining([expect.objectContaining({ label: expect.any(String), value: expect.any(String) })]));
  }
}

describe('the 雏鹰 loan is shown from its read-model row alone', () => {
  it('shows at every step, to the last repayment and an overdue instalment, what it showed from its state', () => {
    const history = new ChuyingHistory();
    history.fullLife(2);
    // The third instalment goes unpaid past its due date and then past the delinquency threshold.
    const third = history.state.instalments[2]!;
    const late = decideTimeElapsed(history.state, Date.parse(`${third.dueOn}T12:00:00+08:00`) + 100 * 86_400_000);
    expect(late.map((e) => e.type)).toEqual(expect.arrayContaining(['InstalmentOverdue', 'InstalmentDelinquent']));
    const events = [...asNewEvents(history.decided, history.caseId), ...late];
    const rows = rowsAfterEachEvent(chuyingLoanPlanner, 'chuying-loan', history.caseId, events);

    expectSameViewsWithoutState(rows, loanViewBefore);
    expect(rows.at(-1)!.department).toBe('yangpu-fund');
    const shown = asSent(caseView({ ...rows.at(-1)!, state: {} })) as { schedule: { status: string }[]; disbursement: unknown; overview?: unknown };
    expect(shown.schedule.slice(0, 3).map((i) => i.status)).toEqual(['paid', 'paid', 'delinquent']);
    expect(shown.disbursement).toMatchObject({ bankReference: history.disbursementReference, amountFen: 36_000_000 });
    // The case page's facts card, in words, from the row alone.
    expect(shown.overview).toEqual(
      expect.arrayContaining([
        { label: '申请金额', value: `${formatFen(rows.at(-1)!.requested_fen)} 元` },
        { label: '放款', value: expect.stringMatching(/^360,000\.00 元，\d{4}-\d{2}-\d{2}$/) },
      ]),
    );
  });

  it('shows a 补正 request with its deadline, and the reasons of a refusal, from the row alone', () => {
    const supplement = new ChuyingHistory();
    supplement.submit();
    supplement.act(fundReviewer, { type: 'RequestSupplement', missingItems: ['营业执照副本', '项目计划书'] });
    const refused = new ChuyingHistory();
    refused.submit();
    refused.act(fundReviewer, { type: 'AcceptMaterials' });
    refused.act(cacReviewer, { type: 'FailComplianceReview', reasons: ['内容不符合导向'] });
    const rejected = new ChuyingHistory();
    rejected.submit();
    rejected.act(fundReviewer, { type: 'AcceptMaterials' });
    rejected.act(cacReviewer, { type: 'PassComplianceReview', notes: '' });
    rejected.act(fundApprover, { type: 'RejectFunding', reasons: ['市场前景不明'] });
    const withdrawn = new ChuyingHistory();
    withdrawn.submit();
    withdrawn.act(applicant, { type: 'Withdraw', reason: '另有融资' });

    for (const history of [supplement, refused, rejected, withdrawn]) {
      expectSameViewsWithoutState(rowsAfterEachEvent(chuyingLoanPlanner, 'chuying-loan', history.caseId, asNewEvents(history.decided, history.caseId)), loanViewBefore);
    }
    const asked = asSent(caseView({ ...rowsAfterEachEvent(chuyingLoanPlanner, 'chuying-loan', supplement.caseId, asNewEvents(supplement.decided, supplement.caseId)).at(-1)!, state: {} }));
    expect(asked).toMatchObject({ supplement: { missingItems: ['营业执照副本', '项目计划书'], round: 1 }, deadline: { kind: 'supplement-reply', provisional: false }, waitingFor: { role: 'applicant' } });
  });
});

/** A filing's life by the real decider: filed, claimed, reminded, breached and escalated, taken over and returned by the supervisor, resubmitted, approved. */
function filingLife(filingType: DramaFilingType): { caseId: string; events: DramaFilingEvent[] } {
  const caseId = `7f1c2d3e-0000-4000-8000-00000000${filingType === 'drama-planning-filing' ? '00f1' : '00f2'}`;
  const calendar = packagedCalendar();
  const terms = dramaFilingTerms(filingType);
  let state = initialDramaFilingState();
  const events: DramaFilingEvent[] = [];
  const record = (decided: DramaFilingEvent[]) => {
    events.push(...decided);
    state = decided.reduce(evolveDramaFiling, state);
  };
  const actBy = (actor: Actor, now: number, action: Parameters<typeof decideFilingAction>[1], deadline?: ReturnType<typeof reviewDeadline>) =>
    record(decideFilingAction(state, action, { actor, now, deadline }));

  let now = Date.parse('2026-09-30T02:00:00Z');
  const submission = dramaSubmission();
  record(
    decideFilingSubmission(
      { caseId, referenceNo: `BA-2026-${caseId.slice(-6)}`, filingType, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, submission },
      terms,
      now,
      reviewDeadline(calendar, shanghaiDateOf(now), terms.reviewWorkingDays),
    ),
  );
  actBy(filingReviewer, (now += 3_600_000), { type: 'ClaimFiling' });
  // Not decided in time: reminded on its last working day, breached and escalated at 24:00.
  const deadlineAt = Date.parse(state.rounds[0]!.deadline!.deadlineAt);
  record(decideFilingTimeElapsed(state, deadlineAt - 6 * 3_600_000));
  record(decideFilingTimeElapsed(state, deadlineAt + 1));
  now = deadlineAt + 3_600_000;
  actBy(filingSupervisor, now, { type: 'ClaimFiling', takeOver: true });
  actBy(filingSupervisor, (now += 3_600_000), { type: 'ReturnFilingForRevision', reasons: ['片名需修改', '补充 AI 标识'] });
  now += 86_400_000;
  actBy(applicant, now, { type: 'ResubmitFiling', submission: { ...submission, title: `${submission.title}（修改版）` }, changeNote: '已修改' }, reviewDeadline(calendar, shanghaiDateOf(now), terms.reviewWorkingDays));
  actBy(filingReviewer, (now += 3_600_000), { type: 'ClaimFiling' });
  actBy(filingReviewer, (now += 3_600_000), { type: 'ApproveFiling', notes: '' });
  return { caseId, events };
}

describe('a drama filing is shown from its read-model row alone', () => {
  for (const filingType of ['drama-planning-filing', 'drama-release-filing'] as const) {
    it(`shows a ${filingType} at every step, with every round and the flag, as it did from its state`, () => {
      const { caseId, events } = filingLife(filingType);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['ReviewReminderSent', 'ReviewSlaBreached', 'FilingReturnedForRevision', 'FilingResubmitted', 'FilingApproved']));
      const rows = rowsAfterEachEvent(dramaFilingPlanner, filingType, caseId, events);

      expectSameViewsWithoutState(rows, filingViewBefore);
      expect(rows.every((r) => r.department === 'culture-tourism')).toBe(true);
      const flagged = rows.map((r) => asSent(caseView({ ...r, state: {} })) as { flagged: boolean; deadline: { at: string } | null; requestedAmountFen?: number; overview?: unknown });
      expect(flagged.some((v) => v.flagged)).toBe(true);
      expect(flagged[0]!.deadline!.at).toMatch(/T00:00:00\+08:00$/);
      // A filing has no amounts; the facts card names the drama.
      expect(flagged[0]).not.toHaveProperty('requestedAmountFen');
      expect(flagged[0]!.overview).toEqual(expect.arrayContaining([expect.objectContaining({ label: '剧名' }), expect.objectContaining({ label: '使用生成式人工智能制作' })]));
      // Its 2- or 5-working-day promise is a line of the card while the review runs, and gone once decided.
      const dueOn = (flagged[0] as unknown as { deadline: { dueOn: string } }).deadline.dueOn;
      expect(flagged[0]!.overview).toEqual(expect.arrayContaining([{ label: '办理时限', value: expect.stringContaining(`${chineseDate(dueOn as LocalDate)}（含）前（备案审查反馈`) }]));
      expect(flagged.at(-1)!.overview).not.toEqual(expect.arrayContaining([expect.objectContaining({ label: '办理时限' })]));
      const last = flagged.at(-1) as unknown as { rounds: { outcome: string; reviewer: { accountId: string } }[]; status: string };
      expect(last.rounds.map((r) => [r.outcome, r.reviewer.accountId])).toEqual([
        ['returned', filingSupervisor.accountId],
        ['approved', filingReviewer.accountId],
      ]);
    });
  }
});
