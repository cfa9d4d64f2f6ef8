import { z } from 'zod';
import { isLocalDate } from '../../domain/time/local-date.js';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../../domain/time/working-days.js';
import { optionalText, text } from './common.schemas.js';

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** An ISO-8601 instant with its offset: 2026-10-09T16:30:00Z, 2026-10-10T00:30:00+08:00. */
export const isoInstant = z
  .string()
  .max(40)
  // An unencoded '+' in a query string arrives as a space: 2026-10-10T00:30:00 08:00 means +08:00.
  .transform((raw) => raw.replace(/ (\d{2}:\d{2})$/, '+$1'))
  .transform((text, ctx) => {
    const match = ISO_INSTANT.exec(text);
    const ok =
      match &&
      isLocalDate(match[1]!) &&
      Number(match[2]) <= 23 &&
      Number(match[3]) <= 59 &&
      Number(match[4] ?? 0) <= 59 &&
      (match[5] === 'Z' || (Number(match[6]) <= 14 && Number(match[7]) <= 59));
    const ms = ok ? Date.parse(text) : Number.NaN;
    if (!Number.isFinite(ms)) {
      // Written as an instant with its offset, but naming a day or a time that does not exist: say which.
      const message =
        match && !isLocalDate(match[1]!)
          ? `“${text}”中的日期 ${match[1]} 不存在，请核对年月日`
          : match
            ? `“${text}”中的时间或时区不存在（时 0–23，分、秒 0–59），请核对`
            : `“${text}”不是带时区的时间，应写作如 2026-10-10T00:30:00+08:00`;
      ctx.addIssue({ code: 'custom', message, params: { english: 'an ISO-8601 instant with its offset, e.g. 2026-10-10T00:30:00+08:00' } });
      return z.NEVER;
    }
    return ms;
  });

export const calendarYearParams = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, '年份应为四位数字')
    .transform(Number)
    .refine((y) => y >= MIN_CALENDAR_YEAR && y <= MAX_CALENDAR_YEAR, `年份应在 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR} 之间`),
});

export const deadlineQuery = z.strictObject({
  submittedAt: isoInstant,
  workingDays: z
    .string()
    .regex(/^\d{1,2}$/, '应为 1 至 30 个工作日（整数）')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 30, '应为 1 至 30 个工作日（整数）'),
});

/** The dates are checked by the domain (real, within the year, make-up days on weekends), with one message per entry. */
export const calendarYearBody = z.strictObject({
  holidays: z.array(z.string().max(20)).max(366),
  makeUpWorkdays: z.array(z.string().max(20)).max(120),
  note: optionalText(500),
  /** The State Council's notice the arrangement follows (title, 文号): the approver checks the days against it. */
  source: text(300),
  expectedRevision: z.int().nonnegative().optional(),
});

export const calendarProposalParams = z.strictObject({
  year: calendarYearParams.shape.year,
  proposalId: z.uuid('调整提议编号格式不对'),
});

export const calendarProposalRefusal = z.strictObject({ reason: text(500) });
