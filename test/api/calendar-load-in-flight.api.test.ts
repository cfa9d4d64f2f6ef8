import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedDateHolidaysOf } from '../../domain/time/fixed-date-holidays.js';
import { parseLocalDate, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { loadCalendarYear } from '../support/calendar.js';
import { dramaSubmission, eventually } from '../support/filings.js';

/** A calendar read the test holds after it is made, until the test lets it go: the count it makes is then on the calendar of before. */
let held: { reached: () => void; released: Promise<void> } | undefined;
let harness: ApiHarness;
let creator: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness({
    workerCalendar: (calendar) => async () => {
      const read = await calendar();
      const hold = held;
      held = undefined;
      if (hold) {
        hold.reached();
        await hold.released;
      }
      return read;
    },
  });
  creator = await harness.as('creator');
});
afterAll(() => harness?.close());

describe('a year loaded (proposed, then approved) while a case is counting on the calendar', () => {
  it('a filing that counted its deadline before the load and recorded it after is counted again: its deadline does not stay provisional', async () => {
    // Wed 30 Dec 2026, 10:00 Shanghai: a 5-working-day review reaches 2027, not loaded yet.
    const target = startOfShanghaiDay(parseLocalDate('2026-12-30')) + 10 * 3600_000;
    const now = await harness.env.currentTimeMs();
    if (target > now) await harness.env.sleep(target - now);

    let reached!: () => void;
    let release!: () => void;
    const counting = new Promise<void>((resolve) => (reached = resolve));
    held = { reached: () => reached(), released: new Promise<void>((resolve) => (release = resolve)) };
    const opening = creator('POST', '/api/cases/drama-release-filing', dramaSubmission());
    // The filing's look-up has read the calendar without 2027; nothing of the filing is recorded yet.
    await counting;
    const loaded = await loadCalendarYear(harness, 2027, { holidays: fixedDateHolidaysOf(2027), makeUpWorkdays: [], note: '测试用（非官方）' });
    expect(loaded.statusCode, loaded.body).toBe(200);
    // No read model shows the filing to the load.
    expect(loaded.json().recomputation).toEqual({ filings: 0, loans: 0, applications: 0, others: 0 });
    release();

    const opened = await opening;
    expect(opened.statusCode, opened.body).toBe(201);
    const filing = opened.json();
    // Counted on the calendar of before the load, and recorded after it. Whether the answer is read before or
    // after the recount is a race (a full CI run once answered it recounted already): the recount's event below
    // says what was recorded first.
    expect(filing.deadline).toMatchObject({ dueOn: '2027-01-07' });

    const recomputed = await eventually(async () => {
      const events = (await creator('GET', `/api/cases/${filing.caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      return events.find((e) => e.type === 'DeadlineRecomputed');
    }, 'the recomputed deadline');
    expect(recomputed.data).toMatchObject({ previous: { provisional: true, lastWorkingDay: '2027-01-07' }, current: { provisional: false, lastWorkingDay: '2027-01-07' }, reason: { calendarYear: 2027, revision: 1 } });
    expect((await creator('GET', `/api/cases/${filing.caseId}`)).json().deadline).toMatchObject({ dueOn: '2027-01-07', provisional: false });
    // The note is cleared once the count is recorded: nothing is left for the next load.
    await eventually(async () => (await harness.database.db.selectFrom('calendar_counts_in_flight').selectAll().execute()).length === 0 || undefined, 'no count in flight');
  });
});
