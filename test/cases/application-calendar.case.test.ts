/**
 * The application module's answer to a loaded calendar year while its award is on 公示: the window
 * counted on weekends only is counted again through the look-up (so the answer is in history), and
 * only in cases that run with the change (histories before it asked nothing on the signal).
 */
import { describe, expect, it } from 'vitest';
import { applicationCase } from '../../cases/application.case.js';
import type { CaseLookups, DecisionSupport } from '../../cases/case-module.js';
import { initialApplicationState, type ApplicationState } from '../../domain/applications/state.js';
import { publicityNextStep } from '../../domain/publicity/decide.js';
import { foldPublicity } from '../../domain/publicity/state.js';
import { publicityWindow } from '../../domain/publicity/window.js';
import { parseLocalDate, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar } from '../../domain/time/working-days.js';

const d = parseLocalDate;
const only2026 = createWorkingDayCalendar([{ year: 2026, holidays: [], makeUpWorkdays: [] }]);
const loaded = createWorkingDayCalendar([
  { year: 2026, holidays: [], makeUpWorkdays: [] },
  { year: 2027, holidays: [d('2027-01-01'), d('2027-01-04')], makeUpWorkdays: [] },
]);
const provisional = publicityWindow(only2026, d('2026-12-30'));
const onNotice: ApplicationState = {
  ...initialApplicationState(),
  status: 'publicity',
  publicity: foldPublicity([
    {
      type: 'PublicityStarted',
      data: {
        caseId: 'case-1',
        referenceNo: 'AP-2026-000001',
        callId: 'call-1',
        programme: { id: 'huangpu-creator-reward', name: '黄浦区优秀创作者奖励' },
        department: 'huangpu',
        recipient: { kind: 'company', name: '上海外滩内容载体运营有限公司' },
        publicName: '上海外滩内容载体运营有限公司',
        amountFen: 5_000_000,
        window: provisional,
        startedAt: new Date(startOfShanghaiDay(d('2026-12-30')) + 9 * 3_600_000).toISOString(),
      },
    },
  ]),
};
const reason = { calendarYear: 2027, revision: 1 } as never;

function ask(patched: boolean): DecisionSupport & { asked: unknown[] } {
  const asked: unknown[] = [];
  const lookups = {
    computePublicityWindow: async (input: { publishedOn: string; workingDays: number }) => {
      asked.push(input);
      return publicityWindow(loaded, d(input.publishedOn), input.workingDays);
    },
  } as unknown as CaseLookups;
  return { lookups, caseId: 'case-1', now: () => Date.parse('2026-12-31T02:00:00Z'), uuid: () => 'u', patched: () => patched, asked };
}

describe('an award on 公示 when its year is loaded', () => {
  it('counts the provisional window again through the look-up and records both windows', async () => {
    const support = ask(true);
    const events = await applicationCase.calendar!.recompute(onNotice, reason, support);
    expect(support.asked).toEqual([{ publishedOn: '2026-12-30', workingDays: 5 }]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'PublicityWindowRecomputed', data: { previous: provisional, current: { provisional: false } } });
    const after = events.reduce(applicationCase.evolve, onNotice);
    expect(after.publicity!.window!.lastWorkingDay).toBe(publicityWindow(loaded, d('2026-12-30')).lastWorkingDay);
    expect(publicityNextStep(after.publicity!).deadline).toMatchObject({ dueOn: after.publicity!.window!.lastWorkingDay, provisional: false });
  });

  it('asks nothing in a history recorded before the change', async () => {
    const support = ask(false);
    expect(await applicationCase.calendar!.recompute(onNotice, reason, support)).toEqual([]);
    expect(support.asked).toEqual([]);
  });
});
