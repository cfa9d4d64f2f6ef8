import { DomainError } from '../errors.js';
import { withoutInvisible, withoutSeparators } from '../text/typed-separators.js';
import { FILING_STATUS_LABELS } from './decide.js';
import type { DramaFilingStatus } from './state.js';
import type { DramaFilingType } from './terms.js';

/**
 * One open filing per applicant, filing type and title. An outside tester sent the same
 * 完成片上线备案 thirty times at once and got thirty filings, each with its own 5-working-day clock in
 * 市文旅局's queue. Now the opening claims the title for its case, in one transaction
 * (db/filing-claims.ts), and a second filing of the same title while the first is open (awaiting a
 * claim, in review, or returned for revision) is refused, naming the first. Once the first is
 * decided (approved or rejected) the title is free again. Filings that opened before this change
 * replay without the claim.
 */
export const ONE_OPEN_FILING_PATCH = 'one-open-filing-per-title';

/** Since 2026-12-06: a filing resubmitted under a new title claims it, as a new filing would; before, it did not. */
export const RESUBMISSION_CLAIMS_TITLE_PATCH = 'resubmission-claims-title';

/** The statuses in which a filing no longer holds its title: it was decided, or never opened. */
const RELEASING_STATUSES: readonly string[] = ['not-submitted', 'approved', 'rejected', 'withdrawn'] satisfies readonly (DramaFilingStatus | 'withdrawn')[];

export function holdsTheTitle(status: string): boolean {
  return !RELEASING_STATUSES.includes(status);
}

/**
 * Two spellings of one title: width (NFKC), spaces and the separators a title is typed with or
 * without (domain/text/typed-separators.ts) aside, and letter case: "外滩往事", "外滩 往事" and
 * "外滩·往事" are one drama. db/migrations/2026-12-06T11-00 keeps a frozen copy for the filings recorded before.
 */
export function filingTitleKey(title: string): string {
  // Characters that show as nothing (a zero-width space a second outside tester slipped in) are no part of a title.
  const folded = withoutSeparators(withoutInvisible(title.normalize('NFKC'))).toUpperCase();
  return folded === '' ? title : folded;
}

/** The filing that holds a title, as the claim answers it: its status is the read model's, or `awaiting-claim` while its opening is being recorded. */
export interface FilingTitleHolder {
  caseId: string;
  referenceNo: string;
  status: DramaFilingStatus;
}

export type FilingClaimAnswer = { granted: true } | { granted: false; heldBy: FilingTitleHolder };

/** The filing types as an applicant names them in a sentence. */
const FILING_TYPE_WORDS: Record<DramaFilingType, string> = {
  'drama-planning-filing': '规划备案',
  'drama-release-filing': '完成片上线备案',
};

/** The refusal of a second filing of the title while the first is open, naming the first (the same account's). */
export function secondFilingRefusal(filingType: DramaFilingType, heldBy: Pick<FilingTitleHolder, 'referenceNo' | 'status'>) {
  const status = FILING_STATUS_LABELS[heldBy.status] ?? heldBy.status;
  return new DomainError('conflict', {
    code: 'one-open-filing-per-title',
    zh: `您已有同名的${FILING_TYPE_WORDS[filingType]} ${heldBy.referenceNo}（${status}），请勿重复提交；如需修改，请在该备案页面办理。`,
    en: `you already have an open ${filingType} of this title, ${heldBy.referenceNo} (${heldBy.status}): do not file it again; change it on that filing's page`,
    params: { heldBy: heldBy.referenceNo, status: heldBy.status },
  });
}
