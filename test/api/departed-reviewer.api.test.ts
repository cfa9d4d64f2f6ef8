import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whyNoLongerReviewing } from '../../api/filings-of-departed-reviewers.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission, eventually } from '../support/filings.js';

/**
 * A reviewer who can no longer review — disabled, moved to another department — leaves no filing
 * claimed in their name: an outside tester disabled a 市文旅局 reviewer holding filings due in 2
 * working days, and they stayed 审查中 under that name, looking like any colleague's claim, until their
 * deadlines passed. The system hands each back to the department's queue (交回待认领) with why; the
 * deadline does not move, and the department is told (api/filings-of-departed-reviewers.ts).
 */

let harness: ApiHarness;
let creator: ApiCaller;
let reviewer: ApiCaller;
let supervisor: ApiCaller;
let admin: ApiCaller;
let secondAdmin: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  const signIn = (username: string) => harness.as(username);
  creator = await signIn('creator');
  reviewer = await signIn('filing-reviewer');
  supervisor = await signIn('filing-supervisor');
  admin = await signIn('admin');
  secondAdmin = await signIn('second-admin');
  auditor = await signIn('auditor');
}, 180_000);
afterAll(() => harness?.close());

let filed = 0;
async function claimedFiling(by: ApiCaller): Promise<{ caseId: string; referenceNo: string; dueOn: string }> {
  const response = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: `离岗剧 第${++filed}部` }));
  expect(response.statusCode, response.body).toBe(201);
  const { caseId, referenceNo, deadline } = response.json<{ caseId: string; referenceNo: string; deadline: { dueOn: string } }>();
  const claimed = await by('POST', `/api/cases/${caseId}/claim`, {});
  expect(claimed.statusCode, claimed.body).toBe(200);
  return { caseId, referenceNo, dueOn: deadline.dueOn };
}

type Event = { type: string; actor: { accountId: string }; data: { reason?: string; from?: { displayName: string } } };
const releases = async (caseId: string) => ((await auditor('GET', `/api/cases/${caseId}/events`)).json().events as Event[]).filter((e) => e.type === 'FilingClaimReleased');
const viewOf = async (caseId: string) => (await auditor('GET', `/api/cases/${caseId}`)).json<{ status: string; deadline: { dueOn: string }; waitingFor: { accountId?: string } }>();

describe('the filings of a reviewer who can no longer review', () => {
  it('go back to the department’s queue when the reviewer is disabled, with why, their deadline kept, and the department told', async () => {
    const [first, second] = [await claimedFiling(reviewer), await claimedFiling(reviewer)];
    // Another's claim is not touched.
    const colleagues = await claimedFiling(supervisor);

    const disabled = await admin('POST', '/api/admin/accounts/filing-reviewer/disable', { reason: '离职' });
    expect(disabled.statusCode, disabled.body).toBe(200);

    for (const filing of [first, second]) {
      const view = await viewOf(filing.caseId);
      expect(view.status).toBe('awaiting-claim');
      expect(view.waitingFor.accountId).toBeUndefined();
      expect(view.deadline.dueOn).toBe(filing.dueOn);
      const [released] = await releases(filing.caseId);
      expect(released).toMatchObject({ actor: { accountId: 'system' }, data: { from: { displayName: '陈文旅' }, reason: '认领人陈文旅的账号已停用' } });
      const told = await eventually(async () => {
        const notices = (await supervisor('GET', '/api/inbox?pageSize=100')).json<{ notices: { caseId: string; kind: string; body: string }[] }>().notices;
        return notices.find((n) => n.caseId === filing.caseId && n.kind === 'claim-released');
      }, 'the department’s notice');
      expect(told!.body).toMatch(/^系统将.+交回待认领，理由：认领人陈文旅的账号已停用。请本科室审查人员认领，反馈期限不变。$/);
      // The administrator's own reason (离职) is not in the case's history, which the applicant reads.
      expect(JSON.stringify((await creator('GET', `/api/cases/${filing.caseId}/events`)).json())).not.toContain('离职');
    }
    expect((await viewOf(colleagues.caseId)).status).toBe('in-review');
    expect(await releases(colleagues.caseId)).toEqual([]);
    // The supervising official claims one at once, as anyone of the department could.
    expect((await supervisor('POST', `/api/cases/${first.caseId}/claim`, {})).statusCode).toBe(200);
  });

  it('cannot be handed back by anyone but the claimant, the supervising official or the system: the action route never acts as the system', async () => {
    const filing = await claimedFiling(supervisor);
    const creatorTries = await creator('POST', `/api/cases/${filing.caseId}/release`, { reason: '系统' });
    expect([403, 404]).toContain(creatorTries.statusCode);
    expect(await releases(filing.caseId)).toEqual([]);
  });

  it('go back when the holder’s move to another department is approved, not before', async () => {
    const filing = await claimedFiling(supervisor);
    const moved = await admin('PUT', '/api/admin/accounts/filing-supervisor', { role: 'official', department: 'huangpu', duties: ['supervisor'] });
    expect(moved.statusCode, moved.body).toBe(200);
    const grant = moved.json<{ grant: { grantId: string } }>().grant;
    // Waiting for the second administrator, the official is still of the department and still holds it.
    expect((await viewOf(filing.caseId)).status).toBe('in-review');

    expect((await secondAdmin('POST', `/api/admin/account-grants/${grant.grantId}/approve`, {})).statusCode).toBe(200);
    expect((await viewOf(filing.caseId)).status).toBe('awaiting-claim');
    expect((await releases(filing.caseId)).map((e) => e.data.reason)).toEqual(['认领人周分管已调离市文旅局']);
  });
});

describe('why a claimant can no longer review a filing', () => {
  const reviewerNow = { account_id: 'a', display_name: '陈文旅', role: 'official', department: 'culture-tourism', duties: ['reviewer'], disabled_at: null };
  it('is said for a disabled account, another role, another department, and duties that review no filing; a reviewer or supervisor of the department still reviews', () => {
    expect(whyNoLongerReviewing(reviewerNow, 'culture-tourism')).toBeUndefined();
    expect(whyNoLongerReviewing({ ...reviewerNow, duties: ['supervisor'] }, 'culture-tourism')).toBeUndefined();
    expect(whyNoLongerReviewing({ ...reviewerNow, disabled_at: new Date() }, 'culture-tourism')).toBe('认领人陈文旅的账号已停用');
    expect(whyNoLongerReviewing({ ...reviewerNow, role: 'applicant', department: null, duties: [] }, 'culture-tourism')).toBe('认领人陈文旅已不再担任工作人员');
    expect(whyNoLongerReviewing({ ...reviewerNow, department: 'huangpu' }, 'culture-tourism')).toBe('认领人陈文旅已调离市文旅局');
    expect(whyNoLongerReviewing({ ...reviewerNow, duties: ['approver'] }, 'culture-tourism')).toBe('认领人陈文旅已不再担任审查工作');
  });
});
