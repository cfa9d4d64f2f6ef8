/**
 * A competitive call closed while some of its applications are still being checked: the list may
 * not be proposed until every application filed in time has reached the panel or left the call
 * (withdrawn, rejected, deemed withdrawn), so none is left waiting for a panel that already ranked.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCallActivities } from '../../activities/calls.activities.js';
import type { WorkflowHandle } from '@temporalio/client';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { CallState } from '../../domain/calls/state.js';
import { cacReviewer } from '../support/actors.js';
import { xuhuiApprover, xuhuiReviewer } from '../support/applications.js';
import { useCaseWorker } from '../support/case-worker.js';
import { refusal } from '../support/workflow-updates.js';
import { applicationAct, applyToXuhuiCall, callAct, CRITERIA, openXuhuiCall, panelMembers, sheet, verifyStatedFacts } from '../support/xuhui-competitive-call.js';

const harness = useCaseWorker('panel-waits-for-reviews');
const { memberA, memberB, insert } = panelMembers('waits');
beforeAll(() => insert(harness));

const statusOf = async (handle: WorkflowHandle) => (await handle.query<ApplicationState>('applicationState')).status;

describe('a competitive call closed while applications are still being checked', () => {
  it('refuses the list, saying how many wait at which step, until each has reached the panel or left the call', async () => {
    const { callId, call } = await openXuhuiCall(harness, 1);
    const apply = (name: string) => applyToXuhuiCall(harness, name);
    const verify = verifyStatedFacts;
    // One reaches the panel and is scored; one is still in 材料审查, one awaits its 补正, one is at the 网信 review.
    const scored = await apply('上海徐汇光影文化有限公司');
    await applicationAct(scored.handle, xuhuiReviewer, { type: 'AcceptMaterials' });
    await applicationAct(scored.handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
    await verify(scored.handle);
    const unchecked = await apply('上海漕河泾短剧工作室');
    const asked = await apply('上海龙华影视有限公司');
    await applicationAct(asked.handle, xuhuiReviewer, { type: 'RequestSupplement', missingItems: ['作品样片'] });
    const atCac = await apply('上海衡山路影视有限公司');
    await applicationAct(atCac.handle, xuhuiReviewer, { type: 'AcceptMaterials' });
    expect([await statusOf(scored.handle), await statusOf(unchecked.handle), await statusOf(asked.handle), await statusOf(atCac.handle)]).toEqual(['panel-review', 'completeness-check', 'awaiting-supplement', 'compliance-review']);

    await callAct(call, xuhuiReviewer, { type: 'NamePanel', memberAccountIds: [memberA.accountId, memberB.accountId], criteria: CRITERIA, minScorers: 2 });
    for (const member of [memberA, memberB]) {
      await callAct(call, member, { type: 'DeclareNoConflict', caseId: scored.input.caseId });
      await callAct(call, member, { type: 'SubmitScore', caseId: scored.input.caseId, scores: sheet(90) });
    }
    await callAct(call, xuhuiApprover, { type: 'CloseCall', reason: '申报数量已满足评审需要' });

    const early = await refusal(callAct(call, xuhuiReviewer, { type: 'ProposeList' }));
    expect(early.type).toBe('illegal-state');
    expect(early.message).toBe('尚有 3 件申请未审查完毕（材料审查 1 件、待补正 1 件、网信内容审查 1 件），审查完毕后才能拟定资助名单。');
    expect((await call.query<CallState>('callState')).panel.list).toBeUndefined();
    // What the call's page tells the office: the count by step.
    const calls = createCallActivities({ db: harness.database.db });
    expect(await calls.applicationsBeforePanel({ callId })).toEqual([
      { status: 'completeness-check', count: 1 },
      { status: 'awaiting-supplement', count: 1 },
      { status: 'compliance-review', count: 1 },
    ]);

    // Those that leave the call no longer hold it up; the one that reaches the panel is scored, then the list is ranked with it.
    await applicationAct(unchecked.handle, unchecked.who, { type: 'Withdraw', reason: '项目暂停' });
    await applicationAct(asked.handle, asked.who, { type: 'Withdraw', reason: '无法提供样片' });
    expect((await refusal(callAct(call, xuhuiReviewer, { type: 'ProposeList' }))).message).toContain('尚有 1 件申请未审查完毕（网信内容审查 1 件）');
    await applicationAct(atCac.handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
    await verify(atCac.handle);
    expect((await refusal(callAct(call, xuhuiReviewer, { type: 'ProposeList' }))).message).toContain(atCac.input.referenceNo);
    for (const member of [memberA, memberB]) {
      await callAct(call, member, { type: 'DeclareNoConflict', caseId: atCac.input.caseId });
      await callAct(call, member, { type: 'SubmitScore', caseId: atCac.input.caseId, scores: sheet(95) });
    }
    expect(await calls.applicationsBeforePanel({ callId })).toEqual([]);
    await callAct(call, xuhuiReviewer, { type: 'ProposeList' });
    const list = (await call.query<CallState>('callState')).panel.list!;
    expect(list.proposed.map((p) => p.caseId)).toEqual([atCac.input.caseId]);
    expect(list.passedOver.map((p) => p.caseId)).toEqual([scored.input.caseId]);
  });
});
