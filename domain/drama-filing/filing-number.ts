import type { FieldIssue } from '../errors.js';
import type { LocalDate } from '../time/local-date.js';
import { FILING_STATUS_LABELS } from './decide.js';
import type { DramaFilingStatus } from './state.js';
import { DRAMA_FILING_TYPES, type DramaFilingType } from './terms.js';

/**
 * A 微短剧备案号 an application states, answered by the filings this system itself keeps: filings are
 * cases (规划备案, 完成片上线备案) numbered BA-<year>-<six digits> (db/case-references.ts). An outside
 * tester's 优秀微短剧项目 stated BA-2099-999999, a filing that never existed, and was approved with the
 * number shown as a plain claim. Pure: the caller reads the filing and passes it in.
 */

/** A filing as the look-up finds it in the system: its number, type, where it stands and whose it is. */
export interface FilingOnRecord {
  caseId: string;
  referenceNo: string;
  filingType: DramaFilingType;
  status: DramaFilingStatus;
  applicantAccountId: string;
  /** The drama's title, as filed. */
  title?: string;
}

/**
 * The system's own number a stated 备案号 is, however typed (width, letter case, spaces and hyphens
 * aside: "ba 2026 000123" is BA-2026-000123), and wherever it sits in what was typed: an outside
 * tester's "备案号BA-2026-000002", "No.BA-2026-000002" and "BA-2026-000002（规划备案）" passed as
 * numbers made elsewhere. A sequence written short ("BA-2026-2") is the same number. Only BA, on its
 * own, then a year of this century (20xx) and up to six digits, each group ending there: an item id with "ba" in
 * its hex ("drama-…-ba79-90c1…") is no filing number. Undefined for a number not in the system's
 * format, a filing made elsewhere.
 */
export function systemFilingNo(stated: string): string | undefined {
  const text = stated.normalize('NFKC').toUpperCase();
  const joined = /(?<![A-Z0-9])BA[^A-Z0-9]*(20\d{2})(\d{6})(?![A-Z0-9])/.exec(text);
  if (joined) return `BA-${joined[1]}-${joined[2]}`;
  const apart = /(?<![A-Z0-9])BA[^A-Z0-9]*(20\d{2})[^A-Z0-9]+(\d{1,6})(?![A-Z0-9])/.exec(text);
  return apart ? `BA-${apart[1]}-${apart[2]!.padStart(6, '0')}` : undefined;
}

/** What the system's filings say of a stated 备案号. */
export type FilingNoAnswer =
  /** Not in the system's format: a filing made elsewhere, the applicant's claim, to be checked against the original. */
  | { kind: 'outside'; stated: string }
  /** In the system's format, but no filing of the system has it. */
  | { kind: 'missing'; referenceNo: string }
  | { kind: 'found'; filing: FilingOnRecord; ownFiling: boolean; approved: boolean };

export function answerFilingNo(stated: string, filing: FilingOnRecord | undefined, applicantAccountId: string): FilingNoAnswer {
  const referenceNo = systemFilingNo(stated);
  if (referenceNo === undefined) return { kind: 'outside', stated };
  if (!filing || filing.referenceNo !== referenceNo) return { kind: 'missing', referenceNo };
  return { kind: 'found', filing, ownFiling: filing.applicantAccountId === applicantAccountId, approved: filing.status === 'approved' };
}

const FILING_NO_FIELD = 'facts.dramaFilingNo';

/**
 * Why an application cannot rest on the number, at its field: a number of the system's own format no
 * filing has, or another applicant's filing (said without saying whose). A filing of the applicant's
 * not yet approved is no refusal: 004 沪8条 rewards excellent dramas and names no filing stage, so the
 * reviewer is told where the filing stands (filingNoInWords) and weighs it.
 */
export function filingNoProblem(answer: FilingNoAnswer, field: string = FILING_NO_FIELD): FieldIssue | undefined {
  if (answer.kind === 'missing') {
    return {
      field,
      code: 'drama-filing-not-found',
      message: `本系统没有备案号为 ${answer.referenceNo} 的微短剧备案：请核对备案号（可在“我的办件”中查看备案的编号）；在本系统以外办理的备案，请按原备案证明上的编号填写`,
      english: `no micro-drama filing numbered ${answer.referenceNo} exists in the system`,
    };
  }
  if (answer.kind === 'found' && !answer.ownFiling) {
    return {
      field,
      code: 'drama-filing-of-another-applicant',
      message: '该备案号不是您的备案：请填写本单位（本人）办理的微短剧备案的备案号',
      english: 'the filing with this number was made by another applicant',
    };
  }
  return undefined;
}

/** Where the filing stands, in words, for whoever reviews the application. */
export function filingNoInWords(answer: FilingNoAnswer): string {
  switch (answer.kind) {
    case 'outside':
      return '未在本系统备案，需核对原件';
    case 'missing':
      return `本系统没有备案号为 ${answer.referenceNo} 的微短剧备案，请核实`;
    case 'found': {
      const { filing } = answer;
      const title = filing.title ? `《${filing.title}》` : '';
      const status = answer.approved
        ? FILING_STATUS_LABELS.approved
        : filing.status === 'rejected'
          ? `${FILING_STATUS_LABELS.rejected}，请核实`
          : `${FILING_STATUS_LABELS[filing.status]}，尚未通过备案，请确认后再作决定`;
      return `本系统${DRAMA_FILING_TYPES[filing.filingType].zh} ${filing.referenceNo}${title}：${status}；${answer.ownFiling ? '备案申请人即本申请人' : '备案申请人不是本申请人，请核实'}`;
    }
  }
}

/** The filing in figures, beside the words, for the case page. */
export interface FilingCheck {
  inSystem: boolean;
  referenceNo: string | null;
  filingType: DramaFilingType | null;
  filingTypeLabel: string | null;
  status: DramaFilingStatus | null;
  statusLabel: string | null;
  approved: boolean;
  sameApplicant: boolean | null;
}

export function filingCheckOf(answer: FilingNoAnswer): FilingCheck {
  if (answer.kind !== 'found') {
    return { inSystem: false, referenceNo: answer.kind === 'missing' ? answer.referenceNo : null, filingType: null, filingTypeLabel: null, status: null, statusLabel: null, approved: false, sameApplicant: null };
  }
  const { filing } = answer;
  return {
    inSystem: true,
    referenceNo: filing.referenceNo,
    filingType: filing.filingType,
    filingTypeLabel: DRAMA_FILING_TYPES[filing.filingType].zh,
    status: filing.status,
    statusLabel: FILING_STATUS_LABELS[filing.status],
    approved: answer.approved,
    sameApplicant: answer.ownFiling,
  };
}

/**
 * How the case records the answer among its facts' sources: a filing of the applicant's in the
 * system answers the 备案号 as a register would (已核验, against the filing, as of the day); a
 * number filed elsewhere stays the applicant's claim, verified against the original.
 */
export function filingFactSource(answer: FilingNoAnswer, on: LocalDate): { source: 'register'; register: 'drama-filings'; entryId: string; asOf: LocalDate; key: string; describe: string } | undefined {
  if (answer.kind !== 'found' || !answer.ownFiling) return undefined;
  return { source: 'register', register: 'drama-filings', entryId: answer.filing.referenceNo, asOf: on, key: answer.filing.referenceNo, describe: filingNoInWords(answer) };
}
