import { z } from 'zod';
import { creditCodeProblem } from '../domain/companies/credit-code.js';
import { NOT_A_SHANGHAI_DISTRICT, SHANGHAI_DISTRICT_NAMES, shanghaiDistrictNamed } from '../domain/companies/shanghai-districts.js';
import { formatFen } from '../domain/money/fen.js';
import { isLocalDate, type LocalDate } from '../domain/time/local-date.js';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../domain/time/working-days.js';

// A lone surrogate is malformed UTF-16: it cannot be stored as text in Postgres.
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// The same refusal as a pattern, so that the OpenAPI document states it (api/input-guard.ts refuses them anywhere).
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/**
 * Characters that turn the text around them (U+202A–U+202E, U+2066–U+2069): a title with U+202E
 * read 转反名剧 in the lists and 剧名反转 in its decision letter.
 */
export const NO_DIRECTION_OVERRIDES = /^[^\u202A-\u202E\u2066-\u2069]*$/;

/**
 * Something a reader can see: a character that is not a space, a zero-width one or a direction mark
 * (U+200B–U+200F, U+2060–U+2064, U+FEFF), a soft hyphen or a filler. A filing titled "\u200b" was accepted and its
 * 不予备案决定书 went out addressed to nobody, with reasons of nothing. (Empty text is the length's
 * refusal, 不能为空, so the pattern lets it by rather than say it twice.)
 */
export const SOMETHING_VISIBLE = /^$|[^\s\u00AD\u034F\u115F\u1160\u180E\u200B-\u200F\u2060-\u2064\u3164\uFEFF\uFFA0]/;

export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, '不能为空')
    .max(max, `最多 ${max} 个字`)
    .regex(SOMETHING_VISIBLE, '不能为空（只有空格或不可见字符）')
    .regex(NO_CONTROL_CHARACTERS, '不能含有控制字符')
    .regex(NO_DIRECTION_OVERRIDES, '不能含有改变文字方向的控制字符')
    .refine((s) => !LONE_SURROGATE.test(s), '含有不完整的文字编码');

/**
 * A bank's transaction number, a voucher's, or an item's own id (剧目编号 and the like): letters,
 * digits, Chinese characters and the separators such numbers use. An outside tester recorded a
 * repayment under "😀😀" and funded an item called that: a key that stops money being recorded or
 * paid twice must be one a person can read back and type again. (A plain character range, not
 * \p{…}: the OpenAPI pattern must read the same in every regex engine a client uses.)
 */
export const referenceText = (max: number) =>
  text(max).regex(/^[0-9A-Za-z\u00B7\u2010-\u2015\u2018\u2019\u201C\u201D\u2026\u3000-\u303F\u3400-\u9FFF\uFF01-\uFF5E ()#./:_-]*$/, '只能含字母、数字、汉字、中文标点和 - _ / . : # ( ) 等符号，不能含表情等其他符号');

/**
 * A bank reference the fund records or a borrower reports: besides the characters referenceText
 * allows, it has a letter, digit or 汉字 ("--" was taken as a reference).
 */
// (Empty is the length's refusal, 不能为空, so the pattern lets it by rather than say it twice.)
export const bankReferenceText = (max: number) => referenceText(max).regex(/^$|[0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\u3400-\u9FFF]/, '须含字母或数字，不能只有符号');

export const optionalText = (max: number) =>
  z.string().trim().max(max, `最多 ${max} 个字`).regex(NO_CONTROL_CHARACTERS, '不能含有控制字符').regex(NO_DIRECTION_OVERRIDES, '不能含有改变文字方向的控制字符').default('');

/** Money: a whole number of fen in JSON, never a float or a string. */
/** A 统一社会信用代码, refused with what exactly is wrong with it (domain/companies/credit-code.ts). */
export const creditCode = z.string().check((ctx) => {
  const problem = creditCodeProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value, params: { code: 'invalid_format', english: 'not a 统一社会信用代码 (18 characters: digits and the capital letters it uses)' } });
});

/**
 * A district of Shanghai, however written (上海市杨浦区, 杨浦, 杨浦区): kept as its full name (杨浦区),
 * which the rules compare. An outside tester's "杨浦" was refused by 雏鹰计划 as registered outside
 * 杨浦. Text naming none of the 16 districts is refused at the field.
 */
export const shanghaiDistrict = z
  .string()
  .max(50, '最多 50 个字')
  .transform((text, ctx) => {
    const district = shanghaiDistrictNamed(text);
    if (district) return district;
    ctx.issues.push({ code: 'custom', input: text, message: NOT_A_SHANGHAI_DISTRICT, params: { code: 'not-a-shanghai-district', english: `one of Shanghai's 16 districts, e.g. 杨浦区` } });
    // The text as given, so that the rules checked beside it (一次告知) still see a string there.
    return text.trim();
  })
  .meta({ description: `上海市的区：${SHANGHAI_DISTRICT_NAMES.join('、')}（也可写作“杨浦”“上海市杨浦区”）` });

export const fen = z
  // Beyond the safe integers zod refuses with the same check: say what is wrong with such a number, not that it is not whole.
  .int({ error: (issue) => (issue.code === 'too_big' ? '金额太大，超出了可以处理的范围' : issue.code === 'too_small' ? '必须大于 0' : '金额应为整数（以分计，1 元 = 100 分）') })
  .positive('必须大于 0');

/** A whole number written in a query string: digits only, within the safe integer range. */
export const fenInQuery = z
  .string()
  .regex(/^\d+$/, '金额应为整数（以分计），只能是数字')
  // All digits but too many: said as the body's amounts say it, not as though a digit were wrong.
  .refine((digits) => !/^\d+$/.test(digits) || Number.isSafeInteger(Number(digits)), '金额太大，超出了可以处理的范围')
  .transform(Number)
  .refine((n) => n > 0, '必须大于 0');

/** A whole number in a query string: digits only (no sign, hex, exponent or spaces), within [min, max]. */
export const queryInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `应为 ${min} 至 ${max} 的整数，只能是数字`)
    .transform(Number)
    .pipe(z.int().min(min, `不能小于 ${min}`).max(max, `不能大于 ${max}`));

/**
 * Text that is a date: given anything else (null, a number of days or of milliseconds) it is told as
 * a date written `form`, not as 文字 — a person never typed text there; left out, as missing.
 */
export const dateText = (form: string) => z.string({ error: (issue) => (issue.input === undefined ? undefined : form) });

/**
 * A calendar date of this API: real, and within the years the working-day calendar covers (a date
 * in the year 9999 would have a countdown walk eight thousand years of days).
 */
export const localDate = dateText('应为日期，写作“年-月-日”，如 2026-12-02')
  // The years MIN_CALENDAR_YEAR (1990) to MAX_CALENDAR_YEAR - 1 (2199) as a pattern, for the OpenAPI document; the refinements decide.
  .regex(/^(199\d|2[01]\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: `应为 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR - 1} 年间真实存在的日期，写作“年-月-日”，如 2026-12-02`,
    abort: true,
  })
  .refine(isLocalDate, '应为真实存在的日期，写作“年-月-日”，如 2026-12-02')
  .refine((s) => Number(s.slice(0, 4)) >= MIN_CALENDAR_YEAR && Number(s.slice(0, 4)) < MAX_CALENDAR_YEAR, `应为 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR - 1} 年间的日期`)
  .transform((s) => s as LocalDate);

export const caseIdParams = z.strictObject({ caseId: z.uuid('办件编号格式不对') });

export const reasons = z.array(text(500)).min(1, '请至少写一条理由').max(20);

// Titled fields the case modules' action bodies share: the title and hint are the form's label and hint.

/** Reasons, one per line in the form. */
export const reasonLines = (title: string) => reasons.meta({ title, description: '每行一条' });

/**
 * A micro-drama's minutes per episode: from half a minute to 600, to a tenth of a minute. An
 * outsider filed 1e-300 minutes, shown as such on the case page.
 */
export const minutesPerEpisode = z
  .number('单集时长应为数字（分钟）')
  .min(0.5, '单集时长至少 0.5 分钟')
  .max(600, '每集最长 600 分钟')
  .refine((minutes) => Math.abs(minutes * 10 - Math.round(minutes * 10)) < 1e-9, '单集时长最多精确到 0.1 分钟（如 1.5）');

/** An optional note or opinion. */
export const notes = (title: string) => optionalText(2000).meta({ title });

/** Money in fen, entered and shown in yuan. */
export const moneyField = (title: string) => fen.meta({ title, unit: 'fen' });

/**
 * A call's budget: above 100 亿元 it is a typing slip, not a programme (an outsider's ¥90 trillion
 * call was taken, and its period blocked every other call of the measure until changed).
 */
export const CALL_BUDGET_LIMIT_FEN = 1_000_000_000_000;
export const callBudgetField = (title: string) => fen.max(CALL_BUDGET_LIMIT_FEN, '预算不能超过 100 亿元（10,000,000,000.00 元），请核对金额').meta({ title, unit: 'fen' });

/** A 补正 request's answers, item by item (the loan's and the application's alike). */
export const supplementAnswers = () =>
  z
    .array(z.strictObject({ item: text(200).meta({ title: '补正事项' }), response: text(5000).meta({ title: '答复', description: '填写说明或材料的文件名' }) }))
    .min(1)
    .max(50)
    .meta({ title: '逐项答复' });

/** An amount in the facts card's words, as the letters write it: 1,234.56 元. */
export const yuan = (amountFen: number) => `${formatFen(amountFen)} 元`;

/**
 * Documents an action references, by the ids POST /api/documents answered. The action route
 * replaces each by the document as its event records it (id, SHA-256, name, type, size:
 * db/documents/document-references.ts), so the event proves which file was decided on.
 */
export const documentReferences = (title = '附件') =>
  z
    .array(z.strictObject({ documentId: z.uuid('须为上传文件后得到的材料编号') }))
    .max(20, '每次最多引用 20 个文件')
    // A file listed twice would be recorded twice (a filing's did): refused at the second listing.
    .superRefine((list, ctx) => {
      list.forEach((d, i) => {
        if (list.findIndex((o) => o.documentId === d.documentId) < i) ctx.addIssue({ code: 'custom', path: [i, 'documentId'], message: '同一文件只需附上一次', params: { code: 'document-listed-twice', english: 'the same document is listed twice' } });
      });
    })
    .optional()
    .meta({ title, description: 'PDF、图片或 Office 文档，每个不超过 20 MB', widget: 'documents' });

/** Refuses an item named twice in a list, at the second naming: the applicant would otherwise be asked, or answer, the same thing twice. */
function eachItemOnce<T>(itemOf: (member: T) => string, where: (index: number) => (string | number)[]) {
  return (list: T[], ctx: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    list.forEach((member, index) => {
      const item = itemOf(member).trim();
      const first = seen.get(item);
      if (first === undefined) seen.set(item, index);
      else ctx.addIssue({ code: 'custom', path: where(index), message: `“${item}”与第 ${first + 1} 项重复，每项只列一次`, params: { code: 'duplicate-item', english: `“${item}” repeats item ${first + 1}: name each item once` } });
    });
  };
}

/** What a 补正 request lists: every missing item, each once (行政许可法 第三十二条: 一次告知全部内容). */
export const supplementItems = (title: string, description: string) =>
  z
    .array(text(200))
    .min(1, '请列明需补正的全部材料')
    .max(50, '每次最多列 50 项')
    .superRefine(eachItemOnce((item: string) => item, (index) => [index]))
    .meta({ title, description });

/** A 补正's answers, item by item, each with the files that answer it (optional, so answers without files still read as before). */
export const supplementAnswersWithDocuments = () =>
  z
    .array(
      z.strictObject({
        item: text(200).meta({ title: '补正事项' }),
        response: text(5000).meta({ title: '答复', description: '填写说明；材料请作为附件上传' }),
        documents: documentReferences('附件'),
      }),
    )
    .min(1, '请逐项答复补正事项')
    .max(50, '最多 50 项')
    .superRefine(eachItemOnce((answer: { item: string }) => answer.item, (index) => [index, 'item']))
    .meta({ title: '逐项答复' });
