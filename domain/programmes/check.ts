import { formatFen, type Fen } from '../money/fen.js';
import type { LocalDate } from '../time/local-date.js';
import { findProgramme } from './catalogue.js';
import type { ApplicationFacts, Programme } from './programme.js';
import { assessAmount } from './rules.js';
import { stackingViolations, type LedgerAward, type Violation } from './stacking.js';

export interface EligibilityResult {
  eligible: boolean;
  /** The most this application may receive; null where the measure pays no money. */
  maxAmountFen: Fen | null;
  /** How the maximum was reached, in words and numbers. */
  amountRule: string;
  violations: Violation[];
}

/**
 * Every rule of a measure applied to an application's facts: required facts, eligibility, the
 * amount rule, and stacking against the awards already in the ledger. Pure; the check endpoint and
 * case creation both call it.
 */
export function checkApplication(programme: Programme, facts: ApplicationFacts, context: { on: LocalDate; ledger?: readonly LedgerAward[] }): EligibilityResult {
  const violations: Violation[] = [];
  for (const fact of programme.requiredFacts) {
    if (facts[fact] === undefined) violations.push({ rule: 'required-fact', message: `${fact} is required for ${programme.id}` });
  }
  for (const rule of programme.eligibility) {
    const message = rule.check(facts);
    if (message !== undefined) violations.push({ rule: rule.rule, message });
  }

  const assessment = assessAmount(programme.amount, facts);
  const requested = facts.requestedAmountFen;
  if (requested !== undefined) {
    if (!Number.isSafeInteger(requested) || requested <= 0) {
      violations.push({ rule: 'amount-positive', message: 'the requested amount must be a positive whole number of fen' });
    } else if (assessment.maxAmountFen !== null && !assessment.missingFact && requested > assessment.maxAmountFen) {
      violations.push({ rule: 'amount-cap', message: capMessage(programme, requested, assessment.explanation) });
    } else if (programme.amount.kind === 'none' && programme.caseKind !== 'award') {
      violations.push({ rule: 'no-payment', message: `${programme.name.zh} is a ${programme.caseKind}: it pays no money, so no amount may be requested` });
    }
  }

  if (facts.itemId !== undefined && context.ledger) {
    const amount = requested ?? assessment.maxAmountFen ?? 0;
    violations.push(...stackingViolations(programme, { itemId: facts.itemId, requestedAmountFen: amount, on: context.on }, context.ledger, findProgramme));
  }
  return { eligible: violations.length === 0, maxAmountFen: assessment.maxAmountFen, amountRule: assessment.explanation, violations };
}

function capMessage(programme: Programme, requested: Fen, explanation: string): string {
  if (programme.amount.kind === 'cap') return `requested ${formatFen(requested)} exceeds the ${programme.name.zh} cap of ${formatFen(programme.amount.capFen)}`;
  return `requested ${formatFen(requested)} exceeds ${explanation}`;
}
