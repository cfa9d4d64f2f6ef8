import type { Projection } from '../event-store.js';
import { CHUYING_LOAN_STREAM, projectChuyingLoan } from './chuying-loan.projection.js';

/** Read models by stream type; a stream type without one is stored and simply not projected. */
export const projectReadModels: Projection = async (trx, streamType, events) => {
  if (streamType === CHUYING_LOAN_STREAM) await projectChuyingLoan(trx, events);
};
