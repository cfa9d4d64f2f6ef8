import type { Fen } from '../money/fen.js';
import { chineseDate, yearOf, type LocalDate } from '../time/local-date.js';
import { factLabel, yuanText } from './fact-labels.js';
import type { ApplicationFacts, FactName, Programme, ProgrammeFamily } from './programme.js';
import { sourceInWords } from './sources.js';
import { withoutSeparators } from '../text/typed-separators.js';
import { systemFilingNo } from '../drama-filing/filing-number.js';

/** One award in the stacking ledger: what was granted, under which programme, for which item. */
export interface LedgerAward {
  awardId: string;
  caseId: string;
  /** The 申请编号 of the case that holds it, where the look-up read it: how its applicant knows it (absent in look-ups recorded before). */
  referenceNo?: string;
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

/** A point the official must look at before deciding; it does not refuse the application. */
export interface ReviewNote {
  rule: string;
  message: string;
}

/** Which measures an entry of the matrix speaks of: one measure, or every measure of a family. */
export type StackingSide = { programmeId: string } | { family: ProgrammeFamily };

export interface StackingEntry {
  between: readonly [StackingSide, StackingSide];
  verdict: 'stack' | 'do-not-stack';
  /** The source that says so (a file in shared/seeds and the question or measure). */
  source: string;
  inWords: string;
}

export const FAMILY_NAMES: Record<ProgrammeFamily, string> = {
  hu9: '沪九条',
  yangpu: '杨浦',
  huangpu: '黄浦',
  'drama-hu8': '沪8条（AI 微短剧）',
  xuhui: '徐汇',
};

/**
 * Which measures may fund the same item together, seeded only with what the sources say. A pair
 * the matrix does not name is not refused: the official is asked to review it (issue 14). The same
 * measure twice for the same item is a different rule (funded once, or the yearly cap).
 */
export const STACKING_MATRIX: readonly StackingEntry[] = [
  // 002 Q5: 市级政策对空间载体、优秀人才提供的奖补与区级政策叠加 — the city's 沪九条 awards stack with each district's.
  ...(['yangpu', 'huangpu', 'xuhui'] as const).map(
    (family): StackingEntry => ({
      between: [{ family: 'hu9' }, { family }],
      verdict: 'stack',
      source: '002 Q5',
      inWords: `沪九条市级奖补与${FAMILY_NAMES[family]}区级政策可叠加（合计不超过实际发生的费用，如贷款实际支付的利息）`,
    }),
  ),
];

const matches = (side: StackingSide, p: Programme) => ('programmeId' in side ? side.programmeId === p.id : side.family === p.family);

/**
 * Since issue 14 part 4 the office sets the matrix (domain/programme-terms/stacking-matrix.ts): a
 * measure resolved from a case's snapshot carries the entries approved when the case opened
 * (`stackingMatrix`, set by terms.ts withStackingMatrix). A measure without it reads the seed above.
 */
const matrixOf = (p: Programme): readonly StackingEntry[] => (p as Programme & { stackingMatrix?: readonly StackingEntry[] }).stackingMatrix ?? STACKING_MATRIX;

/** What the matrix says of two measures on the same item; undefined where the sources say nothing. */
export function stackingEntry(a: Programme, b: Programme, matrix: readonly StackingEntry[] = matrixOf(a)): StackingEntry | undefined {
  return matrix.find(({ between: [x, y] }) => (matches(x, a) && matches(y, b)) || (matches(x, b) && matches(y, a)));
}

/** The entries of a matrix that speak of a measure: what a case's snapshot keeps of it. */
export function entriesConcerning(p: Programme, matrix: readonly StackingEntry[]): StackingEntry[] {
  return matrix.filter(({ between: [x, y] }) => matches(x, p) || matches(y, p));
}

/** A matrix entry as people read it: what it says and its source, the source also named by its document. */
export function entryInWords<E extends Pick<StackingEntry, 'inWords' | 'source'>>(entry: E): E & { sourceInWords: string } {
  return { ...entry, sourceInWords: sourceInWords(entry.source) };
}

/** What the matrix says of a measure, in words with its source, for the catalogue page. */
export function stackingInWords(p: Programme, matrix: readonly StackingEntry[] = matrixOf(p)): { inWords: string; source: string; sourceInWords: string }[] {
  return entriesConcerning(p, matrix).map(({ inWords, source }) => entryInWords({ inWords, source }));
}

/**
 * Whether `a`, applied for, stacks with `b` already awarded on the same item. Measures of catalogue
 * 2026-12-03 on follow the matrix; those of 2026-11-23 keep the rule the cases opened under had:
 * city awards stack with district awards (002 Q5), two of the same level never do.
 */
export function stacksWith(a: Programme, b: Programme, matrix: readonly StackingEntry[] = matrixOf(a)): boolean {
  if (a.catalogueVersion !== undefined) return stackingEntry(a, b, matrix)?.verdict === 'stack';
  return a.level !== b.level;
}

const normalised = (value: unknown) => String(value).normalize('NFKC').replace(/\s+/g, '').toUpperCase();

/**
 * The item an application is counted against, from the facts that identify it (a loan by its lender
 * and contract number, a drama by its 备案号, a company by its 统一社会信用代码), so renaming a free-text
 * item cannot bypass stacking. Where the measure names no identifying facts (older catalogue versions,
 * and items nothing identifies better, such as 杨浦's content awards for any kind of content) it is the
 * stated itemId. Undefined when an identifying fact is missing (the required-fact check reports it).
 */
export function fundedItemKey(programme: Pick<Programme, 'fundedItem' | 'identifiedBy'>, facts: ApplicationFacts): string | undefined {
  const by = programme.identifiedBy;
  if (!by || by.length === 0) return facts.itemId;
  const values = by.map((fact: FactName) => facts[fact]);
  if (values.some((v) => v === undefined || String(v).trim() === '')) return undefined;
  return `${programme.fundedItem}:${values.map(normalised).join('|')}`;
}

/**
 * Two ledger keys name the same item when they differ only in width, separators (spaces, hyphens,
 * dashes and the like: domain/text/typed-separators.ts) or the case of Latin letters: "W-1" and
 * "w 1" are one work, a loan contract HE-G-001 typed as HEG001 is one loan, so funding it again
 * under another spelling is refused. Keys are stored as derived (the auditor rebuilds them from
 * events); only comparisons fold them. Letter case is folded for ASCII only, so that PostgreSQL
 * computes the same key (db/awards-ledger.ts, with the function of migration 2026-12-06T12-10).
 */
export const itemMatchKey = (itemId: string): string => {
  const item = dramaItem(itemId.normalize('NFKC'));
  if (item.startsWith(LOAN_ITEM_PREFIX)) return withoutSeparators(lenderFolded(item)).replace(/[a-z]+/g, (letters) => letters.toUpperCase());
  // A 备案号 of the system's own, however typed and wherever it sits ("备案号BA-2026-000001", "ba 2026 1"), is that
  // drama: an outside tester's drama funded by 沪8条 was funded again by 徐汇 under "备案号BA-2026-000001".
  const filingNo = systemFilingNo(item);
  return withoutSeparators(filingNo ?? item).replace(/[a-z]+/g, (letters) => letters.toUpperCase());
};

/** A loan's ledger key: `loan:<lender>|<contract number>` (fundedItemKey of the interest subsidies, identified by both). */
const LOAN_ITEM_PREFIX = 'loan:';

/**
 * The words of a company's legal form a lender's name is typed with or without: an outside tester's
 * loan, subsidised by 沪九条 as lent by 上海银行, was subsidised again by 杨浦 as lent by
 * 上海银行股份有限公司, beyond the interest paid. Only the lender part of a loan's key is folded so.
 * (Migration 2026-12-06T12-20 keeps a frozen copy.)
 */
const LEGAL_FORM = /股份有限公司|有限责任公司|有限公司/g;
const lenderFolded = (loanItem: string): string => loanItem.replace(/^loan:[^|]*/, (lender) => lender.replace(LEGAL_FORM, ''));

/** A loan key's contract number as compared, or undefined for another kind of item. */
export const loanContractKey = (itemId: string): string | undefined => {
  const item = itemId.normalize('NFKC');
  if (!item.startsWith(LOAN_ITEM_PREFIX) || !item.includes('|')) return undefined;
  return withoutSeparators(item.slice(item.indexOf('|') + 1)).replace(/[a-z]+/g, (letters) => letters.toUpperCase());
};

/**
 * The prefix a drama's ledger key carries where its measure keys on the 微短剧备案号 (沪8条:
 * `content-item:<备案号>`, fundedItemKey). A measure that keys on the stated item (徐汇's 优质作品,
 * 文商旅融合作品) names the same drama by the same number with no prefix: an outside tester's drama,
 * funded by 沪8条 and then by 徐汇, raised no 叠加资助待审核, the two keys never matching. Compared without
 * it, the two are one item; the keys stay stored as derived, so no row changes and a rebuild writes the
 * same. db/awards-ledger.ts strips it alike in SQL.
 */
export const DRAMA_ITEM_PREFIX = 'content-item:';

const dramaItem = (itemId: string): string => (itemId.startsWith(DRAMA_ITEM_PREFIX) ? itemId.slice(DRAMA_ITEM_PREFIX.length) : itemId);

export const sameFundedItem = (a: string, b: string): boolean => itemMatchKey(a) === itemMatchKey(b);

/** The measure's name and what identifies the item, for messages. */
const itemInWords = (programme: Programme, itemId: string) => {
  // A measure that funds the applicant itself counts the applicant (terms.ts applicantItemId): say so, not the key.
  if (itemId.startsWith(`person:${programme.id}:`) || itemId.startsWith(`company:${programme.id}:`)) return '本申请人';
  return programme.identifiedBy ? `${programme.identifiedBy.map(factLabel).join('、')}为 ${itemId.slice(itemId.indexOf(':') + 1)} 的事项` : `事项“${itemId}”`;
};

/**
 * An award's item as a list of awards shows it, never as the ledger's key: 本申请人 for a measure that
 * funds the applicant, the identifying facts and their values (a loan's company by its code), or
 * the item as it was stated.
 */
export function awardItemInWords(programme: Pick<Programme, 'id' | 'fundedItem' | 'identifiedBy'> | undefined, itemId: string): string {
  if (programme && (itemId.startsWith(`person:${programme.id}:`) || itemId.startsWith(`company:${programme.id}:`))) return '本申请人';
  const prefix = programme ? `${programme.fundedItem}:` : undefined;
  if (programme?.identifiedBy && prefix && itemId.startsWith(prefix)) return `${programme.identifiedBy.map(factLabel).join('、')} ${itemId.slice(prefix.length).split('|').join('、')}`;
  // A 雏鹰 loan counts against the company (domain/chuying/one-loan.ts loanLedgerItemId).
  if (itemId.startsWith('company:')) return `统一社会信用代码 ${itemId.slice('company:'.length)}`;
  return itemId;
}

/** What stacking is judged on: the item, the amount, the day, and the account applying (for a measure that funds the applicant). */
export interface StackingApplication {
  itemId: string;
  requestedAmountFen: Fen;
  on: LocalDate;
  applicantAccountId?: string;
}

/**
 * Whether an award of the same measure is this application's item because it went to the same
 * account: a measure that funds the company (or the person) itself counts the applicant, and one
 * account is one company or one person, whatever credit code an application gives. An outside tester
 * had one company account paid a per-company 500,000.00 twice, under two made-up valid codes. (Other
 * measures are stacked by their items, as before.)
 */
function sameApplicant(programme: Programme, award: LedgerAward, application: Pick<StackingApplication, 'applicantAccountId'>): boolean {
  if (!application.applicantAccountId || award.applicantAccountId !== application.applicantAccountId) return false;
  return award.programmeId === programme.id && (programme.fundedItem === 'company' || programme.fundedItem === 'person');
}

/**
 * An award funds its item only while it holds an amount: one whose payments stopped before any was
 * made stands in the ledger at 0.00 (what the applicant was entitled to, db/projections), and funded
 * nothing. An outside tester's 杨浦人才租房补贴, stopped on the day it was approved by a move out of 杨浦,
 * barred the person for good (已获…资助 0.00 元，同一事项不重复资助). The one place every measure's
 * stacking, funded-once and yearly-cap checks read the ledger through.
 */
const fundedSomething = (award: LedgerAward): boolean => award.amountFen > 0;

export function stackingViolations(
  programme: Programme,
  application: StackingApplication,
  ledger: readonly LedgerAward[],
  programmeById: (id: string) => Programme | undefined,
): Violation[] {
  return stackingReview(programme, application, ledger, programmeById).violations;
}

/**
 * How a refusal names an earlier award: the applicant's own by its 申请编号 (its ledger id where the
 * look-up did not read one); another applicant's as 另一申请人所获. The refusals reach the applicant
 * (at submission, and as the reasons of a rejection). Of another applicant's award they say that
 * the item was funded and under which measure, which is what the rule refuses by; not its id, nor
 * when, nor how much (outside testers read another company's award id, then its amount and day).
 * The department's own review names every award, with its day and amount.
 */
export type AwardNaming = (award: LedgerAward) => string;

/** How another applicant's award is named to this one. */
const ANOTHER_APPLICANTS_AWARD = '另一申请人所获';

const awardNamedFor =
  (application: Pick<StackingApplication, 'applicantAccountId'>): AwardNaming =>
  (award) =>
    application.applicantAccountId !== undefined && award.applicantAccountId !== application.applicantAccountId
      ? ANOTHER_APPLICANTS_AWARD
      : // Their own by the 申请编号 they know it by, not the ledger's AW-… id (an outside tester read the raw id).
        byCaseReference(award);

/** Every award by its case's 申请编号 (its ledger id where the look-up read none): for the officials of the department deciding the application. */
export const awardsNamedForOfficials: AwardNaming = (award) => byCaseReference(award);

/** An award by the 申请编号 of its case, or its ledger id where the look-up read none (look-ups recorded before). */
function byCaseReference(award: LedgerAward): string {
  return award.referenceNo ? `申请编号 ${award.referenceNo}` : award.awardId;
}

/** How much of a measure's yearly cap an item (or the applicant, for a measure that funds them) has been awarded in the year of `on`, and what is left. */
export interface YearlyCapUse {
  year: number;
  capFen: Fen;
  awardedFen: Fen;
  remainingFen: Fen;
}

/**
 * The yearly cap as the ledger has used it: the awards of this very measure to the same item (or the
 * same applicant, for a measure that funds them) in the calendar year of `on`. Undefined for a
 * measure whose cap does not count by the year. The rule stackingReview refuses by ('cap-per-year'),
 * and what an approval form shows before the approver sends it.
 */
export function yearlyCapUse(programme: Programme, application: Omit<StackingApplication, 'requestedAmountFen'>, ledger: readonly LedgerAward[]): YearlyCapUse | undefined {
  if (programme.fundedItem === 'none' || programme.capPeriod !== 'per-year' || programme.amount.kind !== 'cap') return undefined;
  const year = yearOf(application.on);
  const awardedFen = ledger
    .filter((award) => award.programmeId === programme.id && (sameFundedItem(award.itemId, application.itemId) || sameApplicant(programme, award, application)))
    .filter((award) => yearOf(award.awardedOn) === year)
    .reduce((sum, award) => sum + award.amountFen, 0);
  const capFen = programme.amount.capFen;
  return { year, capFen, awardedFen, remainingFen: Math.max(0, capFen - awardedFen) };
}

/**
 * Where an undecided application stands against the awards ledger as it is now, for its approval
 * form: told before the approver sends it. The decider checks the ledger again when it is sent.
 */
export interface LedgerStanding {
  /** The measure's yearly cap as used this year, where its cap counts by the year. */
  yearlyCap?: YearlyCapUse;
  /** What the ledger would refuse the approval for at the amount asked, the yearly cap aside (funded once, measures that do not stack). */
  refusals: string[];
  /** An interest subsidy's loan already subsidised under the other measure: what is left of the interest paid (check.ts interestLeftOnLoan). */
  interestLeft?: { remainingFen: number; inWords: string };
  /** A first-come call's budget left, which an approval commits against (its ledger, db/budget-ledger.ts). */
  callBudget?: { title: string; remainingFen: number };
}

/** Stacking against the ledger: the refusals, and the pairs the sources say nothing of (for review). */
export function stackingReview(
  programme: Programme,
  application: StackingApplication,
  ledger: readonly LedgerAward[],
  programmeById: (id: string) => Programme | undefined,
  nameAward: AwardNaming = awardNamedFor(application),
): { violations: Violation[]; notes: ReviewNote[] } {
  if (programme.fundedItem === 'none') return { violations: [], notes: [] };
  const sameItem = ledger.filter((award) => fundedSomething(award) && (sameFundedItem(award.itemId, application.itemId) || sameApplicant(programme, award, application)));
  const item = itemInWords(programme, application.itemId);
  const violations: Violation[] = [];
  const notes: ReviewNote[] = [];
  for (const award of sameItem) {
    const other = programmeById(award.programmeId);
    if (!other || award.programmeId === programme.id) continue;
    const usesMatrix = programme.catalogueVersion !== undefined;
    const entry = usesMatrix ? stackingEntry(programme, other) : undefined;
    // Another applicant's award is said to have been made, under which measure; not when, nor for how much.
    const earlier = (name: string) => (name === ANOTHER_APPLICANTS_AWARD ? `已获${other.name.zh}资助（${name}）` : `已于${chineseDate(award.awardedOn)}获${other.name.zh}资助 ${yuanText(award.amountFen)}（${name}）`);
    if (usesMatrix && entry === undefined) {
      // A note is for the department's officials only: it names the award.
      notes.push({ rule: 'stacking-unspecified', message: `${item}${earlier(awardsNamedForOfficials(award))}；政策未明确${programme.name.zh}能否与其叠加，请经办人审核` });
    } else if (!stacksWith(programme, other)) {
      violations.push({ rule: 'no-stacking', message: `${item}${earlier(nameAward(award))}；${programme.name.zh}不能与其叠加${entry ? `（依据：${sourceInWords(entry.source)}）` : ''}` });
    }
  }
  const earlier = sameItem.filter((award) => award.programmeId === programme.id);
  const yearly = yearlyCapUse(programme, application, ledger);
  if (yearly) {
    const { year, awardedFen: thisYear, capFen } = yearly;
    // Nothing yet this year: a request above the cap is the amount rule's to refuse, once.
    if (thisYear > 0 && thisYear + application.requestedAmountFen > capFen) {
      // Another applicant's award is theirs to know: the amount is said only where every award counted is named to this reader.
      const othersCounted = sameItem.some((award) => award.programmeId === programme.id && yearOf(award.awardedOn) === year && nameAward(award) === ANOTHER_APPLICANTS_AWARD);
      violations.push({
        rule: 'cap-per-year',
        message: othersCounted
          ? `${item}在 ${year} 年已获资助（含另一申请人所获），再申请 ${yuanText(application.requestedAmountFen)} 将超过每年最高 ${yuanText(capFen)}`
          : `${item}在 ${year} 年已获资助 ${yuanText(thisYear)}，再申请 ${yuanText(application.requestedAmountFen)} 将超过每年最高 ${yuanText(capFen)}`,
      });
    }
  } else if (earlier.length > 0) {
    const first = earlier[0]!;
    const underAnotherKey = !sameFundedItem(first.itemId, application.itemId);
    const name = nameAward(first);
    violations.push({
      rule: 'funded-once',
      message: name === ANOTHER_APPLICANTS_AWARD
        ? `${item}已获${programme.name.zh}资助（${name}），同一事项不重复资助`
        : underAnotherKey
        ? `本账户已于${chineseDate(first.awardedOn)}获${programme.name.zh}资助 ${yuanText(first.amountFen)}（${nameAward(first)}；当时所填的统一社会信用代码或事项编号不同）：一个账户代表一家单位或一位创作者，同一措施不重复资助`
        : `${item}已于${chineseDate(first.awardedOn)}获${programme.name.zh}资助 ${yuanText(first.amountFen)}（${nameAward(first)}），同一事项不重复资助`,
    });
  }
  notes.push(...sameContractUnderAnotherLender(programme, application.itemId, ledger, programmeById));
  return { violations, notes };
}

/**
 * Another interest subsidy on a loan of the same contract number whose lender was written otherwise
 * (上海银行 / 上海银行杨浦支行): perhaps the same loan, which the cap on the interest paid (check.ts
 * interestLeftOnLoan) cannot count without knowing. Told to the department's officials, to check
 * against the loan contract (叠加资助待审核). The ledger holds such an award only among the applicant's own.
 */
function sameContractUnderAnotherLender(programme: Programme, itemId: string, ledger: readonly LedgerAward[], programmeById: (id: string) => Programme | undefined): ReviewNote[] {
  const contract = loanContractKey(itemId);
  if (programme.amount.kind !== 'interest-paid-subsidy' || contract === undefined) return [];
  return ledger
    .filter((award) => fundedSomething(award) && loanContractKey(award.itemId) === contract && !sameFundedItem(award.itemId, itemId) && programmeById(award.programmeId)?.amount.kind === 'interest-paid-subsidy')
    .map((award) => ({
      rule: SAME_CONTRACT_ANOTHER_LENDER,
      message: `合同编号相同的贷款已获${programmeById(award.programmeId)?.name.zh ?? award.programmeId}贴息 ${yuanText(award.amountFen)}（${awardsNamedForOfficials(award)}，贷款银行填写为“${award.itemId.normalize('NFKC').slice(LOAN_ITEM_PREFIX.length).split('|')[0]}”）：请对照借款合同核实是否为同一笔贷款；同一笔贷款的各项贴息合计不得超过实际支付的利息`,
    }));
}

/** The rule of that note, which the department's officials are told on the case (api/views/stacking-review.ts). */
export const SAME_CONTRACT_ANOTHER_LENDER = 'same-contract-another-lender';
