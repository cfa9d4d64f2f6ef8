import type { Fen } from '../money/fen.js';
import { DEFAULT_STEP_TIME_LIMITS, type StepTimeLimitTerms } from '../time-limits/step-time-limit.js';

/**
 * The terms of the 雏鹰计划 (V聚场基金) start-up loan (DOMAIN.md, source 003). A case records the
 * terms it opened under and keeps them for life, so that a later change by the programme office
 * applies to new cases only.
 */
export interface ChuyingLoanTerms {
  termsVersion: string;
  capFen: Fen;
  instalmentCount: number;
  requiredDistrict: string;
  /** Calendar days the applicant has to answer a 补正 request before the case is withdrawn. */
  supplementReplyDays: number;
  /** Calendar days after a missed due date at which a reminder is sent. */
  reminderAfterDays: number;
  /** Calendar days after a missed due date at which the instalment is delinquent. */
  delinquentAfterDays: number;
  /**
   * Since terms 2026-12 (issue 13): the 一次性告知 window of the completeness check (deemed complete
   * when it passes unanswered) and the promised limits of the 网信 review and the fund's decision.
   * Cases opened under earlier terms have none.
   */
  timeLimits?: StepTimeLimitTerms & { completenessWorkingDays: number };
}

export const CHUYING_LOAN_TERMS: ChuyingLoanTerms = {
  termsVersion: '2026-12',
  capFen: 50_000_000,
  instalmentCount: 36,
  requiredDistrict: '杨浦区',
  supplementReplyDays: 30,
  reminderAfterDays: 3,
  delinquentAfterDays: 30,
  timeLimits: { completenessWorkingDays: 5, ...DEFAULT_STEP_TIME_LIMITS },
};

/** The department that runs the 雏鹰 fund: its officials decide the loans and keep the loan book. */
export const CHUYING_LOAN_DEPARTMENT = 'yangpu-fund' as const;
