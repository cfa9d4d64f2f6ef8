import type { WorkflowHandle } from '@temporalio/client';
import { CHANGES_IN_ONE_MARKER, CHANGES_TO_2026_12_03 } from '../../workflows/support/changes.js';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** The change ids of a history's patch markers, in the order recorded. */
export function patchMarkersOf(history: History): string[] {
  return (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString('utf8')).id as string);
}

/** Every change a history says its case took: its markers, and what the one marker of 2026-12-03 stands for. */
export function changesTakenIn(history: History): Set<string> {
  const markers = patchMarkersOf(history);
  return new Set([...markers, ...(markers.includes(CHANGES_TO_2026_12_03) ? CHANGES_IN_ONE_MARKER : [])]);
}
