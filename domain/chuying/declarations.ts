import { conflict, refuseProblems, validationError, type DomainError, type FieldProblem } from '../errors.js';
import { chineseAmount, formatFen, type Fen } from '../money/fen.js';
import { chineseDate, chineseInstant, type LocalDate } from '../time/local-date.js';
import type { ChuyingLoanCommand } from './commands.js';
import { dateOutOfRange, looseReferenceKey, REFERENCE_FOLDING_IN_WORDS, sameReference } from './money.js';
import { outstandingFen, type ChuyingLoanState, type RecordedRepayment, type RepaymentDeclaration } from './state.js';

/**
 * The borrower's side of a repayment (报告已还款): money moves by bank transfer outside the system,
 * so the borrower tells the fund they paid, and the fund confirms it by recording the repayment
 * under the same bank reference (RecordRepayment), once the transfer is in its account. A
 * declaration settles nothing.
 */

/** A declaration as a repeat of it is answered: the shape of a money record, named by its event. */
export interface DeclarationRecord {
  type: 'RepaymentDeclared' | 'RepaymentDeclarationWithdrawn' | 'RepaymentDeclarationRejected';
  version: number;
  reference: string;
  amountFen: Fen;
  /** The day the borrower says they paid (Asia/Shanghai). */
  date: LocalDate;
  /** When the case recorded the declaration (ISO instant). */
  recordedAt: string;
}

/** The repayment the fund recorded under a declaration's reference, if it has: the declaration is then 已核对入账. */
export function confirmationOf(state: Pick<ChuyingLoanState, 'repayments'>, declaration: Pick<RepaymentDeclaration, 'reference'>): RecordedRepayment | undefined {
  return (state.repayments ?? []).find((r) => sameReference(r.reference, declaration.reference));
}

/**
 * The refusal of a report under a reference that is one this loan already has but for its
 * separators (ICBC‐2026‐0001 after ICBC-2026-0001): a report the borrower made, or a repayment the fund
 * recorded. An exact repeat is answered before this is asked; undefined when there is none alike.
 */
export function declaredAlike(state: ChuyingLoanState, command: ChuyingLoanCommand): DomainError | undefined {
  if (command.type !== 'DeclareRepayment') return undefined;
  const key = looseReferenceKey(command.reference);
  const recorded = (state.repayments ?? []).find((r) => looseReferenceKey(r.reference) === key);
  const declared = standingDeclarations(state).find((d) => looseReferenceKey(d.reference) === key);
  const first = recorded ?? declared;
  if (!first) return undefined;
  const said = recorded ? `基金已登记入账的还款（流水号 ${recorded.reference}，${chineseDate(recorded.paidOn)} ${chineseAmount(recorded.amountFen)}）` : `您已报告的还款（流水号 ${declared!.reference}，${chineseDate(declared!.paidOn)} ${chineseAmount(declared!.amountFen)}）`;
  return conflict(
    {
      code: recorded ? 'repayment-already-recorded' : 'repayment-already-declared',
      zh: `银行流水号 ${command.reference} 与${said}是同一笔转账（${REFERENCE_FOLDING_IN_WORDS}），不能再报告一次。若是另一笔转账，请核对回单上的流水号。`,
      en: `reference ${command.reference} is ${first.reference} but for hyphens or spaces: one transfer is reported once`,
      params: { reference: command.reference, recordedAs: first.reference },
    },
    [{ field: 'reference', message: `即${recorded ? '已登记入账' : '已报告'}的 ${first.reference}`, code: recorded ? 'repayment-already-recorded' : 'repayment-already-declared', english: `already ${recorded ? 'recorded' : 'reported'} as ${first.reference}` }],
  );
}

/**
 * The refusal of the fund's record of a repayment under a reference that is a report waiting to be
 * checked but for its separators or width (BOCLPSU7 for the reported BOC-LPSU-7): recorded so,
 * the report would wait for good under a reference no record could take any more. Recorded under the
 * report's own spelling, the report is checked and recorded (已核对入账). Undefined when none is alike.
 */
export function recordedAlikeReport(state: ChuyingLoanState, command: ChuyingLoanCommand): DomainError | undefined {
  if (command.type !== 'RecordRepayment') return undefined;
  const key = looseReferenceKey(command.reference);
  const report = unconfirmedDeclarations(state).find((d) => looseReferenceKey(d.reference) === key && !sameReference(d.reference, command.reference));
  if (!report) return undefined;
  const said = `${chineseDate(report.paidOn)}还款 ${chineseAmount(report.amountFen)}`;
  return conflict(
    {
      code: 'declared-reference-alike',
      zh: `借款人报告的还款（${said}，待核对）流水号为 ${report.reference}，与 ${command.reference} 是同一个流水号（${REFERENCE_FOLDING_IN_WORDS}）：如是同一笔转账，请按报告的流水号 ${report.reference} 登记，该报告即核对入账。`,
      en: `the borrower reported ${report.reference}, which ${command.reference} is but for hyphens or spaces: record it under the report's reference`,
      params: { reference: command.reference, reported: report.reference },
    },
    [{ field: 'reference', message: `借款人报告为 ${report.reference}，请按此登记`, code: 'declared-reference-alike', english: `reported as ${report.reference}` }],
  );
}

/** The declarations the borrower has not withdrawn and the fund has not returned, oldest first. */
export function standingDeclarations(state: Pick<ChuyingLoanState, 'repaymentDeclarations'>): RepaymentDeclaration[] {
  return (state.repaymentDeclarations ?? []).filter((d) => !d.withdrawal && !d.rejection);
}

/** The declarations the fund has not yet recorded a repayment for, and neither the borrower withdrew nor the fund returned, oldest first: 待核对. */
export function unconfirmedDeclarations(state: Pick<ChuyingLoanState, 'repayments' | 'repaymentDeclarations'>): RepaymentDeclaration[] {
  return standingDeclarations(state).filter((d) => !confirmationOf(state, d));
}

/**
 * The declaration this command repeats: the same bank reference, amount and day, answered with the
 * first and recording nothing. The same reference with another amount or day is refused (409) at
 * the reference, naming the first. Undefined when the borrower has declared nothing under it.
 */
export function declaredAgain(state: ChuyingLoanState, command: ChuyingLoanCommand): DeclarationRecord | undefined {
  if (command.type !== 'DeclareRepayment') return undefined;
  // A withdrawn or returned declaration is no more: its reference may be declared again, with another amount or day.
  const first = standingDeclarations(state).find((d) => sameReference(d.reference, command.reference));
  if (!first) return undefined;
  const said = `${chineseDate(first.paidOn)}还款 ${chineseAmount(first.amountFen)}`;
  if (first.amountFen !== command.amountFen || first.paidOn !== command.paidOn) {
    throw conflict(
      {
        code: 'repayment-already-declared',
        zh: `您已于${chineseInstant(first.declaredAt)}申报过银行流水号 ${first.reference} 的还款：${said}。同一笔转账只申报一次；若是另一笔转账，请填写它自己的流水号；${confirmationOf(state, first) ? '若原申报有误，请联系杨浦区 V聚场基金。' : '若原申报有误，请先撤回原申报（撤回还款申报），再重新报告。'}`,
        en: `reference ${first.reference} was declared on ${first.declaredAt} as a repayment of ${formatFen(first.amountFen)} on ${first.paidOn}; one transfer is declared once`,
        params: { reference: first.reference, amountFen: first.amountFen, date: first.paidOn },
      },
      [{ field: 'reference', message: `该流水号已申报为${said}`, code: 'repayment-already-declared', english: `already declared as ${formatFen(first.amountFen)} on ${first.paidOn}` }],
    );
  }
  return { type: 'RepaymentDeclared', version: first.version, reference: first.reference, amountFen: first.amountFen, date: first.paidOn, recordedAt: first.declaredAt };
}

/**
 * A report whose amount, with the reports still waiting for the fund, is more than the loan still owes:
 * one of them is wrong (an outside tester's borrower, owing 190,000.00, had 9,444.47 + 190,000.00 +
 * 190,000.00 waiting, each checked alone against what was owed). Refused at the amount, naming what
 * waits, and that a wrong one is withdrawn first. Undefined otherwise.
 */
export function declaredBeyondOwed(state: ChuyingLoanState, command: ChuyingLoanCommand): DomainError | undefined {
  if (command.type !== 'DeclareRepayment' || !Number.isSafeInteger(command.amountFen) || command.amountFen <= 0) return undefined;
  const waiting = unconfirmedDeclarations(state).filter((d) => !sameReference(d.reference, command.reference));
  const waitingFen = waiting.reduce((sum, d) => sum + d.amountFen, 0);
  const owed = outstandingFen(state);
  if (waiting.length === 0 || waitingFen + command.amountFen <= owed) return undefined;
  return validationError(
    {
      code: 'declared-beyond-outstanding',
      zh: `您已报告、待基金核对的还款合计 ${chineseAmount(waitingFen)}（${waiting.map((d) => `流水号 ${d.reference}，${saidIn(d)}`).join('；')}），加上本次 ${chineseAmount(command.amountFen)}将超过尚欠的 ${chineseAmount(owed)}。如有报告有误，请先撤回（撤回还款申报），再重新报告。`,
      en: `declared ${formatFen(command.amountFen)} with ${formatFen(waitingFen)} already waiting exceeds the outstanding ${formatFen(owed)}`,
      params: { amountFen: command.amountFen, waitingFen, outstandingFen: owed },
    },
    [{ field: 'amountFen', message: `连同待核对的 ${chineseAmount(waitingFen)}，超过尚欠的 ${chineseAmount(owed)}`, code: 'declared-beyond-outstanding', english: `with ${formatFen(waitingFen)} waiting, above ${formatFen(owed)}` }],
  );
}

/**
 * A report under this loan's disbursement reference but for its separators (BOC-D-0001 reported as
 * "boc d 0001"): the fund's own transfer to the borrower, refused as the reference typed exactly is
 * (checkDeclaration). An outside tester's report so was taken, and waited for a record the fund could
 * never make (its recording was refused as the disbursement's). Undefined otherwise.
 */
export function declaredDisbursementAlike(state: ChuyingLoanState, command: ChuyingLoanCommand): DomainError | undefined {
  const disbursement = state.disbursement;
  if (command.type !== 'DeclareRepayment' || !disbursement || sameReference(disbursement.bankReference, command.reference)) return undefined;
  if (looseReferenceKey(disbursement.bankReference) !== looseReferenceKey(command.reference)) return undefined;
  return conflict(
    {
      code: 'disbursement-reference',
      zh: `银行流水号 ${command.reference} 与本笔借款放款的流水号 ${disbursement.bankReference}（${chineseDate(disbursement.disbursedOn)}放款）是同一笔转账（${REFERENCE_FOLDING_IN_WORDS}），不是您的还款转账：请填写还款转账回单上的流水号。`,
      en: `reference ${command.reference} is the loan's disbursement ${disbursement.bankReference} but for its separators, not a repayment`,
      params: { reference: disbursement.bankReference },
    },
    [{ field: 'reference', message: '这是放款的流水号，请填写还款转账的流水号', code: 'disbursement-reference', english: "the disbursement's reference" }],
  );
}

/**
 * A declaration under a reference the fund has already recorded is told so (409, at the reference):
 * a repayment recorded under it needs no declaration, and the disbursement's reference is the
 * fund's own transfer to the borrower, not a repayment. checkDeclaration tells it with the
 * declaration's other problems, if it has any.
 */
function referenceConflict(state: ChuyingLoanState, command: Extract<ChuyingLoanCommand, { type: 'DeclareRepayment' }>): FieldProblem | undefined {
  const recorded = confirmationOf(state, command);
  if (recorded) {
    const said = `${chineseDate(recorded.paidOn)}还款 ${chineseAmount(recorded.amountFen)}`;
    return {
      wording: {
        code: 'repayment-already-recorded',
        zh: `银行流水号 ${recorded.reference} 的还款已由杨浦区 V聚场基金于${chineseInstant(recorded.recordedAt)}登记入账（${said}），无需再申报。各期已还金额见还款计划。`,
        en: `the repayment under reference ${recorded.reference} (${formatFen(recorded.amountFen)} on ${recorded.paidOn}) is already recorded by the fund; it needs no declaration`,
        params: { reference: recorded.reference, amountFen: recorded.amountFen, date: recorded.paidOn },
      },
      issue: { field: 'reference', message: `基金已登记该笔还款（${said}），无需申报`, code: 'repayment-already-recorded', english: 'already recorded by the fund' },
    };
  }
  const disbursement = state.disbursement;
  if (disbursement && sameReference(disbursement.bankReference, command.reference)) {
    return {
      wording: {
        code: 'disbursement-reference',
        zh: `银行流水号 ${disbursement.bankReference} 是本笔借款放款的流水号（${chineseDate(disbursement.disbursedOn)}放款），不是您的还款转账：请填写还款转账回单上的流水号。`,
        en: `reference ${disbursement.bankReference} is the loan's disbursement, not a repayment`,
        params: { reference: disbursement.bankReference },
      },
      issue: { field: 'reference', message: '这是放款的流水号，请填写还款转账的流水号', code: 'disbursement-reference', english: "the disbursement's reference" },
    };
  }
  return undefined;
}

/**
 * What a declaration says, checked at once (一次告知): a reference not the fund's own, an amount above
 * 0 and not above what is still owed, a day from the disbursement to today; each refusal at its field.
 */
export function checkDeclaration(state: ChuyingLoanState, command: Extract<ChuyingLoanCommand, { type: 'DeclareRepayment' }>, today: LocalDate): void {
  const problems: FieldProblem[] = [];
  const owed = outstandingFen(state);
  if (!Number.isSafeInteger(command.amountFen) || command.amountFen <= 0) {
    problems.push({
      wording: { code: 'repayment-amount-invalid', zh: '还款金额须大于 0 元，最多精确到分。', en: 'a repayment must be a positive whole number of fen' },
      issue: { field: 'amountFen', message: '须大于 0 元，最多精确到分', code: 'repayment-amount-invalid', english: 'positive integer (fen)' },
    });
  } else if (command.amountFen > owed) {
    problems.push({
      wording: {
        code: 'above-outstanding',
        zh: `申报的还款金额 ${chineseAmount(command.amountFen)}超过尚欠的 ${chineseAmount(owed)}。`,
        en: `declared ${formatFen(command.amountFen)} exceeds the outstanding ${formatFen(owed)}`,
        params: { amountFen: command.amountFen, outstandingFen: owed },
      },
      issue: { field: 'amountFen', message: `不能超过尚欠的 ${chineseAmount(owed)}`, code: 'above-outstanding', english: `at most ${formatFen(owed)}` },
    });
  }
  if (state.disbursement) {
    const out = dateOutOfRange('paidOn', '还款日期', command.paidOn, { on: state.disbursement.disbursedOn, what: '放款日期', day: '放款日' }, today);
    if (out) problems.push(out);
  }
  // A reference the fund has recorded, or the disbursement's: alone, a conflict (409); with other
  // problems, told with them in one refusal, not first and alone (the borrower put it right, then met the amount).
  const reference = referenceConflict(state, command);
  if (reference && problems.length === 0) throw conflict(reference.wording, [reference.issue]);
  refuseProblems('declaration-problems', reference ? [reference, ...problems] : problems);
}

type Withdrawal = Extract<ChuyingLoanCommand, { type: 'WithdrawRepaymentDeclaration' }>;

/** What a declaration said, in words: 2026年2月27日还款 13,888.89元. */
function saidIn(d: Pick<RepaymentDeclaration, 'paidOn' | 'amountFen'>): string {
  return `${chineseDate(d.paidOn)}还款 ${chineseAmount(d.amountFen)}`;
}

/**
 * The withdrawal this command repeats: the last declaration under its reference was withdrawn, and
 * none stands under it now (a second tab, a lost answer). Answered with that withdrawal, recording
 * nothing; undefined otherwise.
 */
export function withdrawnAgain(state: ChuyingLoanState, command: ChuyingLoanCommand): DeclarationRecord | undefined {
  if (command.type !== 'WithdrawRepaymentDeclaration') return undefined;
  const last = lastUnder(state, command.reference);
  if (!last?.withdrawal) return undefined;
  return { type: 'RepaymentDeclarationWithdrawn', version: last.withdrawal.version, reference: last.reference, amountFen: last.amountFen, date: last.paidOn, recordedAt: last.withdrawal.at };
}

/**
 * The declaration a withdrawal takes back: one the borrower made under the reference and has not
 * withdrawn, which the fund has not recorded. Refused (409, at the reference) where the fund has
 * recorded the repayment already (only the fund corrects its record), or where no report of theirs
 * waits under that reference, naming those that do.
 */
export function declarationToWithdraw(state: ChuyingLoanState, command: Withdrawal): RepaymentDeclaration {
  const standing = standingDeclarations(state).find((d) => sameReference(d.reference, command.reference));
  const recorded = standing ? confirmationOf(state, standing) : undefined;
  if (standing && recorded) {
    const said = `${chineseDate(recorded.paidOn)}还款 ${chineseAmount(recorded.amountFen)}`;
    throw conflict(
      {
        code: 'repayment-already-recorded',
        zh: `银行流水号 ${recorded.reference} 的还款已由杨浦区 V聚场基金于${chineseInstant(recorded.recordedAt)}登记入账（${said}），申报不能再撤回。如登记有误，请联系杨浦区 V聚场基金更正。`,
        en: `the repayment under reference ${recorded.reference} is already recorded by the fund; its declaration cannot be withdrawn`,
        params: { reference: recorded.reference, amountFen: recorded.amountFen, date: recorded.paidOn },
      },
      [{ field: 'reference', message: `基金已登记该笔还款（${said}），不能撤回`, code: 'repayment-already-recorded', english: 'already recorded by the fund' }],
    );
  }
  if (standing) return standing;
  const pending = unconfirmedDeclarations(state);
  const waiting = pending.length ? `待基金核对的申报：${pending.map((d) => `${d.reference}（${saidIn(d)}）`).join('、')}。` : '您目前没有待基金核对的还款申报。';
  const returned = lastUnder(state, command.reference)?.rejection;
  if (returned) {
    throw conflict(
      {
        code: 'declaration-returned',
        zh: `银行流水号 ${command.reference.trim()} 的还款申报已由杨浦区 V聚场基金于${chineseInstant(returned.at)}退回（${returned.reason}），无需撤回。如确已转账，请核对后重新报告已还款。`,
        en: `the declaration under reference ${command.reference.trim()} was returned by the fund; there is nothing to withdraw`,
        params: { reference: command.reference.trim() },
      },
      [{ field: 'reference', message: '该申报已由基金退回，无需撤回', code: 'declaration-returned', english: 'returned by the fund' }],
    );
  }
  throw conflict(
    {
      code: 'no-declaration-to-withdraw',
      zh: `没有银行流水号为 ${command.reference.trim()} 的待核对还款申报可撤回。${waiting}`,
      en: `no standing declaration under reference ${command.reference.trim()} to withdraw`,
      params: { reference: command.reference.trim() },
    },
    [
      {
        field: 'reference',
        message: pending.length ? `请填写待核对申报的流水号：${pending.map((d) => d.reference).join('、')}` : '没有待核对的还款申报',
        code: 'no-declaration-to-withdraw',
        english: 'no standing declaration under this reference',
      },
    ],
  );
}

/** The last declaration made under a reference, whatever became of it. */
function lastUnder(state: ChuyingLoanState, reference: string): RepaymentDeclaration | undefined {
  const under = (state.repaymentDeclarations ?? []).filter((d) => sameReference(d.reference, reference));
  return under[under.length - 1];
}

type Return = Extract<ChuyingLoanCommand, { type: 'RejectRepaymentDeclaration' }>;

/**
 * The return this command repeats: the last declaration under its reference was returned by the fund,
 * and none stands under it now (a second official, a lost answer). Answered with that return,
 * recording nothing; undefined otherwise.
 */
export function rejectedAgain(state: ChuyingLoanState, command: ChuyingLoanCommand): DeclarationRecord | undefined {
  if (command.type !== 'RejectRepaymentDeclaration') return undefined;
  const last = lastUnder(state, command.reference);
  if (!last?.rejection) return undefined;
  return { type: 'RepaymentDeclarationRejected', version: last.rejection.version, reference: last.reference, amountFen: last.amountFen, date: last.paidOn, recordedAt: last.rejection.at };
}

/**
 * The declaration the fund returns: one waiting to be checked under the reference. Refused (409, at
 * the reference) where the fund has recorded the repayment under it (a record is corrected, not
 * returned), where the borrower withdrew it first, or where none waits under it, naming those that do.
 */
export function declarationToReject(state: ChuyingLoanState, command: Return): RepaymentDeclaration {
  const reference = command.reference.trim();
  const standing = standingDeclarations(state).find((d) => sameReference(d.reference, reference));
  const recorded = standing ? confirmationOf(state, standing) : undefined;
  if (standing && recorded) {
    const said = `${chineseDate(recorded.paidOn)}还款 ${chineseAmount(recorded.amountFen)}`;
    throw conflict(
      {
        code: 'repayment-already-recorded',
        zh: `银行流水号 ${recorded.reference} 的还款已于${chineseInstant(recorded.recordedAt)}登记入账（${said}），其申报已核对，不能再退回。`,
        en: `the repayment under reference ${recorded.reference} is already recorded; its declaration cannot be returned`,
        params: { reference: recorded.reference, amountFen: recorded.amountFen, date: recorded.paidOn },
      },
      [{ field: 'reference', message: `该笔已登记入账（${said}），不能退回`, code: 'repayment-already-recorded', english: 'already recorded' }],
    );
  }
  if (standing) return standing;
  const withdrawn = lastUnder(state, reference)?.withdrawal;
  if (withdrawn) {
    throw conflict(
      {
        code: 'declaration-withdrawn',
        zh: `借款人已于${chineseInstant(withdrawn.at)}撤回银行流水号 ${reference} 的还款申报，无需退回。`,
        en: `the borrower withdrew the declaration under reference ${reference}; there is nothing to return`,
        params: { reference },
      },
      [{ field: 'reference', message: '借款人已撤回该申报', code: 'declaration-withdrawn', english: 'withdrawn by the borrower' }],
    );
  }
  const pending = unconfirmedDeclarations(state);
  const waiting = pending.length ? `待核对的申报：${pending.map((d) => `${d.reference}（${saidIn(d)}）`).join('、')}。` : '本案目前没有待核对的还款申报。';
  throw conflict(
    {
      code: 'no-declaration-to-reject',
      zh: `没有银行流水号为 ${reference} 的待核对还款申报可退回。${waiting}`,
      en: `no declaration waiting under reference ${reference} to return`,
      params: { reference },
    },
    [
      {
        field: 'reference',
        message: pending.length ? `请填写待核对申报的流水号：${pending.map((d) => d.reference).join('、')}` : '没有待核对的还款申报',
        code: 'no-declaration-to-reject',
        english: 'no declaration waiting under this reference',
      },
    ],
  );
}
