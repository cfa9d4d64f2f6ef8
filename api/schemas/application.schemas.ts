import { z } from 'zod';
import { documentReferences, text } from './common.schemas.js';
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
  /** Since issue 14: the shared live-streaming venue the vouchers are for, looked up in the published list. */
  venue: text(200).optional(),
  /** Since issue 14: the files submitted with the application, uploaded first (POST /api/documents). */
  documents: documentReferences('申请材料'),
});
