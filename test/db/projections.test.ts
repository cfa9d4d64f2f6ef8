import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { appendToStream, readStream, verifyChain, type Projection } from '../../db/event-store.js';
import { CHUYING_LOAN_STREAM } from '../../db/projections/chuying-loan.projection.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ChuyingLoanAction } from '../../domain/chuying/commands.js';
import { decideAction, decideSubmission } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { repaymentSchedule, type ScheduledInstalment } from '../../domain/chuying/repayment-schedule.js';
import { evolveChuyingLoan, foldChuyingLoan, initialChuyingLoanState, type ChuyingLoanState } from '../../domain/chuying/state.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { parseLocalDate, yearOf } from '../../domain/time/local-date.js';
import { applicant, cacReviewer, fundApprover, fundReviewer, loanApplication } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countEvents, fixedClock, metadataFor, newEvent, someEvents, streamHead } from './support.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** One 雏鹰 loan case driven through the domain's own decide functions, appended as the workflow does. */
class LoanCase {
  state: ChuyingLoanState = initialChuyingLoanState();
  readonly input = loanApplication();
  readonly caseId = this.input.caseId;

  async submit(at: string, options: { project?: Projection } = {}): Promise<void> {
    const { caseId, referenceNo, company, project, requestedAmountFen, terms } = this.input;
    const events = decideSubmission(
      { caseId, referenceNo, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, company, project, requestedAmountFen },
      terms,
      Date.parse(at),
    );
    await this.record(events, applicant, at, options.project);
  }

  async act(actor: Actor, action: ChuyingLoanAction, at: string, options: { schedule?: ScheduledInstalment[]; project?: Projection } = {}): Promise<ChuyingLoanEvent[]> {
    const events = decideAction(this.state, action, { actor, now: Date.parse(at), schedule: options.schedule });
    await this.record(events, actor, at, options.project);
    return events;
  }

  private async record(events: ChuyingLoanEvent[], actor: Actor, at: string, project: Projection = projectReadModels): Promise<void> {
    await appendToStream(
      database.db,
      {
        streamId: this.caseId,
        streamType: CHUYING_LOAN_STREAM,
        expectedVersion: this.state.version,
        events: events.map((event) => ({
          eventId: randomUUID(),
          type: event.type,
          data: event.data as unknown as Record<string, unknown>,
          metadata: metadataFor(actor),
        })),
      },
      { now: fixedClock(at), project },
    );
    this.state = events.reduce(evolveChuyingLoan, this.state);
  }

  caseRow() {
    return database.db.selectFrom('cases').selectAll().where('case_id', '=', this.caseId).executeTakeFirst();
  }

  instalmentRows() {
    return database.db.selectFrom('loan_instalments').selectAll().where('case_id', '=', this.caseId).orderBy('number').execute();
  }
}

const SUBMITTED_AT = '2026-03-02T02:00:00.000Z'; // 10:00 Monday in Shanghai
const DISBURSED_ON = parseLocalDate('2026-03-10'); // a Tuesday
const DISBURSED_AT = '2026-03-10T02:00:00.000Z';

async function toApproval(loan: LoanCase): Promise<void> {
  await loan.submit(SUBMITTED_AT);
  await loan.act(fundReviewer, { type: 'AcceptMaterials' }, '2026-03-03T02:00:00.000Z');
  await loan.act(cacReviewer, { type: 'PassComplianceReview', notes: '内容积极健康' }, '2026-03-04T02:00:00.000Z');
  await loan.act(fundApprover, { type: 'ApproveFunding', approvedAmountFen: 36_000_000, notes: '核减至 36 万元' }, '2026-03-05T02:00:00.000Z');
}

describe('a loan row stored before cases kept their money by bank reference', () => {
  it('is refolded from the whole stream at its next append, so its repayments and approval date are all there', async () => {
    const loan = new LoanCase();
    await toApproval(loan);
    const schedule = repaymentSchedule(packagedCalendar(), 36_000_000, DISBURSED_ON, CHUYING_LOAN_TERMS.instalmentCount);
    await loan.act(fundReviewer, { type: 'RecordDisbursement', disbursedOn: DISBURSED_ON, bankReference: 'BOC-1' }, DISBURSED_AT, { schedule });
    await loan.act(fundReviewer, { type: 'RecordRepayment', amountFen: 1_000_000, paidOn: DISBURSED_ON, reference: 'R1' }, DISBURSED_AT);
    // As an older release stored it: the state without the money records.
    const row = (await loan.caseRow())!;
    const { repayments: _repayments, approvedOn: _approvedOn, ...older } = row.state as unknown as ChuyingLoanState;
    await database.db.updateTable('cases').set({ state: JSON.stringify(older) }).where('case_id', '=', loan.caseId).execute();

    await loan.act(fundReviewer, { type: 'RecordRepayment', amountFen: 2_000_000, paidOn: DISBURSED_ON, reference: 'R2' }, DISBURSED_AT);
    const after = (await loan.caseRow())!.state as unknown as ChuyingLoanState;
    expect(after.repayments.map((r) => r.reference)).toEqual(['R1', 'R2']);
    expect(after.approvedOn).toBe('2026-03-05');
    expect(after).toEqual(foldChuyingLoan((await readStream(database.db, loan.caseId)).map((e) => ({ type: e.type, data: e.data }) as ChuyingLoanEvent)));
  });
});

describe('projections run in the appending transaction', () => {
  it('rolls back the events and the stream head of an existing stream when the projection throws', async () => {
    const streamId = `s-${randomUUID()}`;
    await appendToStream(database.db, { streamId, streamType: 'plain', expectedVersion: 0, events: someEvents(2) }, { now: fixedClock(SUBMITTED_AT) });
    const headBefore = await streamHead(database.db, streamId);
    const totalBefore = await countEvents(database.db);

    let seenInsideTransaction: { versions: number[]; rows: number } | undefined;
    const failing: Projection = async (trx, streamType, events) => {
      expect(streamType).toBe('plain');
      // The new rows are there, inside the transaction, when the projection runs.
      const inside = await trx.selectFrom('events').select('stream_version').where('stream_id', '=', streamId).execute();
      seenInsideTransaction = { versions: events.map((e) => e.streamVersion), rows: inside.length };
      throw new Error('read model refused');
    };
    const append = appendToStream(
      database.db,
      { streamId, streamType: 'plain', expectedVersion: 2, events: someEvents(2) },
      { now: fixedClock('2026-03-09T00:00:00.000Z'), project: failing },
    );
    await expect(append).rejects.toThrow('read model refused');

    expect(seenInsideTransaction).toEqual({ versions: [3, 4], rows: 4 });
    expect(await countEvents(database.db)).toBe(totalBefore);
    expect(await streamHead(database.db, streamId)).toEqual(headBefore);
    expect(verifyChain(await readStream(database.db, streamId))).toBeUndefined();
  });

  it('leaves no stream, no events and no case row when the projection of a first append throws', async () => {
    const loan = new LoanCase();
    const failing: Projection = async (trx, streamType, events) => {
      await projectReadModels(trx, streamType, events);
      // The case row was written in this transaction ...
      expect(await trx.selectFrom('cases').select('case_id').where('case_id', '=', loan.caseId).executeTakeFirst()).toBeDefined();
      throw new Error('projection failed after writing');
    };
    await expect(loan.submit(SUBMITTED_AT, { project: failing })).rejects.toThrow('projection failed after writing');
    // ... and is gone with the rest of it.
    expect(await loan.caseRow()).toBeUndefined();
    expect(await streamHead(database.db, loan.caseId)).toBeUndefined();
    expect(await countEvents(database.db, loan.caseId)).toBe(0);
  });

  it('keeps the case row as it was when the projection of a later append fails after updating it', async () => {
    const loan = new LoanCase();
    await loan.submit(SUBMITTED_AT);
    const rowBefore = await loan.caseRow();
    const headBefore = await streamHead(database.db, loan.caseId);
    expect(rowBefore).toMatchObject({ status: 'completeness-check', version: 1 });

    const failing: Projection = async (trx, streamType, events) => {
      await projectReadModels(trx, streamType, events);
      const updated = await trx.selectFrom('cases').select(['status', 'version']).where('case_id', '=', loan.caseId).executeTakeFirstOrThrow();
      expect(updated).toEqual({ status: 'compliance-review', version: 2 });
      throw new Error('second read model failed');
    };
    await expect(loan.act(fundReviewer, { type: 'AcceptMaterials' }, '2026-03-03T02:00:00.000Z', { project: failing })).rejects.toThrow('second read model failed');

    expect(await loan.caseRow()).toEqual(rowBefore);
    expect(await streamHead(database.db, loan.caseId)).toEqual(headBefore);
    expect(await countEvents(database.db, loan.caseId)).toBe(1);
  });

  it('stores a stream type without a read model and projects nothing for it', async () => {
    const streamId = randomUUID();
    await appendToStream(
      database.db,
      { streamId, streamType: 'no-read-model', expectedVersion: 0, events: [newEvent('Noted', { n: 1 })] },
      { now: fixedClock(SUBMITTED_AT), project: projectReadModels },
    );
    expect(await countEvents(database.db, streamId)).toBe(1);
    expect(await database.db.selectFrom('cases').select('case_id').where('case_id', '=', streamId).executeTakeFirst()).toBeUndefined();
  });
});

describe('the 雏鹰 loan read model (projectReadModels) from real domain events', () => {
  it('projects a submitted application: status, requested amount, whose move it is', async () => {
    const loan = new LoanCase();
    await loan.submit(SUBMITTED_AT);
    const row = await loan.caseRow();
    expect(row).toMatchObject({
      case_id: loan.caseId,
      reference_no: loan.input.referenceNo,
      case_type: 'chuying-loan',
      applicant_account_id: 'acct-applicant',
      applicant_name: '上海星河文化传媒有限公司',
      status: 'completeness-check',
      status_label: '材料审查',
      waiting_for_role: 'official',
      waiting_for_department: 'yangpu-fund',
      requested_fen: 50_000_000,
      approved_fen: null,
      outstanding_fen: 0,
      next_deadline_at: null,
      version: 1,
    });
    expect(row!.opened_at.toISOString()).toBe(SUBMITTED_AT);
    expect(row!.updated_at.toISOString()).toBe(SUBMITTED_AT);
    expect(await loan.instalmentRows()).toEqual([]);
  });

  it('follows the case through approval and disbursement to 36 instalment rows, then a repayment, one append per action', async () => {
    const loan = new LoanCase();
    await toApproval(loan);
    let row = await loan.caseRow();
    expect(row).toMatchObject({
      status: 'awaiting-disbursement',
      status_label: '待放款',
      requested_fen: 50_000_000,
      approved_fen: 36_000_000,
      outstanding_fen: 0,
      version: 4,
    });
    expect(row!.opened_at.toISOString()).toBe(SUBMITTED_AT);
    expect(row!.updated_at.toISOString()).toBe('2026-03-05T02:00:00.000Z');
    expect(await loan.instalmentRows()).toEqual([]);

    const calendar = packagedCalendar();
    const schedule = repaymentSchedule(calendar, 36_000_000, DISBURSED_ON, CHUYING_LOAN_TERMS.instalmentCount);
    await loan.act(fundReviewer, { type: 'RecordDisbursement', disbursedOn: DISBURSED_ON, bankReference: 'BANK-0001' }, DISBURSED_AT, { schedule });

    row = await loan.caseRow();
    expect(row).toMatchObject({ status: 'repaying', status_label: '还款中', approved_fen: 36_000_000, outstanding_fen: 36_000_000, version: 5, waiting_for_role: 'applicant' });
    // 36 万元 over 36 months divides evenly: 1 万元 (1,000,000 fen) each.
    const instalments = await loan.instalmentRows();
    expect(instalments).toHaveLength(36);
    expect(instalments.map((i) => i.number)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    for (const i of instalments) {
      expect(i).toMatchObject({ case_id: loan.caseId, amount_fen: 1_000_000, paid_fen: 0, status: 'due' });
      expect(i.due_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(calendar.isWorkingDay(parseLocalDate(i.due_on))).toBe(true);
      expect(i.provisional).toBe(!calendar.isOfficialYear(yearOf(parseLocalDate(i.due_on))));
    }
    expect(instalments.map((i) => ({ number: i.number, dueOn: i.due_on, amountFen: i.amount_fen, provisional: i.provisional }))).toEqual(schedule);
    // The 10th of each month: 2026-04-10 is a Friday; 2026-05-10 is a Sunday (not a 调休 day), so the 11th.
    expect(instalments[0]!.due_on).toBe('2026-04-10');
    expect(instalments[1]!.due_on).toBe('2026-05-11');
    // The next deadline is the end of the first due day in Shanghai (UTC+8): 2026-04-10 24:00 = 16:00Z.
    expect(row!.next_deadline_at?.toISOString()).toBe('2026-04-10T16:00:00.000Z');

    // 1.5 instalments paid: the first in full, the second half.
    await loan.act(fundReviewer, { type: 'RecordRepayment', amountFen: 1_500_000, paidOn: parseLocalDate('2026-04-10'), reference: 'R1-FOLLOWS' }, '2026-04-10T03:00:00.000Z');
    row = await loan.caseRow();
    expect(row).toMatchObject({ status: 'repaying', outstanding_fen: 34_500_000, version: 6 });
    expect(row!.next_deadline_at?.toISOString()).toBe('2026-05-11T16:00:00.000Z');
    const afterRepayment = await loan.instalmentRows();
    expect(afterRepayment).toHaveLength(36);
    expect(afterRepayment.slice(0, 3).map((i) => [i.number, i.paid_fen, i.status])).toEqual([
      [1, 1_000_000, 'paid'],
      [2, 500_000, 'partially-paid'],
      [3, 0, 'due'],
    ]);
    expect(afterRepayment.slice(2).every((i) => i.paid_fen === 0 && i.status === 'due')).toBe(true);

    // The read model agrees with a replay of the stored stream, and the stream is intact.
    const events = await readStream(database.db, loan.caseId);
    expect(events).toHaveLength(6);
    expect(row!.version).toBe(events.length);
    expect(verifyChain(events)).toBeUndefined();
    const replayed = foldChuyingLoan(events.map((e) => ({ type: e.type, data: e.data }) as ChuyingLoanEvent));
    expect(row!.state).toEqual(JSON.parse(JSON.stringify(replayed)));
  });

  it('projects a two-event append (the final repayment and LoanRepaid) to a completed case', async () => {
    const loan = new LoanCase();
    await toApproval(loan);
    const schedule = repaymentSchedule(packagedCalendar(), 36_000_000, DISBURSED_ON, CHUYING_LOAN_TERMS.instalmentCount);
    await loan.act(fundReviewer, { type: 'RecordDisbursement', disbursedOn: DISBURSED_ON, bankReference: 'BANK-0002' }, DISBURSED_AT, { schedule });

    const events = await loan.act(
      fundReviewer,
      { type: 'RecordRepayment', amountFen: 36_000_000, paidOn: parseLocalDate('2026-04-01'), reference: 'R-ALL' },
      '2026-04-01T03:00:00.000Z',
    );
    expect(events.map((e) => e.type)).toEqual(['RepaymentRecorded', 'LoanRepaid']);

    const row = await loan.caseRow();
    expect(row).toMatchObject({ status: 'completed', status_label: '已结清', outstanding_fen: 0, version: 7, waiting_for_role: null, next_deadline_at: null });
    const instalments = await loan.instalmentRows();
    expect(instalments).toHaveLength(36);
    expect(instalments.every((i) => i.paid_fen === 1_000_000 && i.status === 'paid')).toBe(true);
    expect(await countEvents(database.db, loan.caseId)).toBe(7);
  });
});
