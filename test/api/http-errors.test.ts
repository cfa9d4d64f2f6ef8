import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toHttpError } from '../../api/http-errors.js';
import { ConcurrencyError } from '../../db/event-store.js';
import { forbidden, internalCheck } from '../../domain/errors.js';
import { refusalFailure } from '../../workflows/support/case-workflow.js';

describe('a write refused because another changed the record at once', () => {
  const chinese = '这条记录已被其他操作更新（当前为第 6 版，本次操作基于第 5 版），本次操作没有记录：请刷新后重试；如反复出现，请联系系统管理员核查。';

  it('is a 409 in Chinese, naming the version the record is at; the store’s English stays for the logs', () => {
    const refusal = toHttpError(new ConcurrencyError('stacking-matrix', 5, 6));
    expect(refusal).toMatchObject({ status: 409, code: 'concurrency', message: chinese, extra: { currentVersion: 6 }, rule: { code: 'concurrency', params: { expectedVersion: 5, actualVersion: 6 } } });
    expect(refusal.english).toBe('stream stacking-matrix is at version 6, not the expected 5');
  });

  it('reaches the official in Chinese when the append activity of a workflow meets it (an event appended behind the workflow’s back)', () => {
    // As activities/case-events.activities.ts fails with it: the error's message, its wording beside.
    const failure = ApplicationFailure.create({ type: 'concurrency', message: new ConcurrencyError('8e1ade87', 10, 11).message, nonRetryable: true, details: [[], new ConcurrencyError('8e1ade87', 10, 11).wording] });
    const wrapped = new ActivityFailure('activity failed', 'appendCaseEvents', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker', failure);
    const http = toHttpError(new WorkflowUpdateFailedError('update failed', wrapped));
    expect(http).toMatchObject({ status: 409, code: 'concurrency', message: '这条记录已被其他操作更新（当前为第 11 版，本次操作基于第 10 版），本次操作没有记录：请刷新后重试；如反复出现，请联系系统管理员核查。' });
    expect(http.english).toBe('stream 8e1ade87 is at version 11, not the expected 10');
    expect(http.message).not.toMatch(/stream|expected/);
  });
});

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

  it('carries a domain refusal’s rule, English and parameters through the failure to the HTTP error', () => {
    const refused = forbidden({ code: 'four-eyes', zh: '四眼原则：您审查过本案，不能再作决定。', en: 'four-eyes rule: you reviewed the case', params: { department: 'huangpu' } });
    const http = toHttpError(new WorkflowUpdateFailedError('update failed', refusalFailure(refused)));
    expect(http).toMatchObject({ status: 403, code: 'forbidden', message: '四眼原则：您审查过本案，不能再作决定。', english: 'four-eyes rule: you reviewed the case', rule: { code: 'four-eyes', params: { department: 'huangpu' } } });
    // A domain error thrown on the API side maps the same way.
    expect(toHttpError(refused)).toMatchObject({ status: 403, english: 'four-eyes rule: you reviewed the case', rule: { code: 'four-eyes' } });
    // A check no person can fail: an apology in Chinese, the detail in English.
    expect(toHttpError(internalCheck('an award needs its id from the workflow'))).toMatchObject({ status: 409, message: expect.stringContaining('系统内部核对未通过'), english: 'an award needs its id from the workflow', rule: { code: 'internal-check-failed' } });
  });

  it('reads a failure recorded before refusals carried their rule (no second detail) as before', () => {
    const old = ApplicationFailure.create({ type: 'forbidden', message: 'four-eyes rule: 陈评审 reviewed case AP-1', nonRetryable: true, details: [[]] });
    const http = toHttpError(new WorkflowUpdateFailedError('update failed', old));
    expect(http).toMatchObject({ status: 403, code: 'forbidden', message: 'four-eyes rule: 陈评审 reviewed case AP-1' });
    expect(http.rule).toBeUndefined();
  });

  it('keeps anything it does not recognise a 500 that leaks nothing', () => {
    const unknown = ApplicationFailure.create({ type: 'SomethingInternal', message: 'secret detail' });
    const http = toHttpError(new WorkflowUpdateFailedError('update failed', unknown));
    expect(http.status).toBe(500);
    expect(http.message).not.toContain('secret');
  });
});
