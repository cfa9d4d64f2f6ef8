import { z } from 'zod';
import { DRAMA_CATEGORY_NAMES, DRAMA_FILING_TYPE_NAMES } from '../../domain/drama-filing/terms.js';
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from '../../domain/time/working-days.js';
import { dramaSubmissionFields } from '../../cases/drama-filing.case.js';
import { queryInteger } from './common.schemas.js';

/**
 * What a producer files for a micro-drama (规划备案 or 完成片上线备案): the filing's fields as its case
 * module states them (with the form's labels, shared by the resubmission form), and the category,
 * which the opening asks and a resubmission keeps.
 */
export const dramaSubmissionBody = dramaSubmissionFields.extend({
  // 普通 unless stated, as every filing was before the category was asked (source 004 promises the working days for 普通 only).
  category: z
    .enum(DRAMA_CATEGORY_NAMES, '请选择微短剧类别：普通微短剧或重点微短剧')
    .default('ordinary')
    .meta({ title: '微短剧类别', description: '普通微短剧 ordinary: reviewed within 2 (planning) or 5 (completed film) working days; 重点微短剧 key: 沪8条 promises no review time' }),
  documents: dramaSubmissionFields.shape.documents.describe('the files filed with it (剧本、分集梗概、授权文件), each uploaded first with POST /api/documents'),
});

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '应为月份，写作“年-月”，如 2026-12')
  .refine((m) => Number(m.slice(0, 4)) >= MIN_CALENDAR_YEAR && Number(m.slice(0, 4)) < MAX_CALENDAR_YEAR, `应为 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR - 1} 年间的月份`);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const filingQueueQuery = z.strictObject({
  filingType: z.enum(DRAMA_FILING_TYPE_NAMES as [string, ...string[]]).optional(),
  mine: flag.optional(),
  escalated: flag.optional(),
  limit: queryInteger(1, 200).default(50),
  offset: queryInteger(0, 1_000_000).default(0),
});

export const filingSlaQuery = z
  .strictObject({
    from: month.optional(),
    to: month.optional(),
    filingType: z.enum(DRAMA_FILING_TYPE_NAMES as [string, ...string[]]).optional(),
  })
  // Months in the wrong order had answered an empty report, as if nothing had been filed.
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['from'], message: '起始月份（from）晚于结束月份（to）：请对调' });
