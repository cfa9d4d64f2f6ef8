/**
 * A 补正 request's reply period through the case modules, as the driver runs them: `prepare` looks
 * the last day up in the calendar (the real look-up activity on the packaged calendar) and `decide`
 * records it. 民法典 第二百零三条: a period whose last day is a rest day ends on the next working day.
 */
import { describe, expect, it } from 'vitest';
import { createApplicationActivities } from '../../activities/applications.activities.js';
import { chuyingLoanCase } from '../../cases/chuying-loan.case.js';
import type { CaseLookups, DecisionSupport } from '../../cases/case-module.js';
import { SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH } from '../../cases/supplement-reply.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Db } from '../../db/client.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { fundReviewer } from '../support/actors.js';
import { history, MISSING_ITEMS } from '../domain/chuying-loan.fixtures.js';

const { computeWorkingDayWindow } = createApplicationActivities({ db: undefined as unknown as Db, calendar: async () => packagedCalendar() });

function support(now: string, patched: boolean): DecisionSupport & { asked: unknown[]; patches: string[] } {
  const asked: unknown[] = [];
  const patches: string[] = [];
  const lookups = {
    computeWorkingDayWindow: async (input: Parameters<typeof computeWorkingDayWindow>[0]) => (asked.push(input), computeWorkingDayWindow(input)),
  } as unknown as CaseLookups;
  return { lookups, caseId: 'case-1', now: () => Date.parse(now), uuid: () => 'u', patched: (id) => (patches.push(id), patched), asked, patches };
}

async function replyDueOn(now: string, patched = true): Promise<{ dueOn: unknown; ask: ReturnType<typeof support> }> {
  const ask = support(now, patched);
  const state = foldChuyingLoan(history.completenessCheck);
  const command = { type: 'RequestSupplement' as const, missingItems: MISSING_ITEMS };
  const prepared = await chuyingLoanCase.prepare!(command, state, ask);
  const [event] = chuyingLoanCase.decide(command, state, { actor: fundReviewer, now: ask.now(), legacy: false, prepared });
  return { dueOn: (event as { data: { replyDueOn: unknown } }).data.replyDueOn, ask };
}

describe('the 补正 reply period of a loan', () => {
  it.each([
    // 30 days from Thu 3 Dec 2026 reach Sat 2 Jan 2027, a rest day (and 元旦 on the Friday before): Mon 4 Jan.
    ['2026-12-03T02:00:00Z', '2027-01-04'],
    // From Fri 4 Sep 2026 they reach Sun 4 Oct, inside the 国庆 holiday (1–7 Oct): Thu 8 Oct.
    ['2026-09-04T02:00:00Z', '2026-10-08'],
    // From Tue 10 Nov 2026 they reach Thu 10 Dec, a working day: that day.
    ['2026-11-10T02:00:00Z', '2026-12-10'],
  ])('requested at %s is due on %s', async (now, expected) => {
    const { dueOn, ask } = await replyDueOn(now);
    expect(dueOn).toBe(expected);
    expect(ask.patches).toEqual([SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH]);
  });

  it('keeps the bare 30 days, asking nothing, when replaying a history recorded before the change', async () => {
    const { dueOn, ask } = await replyDueOn('2026-12-03T02:00:00Z', false);
    expect(dueOn).toBe('2027-01-02');
    expect(ask.asked).toEqual([]);
  });
});
