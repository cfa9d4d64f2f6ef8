import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as callChangersSinceApproval from '../../db/migrations/2026-12-05T14-20_call-changers-since-approval.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import { decideCall, decideCallOpening } from '../../domain/calls/decide.js';
import type { CallEvent } from '../../domain/calls/events.js';
import { parseShanghaiDateTime } from '../../domain/calls/shanghai-time.js';
import { foldCall } from '../../domain/calls/state.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { yangpuApprover, yangpuDirector, yangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock, newEvent } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const NOW = '2026-09-01T02:00:00.000Z';

/** A call opened by the reviewer and taken through `steps` (each an official's command), appended event by event. */
async function call(n: number, steps: [typeof yangpuReviewer, Parameters<typeof decideCall>[0]][]): Promise<string> {
  const callId = randomUUID();
  const now = Date.parse(NOW);
  let events: CallEvent[] = decideCallOpening(
    {
      type: 'OpenCall',
      callId,
      referenceNo: `PC-2026-${callId.slice(0, 6)}`,
      programmeId: 'yangpu-content-award',
      catalogueVersion: CATALOGUE_VERSION,
      title: `批次 ${n}`,
      opensAt: parseShanghaiDateTime('2027-03-01T09:00') + n * 90 * 86_400_000,
      closesAt: parseShanghaiDateTime('2027-04-01T09:00') + n * 90 * 86_400_000,
      budgetFen: 100_000_000,
      quota: 3,
      mode: 'first-come',
    },
    { actor: yangpuReviewer, now },
  );
  const append = (version: number, batch: CallEvent[]) =>
    appendToStream(database.db, { streamId: callId, streamType: 'call', expectedVersion: version, events: batch.map((e) => newEvent(e.type, e.data as Record<string, unknown>)) }, { now: fixedClock(NOW), project: projectReadModels });
  await append(0, events);
  for (const [actor, command] of steps) {
    const decided = decideCall(command, foldCall(events), { actor, now });
    await append(events.length, decided);
    events = [...events, ...decided];
  }
  return callId;
}

describe('migration 2026-12-05T14-20: a call keeps who changed it since its budget was approved', () => {
  it('gives the rows folded before the list the fold now writes: opened only, approved, and changed by two after the approval', async () => {
    const ids = [
      await call(1, []),
      await call(2, [[yangpuApprover, { type: 'ApproveCallBudget' }]]),
      await call(3, [
        [yangpuApprover, { type: 'ApproveCallBudget' }],
        [yangpuApprover, { type: 'ChangeCall', quota: 30 }],
        [yangpuDirector, { type: 'ChangeCall', title: '批次 3（改）' }],
        [yangpuApprover, { type: 'ChangeCall', quota: 20 }],
      ]),
    ];
    const states = async () => (await database.ownerDb.selectFrom('cases').select(['case_id', 'state']).where('case_id', 'in', ids).execute()).sort((a, b) => ids.indexOf(a.case_id) - ids.indexOf(b.case_id)).map((r) => r.state as Record<string, unknown>);
    const projected = await states();
    const who = (s: Record<string, unknown>) => (s.changedSinceApprovalBy as { accountId: string }[] | undefined)?.map((a) => a.accountId);
    expect(projected.map(who)).toEqual([[yangpuReviewer.accountId], undefined, [yangpuApprover.accountId, yangpuDirector.accountId]]);

    await callChangersSinceApproval.down(database.ownerDb);
    expect((await states()).map(who)).toEqual([undefined, undefined, undefined]);
    await callChangersSinceApproval.up(database.ownerDb);
    expect(await states()).toEqual(projected);
  });

  it('refuses the budget’s approval to anyone on the list, not only the last to change the call', () => {
    const now = Date.parse(NOW);
    const opened = decideCallOpening(
      { type: 'OpenCall', callId: randomUUID(), referenceNo: 'PC-2026-000001', programmeId: 'yangpu-content-award', catalogueVersion: CATALOGUE_VERSION, title: '批次', opensAt: parseShanghaiDateTime('2027-03-01T09:00'), closesAt: parseShanghaiDateTime('2027-04-01T09:00'), budgetFen: 100_000_000, quota: 3, mode: 'first-come' },
      { actor: yangpuReviewer, now },
    );
    let events: CallEvent[] = [...opened, ...decideCall({ type: 'ApproveCallBudget' }, foldCall(opened), { actor: yangpuApprover, now })];
    for (const [actor, command] of [[yangpuApprover, { type: 'ChangeCall', quota: 30 }], [yangpuDirector, { type: 'ChangeCall', title: '批次（改）' }]] as const) {
      // A quota raised awaits approval again (as the workflow decides it, having asked the change).
      events = [...events, ...decideCall(command, foldCall(events), { actor, now, quotaNeedsApproval: true })];
    }
    expect(() => decideCall({ type: 'ApproveCallBudget' }, foldCall(events), { actor: yangpuApprover, now })).toThrow(/预算须由另一名工作人员审批：.*在上次审批后修改了申报批次/);
    // A history recorded before the change replays as it was: only the last to change it was refused.
    expect(decideCall({ type: 'ApproveCallBudget' }, foldCall(events), { actor: yangpuApprover, now, patched: () => false }).map((e) => e.type)).toEqual(['CallBudgetApproved']);
    expect(() => decideCall({ type: 'ApproveCallBudget' }, foldCall(events), { actor: yangpuDirector, now })).toThrow(/最后修改/);
  });
});
