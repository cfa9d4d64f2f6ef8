import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listPassedOverWithReasons from '../../db/migrations/2026-12-06T01-00_list-passed-over-with-reasons.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { CallEvent } from '../../domain/calls/events.js';
import type { PanelApplication, PanelEvent, RankedApplication } from '../../domain/panels/events.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { huangpuApprover, huangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock, newEvent } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const NOW = '2026-11-16T02:00:00.000Z';
const ref = (a: { accountId: string; displayName: string }) => ({ accountId: a.accountId, displayName: a.displayName });

/** A competitive call whose proposed list passes over an application for the item of the first, one over the budget and one for the quota. */
function callWithList(callId: string): (CallEvent | PanelEvent)[] {
  const applications: PanelApplication[] = [1, 2, 3, 4, 5].map((n) => ({ caseId: randomUUID(), referenceNo: `AP-2026-M0000${n}`, applicantName: `申请人${n}`, amountFen: n * 10_000_000, submittedAt: `2026-10-0${n}T02:00:00.000Z` }));
  const ranking: RankedApplication[] = applications.map((a, i) => ({ ...a, scorers: 2, method: 'mean', aggregate: 9_000 - i * 1_000, heaviestCriterion: 9_000 - i * 1_000, rank: i + 1 }));
  const [first, second, third, fourth, fifth] = ranking.map(({ caseId, referenceNo, rank, amountFen }) => ({ caseId, referenceNo, rank, amountFen }));
  return [
    {
      type: 'CallOpened',
      data: {
        callId, referenceNo: `PC-2026-${callId.slice(0, 6)}`, programmeId: 'huangpu-event-subsidy', programmeName: '黄浦节展赛事项目补贴', department: 'huangpu', catalogueVersion: CATALOGUE_VERSION,
        title: '2026 年度黄浦节展赛事评选', opensAt: '2026-10-01T01:00:00.000Z', closesAt: '2026-11-01T01:00:00.000Z', budgetFen: 100_000_000, quota: 2, mode: 'competitive', publicityWorkingDays: 5, openedBy: ref(huangpuReviewer), openedAt: '2026-09-20T01:00:00.000Z',
      },
    },
    { type: 'CallBudgetApproved', data: { budgetFen: 100_000_000, by: ref(huangpuApprover), approvedAt: '2026-09-21T01:00:00.000Z' } },
    { type: 'PanelNamed', data: { callId, department: 'huangpu', members: [{ ...ref(huangpuReviewer), kind: 'official' }], criteria: [{ id: 'impact', name: '影响力', weightPercent: 100, maxPoints: 100 }], minScorers: 1, by: ref(huangpuApprover), namedAt: '2026-10-02T01:00:00.000Z' } },
    ...applications.map((application): PanelEvent => ({ type: 'ApplicationReferred', data: { application, referredAt: '2026-10-05T01:00:00.000Z' } })),
    { type: 'CallEnded', data: { endedAt: '2026-11-01T01:00:00.000Z' } },
    {
      type: 'ListProposed',
      data: {
        listId: randomUUID(), by: ref(huangpuApprover), proposedAt: '2026-11-10T01:00:00.000Z', quota: 2, budgetFen: 100_000_000, ranking, proposed: [first!, third!], totalFen: 40_000_000,
        passedOver: [
          { ...second!, reason: 'same-item', remainingFen: 90_000_000, sameItemAs: { caseId: first!.caseId, referenceNo: first!.referenceNo, rank: 1, rule: 'funded-once' } },
          { ...fourth!, reason: 'over-budget', remainingFen: 30_000_000 },
          { ...fifth!, reason: 'quota-full', remainingFen: 30_000_000 },
        ],
      },
    },
  ];
}

describe('migration 2026-12-06T01-00: a proposed list names what it passes over, and why', () => {
  it('gives the rows projected before the passed-over applications the projection now writes, in its words', async () => {
    const callId = randomUUID();
    const events = callWithList(callId);
    await appendToStream(database.db, { streamId: callId, streamType: 'call', expectedVersion: 0, events: events.map((e) => newEvent(e.type, e.data as Record<string, unknown>)) }, { now: fixedClock(NOW), project: projectReadModels });
    const listOf = async () => ((await database.ownerDb.selectFrom('cases').select('details').where('case_id', '=', callId).executeTakeFirstOrThrow()).details as { panel: { list: Record<string, unknown> } }).panel.list;
    const projected = await listOf();
    expect(projected.passedOver).toEqual([
      { caseId: expect.any(String), referenceNo: 'AP-2026-M00002', rank: 2, amountFen: 20_000_000, reason: '与排名第 1 位、已列入名单的申请 AP-2026-M00001 为同一资助事项，同一事项不重复资助' },
      { caseId: expect.any(String), referenceNo: 'AP-2026-M00004', rank: 4, amountFen: 40_000_000, reason: '轮到本申请时预算余额不足以资助其申请金额' },
      { caseId: expect.any(String), referenceNo: 'AP-2026-M00005', rank: 5, amountFen: 50_000_000, reason: '资助名额已满' },
    ]);

    await listPassedOverWithReasons.down(database.ownerDb);
    expect((await listOf()).passedOver).toBeUndefined();
    await listPassedOverWithReasons.up(database.ownerDb);
    expect(await listOf()).toEqual(projected);
  });
});
