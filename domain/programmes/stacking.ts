import { formatFen, type Fen } from '../money/fen.js';
import { yearOf, type LocalDate } from '../time/local-date.js';
import type { Programme } from './programme.js';

/** One award in the stacking ledger: what was granted, under which programme, for which item. */
export interface LedgerAward {
  awardId: string;
  caseId: string;
  applicantAccountId: string;
  programmeId: string;
  itemId: string;
  amountFen: Fen;
  awardedOn: LocalDate;
}

export interface Violation {
  rule: string;
  message: string;
}

/**
 * City awards stack with district awards (002 Q5); two programmes of the same level do not stack
 * on the same item, and the same programme funds an item once (or up to its cap per calendar year).
 */
export function stacksWith(a: Programme, b: Programme): boolean {
  return a.level !== b.level;
}

export function stackingViolations(
  programme: Programme,
  application: { itemId: string; requestedAmountFen: Fen; on: LocalDate },
  ledger: readonly LedgerAward[],
  programmeById: (id: string) => Programme | undefined,
): Violation[] {
  if (programme.fundedItem === 'none') return [];
  const sameItem = ledger.filter((award) => award.itemId === application.itemId);
  const violations: Violation[] = [];
  for (const award of sameItem) {
    const other = programmeById(award.programmeId);
    if (!other || award.programmeId === programme.id) continue;
    if (!stacksWith(programme, other)) {
      violations.push({
        rule: 'no-stacking',
        message: `item ${application.itemId} was already funded under ${other.name.zh} (${other.id}): award ${award.awardId}, ${formatFen(award.amountFen)}, on ${award.awardedOn}; ${programme.name.zh} does not stack with it`,
      });
    }
  }
  const earlier = sameItem.filter((award) => award.programmeId === programme.id);
  if (programme.capPeriod === 'per-year' && programme.amount.kind === 'cap') {
    const year = yearOf(application.on);
    const thisYear = earlier.filter((award) => yearOf(award.awardedOn) === year).reduce((sum, award) => sum + award.amountFen, 0);
    if (thisYear + application.requestedAmountFen > programme.amount.capFen) {
      violations.push({
        rule: 'cap-per-year',
        message: `requested ${formatFen(application.requestedAmountFen)} with ${formatFen(thisYear)} already awarded for item ${application.itemId} in ${year} exceeds the yearly cap of ${formatFen(programme.amount.capFen)}`,
      });
    }
  } else if (earlier.length > 0) {
    const first = earlier[0]!;
    violations.push({
      rule: 'funded-once',
      message: `item ${application.itemId} was already funded under ${programme.name.zh}: award ${first.awardId}, ${formatFen(first.amountFen)}, on ${first.awardedOn}`,
    });
  }
  return violations;
}
