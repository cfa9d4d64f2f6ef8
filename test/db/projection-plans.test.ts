import { describe, expect, it } from 'vitest';
import type { PlannedEvent, ProjectionPlan } from '../../db/event-store.js';
import { chuyingLoanPlanner } from '../../db/projections/chuying-loan.projection.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';

/** A loan's events as the append path hands them to a planner, one append per event. */
function planned(history: ChuyingHistory): PlannedEvent[] {
  return asNewEvents(history.decided, history.caseId).map((e, i) => ({
    ...e,
    streamId: history.caseId,
    streamVersion: i + 1,
    schemaVersion: 1,
    recordedAt: new Date(Date.UTC(2026, 0, 5) + i * 60_000),
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  }));
}

/** Plans every event on its own from the read model the one before left, as consecutive appends do. */
function planOneByOne(events: PlannedEvent[]): ProjectionPlan[] {
  const plans: ProjectionPlan[] = [];
  let before: unknown;
  for (const event of events) {
    const plan = chuyingLoanPlanner.plan('chuying-loan', before, [event])!;
    plans.push(plan);
    before = plan.after;
  }
  return plans;
}

const instalmentsWritten = (plan: ProjectionPlan) => plan.writes.filter((w) => w.table === 'loan_instalments').flatMap((w) => w.rows.map((r) => ({ op: w.op, number: r.number, status: r.status })));

describe('the 雏鹰 loan projection, planned ahead of the append', () => {
  it('writes all instalments at disbursement and then only those a repayment settles', () => {
    const history = new ChuyingHistory();
    history.fullLife(3);
    const events = planned(history);
    const plans = planOneByOne(events);
    const at = (type: string) => events.flatMap((e, i) => (e.type === type ? [i] : []));

    const [disbursed] = at('LoanDisbursed');
    expect(instalmentsWritten(plans[disbursed!]!)).toHaveLength(36);
    const repayments = at('RepaymentRecorded');
    expect(repayments).toHaveLength(3);
    for (const [k, index] of repayments.entries()) {
      expect(instalmentsWritten(plans[index!]!)).toEqual([{ op: 'upsert', number: k + 1, status: 'paid' }]);
    }
    // Every plan writes the case row; nothing before the disbursement touches an instalment.
    for (const [i, plan] of plans.entries()) {
      expect(plan.writes.filter((w) => w.table === 'cases')).toHaveLength(1);
      if (i < disbursed!) expect(instalmentsWritten(plan)).toEqual([]);
    }
  });

  it('folds to the same case row whether the events come one by one or in one batch', () => {
    const history = new ChuyingHistory();
    history.fullLife(2);
    const events = planned(history);
    const oneByOne = planOneByOne(events).at(-1)!.writes.find((w) => w.table === 'cases')!.rows[0];
    const batch = chuyingLoanPlanner.plan('chuying-loan', undefined, events)!.writes.find((w) => w.table === 'cases')!.rows[0];
    expect(JSON.parse(JSON.stringify(oneByOne))).toEqual(JSON.parse(JSON.stringify(batch)));
  });
});
