import type { ApplicationEvent } from '../applications/events.js';
import type { ApplicationState } from '../applications/state.js';
import { findProgrammeAt } from '../applications/terms.js';
import type { Department } from '../cases/actor.js';
import type { ChuyingLoanEvent } from '../chuying/events.js';
import type { ChuyingLoanState } from '../chuying/state.js';
import type { DramaFilingEvent } from '../drama-filing/events.js';
import type { DramaFilingState } from '../drama-filing/state.js';
import { DRAMA_FILING_TYPES } from '../drama-filing/terms.js';
import type { Fen } from '../money/fen.js';
import { PROGRAMMES } from '../programmes/catalogue.js';
import { favourableDecisionOf } from '../programmes/decision-words.js';
import type { Programme } from '../programmes/programme.js';
import { chineseDate, shanghaiDateOf, type LocalDate } from '../time/local-date.js';
import { amountInWords, governmentOf, letterContent, sourceOf, type LetterContent } from './letter.js';

/**
 * The decision letters of each case type: from the event that records a decision and the case's
 * state once the decision is recorded (every event of it folded, so an award's amount is known),
 * and the event's position in the case. Events that decide nothing have no letter.
 */

const dateOf = (instant: string): LocalDate => shanghaiDateOf(Date.parse(instant));
const CONTENT_REVIEW = '市委网信办内容合规审查';

function programmeOf(catalogueVersion: string | undefined, programmeId: string): Programme | undefined {
  return (catalogueVersion ? findProgrammeAt(catalogueVersion, programmeId) : undefined) ?? PROGRAMMES.find((p) => p.id === programmeId);
}

/**
 * Since 2026-12-05: the letter of a service that handles what the applicant brings rather than grants
 * it (a 盾牌行动 complaint, a 合规引擎 request for guidance …, domain/programmes/decision-words.ts) is a
 * 受理并办结决定书 saying the matter was 受理并办结, as its notice and case page say; before, it read
 * 准予办理 as if the complaint were approved. Letters issued before keep their stored bytes, and
 * histories recorded before replay with the letter they recorded.
 */
export const HANDLED_SERVICE_LETTERS_PATCH = 'handled-service-letters';

/** What a letter asks of the workflow: Temporal's patched(), for a change to what letters say. */
export interface LetterChanges {
  patched(changeId: string): boolean;
}

/** A letter written now, outside a workflow: with every change to what letters say. */
const WRITTEN_NOW: LetterChanges = { patched: () => true };

/**
 * 扶持项目申请: approval (给予支持 / 准予办理, or 受理并办结 for a service that handles a matter),
 * rejection, and a failed 网信 review that closes the case; for an award in a call (issue 13), its
 * withdrawal, or its reduction, on an objection upheld during the 公示.
 */
export function letterForApplication(event: ApplicationEvent, state: ApplicationState, position: number, ask: LetterChanges = WRITTEN_NOW): LetterContent | undefined {
  const terms = state.terms;
  if (!terms) return undefined;
  const programme = programmeOf(terms.catalogueVersion, terms.programmeId);
  const government = governmentOf(terms.department, terms);
  const base = {
    caseId: state.caseId,
    referenceNo: state.referenceNo,
    position,
    eventType: event.type,
    addressee: state.applicant?.displayName ?? '',
    matter: `${terms.name.zh}${state.details?.title ? `：${state.details.title}` : ''}`,
    source: sourceOf(terms.family, terms.name.zh, programme?.source ?? ''),
    government,
  };
  const isService = terms.caseKind === 'service';
  // An award in a call is final only after its 公示: the letter says so.
  const publicity = state.call && !isService ? `本决定所涉资助将公示 ${state.call.publicityWorkingDays} 个工作日，公示期满无异议或异议不成立的，资助确定。` : '';
  switch (event.type) {
    case 'ApplicationApproved': {
      const amountFen: Fen | null = state.award?.amountFen ?? event.data.approvedAmountFen;
      // Asked only of a handled service's approval, so no other decision's history gains a marker.
      if (isService && favourableDecisionOf(terms.programmeId) === 'handled' && ask.patched(HANDLED_SERVICE_LETTERS_PATCH)) {
        return letterContent({
          ...base,
          title: '受理并办结决定书',
          decision: 'approve',
          decisionText: `你方依据${base.source.document}提出的申请，本机关已受理并办结。`,
          amountFen: null,
          reasons: event.data.notes ? [event.data.notes] : ['已按该项服务的办理程序受理，并已办理完毕。'],
          decidedBy: event.data.by.displayName,
          department: terms.department,
          decidedOn: event.data.decidedOn,
        });
      }
      return letterContent({
        ...base,
        title: isService ? '准予办理决定书' : '给予支持决定书',
        decision: 'approve',
        decisionText: isService
          ? `经审查，你方的申请符合${base.source.document}规定的条件，决定准予办理。`
          : `经审查，你方的申请符合${base.source.document}规定的条件，决定给予支持${amountFen ? `，核定金额${amountInWords(amountFen)}` : ''}。${publicity}`,
        amountFen,
        reasons: event.data.notes ? [event.data.notes] : ['申请材料齐全，符合该项措施的申请条件和金额规则。'],
        decidedBy: event.data.by.displayName,
        department: terms.department,
        decidedOn: event.data.decidedOn,
      });
    }
    case 'ApplicationRejected':
      return letterContent({
        ...base,
        title: '不予支持决定书',
        decision: 'reject',
        decisionText: '经审查，决定对你方的申请不予支持，本案办结。',
        amountFen: null,
        reasons: event.data.reasons,
        decidedBy: event.data.by.displayName,
        department: terms.department,
        decidedOn: dateOf(event.data.decidedAt),
      });
    case 'ComplianceReviewFailed':
      return letterContent({
        ...base,
        government: governmentOf('cac'),
        title: '不予支持决定书',
        decision: 'reject',
        decisionText: `你方申请的内容未通过${CONTENT_REVIEW}，决定不予支持，本案办结。`,
        amountFen: null,
        reasons: event.data.reasons,
        decidedBy: event.data.by.displayName,
        department: 'cac',
        decidedOn: dateOf(event.data.reviewedAt),
      });
    case 'AwardWithdrawnAfterPublicity':
      return letterContent({
        ...base,
        title: '撤销奖补决定书',
        decision: 'withdraw-award',
        decisionText: `你方获得的资助（${amountInWords(event.data.amountFen)}）在公示期间收到异议，经核查异议成立，决定撤销该资助，本案办结。`,
        amountFen: event.data.amountFen,
        reasons: [event.data.answer],
        decidedBy: event.data.by.displayName,
        department: terms.department,
        decidedOn: dateOf(event.data.withdrawnAt),
      });
    case 'ApprovedAmountReduced':
      return letterContent({
        ...base,
        title: '变更奖补决定书',
        decision: 'approve',
        decisionText: `你方获得的资助在公示期间收到异议，经核查异议成立，决定将资助金额由${amountInWords(event.data.fromFen)}调整为${amountInWords(event.data.toFen)}。`,
        amountFen: event.data.toFen,
        reasons: [event.data.answer],
        decidedBy: event.data.by.displayName,
        department: terms.department,
        decidedOn: dateOf(event.data.reducedAt),
      });
    default:
      return undefined;
  }
}

const CHUYING_PROGRAMME_ID = 'chuying-loan';
const CHUYING_DEPARTMENT: Department = 'yangpu-fund';

/** 雏鹰计划 loan: the fund's approval or rejection, and a failed 网信 review that closes the case. */
export function letterForChuyingLoan(event: ChuyingLoanEvent, state: ChuyingLoanState, position: number): LetterContent | undefined {
  const programme = programmeOf(undefined, CHUYING_PROGRAMME_ID)!;
  const base = {
    caseId: state.caseId,
    referenceNo: state.referenceNo,
    position,
    eventType: event.type,
    addressee: state.company?.name ?? state.applicant?.displayName ?? '',
    matter: `${programme.name.zh}${state.project?.name ? `：${state.project.name}` : ''}`,
    source: sourceOf(programme.family, `V聚场基金“雏鹰计划”`, programme.source),
  };
  switch (event.type) {
    case 'FundingApproved': {
      const instalments = state.terms?.instalmentCount ?? 36;
      return letterContent({
        ...base,
        government: governmentOf(CHUYING_DEPARTMENT),
        title: '资助决定书',
        decision: 'approve',
        decisionText: `经评审，决定给予资助，核定金额${amountInWords(event.data.approvedAmountFen)}，资助期 3 年，分 ${instalments} 个月等额免息还款。`,
        amountFen: event.data.approvedAmountFen,
        reasons: event.data.notes ? [event.data.notes] : ['项目符合“雏鹰计划”的申请条件，经材料审查、内容合规审查和基金评审决策。'],
        decidedBy: event.data.by.displayName,
        department: CHUYING_DEPARTMENT,
        decidedOn: dateOf(event.data.decidedAt),
      });
    }
    case 'FundingCancelled':
      return letterContent({
        ...base,
        government: governmentOf(CHUYING_DEPARTMENT),
        title: '撤销资助决定书',
        decision: 'reject',
        decisionText: `经复核，决定撤销${state.approvedOn ? `${chineseDate(state.approvedOn)}作出的` : '对你方的'}资助决定${state.approvedAmountFen !== undefined ? `（核定金额${amountInWords(state.approvedAmountFen)}）` : ''}，不予放款，本案办结。`,
        amountFen: null,
        reasons: event.data.reasons,
        decidedBy: event.data.by.displayName,
        department: CHUYING_DEPARTMENT,
        decidedOn: dateOf(event.data.cancelledAt),
      });
    case 'FundingRejected':
      return letterContent({
        ...base,
        government: governmentOf(CHUYING_DEPARTMENT),
        title: '不予资助决定书',
        decision: 'reject',
        decisionText: '经评审，决定对你方的申请不予资助，本案办结。',
        amountFen: null,
        reasons: event.data.reasons,
        decidedBy: event.data.by.displayName,
        department: CHUYING_DEPARTMENT,
        decidedOn: dateOf(event.data.decidedAt),
      });
    case 'ComplianceReviewFailed':
      return letterContent({
        ...base,
        government: governmentOf('cac'),
        title: '不予资助决定书',
        decision: 'reject',
        decisionText: `你方申请的项目内容未通过${CONTENT_REVIEW}，决定不予资助，本案办结。`,
        amountFen: null,
        reasons: event.data.reasons,
        decidedBy: event.data.by.displayName,
        department: 'cac',
        decidedOn: dateOf(event.data.reviewedAt),
      });
    default:
      return undefined;
  }
}

/** 微短剧备案: approved (准予备案) or rejected (不予备案); a return for revision is no decision yet. */
/**
 * Since this change a filing's letter is addressed to the account that filed (its registered name),
 * with the 制作机构 it typed in the matter where that is another name: an outsider filed under another
 * company's name and was sent the 准予备案决定书 in that company's name. Letters before keep theirs.
 */
export const FILING_LETTER_TO_FILER_PATCH = 'filing-letter-addressed-to-filer';

export function letterForDramaFiling(event: DramaFilingEvent, state: DramaFilingState, position: number, ask: LetterChanges = WRITTEN_NOW): LetterContent | undefined {
  if (event.type !== 'FilingApproved' && event.type !== 'FilingRejected') return undefined;
  const filingType = state.filingType ?? state.terms?.filingType;
  if (!filingType) return undefined;
  const kind = DRAMA_FILING_TYPES[filingType].zh;
  const department = state.terms?.reviewingDepartment ?? 'culture-tourism';
  const approved = event.type === 'FilingApproved';
  return letterContent({
    caseId: state.caseId,
    referenceNo: state.referenceNo,
    position,
    eventType: event.type,
    ...(state.applicant && ask.patched(FILING_LETTER_TO_FILER_PATCH)
      ? {
          addressee: state.applicant.displayName,
          matter: `${kind}：《${state.submission?.title ?? ''}》${state.submission && state.submission.producer !== state.applicant.displayName ? `（申报的制作机构：${state.submission.producer}）` : ''}`,
        }
      : { addressee: state.submission?.producer ?? state.applicant?.displayName ?? '', matter: `${kind}：《${state.submission?.title ?? ''}》` }),
    source: sourceOf('drama-hu8', `${kind}“工作日随报随审”`, '004 随报随审'),
    government: governmentOf(department),
    title: approved ? '准予备案决定书' : '不予备案决定书',
    decision: approved ? 'approve' : 'reject',
    decisionText: approved ? `经审查，决定对你方的${kind}准予备案。` : `经审查，决定对你方的${kind}不予备案，本案办结。`,
    amountFen: null,
    reasons: event.type === 'FilingApproved' ? [event.data.notes || '备案材料齐全，内容符合备案要求。'] : event.data.reasons,
    decidedBy: event.data.by.displayName,
    department,
    decidedOn: dateOf(event.data.decidedAt),
  });
}

/**
 * What a recovery's letter reads of the case (cases/recovery.case.ts keeps the types; domain/ does
 * not import a case module, and its events and state fit these shapes).
 */
export interface RecoveryLetterState {
  caseId?: string;
  referenceNo?: string;
  applicant?: { displayName: string };
  openedBy?: { displayName: string };
  source?: { referenceNo: string; programmeId: string | null; programmeName: string };
  department?: Department;
  amountFen: Fen;
  reason?: string;
}
export type RecoveryLetterEvent =
  | { type: 'ObjectionAnswered'; data: { by: { displayName: string }; outcome: 'upheld' | 'dismissed'; answer: string; answeredAt: string } }
  | { type: 'ObjectionWindowClosed'; data: { closedAt: string } }
  | { type: string; data: unknown };

/**
 * 追回: the recovery is decided once the applicant has been heard — the objection window closing
 * without one, or the objection answered (dismissed: the recovery stands; upheld: it is withdrawn).
 * The opening is the notice that gives the applicant that hearing, not the decision.
 */
export function letterForRecovery(event: RecoveryLetterEvent, state: RecoveryLetterState, position: number): LetterContent | undefined {
  if (!state.department || !state.source || !state.caseId || !state.referenceNo) return undefined;
  const programme = state.source.programmeId ? programmeOf(undefined, state.source.programmeId) : undefined;
  const base = {
    caseId: state.caseId,
    referenceNo: state.referenceNo,
    position,
    eventType: event.type,
    addressee: state.applicant?.displayName ?? '',
    matter: `追回${state.source.programmeName}多发款项（原案件 ${state.source.referenceNo}）`,
    source: programme ? sourceOf(programme.family, programme.name.zh, programme.source) : { document: state.source.programmeName, measure: state.source.programmeName },
    government: governmentOf(state.department, programme),
    department: state.department,
  };
  const recover = (decidedBy: string, decidedOn: LocalDate, heard: string) =>
    letterContent({
      ...base,
      title: '追回决定书',
      decision: 'recover',
      decisionText: `决定追回已发放的${state.source!.programmeName}款项${amountInWords(state.amountFen)}，请按告知的方式退还。`,
      amountFen: state.amountFen,
      reasons: [state.reason ?? '', heard],
      decidedBy,
      decidedOn,
    });
  if (event.type === 'ObjectionWindowClosed') {
    const { closedAt } = event.data as { closedAt: string };
    return recover(state.openedBy?.displayName ?? '', dateOf(closedAt), '申请人在异议期内未提出异议。');
  }
  if (event.type === 'ObjectionAnswered') {
    const answered = event.data as { by: { displayName: string }; outcome: 'upheld' | 'dismissed'; answer: string; answeredAt: string };
    if (answered.outcome === 'dismissed') return recover(answered.by.displayName, dateOf(answered.answeredAt), `申请人提出的异议不成立：${answered.answer}`);
    return letterContent({
      ...base,
      title: '撤销追回决定书',
      decision: 'cancel-recovery',
      decisionText: `申请人提出的异议成立，决定撤销对${amountInWords(state.amountFen)}的追回，本案办结。`,
      amountFen: state.amountFen,
      reasons: [answered.answer],
      decidedBy: answered.by.displayName,
      decidedOn: dateOf(answered.answeredAt),
    });
  }
  return undefined;
}
