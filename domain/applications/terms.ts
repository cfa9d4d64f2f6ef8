import type { Department } from '../cases/actor.js';
import { yuan, type Fen } from '../money/fen.js';
import { CATALOGUE_VERSION, CATALOGUE_VERSION_2026_11_23, PROGRAMMES, PROGRAMMES_2026_11_23 } from '../programmes/catalogue.js';
import { fundedItemKey, type StackingEntry } from '../programmes/stacking.js';
import { programmeUnder, type ConditionParameters } from '../programme-terms/published-terms.js';
import { yearOf, type LocalDate } from '../time/local-date.js';
import { DEFAULT_STEP_TIME_LIMITS, type StepTimeLimitTerms } from '../time-limits/step-time-limit.js';
import type { AmountRule, ApplicationFacts, CapPeriod, FundedItem, GovernmentLevel, PayoutShape, Programme, ProgrammeFamily } from '../programmes/programme.js';

/**
 * Every catalogue version a case may have opened under, by version. A case records its version
 * and keeps it for life: when the catalogue changes, add the new version here and keep the old
 * one, so the re-checks of running cases (at the award step) still apply the rules they opened under.
 */
const CATALOGUES: Record<string, readonly Programme[]> = {
  [CATALOGUE_VERSION_2026_11_23]: PROGRAMMES_2026_11_23,
  [CATALOGUE_VERSION]: PROGRAMMES,
};

export function findProgrammeAt(catalogueVersion: string, programmeId: string): Programme | undefined {
  return CATALOGUES[catalogueVersion]?.find((p) => p.id === programmeId);
}

/** Programmes whose cases come first in their department's queue: 盾牌行动 (002 Q6–7: 优先处置). */
const PRIORITY_PROGRAMMES: readonly string[] = ['hu9-shield'];

/**
 * Programmes that promise other limits than the defaults (20 working days to decide, Art. 42; 10
 * for the 网信 content review). 盾牌行动 complaints are handled with priority (002 Q6–7: 优先处置).
 */
const STEP_TIME_LIMITS_BY_PROGRAMME: Readonly<Record<string, StepTimeLimitTerms>> = {
  'hu9-shield': { contentReviewWorkingDays: 5, decisionWorkingDays: 10 },
};

/** The lifecycle's own rules, the same for every programme (product decisions, see README). */
export const APPLICATION_RULES = {
  rulesVersion: '2026-11',
  /** The official lists every missing item within 5 working days of submission, or the application is deemed complete. */
  completenessWorkingDays: 5,
  /** Calendar days the applicant has to answer a 补正 request before the case is withdrawn (as for 雏鹰). */
  supplementReplyDays: 30,
  /** An approval above this amount (strictly more) needs a director of the programme's department. */
  directorThresholdFen: yuan(1_000_000),
} as const;

/**
 * What a case keeps of its programme for life: a snapshot of the measure's data taken at
 * submission (the eligibility rules themselves are functions and stay in the catalogue version).
 */
export interface ApplicationTerms {
  rulesVersion: string;
  catalogueVersion: string;
  programmeId: string;
  name: { zh: string; en: string };
  family: ProgrammeFamily;
  level: GovernmentLevel;
  department: Department;
  caseKind: 'award' | 'service';
  amount: AmountRule;
  capPeriod: CapPeriod;
  fundedItem: FundedItem;
  payout: PayoutShape;
  requiresContentReview: boolean;
  /** 'first' puts the case ahead of every other case in its department's queue. */
  priority: 'first' | 'normal';
  completenessWorkingDays: number;
  supplementReplyDays: number;
  /** Scores needed before a decision: one reviewer for an award, none for a service. */
  scoresRequired: number;
  directorThresholdFen: Fen;
  /**
   * Since issue 13: the working days promised for the 网信 content review and for the decision (the
   * completeness check keeps `completenessWorkingDays`). Absent in cases opened before: they have none.
   */
  timeLimits?: StepTimeLimitTerms;
  /**
   * Since issue 14 part 4: the published version of the measure's terms the case opened under (its
   * amount, capPeriod, payout and timeLimits above are that version's), with the condition parameters
   * and documents it named. Absent: the code catalogue's terms (version 0), as for every case before.
   */
  termsVersion?: { version: number; effectiveFrom: LocalDate; draftedBy: string; approvedBy: string; conditions: ConditionParameters; requiredDocuments: readonly string[] };
  /**
   * Since issue 14 part 4: the stacking matrix as approved when the case opened, the entries that
   * concern this measure. Absent: the matrix seeded from the sources (stacking.ts), as before.
   */
  stacking?: { matrixVersion: number; entries: readonly StackingEntry[] };
}

/** What a case opens under besides the code catalogue: the published terms version in force and the approved stacking matrix. */
export interface OpeningTerms {
  published?: {
    version: number;
    effectiveFrom: LocalDate;
    draftedBy: string;
    approvedBy: string;
    amount: AmountRule;
    capPeriod: CapPeriod;
    timeLimits: StepTimeLimitTerms;
    conditions: ConditionParameters;
    requiredDocuments: readonly string[];
  };
  stacking?: { matrixVersion: number; entries: readonly StackingEntry[] };
}

/** The time limits the code promises for a measure (a published version may set others). */
export function codeTimeLimitsOf(programmeId: string): StepTimeLimitTerms {
  return STEP_TIME_LIMITS_BY_PROGRAMME[programmeId] ?? DEFAULT_STEP_TIME_LIMITS;
}

/** The programmes the generic application lifecycle runs: awards and services (loans and filings have their own). */
export function isApplicationProgramme(programme: Programme): programme is Programme & { caseKind: 'award' | 'service' } {
  return programme.caseKind === 'award' || programme.caseKind === 'service';
}

export function applicationTermsOf(programme: Programme & { caseKind: 'award' | 'service' }, catalogueVersion: string, opening: OpeningTerms = {}): ApplicationTerms {
  const published = opening.published;
  const measure = published ? programmeUnder(programme, published) : programme;
  return {
    rulesVersion: APPLICATION_RULES.rulesVersion,
    catalogueVersion,
    programmeId: programme.id,
    name: programme.name,
    family: programme.family,
    level: programme.level,
    department: programme.department,
    caseKind: programme.caseKind,
    amount: measure.amount,
    capPeriod: measure.capPeriod,
    fundedItem: programme.fundedItem,
    payout: measure.payout,
    requiresContentReview: programme.requiresContentReview,
    priority: PRIORITY_PROGRAMMES.includes(programme.id) ? 'first' : 'normal',
    completenessWorkingDays: APPLICATION_RULES.completenessWorkingDays,
    supplementReplyDays: APPLICATION_RULES.supplementReplyDays,
    scoresRequired: programme.caseKind === 'award' ? 1 : 0,
    directorThresholdFen: APPLICATION_RULES.directorThresholdFen,
    timeLimits: published?.timeLimits ?? codeTimeLimitsOf(programme.id),
    ...(published
      ? {
          termsVersion: {
            version: published.version,
            effectiveFrom: published.effectiveFrom,
            draftedBy: published.draftedBy,
            approvedBy: published.approvedBy,
            conditions: published.conditions,
            requiredDocuments: published.requiredDocuments,
          },
        }
      : {}),
    ...(opening.stacking ? { stacking: opening.stacking } : {}),
  };
}

/**
 * The measure as a case's snapshot has it: the catalogue version's rules with the published numbers,
 * lists and stacking matrix the case opened under. What re-reads a measure for a running case (the
 * award step's check, the ledger's stacking check) reads it here, never the catalogue alone.
 */
export function programmeOfTerms(terms: Pick<ApplicationTerms, 'catalogueVersion' | 'programmeId' | 'amount' | 'capPeriod' | 'termsVersion' | 'stacking'>): Programme | undefined {
  const programme = findProgrammeAt(terms.catalogueVersion, terms.programmeId);
  if (!programme) return undefined;
  const measure = terms.termsVersion ? programmeUnder(programme, { amount: terms.amount, capPeriod: terms.capPeriod, conditions: terms.termsVersion.conditions }) : programme;
  return terms.stacking ? withStackingMatrix(measure, terms.stacking.entries) : measure;
}

/** A measure carrying the stacking matrix to apply to it (stacking.ts reads `stackingMatrix`; absent, the seed). */
export function withStackingMatrix(programme: Programme, entries: readonly StackingEntry[]): Programme {
  const carrying: Programme & { stackingMatrix: readonly StackingEntry[] } = { ...programme, stackingMatrix: entries };
  return carrying;
}

/** Measures that fund the applicant themself: the funded item is the applicant, never a stated item. */
export function fundsTheApplicant(fundedItem: FundedItem): fundedItem is 'person' | 'company' {
  return fundedItem === 'person' || fundedItem === 'company';
}

/**
 * The item an application is counted against in the stacking ledger. A measure that funds the
 * applicant (a person or a company) counts against the applicant under that measure, so the same
 * person is funded once (or up to the yearly cap) by it, and unrelated measures never collide; a
 * measure funding a stated item (a content item, project, course …) counts against that item, and
 * where none is stated, against the case itself.
 */
export function ledgerItemId(
  terms: Pick<ApplicationTerms, 'programmeId' | 'fundedItem'> & { catalogueVersion?: string },
  facts: ApplicationFacts,
  applicantAccountId: string,
  caseId: string,
): string {
  // Since 2026-12-03 a measure may name the facts that identify its item (a loan, a drama, a company): the ledger keys on those.
  const programme = terms.catalogueVersion === undefined ? undefined : findProgrammeAt(terms.catalogueVersion, terms.programmeId);
  const identified = programme?.identifiedBy ? fundedItemKey(programme, facts) : undefined;
  if (identified !== undefined) return identified;
  if (fundsTheApplicant(terms.fundedItem)) return applicantItemId(terms.fundedItem, terms.programmeId, applicantAccountId);
  return facts.itemId ?? `${terms.fundedItem}:${caseId}`;
}

export function applicantItemId(fundedItem: 'person' | 'company', programmeId: string, applicantAccountId: string): string {
  return `${fundedItem}:${programmeId}:${applicantAccountId}`;
}

/** Whether the measure counts the applicant's stays this calendar year (YOUNG人才公寓: ≤ 2 a year). */
export function countsStaysThisYear(programme: Pick<Programme, 'requiredFacts'>): boolean {
  return programme.requiredFacts.includes('staysThisYear');
}

/**
 * The calendar year whose stays an application for a stay counts: the year of its first day
 * (入住日期), so a stay in January applied for in December counts against January's year. An
 * application from before 入住日期 was asked has none: the year of the day it is judged on.
 */
export function stayYearOf(facts: Pick<ApplicationFacts, 'stayStartDate'>, on: LocalDate): number {
  return yearOf(facts.stayStartDate ?? on);
}

/**
 * The facts the rules are applied to: the stated ones, with what the system knows better put in
 * their place — the funded item of a measure that funds the applicant, and the stays the
 * applicant has already taken this year (from the read model, never the applicant's claim).
 */
export function withServerFacts(
  programme: Pick<Programme, 'id' | 'fundedItem' | 'requiredFacts' | 'identifiedBy'>,
  facts: ApplicationFacts,
  known: { applicantAccountId: string; staysThisYear?: number },
): ApplicationFacts {
  const derived: ApplicationFacts = { ...facts };
  const identified = programme.identifiedBy ? fundedItemKey(programme, facts) : undefined;
  // The item the identifying facts name replaces any stated itemId, so renaming cannot bypass stacking.
  if (identified !== undefined) derived.itemId = identified;
  else if (fundsTheApplicant(programme.fundedItem)) derived.itemId = applicantItemId(programme.fundedItem, programme.id, known.applicantAccountId);
  if (countsStaysThisYear(programme)) derived.staysThisYear = known.staysThisYear ?? 0;
  return derived;
}
