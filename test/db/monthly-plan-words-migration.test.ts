import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as monthlyPlanWords from '../../db/migrations/2026-12-05T01-00_monthly-plan-first-payment.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ApplicationEvent, WorkingDayWindow } from '../../domain/applications/events.js';
import { endOfShanghaiDay, parseLocalDate, type LocalDate } from '../../domain/time/local-date.js';
import { applicationSubmitted, yangpuApprover, yangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const ref = (a: { accountId: string; displayName: string }) => ({ accountId: a.accountId, displayName: a.displayName });
const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: parseLocalDate('2026-11-20'), lastWorkingDay: parseLocalDate('2026-11-27'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-11-27'))).toISOString(), provisional: false };

/** A 杨浦人才租房补贴 of 8,000.00 a month for `months` months, approved and granted on `awardedOn` (to a person of its own in the ledger, funded once). */
function grantedRentSubsidy(caseId: string, awardedOn: LocalDate, months: number): ApplicationEvent[] {
  return [
    applicationSubmitted(caseId, 'yangpu-talent-rent', { submittedOn: parseLocalDate('2026-11-20'), window: WINDOW }),
    { type: 'MaterialsAccepted', data: { by: ref(yangpuReviewer), acceptedAt: '2026-11-23T02:00:00.000Z' } },
    { type: 'ApplicationScored', data: { by: ref(yangpuReviewer), score: 80, comments: '', scoredAt: '2026-11-24T02:00:00.000Z' } },
    { type: 'ApplicationApproved', data: { by: ref(yangpuApprover), approvedAmountFen: 800_000 * months, notes: '', decidedAt: `${awardedOn}T02:00:00.000Z`, decidedOn: awardedOn, byDirector: false } },
    {
      type: 'AwardGranted',
      data: {
        awardId: `AW-${caseId}`, programmeId: 'yangpu-talent-rent', catalogueVersion: '2026-12-03', applicantAccountId: `acct-renter-${caseId}`, itemId: `person-${caseId}`, amountFen: 800_000 * months, awardedOn,
        plan: { kind: 'monthly', monthlyFen: 800_000, months, startOn: awardedOn },
      },
    },
  ] as ApplicationEvent[];
}

describe('migration 2026-12-05T01-00: a monthly subsidy’s plan names its first payment’s day, in rows projected before', () => {
  it('says when the first and the last payment are made, not 自<award date>起, and the migration writes those words into older rows exactly as the projection does', async () => {
    const { db, ownerDb } = database;
    const cases = [
      { caseId: randomUUID(), awardedOn: parseLocalDate('2026-12-05'), months: 36, words: '每月发放 8,000.00元，共 36 个月，2027年1月5日首次发放，2029年12月5日末次发放', before: '自2026年12月5日起每月发放 8,000.00元，共 36 个月' },
      // The first payment a month after the 31st is on the month's last day.
      { caseId: randomUUID(), awardedOn: parseLocalDate('2027-01-31'), months: 2, words: '每月发放 8,000.00元，共 2 个月，2027年2月28日首次发放，2027年3月31日末次发放', before: '自2027年1月31日起每月发放 8,000.00元，共 2 个月' },
      { caseId: randomUUID(), awardedOn: parseLocalDate('2026-12-05'), months: 1, words: '每月发放 8,000.00元，共 1 个月，于2027年1月5日发放', before: '自2026年12月5日起每月发放 8,000.00元，共 1 个月' },
    ];
    for (const { caseId, awardedOn, months } of cases) {
      const events = grantedRentSubsidy(caseId, awardedOn, months).map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...yangpuApprover, role: 'official' as const }, correlationId: caseId, causationId: caseId } }));
      await appendToStream(db, { streamId: caseId, streamType: 'application', expectedVersion: 0, events }, { now: () => new Date(), project: projectReadModels });
    }
    const ids = cases.map((c) => c.caseId);
    const rows = () => db.selectFrom('cases').select(['case_id', 'details']).where('case_id', 'in', ids).orderBy('case_id').execute();
    const words = (from: Awaited<ReturnType<typeof rows>>, caseId: string) => (from.find((r) => r.case_id === caseId)!.details as { award: { planInWords: string } }).award.planInWords;
    const projected = await rows();
    for (const c of cases) expect(words(projected, c.caseId)).toBe(c.words);

    // As rows projected before the change: the award date as the start of the payments. The migration writes the new words back exactly.
    await monthlyPlanWords.down(ownerDb);
    const before = await rows();
    for (const c of cases) expect(words(before, c.caseId)).toBe(c.before);
    await monthlyPlanWords.up(ownerDb);
    expect(await rows()).toEqual(projected);
  });
});
