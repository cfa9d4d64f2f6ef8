import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_STREAM_TYPE } from '../../cases/call.case.js';
import * as rankingRanksOnlyRankable from '../../db/migrations/2026-12-06T13-00_ranking-ranks-only-rankable.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { CallEvent } from '../../domain/calls/events.js';
import { weightedTotal } from '../../domain/panels/scoring.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const office = { accountId: 'hp-office', displayName: '黄浦项目办' };
const members = [
  { accountId: 'hp-rev-a', displayName: '甲评审', kind: 'official' as const },
  { accountId: 'exp-b', displayName: '乙专家', kind: 'expert' as const },
  { accountId: 'exp-c', displayName: '丙专家', kind: 'expert' as const },
];
const CRITERIA = [{ id: 'content', name: '内容质量', weightPercent: 100, maxPoints: 100 }];
const sheet = (points: number) => [{ criterionId: 'content', points, comment: '选题扎实' }];

/** A competitive call with a panel needing two valid scores: three applications, the best-scored by one member only. */
function callLife(callId: string): CallEvent[] {
  const application = (n: number) => ({ caseId: randomUUID(), referenceNo: `AP-2026-00000${n}`, applicantName: `申请人${n}`, amountFen: 30_000_000, submittedAt: `2026-10-0${n}T02:00:00.000Z` });
  const [a1, a2] = [application(1), application(2)];
  const at = '2026-11-16T02:00:00.000Z';
  const score = (member: (typeof members)[number], caseId: string, points: number): CallEvent[] => [
    { type: 'NoConflictDeclared', data: { caseId, member, declaredAt: at } },
    { type: 'ScoreSubmitted', data: { caseId, member, scores: sheet(points), total: weightedTotal(CRITERIA, sheet(points)), submittedAt: at } },
  ] as CallEvent[];
  const recuse = (member: (typeof members)[number], caseId: string): CallEvent => ({ type: 'ConflictDeclared', data: { caseId, member, reason: '曾为该公司提供咨询', declaredAt: at, voidsScore: false } }) as CallEvent;
  const a3 = application(3);
  return [
    { type: 'CallOpened', data: { callId, referenceNo: `PC-2026-${callId.slice(0, 6)}`, programmeId: 'huangpu-quality-creator', programmeName: '黄浦优质创作者奖励', department: 'huangpu', catalogueVersion: '2026.1', title: '2026 年度黄浦优质创作者评选', opensAt: '2026-10-01T00:00:00.000Z', closesAt: '2026-11-15T16:00:00.000Z', budgetFen: 100_000_000, quota: 1, mode: 'competitive', publicityWorkingDays: 5, openedBy: office, openedAt: '2026-09-20T02:00:00.000Z' } },
    { type: 'CallBudgetApproved', data: { budgetFen: 100_000_000, by: office, approvedAt: '2026-09-25T02:00:00.000Z' } },
    { type: 'PanelNamed', data: { callId, department: 'huangpu', members, criteria: CRITERIA, minScorers: 2, by: office, namedAt: at } },
    { type: 'ApplicationReferred', data: { application: a1, referredAt: at } },
    { type: 'ApplicationReferred', data: { application: a2, referredAt: at } },
    { type: 'ApplicationReferred', data: { application: a3, referredAt: at } },
    ...score(members[0]!, a1.caseId, 95),
    ...score(members[0]!, a2.caseId, 70),
    ...score(members[1]!, a2.caseId, 80),
    recuse(members[2]!, a3.caseId),
    ...score(members[0]!, a3.caseId, 60),
    ...score(members[1]!, a3.caseId, 60),
  ] as CallEvent[];
}

describe('migration 2026-12-06T13-00: a call’s ranking numbers only the applications with the scores it needs', () => {
  it('rewrites each older call row as the projection now writes it: ranked ones first, numbered; one short of scorers after them, with no number', async () => {
    const { db, ownerDb } = database;
    const callId = randomUUID();
    const events = callLife(callId).map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...office, role: 'official' as const, department: 'huangpu' as const }, correlationId: callId, causationId: callId } }));
    await appendToStream(db, { streamId: callId, streamType: CALL_STREAM_TYPE, expectedVersion: 0, events }, { now: () => new Date(), project: projectReadModels });
    const details = async () => (await db.selectFrom('cases').select('details').where('case_id', '=', callId).executeTakeFirstOrThrow()).details as { panel: { ranking: { referenceNo: string; rank: number | null; rankable: boolean }[] } };
    const projected = await details();
    expect(projected.panel.ranking.map((r) => [r.referenceNo, r.rank, r.rankable])).toEqual([
      ['AP-2026-000002', 1, true],
      ['AP-2026-000003', 2, true],
      ['AP-2026-000001', null, false],
    ]);

    // As rows projected before the change: every row numbered in one order of merit, the short one first.
    await rankingRanksOnlyRankable.down(ownerDb);
    expect((await details()).panel.ranking.map((r) => [r.referenceNo, r.rank])).toEqual([
      ['AP-2026-000001', 1],
      ['AP-2026-000002', 2],
      ['AP-2026-000003', 3],
    ]);
    await rankingRanksOnlyRankable.up(ownerDb);
    expect(await details()).toEqual(projected);
  });
});
