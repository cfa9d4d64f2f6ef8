/**
 * Awards in one call put on 公示 on Mon 28 Dec 2026, five working days: the count runs into 2027,
 * whose holiday arrangement is not loaded, so the last day is 暂定 — Mon 4 Jan 2027 (元旦 off by
 * law). An objection at 23:59 of that day (Shanghai) is taken; one at 00:30 next day — still 4 Jan
 * in UTC — is refused naming the day the 公示 ended. The awards become final only after it, and
 * their payments count against the call's budget, never beyond it.
 */
import { describe, expect, it } from 'vitest';
import { readCallLedger } from '../../db/budget-ledger.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { PUBLIC_OBJECTOR } from '../../domain/applications/in-call.js';
import { endOfShanghaiDay, parseLocalDate, shanghaiDateOf, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { huangpuApprover, huangpuReviewer } from '../support/applications.js';
import { useCaseWorker } from '../support/case-worker.js';
import { approvedCarrierApplication, openHuangpuCarrierCall } from '../support/huangpu-carrier-call.js';
import { eventually } from '../support/filings.js';
import { actOnApplication as act, applicationStateOf as stateOf, refusal, sleepUntil } from '../support/workflow-updates.js';

const harness = useCaseWorker('publicity-year-end', { calendar: calendarFromDatabase });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('awards on 公示 across the year end', () => {
  it('end on the 暂定 last day in 2027; an objection at 23:59 is taken, one after 24:00 refused naming the day; final only after it, and paid within the call budget', async () => {
    const published = parseLocalDate('2026-12-28');
    await sleepUntil(harness.env, startOfShanghaiDay(published) + 10 * HOUR);
    const { env, database, taskQueue } = harness;
    expect(await env.currentTimeMs(), 'the test clock is already past 28 Dec 2026').toBeLessThan(startOfShanghaiDay(published) + 11 * HOUR);

    // A call whose budget takes exactly three awards.
    const budgetFen = 30_000_000;
    const { callId, call } = await openHuangpuCarrierCall(env, taskQueue, { title: '2026 年黄浦载体扶持（岁末批次）', budgetFen, openForMs: 60 * DAY });

    const approve = async (name: string) => (await approvedCarrierApplication(env, taskQueue, name)).handle;
    const objected = await approve('上海外滩载体运营有限公司');
    const quiet = await approve('上海南京东路载体运营有限公司');
    const alsoQuiet = await approve('上海豫园载体运营有限公司');
    // The budget is all committed: a fourth approval is refused, naming what remains.
    const fourth = await refusal(approve('上海新天地载体运营有限公司'));
    expect(fourth.message).toContain('0.00 元');

    // 28–31 Dec, then 元旦 (1 Jan) off by law and the weekend: the fifth working day is Mon 4 Jan 2027, 暂定.
    const window = (await stateOf(objected)).publicity!.window!;
    expect(window).toMatchObject({ publishedOn: '2026-12-28', lastWorkingDay: '2027-01-04', provisional: true, endsAt: '2027-01-04T16:00:00.000Z' });
    expect((await stateOf(quiet)).publicity!.window).toMatchObject({ lastWorkingDay: '2027-01-04', provisional: true });
    expect(await readCallLedger(database.db, callId)).toMatchObject({ committedFen: budgetFen, paidFen: 0, remainingFen: 0 });

    // 23:59 of the last day in Shanghai: the objection is taken, and nothing is final yet.
    const lastDayEnd = endOfShanghaiDay(parseLocalDate('2027-01-04'));
    await sleepUntil(harness.env, lastDayEnd - MINUTE);
    await act(objected, PUBLIC_OBJECTOR, { type: 'LodgeObjection', reasons: '该公司载体面积与申报不符。' });
    expect((await stateOf(objected)).publicity).toMatchObject({ status: 'objection-pending' });
    for (const handle of [quiet, alsoQuiet]) {
      expect((await stateOf(handle)).status).toBe('publicity');
      expect((await stateOf(handle)).award).toBeFalsy();
    }

    // 00:30 on 5 Jan in Shanghai — still 4 Jan in UTC: refused, naming the day the 公示 ended.
    await sleepUntil(harness.env, lastDayEnd + 30 * MINUTE);
    const refused = await refusal(act(objected, PUBLIC_OBJECTOR, { type: 'LodgeObjection', reasons: '逾期提出的异议。' }));
    expect(refused).toMatchObject({ type: 'illegal-state', message: '公示期已于 2027-01-04 24:00 结束，不再受理异议。' });
    expect((await stateOf(objected)).publicity!.objections).toHaveLength(1);

    // The award with no objection became final after the 公示 and was granted on 5 Jan (the public
    // route refuses an objection to it: test/api/publicity-ended.api.test.ts); the objected one waits for the answer.
    for (const handle of [quiet, alsoQuiet]) {
      const granted = await eventually(async () => {
        const s = await stateOf(handle);
        return s.award ? s : undefined;
      }, 'the awards without objection granted');
      expect(granted.award).toMatchObject({ awardedOn: '2027-01-05' });
    }
    expect((await stateOf(objected)).award).toBeFalsy();
    expect((await stateOf(objected)).publicity).toMatchObject({ status: 'objection-pending' });
    const objectionId = (await stateOf(objected)).publicity!.objections[0]!.objectionId;
    await act(objected, huangpuApprover, { type: 'DismissObjection', objectionId, answer: '经核查，载体面积与申报一致，异议不成立。' });
    await eventually(async () => ((await stateOf(objected)).award ? true : undefined), 'the objected award granted after the answer');

    // Granted, each payment is due (待拨付) and draws nothing until recorded: an official of 黄浦 records the three.
    expect((await readCallLedger(database.db, callId))?.paidFen).toBe(0);
    const today = shanghaiDateOf(await env.currentTimeMs());
    for (const handle of [quiet, alsoQuiet, objected]) {
      const due = await eventually(async () => (await stateOf(handle)).duePayouts?.[0], 'the payment due');
      await act(handle, huangpuReviewer, { type: 'RecordPayout', paidOn: today, bankReference: `HP-${(await stateOf(handle)).caseId}`, amountFen: due.amountFen });
    }

    // All three paid — two granted at the same instant — against the call's budget and within it.
    const ledger = await eventually(async () => {
      const l = await readCallLedger(database.db, callId);
      return l && l.paidFen === budgetFen ? l : undefined;
    }, 'the three payments in the ledger');
    expect(ledger).toMatchObject({ budgetFen, committedFen: budgetFen, paidFen: budgetFen, remainingFen: 0 });

    await call.terminate('test over');
  }, 180_000);
});
