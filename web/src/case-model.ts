/** The case as GET /api/cases/:id shows it (雏鹰 loans and drama filings share the first fields). */
export interface CaseView {
  caseId: string;
  referenceNo: string;
  caseType: string;
  programme: { zh: string; en: string; id?: string; department?: string } | null;
  status: string;
  statusLabel: string;
  version: number;
  waitingFor: { role: 'applicant' | 'official'; department?: string; note: string } | null;
  deadline: { kind: string; dueOn?: string; lastWorkingDay?: string; at: string; provisional: boolean } | null;
  applicant: { accountId: string; name: string };
  openedAt: string;
  updatedAt: string;
  // 雏鹰
  company?: { name: string; unifiedSocialCreditCode: string; registeredDistrict: string } | null;
  project?: { name: string; summary: string; contentTrack: string } | null;
  requestedAmountFen?: number;
  approvedAmountFen?: number | null;
  outstandingFen?: number;
  supplement?: { missingItems: string[]; requestedAt: string; replyDueOn: string; round: number } | null;
  disbursement?: { amountFen: number; disbursedOn: string; bankReference: string } | null;
  closingReasons?: string[];
  schedule?: Instalment[];
  // 奖补与服务申请
  details?: { title: string; summary: string } | null;
  facts?: Record<string, unknown>;
  maxAmountFen?: number | null;
  amountRule?: string;
  scores?: { by: string; score: number; comments: string; scoredAt: string }[];
  decision?: { by: string; on: string | null; approvedAmountFen: number | null; byDirector: boolean } | null;
  award?: { amountFen: number; planInWords: string } | null;
  totalPaidFen?: number;
  // 备案
  filing?: { title: string; producer: string; episodeCount: number; episodeLengthMinutes: number; aiGenerated: boolean; synopsis: string; platform: string } | null;
  reasons?: string[];
  rounds?: FilingRound[];
  flagged?: unknown;
}

export interface Instalment {
  number: number;
  dueOn: string;
  amountFen: number;
  paidFen: number;
  status: 'paid' | 'partially-paid' | 'due' | 'overdue' | 'delinquent';
  provisional: boolean;
}

export interface FilingRound {
  round: number;
  submittedAt: string | null;
  workingDays: number;
  lastWorkingDay: string;
  deadline: string | null;
  provisional: boolean;
  reviewer: { accountId: string; displayName: string } | null;
  breachedAt: string | null;
  escalatedAt: string | null;
  endedAt: string | null;
  outcome: string | null;
}

export interface CaseEvent {
  position: number;
  version: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  actor: { accountId: string; displayName: string; role: string; department?: string } | undefined;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/** Events by which an official reviewed a 雏鹰 case: none of them may decide its funding (四眼原则). */
export const REVIEW_EVENTS = ['SupplementRequested', 'MaterialsAccepted', 'ComplianceReviewPassed', 'ComplianceReviewFailed', 'ApplicationScored'];

export function reviewersOf(events: readonly CaseEvent[]): Map<string, string> {
  const reviewers = new Map<string, string>();
  for (const e of events) {
    const who = e.data.by as { accountId?: string; displayName?: string } | undefined;
    if (REVIEW_EVENTS.includes(e.type) && who?.accountId) reviewers.set(who.accountId, who.displayName ?? who.accountId);
  }
  return reviewers;
}

export const isFiling = (c: CaseView) => c.caseType.startsWith('drama-');
export const isApplication = (c: CaseView) => c.caseType === 'application';
