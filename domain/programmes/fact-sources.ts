import type { RegisterKind } from '../registers/registers.js';
import type { ApplicantKind, FactName } from './programme.js';
import { FACT_LABELS, factLabel } from './fact-labels.js';

/**
 * Where each fact of an application comes from (issue 14 part 1). A fact a department's register
 * can answer is looked up there, keyed as below, and whatever the applicant typed for it is
 * replaced by the register's answer. Every other fact is claimed (申请人声明) and must be verified
 * by the official at the completeness check before money is decided on it.
 */
export type FactLookup =
  /** An entry for the applicant's 统一社会信用代码 (only entries of this carrier, when named). */
  | { register: 'carrier-tenants'; by: 'credit-code'; carrier?: string }
  | { register: 'key-enterprises'; by: 'credit-code'; category: string }
  /** A company's 统一社会信用代码, or a person's account. */
  | { register: 'talent-recognitions'; by: 'credit-code-or-account' }
  /** The applicant's 统一社会信用代码 and the item (drama) the application is for. */
  | { register: 'national-selections'; by: 'credit-code-and-item' }
  /** The venue the applicant names. */
  | { register: 'live-venues'; by: 'venue' }
  /** The LPR last published on or before the day of the application, of the loan's tenor. */
  | { register: 'lpr'; by: 'month' };

export const FACT_LOOKUPS: Partial<Record<FactName, FactLookup>> = {
  admittedToCarrier: { register: 'carrier-tenants', by: 'credit-code' },
  vJuchangTenant: { register: 'carrier-tenants', by: 'credit-code', carrier: 'V聚场' },
  keyCulturalEnterprise: { register: 'key-enterprises', by: 'credit-code', category: '重点文创企业' },
  meetsCityTalentStandard: { register: 'talent-recognitions', by: 'credit-code-or-account' },
  nationallySelected: { register: 'national-selections', by: 'credit-code-and-item' },
  venueOnPublishedList: { register: 'live-venues', by: 'venue' },
  lprBasisPoints: { register: 'lpr', by: 'month' },
};

export const factSourceOf = (fact: FactName): FactLookup | 'claimed' => FACT_LOOKUPS[fact] ?? 'claimed';

/** Facts a register publishes for everyone (the LPR): the system looks them up, so nobody is asked them and nothing typed for them counts. */
export const PUBLISHED_FACTS: readonly FactName[] = (Object.keys(FACT_LOOKUPS) as FactName[]).filter((fact) => FACT_LOOKUPS[fact]?.register === 'lpr');

/**
 * Facts that are no claim to verify: the amount asked for is a request, and what the server derives
 * itself (the stays already taken, the funded item of a measure that funds the applicant, the day of admission
 * to a carrier from its register) is not the applicant's word.
 */
export const NOT_CLAIMS: readonly FactName[] = ['requestedAmountFen', 'staysThisYear', 'unifiedSocialCreditCode', 'admittedOn'];

/** Applicants that are organisations: they have a 统一社会信用代码, and a register keyed on it needs it. */
export const ORGANISATION_KINDS: readonly ApplicantKind[] = ['company', 'mcn', 'platform', 'carrier-operator', 'drama-producer', 'training-institution', 'event-organiser'];

/** The Chinese names of the facts are one table (fact-labels.ts), read by the rules' messages and the case page alike. */
export { factLabel };

/** The fact a name or a Chinese label stands for (a form shows the label); unknown text is returned as it is. */
export const factNamed = (text: string): string => (Object.entries(FACT_LABELS).find(([, label]) => label === text.trim())?.[0] ?? text.trim());

export type { RegisterKind };
