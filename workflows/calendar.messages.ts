import { defineSignal } from '@temporalio/workflow';
import type { RecomputeReason } from '../domain/cases/calendar-load.js';

/**
 * Sent by the API to every open case with a provisional deadline after an admin loads a year's
 * arrangement: the case recomputes its deadlines in an activity and records what changed.
 */
export const calendarLoadedSignal = defineSignal<[RecomputeReason]>('calendarLoaded');
