import { z } from 'zod';
import { formatFen } from '../domain/money/fen.js';
import { isLocalDate, type LocalDate } from '../domain/time/local-date.js';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../domain/time/working-days.js';

// A lone surrogate is malformed UTF-16: it cannot be stored as text in Postgres.
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// The same refusal as a pattern, so that the OpenAPI document states it (api/input-guard.ts refuses them anywhere).
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(max, `at most ${max} characters`)
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode');

export const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters').default('');

/** Money: a whole number of fen in JSON, never a float or a string. */
export const fen = z.int('must be a whole number of fen (1 yuan = 100 fen)').positive('must be more than 0');

/** A whole number written in a query string: digits only, within the safe integer range. */
export const fenInQuery = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a whole number of fen, digits only')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large')
  .refine((n) => n > 0, 'must be more than 0');

/** A whole number in a query string: digits only (no sign, hex, exponent or spaces), within [min, max]. */
export const queryInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number from ${min} to ${max}, digits only`)
    .transform(Number)
    .pipe(z.int().min(min, `at least ${min}`).max(max, `at most ${max}`));

/**
 * A calendar date of this API: real, and within the years the working-day calendar covers (a date
 * in the year 9999 would have a countdown walk eight thousand years of days).
 */
export const localDate = z
  .string()
  // The years MIN_CALENDAR_YEAR (1990) to MAX_CALENDAR_YEAR - 1 (2199) as a pattern, for the OpenAPI document; the refinements decide.
  .regex(/^(199\d|2[01]\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: `must be a real date written YYYY-MM-DD, from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR - 1}`,
    abort: true,
  })
  .refine(isLocalDate, 'must be a real date written YYYY-MM-DD')
  .refine((s) => Number(s.slice(0, 4)) >= MIN_CALENDAR_YEAR && Number(s.slice(0, 4)) < MAX_CALENDAR_YEAR, `must be a date from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR - 1}`)
  .transform((s) => s as LocalDate);

export const caseIdParams = z.strictObject({ caseId: z.uuid('must be a case id (a UUID)') });

export const reasons = z.array(text(500)).min(1, 'give at least one reason').max(20);

// Titled fields the case modules' action bodies share: the title and hint are the form's label and hint.

/** Reasons, one per line in the form. */
export const reasonLines = (title: string) => reasons.meta({ title, description: '每行一条' });

/** An optional note or opinion. */
export const notes = (title: string) => optionalText(2000).meta({ title });

/** Money in fen, entered and shown in yuan. */
export const moneyField = (title: string) => fen.meta({ title, unit: 'fen' });

/** A 补正 request's answers, item by item (the loan's and the application's alike). */
export const supplementAnswers = () =>
  z
    .array(z.strictObject({ item: text(200).meta({ title: '补正事项' }), response: text(5000).meta({ title: '答复', description: '填写说明或材料的文件名' }) }))
    .min(1)
    .max(50)
    .meta({ title: '逐项答复' });

/** An amount in the facts card's words: ¥1,234.56. */
export const yuan = (amountFen: number) => `¥${formatFen(amountFen)}`;
