import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { assignWithApproval, individualApplicant } from '../support/accounts.js';
import { actOnApplication, refusal } from '../support/workflow-updates.js';

/**
 * No applicant acts on a case as an official (DOMAIN.md): an outside tester had an applicant's
 * account made a 网信 reviewer, and it verified the facts of, accepted and passed the content review
 * of its own 星光计划 application.
 */
let harness: ApiHarness;

beforeAll(async () => {
  harness = await startApiHarness();
}, 120_000);
afterAll(() => harness?.close());

describe('an account that applied and was later made an official', () => {
  it('takes no step on its own case — offered none, refused by the route and by the workflow — while a colleague takes them', async () => {
    const applicant = await individualApplicant(harness, 'own-case-applicant', '秦自荐');
    const opened = await applicant('POST', '/api/applications/hu9-starlight', { title: '星光计划自荐', summary: '原创短视频', facts: { applicantKind: 'individual-creator' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId } = opened.json<{ caseId: string }>();

    await assignWithApproval(harness, 'own-case-applicant', { role: 'official', department: 'cac', duties: ['reviewer'] });
    const madeOfficial = await harness.as('own-case-applicant');
    const refusalWords = '本案是您本人作为申请人提交的，不能以工作人员身份办理；请由其他工作人员办理。';

    // The case page offers the step, disabled, with the reason.
    const page = (await madeOfficial('GET', `/api/cases/${caseId}`)).json<{ availableActions: { name: string; enabled: boolean; disabledReason: string | null }[] }>();
    expect(page.availableActions.length).toBeGreaterThan(0);
    for (const action of page.availableActions) expect(action, action.name).toMatchObject({ enabled: false, disabledReason: refusalWords });

    const eventsBefore = await harness.database.db.selectFrom('events').select('event_type').where('stream_id', '=', caseId).execute();
    for (const [action, body] of [
      ['verify-facts', { verifiedFacts: [{ fact: 'applicantKind', against: '核对身份证原件' }] }],
      ['accept-materials', {}],
    ] as const) {
      const refused = await madeOfficial('POST', `/api/cases/${caseId}/${action}`, body);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'own-case', message: refusalWords });
    }

    // Sent to the workflow directly, past the route: its validator refuses it before it reaches history.
    const handle = harness.env.client.workflow.getHandle(caseWorkflowId(caseId));
    const actor = { accountId: 'own-case-applicant', displayName: '秦自荐', role: 'official' as const, department: 'cac' as const };
    const direct = await refusal(actOnApplication(handle, actor, { type: 'AcceptMaterials' } as never));
    expect(direct.message).toContain('本人作为申请人');
    const eventsAfter = await harness.database.db.selectFrom('events').select('event_type').where('stream_id', '=', caseId).execute();
    expect(eventsAfter).toEqual(eventsBefore);

    // A colleague of the same office takes the step.
    const colleague = await harness.as('cac-reviewer');
    const accepted = await colleague('POST', `/api/cases/${caseId}/accept-materials`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
  }, 120_000);
});
