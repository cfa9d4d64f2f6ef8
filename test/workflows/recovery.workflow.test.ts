import { randomUUID } from 'node:crypto';
import { type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { RecoveryCommand, RecoveryInput, RecoveryState } from '../../cases/recovery.case.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import type { Actor } from '../../domain/cases/actor.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { recoveryWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { applicant, fundApprover, fundReviewer, cacReviewer } from '../support/actors.js';
import { useCaseWorker } from '../support/case-worker.js';
import { eventually } from '../support/filings.js';
import { refusal } from '../support/workflow-updates.js';

const harness = useCaseWorker('recovery');
const director: Actor = { accountId: 'acct-fund-director', displayName: '刘主任', role: 'official', department: 'yangpu-fund', duty: 'director' };

type Handle = WorkflowHandle<typeof recoveryWorkflow>;
const UPDATES: Record<RecoveryCommand['type'], string> = {
  RaiseObjection: 'raiseObjection',
  AnswerObjection: 'answerObjection',
  RecordRecoveryPayment: 'recordRecoveryPayment',
  WriteOff: 'writeOff',
  ExtendTimeLimit: 'extendTimeLimit',
};
const act = (handle: Handle, actor: Actor, action: RecoveryCommand) =>
  handle.executeUpdate(caseActionUpdate<RecoveryCommand>(UPDATES[action.type]), { args: [{ actor, requestId: randomUUID(), action }] });
const stateOf = (handle: Handle) => handle.query<RecoveryState>('recoveryState');

async function open(amountFen = 1_600_000) {
  const input: RecoveryInput = {
    caseId: randomUUID(),
    referenceNo: `ZH-2026-${Math.floor(Math.random() * 1e6)}`,
    applicant,
    openedBy: fundReviewer,
    requestId: randomUUID(),
    source: { caseId: randomUUID(), referenceNo: 'AP-2026-000001', programmeId: 'yangpu-talent-rent', programmeName: '人才租房补贴' },
    department: 'yangpu-fund',
    amountFen,
    reason: '迁离杨浦后多发的两个月租房补贴',
  };
  const handle: Handle = await harness.env.client.workflow.start(recoveryWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: harness.taskQueue, args: [input] });
  await handle.executeUpdate(caseOpenedUpdate);
  return { input, handle };
}

describe('追回 (recovery) through the one case driver', () => {
  it('objection within the window, dismissed; a partial payment recorded once; the director writes off the rest', async () => {
    const { input, handle } = await open();
    let state = await stateOf(handle);
    expect(state.status).toBe('objection-period');
    expect(state.objectionWindow?.workingDays).toBe(10);
    const opened = (await readStream(harness.database.db, input.caseId))[0]!;
    // Opened by the official, in the applicant's case.
    expect(opened.metadata.actor.accountId).toBe(fundReviewer.accountId);

    // Only the applicant objects; an official of another department may not answer for the fund.
    expect((await refusal(act(handle, fundReviewer, { type: 'RaiseObjection', statement: '不是我' }))).type).toBe('forbidden');
    await act(handle, applicant, { type: 'RaiseObjection', statement: '迁离日期登记有误，应为次月' });
    expect((await stateOf(handle)).status).toBe('objection-review');
    expect((await refusal(act(handle, cacReviewer, { type: 'AnswerObjection', outcome: 'dismissed', answer: '—' }))).type).toBe('forbidden');
    await act(handle, fundApprover, { type: 'AnswerObjection', outcome: 'dismissed', answer: '经核对社保记录，迁离日期无误' });
    expect((await stateOf(handle)).status).toBe('collecting');

    const today = shanghaiDateOf(await harness.env.currentTimeMs());
    const pay = { type: 'RecordRecoveryPayment' as const, amountFen: 600_000, paidOn: today, reference: 'ZH-BANK-1' };
    const first = await act(handle, fundReviewer, pay);
    expect(first.events).toEqual(['RecoveryPaymentRecorded']);
    // The same payment again records nothing and answers with the first; the same reference with another amount is refused.
    const again = await act(handle, fundReviewer, { ...pay, reference: 'zh-bank-1 ' });
    expect(again).toMatchObject({ alreadyRecorded: true, events: [] });
    expect((await refusal(act(handle, fundReviewer, { ...pay, amountFen: 500_000 }))).type).toBe('conflict');
    expect((await refusal(act(handle, fundReviewer, { ...pay, reference: 'ZH-BANK-2', amountFen: 1_000_001 }))).type).toBe('validation');

    // A reviewer may not write off; the director may, with reasons.
    expect((await refusal(act(handle, fundApprover, { type: 'WriteOff', reasons: ['无力偿还'] }))).type).toBe('forbidden');
    await act(handle, director, { type: 'WriteOff', reasons: ['企业已注销，经追索无可执行财产'] });
    state = await stateOf(handle);
    expect(state.status).toBe('written-off');
    expect(state.recoveredFen).toBe(600_000);
    expect(state.writtenOff?.amountFen).toBe(1_000_000);
    expect(await handle.result()).toEqual({ status: 'written-off', version: state.version });

    const events = await readStream(harness.database.db, input.caseId);
    expect(events.map((e) => e.type)).toEqual([
      'RecoveryOpened',
      'ObjectionRaised',
      // The department's 10 working days to answer (issue 13).
      'TimeLimitStarted',
      'ObjectionAnswered',
      'RecoveryPaymentRecorded',
      'RecoveryWrittenOff',
      'RecoveryClosed',
    ]);
    expect(verifyChain(events)).toBeUndefined();
    const row = await harness.database.db.selectFrom('cases').selectAll().where('case_id', '=', input.caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ case_type: 'recovery', status: 'written-off', requested_fen: 1_600_000, outstanding_fen: 0, source_case_id: input.source.caseId, department: 'yangpu-fund' });
    expect(row.details).toMatchObject({ recoveredFen: 600_000, writtenOff: { amountFen: 1_000_000 } });
  });

  it('without an objection the window closes at 24:00 of the 10th working day; paying all of it closes the case as recovered', async () => {
    const { handle } = await open(800_000);
    const { objectionWindow } = await stateOf(handle);
    await harness.env.sleep(Date.parse(objectionWindow!.deadlineAt) - (await harness.env.currentTimeMs()) + 1_000);
    // The closing is recorded with its decision letter (an activity after the timer), so the status follows shortly after.
    expect(await eventually(async () => ((await stateOf(handle)).status === 'collecting' ? 'collecting' : undefined), 'the objection window to close')).toBe('collecting');
    expect((await refusal(act(handle, applicant, { type: 'RaiseObjection', statement: '迟到的异议' }))).type).toBe('illegal-state');
    const today = shanghaiDateOf(await harness.env.currentTimeMs());
    await act(handle, fundReviewer, { type: 'RecordRecoveryPayment', amountFen: 800_000, paidOn: today, reference: 'ZH-BANK-FULL' });
    expect(await handle.result()).toMatchObject({ status: 'recovered' });
  });

  it('an objection upheld withdraws the recovery', async () => {
    const { handle } = await open();
    await act(handle, applicant, { type: 'RaiseObjection', statement: '从未迁离杨浦' });
    await act(handle, fundApprover, { type: 'AnswerObjection', outcome: 'upheld', answer: '经核实申请人仍在杨浦，撤销追回' });
    expect(await handle.result()).toMatchObject({ status: 'withdrawn' });
  });
});
