import type { Fen } from '../money/fen.js';
import { compareDates, type LocalDate } from '../time/local-date.js';
import { findProgramme } from './catalogue.js';
import { factLabel, yuanText } from './fact-labels.js';
import type { ApplicationFacts, Programme } from './programme.js';
import { assessAmount } from './rules.js';
import { fundedItemKey, stackingReview, type LedgerAward, type ReviewNote, type Violation } from './stacking.js';

export interface EligibilityResult {
  eligible: boolean;
  /** The most this application may receive; null where the measure pays no money. */
  maxAmountFen: Fen | null;
  /** How the maximum was reached, in words and numbers. */
  amountRule: string;
  violations: Violation[];
  /** What the official must review before deciding (an open list's 其他, a planned measure, a pair of measures the sources say nothing of); never a refusal. */
  notes: ReviewNote[];
}

const CASE_KIND_NAMES: Record<Programme['caseKind'], string> = { award: '奖补', loan: '借款', service: '服务', filing: '备案' };

/**
 * Every rule of a measure applied to an application's facts: required facts, eligibility, the
 * amount rule, and stacking against the awards already in the ledger. Pure; the check endpoint and
 * case creation both call it.
 */
export function checkApplication(programme: Programme, facts: ApplicationFacts, context: { on: LocalDate; ledger?: readonly LedgerAward[] }): EligibilityResult {
  const violations: Violation[] = [];
  const notes: ReviewNote[] = [];
  for (const fact of programme.requiredFacts) {
    if (facts[fact] === undefined) violations.push({ rule: 'required-fact', message: `申请${programme.name.zh}须填写${factLabel(fact)}` });
  }
  if (programme.effectiveFrom !== undefined && compareDates(context.on, programme.effectiveFrom) < 0) {
    violations.push({ rule: 'not-yet-effective', message: `${programme.name.zh}自 ${programme.effectiveFrom} 起施行；${context.on} 尚不能申请` });
  }
  if (programme.status === 'planned') {
    // A planned (拟) measure is accepted, and the official confirms its implementing rules apply before deciding (see README).
    notes.push({ rule: 'planned-measure', message: `${programme.name.zh}在政策原文（${programme.source}）中为“拟”推出的措施：请经办人确认已有实施办法后再作决定` });
  }
  for (const rule of programme.eligibility) {
    const message = rule.check(facts);
    if (message !== undefined) violations.push({ rule: rule.rule, message });
    else {
      const note = rule.review?.(facts);
      if (note !== undefined) notes.push({ rule: rule.rule, message: note });
    }
  }

  const itemKey = fundedItemKey(programme, facts);
  const assessment = assessAmount(programme.amount, facts);
  let maxAmountFen = assessment.maxAmountFen;
  let amountRule = assessment.explanation;
  if (programme.amount.kind === 'interest-paid-subsidy' && itemKey !== undefined && facts.interestPaidFen !== undefined && context.ledger && maxAmountFen !== null) {
    // 002 Q8 + 003: the city's and 杨浦's subsidies on one loan together never exceed the interest actually paid.
    const others = context.ledger.filter((a) => a.itemId === itemKey && a.programmeId !== programme.id && findProgramme(a.programmeId)?.amount.kind === 'interest-paid-subsidy');
    const already = others.reduce((sum, a) => sum + a.amountFen, 0);
    if (already > 0) {
      const remaining = Math.max(0, facts.interestPaidFen - already);
      if (remaining < maxAmountFen) {
        maxAmountFen = remaining;
        amountRule = `${assessment.explanation}；该笔贷款已获其他贴息 ${yuanText(already)}，两项贴息合计不超过实际支付利息 ${yuanText(facts.interestPaidFen)}，本次最高 ${yuanText(remaining)}`;
      }
    }
  }

  const requested = facts.requestedAmountFen;
  if (requested !== undefined) {
    if (!Number.isSafeInteger(requested) || requested <= 0) {
      violations.push({ rule: 'amount-positive', message: '申请金额须为大于零的整数（以分计）' });
    } else if (maxAmountFen !== null && !assessment.missingFact && requested > maxAmountFen) {
      violations.push({ rule: 'amount-cap', message: capMessage(programme, requested, maxAmountFen === assessment.maxAmountFen ? assessment.explanation : amountRule) });
    } else if (maxAmountFen === null && programme.caseKind !== 'award') {
      violations.push({ rule: 'no-payment', message: `${programme.name.zh}为${CASE_KIND_NAMES[programme.caseKind]}，不发放资金，不能填写申请金额` });
    }
  }

  if (itemKey !== undefined && context.ledger) {
    const amount = requested ?? maxAmountFen ?? 0;
    const stacking = stackingReview(programme, { itemId: itemKey, requestedAmountFen: amount, on: context.on }, context.ledger, findProgramme);
    violations.push(...stacking.violations);
    notes.push(...stacking.notes);
  }
  return { eligible: violations.length === 0, maxAmountFen, amountRule, violations, notes };
}

function capMessage(programme: Programme, requested: Fen, explanation: string): string {
  if (programme.amount.kind === 'cap') return `申请金额 ${yuanText(requested)} 超过${programme.name.zh}的最高额 ${yuanText(programme.amount.capFen)}`;
  return `申请金额 ${yuanText(requested)} 超过可申请的最高额：${explanation}`;
}
