import { DEPARTMENTS, type Department } from '../cases/actor.js';
import { clausesAsSentence } from '../cases/clauses.js';
import { chineseAmount, type Fen } from '../money/fen.js';
import { findProgramme } from '../programmes/catalogue.js';
import { favourableDecisionOf } from '../programmes/decision-words.js';
import { chineseDate, isLocalDate, shanghaiDateOf, yearOf, type LocalDate } from '../time/local-date.js';

/**
 * Who is told, when and what (issue 14, "Notices"): people are told when they must act or something
 * was decided. A notice follows from one event and the case it belongs to, so the inbox is a read
 * model the auditors' rebuild reproduces; reminders that no event records (an instalment due in 3
 * days, an official's deadline about to pass) are found by a scan of the read models (`remindersDue`).
 */
export type NoticeKind =
  | 'supplement-requested'
  | 'materials-accepted'
  | 'decision'
  | 'returned-for-revision'
  | 'publicity-started'
  | 'instalment-due-soon'
  | 'instalment-overdue'
  | 'deadline-approaching'
  | 'money-recorded'
  | 'reply-received'
  /** A claim of yours taken over by a supervisor (drama filings). */
  | 'claim-taken-over'
  /** A claimed filing handed back to the department's queue (交回待认领): to the department, and to its holder when someone else handed it back. */
  | 'claim-released'
  /** An objection to your award during its 公示, and its answer. */
  | 'objection'
  /** 追回: money paid too much is to be returned, and the answer to the applicant's objection to it. */
  | 'recovery'
  /**
   * A monthly subsidy stopped (the applicant left 杨浦): to the applicant once — where the department
   * recorded the leaving, with that it did and on what — and to the department where money is to be recovered.
   */
  | 'payouts-stopped'
  /**
   * The official's deadline the applicant is shown on their case page moved: extended, counted again, or moved with the call's close;
   * a loan's due dates or an award's 公示 counted again (the 公示's department is told too: it takes objections until its last day).
   */
  | 'deadline-moved'
  /** A 雏鹰 borrower reported a repayment by bank transfer: the fund checks it against its account and records it. */
  | 'repayment-declared'
  /** A 雏鹰 borrower withdrew a report of a repayment the fund had not recorded: it is no longer to be checked. */
  | 'repayment-declaration-withdrawn'
  /** The fund returned a borrower's report of a repayment it found no transfer for, with why: told to the borrower. */
  | 'repayment-declaration-rejected'
  /** A 雏鹰 borrower declined a loan approved and not yet disbursed: told to the fund, which was to disburse it. */
  | 'loan-declined'
  /** The account's password was reset by an administrator: told to its holder (db/projections/account.projection.ts). */
  | 'account-security';

/** An account, or every official of a department (officials are told about their department's work). */
export type NoticeRecipient = { accountId: string } | { department: string };

export interface Notice {
  /** What makes the notice one: the same event (or reminder) and recipient always give the same key, so the same id. */
  key: string;
  recipient: NoticeRecipient;
  kind: NoticeKind;
  title: string;
  body: string;
  caseId: string | null;
  referenceNo: string | null;
  eventId: string | null;
  /** ISO instant: when the event was recorded (or the reminder found). */
  createdAt: string;
}

/** What a notice needs of the case beside the event: its read-model row after the event. */
export interface NoticeCase {
  caseId: string;
  referenceNo: string;
  caseType: string;
  applicantAccountId: string;
  /** The department that acts on the case, where its module names one. */
  department: string | null;
  /** The measure of the catalogue an application is for (its row's programme_id): the notices name it. */
  programmeId?: string | null;
  /**
   * Where the department recorded that the applicant left 杨浦 (RecordLeftYangpu; the row's
   * `details.stopped`): the stop of the payments tells the applicant of the record with it, once.
   */
  leftYangpuRecorded?: { department: string; note: string; leftOn: string | null } | null;
  /** The title of the call (申报批次) an application was made in (the row's `details.call`): its 公示 is of that call's list. */
  callTitle?: string | null;
}

export interface NoticeEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  recordedAt: Date | string;
}

/**
 * A case as its notices name it, as the pages do (雏鹰计划借款申请, 微短剧完成片上线备案; an application
 * by its measure, caseName). A change of these words reaches the notices already written only through
 * a migration that has db/notices/backfill.ts read them again (as 2026-12-04T00-20 and 04-20 do), so
 * the inbox matches the rebuild.
 */
const CASE_KIND_NAMES: Record<string, string> = {
  application: '申请',
  'chuying-loan': '雏鹰计划借款申请',
  'drama-planning-filing': '微短剧规划备案',
  'drama-release-filing': '微短剧完成片上线备案',
  recovery: '追回',
};

function caseName(c: NoticeCase): string {
  // An application by its measure (黄浦平台企业、MCN 机构扶持申请), as its page is titled: 申请 alone says nothing in a list of messages.
  const measure = c.caseType === 'application' && c.programmeId ? findProgramme(c.programmeId)?.name.zh : undefined;
  return `${measure ? `${measure}申请` : (CASE_KIND_NAMES[c.caseType] ?? '案件')}（${c.referenceNo}）`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : []);
const fen = (v: unknown): Fen | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

/**
 * What an upheld objection did to the award, with the amounts and the letter that says so: an
 * outside tester's applicant read only "奖励按答复撤销或调整" and could not tell which, or to what.
 */
function upheldOutcome(d: Record<string, unknown>): string {
  const remedy = d.remedy as { kind?: unknown; amountFen?: unknown } | undefined;
  const before = fen(d.previousAmountFen);
  const was = before !== undefined ? `（原核定${chineseAmount(before)}）` : '';
  if (remedy?.kind === 'withdraw') return `异议成立，奖励撤销${was}，撤销奖补决定书可在案件页面查看和下载`;
  const after = fen(remedy?.amountFen);
  if (remedy?.kind === 'reduce' && after !== undefined) return `异议成立，核定金额${before !== undefined ? `由${chineseAmount(before)}` : ''}调整为${chineseAmount(after)}，变更奖补决定书可在案件页面查看和下载`;
  return '异议成立，奖励按答复撤销或调整';
}
const date = (v: unknown): LocalDate | undefined => (typeof v === 'string' && isLocalDate(v) ? v : undefined);

/**
 * A date in words, with 暂定 beside it when it falls in a year whose holiday arrangement is not
 * loaded (DOMAIN "Time": shown as provisional, never silently as final), in the words the case pages
 * use for 暂定: the year's arrangement is not published, the day is set again once it is.
 */
export function dateWithProvisional(day: LocalDate, provisional: boolean): string {
  return provisional ? `${chineseDate(day)}（暂定：${yearOf(day)} 年节假日安排尚未公布，公布后重新确定）` : chineseDate(day);
}

/**
 * A last day the applicant acts by, worded as the case page words it (web/src/format.ts dueByInWords):
 * 2027年1月7日（含）前, so that nobody reads the day itself as too late; 暂定 in the same brackets while it is.
 */
export function dueByDay(day: LocalDate, provisional = false): string {
  return provisional ? `${chineseDate(day)}（含；暂定：${yearOf(day)} 年节假日安排尚未公布，公布后重新确定）前` : `${chineseDate(day)}（含）前`;
}

function letterOf(data: Record<string, unknown>): string | undefined {
  const letter = data.letter as { letterNo?: unknown } | undefined;
  return letter ? str(letter.letterNo) : undefined;
}

function withLetter(body: string, data: Record<string, unknown>): string {
  const letterNo = letterOf(data);
  return letterNo ? `${body}决定书文号：${letterNo}，可在案件页面查看和下载。` : body;
}

function reasonsText(data: Record<string, unknown>): string {
  const reasons = strings(data.reasons);
  // Parted by ；, each reason without its own 。 before the next, and one 。 at the end (not 。； nor 。。).
  return reasons.length ? `理由：${clausesAsSentence(reasons)}` : '';
}

/** What the decider wrote with an approval (决定意见), as a refusal's reasons are given. */
function notesText(data: Record<string, unknown>): string {
  const notes = str(data.notes)?.trim();
  return notes ? `决定意见：${notes}${/[。！？]$/.test(notes) ? '' : '。'}` : '';
}

/** A borrower's report of a repayment as its withdrawal or return names it: 2027年1月4日还款138,888.90元的申报（银行流水号 ICBC-0104）. */
function declarationInWords(d: Record<string, unknown>): string {
  const amount = fen(d.amountFen);
  const on = date(d.paidOn);
  const reference = str(d.reference);
  return `${on ? chineseDate(on) : ''}还款${amount !== undefined ? chineseAmount(amount) : ''}的申报${reference ? `（银行流水号 ${reference}）` : ''}`;
}

/**
 * Instalment numbers as runs: 1至36, 3、5至7. A lump sum settling the whole schedule read
 * 计入第1、2、3、…、36期 (an outside tester).
 */
export function instalmentsInWords(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(j - i >= 2 ? `${sorted[i]}至${sorted[j]}` : sorted.slice(i, j + 1).join('、'));
    i = j + 1;
  }
  return runs.join('、');
}

/** Where the fund recorded a repayment otherwise than the borrower reported it: the report, and the difference. */
function reportedOtherwise(d: Record<string, unknown>, amount: number | undefined, on: string | undefined): string {
  const reported = d.reported as { amountFen?: unknown; paidOn?: unknown } | undefined;
  const reportedFen = fen(reported?.amountFen);
  const reportedOn = date(reported?.paidOn);
  if (reportedFen === undefined || amount === undefined) return '';
  const differences = [
    reportedFen !== amount ? `金额为${chineseAmount(reportedFen)}，比登记的${reportedFen > amount ? '多' : '少'}${chineseAmount(Math.abs(reportedFen - amount))}` : '',
    reportedOn && reportedOn !== on ? `日期为${chineseDate(reportedOn)}` : '',
  ].filter(Boolean);
  return differences.length ? `您报告的${differences.join('；')}。以基金登记的到账为准，如有疑问请联系基金。` : '';
}

/** A reason as it follows 理由： in a sentence of the notice's own: without its closing full stop. */
const reasonOf = (d: Record<string, unknown>): string | undefined => str(d.reason)?.replace(/[。.]+$/, '');

/** The event types `noticesFor` answers for: the others tell nobody. */
export const NOTICE_EVENT_TYPES: readonly string[] = [
  'SupplementRequested',
  'SupplementReplyRecomputed',
  'MaterialsAccepted',
  'MaterialsDeemedComplete',
  'ApplicationApproved',
  'FundingApproved',
  'ApplicationRejected',
  'FundingRejected',
  'ComplianceReviewFailed',
  'FilingApproved',
  'FilingRejected',
  'FilingReturnedForRevision',
  'PublicityStarted',
  'InstalmentOverdue',
  'ReviewReminderSent',
  // Since 2026-12-04 (db/notices/backfill.ts reads them into the inbox for events recorded before):
  'RepaymentReminderSent',
  'InstalmentDelinquent',
  'LoanDisbursed',
  // Since PAYOUTS_RECORDED_PATCH (2026-12-06): an award's payment recorded by an official (no event of the kind before it).
  'PayoutRecorded',
  // Its words since 2026-12-05 (migration 11-30) name the transfer's bank reference and the instalments it settled.
  'RepaymentRecorded',
  'LoanRepaid',
  'SupplementProvided',
  'FilingResubmitted',
  // Since 2026-12-04: a take-over tells the reviewer who held the claim (events before told nobody).
  'FilingClaimed',
  // Since 2026-12-07 (a new event; none recorded before): a claim handed back to the queue.
  'FilingClaimReleased',
  // Since 2026-12-04 (migration 04-40): the applicant is told of an objection to their award and of its answer.
  'ObjectionLodged',
  'ObjectionUpheld',
  'ObjectionDismissed',
  // Since 2026-12-04 (migration 05-10): a recovery (追回) and the answer to its objection, and a monthly subsidy stopped.
  'RecoveryOpened',
  'ObjectionAnswered',
  'PayoutsStopped',
  // The department's record that the applicant left 杨浦 (LeftYangpuRecorded) tells nobody by itself: since
  // 2026-12-05 (migration 2026-12-05T02-20) the applicant learns of it once, with the stop it causes (PayoutsStopped).
  // Since 2026-12-04 (migration 06-20): the applicant is told when the official's deadline on their case page moves.
  'TimeLimitExtended',
  'TimeLimitRecomputed',
  'CompletenessWindowRecomputed',
  'DeadlineRecomputed',
  'CallCloseRecorded',
  // Since 2026-12-04 (migration 07-00): a borrower's report of a repayment, told to the fund that records it.
  'RepaymentDeclared',
  // Since 2026-12-05 (migration 03-00): the borrower's withdrawal of such a report, told to the fund that was to check it.
  'RepaymentDeclarationWithdrawn',
  // Since 2026-12-06 (migration 2026-12-06T02-00): the fund's return of such a report, told to the borrower who made it.
  'RepaymentDeclarationRejected',
  // Since 2026-12-06 (migration 2026-12-06T02-10): the fund's cancellation of an approval, told to the applicant;
  // a borrower's declining of an approved loan, told to the fund (earlier withdrawals came before any approval: they tell nobody).
  'FundingCancelled',
  'ApplicationWithdrawn',
  // Since 2026-12-05 (migration 03-20): a 雏鹰 loan's due dates counted again once a year's holidays are loaded or corrected, told to the borrower.
  'InstalmentDueDatesRecomputed',
  // Since 2026-12-05 (migration 08-10): an award's 公示 counted again once its year's holidays are loaded, told to the applicant and the department.
  'PublicityWindowRecomputed',
];

/**
 * Cases whose step deadlines no applicant sees: a call is run by officials (the account that opened
 * it is its `applicant` only in the read model), so a move of its limits is its officials' own.
 */
const NO_APPLICANT_TO_TELL: ReadonlySet<string> = new Set(['call']);

/** A deadline's last day as an event records it (a WorkingDayCount, a filing's ReviewDeadline, a completeness window). */
interface LastDay {
  lastWorkingDay?: unknown;
  provisional?: unknown;
}

/**
 * How the last day of an official's deadline moved, in words: 由2027年1月8日改为2027年1月15日, or
 * 确定为… where only its 暂定 mark went; the new day with 暂定 beside it while it still is.
 */
function lastDayMove(previous: LastDay | undefined, current: LastDay | undefined): string {
  const before = date(previous?.lastWorkingDay);
  const after = date(current?.lastWorkingDay);
  if (!after) return '已变更，请在案件页面查看';
  const now = dateWithProvisional(after, current?.provisional === true);
  return before && before !== after ? `由${chineseDate(before)}改为${now}` : `确定为${now}`;
}

/** The reason a year's holiday arrangement gives for a recount: loaded (a provisional day made final), or corrected (a final day moved). */
function recountReason(d: Record<string, unknown>): string {
  const year = (d.reason as { calendarYear?: unknown } | undefined)?.calendarYear;
  const corrected = (d.previous as LastDay | undefined)?.provisional === false;
  return `${typeof year === 'number' ? `${year} 年` : ''}节假日安排${corrected ? '更正' : '公布'}后重新计算`;
}

/** Instalment numbers in words, runs joined: 第3期, 第3、5期, 第13至24期. */
function instalmentNumbers(numbers: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return `第${runs.map(([from, to]) => (from === to ? String(from) : to === from + 1 ? `${from}、${to}` : `${from}至${to}`)).join('、')}期`;
}

/**
 * A 雏鹰 loan's due dates counted again (InstalmentDueDatesRecomputed): each instalment whose day
 * moved, from which day to which (暂定 beside the new one while it still is), and the others whose
 * 暂定 mark went, in one line. Undefined where the event names no change it can read.
 */
function dueDatesMoved(d: Record<string, unknown>): { moved: boolean; text: string } | undefined {
  type Change = { number?: unknown; previous?: { dueOn?: unknown; provisional?: unknown }; current?: { dueOn?: unknown; provisional?: unknown } };
  const changes = (Array.isArray(d.changes) ? (d.changes as Change[]) : []).filter((c) => typeof c.number === 'number' && date(c.current?.dueOn));
  if (changes.length === 0) return undefined;
  const moves = changes.filter((c) => date(c.previous?.dueOn) && date(c.previous?.dueOn) !== date(c.current?.dueOn));
  const confirmed = changes.filter((c) => !moves.includes(c)).map((c) => c.number as number);
  const said = moves.map((c) => `第${String(c.number)}期应还日由${chineseDate(date(c.previous?.dueOn)!)}改为${dateWithProvisional(date(c.current?.dueOn)!, c.current?.provisional === true)}`);
  if (confirmed.length) said.push(`${moves.length ? '其余' : ''}${instalmentNumbers(confirmed)}应还日已确定，日期不变`);
  return { moved: moves.length > 0, text: said.join('；') };
}

/**
 * The notices an event gives rise to, given the case it belongs to (undefined for a stream that is
 * not a case: such events tell nobody). Pure: same event, same case, same notices.
 */
export function noticesFor(event: NoticeEvent, c: NoticeCase | undefined): Notice[] {
  if (!c) return [];
  const d = event.data;
  const createdAt = typeof event.recordedAt === 'string' ? event.recordedAt : event.recordedAt.toISOString();
  const applicant: NoticeRecipient = { accountId: c.applicantAccountId };
  const make = (kind: NoticeKind, recipient: NoticeRecipient, title: string, body: string): Notice => ({
    key: `event:${event.eventId}:${'accountId' in recipient ? `account:${recipient.accountId}` : `department:${recipient.department}`}:${kind}`,
    recipient,
    kind,
    title,
    body,
    caseId: c.caseId,
    referenceNo: c.referenceNo,
    eventId: event.eventId,
    createdAt,
  });
  const name = caseName(c);

  switch (event.type) {
    case 'SupplementRequested': {
      const items = strings(d.missingItems);
      const due = date(d.replyDueOn);
      return [
        make(
          'supplement-requested',
          applicant,
          `请补正材料：${name}`,
          `您的${name}需要补正材料${items.length ? `：${items.join('；')}` : ''}。` +
            (due ? `请于${dueByDay(due)}在案件页面提交补正材料，逾期未补正的，视为撤回申请。` : '请尽快在案件页面提交补正材料。') +
            (due && (d.replyPeriod as { provisional?: unknown } | undefined)?.provisional === true
              ? `该期限所在年度的国务院节假日安排尚未公布，此日期为暂定；公布后将重新确定并另行通知，不会早于${chineseDate(due)}。`
              : ''),
        ),
      ];
    }
    case 'SupplementReplyRecomputed': {
      const previous = date((d.previous as { replyDueOn?: unknown } | undefined)?.replyDueOn);
      // A final day moves only when an administrator corrects a year already loaded.
      const corrected = (d.previous as { provisional?: unknown } | undefined)?.provisional === false;
      const current = d.current as { replyDueOn?: unknown; provisional?: unknown } | undefined;
      const due = date(current?.replyDueOn);
      const still = current?.provisional === true ? '（仍为暂定）' : '';
      const change = !due ? '已重新确定' : previous && previous !== due ? `由${chineseDate(previous)}改为${chineseDate(due)}${still}` : `确定为${chineseDate(due)}${still}`;
      return [
        make(
          'supplement-requested',
          applicant,
          `补正期限已${corrected ? '更改' : still ? '重新计算' : '确定'}：${name}`,
          `${corrected ? '节假日安排更正后' : '节假日安排公布后'}，您的${name}补正期限${change}。` +
            (due ? `请于${dueByDay(due)}在案件页面提交补正材料，逾期未补正的，视为撤回申请。` : '请在案件页面查看期限并提交补正材料。'),
        ),
      ];
    }
    case 'MaterialsAccepted':
      return [make('materials-accepted', applicant, `材料已受理：${name}`, `您的${name}材料齐全，已经受理，进入审查。`)];
    case 'MaterialsDeemedComplete':
      return [make('materials-accepted', applicant, `材料视为齐全：${name}`, `审查部门未在期限内一次性告知补正，您的${name}材料视为齐全，自动受理。`)];
    case 'ApplicationApproved':
    case 'FundingApproved': {
      const amount = fen(d.approvedAmountFen);
      // A complaint or a request for guidance is handled, not approved: 已获批准 read as if the complaint were granted.
      if (event.type === 'ApplicationApproved' && favourableDecisionOf(c.programmeId) === 'handled') {
        return [make('decision', applicant, `已办结：${name}`, withLetter(`您的${name}已受理并办结。${notesText(d)}`, d))];
      }
      return [
        make(
          'decision',
          applicant,
          `已批准：${name}`,
          withLetter(`您的${name}已获批准${amount !== undefined ? `，批准金额${chineseAmount(amount)}` : ''}。${notesText(d)}`, d),
        ),
      ];
    }
    case 'FundingCancelled': {
      // The fund's officials too: one of them may be about to pay it out (an outside tester's reviewer learnt of it only from a refused disbursement).
      const by = str((d.by as { displayName?: unknown } | undefined)?.displayName);
      const toFund = c.department
        ? [make('decision', { department: c.department }, `资助决定已撤销：${name}`, `${by ? `${by}` : ''}撤销了${name}的资助决定，不予放款，核定额度已退回资金池。${reasonsText(d)}如款项已经转出，请与借款人联系办理退回。`)]
        : [];
      return [make('decision', applicant, `资助决定已撤销：${name}`, withLetter(`您的${name}的资助决定已撤销，不予放款，本案办结。${reasonsText(d)}`, d)), ...toFund];
    }
    case 'ApplicationWithdrawn': {
      // Only a loan declined once approved: the fund was to disburse it, and its pool share is free again.
      if (d.afterApproval !== true || !c.department) return [];
      const detail = str(d.detail)?.replace(/[。.]+$/, '');
      return [make('loan-declined', { department: c.department }, `借款人放弃借款：${name}`, `${name}已批准、尚未放款，借款人放弃借款${detail && detail !== '申请人放弃借款' ? `，理由：${detail}` : ''}。无需放款，核定额度已退回资金池，本案办结。`)];
    }
    case 'ApplicationRejected':
    case 'FundingRejected':
    case 'ComplianceReviewFailed':
      return [make('decision', applicant, `未予批准：${name}`, withLetter(`您的${name}未予批准。${reasonsText(d)}`, d))];
    case 'FilingApproved':
      return [make('decision', applicant, `备案通过：${name}`, withLetter(`您的${name}已通过备案。`, d))];
    case 'FilingRejected':
      return [make('decision', applicant, `不予备案：${name}`, withLetter(`您的${name}不予备案。${reasonsText(d)}`, d))];
    case 'FilingReturnedForRevision':
      return [make('returned-for-revision', applicant, `请修改后重新提交：${name}`, `您的${name}被退回修改。${reasonsText(d)}请修改后在案件页面重新提交。`)];
    // The applicant is told that their award is objected to, and how the department answered; who objected and why stays with the department.
    // The department answers it: told at once, with what was said (the award waits on the answer).
    case 'ObjectionLodged': {
      const said = str(d.reasons)?.trim();
      const quoted = said ? (said.length > 200 ? `${said.slice(0, 200)}…。` : /[。！？.!?]$/.test(said) ? said : `${said}。`) : '';
      const toDepartment = c.department
        ? [
            make(
              'objection',
              { department: c.department },
              `公示收到异议，待核查答复：${name}`,
              `${name}在公示期内收到一条异议。${quoted ? `异议内容：${quoted}` : ''}请在案件页面核查并书面答复（异议成立或不成立）；答复前奖励暂不生效。`,
            ),
          ]
        : [];
      return [
        make('objection', applicant, `公示期内收到异议：${name}`, `您的${name}在公示期内收到一条异议。主管部门将核查并书面答复；答复前，奖励暂不生效。如需补充说明，请联系主管部门。`),
        ...toDepartment,
      ];
    }
    case 'ObjectionUpheld':
    case 'ObjectionDismissed': {
      const answer = str(d.answer);
      const upheld = event.type === 'ObjectionUpheld';
      return [
        make(
          'objection',
          applicant,
          `异议已答复（${upheld ? '异议成立' : '异议不成立'}）：${name}`,
          `主管部门已答复对您的${name}的异议：${upheld ? upheldOutcome(d) : '异议不成立'}。${answer ? clausesAsSentence([`答复：${answer}`]) : ''}`,
        ),
      ];
    }
    // 追回: the applicant has 10 working days to object, so they are told at once, with the day.
    case 'RecoveryOpened': {
      const amount = fen(d.amountFen);
      const window = d.objectionWindow as { lastWorkingDay?: unknown; provisional?: unknown } | undefined;
      const last = date(window?.lastWorkingDay);
      return [
        make(
          'recovery',
          applicant,
          `追回通知：${name}`,
          `主管部门决定追回多发给您的款项${amount !== undefined ? chineseAmount(amount) : ''}。${str(d.reason) ? `理由：${str(d.reason)}。` : ''}${last ? `如有异议，请于${dueByDay(last, window?.provisional === true)}在案件页面提出；` : ''}请按案件页面所列方式退还。`,
        ),
      ];
    }
    case 'ObjectionAnswered': {
      const upheld = d.outcome === 'upheld';
      const answer = str(d.answer);
      return [
        make(
          'recovery',
          applicant,
          `追回异议已答复（${upheld ? '异议成立' : '异议不成立'}）：${name}`,
          `主管部门已答复您对${name}的异议：${upheld ? '异议成立，不再追回' : '异议不成立，追回继续，请按案件页面所列方式退还'}。${answer ? `答复：${answer}` : ''}`,
        ),
      ];
    }
    case 'PayoutsStopped': {
      const paid = fen(d.paidFen) ?? 0;
      const recoverable = fen(d.recoverableFen) ?? 0;
      const amounts = `已发放${chineseAmount(paid)}${recoverable > 0 ? `，其中迁离后多发的${chineseAmount(recoverable)}将由主管部门追回` : ''}`;
      // Recorded by the department, not reported by the applicant: one notice says that it was, the day, how the
      // office knows, and what the stop leaves (two, one for the record and one for the stop, told them the same thing twice).
      const recorded = c.leftYangpuRecorded;
      const office = (recorded && DEPARTMENTS[recorded.department as Department]) || '主管部门';
      const leftOn = date(recorded?.leftOn);
      const toApplicant = recorded
        ? make(
            'payouts-stopped',
            applicant,
            `${office}登记您已迁离杨浦：${name}`,
            `${office}登记您已${leftOn ? `于${chineseDate(leftOn)}` : ''}迁离杨浦${recorded.note ? `（依据：${recorded.note}）` : ''}，您的${name}因此已停止发放：${amounts}。如与事实不符，请联系${office}。`,
          )
        : make('payouts-stopped', applicant, `已停止发放：${name}`, `您的${name}因迁离杨浦已停止发放：${amounts}。`);
      // The department opens the recovery (追回): it is told what there is to recover.
      const toDepartment = recoverable > 0 && c.department ? [make('payouts-stopped', { department: c.department }, `停止发放，待追回：${name}`, `${name}因申请人迁离杨浦已停止发放，迁离后多发${chineseAmount(recoverable)}，请在案件页面发起追回。`)] : [];
      return [toApplicant, ...toDepartment];
    }
    case 'PublicityStarted': {
      const window = d.window as { lastWorkingDay?: unknown; provisional?: unknown } | undefined;
      const last = date(window?.lastWorkingDay);
      const amount = fen(d.amountFen);
      return [
        make(
          'publicity-started',
          applicant,
          `开始公示：${name}`,
          `您的${name}拟奖励${amount !== undefined ? chineseAmount(amount) : ''}，${c.callTitle ? `已列入“${c.callTitle}”拟资助名单，` : ''}已开始公示${last ? `，公示期至${dateWithProvisional(last, window?.provisional === true)}` : ''}。公示期内无异议的，奖励生效。`,
        ),
      ];
    }
    case 'InstalmentOverdue': {
      const due = date(d.dueOn);
      const outstanding = fen(d.outstandingFen);
      return [
        make(
          'instalment-overdue',
          applicant,
          `还款已逾期：${name}`,
          `您的${name}第${String(d.number)}期还款${due ? `（应还日${chineseDate(due)}）` : ''}已逾期${outstanding !== undefined ? `，尚欠${chineseAmount(outstanding)}` : ''}。请尽快还款。`,
        ),
      ];
    }
    case 'RepaymentReminderSent':
    case 'InstalmentDelinquent': {
      // The loan's own reminder, 3 days after an instalment fell overdue, and its mark 30 days after: the applicant is told, as the timeline says.
      const due = date(d.dueOn);
      const outstanding = fen(d.outstandingFen);
      const late = event.type === 'InstalmentDelinquent';
      return [
        make(
          'instalment-overdue',
          applicant,
          `${late ? '严重逾期' : '还款催告'}：${name}`,
          `您的${name}第${String(d.number)}期还款${due ? `（应还日${chineseDate(due)}）` : ''}${late ? '逾期已满 30 日' : '仍未还清'}${outstanding !== undefined ? `，尚欠${chineseAmount(outstanding)}` : ''}。${late ? '请立即还款，或联系杨浦区 V聚场基金说明情况。' : '请尽快还款。'}`,
        ),
      ];
    }
    case 'LoanDisbursed': {
      const amount = fen(d.amountFen);
      const on = date(d.disbursedOn);
      const first = Array.isArray(d.schedule) ? (d.schedule[0] as { dueOn?: unknown; amountFen?: unknown; provisional?: unknown } | undefined) : undefined;
      const firstDue = date(first?.dueOn);
      return [
        make(
          'money-recorded',
          applicant,
          `已放款：${name}`,
          `您的${name}已于${on ? chineseDate(on) : '近日'}放款${amount !== undefined ? chineseAmount(amount) : ''}。${firstDue ? `第1期还款应于${dueByDay(firstDue, first?.provisional === true)}还清，` : ''}还款计划见办件页面。`,
        ),
      ];
    }
    case 'PayoutRecorded': {
      // Told when the money was paid, not when it fell due: the transfer's day and reference, for the applicant's bank statement.
      const amount = fen(d.amountFen);
      const on = date(d.paidOn);
      const reference = str(d.bankReference);
      const of = typeof d.of === 'number' && d.of > 1 ? `第${String(d.number)}笔（共${d.of}笔）` : '';
      return [
        make(
          'money-recorded',
          applicant,
          `已拨付：${name}`,
          `您的${name}${of}${amount !== undefined ? chineseAmount(amount) : ''}已于${on ? chineseDate(on) : '近日'}拨付${reference ? `（银行流水号 ${reference}）` : ''}。请留意账户到账情况，如未收到，请联系主管部门。`,
        ),
      ];
    }
    case 'RepaymentRecorded': {
      const amount = fen(d.amountFen);
      const on = date(d.paidOn);
      // Which transfer, and which instalments it settled: two repayments of one amount on one day read alike otherwise.
      const reference = str(d.reference);
      const numbers = (Array.isArray(d.allocations) ? (d.allocations as { number?: unknown }[]) : []).map((a) => a.number).filter((n): n is number => Number.isSafeInteger(n));
      return [
        make(
          'money-recorded',
          applicant,
          `已登记还款：${name}`,
          `您于${on ? chineseDate(on) : '近日'}的还款${amount !== undefined ? chineseAmount(amount) : ''}${reference ? `（银行流水号 ${reference}）` : ''}已登记${numbers.length ? `，计入第${instalmentsInWords(numbers)}期` : ''}。${reportedOtherwise(d, amount, on)}各期已还和尚欠金额见办件页面。`,
        ),
      ];
    }
    case 'RepaymentDeclared': {
      // The fund records what reached its account: told what the borrower says they paid, to check it against the bank.
      if (!c.department) return [];
      const amount = fen(d.amountFen);
      const on = date(d.paidOn);
      const reference = str(d.reference);
      const note = str(d.note);
      return [
        make(
          'repayment-declared',
          { department: c.department },
          `借款人报告已还款，待核对：${name}`,
          `${name}的借款人报告已于${on ? chineseDate(on) : '近日'}还款${amount !== undefined ? chineseAmount(amount) : ''}${reference ? `（银行流水号 ${reference}）` : ''}${note ? `，备注：${note}` : ''}。请与银行到账核对，核对无误后在案件页面登记还款。`,
        ),
      ];
    }
    case 'InstalmentDueDatesRecomputed': {
      // The borrower's own days: told which instalment moved from which day to which, as the schedule now shows.
      // Every such event records at least one change; one unreadable is told in general words, as lastDayMove does.
      const said = dueDatesMoved(d) ?? { moved: true, text: '各期应还日已重新确定' };
      const year = (d.reason as { calendarYear?: unknown } | undefined)?.calendarYear;
      const corrected = Array.isArray(d.changes) && (d.changes as { previous?: { provisional?: unknown } }[]).some((c) => c.previous?.provisional === false);
      const why = `${typeof year === 'number' ? `${year} 年` : ''}节假日安排${corrected ? '更正' : '公布'}后重新计算`;
      return [
        make(
          'deadline-moved',
          applicant,
          `${said.moved ? '还款应还日已变更' : '还款应还日已确定'}：${name}`,
          `${why}，您的${name}${said.text}。请按新的应还日还款，各期应还日见办件页面的还款计划。`,
        ),
      ];
    }
    case 'PublicityWindowRecomputed': {
      // The day objections may be lodged until moved: the applicant waits on it for the award, the department answers objections until it.
      const previous = d.previous as LastDay | undefined;
      const current = d.current as LastDay | undefined;
      const after = date(current?.lastWorkingDay);
      const title = `公示截止日已${after && after === date(previous?.lastWorkingDay) ? '确定' : '变更'}：${name}`;
      const moved = (whose: string) => `${recountReason(d)}，${whose}${name}的公示截止日${lastDayMove(previous, current)}。`;
      const toApplicant = make('deadline-moved', applicant, title, `${moved('您的')}公众可在该日24时前提出异议；公示期满无异议的，奖励生效。`);
      const toDepartment = c.department
        ? [make('deadline-moved', { department: c.department }, title, `${moved('')}异议受理至该日24时，请按新的截止日受理和答复异议；期满无待答复异议的，资助自动确定。`)]
        : [];
      return [toApplicant, ...toDepartment];
    }
    case 'RepaymentDeclarationWithdrawn': {
      // The fund was told to check the report: told that it need not, and that a corrected one may follow.
      if (!c.department) return [];
      const reason = reasonOf(d);
      return [
        make(
          'repayment-declaration-withdrawn',
          { department: c.department },
          `借款人撤回还款申报：${name}`,
          `${name}的借款人撤回了${declarationInWords(d)}${reason ? `，理由：${reason}` : ''}。该笔无需再核对；借款人更正后重新报告的，将另行通知。`,
        ),
      ];
    }
    case 'RepaymentDeclarationRejected': {
      // The borrower reported a payment the fund could not find: told why, and what to do if they did pay.
      const reason = reasonOf(d);
      return [
        make(
          'repayment-declaration-rejected',
          applicant,
          `还款申报被退回：${name}`,
          `杨浦区 V聚场基金核对了您${declarationInWords(d)}，未予登记${reason ? `，理由：${reason}` : ''}。该笔未冲抵欠款；如确已转账，请核对回单上的金额、日期和流水号后重新报告已还款，或联系基金。`,
        ),
      ];
    }
    case 'LoanRepaid': {
      const total = fen(d.totalRepaidFen);
      // Settled ahead of the schedule as well as on it: no 按期 (an outside tester's lump-sum repayment was thanked for paying on time).
      return [make('money-recorded', applicant, `已结清：${name}`, `您的${name}已全部还清${total !== undefined ? `，共还款${chineseAmount(total)}` : ''}，本笔借款办结。`)];
    }
    case 'SupplementProvided':
    case 'FilingResubmitted': {
      // The department whose move it is again: told that the applicant answered, so the case does not wait unseen in a queue.
      if (!c.department) return [];
      const what = event.type === 'SupplementProvided' ? '已提交补正材料' : '已修改后重新提交';
      return [make('reply-received', { department: c.department }, `申请人${what}：${name}`, `${name}的申请人${what}，请继续办理。`)];
    }
    case 'FilingClaimed': {
      // A supervisor took the filing over: its reviewer no longer holds it, and is told so (an outsider's reviewer learnt it from nobody).
      const from = d.takenOverFrom as { accountId?: unknown } | undefined;
      const by = d.by as { displayName?: unknown } | undefined;
      if (!str(from?.accountId)) return [];
      return [make('claim-taken-over', { accountId: str(from?.accountId)! }, `已由${str(by?.displayName) ?? '分管领导'}接手：${name}`, `您认领的${name}已由${str(by?.displayName) ?? '分管领导'}接手审查，您无需再办理。`)];
    }
    case 'FilingClaimReleased': {
      // Back in the queue with its deadline running: the department is told so that someone claims it; its holder, if another handed it back.
      const from = d.from as { accountId?: unknown } | undefined;
      const by = d.by as { accountId?: unknown; displayName?: unknown } | undefined;
      const who = str(by?.displayName) ?? '审查人员';
      const reason = reasonOf(d);
      const toDepartment = c.department
        ? [make('claim-released', { department: c.department }, `交回待认领：${name}`, `${who}将${name}交回待认领${reason ? `，理由：${reason}` : ''}。请本科室审查人员认领，反馈期限不变。`)]
        : [];
      const toHolder = str(from?.accountId) && from?.accountId !== by?.accountId
        ? [make('claim-released', { accountId: str(from?.accountId)! }, `已由${who}交回待认领：${name}`, `您认领的${name}已由${who}交回待认领${reason ? `，理由：${reason}` : ''}，您无需再办理。`)]
        : [];
      return [...toDepartment, ...toHolder];
    }
    // The official's deadline the applicant reads on their case page moved: they are told the new last day and why (行政许可法 Art. 42).
    case 'TimeLimitExtended': {
      if (NO_APPLICANT_TO_TELL.has(c.caseType)) return [];
      const days = typeof d.extraWorkingDays === 'number' ? `${d.extraWorkingDays} 个工作日` : '';
      return [
        make(
          'deadline-moved',
          applicant,
          `办理期限已延长：${name}`,
          `您的${name}的办理期限${days ? `延长 ${days}` : '已延长'}，最后一天${lastDayMove(d.previous as LastDay | undefined, d.current as LastDay | undefined)}。延长理由：${str(d.reason)?.replace(/[。.]+$/, '') ?? '见案件页面'}。`,
        ),
      ];
    }
    case 'TimeLimitRecomputed':
    case 'CompletenessWindowRecomputed':
    case 'DeadlineRecomputed': {
      if (NO_APPLICANT_TO_TELL.has(c.caseType)) return [];
      // A filing's review deadline; the completeness check's (材料审查); any other step's 办理期限.
      const what = event.type === 'DeadlineRecomputed' ? '审查期限' : event.type === 'CompletenessWindowRecomputed' ? '材料审查期限' : '办理期限';
      return [
        make(
          'deadline-moved',
          applicant,
          `${what}已重新计算：${name}`,
          `您的${name}的${what}最后一天${lastDayMove(d.previous as LastDay | undefined, d.current as LastDay | undefined)}。原因：${recountReason(d)}。`,
        ),
      ];
    }
    case 'CallCloseRecorded': {
      // Only where the close moved the panel's limit the application is at; a close alone moves no day the applicant is shown.
      const limit = d.limit as { previous?: LastDay; current?: LastDay } | undefined;
      if (!limit || NO_APPLICANT_TO_TELL.has(c.caseType)) return [];
      const closesAt = str(d.closesAt);
      const close = closesAt && !Number.isNaN(Date.parse(closesAt)) ? chineseDate(shanghaiDateOf(Date.parse(closesAt) - 1)) : '';
      return [
        make(
          'deadline-moved',
          applicant,
          `评审办理期限已变更：${name}`,
          `您的${name}的评审办理期限最后一天${lastDayMove(limit.previous, limit.current)}。原因：申报批次${d.closedEarly === true ? '提前截止' : '截止时间调整'}${close ? `（截止日${close}）` : ''}，评审期限自新的截止日起计算。`,
        ),
      ];
    }
    case 'ReviewReminderSent': {
      // The drama-filing workflow already reminds its reviewer before the promised days run out.
      const last = date(d.lastWorkingDay);
      const to = d.to as { accountId?: unknown } | null | undefined;
      const recipient: NoticeRecipient = str(to?.accountId) ? { accountId: str(to?.accountId)! } : { department: str(d.department) ?? c.department ?? '' };
      if ('department' in recipient && !recipient.department) return [];
      return [make('deadline-approaching', recipient, `审查期限将到：${name}`, `${name}的审查期限${last ? `为${chineseDate(last)}` : '将到'}，请及时办理。`)];
    }
    default:
      return [];
  }
}

/** An instalment not yet paid, as the loan's read model holds it. */
export interface InstalmentDue {
  caseId: string;
  referenceNo: string;
  applicantAccountId: string;
  number: number;
  dueOn: LocalDate;
  outstandingFen: Fen;
  /** The due date falls in a year whose holiday arrangement is not loaded: the reminder says it is 暂定. */
  provisional?: boolean;
}

/** A case waiting for its department, with the instant its step's time limit runs out. */
export interface OfficialDeadline {
  caseId: string;
  referenceNo: string;
  caseType: string;
  department: string;
  deadlineAt: string;
}

/** How far ahead people are reminded. */
export const INSTALMENT_REMINDER_DAYS = 3;
export const DEADLINE_REMINDER_HOURS = 24;

/**
 * The reminders due at `now` that no event records: an instalment due in 3 days (counted in Shanghai
 * calendar days), a step of a case whose time limit passes within a day. Keyed by what they remind of
 * (the case, the instalment or the deadline), so a scan run again, or by two workers, finds the same ones.
 */
export function remindersDue(now: Date, instalments: readonly InstalmentDue[], deadlines: readonly OfficialDeadline[]): Notice[] {
  const today = shanghaiDateOf(now);
  const createdAt = now.toISOString();
  const notices: Notice[] = [];
  for (const i of instalments) {
    const daysLeft = Math.round((Date.parse(`${i.dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    if (daysLeft < 0 || daysLeft > INSTALMENT_REMINDER_DAYS || i.outstandingFen <= 0) continue;
    notices.push({
      key: `reminder:instalment-due-soon:${i.caseId}:${i.number}:${i.dueOn}`,
      recipient: { accountId: i.applicantAccountId },
      kind: 'instalment-due-soon',
      title: `还款提醒：雏鹰计划借款申请（${i.referenceNo}）`,
      body: `您的雏鹰计划借款申请（${i.referenceNo}）第${i.number}期还款${chineseAmount(i.outstandingFen)}将于${dateWithProvisional(i.dueOn, i.provisional === true)}到期，请按时还款。`,
      caseId: i.caseId,
      referenceNo: i.referenceNo,
      eventId: null,
      createdAt,
    });
  }
  for (const d of deadlines) {
    const left = Date.parse(d.deadlineAt) - now.getTime();
    if (left <= 0 || left > DEADLINE_REMINDER_HOURS * 3_600_000) continue;
    const name = `${CASE_KIND_NAMES[d.caseType] ?? '案件'}（${d.referenceNo}）`;
    const deadlineDay = shanghaiDateOf(Date.parse(d.deadlineAt) - 1);
    notices.push({
      key: `reminder:deadline-approaching:${d.caseId}:${d.department}:${d.deadlineAt}`,
      recipient: { department: d.department },
      kind: 'deadline-approaching',
      title: `办理期限将到：${name}`,
      body: `${name}的办理期限为${chineseDate(deadlineDay)}24时，不足一天，请及时办理。`,
      caseId: d.caseId,
      referenceNo: d.referenceNo,
      eventId: null,
      createdAt,
    });
  }
  return notices;
}
