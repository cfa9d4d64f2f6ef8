import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as payoutReferencesHeldOnce from '../../db/migrations/2026-12-06T16-10_payout-references-held-once.js';
import { appendToStream } from '../../db/event-store.js';
import { moneyReferenceElsewhere } from '../../db/money-references.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ApplicationEvent } from '../../domain/applications/events.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { DomainError } from '../../domain/errors.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { fundReviewer } from '../support/actors.js';
import { applicationSubmitted, huangpuApprover, huangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { history } from '../domain/chuying-loan.fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const d = parseLocalDate;
const by = (actor: { accountId: string; displayName: string }) => ({ accountId: actor.accountId, displayName: actor.displayName });

async function append(caseId: string, streamType: string, events: { type: string; data: unknown }[], expectedVersion: number): Promise<void> {
  const stored = events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as Record<string, unknown>, metadata: { actor: { ...fundReviewer }, correlationId: caseId, causationId: caseId } }));
  await appendToStream(database.db, { streamId: caseId, streamType, expectedVersion, events: stored }, { now: () => new Date(), project: projectReadModels });
}

/** A 雏鹰 loan disbursed under `bankReference`. */
async function loan(n: number, bankReference: string): Promise<string> {
  const caseId = randomUUID();
  const [submitted, ...rest] = history.repaying;
  const opened = { ...submitted!, data: { ...(submitted!.data as object), caseId, referenceNo: `CY-2026-90000${n}` } } as ChuyingLoanEvent;
  const own = rest.map((e) => (e.type === 'LoanDisbursed' ? ({ ...e, data: { ...e.data, bankReference } } as ChuyingLoanEvent) : e));
  await append(caseId, 'chuying-loan', [opened, ...own], 0);
  return caseId;
}

/** A one-off award paid on record, its payment due (待拨付): the case and its 申请编号. Each for an applicant of its own, so the ledger takes both. */
async function awardDue(): Promise<{ caseId: string; referenceNo: string }> {
  const caseId = randomUUID();
  const window = { workingDays: 5, startedOn: d('2026-11-23'), lastWorkingDay: d('2026-11-30'), deadlineAt: new Date(endOfShanghaiDay(d('2026-11-30'))).toISOString(), provisional: false };
  const submitted = applicationSubmitted(caseId, 'huangpu-creator-reward', { submittedOn: d('2026-11-23'), window }) as Extract<ApplicationEvent, { type: 'ApplicationSubmitted' }>;
  const applicantAccountId = `acct-${caseId}`;
  const opened: ApplicationEvent = { ...submitted, data: { ...submitted.data, applicant: { accountId: applicantAccountId, displayName: '林小创' } } };
  const events: ApplicationEvent[] = [
    opened,
    { type: 'MaterialsAccepted', data: { by: by(huangpuReviewer), acceptedAt: '2026-11-24T02:00:00.000Z' } },
    { type: 'ApplicationApproved', data: { by: by(huangpuApprover), approvedAmountFen: 1_000_000, notes: '', decidedAt: '2026-11-25T02:00:00.000Z', decidedOn: d('2026-11-25'), byDirector: false } },
    {
      type: 'AwardGranted',
      data: {
        awardId: `AW-${caseId}`,
        programmeId: 'huangpu-creator-reward',
        catalogueVersion: submitted.data.terms.catalogueVersion,
        applicantAccountId,
        itemId: `person:huangpu-creator-reward:${applicantAccountId}`,
        amountFen: 1_000_000,
        awardedOn: d('2026-11-25'),
        plan: { kind: 'one-off', amountFen: 1_000_000 },
        paidOnRecord: true,
      },
    },
    { type: 'PayoutFellDue', data: { number: 1, of: 1, amountFen: 1_000_000, dueOn: d('2026-11-25'), at: '2026-11-25T02:00:00.000Z' } },
  ];
  await append(caseId, 'application', events, 0);
  return { caseId, referenceNo: submitted.data.referenceNo };
}

const recorded = (bankReference: string): ApplicationEvent => ({
  type: 'PayoutRecorded',
  data: { number: 1, of: 1, amountFen: 1_000_000, dueOn: d('2026-11-25'), paidOn: d('2026-11-26'), bankReference, by: by(huangpuReviewer), recordedAt: '2026-11-26T02:00:00.000Z' },
});

const versionOf = async (caseId: string) => Number((await database.db.selectFrom('cases').select('version').where('case_id', '=', caseId).executeTakeFirstOrThrow()).version);
const heldFor = (caseId: string) => database.db.selectFrom('money_references' as never).selectAll().where('case_id' as never, '=', caseId as never).execute() as Promise<{ reference_key: string; kind: string; reference: string }[]>;

describe('migration 2026-12-06T16-10: an award’s recorded payment holds its bank reference as a loan’s money does', () => {
  it('refuses, in the appending transaction, a payout under a loan’s or another award’s reference, and a loan under an award’s; the look-up finds payouts too', async () => {
    const disbursed = await loan(1, 'BANK-7001');
    const first = await awardDue();
    // Under the loan's disbursement, typed otherwise: refused, nothing appended.
    const before = await versionOf(first.caseId);
    const underLoan = await append(first.caseId, 'application', [recorded('bank 7001')], before).catch((error: unknown) => error);
    expect(underLoan).toBeInstanceOf(DomainError);
    expect(underLoan).toMatchObject({ kind: 'conflict', code: 'bank-reference-used', message: expect.stringContaining('已登记为办件 CY-2026-900001 的放款（登记时写作 BANK-7001）'), issues: [expect.objectContaining({ field: 'bankReference' })] });
    expect(await versionOf(first.caseId)).toBe(before);

    await append(first.caseId, 'application', [recorded('HP-7002'), { type: 'ApplicationCompleted', data: { completedAt: '2026-11-26T02:00:00.000Z', totalPaidFen: 1_000_000 } }], before);
    expect(await heldFor(first.caseId)).toEqual([{ reference_key: 'HP7002', case_id: first.caseId, kind: 'payout', reference: 'HP-7002' }]);
    expect(await moneyReferenceElsewhere(database.db, { caseId: disbursed, reference: 'hp 7002' })).toEqual({ caseId: first.caseId, referenceNo: first.referenceNo, kind: 'payout', reference: 'HP-7002' });
    // The case's own payment is not another case's.
    expect(await moneyReferenceElsewhere(database.db, { caseId: first.caseId, reference: 'HP-7002' })).toBeNull();

    // Another award under the first one's transfer.
    const second = await awardDue();
    const underAward = await append(second.caseId, 'application', [recorded('hp7002')], await versionOf(second.caseId)).catch((error: unknown) => error);
    expect(underAward).toMatchObject({ kind: 'conflict', code: 'bank-reference-used', message: expect.stringContaining(`已登记为办件 ${first.referenceNo} 的奖补拨付（登记时写作 HP-7002）`) });
    // A loan disbursed under an award's transfer.
    const loanUnderAward = await loan(2, 'HP—7002').catch((error: unknown) => error);
    expect(loanUnderAward).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(`已登记为办件 ${first.referenceNo} 的奖补拨付`) });
  });

  it('goes down to loans only, and up again entering the payouts recorded meanwhile', async () => {
    const { ownerDb } = database;
    await payoutReferencesHeldOnce.down(ownerDb);
    const award = await awardDue();
    // Without the change, a payout's reference is not held.
    await append(award.caseId, 'application', [recorded('HP-7003')], await versionOf(award.caseId));
    expect(await heldFor(award.caseId)).toEqual([]);
    await payoutReferencesHeldOnce.up(ownerDb);
    // Up again: what was recorded meanwhile is entered, and held.
    expect(await heldFor(award.caseId)).toEqual([{ reference_key: 'HP7003', case_id: award.caseId, kind: 'payout', reference: 'HP-7003' }]);
    const refused = await loan(3, 'hp 7003').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(`已登记为办件 ${award.referenceNo} 的奖补拨付`) });
  });
});
