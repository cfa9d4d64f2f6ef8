import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignWithApproval } from '../support/accounts.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';

/**
 * Who may see and do what, through the API: applicants their own cases, officials their
 * department's, auditors everything read-only, admins no case at all; four-eyes and the director
 * threshold however an action arrives; every refusal logged with who tried what.
 */
const logLines: string[] = [];
let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let fundReviewer: ApiCaller;
let cacReviewer: ApiCaller;
let filingReviewer: ApiCaller;
let huangpuReviewer: ApiCaller;
let huangpuApprover: ApiCaller;
let huangpuDirector: ApiCaller;
let auditor: ApiCaller;
let admin: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness({ log: { write: (line) => void logLines.push(line), level: 'warn' } });
  const as = (username: string) => harness.as(username);
  creator = await as('creator');
  otherCreator = await as('other-creator');
  fundReviewer = await as('fund-reviewer');
  cacReviewer = await as('cac-reviewer');
  filingReviewer = await as('filing-reviewer');
  huangpuReviewer = await as('huangpu-reviewer');
  huangpuApprover = await as('huangpu-approver');
  huangpuDirector = await as('huangpu-director');
  auditor = await as('auditor');
  admin = await as('admin');
}, 180_000);
afterAll(() => harness?.close());

const assign = (username: string, assignment: object) => assignWithApproval(harness, username, assignment);

const deniedLines = () => logLines.map((l) => JSON.parse(l) as { msg: string; accessDenied?: Record<string, unknown> }).filter((l) => l.msg === 'access denied');

async function openLoan(): Promise<string> {
  const response = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(response.statusCode).toBe(201);
  return response.json().caseId;
}

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json().case;
}

describe('another applicant’s case', () => {
  it('answers 404, byte for byte as a missing case does, for reads and actions alike, and logs the attempt', async () => {
    const caseId = await openLoan();
    const missingId = randomUUID();
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['GET', '/events', undefined],
      ['GET', '/rating', undefined],
      ['POST', '/withdraw', {}],
      ['POST', '/approve-funding', { approvedAmountFen: 100 }],
      ['POST', '/claim', {}],
    ] as const) {
      const theirs = await otherCreator(method, `/api/cases/${caseId}${path}`, body);
      const missing = await otherCreator(method, `/api/cases/${missingId}${path}`, body);
      expect([theirs.statusCode, missing.statusCode], path).toEqual([404, 404]);
      expect(theirs.body.replace(caseId, 'ID')).toBe(missing.body.replace(missingId, 'ID'));
    }
    const logged = deniedLines().filter((l) => l.accessDenied?.caseId === caseId);
    expect(logged).toHaveLength(6);
    expect(logged[0]!.accessDenied).toMatchObject({ username: 'other-creator', role: 'applicant', route: 'GET /api/cases/:caseId', status: 404, reason: 'not-own-case' });
    // A missing case is not an attempt on anyone's data: nothing logged for it.
    expect(deniedLines().some((l) => JSON.stringify(l).includes(missingId))).toBe(false);
    expect((await otherCreator('GET', '/api/cases')).json().cases.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
  });
});

describe('an official of another department', () => {
  it('gets 403 on the case’s reads and actions (logged), and does not see it in any list', async () => {
    const caseId = await openLoan();
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['GET', '/events', undefined],
      ['GET', '/rating', undefined],
      ['POST', '/accept-materials', {}],
      ['POST', '/request-supplement', { missingItems: ['营业执照'] }],
    ] as const) {
      const response = await filingReviewer(method, `/api/cases/${caseId}${path}`, body);
      expect(response.statusCode, path).toBe(403);
      expect(response.json().message).toContain('由杨浦区 V聚场基金、市委网信办办理');
      // Nothing of the case itself: not even its reference number.
      expect(response.body).not.toMatch(/CY-\d{4}-\d{6}/);
    }
    expect(deniedLines().filter((l) => l.accessDenied?.caseId === caseId && l.accessDenied.reason === 'other-department')).toHaveLength(5);
    for (const list of ['/api/cases?limit=100', '/api/worklist?view=all&limit=200', '/api/worklist?view=queue']) {
      const cases = (await filingReviewer('GET', list)).json().cases as { caseId: string }[];
      expect(cases.map((c) => c.caseId), list).not.toContain(caseId);
    }
    // Its own departments see it: the fund, and the 网信 office that reviews its content.
    for (const official of [fundReviewer, cacReviewer]) {
      expect((await official('GET', `/api/cases/${caseId}`)).statusCode).toBe(200);
      expect(((await official('GET', '/api/cases?limit=100')).json().cases as { caseId: string }[]).map((c) => c.caseId)).toContain(caseId);
    }
  });
});

describe('four-eyes and the director threshold, however the action arrives', () => {
  it('holds across two sessions, a duty added, a director demoted and restored', async () => {
    const opened = await creator('POST', '/api/applications/huangpu-platform-subsidy', {
      title: '平台扶持',
      summary: '集聚创作者 200 名',
      facts: { applicantKind: 'mcn', requestedAmountFen: 150_000_000, registeredDistrict: '黄浦区' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json().caseId;
    await act(huangpuReviewer, caseId, 'accept-materials');
    await act(cacReviewer, caseId, 'pass-compliance-review', { notes: '合规' });
    await act(huangpuReviewer, caseId, 'score-application', { score: 88 });
    // The claims are verified (issue 14), so what refuses a decider below is who they are, not the facts.
    await verifyClaims(huangpuReviewer, caseId);

    // A second session of the reviewer: still the reviewer, who holds no deciding duty.
    const reviewerAgain = await harness.as('huangpu-reviewer');
    const noDuty = await reviewerAgain('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(noDuty.statusCode).toBe(403);
    expect(noDuty.json().message).toContain('只有审批人员、处长或分管领导可以办理此项');

    // Made a director as well (a role switch, live on the sessions already open): four-eyes still refuses.
    await assign('huangpu-reviewer', { role: 'official', department: 'huangpu', duties: ['reviewer', 'director'] });
    for (const session of [huangpuReviewer, reviewerAgain]) {
      const fourEyes = await session('POST', `/api/cases/${caseId}/approve-application`, {});
      expect(fourEyes.statusCode).toBe(403);
      expect(fourEyes.json()).toMatchObject({ code: 'four-eyes', message: expect.stringContaining('四眼原则') });
    }

    // Above 1,000,000.00 an approver is refused; a director demoted meanwhile is refused on their open session; restored, they decide.
    const approver = await huangpuApprover('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(approver.statusCode).toBe(403);
    expect(approver.json()).toMatchObject({ code: 'director-approval-required', message: expect.stringContaining('须由黄浦区处长审批') });
    await assign('huangpu-director', { role: 'official', department: 'huangpu', duties: ['approver'] });
    const demoted = await huangpuDirector('POST', `/api/cases/${caseId}/approve-application`, {});
    expect(demoted.statusCode).toBe(403);
    expect(demoted.json()).toMatchObject({ code: 'director-approval-required', message: expect.stringContaining('须由黄浦区处长审批') });
    await assign('huangpu-director', { role: 'official', department: 'huangpu', duties: ['director'] });
    const decided = await act(huangpuDirector, caseId, 'approve-application', { notes: '处长审批' });
    // Decided, not paid: the payment waits for the department to record it (待拨付).
    expect(decided).toMatchObject({ status: 'paying', statusLabel: '待拨付', decision: { by: '吴处长', byDirector: true } });
    expect((await harness.database.db.selectFrom('events').select('event_type').where('stream_id', '=', caseId).execute()).map((e) => e.event_type)).toContain('ApplicationApproved');
  });
});

describe('auditors and administrators', () => {
  it('an auditor reads every case and changes nothing', async () => {
    const caseId = await openLoan();
    expect((await auditor('GET', `/api/cases/${caseId}`)).statusCode).toBe(200);
    for (const [url, body] of [
      [`/api/cases/${caseId}/accept-materials`, {}],
      ['/api/cases/chuying-loan', validApplication()],
      ['/api/admin/accounts', { username: 'sneaky', displayName: 'x', role: 'admin' }],
    ] as const) {
      expect((await auditor('POST', url, body)).statusCode, url).toBe(403);
    }
  });

  it('an administrator manages accounts and the calendar, never cases, and never their own role', async () => {
    const caseId = await openLoan();
    for (const url of [`/api/cases/${caseId}`, '/api/cases', '/api/worklist', `/api/cases/${caseId}/events`]) expect((await admin('GET', url)).statusCode, url).toBe(403);
    expect((await admin('POST', `/api/cases/${caseId}/accept-materials`, {})).statusCode).toBe(403);
    const self = await admin('PUT', '/api/admin/accounts/admin', { role: 'official', department: 'yangpu-fund', duties: ['approver'] });
    expect(self.statusCode).toBe(403);

    const accounts = (await admin('GET', '/api/admin/accounts')).json().accounts as { username: string; duties: string[]; department: string | null }[];
    expect(accounts.find((a) => a.username === 'fund-supervisor')).toMatchObject({ department: 'yangpu-fund', duties: ['supervisor'] });
    expect(JSON.stringify(accounts)).not.toContain('scrypt');

    const inconsistent = await admin('POST', '/api/admin/accounts', { username: 'new-official', displayName: '新官员', role: 'official' });
    expect(inconsistent.statusCode).toBe(400);
    expect(inconsistent.json().issues.map((i: { field: string }) => i.field)).toEqual(['department', 'duties']);
    const massAssignment = await admin('POST', '/api/admin/accounts', {
      username: 'new-official',
      displayName: '新官员',
      role: 'official',
      department: 'xuhui',
      duties: ['reviewer'],
      accountId: 'demo-admin',
      passwordHash: 'scrypt$1$1$1$x$y',
    });
    expect(massAssignment.statusCode).toBe(400);
    expect(massAssignment.json().message).toContain('不认识的字段「accountId」、「passwordHash」');
    // An administrator never chooses (and so never knows) anyone's password.
    const withPassword = await admin('POST', '/api/admin/accounts', { username: 'new-official', displayName: '新官员', password: 'a-long-password-1', role: 'official', department: 'xuhui', duties: ['reviewer'] });
    expect(withPassword.statusCode).toBe(400);
    expect(withPassword.json().message).toContain('不认识的字段「password」');
    const created = await admin('POST', '/api/admin/accounts', { username: 'new-official', displayName: '新官员', role: 'official', department: 'xuhui', duties: ['reviewer'] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().account).toMatchObject({ accountId: 'acct-new-official', role: 'official', department: 'xuhui', duties: ['reviewer'], passwordSet: false, disabled: { reason: '等待第二位管理员批准授权' } });
    const taken = await admin('POST', '/api/admin/accounts', { username: 'new-official', displayName: '又一个', role: 'auditor' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toBe('用户名 new-official 已被占用：请换一个用户名');
    // At its field, as every other refusal of the form.
    expect(taken.json().issues).toEqual([{ field: 'username', code: 'username-taken', message: 'new-official 已被占用：请换一个用户名' }]);
  });

  it('refuses fields nobody may set on a case: status, approvedBy, department, applicant', async () => {
    const caseId = await openLoan();
    for (const field of ['status', 'approvedBy', 'department', 'applicantAccountId', 'version']) {
      const refused = await fundReviewer('POST', `/api/cases/${caseId}/accept-materials`, { [field]: field === 'version' ? 1 : 'x' });
      expect(refused.statusCode, field).toBe(400);
      expect(refused.json().message).toContain(`不认识的字段「${field}」`);
    }
    const opening = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), status: 'repaying', approvedAmountFen: 50_000_000 });
    expect(opening.statusCode).toBe(400);
    expect((await fundReviewer('GET', `/api/cases/${caseId}`)).json()).toMatchObject({ status: 'completeness-check', version: 1 });
  });
});

describe('refusals say what was refused, in the words people use', () => {
  it('a read refused is 查看, an action refused is 办理; a missing case is said plainly not found, without the link’s id', async () => {
    const read = await auditor('GET', '/api/filings/queue');
    expect(read.statusCode).toBe(403);
    expect(read.json().message).toContain('可以查看此项');
    expect(read.json().message).not.toContain('办理此项');
    const act = await creator('PUT', '/api/calendar/2027', { holidays: [], makeUpWorkdays: [] });
    expect(act.statusCode).toBe(403);
    expect(act.json().message).toContain('可以办理此项');
    const missing = await creator('GET', '/api/cases/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('找不到这件办件，请检查链接或回到列表。');
    expect(missing.body).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(missing.json().issues).toBeUndefined();
    // Another applicant's case answers exactly as a missing one: nothing tells that it exists.
    const theirs = await openLoan();
    const notTheirs = await otherCreator('GET', `/api/cases/${theirs}`);
    expect(notTheirs.statusCode).toBe(404);
    expect(notTheirs.json()).toEqual(missing.json());
    expect(notTheirs.body).not.toContain(theirs);
    const english = await otherCreator('GET', `/api/cases/${theirs}`, undefined, { 'accept-language': 'en' });
    expect(english.body).not.toContain(theirs);
  });

  it('a list filtered by a status no case can be in is refused naming the statuses there are, not answered with an empty list', async () => {
    const caseId = await openLoan();
    const byStatus = await fundReviewer('GET', '/api/cases?status=completeness-check&limit=100');
    expect(byStatus.statusCode).toBe(200);
    expect((byStatus.json().cases as { caseId: string }[]).map((c) => c.caseId)).toContain(caseId);
    for (const status of ['bogus', '评审', 'Review']) {
      const refused = await fundReviewer('GET', `/api/cases?status=${encodeURIComponent(status)}`);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toContain(`没有“${status}”这个办理状态`);
      expect(refused.json().message).toContain('completeness-check（材料审查）');
      expect(refused.json().message).toContain('panel-review（');
    }
  });
});
