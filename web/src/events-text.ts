import { joinClauses } from '../../domain/cases/clauses.js';
import { eventTitleOf } from '../../domain/cases/event-titles.js';
import { WITHHELD_FROM_OTHER_DEPARTMENTS, WITHHELD_IN_WORDS } from '../../domain/chuying/fund-business.js';
import { dateInWords, dateTimeInWords, dueByInWords, isoDatesInWords, money } from './format.js';

type Data = Record<string, unknown>;
/** Reasons or items in one line, parted by ；, without a reason's own 。 before the next (domain/cases/clauses.ts). */
const list = (v: unknown) => (Array.isArray(v) ? joinClauses(v.map(String)) : '');
/** A date from an event in Chinese form; an event recorded without it shows nothing rather than "Invalid". */
const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? dateInWords(v) : '—');
/** An inclusive last day: 2026年12月10日（含）前. */
const dueBy = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? dueByInWords(v) : '—');

/**
 * What the loading of a year's holiday arrangement did to the instalments: those whose day moved,
 * each from and to (第 1 期由2027年1月4日改为2027年1月5日), and how many more only became final.
 */
export function dueDatesRecomputed(changes: unknown): string {
  const list = Array.isArray(changes) ? (changes as { number: number; previous: { dueOn: string }; current: { dueOn: string } }[]) : [];
  const moved = list.filter((c) => c.previous?.dueOn !== c.current?.dueOn);
  const confirmed = list.length - moved.length;
  const movedText = moved.map((c) => `第 ${c.number} 期由${day(c.previous.dueOn)}改为${day(c.current.dueOn)}`).join('；');
  const confirmedText = confirmed > 0 ? `${moved.length ? '另有 ' : ''}${confirmed} 期日期不变，由暂定改为确定` : '';
  return [movedText, confirmedText].filter(Boolean).join('；') || '应还日期不变';
}

/** A count of days moved by a holiday arrangement: from which last day to which, and whether it is still 暂定. */
const recounted = (d: Data) => {
  const previous = (d.previous as { lastWorkingDay?: string } | undefined)?.lastWorkingDay;
  const current = d.current as { lastWorkingDay?: string; provisional?: boolean } | undefined;
  const year = (d.reason as { calendarYear?: number; revision?: number } | undefined) ?? {};
  const basis = year.calendarYear ? `（依 ${year.calendarYear} 年安排第 ${year.revision ?? 1} 版）` : '';
  return `由 ${day(previous)} 改为 ${dueBy(current?.lastWorkingDay)}${current?.provisional ? '，仍为暂定' : ''}${basis}`;
};

/**
 * Why each event happened, as a person reads it under its title in the timeline (reasons, notes,
 * items). The titles are domain/cases/event-titles.ts's, or the ones the case types declare
 * (GET /api/case-types).
 */
export const EVENT_TEXT: Record<string, { why?: (d: Data) => string | undefined }> = {
  LoanApplicationSubmitted: { why: (d) => `申请金额 ${money(d.requestedAmountFen as number)}；项目：${(d.project as { name?: string })?.name ?? ''}` },
  SupplementRequested: {
    why: (d) => `需补正：${list(d.missingItems)}；请于 ${dueBy(d.replyDueOn)}提交${(d.replyPeriod as { provisional?: boolean } | undefined)?.provisional ? '（暂定：该年度节假日安排公布后重新确定，不会提前）' : ''}`,
  },
  SupplementReplyRecomputed: {
    why: (d) => {
      const previous = d.previous as { replyDueOn?: string } | undefined;
      const current = d.current as { replyDueOn?: string; provisional?: boolean } | undefined;
      const moved = previous?.replyDueOn !== current?.replyDueOn;
      return `补正期限${moved ? `由 ${day(previous?.replyDueOn)} 改为 ${day(current?.replyDueOn)}` : `仍为 ${day(current?.replyDueOn)}`}${current?.provisional ? '，仍为暂定' : '，已确定'}`;
    },
  },
  SupplementProvided: {
    why: (d) => (d.responses as { item: string; response: string }[] | undefined)?.map((r) => `${r.item}：${r.response}`).join('；'),
  },
  // A loan declined once approved says so: the timeline read as a plain withdrawal of the application.
  ApplicationWithdrawn: { why: (d) => (d.afterApproval === true ? `${String(d.detail ?? '')}（资助已批准、尚未放款时放弃借款，核定额度退回资金池）` : String(d.detail ?? '')) },
  // The panel's work on an application, as far as this reader's events carry it: the applicant's and an
  // expert's copy has the rank and aggregate only (domain/panels/application-record.ts panelRecordAsSeenByApplicant).
  PanelRecusalRecorded: { why: (d) => (d.member ? `${(d.member as { displayName?: string }).displayName ?? ''} 回避：${String(d.reason ?? '')}` : undefined) },
  PanelReviewRecorded: {
    why: (d) => {
      const sheets = Array.isArray(d.sheets) ? `；${d.sheets.length} 位评审专家有效打分` : '';
      const excluded = Array.isArray(d.excluded) && d.excluded.length ? `；回避：${(d.excluded as { member: { displayName?: string } }[]).map((e) => e.member.displayName ?? '').join('、')}` : '';
      return `第 ${d.rank} 位（共 ${d.rankedOf} 位），综合得分 ${(Number(d.aggregate) / 100).toFixed(2)}${sheets}${excluded}`;
    },
  },
  BatchDecisionRecorded: {
    why: (d) => (d.decision === 'selected' ? `列入资助名单，核定 ${money(d.amountFen as number)}` : `未列入资助名单${d.reason ? `：${String(d.reason)}` : ''}`),
  },
  // An applicant reading an internal attachment gets only that one was made (domain/documents/official-attachments.ts asSeenByApplicant).
  OfficialDocumentsAttached: {
    why: (d) =>
      d.internal === true
        ? '内部材料，仅工作人员可见'
        : `${d.visibleToApplicant ? '申请人可见' : '内部材料，申请人不可见'}：${String(d.note ?? '')}（${(d.documents as { name: string }[] | undefined)?.map((doc) => doc.name).join('、') ?? ''}）`,
  },
  ComplianceReviewPassed: { why: (d) => (d.notes ? String(d.notes) : undefined) },
  ComplianceReviewFailed: { why: (d) => list(d.reasons) },
  FundingApproved: { why: (d) => `核定金额 ${money(d.approvedAmountFen as number)}${d.notes ? `；${d.notes}` : ''}` },
  FundingRejected: { why: (d) => list(d.reasons) },
  FundingCancelled: { why: (d) => list(d.reasons) },
  LoanDisbursed: { why: (d) => `${money(d.amountFen as number)}，放款日 ${day(d.disbursedOn)}，银行流水 ${d.bankReference}；生成 36 期还款计划` },
  RepaymentRecorded: {
    why: (d) => {
      const reported = d.reported as { amountFen: number; paidOn: string } | undefined;
      return `${money(d.amountFen as number)}，还款日 ${day(d.paidOn)}，凭证 ${d.reference}${reported ? `（借款人报告为${day(reported.paidOn)} ${money(reported.amountFen)}）` : ''}`;
    },
  },
  // What the borrower says they paid: the fund records it once the transfer is in its account.
  RepaymentDeclared: { why: (d) => `${money(d.amountFen as number)}，还款日 ${day(d.paidOn)}，凭证 ${d.reference}${d.note ? `；${d.note}` : ''}（待基金核对入账）` },
  // The borrower took back a report the fund had not recorded: it is no longer to be checked.
  // The fund found no transfer to match a report: the borrower is told why.
  RepaymentDeclarationRejected: { why: (d) => `退回${day(d.paidOn)} ${money(d.amountFen as number)}的还款申报，凭证 ${d.reference}；理由：${d.reason}` },
  RepaymentDeclarationWithdrawn: { why: (d) => `撤回${day(d.paidOn)} ${money(d.amountFen as number)}的还款申报，凭证 ${d.reference}${d.reason ? `；理由：${d.reason}` : ''}` },
  InstalmentOverdue: { why: (d) => `第 ${d.number} 期（应还日 ${day(d.dueOn)}）未还 ${money(d.outstandingFen as number)}` },
  RepaymentReminderSent: { why: (d) => `第 ${d.number} 期未还 ${money(d.outstandingFen as number)}` },
  InstalmentDelinquent: { why: (d) => `第 ${d.number} 期（应还日 ${day(d.dueOn)}）未还 ${money(d.outstandingFen as number)}` },
  LoanRepaid: { why: (d) => `累计还款 ${money(d.totalRepaidFen as number)}` },
  InstalmentDueDatesRecomputed: { why: (d) => dueDatesRecomputed(d.changes) },
  FilingSubmitted: {
    why: (d) => {
      const deadline = d.deadline as { workingDays?: number; lastWorkingDay?: string; provisional?: boolean } | undefined;
      const title = `《${(d.submission as { title?: string })?.title ?? ''}》`;
      // A 重点 drama's review has no promised time (source 004): its event carries no deadline.
      if (!deadline?.lastWorkingDay) return `${title}；重点微短剧，审查不设承诺反馈时限`;
      return `${title}；应于 ${dueBy(deadline.lastWorkingDay)}反馈（${deadline.workingDays} 个工作日${deadline.provisional ? '，暂定' : ''}）`;
    },
  },
  FilingClaimed: {
    // A take-over is the supervising official's by whom it was taken from; an unclaimed filing they claimed says so since 2026-12-05.
    why: (d) => {
      const from = d.takenOverFrom as { displayName?: string } | undefined;
      if (from) return `接手 ${from.displayName ?? ''} 的审查`;
      return d.claimedAs === 'supervisor' ? '由分管领导认领审查' : undefined;
    },
  },
  FilingClaimReleased: {
    why: (d) => {
      const from = (d.from as { displayName?: string } | undefined)?.displayName;
      const by = (d.by as { displayName?: string } | undefined)?.displayName;
      return `${from && from !== by ? `交回 ${from} 认领的审查；` : ''}${d.reason ? String(d.reason) : ''}`;
    },
  },
  FilingApproved: { why: (d) => (d.notes ? String(d.notes) : undefined) },
  FilingReturnedForRevision: { why: (d) => list(d.reasons) },
  FilingRejected: { why: (d) => list(d.reasons) },
  FilingResubmitted: {
    why: (d) => {
      const last = (d.deadline as { lastWorkingDay?: string } | undefined)?.lastWorkingDay;
      return `${d.changeNote ? `${d.changeNote}；` : ''}${last ? `新的反馈期限 ${dueBy(last)}` : '审查不设承诺反馈时限'}`;
    },
  },
  ReviewReminderSent: { why: (d) => `最后一个工作日 ${day(d.lastWorkingDay)}` },
  ReviewSlaBreached: { why: (d) => `未在 ${dueBy(d.lastWorkingDay)}反馈${(d.reviewer as { displayName?: string } | null)?.displayName ? `（审查人 ${(d.reviewer as { displayName: string }).displayName}）` : ''}` },
  FilingEscalated: { why: (d) => String(d.reason ?? '') },
  DeadlineRecomputed: { why: recounted },
  TimeLimitRecomputed: { why: recounted },
  // The call's close moved (closed early, or changed): the panel limit, where it had counted from the previous close, counts from this one.
  CallCloseRecorded: {
    why: (d) => {
      const previous = d.previousClosesAt ? dateTimeInWords(String(d.previousClosesAt)) : undefined;
      const moved = d.closedEarly
        ? `申报批次于${dateTimeInWords(String(d.closesAt))}提前截止${previous ? `（原定${previous}截止）` : ''}`
        : `申报截止时间${previous ? `由${previous}` : ''}调整为${dateTimeInWords(String(d.closesAt))}`;
      const limit = d.limit as { previous?: { lastWorkingDay?: string }; current?: { lastWorkingDay?: string; provisional?: boolean } } | undefined;
      return limit ? `${moved}；评审办理时限相应由 ${day(limit.previous?.lastWorkingDay)} 改为 ${dueBy(limit.current?.lastWorkingDay)}${limit.current?.provisional ? '（暂定）' : ''}` : moved;
    },
  },
  ApplicationSubmitted: { why: (d) => (d.details as { title?: string } | undefined)?.title },
  CompletenessWindowRecomputed: { why: recounted },
  // The applicant's copy has neither the points nor the comments (domain/applications/score-record.ts scoreAsSeenByApplicant).
  ApplicationScored: { why: (d) => (typeof d.score === 'number' ? `${d.score} 分${d.comments ? `：${d.comments}` : ''}` : undefined) },
  // The decider's notes (决定意见) beside the amount: a service has no amount, and its notes are all the decision says.
  ApplicationApproved: {
    why: (d) => joinClauses([typeof d.approvedAmountFen === 'number' ? `核定 ${money(d.approvedAmountFen)}` : '', typeof d.notes === 'string' ? d.notes : '']) || undefined,
  },
  ApplicationRejected: { why: (d) => list(d.reasons) },
  AwardGranted: { why: (d) => `${money(d.amountFen as number)}，${day(d.awardedOn)}` },
  PayoutIssued: { why: (d) => `第 ${d.number}/${d.of} 笔 ${money(d.amountFen as number)}` },
  // Fallen due, not paid: the department records the payment (登记拨付) with its day and bank reference.
  PayoutFellDue: { why: (d) => `第 ${d.number}/${d.of} 笔 ${money(d.amountFen as number)}，${day(d.dueOn)}起待拨付` },
  PayoutRecorded: { why: (d) => `第 ${d.number}/${d.of} 笔 ${money(d.amountFen as number)}，拨付日 ${day(d.paidOn)}，银行流水 ${String(d.bankReference ?? '')}` },
  VouchersIssued: { why: (d) => money(d.amountFen as number) },
  LeftYangpuReported: { why: (d) => `迁离日 ${day(d.leftOn)}${d.note ? `；${d.note}` : ''}` },
  // How the department knows is said with it: the applicant reads it in their own timeline.
  LeftYangpuRecorded: { why: (d) => `迁离日 ${day(d.leftOn)}；依据：${String(d.note ?? '')}` },
  PayoutsStopped: { why: (d) => `已发 ${money(d.paidFen as number)}，应得 ${money(d.entitledFen as number)}` },
  ApplicationCompleted: { why: (d) => `累计发放 ${money(d.totalPaidFen as number)}` },
  CaseRated: { why: (d) => `${d.score} 分：${d.comment}` },
  FollowUpTaskOpened: { why: (d) => String(d.reason ?? '') },
  FollowUpTaskClosed: { why: (d) => String(d.note ?? '') },
};

/** Titles of the events of case types that declare their own (GET /api/case-types), learnt when the labels load. */
const DECLARED_TITLES: Record<string, string> = {};

export function learnEventTitles(titles: Readonly<Record<string, string>>): void {
  Object.assign(DECLARED_TITLES, titles);
}

export function eventTitle(type: string): string {
  return eventTitleOf(type, DECLARED_TITLES);
}

export function eventWhy(type: string, data: Data): string | undefined {
  // A loan's money as 网信 reads it: that the fund recorded something, not what (domain/chuying/fund-business.ts).
  if (data.withheld === WITHHELD_FROM_OTHER_DEPARTMENTS.withheld) return WITHHELD_IN_WORDS;
  try {
    const why = EVENT_TEXT[type]?.why?.(data);
    // Reasons and notes the server wrote may carry ISO dates ("2026-12-07 24:00 前"): people read them in words.
    return why ? isoDatesInWords(why) : undefined;
  } catch {
    return undefined;
  }
}

/** Who did it, in words: 王审查（杨浦区 V聚场基金） / 系统 / the applicant's name. */
export interface EventActor {
  accountId: string;
  displayName: string;
  role: string;
  department?: string;
}
