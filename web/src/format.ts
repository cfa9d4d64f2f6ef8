import { ACTOR_ROLE_NAMES, DEPARTMENTS } from '../../domain/cases/actor.js';
import type { Counting } from '../../domain/time/deadline-counting.js';

/** Money is integer fen everywhere; people read yuan as the letters write it: 1,234.56 元 (the pages had ¥, the letters 元). */
export function money(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')} 元`;
}

/**
 * A number as a person typed it, in ASCII: a Chinese keyboard types full-width digits, points, commas
 * and signs (１，０００．５, ８０, －１), which NFKC makes the ASCII ones; spaces go, and commas that
 * group thousands (1,000 or 1,234.5). A comma anywhere else stays, for the field to refuse: "１，５"
 * was read as 15 minutes by someone who meant 1.5, and the 核对信息 step showed what they typed.
 * Every number field reads what it was typed through this, as the money fields always did.
 */
export function numberText(text: string): string {
  const typed = text.normalize('NFKC').replace(/\s/g, '');
  return /^[-+]?¥?\d{1,3}(,\d{3})+(\.\d*)?$/.test(typed) ? typed.replace(/,/g, '') : typed;
}

/** An amount as typed, in ASCII digits, without its yuan sign. */
const typedAmount = (text: string) => numberText(text).replace(/[¥￥]/g, '');

/** "1,234.56" or "1234.5" or "1234" typed by a person → fen; undefined when it is not an amount. */
export function parseYuan(text: string): number | undefined {
  const cleaned = typedAmount(text);
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(cleaned)) return undefined;
  const [whole, fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/**
 * Why a typed amount is not one, in words a person can act on: "1234.567" has a third decimal, "-5"
 * is below zero, "1e5" is not written in digits. `example` ends the general case ("例如 300000 或
 * 1234.56"). Undefined when it is an amount (parseYuan reads it).
 */
export function yuanProblem(text: string, example: string): string | undefined {
  if (parseYuan(text) !== undefined) return undefined;
  const cleaned = typedAmount(text);
  if (cleaned === '') return `请填写金额，例如 ${example}`;
  if (/^-\d/.test(cleaned)) return '金额须大于 0';
  if (/^\d+\.\d{3,}$/.test(cleaned)) return '金额最多两位小数（精确到分）';
  if (/^\d{14,}(\.\d*)?$/.test(cleaned)) return '金额太大，请核对';
  return `金额只能用数字填写，例如 ${example}`;
}

/** Fen → the yuan text an amount field shows ("4000000.00" → "40000.00"). */
export function yuanInput(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

const SHANGHAI_MS = 8 * 3600_000;

/** The Shanghai calendar date of an instant: 2026-11-23. */
export function shanghaiDate(at: string | number | Date): string {
  return new Date(new Date(at).getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** The Shanghai date and time of an instant: 2026-11-23 14:05. */
export function shanghaiDateTime(at: string | number | Date): string {
  const iso = new Date(new Date(at).getTime() + SHANGHAI_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function todayInShanghai(): string {
  return shanghaiDate(Date.now());
}

/** 2026-11-23 → 2026年11月23日 */
export function dateInWords(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** 2026-12 → 2026年12月 */
export function monthInWords(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/**
 * A last day, worded so that it is plainly included: 2026年12月10日（含）前. Every deadline a person reads
 * uses this one form; "24:00 前" and a bare "前" (read as "before that day") are not used.
 */
export function dueByInWords(date: string): string {
  return `${dateInWords(date)}（含）前`;
}

const ISO_DAY = String.raw`(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-])`;

/**
 * ISO dates inside a sentence the server wrote (an overview line, a reason, a notice) in Chinese
 * form, with a deadline's last day worded as the inclusive 2026年12月10日（含）前. Reference
 * numbers (CY-2026-000031) and months are left alone.
 */
export function isoDatesInWords(text: string): string {
  return text
    // The server's deadlines are all inclusive last days: "2027-01-04 24:00 前", "2027-01-04 前" and "2027年1月4日前" alike.
    .replace(new RegExp(`${ISO_DAY}(?: 24:00)? ?前`, 'g'), (_, d: string) => dueByInWords(d))
    .replace(/(\d{4}年\d{1,2}月\d{1,2}日) ?前/g, '$1（含）前')
    .replace(new RegExp(`${ISO_DAY} 24:00`, 'g'), (_, d: string) => `${dateInWords(d)}（含）`)
    .replace(new RegExp(`${ISO_DAY}[T ](\\d{2}:\\d{2})(?::\\d{2}(?:\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?`, 'g'), (whole: string, d: string, time: string, zone?: string) =>
      zone ? dateTimeInWords(whole) : `${dateInWords(d)} ${time}`,
    )
    .replace(new RegExp(ISO_DAY, 'g'), (_, d: string) => dateInWords(d));
}

export interface Countdown {
  counting: Counting;
  today: string;
  dueOn: string;
  /** Working days after today up to and including the due day: 0 on the due day itself. */
  workingDaysLeft: number;
  calendarDaysLeft: number;
  breached: boolean;
  workingDaysOverdue: number;
  calendarDaysOverdue: number;
  provisional: boolean;
}

/** 剩余 2 个工作日 / 今日到期 / 已超期 2 个工作日, with 暂定 when a year's arrangement is not loaded; 剩余 30 天 for a period in days (暂定 when its last day may still move). */
export function countdownText(c: Countdown): string {
  // A payout's day is a date by the award's schedule, not a time limit: the date, no countdown, never 暂定.
  if (c.counting === 'payout-date') return `${dateInWords(c.dueOn)}发放`;
  // A period in days needs no arrangement to count, but its last day, moved off a rest day, may still move (a 补正 reply reaching a year not loaded).
  if (c.counting === 'calendar-days') {
    const days = c.breached ? `已超期 ${c.calendarDaysOverdue} 天` : c.dueOn === c.today ? '今日到期' : `剩余 ${c.calendarDaysLeft} 天`;
    return c.provisional && !c.breached ? `${days}（暂定）` : days;
  }
  // The due day itself comes first: it has 0 working days left, as does a rest day with none before it.
  const text = c.breached
    ? `已超期 ${c.workingDaysOverdue} 个工作日`
    : c.dueOn === c.today
      ? '今日到期'
      : c.workingDaysLeft === 0
        ? `非工作日到期（剩 ${c.calendarDaysLeft} 天）`
        : `剩余 ${c.workingDaysLeft} 个工作日`;
  return c.provisional ? `${text}（暂定）` : text;
}

/** The domain's names (domain/cases/actor.ts): the pages name roles and departments as the accounts and the audit do. */
export const ROLE_NAMES: Readonly<Record<string, string>> = ACTOR_ROLE_NAMES;

export const DEPARTMENT_NAMES: Readonly<Record<string, string>> = DEPARTMENTS;

export function departmentName(id: string | null | undefined): string {
  // A department this table does not know yet is named in general terms, never by its code.
  return id ? (DEPARTMENT_NAMES[id] ?? '经办部门') : '';
}

/** An instant in Shanghai, in Chinese form: 2026年9月20日 09:00. */
export function dateTimeInWords(at: string | number | Date): string {
  const [date, time] = shanghaiDateTime(at).split(' ');
  return `${dateInWords(date!)} ${time}`;
}

/** A period between two instants, in Chinese form: 2026年9月20日 09:00 至 2026年10月31日 17:00. */
export function periodInWords(from: string, to: string): string {
  return `${dateTimeInWords(from)} 至 ${dateTimeInWords(to)}`;
}

/**
 * A file's size as people read it. Megabytes to two places, rounded up as the server's refusal says
 * them: a 21 MB file refused as 超过 20 MB（收到 20.03 MB） had been listed beside it as 20.0 MB.
 */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(Math.ceil((bytes / 1024 / 1024) * 100) / 100).toFixed(2)} MB`;
}
