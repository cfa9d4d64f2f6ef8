import type { JsonSchema } from './schema-form.js';

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
  /** Ended by its type's rule; waitingFor null alone does not say so (during a 公示 nobody acts, yet the case is open). */
  finished: boolean;
  deadline: { kind: string; dueOn?: string; lastWorkingDay?: string; at: string; provisional: boolean } | null;
  applicant: { accountId: string; name: string };
  /** What the asker may do now, or sees and may not (with why): the form of each is built from its body schema. */
  availableActions?: AvailableAction[];
  /** Cases of another type the asker may open against this one (a recovery of what was overpaid). */
  availableOpenings?: AvailableOpening[];
  /** A case type whose module gives its view (a recovery): what the case is, in words. */
  overview?: { label: string; value: string }[];
  /** The 查询码 for 办件进度查询, to the applicant and the department's officials (also a line of `overview`). */
  progressCode?: string;
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
  /** The borrower's reports of repayments by bank transfer, and whether the fund has recorded each. */
  repaymentDeclarations?: RepaymentDeclaration[];
  // 奖补与服务申请
  details?: { title: string; summary: string } | null;
  facts?: Record<string, unknown>;
  maxAmountFen?: number | null;
  amountRule?: string;
  /** Who scored, the points and the comments: the office's only; the applicant reads that (and when) it was scored. */
  scores?: { by?: string; score?: number; comments?: string; scoredAt: string }[];
  decision?: { by: string; on: string | null; approvedAmountFen: number | null; byDirector: boolean } | null;
  award?: { amountFen: number; planInWords: string } | null;
  totalPaidFen?: number;
  // 备案
  filing?: { title: string; producer: string; episodeCount: number; episodeLengthMinutes: number; aiGenerated: boolean; synopsis: string; platform: string } | null;
  reasons?: string[];
  rounds?: FilingRound[];
  flagged?: unknown;
}

/** An action the API offers on a case, to the account that asked (GET /api/cases/:caseId). */
export interface AvailableAction {
  /** POST /api/cases/:caseId/<name>. */
  name: string;
  label: string;
  submit: string;
  /** The flash message once done. */
  done: string;
  tone: 'danger' | null;
  /** It settles something for good (a refusal, an approval, money recorded as moved): the page asks before sending it. */
  asksFirst: boolean;
  /** A line above the fields, from the case. */
  explain: string | null;
  /** Initial values of body fields (money in fen). */
  prefill: Record<string, unknown>;
  bodySchema: JsonSchema;
  enabled: boolean;
  disabledReason: string | null;
  /** Taken by this account already at this step (claimed, scored): not offered again. */
  alreadyTaken: boolean;
}

export interface Instalment {
  number: number;
  dueOn: string;
  amountFen: number;
  paidFen: number;
  status: 'paid' | 'partially-paid' | 'due' | 'overdue' | 'delinquent';
  provisional: boolean;
}

/** A repayment the borrower reported (报告已还款): 待核对 until the fund records one under its bank reference. */
export interface RepaymentDeclaration {
  reference: string;
  amountFen: number;
  paidOn: string;
  note: string;
  declaredAt: string;
  status: 'pending' | 'confirmed' | 'withdrawn' | 'rejected';
  confirmed: { amountFen: number; paidOn: string; recordedAt: string } | null;
  /** Only on a report the borrower withdrew before the fund recorded it. */
  withdrawn?: { at: string; reason: string };
  /** Only on a report the fund returned: when, and why. */
  rejected?: { at: string; reason: string };
}

export interface FilingRound {
  round: number;
  submittedAt: string | null;
  workingDays: number;
  lastWorkingDay: string;
  deadline: string | null;
  provisional: boolean;
  reviewer: { accountId: string; displayName: string } | null;
  /** The reviewer holds the claim as the supervising official (分管领导). */
  reviewerDuty?: 'supervisor' | null;
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


/** A case of another type that may be opened against this one: POST /api/cases/<caseType>. */
export interface AvailableOpening {
  caseType: string;
  label: string;
  explain: string;
  prefill: Record<string, unknown>;
  bodySchema: JsonSchema;
  existingCaseId: string | null;
}
