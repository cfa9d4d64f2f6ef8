import { applicantKindProblem } from '../accounts/applicant-kind.js';
import { fundsTheApplicant, withServerFacts } from '../applications/terms.js';
import { describePlan, planFor, planTotalFen, waivedYears, waiverEndsOn, type PayoutPlan } from '../applications/payouts.js';
import type { FieldIssue } from '../errors.js';
import { formatFen, type Fen } from '../money/fen.js';
import { addDays, addMonthsClamped, chineseDate, compareDates, type LocalDate } from '../time/local-date.js';
import { findProgramme } from './catalogue.js';
import { factLabel, yuanText } from './fact-labels.js';
import { PUBLISHED_FACTS } from './fact-sources.js';
import type { ApplicationFacts, FactName, Programme } from './programme.js';
import { assessAmount } from './rules.js';
import { fundedItemKey, sameFundedItem, stackingReview, type LedgerAward, type ReviewNote, type Violation } from './stacking.js';

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
export function checkApplication(programme: Programme, facts: ApplicationFacts, context: { on: LocalDate; ledger?: readonly LedgerAward[]; applicantAccountId?: string }): EligibilityResult {
  const { violations, ...result } = assess(programme, facts, context);
  // The check endpoint and the workflow's assessment answer the rule and its message only, as they always have.
  return { ...result, violations: violations.map(({ rule, message }) => ({ rule, message })) };
}

/** A broken rule with the fact it reads: where a form shows it. */
export interface PlacedViolation extends Violation {
  fact?: FactName;
}

export { PUBLISHED_FACTS };

/**
 * A measure that funds the applicant counts its award against the applicant (terms.ts
 * withServerFacts), so its forms ask no 项目或作品编号, and one typed anyway is refused: the
 * application and the self-check refuse it alike, at the field.
 */
export function statedItemProblem(programme: Pick<Programme, 'name' | 'fundedItem'>, stated: ApplicationFacts): PlacedViolation | undefined {
  if (!fundsTheApplicant(programme.fundedItem) || stated.itemId === undefined) return undefined;
  return { rule: 'item-is-the-applicant', fact: 'itemId', message: `${programme.name.zh}资助的就是申请人本身，不填写项目或作品编号` };
}

/** How far ahead a stay may be applied for: within a year of the application (入住日期 at most 12 months on). */
export const STAY_APPLIED_AHEAD_MONTHS = 12;

/**
 * A stay applied for is one still to come, and near enough to be judged: its first day (入住日期) not
 * before the day of the application, nor more than a year after it (a stay years away is a mistyped
 * year far more often than a plan, and the stays of a year it counts against are not known yet).
 * Judged when applying (and in the self-check, as an application made today), not at the decision:
 * the application's day is the one the applicant chose the date on.
 */
export function stayStartProblem(stated: ApplicationFacts, appliedOn: LocalDate): PlacedViolation | undefined {
  if (stated.stayStartDate === undefined) return undefined;
  if (compareDates(stated.stayStartDate, appliedOn) < 0) {
    return { rule: 'stay-start-past', fact: 'stayStartDate', message: `入住日期${chineseDate(stated.stayStartDate)}早于申请之日（${chineseDate(appliedOn)}）：请填写尚未开始的入住` };
  }
  const latest = addMonthsClamped(appliedOn, STAY_APPLIED_AHEAD_MONTHS);
  if (compareDates(stated.stayStartDate, latest) > 0) {
    return { rule: 'stay-start-too-far', fact: 'stayStartDate', message: `入住日期${chineseDate(stated.stayStartDate)}距申请之日超过一年：只受理一年内开始的入住（最晚${chineseDate(latest)}），请核对年份` };
  }
  return undefined;
}

/** What a self-check knows besides what is typed: the day, the applicant's own awards, the registers' published figures, and who asks. */
export interface SelfCheckContext {
  on: LocalDate;
  ledger?: readonly LedgerAward[];
  /** The figures a register publishes, looked up as the application looks them up on `on` (lookUpRegisterFacts): the LPR. */
  published?: ApplicationFacts;
  /** The signed-in applicant: a measure that funds the applicant counts against them, and the kind they claim must fit their account (domain/accounts/applicant-kind.ts). */
  applicant?: { accountId: string; kind?: 'individual' | 'company' | null };
}

/**
 * The facts a self-check judges: what the person states, less what the application never takes
 * from them — a published figure (the LPR, replaced by the register's), the item of a measure that
 * funds the applicant (theirs, when signed in) — so that the self-check decides as the application would.
 */
export function selfCheckFacts(programme: Programme, stated: ApplicationFacts, context: Pick<SelfCheckContext, 'published' | 'applicant'>): ApplicationFacts {
  const facts = Object.fromEntries(Object.entries(stated).filter(([name]) => !PUBLISHED_FACTS.includes(name as FactName))) as ApplicationFacts;
  for (const fact of PUBLISHED_FACTS) {
    const value = context.published?.[fact];
    if (value !== undefined) Object.assign(facts, { [fact]: value });
  }
  if (fundsTheApplicant(programme.fundedItem)) delete facts.itemId;
  if (!context.applicant) return facts;
  // The item as the application derives it; the stays already taken stay as stated (the self-check has no record of them).
  const derived = withServerFacts(programme, facts, { applicantAccountId: context.applicant.accountId });
  if (facts.staysThisYear === undefined) delete derived.staysThisYear;
  else derived.staysThisYear = facts.staysThisYear;
  return derived;
}

/**
 * 资格自查: the application's own check (checkApplication) on the facts the application would
 * judge (selfCheckFacts), with the refusals the application makes of what is stated — an item typed
 * for a measure that funds the applicant, a kind that does not fit the signed-in account.
 */
export function selfCheck(programme: Programme, stated: ApplicationFacts, context: SelfCheckContext): EligibilityResult & { violations: PlacedViolation[] } {
  const facts = selfCheckFacts(programme, stated, context);
  // Each broken rule with the fact it reads, so that an application form tells it at that field before 确认提交.
  const result = assess(programme, facts, { on: context.on, ...(context.ledger ? { ledger: context.ledger } : {}) });
  const ofAccount = context.applicant ? applicantKindProblem(context.applicant.kind ?? null, stated.applicantKind) : undefined;
  const refused = [statedItemProblem(programme, stated), stayStartProblem(stated, context.on), ofAccount && { rule: ofAccount.code ?? 'applicant-kind-of-account', fact: 'applicantKind' as const, message: ofAccount.message }].flatMap((v) => (v ? [v] : []));
  const violations = [...refused, ...result.violations].map(({ rule, message, fact }) => ({ rule, message, ...(fact ? { fact } : {}) }));
  return { ...result, eligible: violations.length === 0, violations };
}

function assess(programme: Programme, facts: ApplicationFacts, context: { on: LocalDate; ledger?: readonly LedgerAward[]; applicantAccountId?: string }): Omit<EligibilityResult, 'violations'> & { violations: PlacedViolation[] } {
  const violations: PlacedViolation[] = [];
  const notes: ReviewNote[] = [];
  for (const fact of programme.requiredFacts) {
    if (facts[fact] !== undefined) continue;
    // A published figure (the LPR) is nobody's to type: when none is published yet, say so rather than ask for it.
    const message = PUBLISHED_FACTS.includes(fact)
      ? `${factLabel(fact)}按申请当日已公布的数值计算，${chineseDate(context.on)}以前尚无公布的数值，暂不能申请${programme.name.zh}；请咨询受理部门`
      : `申请${programme.name.zh}须填写${factLabel(fact)}`;
    violations.push({ rule: 'required-fact', fact, message });
  }
  if (programme.effectiveFrom !== undefined && compareDates(context.on, programme.effectiveFrom) < 0) {
    violations.push({ rule: 'not-yet-effective', message: `${programme.name.zh}自${chineseDate(programme.effectiveFrom)}起施行；${chineseDate(context.on)}尚不能申请` });
  }
  // An interest subsidy pays on interest actually paid (按实际支付的利息): a period still to come has none yet.
  if (facts.interestPeriodTo !== undefined && compareDates(facts.interestPeriodTo, context.on) > 0) {
    violations.push({
      rule: 'interest-not-yet-paid',
      fact: 'interestPeriodTo',
      message: `付息期间截止日${chineseDate(facts.interestPeriodTo)}晚于今天（${chineseDate(context.on)}）：贴息按实际支付的利息计算，只能申请已经支付的利息`,
    });
  }
  // A rent waiver's years count from admission (001 免): what is left of them on the day, or none.
  const waiver = facts.admittedOn !== undefined ? planFor(programme.payout, programme.amount, facts, undefined, context.on) : undefined;
  const waiverEnded = rentWaiverEndedProblem(programme, waiver);
  if (waiverEnded) violations.push(waiverEnded);
  if (programme.status === 'planned') {
    // A planned (拟) measure is accepted, and the official confirms its implementing rules apply before deciding (see README).
    notes.push({ rule: 'planned-measure', message: `${programme.name.zh}在政策原文（${programme.source}）中为“拟”推出的措施：请经办人确认已有实施办法后再作决定` });
  }
  const missing = new Set(violations.flatMap((v) => (v.fact ? [v.fact] : [])));
  for (const rule of programme.eligibility) {
    // A fact not given is told once, as missing; its rule has nothing to judge yet.
    if (rule.fact !== undefined && missing.has(rule.fact)) continue;
    const message = rule.check(facts);
    const at = rule.factOf?.(facts) ?? rule.fact;
    if (message !== undefined) violations.push({ rule: rule.rule, message, ...(at ? { fact: at } : {}) });
    else {
      const note = rule.review?.(facts);
      if (note !== undefined) notes.push({ rule: rule.rule, message: note });
    }
  }

  const itemKey = fundedItemKey(programme, facts);
  const assessment = assessAmount(programme.amount, facts, programme);
  let maxAmountFen = assessment.maxAmountFen;
  let amountRule = assessment.explanation;
  // A tenant already in its second or third contract year is waived what is left of them, not three years from now.
  if (waiver?.kind === 'rent-waiver-years' && (waiver.firstYear ?? 1) > 1) {
    maxAmountFen = planTotalFen(waiver);
    amountRule = `${describePlan(waiver)}，合计 ${yuanText(maxAmountFen)}`;
  }
  const interest = itemKey !== undefined && context.ledger && maxAmountFen !== null ? interestLeftOnLoan(programme, itemKey, facts.interestPaidFen, context.ledger) : undefined;
  if (interest && interest.remainingFen < maxAmountFen!) {
    maxAmountFen = interest.remainingFen;
    amountRule = `${assessment.explanation}；${interest.inWords}`;
  }

  const requested = facts.requestedAmountFen;
  if (requested !== undefined) {
    if (!Number.isSafeInteger(requested) || requested <= 0) {
      violations.push({ rule: 'amount-positive', fact: 'requestedAmountFen', message: '申请金额须大于 0 元，最多精确到分' });
    } else if (maxAmountFen !== null && !assessment.missingFact && requested > maxAmountFen) {
      violations.push({ rule: 'amount-cap', fact: 'requestedAmountFen', message: capMessage(programme, requested, maxAmountFen === assessment.maxAmountFen ? assessment.explanation : amountRule) });
    } else if (maxAmountFen === null && programme.caseKind !== 'award') {
      violations.push({ rule: 'no-payment', fact: 'requestedAmountFen', message: `${programme.name.zh}为${CASE_KIND_NAMES[programme.caseKind]}，不发放资金，不能填写申请金额` });
    }
  }

  if (itemKey !== undefined && context.ledger) {
    const amount = requested ?? maxAmountFen ?? 0;
    const stacking = stackingReview(programme, { itemId: itemKey, requestedAmountFen: amount, on: context.on, ...(context.applicantAccountId ? { applicantAccountId: context.applicantAccountId } : {}) }, context.ledger, findProgramme);
    violations.push(...stacking.violations);
    notes.push(...stacking.notes);
  }
  return { eligible: violations.length === 0, maxAmountFen, amountRule, violations, notes };
}

/**
 * 001 免: a rent waiver covers the tenancy's first contract years, counted from the day the carrier
 * register has the company admitted. A tenant whose last such year has ended has none left to waive.
 */
function rentWaiverEndedProblem(programme: Programme, plan: PayoutPlan | undefined): PlacedViolation | undefined {
  if (plan?.kind !== 'rent-waiver-years' || plan.firstYear === undefined || waivedYears(plan).length > 0) return undefined;
  const years = plan.waivedBasisPointsByYear.length;
  return {
    rule: 'rent-waiver-period-ended',
    fact: 'admittedToCarrier',
    message: `登记名录中的入驻日期为${chineseDate(plan.startOn)}，入驻后${years}个合同年度的减免期已于${chineseDate(addDays(waiverEndsOn(plan), -1))}结束：${programme.name.zh}只减免入驻后${years}年内的房租`,
  };
}

function capMessage(programme: Programme, requested: Fen, explanation: string): string {
  if (programme.amount.kind === 'cap') return `申请金额 ${yuanText(requested)} 超过${programme.name.zh}的${programme.capPeriod === 'per-year' ? '每年' : ''}最高额 ${yuanText(programme.amount.capFen)}`;
  return `申请金额 ${yuanText(requested)} 超过可申请的最高额：${explanation}`;
}

/**
 * Every rule an application breaks, each as an issue at the fact it reads (`facts.<name>`), with the
 * rule's name as its code, its Chinese message and an English one: what a form lists all at once and
 * attaches field by field. The same checks as checkApplication, run once. Facts the caller cannot
 * judge yet (a department's register answers them later) are left out, and so are the rules that read them.
 */
export function applicationProblems(
  programme: Programme,
  facts: ApplicationFacts,
  context: { on: LocalDate; ledger?: readonly LedgerAward[]; applicantAccountId?: string; answeredLater?: readonly FactName[] },
): FieldIssue[] {
  const later = new Set<FactName>(context.answeredLater ?? []);
  const known: ApplicationFacts = Object.fromEntries(Object.entries(facts).filter(([name]) => !later.has(name as FactName)));
  const result = assess(programme, known, context);
  const past = stayStartProblem(known, context.on);
  return [...(past ? [past] : []), ...result.violations]
    .filter((v) => v.fact === undefined || !later.has(v.fact))
    .map((v) => ({
      // A rule about the application as a whole (funded once, stacking, not yet in force) is named by the rule, as it always was.
      field: v.fact ? `facts.${v.fact}` : v.rule,
      message: v.message,
      code: v.rule,
      english: inEnglish(programme, v, known, result.maxAmountFen),
    }));
}

function inEnglish(programme: Programme, v: PlacedViolation, facts: ApplicationFacts, maxAmountFen: Fen | null): string {
  switch (v.rule) {
    case 'required-fact':
      return `${v.fact} is required for ${programme.id}`;
    case 'not-yet-effective':
      return `${programme.id} is in force from ${programme.effectiveFrom}; no application before then`;
    case 'amount-positive':
      return 'must be a positive whole number of fen';
    case 'amount-cap':
      return `requested ${formatFen(facts.requestedAmountFen ?? 0)} exceeds the most ${programme.id} allows, ${formatFen(maxAmountFen ?? 0)}`;
    case 'no-payment':
      return `${programme.id} pays no money: leave requestedAmountFen out`;
    default:
      return v.fact ? `rule ${v.rule} of ${programme.id} is not met by ${v.fact}` : `rule ${v.rule} of ${programme.id} is not met`;
  }
}

/**
 * 002 Q8 + 003: the city's and 杨浦's interest subsidies on one loan together never exceed the
 * interest actually paid. What the ledger's other subsidies of the loan leave for this measure's;
 * undefined where the rule does not apply (another kind of measure, no interest stated, no other
 * subsidy of the loan). The decision's checks and the ledger's write in the appending transaction
 * (db/projections/application.projection.ts, under the loan's lock) ask the same.
 */
export function interestLeftOnLoan(
  programme: Pick<Programme, 'id' | 'amount'>,
  itemKey: string,
  interestPaidFen: Fen | undefined,
  ledger: readonly Pick<LedgerAward, 'caseId' | 'itemId' | 'programmeId' | 'amountFen'>[],
): { alreadyFen: Fen; remainingFen: Fen; inWords: string; caseIds: string[] } | undefined {
  if (programme.amount.kind !== 'interest-paid-subsidy' || interestPaidFen === undefined) return undefined;
  const others = ledger.filter((a) => sameFundedItem(a.itemId, itemKey) && a.programmeId !== programme.id && findProgramme(a.programmeId)?.amount.kind === 'interest-paid-subsidy');
  const alreadyFen = others.reduce((sum, a) => sum + a.amountFen, 0);
  if (alreadyFen === 0) return undefined;
  const remainingFen = Math.max(0, interestPaidFen - alreadyFen);
  return { alreadyFen, remainingFen, caseIds: others.map((a) => a.caseId), inWords: `该笔贷款已获其他贴息 ${yuanText(alreadyFen)}，两项贴息合计不超过实际支付利息 ${yuanText(interestPaidFen)}，本次最高 ${yuanText(remainingFen)}` };
}
