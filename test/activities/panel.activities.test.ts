import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { createCallActivities } from '../../activities/calls.activities.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** The panel's look-ups (activities/calls.activities.ts) against the read models they read. */
let database: TestDatabase;
let calls: ReturnType<typeof createCallActivities>;
const CALL = randomUUID();
const OTHER_CALL = randomUUID();

async function application(n: number, callId: string | null, status: string, openedAt: string, caseType = 'application'): Promise<string> {
  const caseId = randomUUID();
  await database.ownerDb
    .insertInto('cases')
    .values({
      case_id: caseId,
      reference_no: `AP-2026-T${n}-${caseId.slice(0, 4)}`,
      case_type: caseType,
      applicant_account_id: `acct-${n}`,
      applicant_name: `申请人${n}`,
      status,
      status_label: status === 'panel-review' ? '评审中' : '材料审查',
      requested_fen: 1_000_000 * n,
      outstanding_fen: 0,
      version: 2,
      opened_at: new Date(openedAt),
      updated_at: new Date(),
      state: '{}',
      details: JSON.stringify(callId ? { call: { callId } } : {}),
      departments: ['huangpu'],
    } as never)
    .execute();
  return caseId;
}

beforeAll(async () => {
  database = await createTestDatabase();
  calls = createCallActivities({ db: database.db });
  await database.ownerDb
    .insertInto('accounts')
    .values([
      { account_id: 'acct-rev', username: 't-rev', display_name: '甲评审', role: 'official', department: 'huangpu', duties: ['reviewer', 'approver'], profile: '{}', created_at: new Date() },
      { account_id: 'acct-gone', username: 't-gone', display_name: '已停用', role: 'official', department: 'huangpu', duties: ['reviewer'], profile: '{}', created_at: new Date(), disabled_at: new Date(), disabled_reason: '离职' },
    ] as never)
    .execute();
});

afterAll(async () => {
  await database?.drop();
});

describe('panelCandidate / panelCandidates', () => {
  it('answers an application of the call waiting for the panel with what the panel ranks it by', async () => {
    const caseId = await application(3, CALL, 'panel-review', '2026-10-03T02:00:00.000Z');
    expect(await calls.panelCandidate({ callId: CALL, caseId })).toEqual({
      eligible: true,
      application: { caseId, referenceNo: expect.stringMatching(/^AP-2026-T3-/), applicantName: '申请人3', amountFen: 3_000_000, submittedAt: '2026-10-03T02:00:00.000Z' },
    });
  });

  it('refuses a missing case, another call’s application, one not yet at the panel, and a case that is not an application', async () => {
    expect(await calls.panelCandidate({ callId: CALL, caseId: randomUUID() })).toMatchObject({ eligible: false, kind: 'not-found' });
    const other = await application(4, OTHER_CALL, 'panel-review', '2026-10-04T02:00:00.000Z');
    expect(await calls.panelCandidate({ callId: CALL, caseId: other })).toMatchObject({ eligible: false, kind: 'not-found', refusal: `本批次没有编号为 ${other} 的申请，不能由本批次评审组评审。` });
    const early = await application(5, CALL, 'completeness-check', '2026-10-05T02:00:00.000Z');
    expect(await calls.panelCandidate({ callId: CALL, caseId: early })).toMatchObject({ eligible: false, kind: 'illegal-state', refusal: expect.stringContaining('目前为“材料审查”') });
    const loan = await application(6, CALL, 'panel-review', '2026-10-06T02:00:00.000Z', 'chuying-loan');
    expect(await calls.panelCandidate({ callId: CALL, caseId: loan })).toMatchObject({ eligible: false, kind: 'not-found' });
  });

  it('lists every application of the call waiting for the panel, first filed first', async () => {
    const later = await application(8, CALL, 'panel-review', '2026-10-08T02:00:00.000Z');
    const earlier = await application(1, CALL, 'panel-review', '2026-10-01T02:00:00.000Z');
    const listed = (await calls.panelCandidates({ callId: CALL })).map((a) => a.caseId);
    expect(listed.indexOf(earlier)).toBeLessThan(listed.indexOf(later));
    expect(listed).toHaveLength(3);
    expect(await calls.panelCandidates({ callId: randomUUID() })).toEqual([]);
  });
});

describe('lookUpMemberAccounts', () => {
  it('answers the accounts as assigned, with their names; a disabled or unknown account is not found', async () => {
    expect(await calls.lookUpMemberAccounts({ accountIds: ['acct-rev', 'acct-gone', 'acct-none'] })).toEqual([
      { accountId: 'acct-rev', displayName: '甲评审', role: 'official', department: 'huangpu', duties: ['reviewer', 'approver'] },
    ]);
    expect(await calls.lookUpMemberAccounts({ accountIds: [] })).toEqual([]);
  });

  it('a delivery the awards ledger refused in a race is sent again as a new request; any other refusal is not', async () => {
    const sent: string[] = [];
    const refusal = (code: string) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: 'conflict', nonRetryable: true, message: '不能发放', details: [[], { code, zh: '不能发放', en: 'cannot be granted', params: {} }] }));
    // The first request is refused by the ledger (another award of the item landed before the append); the next records the rejection.
    const answers = [refusal('award-conflicts-with-ledger'), { events: [], alreadyRecorded: false }];
    const temporal = { workflow: { getHandle: () => ({ executeUpdate: async (_update: unknown, options: { updateId: string }) => {
      sent.push(options.updateId);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    } }) } } as unknown as Client;
    const caseId = randomUUID();
    const delivering = createCallActivities({ db: database.db, temporal });
    expect(await delivering.deliverBatchDecision({ callId: CALL, batchId: 'list-1', deliveries: [{ caseId, records: [] }] })).toEqual({ delivered: [caseId], alreadyRecorded: [] });
    expect(sent).toEqual([`list-1:${caseId}`, `list-1:${caseId}:ledger-1`]);

    // Another refusal is not sent again: the activity fails naming the case.
    sent.length = 0;
    answers.push(refusal('not-at-this-step'));
    await expect(delivering.deliverBatchDecision({ callId: CALL, batchId: 'list-1', deliveries: [{ caseId, records: [] }] })).rejects.toThrow(`申请 ${caseId}：不能发放`);
    expect(sent).toEqual([`list-1:${caseId}`]);
  });

  it('a delivery without a Temporal client fails visibly rather than pretending', async () => {
    await expect(calls.deliverBatchDecision({ callId: CALL, batchId: 'l', deliveries: [{ caseId: randomUUID(), records: [] }] })).rejects.toThrow('without a Temporal client');
  });
});
