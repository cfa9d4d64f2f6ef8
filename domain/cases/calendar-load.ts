import type { Actor } from './actor.js';

/** Why open deadlines are recomputed: an admin loaded (or overrode) a year's holiday arrangement. */
export interface RecomputeReason {
  calendarYear: number;
  /** The revision of that year's arrangement (1 for the first load). */
  revision: number;
  loadedBy: Pick<Actor, 'accountId' | 'displayName'>;
}
