import { z } from 'zod';
import { idNumberProblem } from '../../domain/personal-data/identity.js';

const ID_NUMBER = /^[1-9]\d{16}[\dXx]$/;

/**
 * A 身份证号: 18 characters, a real date of birth, the right check character (a lower-case x is read
 * as X). Spaces around one pasted in are taken off, as every text field does; one of the wrong shape
 * is told once, by its shape (the closer check ran too, and said the same twice).
 */
export const idNumber = z
  .string()
  .trim()
  .regex(ID_NUMBER, '身份证号应为 18 位：17 位数字加 1 位数字或 X')
  .transform((s) => s.toUpperCase())
  .superRefine((value, ctx) => {
    const problem = ID_NUMBER.test(value) ? idNumberProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A mainland mobile number: 11 digits starting 13–19. */
export const mobilePhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '应为 11 位手机号码，如 13812345678');

/** Personal data given with an application (only where the programme needs it) or set on the applicant's profile. */
export const personalDataBody = z.strictObject({
  idNumber: idNumber.optional(),
  contactPhone: mobilePhone.optional(),
});
