import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallActivities } from '../../activities/calls.activities.js';
import { appendToStream } from '../../db/event-store.js';
import type { BudgetMovement } from '../../domain/calls/ledger.js';
import { projectReadModels } from '../../db/projections/index.js';
import { decideCall, decideCallOpening } from '../../domain/calls/decide.js';
import { parseShanghaiDateTime } from '../../domain/calls/shanghai-time.js';
import { foldCall } from '../../domain/calls/state.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { yangpuApprover, yangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock, newEvent } from '../db/support.js';

let database: TestDatabase;
let calls: ReturnType<typeof createCallActivities>;

beforeAll(async () => {
  database = await createTestDatabase();
  calls = createCallActivities({ db: database.db });
});

afterAll(async () => {
  await database?.drop();
});

const at = parseShanghaiDateTime;
const NOW = at('2026-01-05T09:00');

/** A call of the programme between two Shanghai date-times, its budget approved unless `draft`. */
async function call(programmeId: string, title: string, opens: string, closes: string, options: { draft?: boolean; mode?: 'competitive' | 'first-come'; budgetFen?: number; quota?: number } = {}): Promise<string> {
  const callId = randomUUID();
  const opened = decideCallOpening(
    { type: 'OpenCall', callId, referenceNo: `PC-${callId.slice(0, 6)}`, programmeId, catalogueVersion: CATALOGUE_VERSION, title, opensAt: at(opens), closesAt: at(closes), budgetFen: options.budgetFen ?? 100_000_000, mode: options.mode ?? 'competitive', ...(options.quota ? { quota: options.quota } : {}) },
    { actor: yangpuReviewer, now: NOW },
  );
  const events = options.draft ? opened : [...opened, ...decideCall({ type: 'ApproveCallBudget' }, foldCall(opened), { actor: yangpuApprover, now: NOW })];
  await appendToStream(
    database.db,
    { streamId: callId, streamType: 'call', expectedVersion: 0, events: events.map((e) => newEvent(e.type, e.data as Record<string, unknown>)) },
    { now: fixedClock(new Date(NOW).toISOString()), project: projectReadModels },
  );
  return callId;
}

describe('findOpenCall', () => {
  it('a programme that has never had a call is continuous', async () => {
    expect(await calls.findOpenCall({ programmeId: 'yangpu-content-award', at: NOW })).toEqual({ runByCalls: false });
  });

  it('answers the open call; outside one, names the dates of the next call, or of the last once all are over', async () => {
    await call('yangpu-honour-title', '2026 年度杨浦创作者荣誉称号（春季）', '2026-03-01T09:00', '2026-03-31T17:00');
    const autumn = await call('yangpu-honour-title', '2026 年度杨浦创作者荣誉称号（秋季）', '2026-09-20T09:00', '2026-10-31T17:00');

    expect(await calls.findOpenCall({ programmeId: 'yangpu-honour-title', at: at('2026-10-01T10:00') })).toMatchObject({ runByCalls: true, call: { callId: autumn, title: '2026 年度杨浦创作者荣誉称号（秋季）', publicityWorkingDays: 5 } });
    const between = await calls.findOpenCall({ programmeId: 'yangpu-honour-title', at: at('2026-04-15T10:00') });
    expect(between).toEqual({
      runByCalls: true,
      call: null,
      refusal: '「2026 年度杨浦创作者荣誉称号（秋季）」申报时间为 2026年9月20日 09:00 至 2026年10月31日 17:00（北京时间），现在不在申报期内',
      nearest: expect.objectContaining({ callId: autumn }),
    });
    const after = await calls.findOpenCall({ programmeId: 'yangpu-honour-title', at: at('2026-11-15T10:00') });
    expect(after).toMatchObject({ runByCalls: true, call: null, nearest: { callId: autumn } });
    // The close instant itself is outside the call.
    expect(await calls.findOpenCall({ programmeId: 'yangpu-honour-title', at: at('2026-10-31T17:00') })).toMatchObject({ call: null });
  });

  it('a first-come call whose budget is used up takes no more applications: refused saying so, that it is still listed, and which call is next', async () => {
    const programmeId = 'yangpu-event-support';
    const summer = await call(programmeId, '2026 年度杨浦活动节展支持（夏季）', '2026-06-01T09:00', '2026-08-31T17:00', { mode: 'first-come', budgetFen: 1_000_000 });
    const inSummer = at('2026-07-01T10:00');
    expect(await calls.findOpenCall({ programmeId, at: inSummer })).toMatchObject({ runByCalls: true, call: { callId: summer } });
    // Approvals commit part of the budget: still open.
    const commit = (amountFen: number) =>
      appendToStream(
        database.db,
        { streamId: randomUUID(), streamType: 'test-award', expectedVersion: 0, events: [newEvent('AwardGranted', { amountFen, budgetMovements: [{ callId: summer, kind: 'commit', amountFen } satisfies BudgetMovement] })] },
        { now: fixedClock(new Date(NOW).toISOString()), project: projectReadModels },
      );
    await commit(600_000);
    expect(await calls.findOpenCall({ programmeId, at: inSummer })).toMatchObject({ call: { callId: summer } });
    // All of it committed: refused, with no call named as next yet.
    await commit(400_000);
    expect(await calls.findOpenCall({ programmeId, at: inSummer })).toEqual({
      runByCalls: true,
      call: null,
      refusal: '申报批次「2026 年度杨浦活动节展支持（夏季）」为先到先审，预算已用完（10,000.00 元已全部核定），不再受理申报；该批次仍在申报批次列表中列出至 2026年8月31日 17:00（北京时间）。目前没有下一批次的安排，请留意申报批次列表',
      nearest: expect.objectContaining({ callId: summer }),
    });
    // A later call planned: named, with its dates.
    const autumn = await call(programmeId, '2026 年度杨浦活动节展支持（秋季）', '2026-09-20T09:00', '2026-10-31T17:00', { mode: 'first-come', budgetFen: 1_000_000 });
    const refused = await calls.findOpenCall({ programmeId, at: inSummer });
    expect(refused).toMatchObject({ call: null, nearest: { callId: autumn }, refusal: expect.stringContaining('下一批次「2026 年度杨浦活动节展支持（秋季）」申报时间为 2026年9月20日 09:00 至 2026年10月31日 17:00（北京时间），届时可申报') });
    expect((refused as { refusal: string }).refusal).toContain('预算已用完');
  });

  it('a first-come call whose places (名额) are all taken takes no more applications, budget left or not: refused at the place the ledger refuses an approval; a withdrawn award opens it again', async () => {
    const programmeId = 'yangpu-live-stream-vouchers';
    const title = '2026 年度杨浦直播消费券（夏季）';
    const summer = await call(programmeId, title, '2026-06-01T09:00', '2026-08-31T17:00', { mode: 'first-come', budgetFen: 100_000_000, quota: 2 });
    const inSummer = at('2026-07-01T10:00');
    // An approval's commitment, as an approval in a call now makes it: it takes one of the call's places.
    const approve = (caseId: string) =>
      appendToStream(
        database.db,
        { streamId: caseId, streamType: 'test-award', expectedVersion: 0, events: [newEvent('AwardGranted', { amountFen: 100_000, budgetMovements: [{ callId: summer, kind: 'commit', amountFen: 100_000, withinQuota: true } satisfies BudgetMovement] })] },
        { now: fixedClock(new Date(NOW).toISOString()), project: projectReadModels },
      );
    const first = randomUUID();
    await approve(first);
    expect(await calls.findOpenCall({ programmeId, at: inSummer })).toMatchObject({ call: { callId: summer } });
    await approve(randomUUID());
    // The ledger refuses a third approval: the same count refuses a third application at its submission.
    await expect(approve(randomUUID())).rejects.toThrow('本批次名额 2 个已满');
    expect(await calls.findOpenCall({ programmeId, at: inSummer })).toEqual({
      runByCalls: true,
      call: null,
      refusal: `申报批次「${title}」为先到先审，本批次名额已满（共 2 个名额，均已获批），不再受理申报；该批次仍在申报批次列表中列出至 2026年8月31日 17:00（北京时间）。目前没有下一批次的安排，请留意申报批次列表`,
      nearest: expect.objectContaining({ callId: summer }),
    });
    // A later call planned: named, with its dates.
    const autumn = await call(programmeId, '2026 年度杨浦直播消费券（秋季）', '2026-09-20T09:00', '2026-10-31T17:00', { mode: 'first-come', quota: 2 });
    expect(await calls.findOpenCall({ programmeId, at: inSummer })).toMatchObject({
      call: null,
      nearest: { callId: autumn },
      refusal: expect.stringContaining('名额已满（共 2 个名额，均已获批），不再受理申报；该批次仍在申报批次列表中列出至 2026年8月31日 17:00（北京时间）。下一批次「2026 年度杨浦直播消费券（秋季）」申报时间为 2026年9月20日 09:00 至 2026年10月31日 17:00（北京时间），届时可申报'),
    });
    // An award withdrawn gives its place back: the call takes applications again.
    await appendToStream(
      database.db,
      { streamId: first, streamType: 'test-award', expectedVersion: 1, events: [newEvent('AwardWithdrawn', { budgetMovements: [{ callId: summer, kind: 'release', amountFen: 100_000 } satisfies BudgetMovement] })] },
      { now: fixedClock(new Date(NOW).toISOString()), project: projectReadModels },
    );
    expect(await calls.findOpenCall({ programmeId, at: inSummer })).toMatchObject({ runByCalls: true, call: { callId: summer } });
  });

  it('a call whose budget awaits approval takes no application yet', async () => {
    await call('yangpu-first-home-subsidy', '2026 年度首次购房补贴', '2026-01-01T09:00', '2026-12-31T17:00', { draft: true });
    expect(await calls.findOpenCall({ programmeId: 'yangpu-first-home-subsidy', at: at('2026-02-01T10:00') })).toMatchObject({ runByCalls: true, call: null, refusal: expect.stringContaining('预算尚在审批中') });
  });
});
