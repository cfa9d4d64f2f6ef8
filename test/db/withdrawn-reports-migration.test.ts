import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as withdrawnReportsRecordedAfterwards from '../../db/migrations/2026-12-06T12-00_withdrawn-reports-recorded-afterwards.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import { applicant, fundReviewer } from '../support/actors.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** A loan in repayment whose borrower reported a transfer under `reference`, withdrew the report, and (where `recordedAs`) the fund then recorded it. */
function withdrawnReport(reference: string, options: { recordedAs?: string; reportedAgain?: boolean } = {}): ChuyingHistory {
  const history = new ChuyingHistory();
  history.fullLife(0);
  const paidOn = history.state.disbursement!.disbursedOn;
  const report = { type: 'DeclareRepayment', amountFen: 1_000_000, paidOn, reference, note: '' } as const;
  history.act(applicant, report);
  history.act(applicant, { type: 'WithdrawRepaymentDeclaration', reference, reason: '金额填错' });
  if (options.reportedAgain) history.act(applicant, report);
  if (options.recordedAs) history.act(fundReviewer, { type: 'RecordRepayment', amountFen: 1_000_000, paidOn, reference: options.recordedAs });
  return history;
}

describe('migration 2026-12-06T12-00: a withdrawn report whose transfer the fund recorded afterwards reads 已核对入账', () => {
  it('gives the rows projected before the status the projection now writes, and leaves the others as they are', async () => {
    const loans = {
      recorded: withdrawnReport('ICBC-W-0001', { recordedAs: 'icbc-w-0001' }),
      withdrawnOnly: withdrawnReport('ICBC-W-0002'),
      reportedAgain: withdrawnReport('ICBC-W-0003', { recordedAs: 'ICBC-W-0003', reportedAgain: true }),
    };
    for (const history of Object.values(loans)) {
      await appendToStream(database.db, { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: 0, events: asNewEvents(history.decided, history.caseId) }, { now: fixedClock('2026-02-01T02:00:00.000Z'), project: projectReadModels });
    }
    const declarationsOf = async (history: ChuyingHistory) =>
      ((await database.ownerDb.selectFrom('cases').select('details').where('case_id', '=', history.caseId).executeTakeFirstOrThrow()).details as { repaymentDeclarations: { status: string; confirmed: unknown; withdrawn?: unknown }[] }).repaymentDeclarations;
    const projected = { recorded: await declarationsOf(loans.recorded), withdrawnOnly: await declarationsOf(loans.withdrawnOnly), reportedAgain: await declarationsOf(loans.reportedAgain) };
    expect(projected.recorded).toEqual([expect.objectContaining({ status: 'confirmed', confirmed: expect.objectContaining({ amountFen: 1_000_000 }), withdrawn: expect.objectContaining({ reason: '金额填错' }) })]);
    expect(projected.withdrawnOnly.map((d) => d.status)).toEqual(['withdrawn']);
    expect(projected.reportedAgain.map((d) => d.status)).toEqual(['withdrawn', 'confirmed']);

    // As a deployment projected them before: the withdrawn report read 已撤回 whatever the fund recorded since.
    await withdrawnReportsRecordedAfterwards.down(database.ownerDb);
    expect((await declarationsOf(loans.recorded)).map((d) => [d.status, d.confirmed])).toEqual([['withdrawn', null]]);
    await withdrawnReportsRecordedAfterwards.up(database.ownerDb);
    expect(await declarationsOf(loans.recorded)).toEqual(projected.recorded);
    expect(await declarationsOf(loans.withdrawnOnly)).toEqual(projected.withdrawnOnly);
    expect(await declarationsOf(loans.reportedAgain)).toEqual(projected.reportedAgain);
  });
});
