import type { ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/cases/actor.js';
import { alreadyDoneFailure, refuseStaleVersion } from '../../workflows/support/case-workflow.js';
import { fundApprover, fundReviewer } from '../support/actors.js';

const loan = { zh: '办件 CY-2026-000007', en: 'case CY-2026-000007' };
// 2026-12-04 10:32 in Shanghai.
const at = Date.parse('2026-12-04T02:32:00Z');

function refusal(latest?: Parameters<typeof refuseStaleVersion>[3], requester = fundApprover): ApplicationFailure {
  try {
    refuseStaleVersion(loan, 5, 3, latest, requester);
  } catch (error) {
    return error as ApplicationFailure;
  }
  throw new Error('the stale version was not refused');
}

describe('an action sent against a version the case has moved past', () => {
  it('names who changed the case and when, not version numbers', () => {
    const failure = refusal({ by: fundReviewer, at });
    expect(failure.message).toBe(`办件 CY-2026-000007 在您打开页面之后已有新的变化（${fundReviewer.displayName}于2026年12月4日 10:32办理）：请刷新页面，看过最新情况后再办理。`);
    expect(failure.type).toBe('concurrency');
    // Programs still get the versions.
    expect(failure.details).toEqual([{ currentVersion: 5 }, expect.objectContaining({ code: 'stale-version', params: { currentVersion: 5, expectedVersion: 3 } })]);
  });

  it('says the system updated it when a timer or a calendar correction did', () => {
    expect(refusal({ by: SYSTEM_ACTOR, at }).message).toBe('办件 CY-2026-000007 在您打开页面之后已有新的变化（系统于2026年12月4日 10:32自动更新）：请刷新页面，看过最新情况后再办理。');
  });

  it('says only that it changed when the run does not know who (after a continue-as-new)', () => {
    expect(refusal().message).toBe('办件 CY-2026-000007 在您打开页面之后已有新的变化：请刷新页面，看过最新情况后再办理。');
  });

  it('lets an action at the current version, or without one, through', () => {
    expect(() => refuseStaleVersion(loan, 5, 5, { by: fundReviewer, at })).not.toThrow();
    expect(() => refuseStaleVersion(loan, 5, undefined)).not.toThrow();
  });

  it('tells the person whose own change it was that it was theirs, and by which action', () => {
    const own = { by: fundReviewer, at, action: { type: 'AcceptMaterials', label: '材料审查通过' } };
    expect(refusal(own, fundReviewer).message).toBe('办件 CY-2026-000007 在您打开页面之后已有新的变化（您本人于2026年12月4日 10:32办理了“材料审查通过”）：请刷新页面，看过最新情况后再办理。');
    expect(refusal(own, fundApprover).message).toContain(`（${fundReviewer.displayName}于2026年12月4日 10:32办理）`);
  });
});

describe('the same action again by the one who took it', () => {
  it('is said to be done, with when, and refused as the step’s (409), the action in the parameters', () => {
    const failure = alreadyDoneFailure(loan, { by: fundReviewer, at, action: { type: 'AcceptMaterials', label: '材料审查通过' } });
    expect(failure.type).toBe('illegal-state');
    expect(failure.message).toBe('办件 CY-2026-000007 的“材料审查通过”已由您于2026年12月4日 10:32办理，无需再次办理：请刷新页面查看办理结果。');
    expect(failure.details).toEqual([[], expect.objectContaining({ code: 'already-done', params: { action: 'AcceptMaterials' } })]);
  });
});
