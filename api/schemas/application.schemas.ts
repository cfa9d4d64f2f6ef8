import { z } from 'zod';
import { fen, localDate, optionalText, reasons, text } from './common.schemas.js';
import type { ChuyingLoanActionName } from './chuying-loan.schemas.js';
import { applicationFactsBody } from './programme.schemas.js';
import { personalDataBody } from './personal-data.schemas.js';

/**
 * An application under a programme of the catalogue: what the applicant describes, and the facts
 * the rules read. The stays already taken this year are not a stated fact: the system counts them.
 */
export const createApplicationBody = z.strictObject({
  title: text(200),
  summary: text(5000),
  facts: applicationFactsBody.omit({ staysThisYear: true }),
  /** 身份证号 (落户, certification and 职称 only) and a contact phone: kept encrypted, never in the case's events or workflow. */
  personalData: personalDataBody.optional(),
});

const expectedVersion = z.int().nonnegative().optional();

/** The actions of programme applications that are theirs alone; the others share the 雏鹰 loan's routes and bodies. */
export const applicationActionBodies = {
  'score-application': z.strictObject({ expectedVersion, score: z.int('a whole number from 0 to 100').min(0).max(100), comments: optionalText(2000) }),
  'approve-application': z.strictObject({ expectedVersion, approvedAmountFen: fen.optional(), notes: optionalText(2000) }),
  'reject-application': z.strictObject({ expectedVersion, reasons }),
  'report-left-yangpu': z.strictObject({ expectedVersion, leftOn: localDate, note: optionalText(500) }),
} as const;

export type ApplicationActionName = keyof typeof applicationActionBodies;
/** The 雏鹰 loan's action routes that programme applications answer too: same names, same bodies. */
export const SHARED_APPLICATION_ACTIONS: readonly ChuyingLoanActionName[] = [
  'request-supplement',
  'provide-supplement',
  'accept-materials',
  'pass-compliance-review',
  'fail-compliance-review',
  'withdraw',
];
