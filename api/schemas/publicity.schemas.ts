import { z } from 'zod';
import { LONE_SURROGATE, NO_CONTROL_CHARACTERS, NO_DIRECTION_OVERRIDES, SOMETHING_VISIBLE } from '../../cases/fields.js';
import { OBJECTION_CONTACT_MAX_LENGTH, OBJECTION_REASONS_MAX_LENGTH } from '../../domain/publicity/decide.js';

/**
 * An objection (异议) to an award on 公示: the reasons, and a way to reach the objector if they wish
 * (kept in the personal-data vault). Anyone may send one, and it holds the award up until answered:
 * reasons of only a zero-width space, or turned around by U+202E, were taken and then listed to the
 * office and the applicant as blank or backwards, so they are refused as every other text is.
 */
export const objectionBody = z.strictObject({
  reasons: z
    .string()
    .trim()
    .min(1, '请写明异议理由')
    .max(OBJECTION_REASONS_MAX_LENGTH, `异议理由不超过 ${OBJECTION_REASONS_MAX_LENGTH} 字`)
    .regex(SOMETHING_VISIBLE, '请写明异议理由（只有空格或不可见字符）')
    .regex(NO_CONTROL_CHARACTERS, '不能含控制字符')
    .regex(NO_DIRECTION_OVERRIDES, '不能含有改变文字方向的控制字符')
    .refine((s) => !LONE_SURROGATE.test(s), '含有无效字符')
    .meta({ title: '异议理由', description: `不超过 ${OBJECTION_REASONS_MAX_LENGTH} 字` }),
  contact: z
    .string()
    .trim()
    .min(1, '联系方式不能为空；不留联系方式请省略此项')
    .max(OBJECTION_CONTACT_MAX_LENGTH, `联系方式不超过 ${OBJECTION_CONTACT_MAX_LENGTH} 字`)
    .regex(SOMETHING_VISIBLE, '联系方式不能只有空格或不可见字符；不留联系方式请省略此项')
    .regex(NO_CONTROL_CHARACTERS, '不能含控制字符')
    .regex(NO_DIRECTION_OVERRIDES, '不能含有改变文字方向的控制字符')
    .refine((s) => !LONE_SURROGATE.test(s), '含有无效字符')
    .optional()
    .meta({ title: '联系方式（可选）', description: '电话或邮箱，仅供主管部门核实和答复，不公开' }),
});

export const publicityCaseParams = z.strictObject({ caseId: z.uuid('办件编号格式不对') });

/** One line of the public 公示 list: nothing in it identifies a person beyond the masked name. */
export const publicEntry = z.strictObject({
  caseId: z.string(),
  referenceNo: z.string(),
  programme: z.string(),
  recipient: z.string().meta({ description: 'a company by its name; a person with the given name masked (张*)' }),
  recipientKind: z.enum(['company', 'person']),
  amountYuan: z.string().meta({ description: '元, e.g. 50,000.00' }),
  publishedOn: z.string(),
  lastWorkingDay: z.string(),
  status: z.enum(['in-publicity', 'objection-pending']),
  statusLabel: z.string(),
  /** Whether an objection is taken now (the window has opened and not ended). */
  objectionsOpen: z.boolean(),
  call: z.strictObject({ callId: z.string(), title: z.string() }).nullable().meta({ description: 'the call (申报批次) whose list of awards this 公示 is part of' }),
  publisher: z.string().meta({ description: 'the department that publishes the 公示 and answers objections, e.g. 杨浦区投促办' }),
});

export const publicityListResponse = z.strictObject({ entries: z.array(publicEntry) });

export const objectionLodgedResponse = z.strictObject({
  caseId: z.string(),
  referenceNo: z.string(),
  objectionId: z.string(),
  message: z.string(),
});
