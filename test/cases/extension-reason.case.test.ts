import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { applicationCase } from '../../cases/application.case.js';
import { CALL_ACTIONS } from '../../cases/call.case.js';

/** The reason field's title and the done line of a module's extension, as the form shows them. */
function extensionWords(actions: readonly { type: string; body: z.ZodObject; done: string }[]) {
  const extension = actions.find((a) => a.type === 'ExtendTimeLimit')!;
  return { reason: (extension.body.shape.reason as z.ZodType).meta()?.title, done: extension.done };
}

describe('the extension of a time limit tells the applicant only where there is one', () => {
  it('an application’s says the reason is told to the applicant; a call’s, which officials run, does not', () => {
    expect(extensionWords(applicationCase.actions)).toEqual({ reason: '延长理由（将告知申请人）', done: '办理时限已延长，已告知申请人。' });
    // An outsider found 将告知申请人 on a call's form: nobody applies to a call.
    expect(extensionWords(CALL_ACTIONS)).toEqual({ reason: '延长理由', done: '办理时限已延长。' });
  });
});
