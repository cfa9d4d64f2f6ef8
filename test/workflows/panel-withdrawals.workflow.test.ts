/**
 * A competitive call whose applications change under the panel: an application withdrawn after the
 * panel scored it leaves the ranking when the list is proposed; a list naming one withdrawn since
 * cannot be approved (the office returns and proposes it again); a batch delivered to a case
 * withdrawn after the approval is not retried for ever; and a selected application whose item was
 * funded elsewhere since (stacking) is rejected with the reason, committing nothing.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCallActivities } from '../../activities/calls.activities.js';
import { readCallLedger } from '../../db/budget-ledger.js';
import { readStream } from '../../db/event-store.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { CallState } from '../../domain/calls/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { cacReviewer } from '../support/actors.js';
import { xuhuiReviewer } from '../support/applications.js';
import { useCaseWorker } from '../support/case-worker.js';
import { refusal } from '../support/workflow-updates.js';
import { applicationAct, applyToXuhuiCall, callAct, CRITERIA, openXuhuiCall, panelMembers, sheet, verifyStatedFacts } from '../support/xuhui-competitive-call.js';

const harness = useCaseWorker('panel-withdrawals');

const xuhuiDirector: Actor = { accountId: 'acct-xuhui-director', displayName: '卫处长', role: 'official', department: 'xuhui', duty: 'director' };
const { memberA, memberB, insert } = panelMembers('withdrawals');
beforeAll(() => insert(harness));

describe('a competitive call whose applications are withdrawn or funded elsewhere under the panel', () => {
  it('drops the withdrawn from the list, refuses a list naming one, tolerates one at delivery, and rejects a selection that would stack', async () => {
    const start = await harness.env.currentTimeMs();
    const { callId, call } = await openXuhuiCall(harness, 2);

    // Three producers apply for three dramas; each passes the completeness check and the 网信 review, then waits for the panel.
    const apply = async (name: string) => {
      const { input, handle, who } = await applyToXuhuiCall(harness, name);
      await applicationAct(handle, xuhuiReviewer, { type: 'AcceptMaterials' });
      await applicationAct(handle, cacReviewer, { type: 'PassComplianceReview', notes: '' });
      expect((await handle.query<ApplicationState>('applicationState')).status).toBe('panel-review');
      // Issue 14: the claims are verified, so the only thing that can stop the batch award is the ledger.
      await verifyStatedFacts(handle);
      return { input, handle, who };
    };
    const kept = await apply('上海徐汇光影文化有限公司');
    const early = await apply('上海漕河泾短剧工作室');
    const late = await apply('上海衡山路影视有限公司');

    await callAct(call, xuhuiReviewer, { type: 'NamePanel', memberAccountIds: [memberA.accountId, memberB.accountId], criteria: CRITERIA, minScorers: 2 });
    for (const member of [memberA, memberB]) {
      for (const [caseId, points] of [[kept.input.caseId, 90], [early.input.caseId, 85], [late.input.caseId, 80]] as const) {
        await callAct(call, member, { type: 'DeclareNoConflict', caseId });
        await callAct(call, member, { type: 'SubmitScore', caseId, scores: sheet(points) });
      }
    }

    // Scored, then withdrawn by its applicant: the proposal records that it left and ranks the other two.
    await applicationAct(early.handle, early.who, { type: 'Withdraw', reason: '已获其他渠道支持' });
    await callAct(call, xuhuiReviewer, { type: 'CloseCall', reason: '评审工作提前启动' });
    await callAct(call, xuhuiReviewer, { type: 'ProposeList' });
    let panel = (await call.query<CallState>('callState')).panel;
    expect(panel.applications.map((a) => a.caseId)).toEqual([kept.input.caseId, late.input.caseId]);
    expect(panel.list!.proposed.map((p) => p.caseId)).toEqual([kept.input.caseId, late.input.caseId]);

    // Withdrawn after the list was proposed: the director may not approve a list naming it.
    await applicationAct(late.handle, late.who, { type: 'Withdraw', reason: '项目暂停' });
    const refused = await refusal(callAct(call, xuhuiDirector, { type: 'ApproveBatch' }));
    expect(refused.type).toBe('illegal-state');
    expect(refused.message).toContain(late.input.referenceNo);
    expect(refused.message).toContain('退回名单');
    await callAct(call, xuhuiDirector, { type: 'ReturnList', reasons: ['名单中有已撤回的申请'] });
    await callAct(call, xuhuiReviewer, { type: 'ProposeList' });
    panel = (await call.query<CallState>('callState')).panel;
    expect(panel.list!.proposed.map((p) => p.caseId)).toEqual([kept.input.caseId]);

    // Meanwhile the kept drama was funded by the same measure in another case (funded once per item) — the batch cannot grant it.
    // (Since catalogue 2026-12-03 a different 徐汇 measure the sources say nothing of would only be noted for review, not refused.)
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: 'AW-ELSEWHERE-1', case_id: randomUUID(), applicant_account_id: kept.who.accountId, programme_id: 'xuhui-quality-works', catalogue_version: CATALOGUE_VERSION, item_id: kept.input.facts.itemId as string, amount_fen: 20_000_000, awarded_on: '2026-03-01', recorded_at: new Date() })
      .execute();
    await callAct(call, xuhuiDirector, { type: 'ApproveBatch' });
    expect(await kept.handle.result()).toMatchObject({ status: 'rejected' });
    const keptEvents = await readStream(harness.database.db, kept.input.caseId);
    expect(keptEvents.map((e) => e.type).slice(-3)).toEqual(['PanelReviewRecorded', 'BatchDecisionRecorded', 'ApplicationRejected']);
    expect((keptEvents.at(-1)!.data as { reasons: string[] }).reasons[0]).toMatch(/^经评审列入资助名单，但.*AW-ELSEWHERE-1.*依规不予支持。$/);
    expect(await readCallLedger(harness.database.db, callId)).toMatchObject({ committedFen: 0 });

    const callEvents = (await readStream(harness.database.db, callId)).map((e) => e.type);
    expect(callEvents.filter((t) => t === 'ApplicationLeftPanel')).toHaveLength(2);
    expect(callEvents.at(-1)).toBe('BatchApproved');

    // A delivery that meets a case withdrawn since is reported, not retried for ever.
    const deliver = createCallActivities({ db: harness.database.db, temporal: harness.env.client }).deliverBatchDecision;
    const records = [{ type: 'BatchDecisionRecorded', data: { callId, listId: 'L-late', decision: 'selected', amountFen: 10_000_000, by: { accountId: xuhuiDirector.accountId, displayName: xuhuiDirector.displayName }, decidedAt: new Date(start).toISOString(), decidedOn: '2026-01-01' } }];
    expect(await deliver({ callId, batchId: 'L-late', deliveries: [{ caseId: late.input.caseId, records: records as never }] })).toEqual({ delivered: [], alreadyRecorded: [], withdrawn: [late.input.caseId] });
  });
});
