import { z } from 'zod';
import { MAX_EXTENSION_WORKING_DAYS, type ExtendTimeLimitCommand } from '../domain/time-limits/step-time-limit.js';
import type { CaseAction } from './case-module.js';
import { text } from './fields.js';

/**
 * The extension of a step's time limit (行政许可法 Art. 42), declared once for every case type that
 * promises limits: a director of the step's department, by 1 to 10 working days, once, with a reason.
 */
export function extendTimeLimitDeclaration<S>(
  explain: (state: S) => string | undefined,
  /** false for a case with no applicant to tell (a call, which officials run): the reason goes on its record only. */
  options: { applicantTold?: boolean } = {},
): Omit<CaseAction<S, ExtendTimeLimitCommand>, 'type' | 'at' | 'availability'> {
  const told = options.applicantTold ?? true;
  return {
    name: 'extend-time-limit',
    update: 'extendTimeLimit',
    label: '延长办理时限',
    submit: '批准延长',
    done: told ? '办理时限已延长，已告知申请人。' : '办理时限已延长。',
    summary: "Director of the step's department: extend the step's time limit once, by at most 10 working days, with a reason the applicant is told (行政许可法 Art. 42)",
    body: z.strictObject({
      extraWorkingDays: z
        .int('应为整数个工作日')
        .min(1, '至少 1 个工作日')
        .max(MAX_EXTENSION_WORKING_DAYS, `最多 ${MAX_EXTENSION_WORKING_DAYS} 个工作日`)
        .meta({ title: '延长的工作日数', description: `最多 ${MAX_EXTENSION_WORKING_DAYS} 个工作日，只能延长一次` }),
      reason: text(1000).meta({ title: told ? '延长理由（将告知申请人）' : '延长理由' }),
    }),
    toCommand: (b) => ({ type: 'ExtendTimeLimit', extraWorkingDays: b.extraWorkingDays as number, reason: b.reason as string }),
    who: { official: { duties: ['director'] } },
    explain,
  };
}
