import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { BudgetMovement } from '../../domain/calls/ledger.js';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { fixedClock, newEvent } from '../db/support.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * A first-come call (先到先审) takes applications until its budget is used up: an outside tester filled
 * in a form for a call with nothing left to award. The list of calls says each first-come call's
 * budget left; once none is left, the call is still listed but says so, offers no 在线申报, and the
 * application page says it instead of showing the form.
 */
const suite = browserSuite();
const { signedIn } = suite;
const DAY = 24 * 60 * 60 * 1000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

describe('a first-come call’s budget left', () => {
  it('is shown in the list of calls and on the application page; used up, the call says so and offers no form', async () => {
    screenshotOnFailure(() => suite.pages(), 'call-budget-left');
    const shot = stepShots('call-budget-left');
    const [reviewer, approver] = await Promise.all(['huangpu-reviewer', 'huangpu-approver'].map((u) => suite.harness.as(u)));
    const now = Date.now();
    const opened = await reviewer!('POST', '/api/cases/call', { programmeId: 'huangpu-carrier-operator', title: '黄浦载体扶持先到先审批次', opensAt: shanghai(now - DAY), closesAt: shanghai(now + 20 * DAY), budgetFen: 10_000_000, mode: 'first-come' });
    expect(opened.statusCode, opened.body).toBe(201);
    const callId = opened.json<{ caseId: string }>().caseId;
    expect((await approver!('POST', `/api/cases/${callId}/approve-budget`, {})).statusCode).toBe(200);

    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/calls`);
    const row = creator.locator(`tr[data-call="${callId}"]`);
    await row.getByText('预算余额 100,000.00 元').waitFor();
    await row.getByRole('link', { name: '在线申报' }).waitFor();
    await creator.goto(`${suite.base}#/apply/programme/huangpu-carrier-operator`);
    await creator.locator('[data-call-applied-to]').filter({ hasText: '预算余额 ¥100,000.00' }).waitFor();

    // Approvals commit all of it.
    await appendToStream(
      suite.harness.database.db,
      { streamId: randomUUID(), streamType: 'test-award', expectedVersion: 0, events: [newEvent('AwardGranted', { amountFen: 10_000_000, budgetMovements: [{ callId, kind: 'commit', amountFen: 10_000_000 } satisfies BudgetMovement] })] },
      { now: fixedClock(new Date().toISOString()), project: projectReadModels },
    );
    await creator.goto(`${suite.base}#/calls`);
    await row.getByText('预算余额 0.00 元').waitFor();
    expect(await row.innerText()).toContain('预算已用完，不再受理');
    expect(await row.getByRole('link', { name: '在线申报' }).count()).toBe(0);
    await shot(creator, 'calls-used-up', row);

    await creator.goto(`${suite.base}#/apply/programme/huangpu-carrier-operator`);
    const notice = creator.locator('[data-call-used-up]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('预算已用完，不再受理申报');
    expect(await creator.locator('form').count()).toBe(0);
    await shot(creator, 'apply-used-up', notice);
  });
});
