import { readdir, readFile } from 'node:fs/promises';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { CHANGES_TO_2026_12_03 } from '../../workflows/support/changes.js';
import { patchMarkersOf } from '../support/patch-markers.js';
import { workflowBundle } from '../support/temporal.js';

const HISTORIES = new URL('../fixtures/histories/', import.meta.url);

async function loadHistories() {
  const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => ({ workflowId: file, json: JSON.parse(await readFile(new URL(file, HISTORIES), 'utf8')) })));
}

/**
 * Recorded histories are cases in flight: today's workflow code must replay every one of them.
 * A change that fails here needs `patched()` (or a new workflow type), not a new fixture.
 */
describe('replay of recorded workflow histories', () => {
  it('replays every recorded history of every workflow type without a determinism error', async () => {
    const histories = await loadHistories();
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'chuying-loan.full-life.json',
        'chuying-loan.supplement-expired.json',
        'chuying-loan.compliance-failed.json',
        'drama-filing.approved.json',
        'drama-filing.breached-then-approved.json',
        'drama-filing.returned-and-resubmitted.json',
        'drama-filing.provisional-recomputed.json',
        'application.one-off.json',
        'application.monthly-left-yangpu.json',
        'application.rent-waiver.json',
        'application.voucher.json',
        'application.service-shield.json',
        'application.supplement-expired.json',
        'application.content-review-failed.json',
        'application.refused.json',
        // A loan's whole life with its decision letter, time limits and money recorded once, a marker for each change.
        'chuying-loan.full-life-with-letter.json',
        // Recorded since 2026-12-03: one marker for every change before (workflows/support/changes.ts).
        'chuying-loan.one-marker-full-life.json',
        'drama-filing.one-marker-provisional-recomputed.json',
        'application.one-marker-monthly-left-yangpu.json',
        // Since a 补正's reply day in a year not yet loaded is 暂定: counted again when the year is loaded.
        'chuying-loan.supplement-reply-recounted.json',
        // Since a correction of a loaded year counts again what was counted through it: a final deadline moved later.
        'drama-filing.deadline-corrected.json',
      ]),
    );
    // Both kinds of history replay here: with a marker per change, and with the one marker.
    const markers = histories.map(({ json }) => patchMarkersOf(historyFromJSON(json)));
    expect(markers.some((m) => m.includes(CHANGES_TO_2026_12_03))).toBe(true);
    expect(markers.some((m) => m.length > 1 && !m.includes(CHANGES_TO_2026_12_03))).toBe(true);
    const results = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle() },
      histories.map(({ workflowId, json }) => ({ workflowId, history: historyFromJSON(json) })),
    )) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toEqual(histories.map((h) => ({ workflowId: h.workflowId, error: undefined })));
  });

  it('catches a history that the code no longer produces', async () => {
    const [fullLife] = (await loadHistories()).filter((h) => h.workflowId === 'chuying-loan.full-life.json');
    const scheduled = fullLife!.json.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someOtherActivity';
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, historyFromJSON(fullLife!.json))).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
