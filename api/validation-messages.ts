import { z } from 'zod';
import { fieldName } from './field-names.js';

/**
 * What a person reads when a field is refused: plain Chinese that says what the field must be, for
 * every check a schema makes without a message of its own (a schema's own message, already
 * specific to its field, wins). English — zod's own wording — only for API clients that ask for it
 * with Accept-Language (api/messages.ts).
 */
type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '“是”或“否”',
  array: '列表',
  object: '一组字段',
  date: '日期',
  null: '空值',
  record: '一组字段',
  map: '一组字段',
  tuple: '列表',
  set: '列表',
};

const FORMAT_NAMES: Record<string, string> = {
  uuid: '系统编号（36 位，如 123e4567-e89b-42d3-a456-426614174000）',
  guid: '系统编号（36 位）',
  email: '电子邮箱地址',
  url: '网址',
  date: '日期（如 2026-12-02）',
  datetime: '日期和时间（如 2026-12-02T09:30:00+08:00）',
  time: '时间（如 09:30）',
  ipv4: 'IPv4 地址',
  ipv6: 'IPv6 地址',
};

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? `“${v}”` : String(v))).join('、');

/** A required field left out: told as missing, never as a value of the wrong kind. */
export const MISSING_FIELD = '必须填写';

export function plainChinese(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return MISSING_FIELD;
      if (issue.expected === 'number' && typeof issue.input === 'number') return '应为有限的数字';
      return `应为${TYPE_NAMES[issue.expected] ?? '规定的类型'}`;
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return minimum <= 1 ? '不能为空' : `至少 ${minimum} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return minimum <= 1 ? '至少填写一项' : `至少 ${minimum} 项`;
      return issue.inclusive ? `不能小于 ${minimum.toLocaleString('en-US')}` : `必须大于 ${minimum.toLocaleString('en-US')}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `最多 ${maximum} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${maximum} 项`;
      return issue.inclusive ? `不能大于 ${maximum.toLocaleString('en-US')}` : `必须小于 ${maximum.toLocaleString('en-US')}`;
    }
    case 'invalid_format': {
      const format = (issue as { format: string }).format;
      return format === 'regex' ? '格式不对' : `应为${FORMAT_NAMES[format] ?? '规定的格式'}`;
    }
    case 'invalid_value': {
      // An enum whose schema names its values (meta enumLabels) is answered in those names, each with
      // the value an API client sends, quoted: 先到先审（“first-come”）, not the bare code.
      const labels = (issue.inst ? z.globalRegistry.get(issue.inst as z.ZodType) : undefined)?.enumLabels as Record<string, string> | undefined;
      const named = labels ? issue.values.map((v) => (typeof v === 'string' && labels[v] ? `${labels[v]}（“${v}”）` : typeof v === 'string' ? `“${v}”` : String(v))).join('、') : list(issue.values);
      return issue.values.length === 1 ? `只能是 ${named}` : `只能是以下之一：${named}`;
    }
    case 'not_multiple_of':
      return `必须是 ${String(issue.divisor)} 的倍数`;
    case 'unrecognized_keys':
      return unknownFields(issue.keys, issue.inst as z.ZodType | undefined);
    case 'invalid_key':
    case 'invalid_element':
      return '其中有一项不符合要求';
    case 'invalid_union':
      return '格式不对';
    default:
      return '不符合要求';
  }
}

/** How many of the fields a form does take an unknown field's refusal names, before 等. */
const FIELDS_NAMED = 8;

/**
 * Keys a form does not take (zod strictObject): each quoted as sent, plainly a key that means
 * nothing here, and the fields it does take by the names people know them by (their titles), not
 * by the API's keys.
 */
function unknownFields(keys: readonly string[], object: z.ZodType | undefined): string {
  const sent = keys.map((k) => `「${k}」`).join('、');
  const shape = (object?._zod.def as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};
  const named = Object.keys(shape)
    .map((key) => fieldName(object, key, 'body'))
    .filter((name): name is string => name !== undefined);
  const taken = named.length === 0 ? '' : `；这里可以填写的是：${named.slice(0, FIELDS_NAMED).join('、')}${named.length > FIELDS_NAMED ? ` 等 ${named.length} 项` : ''}`;
  return `不认识的字段${sent}，请删去${taken}`;
}

const english = z.locales.en().localeError;

/** zod's English for the same issue (no schema's own message: those are in Chinese). */
export function inEnglish(issue: z.core.$ZodIssue): string {
  const message = english(issue as unknown as RawIssue);
  return typeof message === 'string' ? message : (message?.message ?? issue.message);
}

/** Every schema's unmessaged checks speak plain Chinese, in every process that validates input. */
z.config({ localeError: plainChinese });
