import { DomainError, validationError, type FieldIssue, type Wording } from '../errors.js';
import { chineseAmount, formatFen, type Fen } from '../money/fen.js';
import { chineseDate, chineseInstant, type LocalDate } from '../time/local-date.js';
import { withoutSeparators } from '../text/typed-separators.js';
import type { ChuyingLoanCommand } from './commands.js';
import type { ChuyingLoanState } from './state.js';

/**
 * Money a case has recorded, named by its bank reference: what a repeated request is answered
 * with, and what a conflicting one is refused with.
 */
export interface MoneyRecord {
  type: 'LoanDisbursed' | 'RepaymentRecorded';
  /** The stream version of that event. */
  version: number;
  reference: string;
  amountFen: Fen;
  /** The disbursement or payment date (Asia/Shanghai). */
  date: LocalDate;
  /** When the case recorded it (ISO instant). */
  recordedAt: string;
}

/** A bank reference already recorded with another amount or date (or a second disbursement): 409, with the first. */
export class MoneyAlreadyRecordedError extends DomainError {
  constructor(
    message: { zh: string; en: string },
    readonly first: MoneyRecord,
    /** The field of the bank reference, where the form shows the refusal (what it was recorded with), and the reference typed there. */
    at: { field: string; typed: string },
  ) {
    super('conflict', { code: 'money-already-recorded', ...message, params: { reference: first.reference, amountFen: first.amountFen, date: first.date } }, [recordedAtField(at.field, first, at.typed)]);
  }
}

/**
 * The issue at the bank reference's field: the money it is already recorded as (amount and date);
 * for a second disbursement under another reference, the loan's one disbursement.
 */
export function recordedAtField(field: string, first: Pick<MoneyRecord, 'type' | 'amountFen' | 'date' | 'reference'>, typed = first.reference): FieldIssue {
  const what = first.type === 'LoanDisbursed' ? '放款' : '还款';
  const recorded = `${chineseDate(first.date)}${what} ${chineseAmount(first.amountFen)}`;
  return {
    field,
    message: sameReference(typed, first.reference) ? `此流水号已登记为${recorded}` : `本笔贷款已放款（${recorded}，银行流水号 ${first.reference}），不能再登记放款`,
    code: 'money-already-recorded',
    english: `already recorded as ${first.type === 'LoanDisbursed' ? 'a disbursement' : 'a repayment'} of ${formatFen(first.amountFen)} on ${first.date}`,
  };
}

/**
 * References are typed by hand from bank slips: full-width characters, spaces and letter case do
 * not make another payment. Treating two of them as one is refused visibly (409 naming the
 * first); treating one payment as two would silently cut the amount outstanding.
 */
export function sameReference(a: string, b: string): boolean {
  return referenceKey(a) === referenceKey(b);
}

/** A bank reference as compared: width, spaces and letter case folded (db/money-references.ts folds stored ones the same way). */
export const referenceKey = (reference: string): string => reference.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

/** What the comparison of references disregards, as the refusals say it. */
export const REFERENCE_FOLDING_IN_WORDS = '流水号中的空格、连字符等分隔符号、全角半角和大小写不作区分';

/**
 * A bank reference as checked against the fund's other money: referenceKey with every separator
 * dropped, so ICBC-H2-R1 typed as ICBCH2R1, ICBC〜H2〜R1 or ICBC_H2_R1 is not a second transaction.
 * (Equality under referenceKey still decides what a repeat is; this only refuses, and it came in
 * with REFERENCE_SEPARATORS_FOLDED_PATCH so that recorded histories decide as they did.)
 */
export const looseReferenceKey = (reference: string): string => withoutSeparators(referenceKey(reference));

/**
 * Money this loan has recorded under a reference that is the action's but for its separators
 * (an exact repeat, or the other kind under the same reference, is answered before this is asked).
 */
export function alikeReferenceInCase(state: ChuyingLoanState, action: ChuyingLoanCommand): { reference: string; kind: 'disbursement' | 'repayment' } | undefined {
  const typed = moneyReferenceOf(action);
  if (typed === undefined) return undefined;
  const key = looseReferenceKey(typed);
  const recorded = [
    ...(state.disbursement ? [{ reference: state.disbursement.bankReference, kind: 'disbursement' as const }] : []),
    ...state.repayments.map((r) => ({ reference: r.reference, kind: 'repayment' as const })),
  ];
  return recorded.find((r) => looseReferenceKey(r.reference) === key);
}

/** A record as the people who read the refusal know it: the day, the amount, the reference and when it was entered (not the event's number, which only an auditor reads). */
function describe(record: MoneyRecord, withReference = true): string {
  const what = record.type === 'LoanDisbursed' ? '放款' : '还款';
  return `${chineseDate(record.date)}${what} ${chineseAmount(record.amountFen)}${withReference ? `，银行流水号 ${record.reference}` : ''}，登记于 ${chineseInstant(record.recordedAt)}`;
}

function inEnglish(record: MoneyRecord): string {
  return `${record.type === 'LoanDisbursed' ? 'a disbursement' : 'a repayment'} of ${formatFen(record.amountFen)} on ${record.date} (reference ${record.reference}, event ${record.version})`;
}

/**
 * The money this action would record, when the case has already recorded it: the same bank
 * reference with the same amount and date. Such a request is answered with the first record and
 * records nothing. The same reference with another amount or date, or a second disbursement of
 * the loan, is refused with the first. Undefined when nothing is recorded under the reference.
 */
export function alreadyRecordedMoney(state: ChuyingLoanState, action: ChuyingLoanCommand): MoneyRecord | undefined {
  if (action.type === 'RecordDisbursement') {
    const first = state.disbursement;
    if (!first) return undefined;
    const record: MoneyRecord = {
      type: 'LoanDisbursed',
      version: first.version,
      reference: first.bankReference,
      amountFen: first.amountFen,
      date: first.disbursedOn,
      recordedAt: first.recordedAt,
    };
    if (!sameReference(first.bankReference, action.bankReference)) {
      throw new MoneyAlreadyRecordedError(
        {
          zh: `案件 ${state.referenceNo} 已登记放款：${describe(record)}。一笔贷款只放款一次，不能再登记银行流水号 ${action.bankReference} 的放款；重发原放款请求（同一流水号、同一日期）只会得到原登记结果`,
          en: `case ${state.referenceNo} has recorded its disbursement, ${inEnglish(record)}: a loan is disbursed once; ${action.bankReference} cannot be recorded as another`,
        },
        record,
        { field: 'bankReference', typed: action.bankReference },
      );
    }
    if (first.disbursedOn !== action.disbursedOn) {
      throw new MoneyAlreadyRecordedError(
        {
          zh: `银行流水号 ${action.bankReference} 已登记为${describe(record, false)}；同一流水号不能再登记为${chineseDate(action.disbursedOn)}放款。每笔放款只登记一次`,
          en: `reference ${action.bankReference} is recorded as ${inEnglish(record)}; it cannot be recorded again as a disbursement on ${action.disbursedOn}`,
        },
        record,
        { field: 'bankReference', typed: action.bankReference },
      );
    }
    return record;
  }
  if (action.type === 'RecordRepayment') {
    const first = state.repayments.find((r) => sameReference(r.reference, action.reference));
    if (!first) return undefined;
    const record: MoneyRecord = {
      type: 'RepaymentRecorded',
      version: first.version,
      reference: first.reference,
      amountFen: first.amountFen,
      date: first.paidOn,
      recordedAt: first.recordedAt,
    };
    if (first.amountFen !== action.amountFen || first.paidOn !== action.paidOn) {
      throw new MoneyAlreadyRecordedError(
        {
          zh: `银行流水号 ${action.reference} 已登记为${describe(record, false)}；同一流水号不能再登记为${chineseDate(action.paidOn)}还款 ${chineseAmount(action.amountFen)}。每笔还款只登记一次：若是另一笔还款，请填写它自己的银行流水号`,
          en: `reference ${action.reference} is recorded as ${inEnglish(record)}; it cannot be recorded again as a repayment of ${formatFen(action.amountFen)} on ${action.paidOn}: another repayment has its own reference`,
        },
        record,
        { field: 'reference', typed: action.reference },
      );
    }
    return record;
  }
  return undefined;
}

/**
 * Every money date lies between the case's own facts and today (Asia/Shanghai): a disbursement
 * from the day the funding was approved, a repayment from the day the loan was disbursed.
 */
export function checkMoneyDate(state: ChuyingLoanState, action: ChuyingLoanCommand, today: LocalDate): void {
  if (action.type === 'RecordDisbursement' && state.approvedOn) {
    checkBetween('disbursedOn', '放款日期', action.disbursedOn, { on: state.approvedOn, what: '批准日期', day: '批准日' }, today);
  }
  if (action.type === 'RecordRepayment' && state.disbursement) {
    checkBetween('paidOn', '还款日期', action.paidOn, { on: state.disbursement.disbursedOn, what: '放款日期', day: '放款日' }, today);
  }
}

function checkBetween(field: string, label: string, date: LocalDate, from: { on: LocalDate; what: string; day: string }, today: LocalDate): void {
  const out = dateOutOfRange(field, label, date, from, today);
  if (out) throw validationError(out.wording, [out.issue]);
}

/**
 * Why a money date is outside the case's facts and today, at its field, or undefined when it is
 * inside: from `from.on` (the approval, the disbursement) to today, both included.
 */
export function dateOutOfRange(field: string, label: string, date: LocalDate, from: { on: LocalDate; what: string; day: string }, today: LocalDate): { wording: Wording; issue: FieldIssue } | undefined {
  const allowed = `${label}须在${from.day}（含）至今天（含）之间，即${chineseDate(from.on)}至${chineseDate(today)}`;
  const en = `${field} must be from ${from.on} to today, ${today}`;
  const issue = { field, message: `须在${chineseDate(from.on)}（${from.day}）至${chineseDate(today)}（今天）之间`, code: 'date-out-of-range', english: en };
  const params = { field, date, from: from.on, today };
  if (date < from.on) return { wording: { code: 'date-out-of-range', zh: `${label}${chineseDate(date)}早于${from.what}${chineseDate(from.on)}：${allowed}`, en: `${en}; ${date} is before it`, params }, issue };
  if (date > today) return { wording: { code: 'date-out-of-range', zh: `${label}${chineseDate(date)}晚于今天${chineseDate(today)}：${allowed}`, en: `${en}; ${date} is in the future`, params }, issue };
  return undefined;
}

/** Where a bank reference is already recorded: on another loan, or as this loan's other kind of money. */
export interface MoneyReferenceHeld {
  caseId: string;
  referenceNo: string;
  /** `payout`: an award's payment an official recorded (登记拨付, an application case). */
  kind: 'disbursement' | 'repayment' | 'payout';
  /** The reference as it was recorded there; absent in look-ups recorded before it was answered. */
  reference?: string;
  /** Held by the very loan acting (its other kind of money, or the same under another spelling): said as 本案. */
  own?: true;
}

/** The bank reference a money action records, or undefined for any other action. */
export function moneyReferenceOf(action: ChuyingLoanCommand): string | undefined {
  if (action.type === 'RecordDisbursement') return action.bankReference;
  if (action.type === 'RecordRepayment') return action.reference;
  return undefined;
}

/**
 * One bank transaction is one money movement of the fund: a reference recorded as this loan's
 * disbursement is not also a repayment of it (nor the other way round). A repeat of the same kind
 * is alreadyRecordedMoney's, answered before this is asked.
 */
export function referenceHeldInCase(state: ChuyingLoanState, action: ChuyingLoanCommand): MoneyReferenceHeld | undefined {
  const own = { caseId: '', referenceNo: state.referenceNo, own: true as const };
  if (action.type === 'RecordRepayment' && state.disbursement && sameReference(state.disbursement.bankReference, action.reference)) return { ...own, kind: 'disbursement' };
  if (action.type === 'RecordDisbursement' && state.repayments.some((r) => sameReference(r.reference, action.bankReference))) return { ...own, kind: 'repayment' };
  return undefined;
}

/**
 * The refusal of a borrower's report (报告已还款) of a transfer whose reference the fund has already
 * recorded as money of another loan: it cannot be this loan's repayment, and the fund could never
 * record it as one. The other loan is not named: it may be another borrower's. (This loan's own
 * disbursement reported as a repayment is refused by checkDeclaration.)
 */
export function declaredReferenceRecordedElsewhere(action: Extract<ChuyingLoanCommand, { type: 'DeclareRepayment' }>): DomainError {
  return new DomainError(
    'conflict',
    {
      code: 'bank-reference-used',
      zh: `转账凭证号 ${action.reference} 已由基金登记为另一笔款项，不能再报告为本案的还款。请核对银行回单上的凭证号；如确为本案的还款，请联系基金工作人员。`,
      en: `the reference ${action.reference} of this report is already recorded by the fund as money of another loan`,
      params: { reference: action.reference },
    },
    [{ field: 'reference', message: '已由基金登记为另一笔款项', code: 'bank-reference-used', english: 'already recorded as money of another loan' }],
  );
}

/** The refusal of a bank reference already recorded (db/money-references.ts finds one on another loan). */
export function referenceAlreadyUsed(action: ChuyingLoanCommand, held: MoneyReferenceHeld): DomainError {
  return referenceUsedRefusal(moneyReferenceOf(action) ?? '', action.type === 'RecordDisbursement' ? 'bankReference' : 'reference', held);
}

/** The same, for the reference typed at a form's field (the database's own refusal gives the two). */
export function referenceUsedRefusal(reference: string, field: 'bankReference' | 'reference', held: MoneyReferenceHeld): DomainError {
  const what = held.kind === 'disbursement' ? '放款' : held.kind === 'payout' ? '奖补拨付' : '还款';
  // Recorded as typed otherwise (other hyphens, spaces or width): the official sees the form it was recorded in.
  const recordedAs = held.reference !== undefined && held.reference !== reference ? `（登记时写作 ${held.reference}）` : '';
  // This loan's own money is 本案, not read as another loan's.
  const where = held.own ? `本案（${held.referenceNo}）` : `办件 ${held.referenceNo} `;
  const message = `已登记为${where}的${what}${recordedAs}`;
  return new DomainError(
    'conflict',
    {
    code: 'bank-reference-used',
    zh: `银行流水号 ${reference} 已登记为${where}的${what}${recordedAs}：同一笔银行交易只登记一次，${REFERENCE_FOLDING_IN_WORDS}。请核对银行回单上的流水号。`,
    en: `bank reference ${reference} is already recorded as the ${held.kind} of case ${held.referenceNo}: one bank transaction is recorded once`,
      params: { reference, referenceNo: held.referenceNo, kind: held.kind },
    },
    [{ field, message, code: 'bank-reference-used', english: `already recorded as the ${held.kind} of ${held.referenceNo}` }],
  );
}
