import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pendingReports from '../../db/migrations/2026-12-05T03-10_pending-repayment-reports-in-fund-queue.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { applicant, fundReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { d, event, history, ref } from '../domain/chuying-loan.fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const AT = '2026-03-02T02:00:00.000Z';
const declared = (reference: string): ChuyingLoanEvent => ({ type: 'RepaymentDeclared', data: { by: ref(applicant), amountFen: 1_388_889, paidOn: d('2026-02-27'), reference, note: '', declaredAt: AT } });
const withdrawn = (reference: string): ChuyingLoanEvent => ({
  type: 'RepaymentDeclarationWithdrawn',
  data: { by: ref(applicant), reference, amountFen: 1_388_889, paidOn: d('2026-02-27'), reason: '', withdrawnAt: AT },
});
const recorded = (reference: string): ChuyingLoanEvent => {
  const paid = event.repaymentRecorded(1_388_889, [{ number: 1, amountFen: 1_388_889 }]);
  return { ...paid, data: { ...paid.data, reference } };
};

describe('migration 2026-12-05T03-10: a loan with a report of a repayment waiting is in the fund’s queue, in rows projected before', () => {
  it('rows of loans with reports waiting wait for the fund (待核对还款申报), the instalment still their deadline; the others stay the borrower’s; the migration writes them as the projection does', async () => {
    const { db, ownerDb } = database;
    const loans = {
      waiting: [declared('TR-1'), declared('TR-2')],
      recorded: [declared('TR-3'), recorded('tr-3')],
      withdrawn: [declared('TR-4'), withdrawn('TR-4')],
      none: [] as ChuyingLoanEvent[],
    };
    const ids: Record<string, string> = {};
    let n = 0;
    for (const [name, after] of Object.entries(loans)) {
      const caseId = randomUUID();
      ids[name] = caseId;
      n += 1;
      const [submitted, ...rest] = history.repaying;
      const opened = { ...submitted!, data: { ...(submitted!.data as object), caseId, referenceNo: `CY-2026-90000${n}` } } as ChuyingLoanEvent;
      // Each loan its own disbursement: one bank reference is one loan's money (migration 2026-12-05T14-00).
      const own = rest.map((e) => (e.type === 'LoanDisbursed' ? ({ ...e, data: { ...e.data, bankReference: `BANK-000${n}` } } as ChuyingLoanEvent) : e));
      const events = [opened, ...own, ...after].map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...fundReviewer }, correlationId: caseId, causationId: caseId } }));
      await appendToStream(db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: 0, events }, { now: () => new Date(), project: projectReadModels });
    }
    const rows = () =>
      db.selectFrom('cases').select(['case_id', 'waiting_for_role', 'waiting_for_department', 'status_label', 'next_deadline_at', 'details', 'state']).where('case_id', 'in', Object.values(ids)).orderBy('case_id').execute();
    const projected = await rows();
    const row = (name: string, from: typeof projected) => from.find((r) => r.case_id === ids[name])! as (typeof projected)[number] & { details: { waitingFor: unknown; deadline: { kind: string; dueOn: string } } };

    expect(row('waiting', projected)).toMatchObject({ waiting_for_role: 'official', waiting_for_department: 'yangpu-fund', status_label: '还款中，待核对还款申报' });
    expect(row('waiting', projected).details.waitingFor).toEqual({ role: 'official', department: 'yangpu-fund', note: '待核对还款申报 2 笔：与银行到账核对后登记还款（借款人下一期：第 1 期还款 13,888.89 元）' });
    // The loan's own deadline: its first instalment's day, as before.
    expect(row('waiting', projected).details.deadline).toMatchObject({ kind: 'instalment', dueOn: '2026-02-28' });
    expect(row('waiting', projected).next_deadline_at).toEqual(row('none', projected).next_deadline_at);
    for (const name of ['recorded', 'withdrawn', 'none']) {
      expect(row(name, projected), name).toMatchObject({ waiting_for_role: 'applicant', waiting_for_department: null, status_label: '还款中' });
    }

    // As rows projected before the change: the borrower's move. The migration writes them as the projection does.
    await pendingReports.down(ownerDb);
    expect(row('waiting', await rows())).toMatchObject({ waiting_for_role: 'applicant', waiting_for_department: null, status_label: '还款中', details: { waitingFor: { role: 'applicant', note: '第 1 期还款 13,888.89 元' } } });
    await pendingReports.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
