import { z } from 'zod';
import { fen } from './common.schemas.js';

const fact = {
  basisPoints: z.int().min(0).max(100_000),
  flag: z.boolean(),
};

/** The facts of an application, for the eligibility check; every field optional, none unknown. */
export const applicationFactsBody = z.strictObject({
  requestedAmountFen: fen.optional(),
  applicantKind: z
    .enum(['individual-creator', 'creator-team', 'company', 'mcn', 'platform', 'carrier-operator', 'drama-producer', 'training-institution', 'event-organiser'])
    .optional(),
  registeredDistrict: z.string().trim().min(1).max(50).optional(),
  age: z.int().min(0).max(150).optional(),
  itemId: z.string().trim().min(1).max(200).optional(),
  rdSpendFen: fen.optional(),
  promotesCityImage: fact.flag.optional(),
  monthlyRentFen: fen.optional(),
  months: z.int().min(1).max(600).optional(),
  admittedToCarrier: fact.flag.optional(),
  hasImportantAward: fact.flag.optional(),
  meetsCityTalentStandard: fact.flag.optional(),
  titleField: z.string().trim().min(1).max(50).optional(),
  nationallySelected: fact.flag.optional(),
  holdsScriptCopyright: fact.flag.optional(),
  loanPrincipalFen: fen.optional(),
  loanRateBasisPoints: fact.basisPoints.optional(),
  lprBasisPoints: fact.basisPoints.optional(),
  termMonths: z.int().min(1).max(600).optional(),
  complaintCategory: z.string().trim().min(1).max(50).optional(),
  stayDays: z.int().min(0).max(366).optional(),
  staysThisYear: z.int().min(0).max(366).optional(),
  firstViolation: fact.flag.optional(),
  minorHarm: fact.flag.optional(),
  correctedInTime: fact.flag.optional(),
  venueOnPublishedList: fact.flag.optional(),
});

export const programmeIdParams = z.strictObject({ programmeId: z.string().regex(/^[a-z0-9-]{1,80}$/, 'must be a programme id such as chuying-loan') });
