import { describe, expect, it } from 'vitest';
import { countdownText, dateInWords, dateTimeInWords, dueByInWords, isoDatesInWords, monthInWords, numberText, parseYuan, type Countdown } from '../../web/src/format.js';

/** A countdown as GET /api/working-days/countdown answers it: workingDaysLeft counts the working days after today. */
const countdown = (over: Partial<Countdown>): Countdown => ({
  counting: 'working-days',
  today: '2026-12-03',
  dueOn: '2026-12-07',
  workingDaysLeft: 2,
  calendarDaysLeft: 4,
  breached: false,
  workingDaysOverdue: 0,
  calendarDaysOverdue: 0,
  provisional: false,
  ...over,
});

describe('countdownText', () => {
  it('gives a payout\'s day as the date it is paid on: no working days counting down, never 暂定', () => {
    const text = countdownText(countdown({ counting: 'payout-date', dueOn: '2027-03-15', today: '2026-12-03', provisional: false }));
    expect(text).toBe('2027年3月15日发放');
    expect(text).not.toMatch(/剩余|工作日|暂定/);
  });

  it('counts a 2-working-day filing down 2, 1, then 今日到期 on the due day', () => {
    // Filed on Thursday 2026-12-03, due Monday 2026-12-07.
    expect(countdownText(countdown({}))).toBe('剩余 2 个工作日');
    expect(countdownText(countdown({ today: '2026-12-04', workingDaysLeft: 1, calendarDaysLeft: 3 }))).toBe('剩余 1 个工作日');
    expect(countdownText(countdown({ today: '2026-12-05', workingDaysLeft: 1, calendarDaysLeft: 2 }))).toBe('剩余 1 个工作日');
    expect(countdownText(countdown({ today: '2026-12-07', workingDaysLeft: 0, calendarDaysLeft: 0 }))).toBe('今日到期');
  });

  it('names a due day on a rest day with no working day before it, in calendar days', () => {
    // Friday evening is over the moment Saturday begins: a 补正 due on Sunday, read on Saturday.
    expect(countdownText(countdown({ today: '2026-12-05', dueOn: '2026-12-06', workingDaysLeft: 0, calendarDaysLeft: 1 }))).toBe('非工作日到期（剩 1 天）');
    // On that Sunday itself it is due today, not "0 days left".
    expect(countdownText(countdown({ today: '2026-12-06', dueOn: '2026-12-06', workingDaysLeft: 0, calendarDaysLeft: 0 }))).toBe('今日到期');
  });

  it('says how late, and marks a provisional count', () => {
    expect(countdownText(countdown({ today: '2026-12-09', breached: true, workingDaysLeft: 0, calendarDaysLeft: 0, workingDaysOverdue: 2 }))).toBe('已超期 2 个工作日');
    expect(countdownText(countdown({ provisional: true }))).toBe('剩余 2 个工作日（暂定）');
    expect(countdownText(countdown({ today: '2026-12-07', workingDaysLeft: 0, calendarDaysLeft: 0, provisional: true }))).toBe('今日到期（暂定）');
  });
});

describe('countdownText of a period the applicant keeps (a 补正 reply, a repayment)', () => {
  it('counts calendar days, says 今日到期 on the day and how many days late after it', () => {
    // A 补正 requested on Thu 3 Dec 2026 is due on Mon 4 Jan 2027: 32 days.
    const reply = (over: Partial<Countdown>) => countdown({ counting: 'calendar-days', dueOn: '2027-01-04', workingDaysLeft: 21, calendarDaysLeft: 32, ...over });
    expect(countdownText(reply({}))).toBe('剩余 32 天');
    expect(countdownText(reply({ today: '2027-01-04', workingDaysLeft: 0, calendarDaysLeft: 0 }))).toBe('今日到期');
    expect(countdownText(reply({ today: '2027-01-07', breached: true, workingDaysLeft: 0, calendarDaysLeft: 0, workingDaysOverdue: 3, calendarDaysOverdue: 3 }))).toBe('已超期 3 天');
  });

  it('says 暂定 while the last day, moved off a rest day of a year not yet loaded, may still move; not once it has passed', () => {
    const reply = (over: Partial<Countdown>) => countdown({ counting: 'calendar-days', dueOn: '2027-01-04', workingDaysLeft: 21, calendarDaysLeft: 32, provisional: true, ...over });
    expect(countdownText(reply({}))).toBe('剩余 32 天（暂定）');
    expect(countdownText(reply({ today: '2027-01-04', workingDaysLeft: 0, calendarDaysLeft: 0 }))).toBe('今日到期（暂定）');
    expect(countdownText(reply({ today: '2027-01-07', breached: true, workingDaysLeft: 0, calendarDaysLeft: 0, workingDaysOverdue: 3, calendarDaysOverdue: 3 }))).toBe('已超期 3 天');
  });
});

describe('dates in words', () => {
  it('writes days, months, instants (in Shanghai) and inclusive last days in Chinese form', () => {
    expect(dateInWords('2026-12-10')).toBe('2026年12月10日');
    expect(monthInWords('2026-01')).toBe('2026年1月');
    expect(dateTimeInWords('2026-12-03T05:56:00.000Z')).toBe('2026年12月3日 13:56');
    // An instant late in the UTC day is the next day in Shanghai.
    expect(dateTimeInWords('2026-12-31T16:30:00Z')).toBe('2027年1月1日 00:30');
    expect(dueByInWords('2027-01-04')).toBe('2027年1月4日（含）前');
  });

  it('rewrites the ISO dates of a sentence the server wrote, one inclusive deadline wording for all', () => {
    expect(isoDatesInWords('2026-12-10 24:00 前（材料审查 5 个工作日）')).toBe('2026年12月10日（含）前（材料审查 5 个工作日）');
    expect(isoDatesInWords('至 2026-12-24 24:00（10 个工作日）')).toBe('至 2026年12月24日（含）（10 个工作日）');
    expect(isoDatesInWords('补正材料未在 2027-01-04 前提交，视为撤回')).toBe('补正材料未在 2027年1月4日（含）前提交，视为撤回');
    expect(isoDatesInWords('请于2027年1月4日前在案件页面提交补正材料')).toBe('请于2027年1月4日（含）前在案件页面提交补正材料');
    expect(isoDatesInWords('应于 2026年12月10日（含）前反馈')).toBe('应于 2026年12月10日（含）前反馈');
    expect(isoDatesInWords('2026-12-01 起至 2026-12-07')).toBe('2026年12月1日 起至 2026年12月7日');
    expect(isoDatesInWords('上传于 2026-12-03T05:56:00Z')).toBe('上传于 2026年12月3日 13:56');
    expect(isoDatesInWords('截至 2026-12-03 13:56')).toBe('截至 2026年12月3日 13:56');
  });

  it('leaves reference numbers, versions and other numbers alone', () => {
    for (const text of ['CY-2026-000031', 'BA-2026-000002 已认领', '目录版本 2026-12', '1234-56-789', '金额 2,026.12']) expect(isoDatesInWords(text)).toBe(text);
  });
});

describe('an amount typed in yuan', () => {
  it('takes full-width digits and points as a Chinese keyboard types them, separators and the yuan sign too', () => {
    expect(parseYuan('１００')).toBe(10_000);
    expect(parseYuan('１２，３４５．６')).toBe(1_234_560);
    expect(parseYuan('￥ 500,000.00')).toBe(50_000_000);
    expect(parseYuan('1.234')).toBeUndefined();
    expect(parseYuan('一百')).toBeUndefined();
  });
});

describe('a number typed in any number field', () => {
  it('is read in ASCII as the money fields read it: full-width digits, points, commas and signs; grouping and spaces gone', () => {
    expect(numberText('８０')).toBe('80');
    expect(numberText('２.５')).toBe('2.5');
    expect(numberText('２．５')).toBe('2.5');
    expect(numberText(' １，０００ ')).toBe('1000');
    expect(numberText('－１')).toBe('-1');
    expect(numberText('二十四')).toBe('二十四');
  });

  it('keeps a comma that groups no thousands, so the field refuses it rather than read "１，５" as 15', () => {
    expect(numberText('１，５')).toBe('1,5');
    expect(numberText('12,34')).toBe('12,34');
    expect(numberText('1,234,5')).toBe('1,234,5');
    expect(numberText('1,234,567.5')).toBe('1234567.5');
    expect(parseYuan('１，５')).toBeUndefined();
    expect(parseYuan('¥1,000')).toBe(100_000);
  });
});
