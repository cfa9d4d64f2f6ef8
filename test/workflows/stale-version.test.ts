import type { ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/cases/actor.js';
import { refuseStaleVersion } from '../../workflows/support/case-workflow.js';
import { fundReviewer } from '../support/actors.js';

const loan = { zh: '办件 CY-2026-000007', en: 'case CY-2026-000007' };
// 2026-12-04 10:32 in Shanghai.
const at = Date.parse('2026-12-04T02:32:00Z');

function refusal(latest?: Parameters<typeof refuseStaleVersion>[3]): ApplicationFailure {
  try {
    refuseStaleVersion(loan, 5, 3, latest);
  } catch (error) {
    return error as ApplicationFailure;
  }
  throw new Error('the stale version was not refused');
}

describe('an action sent against a version the case has moved past', () => {
  it('names who changed the case and when, not version numbers', () => {
    const failure = refusal({ by: fundReviewer, at });
    expect(failure.message).toBe(`办件 CY-2026-000007在您打开页面之后已有新的变化（${fundReviewer.displayName}于2026年12月4日 10:32办理）：请刷新页面，看过最新情况后再办理。`);
    expect(failure.type).toBe('concurrency');
    // Programs still get the versions.
    expect(failure.details).toEqual([{ currentVersion: 5 }, expect.objectContaining({ code: 'stale-version', params: { currentVersion: 5, expectedVersion: 3 } })]);
  });

  it('says the system updated it when a timer or a calendar correction did', () => {
    expect(refusal({ by: SYSTEM_ACTOR, at }).message).toBe('办件 CY-2026-000007在您打开页面之后已有新的变化（系统于2026年12月4日 10:32自动更新）：请刷新页面，看过最新情况后再办理。');
  });

  it('says only that it changed when the run does not know who (after a continue-as-new)', () => {
    expect(refusal().message).toBe('办件 CY-2026-000007在您打开页面之后已有新的变化：请刷新页面，看过最新情况后再办理。');
  });

  it('lets an action at the current version, or without one, through', () => {
    expect(() => refuseStaleVersion(loan, 5, 5, { by: fundReviewer, at })).not.toThrow();
    expect(() => refuseStaleVersion(loan, 5, undefined)).not.toThrow();
  });
});
