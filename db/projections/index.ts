import type { Projection } from '../event-store.js';
import { APPLICATION_STREAM, projectApplication } from './application.projection.js';
import { CALENDAR_STREAM, projectCalendar } from './calendar.projection.js';
import { CHUYING_LOAN_STREAM, projectChuyingLoan } from './chuying-loan.projection.js';
import { DRAMA_FILING_STREAMS, projectDramaFiling } from './drama-filing.projection.js';
import { projectRating, RATING_STREAM } from './ratings.projection.js';

/**
 * Read models by stream type; a stream type without one is stored and simply not projected.
 * Account streams ('account') are projected by db/projections/account.projection.ts, passed to the
 * append by db/accounts/account-stream.ts: the accounts table also holds what no event carries
 * (password hashes), so it is not a read model the auditors' rebuild could reproduce.
 */
export const projectReadModels: Projection = async (trx, streamType, events) => {
  if (streamType === CHUYING_LOAN_STREAM) await projectChuyingLoan(trx, events);
  if (DRAMA_FILING_STREAMS.includes(streamType)) await projectDramaFiling(trx, streamType, events);
  if (streamType === CALENDAR_STREAM) await projectCalendar(trx, events);
  if (streamType === APPLICATION_STREAM) await projectApplication(trx, events);
  if (streamType === RATING_STREAM) await projectRating(trx, events);
};

/**
 * Every table a projection writes. The auditor's rebuild (audit/read-model-drift.ts) refolds all
 * events into empty copies of these in a scratch schema and reports any row that differs from the
 * live one. A projection that writes a table missing here stops the rebuild, which changes nothing.
 */
export const READ_MODEL_TABLES: readonly string[] = ['cases', 'loan_instalments', 'filing_reviews', 'calendar_years', 'case_ratings', 'follow_up_tasks', 'awards'];
