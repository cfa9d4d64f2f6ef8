import { describe, expect, it } from 'vitest';
import { APPLICATION_CALLS_PATCH } from '../../domain/applications/in-call.js';
import { BATCH_AWARD_CHECK_PATCH, LEFT_YANGPU_DATE_BOUNDED_PATCH, PUBLICITY_RECOUNT_PATCH, REGISTER_FACTS_PATCH } from '../../cases/application.case.js';
import { MONEY_RECORDED_ONCE_PATCH, RECOMPUTE_PROVISIONAL_INSTALMENTS_PATCH } from '../../cases/chuying-loan.case.js';
import { SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH } from '../../cases/supplement-reply.js';
import { PANEL_WITHDRAWALS_PATCH } from '../../domain/calls/panel.js';
import { ONE_LOAN_PER_COMPANY_PATCH } from '../../domain/chuying/one-loan.js';
import { STEP_LIMIT_ON_ARRIVAL_PATCH, STEP_TIME_LIMITS_PATCH } from '../../domain/time-limits/step-time-limit.js';
import { CONTINUE_AS_NEW_PATCH, DECISION_LETTERS_PATCH } from '../../workflows/case.workflow.js';
import { CHANGES_IN_ONE_MARKER, CHANGES_TO_2026_12_03 } from '../../workflows/support/changes.js';
import { CASE_SEARCH_ATTRIBUTES_PATCH } from '../../workflows/support/case-workflow.js';

describe('the one marker of every change to 2026-12-03', () => {
  it('stands for exactly the changes the case workflow had on that day, by the names their code asks for', () => {
    const changesOnTheDay = [
      CASE_SEARCH_ATTRIBUTES_PATCH,
      DECISION_LETTERS_PATCH,
      CONTINUE_AS_NEW_PATCH,
      STEP_TIME_LIMITS_PATCH,
      STEP_LIMIT_ON_ARRIVAL_PATCH,
      ONE_LOAN_PER_COMPANY_PATCH,
      MONEY_RECORDED_ONCE_PATCH,
      RECOMPUTE_PROVISIONAL_INSTALMENTS_PATCH,
      SUPPLEMENT_REPLY_ON_WORKING_DAY_PATCH,
      REGISTER_FACTS_PATCH,
      LEFT_YANGPU_DATE_BOUNDED_PATCH,
      PUBLICITY_RECOUNT_PATCH,
      BATCH_AWARD_CHECK_PATCH,
      APPLICATION_CALLS_PATCH,
      PANEL_WITHDRAWALS_PATCH,
    ];
    // A misspelt name here would leave its change asked for by its own marker: correct, but the point lost.
    expect([...CHANGES_IN_ONE_MARKER].sort()).toEqual([...changesOnTheDay].sort());
    expect(CHANGES_IN_ONE_MARKER.has(CHANGES_TO_2026_12_03)).toBe(false);
  });
});
