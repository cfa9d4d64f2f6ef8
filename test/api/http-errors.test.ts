import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toHttpError } from '../../api/http-errors.js';

describe('refusals from workflows map to HTTP statuses', () => {
  it('maps a refusal raised in the update handler', () => {
    const refusal = ApplicationFailure.create({ type: 'illegal-state', message: 'not at this step', nonRetryable: true });
    expect(toHttpError(new WorkflowUpdateFailedError('update failed', refusal))).toMatchObject({ status: 409, code: 'illegal-state', message: 'not at this step' });
  });

  it('maps a refusal raised inside an activity, which arrives wrapped in an ActivityFailure', () => {
    const refusal = ApplicationFailure.create({ type: 'concurrency', message: 'stream x is at version 4, not the expected 3', nonRetryable: true });
    const wrapped = new ActivityFailure('activity failed', 'appendCaseEvents', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker', refusal);
    expect(toHttpError(new WorkflowUpdateFailedError('update failed', wrapped))).toMatchObject({ status: 409, code: 'concurrency' });
  });

  it('keeps anything it does not recognise a 500 that leaks nothing', () => {
    const unknown = ApplicationFailure.create({ type: 'SomethingInternal', message: 'secret detail' });
    const http = toHttpError(new WorkflowUpdateFailedError('update failed', unknown));
    expect(http.status).toBe(500);
    expect(http.message).not.toContain('secret');
  });
});
