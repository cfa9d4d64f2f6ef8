import { describe, expect, it } from 'vitest';
import type { CaseLookups, DecisionSupport } from '../../cases/case-module.js';
import { dramaFilingCase } from '../../cases/drama-filing.case.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { decideFilingAction, decideFilingSubmission, filingNextStep, nextFilingThreshold } from '../../domain/drama-filing/decide.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { foldDramaFiling } from '../../domain/drama-filing/state.js';
import { categoryOf, dramaFilingTerms, promisesReviewDeadline } from '../../domain/drama-filing/terms.js';
import { DomainError } from '../../domain/errors.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { applicant, filingReviewer } from '../support/actors.js';
import { dramaSubmission, filingInput } from '../support/filings.js';

/**
 * Source 004 (AI 微短剧沪8条, 五): "对普通微短剧规划备案和完成片上线备案，实行工作日随报随审，规划备案2个
 * 工作日内完成审核并反馈，完成片上线备案5个工作日内完成审核并反馈". The promise is for 普通 dramas; the
 * source says nothing of the time for a 重点 one, so a 重点 filing has no promised deadline.
 */

const NOW = Date.parse('2026-12-07T02:00:00Z');
const terms = dramaFilingTerms('drama-planning-filing');
const application = (category?: 'ordinary' | 'key') => ({
  caseId: 'f-1',
  referenceNo: 'BA-2026-000001',
  filingType: 'drama-planning-filing' as const,
  applicant: { accountId: applicant.accountId, displayName: applicant.displayName },
  submission: dramaSubmission(category ? { category } : {}),
});
const twoDays = reviewDeadline(packagedCalendar(), shanghaiDateOf(NOW), 2);

describe('004: the 2/5-working-day filing promise is for 普通 micro-dramas', () => {
  it('counts the 2 working days for a 普通 drama, and for a filing recorded before the category was asked', () => {
    expect(promisesReviewDeadline(categoryOf({ category: 'ordinary' }))).toBe(true);
    expect(categoryOf({})).toBe('ordinary');
    for (const category of ['ordinary', undefined] as const) {
      const state = foldDramaFiling(decideFilingSubmission(application(category), terms, NOW, twoDays));
      expect(state.rounds[0]!.deadline).toEqual(twoDays);
      expect(filingNextStep(state).deadline?.dueOn).toBe(twoDays.lastWorkingDay);
      expect(nextFilingThreshold(state)).toBeDefined();
    }
    expect(() => decideFilingSubmission(application('ordinary'), terms, NOW, undefined)).toThrow(DomainError);
  });

  it('records no deadline for a 重点 drama: no reminder, no breach, no escalation, no deadline shown', () => {
    const events = decideFilingSubmission(application('key'), terms, NOW, undefined);
    const submitted = events[0] as Extract<DramaFilingEvent, { type: 'FilingSubmitted' }>;
    expect(submitted.data.deadline).toBeUndefined();
    expect(submitted.data.submission.category).toBe('key');
    const state = foldDramaFiling(events);
    expect(state.rounds[0]!.deadline).toBeUndefined();
    expect(nextFilingThreshold(state)).toBeUndefined();
    expect(filingNextStep(state).deadline).toBeUndefined();
    // A deadline offered for a 重点 drama is refused, not recorded.
    expect(() => decideFilingSubmission(application('key'), terms, NOW, twoDays)).toThrow(expect.objectContaining({ code: 'internal-check-failed', english: expect.stringContaining('重点') }));
  });

  it('keeps the category the drama was filed as through a resubmission', () => {
    let state = foldDramaFiling(decideFilingSubmission(application('key'), terms, NOW, undefined));
    const actor = filingReviewer;
    for (const action of [{ type: 'ClaimFiling' as const }, { type: 'ReturnFilingForRevision' as const, reasons: ['补充剧本'] }]) {
      state = foldDramaFiling(decideFilingAction(state, action, { actor, now: NOW }), state);
    }
    const resubmitted = decideFilingAction(state, { type: 'ResubmitFiling', submission: dramaSubmission({ category: 'ordinary' }), changeNote: '' }, { actor: applicant, now: NOW });
    const data = (resubmitted[0] as Extract<DramaFilingEvent, { type: 'FilingResubmitted' }>).data;
    expect(data.submission.category).toBe('key');
    expect(data.deadline).toBeUndefined();
  });

  it('asks the calendar for no deadline when a 重点 filing opens, and shows that none is promised', async () => {
    const asked: unknown[] = [];
    const lookups = {
      async computeReviewDeadline(input: unknown) {
        asked.push(input);
        return twoDays;
      },
      claimDramaFiling: async () => ({ granted: true }),
    } as unknown as CaseLookups;
    const ask: DecisionSupport = { lookups, caseId: 'f-1', now: () => NOW, uuid: () => 'u', patched: () => true };
    const events = await dramaFilingCase.open(filingInput('drama-planning-filing', { submission: dramaSubmission({ category: 'key' }) }), ask);
    expect(asked).toEqual([]);
    const model = dramaFilingCase.readModel!(foldDramaFiling(events as DramaFilingEvent[]));
    expect(model.nextDeadlineAt).toBeNull();
    expect(model.details).toMatchObject({ category: 'key', deadline: null, rounds: [{ workingDays: null, lastWorkingDay: null, deadlineAt: null }] });
  });
});
