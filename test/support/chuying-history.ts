import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/cases/actor.js';
import type { ChuyingLoanAction } from '../../domain/chuying/commands.js';
import { decideAction, decideSubmission } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { repaymentSchedule } from '../../domain/chuying/repayment-schedule.js';
import { evolveChuyingLoan, initialChuyingLoanState, type ChuyingLoanState } from '../../domain/chuying/state.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { NewEvent } from '../../db/event-store.js';
import { applicant, cacReviewer, fundApprover, fundReviewer } from './actors.js';

/**
 * Real 雏鹰 histories made by the real decider (no workflow, no database): for fault tests that
 * append directly, and for the benchmark's generated event stores. Every event is one the
 * workflow could have recorded, so projections and folds treat them as they would live ones.
 */
export interface DecidedEvent {
  event: ChuyingLoanEvent;
  actor: Actor;
}

export class ChuyingHistory {
  state: ChuyingLoanState = initialChuyingLoanState();
  readonly decided: DecidedEvent[] = [];

  constructor(
    readonly caseId: string = randomUUID(),
    private now: number = Date.UTC(2026, 0, 5, 2),
  ) {}

  private record(events: ChuyingLoanEvent[], actor: Actor): DecidedEvent[] {
    const decided = events.map((event) => ({ event, actor }));
    this.decided.push(...decided);
    this.state = events.reduce(evolveChuyingLoan, this.state);
    this.now += 3_600_000;
    return decided;
  }

  submit(referenceNo = `CY-T-${this.caseId.slice(0, 8)}`, requestedAmountFen = 40_000_000): DecidedEvent[] {
    const events = decideSubmission(
      { caseId: this.caseId, referenceNo, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, company: companyOf(), project: projectOf(), requestedAmountFen },
      CHUYING_LOAN_TERMS,
      this.now,
    );
    return this.record(events, applicant);
  }

  act(actor: Actor, action: ChuyingLoanAction): DecidedEvent[] {
    const schedule =
      action.type === 'RecordDisbursement'
        ? repaymentSchedule(packagedCalendar(), this.state.approvedAmountFen ?? 0, action.disbursedOn, this.state.terms!.instalmentCount)
        : undefined;
    return this.record(decideAction(this.state, action, { actor, now: this.now, schedule }), actor);
  }

  /** This loan's own: one bank transaction is one loan's money, in the database too (migration 2026-12-05T14-00). */
  get disbursementReference(): string {
    return `BOC-${this.caseId.slice(0, 8)}`;
  }

  /** Submission, 补正 and its answer, acceptance, compliance, approval, disbursement, then `repayments` instalments paid. */
  fullLife(repayments = 0): DecidedEvent[] {
    this.submit();
    this.act(fundReviewer, { type: 'RequestSupplement', missingItems: ['营业执照副本'] });
    this.act(applicant, { type: 'ProvideSupplement', responses: [{ item: '营业执照副本', response: 'file:license.pdf' }] });
    this.act(fundReviewer, { type: 'AcceptMaterials' });
    this.act(cacReviewer, { type: 'PassComplianceReview', notes: '内容积极健康' });
    this.act(fundApprover, { type: 'ApproveFunding', approvedAmountFen: 36_000_000, notes: '核定 36 万元' });
    this.act(fundReviewer, { type: 'RecordDisbursement', disbursedOn: shanghaiDateOf(this.now), bankReference: this.disbursementReference });
    for (const instalment of this.state.instalments.slice(0, repayments)) {
      // A repayment is recorded on or after the day it was paid, never before (domain/chuying/money.ts).
      this.now = Math.max(this.now, Date.parse(`${instalment.dueOn}T12:00:00+08:00`));
      this.act(fundReviewer, { type: 'RecordRepayment', amountFen: instalment.amountFen, paidOn: instalment.dueOn, reference: `R${instalment.number}-${this.caseId.slice(0, 8)}` });
    }
    return this.decided;
  }
}

/** As the workflow stores them: fresh event ids, the actor and causation in the metadata. */
export function asNewEvents(decided: readonly DecidedEvent[], caseId: string): NewEvent[] {
  return decided.map(({ event, actor }) => ({
    eventId: randomUUID(),
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: { actor, correlationId: caseId, causationId: randomUUID() },
  }));
}

const companyOf = () => ({ name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: '91310110MA1G8XXXXA', registeredDistrict: '杨浦区' });
const projectOf = () => ({ name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' });
