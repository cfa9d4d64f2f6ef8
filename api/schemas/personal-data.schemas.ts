import { z } from 'zod';
import { idNumberProblem, phoneProblem } from '../../domain/personal-data/identity.js';

/** A 身份证号: 18 characters, a real date of birth, the right check character (a lower-case x is read as X). */
export const idNumber = z
  .string()
  .regex(/^[1-9]\d{16}[\dXx]$/, '身份证号应为 18 位：17 位数字加 1 位数字或 X')
  .transform((s) => s.toUpperCase())
  .superRefine((value, ctx) => {
    const problem = idNumberProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A mainland mobile number: 11 digits starting 13–19. */
export const mobilePhone = z
  .string()
  .regex(/^1[3-9]\d{9}$/, '应为 11 位手机号码，如 13812345678')
  .superRefine((value, ctx) => {
    const problem = phoneProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Personal data given with an application (only where the programme needs it) or set on the applicant's profile. */
export const personalDataBody = z.strictObject({
  idNumber: idNumber.optional(),
  contactPhone: mobilePhone.optional(),
});
