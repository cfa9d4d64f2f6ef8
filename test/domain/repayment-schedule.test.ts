import { describe, expect, it } from 'vitest';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { instalmentAmounts, repaymentSchedule } from '../../domain/chuying/repayment-schedule.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { DomainError } from '../../domain/errors.js';
import { addDays, parseLocalDate, yearOf, type LocalDate } from '../../domain/time/local-date.js';

const d = (text: string): LocalDate => parseLocalDate(text);
const calendar = packagedCalendar();
const N = CHUYING_LOAN_TERMS.instalmentCount;

/** DOMAIN "Money": principal ÷ 36 rounded half up, in exact integer arithmetic. */
const regularOf = (principal: number) => Math.floor((2 * principal + N) / (2 * N));

function seededRandom(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectValidSplit(principal: number, amounts: number[]) {
  const regular = regularOf(principal);
  expect(amounts).toHaveLength(N);
  expect(amounts.reduce((sum, a) => sum + a, 0)).toBe(principal);
  expect(amounts.slice(0, N - 1).every((a) => a === regular)).toBe(true);
  const last = amounts[N - 1]!;
  // Half-up rounding moves each of 35 instalments by at most half a fen, so the last differs by at most 18 fen.
  expect(last - regular).toBeGreaterThanOrEqual(-18);
  expect(last - regular).toBeLessThanOrEqual(17);
  expect(amounts.every((a) => Number.isSafeInteger(a) && a > 0)).toBe(true);
}

describe('instalment amounts (等额本息免息)', () => {
  it('500,000.00 → 35 × 13,888.89 + 13,888.85', () => {
    const amounts = instalmentAmounts(50_000_000, N);
    expect(amounts).toEqual([...Array<number>(35).fill(1_388_889), 1_388_885]);
    expect(amounts.reduce((sum, a) => sum + a, 0)).toBe(50_000_000);
  });

  it('360,000.00 divides evenly: 36 × 10,000.00', () => {
    expect(instalmentAmounts(36_000_000, N)).toEqual(Array<number>(36).fill(1_000_000));
  });

  it('a remainder below half a fen rounds down and the last instalment is larger', () => {
    // 100,000.10 / 36 = 2,777.7805… → 2,777.78; last = 100,000.10 − 35 × 2,777.78 = 2,777.80
    expect(instalmentAmounts(10_000_010, N)).toEqual([...Array<number>(35).fill(277_778), 277_780]);
  });

  it('sums exactly, keeps 1–35 equal and the last close, for 1,000 principals up to the cap', () => {
    const random = seededRandom(36);
    const principals = [631, 1_000, 3_599, 3_600, 3_601, 49_999_999, 50_000_000];
    while (principals.length < 1_000) principals.push(631 + Math.floor(random() * (CHUYING_LOAN_TERMS.capFen - 631 + 1)));
    for (const principal of principals) expectValidSplit(principal, instalmentAmounts(principal, N));
  });

  it('every principal from 1 fen to 20.00: a split is given exactly when the rule yields positive instalments, else refused', () => {
    for (let principal = 1; principal <= 2_000; principal++) {
      const regular = regularOf(principal);
      const last = principal - 35 * regular;
      if (regular > 0 && last > 0) {
        expectValidSplit(principal, instalmentAmounts(principal, N));
      } else {
        expect(() => instalmentAmounts(principal, N), `principal ${principal}`).toThrow(expect.objectContaining({ code: 'principal-too-small' }));
      }
    }
  });

  it('refuses a principal too small to repay in 36 instalments (no instalment may be 0.00)', () => {
    for (const principal of [1, 17, 18, 35]) {
      expect(() => instalmentAmounts(principal, N), `principal ${principal}`).toThrow(DomainError);
    }
    expect(instalmentAmounts(36, N)).toEqual(Array<number>(36).fill(1));
  });

  it.each([0, -100, 1.5, Number.NaN])('refuses principal %s', (principal) => {
    expect(() => instalmentAmounts(principal, N)).toThrow(expect.objectContaining({ code: 'principal-invalid', message: '贷款本金须大于 0 元，最多精确到分。' }));
  });
});

describe('repayment schedule due dates', () => {
  it('disbursed 31 Jan 2026: the 31st clamped to each month’s end, moved off days off', () => {
    const schedule = repaymentSchedule(calendar, 50_000_000, d('2026-01-31'), N);
    expect(schedule.slice(0, 12).map((i) => i.dueOn)).toEqual([
      '2026-02-28', // Sat, but a make-up working day (春节 调休): kept
      '2026-03-31',
      '2026-04-30',
      '2026-06-01', // 31 May is a Sunday
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-11-02', // 31 Oct is a Saturday
      '2026-11-30',
      '2026-12-31',
      '2027-02-01', // 31 Jan 2027 is a Sunday (provisional)
    ]);
    expect(schedule.map((i) => i.number)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(schedule.at(-1)?.dueOn).toBe('2029-01-31');
    expect(schedule.map((i) => i.amountFen)).toEqual(instalmentAmounts(50_000_000, N));
  });

  it('a due date in the National Day holiday moves to the next working day: 1 Oct 2026 → 8 Oct', () => {
    const [first, second] = repaymentSchedule(calendar, 3_600_000, d('2026-09-01'), N);
    expect(first).toEqual({ number: 1, dueOn: '2026-10-08', amountFen: 100_000, provisional: false });
    expect(second?.dueOn).toBe('2026-11-02'); // 1 Nov 2026 is a Sunday
  });

  it('a due date on a make-up weekend working day is kept', () => {
    expect(repaymentSchedule(calendar, 3_600_000, d('2026-09-10'), N)[0]?.dueOn).toBe('2026-10-10'); // Sat 10 Oct 2026
    expect(repaymentSchedule(calendar, 3_600_000, d('2026-01-14'), N)[0]?.dueOn).toBe('2026-02-14'); // Sat 14 Feb 2026
    // 1 Jan 2026 is New Year; 2 and 3 Jan are days off; Sun 4 Jan is a make-up working day.
    expect(repaymentSchedule(calendar, 3_600_000, d('2025-12-01'), N)[0]?.dueOn).toBe('2026-01-04');
  });

  it('a due date in the Spring Festival moves past it: 16 Feb 2026 → Tue 24 Feb', () => {
    expect(repaymentSchedule(calendar, 3_600_000, d('2026-01-16'), N)[0]?.dueOn).toBe('2026-02-24');
  });

  it('instalments due in 2027 or later are provisional; those in 2026 are not', () => {
    const schedule = repaymentSchedule(calendar, 50_000_000, d('2026-01-31'), N);
    for (const instalment of schedule) {
      expect(instalment.provisional, `instalment ${instalment.number} due ${instalment.dueOn}`).toBe(yearOf(instalment.dueOn) >= 2027);
    }
    expect(schedule.filter((i) => !i.provisional)).toHaveLength(11);
  });

  it('every due date is the first working day on or after the clamped contractual date', () => {
    const random = seededRandom(2026);
    for (let k = 0; k < 40; k++) {
      const disbursedOn = addDays(d('2025-06-01'), Math.floor(random() * 600));
      const schedule = repaymentSchedule(calendar, 50_000_000, disbursedOn, N);
      const [y, m, day] = disbursedOn.split('-').map(Number) as [number, number, number];
      schedule.forEach((instalment, index) => {
        const month0 = m - 1 + index + 1;
        const lastDay = new Date(Date.UTC(y, month0 + 1, 0)).getUTCDate();
        const contractual = new Date(Date.UTC(y, month0, Math.min(day, lastDay))).toISOString().slice(0, 10) as LocalDate;
        expect(instalment.dueOn >= contractual).toBe(true);
        expect(calendar.isWorkingDay(instalment.dueOn)).toBe(true);
        for (let between = contractual; between < instalment.dueOn; between = addDays(between, 1)) {
          expect(calendar.isWorkingDay(between), `${between} skipped before ${instalment.dueOn}`).toBe(false);
        }
      });
    }
  });
});
