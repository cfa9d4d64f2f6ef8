import { beforeAll, describe, expect, it } from 'vitest';
import { readCallLedger } from '../../db/budget-ledger.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { CallState } from '../../domain/calls/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { cacReviewer } from '../support/actors.js';
import { xuhuiReviewer } from '../support/applications.js';
import { useCaseWorker } from '../support/case-worker.js';
import { applicationAct, applyToXuhuiCall, callAct, CRITERIA, openXuhuiCall, panelMembers, sheet, verifyStatedFacts } from '../support/xuhui-competitive-call.js';

/**
 * A competitive list and the awards ledger's rule that an item is funded once: the list passes over an
 * application for an item funded by one ranked above it, through the real call and application
 * workflows, activities and Postgres on the time-skipping server.
 */
const harness = useCaseWorker('same-item-on-one-list');
const xuhuiDirector: Actor = { accountId: 'acct-xuhui-director', displayName: '卫处长', role: 'official', department: 'xuhui', duty: 'director' };
const { memberA, memberB, insert } = panelMembers('same-item');
beforeAll(() => insert(harness));

describe('two applications of one item on one competitive list', () => {
  it('the list passes over the lower-ranked one, which is told why; the batch is delivered and nothing is funded twice', async () => {
    const { callId, call } = await openXuhuiCall(harness, 3);
    // Two producers of one drama, its name typed two ways; a third drama besides. Each waits for the panel.
    const apply = async (name: string, itemId: string) => {
      const { input, handle } = await applyToXuhuiCall(harness, name, itemId);
      await applicationAct(handle, xuhuiReviewer, { type: 'AcceptMaterials' });
      await applicationAct(handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
      await verifyStatedFacts(handle);
      return { caseId: input.caseId, handle };
    };
    const first = await apply('上海徐汇光影文化有限公司', 'drama-城市之光');
    const second = await apply('上海漕河泾短剧工作室', 'drama 城市之光');
    const third = await apply('上海衡山路影视有限公司', 'drama-衡山路十二号');

    await callAct(call, xuhuiReviewer, { type: 'NamePanel', memberAccountIds: [memberA.accountId, memberB.accountId], criteria: CRITERIA, minScorers: 2 });
    for (const member of [memberA, memberB]) {
      for (const [caseId, points] of [[first.caseId, 90], [second.caseId, 85], [third.caseId, 80]] as const) {
        await callAct(call, member, { type: 'DeclareNoConflict', caseId });
        await callAct(call, member, { type: 'SubmitScore', caseId, scores: sheet(points) });
      }
    }
    await callAct(call, xuhuiReviewer, { type: 'CloseCall', reason: '评审工作提前启动' });
    await callAct(call, xuhuiReviewer, { type: 'ProposeList' });
    await callAct(call, xuhuiDirector, { type: 'ApproveBatch' });

    const [one, two, three] = await Promise.all([first, second, third].map(({ handle }) => handle.query<ApplicationState>('applicationState')));
    expect(one).toMatchObject({ status: 'publicity', approvedAmountFen: 50_000_000 });
    expect(three).toMatchObject({ status: 'publicity', approvedAmountFen: 50_000_000 });
    expect(two).toMatchObject({ status: 'rejected' });
    // Told why, naming the application listed for the item ahead of it.
    expect(two!.closingReasons[0]).toBe(`排名第 2 位（共 3 位），与排名第 1 位、已列入名单的申请 ${one!.referenceNo} 为同一资助事项，同一事项不重复资助，未入选。`);
    // The call's list says so, and commits the budget for the two it funds only; the ledger holds one award for the drama.
    const list = (await call.query<CallState>('callState')).panel.list!;
    expect(list.proposed.map((p) => p.caseId)).toEqual([first.caseId, third.caseId]);
    expect(list.passedOver).toEqual([expect.objectContaining({ caseId: second.caseId, reason: 'same-item', sameItemAs: expect.objectContaining({ caseId: first.caseId, rank: 1, rule: 'funded-once' }) })]);
    expect(await readCallLedger(harness.database.db, callId)).toMatchObject({ committedFen: 100_000_000 });
    const awards = await harness.database.db.selectFrom('awards').select('case_id').where('case_id', 'in', [first.caseId, second.caseId, third.caseId]).execute();
    expect(awards.map((a) => a.case_id).sort()).toEqual([first.caseId, third.caseId].sort());
  });
});
