import { z } from 'zod';
import { withServerFacts } from '../../domain/applications/terms.js';
import { applicationProblems, statedItemProblem } from '../../domain/programmes/check.js';
import { FACT_LOOKUPS } from '../../domain/programmes/fact-sources.js';
import type { ApplicationFacts, FactName, Programme } from '../../domain/programmes/programme.js';
import type { LocalDate } from '../../domain/time/local-date.js';
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

/** What an application is judged against before anything is looked up: the measure as the office's terms in force have it, the day, and who applies. */
export interface ApplicationRulesContext {
  measure: Programme;
  on: LocalDate;
  applicantAccountId: string;
}

/** The facts a department's register answers: whatever is typed for them is replaced later, so no rule is judged on them here. */
const ANSWERED_BY_REGISTERS = Object.keys(FACT_LOOKUPS) as FactName[];

/**
 * The body of an application under one measure, answering every problem at once (一次告知): the
 * fields' own problems and, beside them, every rule of the measure that the request alone can
 * judge, each at the fact it reads. A request whose fields are all sound is judged by the route
 * instead, after the registers' look-ups, so that the registers' answers count.
 */
export function applicationBodyUnder(context: ApplicationRulesContext) {
  const { measure } = context;
  return z.unknown().transform((value, ctx) => {
    const parsed = createApplicationBody.safeParse(value);
    const issues: z.core.$ZodIssue[] = parsed.success ? [] : [...parsed.error.issues];
    const stated = soundFacts(value);
    // The self-check refuses it alike (domain/programmes/check.ts).
    const item = statedItemProblem(measure, stated);
    if (item) {
      issues.push({
        code: 'custom',
        input: stated.itemId,
        path: ['facts', 'itemId'],
        message: item.message,
        params: { code: item.rule, english: `${measure.id} funds the applicant (${measure.fundedItem}): facts.itemId is not given` },
      });
    }
    if (issues.length > 0) {
      const refused = new Set(issues.map((issue) => (issue.path ?? []).map(String).join('.')));
      const facts = withServerFacts(measure, stated, { applicantAccountId: context.applicantAccountId });
      for (const problem of applicationProblems(measure, facts, { on: context.on, answeredLater: ANSWERED_BY_REGISTERS })) {
        // A fact whose own value is refused is not judged again by the rules.
        if (refused.has(problem.field)) continue;
        issues.push({ code: 'custom', path: problem.field.split('.'), message: problem.message, params: { code: problem.code, english: problem.english } });
      }
      // Issues already worded (the fields' own, in plain Chinese by the locale), passed on as they are.
      for (const issue of issues) ctx.issues.push(issue as z.core.$ZodRawIssue);
      return z.NEVER;
    }
    return parsed.data!;
  });
}

/** The facts of a request whose values are sound on their own (known names, valid values), for the rules to judge. */
function soundFacts(value: unknown): ApplicationFacts {
  const facts = value !== null && typeof value === 'object' ? (value as { facts?: unknown }).facts : undefined;
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) return {};
  const shape = applicationFactsBody.shape as Record<string, z.ZodType>;
  const sound: Record<string, unknown> = {};
  for (const [name, stated] of Object.entries(facts)) {
    // The stays already taken are the system's to count, never the applicant's to state.
    if (name === 'staysThisYear' || !Object.hasOwn(shape, name)) continue;
    const result = shape[name]!.safeParse(stated);
    if (result.success && result.data !== undefined) sound[name] = result.data;
  }
  return sound as ApplicationFacts;
}
