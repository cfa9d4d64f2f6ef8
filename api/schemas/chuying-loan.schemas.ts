import { z } from 'zod';
import { fen, fenInQuery, localDate, optionalText, reasons, text } from './common.schemas.js';

export const createChuyingLoanCaseBody = z.strictObject({
  company: z.strictObject({
    name: text(200),
    unifiedSocialCreditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'must be an 18-character 统一社会信用代码'),
    registeredDistrict: text(50),
  }),
  project: z.strictObject({
    name: text(200),
    summary: text(5000),
    contentTrack: text(100),
  }),
  requestedAmountFen: fen,
});

export const schedulePreviewQuery = z.strictObject({
  principalFen: fenInQuery,
  disbursedOn: localDate,
});

const expectedVersion = z.int().nonnegative().optional();

/** The body of each official or applicant action, by its name in the URL. */
export const chuyingLoanActionBodies = {
  'request-supplement': z.strictObject({ expectedVersion, missingItems: z.array(text(200)).min(1, 'list every missing item').max(50) }),
  'provide-supplement': z.strictObject({
    expectedVersion,
    responses: z.array(z.strictObject({ item: text(200), response: text(5000) })).min(1).max(50),
  }),
  'accept-materials': z.strictObject({ expectedVersion }),
  'pass-compliance-review': z.strictObject({ expectedVersion, notes: optionalText(2000) }),
  'fail-compliance-review': z.strictObject({ expectedVersion, reasons }),
  'approve-funding': z.strictObject({ expectedVersion, approvedAmountFen: fen, notes: optionalText(2000) }),
  'reject-funding': z.strictObject({ expectedVersion, reasons }),
  'record-disbursement': z.strictObject({ expectedVersion, disbursedOn: localDate, bankReference: text(100) }),
  'record-repayment': z.strictObject({ expectedVersion, amountFen: fen, paidOn: localDate, reference: text(100) }),
  withdraw: z.strictObject({ expectedVersion, reason: optionalText(500) }),
} as const;

export type ChuyingLoanActionName = keyof typeof chuyingLoanActionBodies;
