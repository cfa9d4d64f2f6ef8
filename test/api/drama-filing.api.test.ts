import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission, eventually } from '../support/filings.js';
import { eachCaseAgainstItsRows } from '../audit/support.js';

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let reviewer: ApiCaller;
let supervisor: ApiCaller;
let fundReviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  reviewer = await harness.as('filing-reviewer');
  supervisor = await harness.as('filing-supervisor');
  fundReviewer = await harness.as('fund-reviewer');
  auditor = await harness.as('auditor');
});
afterAll(() => harness?.close());

/** Each filing a title of its own unless the test names one: an open filing holds its title (one-open-filing-per-title). */
let filed = 0;
async function file(type: 'drama-planning-filing' | 'drama-release-filing', body = dramaSubmission({ title: `外滩往事 第${++filed}部` })) {
  const response = await creator('POST', `/api/cases/${type}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json().case;
}

type QueueItem = { caseId: string; deadline: string; workingDaysLeft: number; breached: boolean; escalated: boolean; lastWorkingDay: string; provisional: boolean };
const queue = async (caller: ApiCaller, query = '') => (await caller('GET', `/api/filings/queue${query}`)).json().filings as QueueItem[];

describe('filing a micro-drama', () => {
  it('opens a planning filing with its 2-working-day review clock, the same the public calendar answers', async () => {
    const view = await file('drama-planning-filing', dramaSubmission());
    expect(view).toMatchObject({
      caseType: 'drama-planning-filing',
      programme: { zh: 'AI 微短剧沪8条 · 微短剧规划备案' },
      status: 'awaiting-claim',
      statusLabel: '待认领审查',
      waitingFor: { role: 'official', department: 'culture-tourism' },
      flagged: false,
      filing: dramaSubmission(),
    });
    expect(view.referenceNo).toMatch(/^BA-\d{4}-\d{6}$/);
    const publicAnswer = (await harness.app.inject({ method: 'GET', url: `/api/calendar/deadline?submittedAt=${encodeURIComponent(view.rounds[0].submittedAt)}&workingDays=2` })).json();
    expect(view.deadline).toEqual({ kind: 'filing-review', dueOn: publicAnswer.lastWorkingDay, at: publicAnswer.deadline, provisional: publicAnswer.provisional });
  });

  it('answers 400 per field, refuses unknown fields, and lets only applicants file', async () => {
    const missing = await creator('POST', '/api/cases/drama-release-filing', { title: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues.map((i: { field: string }) => i.field)).toEqual(
      expect.arrayContaining(['title', 'producer', 'episodeCount', 'episodeLengthMinutes', 'aiGenerated', 'synopsis', 'platform']),
    );
    const extra = await creator('POST', '/api/cases/drama-release-filing', { ...dramaSubmission(), status: 'approved' });
    expect(extra.json().message).toContain('不认识的字段「status」');
    for (const bad of [{ episodeCount: 0 }, { episodeCount: 2.5 }, { episodeLengthMinutes: 0 }, { episodeLengthMinutes: 1e-300 }, { episodeLengthMinutes: 2.123456789 }, { aiGenerated: 'yes' }]) {
      expect((await creator('POST', '/api/cases/drama-release-filing', { ...dramaSubmission(), ...bad })).statusCode, JSON.stringify(bad)).toBe(400);
    }
    // Text a reader cannot see is no text, and text that turns itself around is not taken (an outsider's letter went out to "  ：").
    const invisible = await creator('POST', '/api/cases/drama-release-filing', { ...dramaSubmission(), title: '\u200b', producer: '\u200b\u200b', synopsis: '\u2060', platform: '\u200d\u00ad' });
    expect(invisible.statusCode).toBe(400);
    expect(invisible.json().issues.map((i: { field: string; message: string }) => `${i.field}: ${i.message}`).sort()).toEqual(
      ['platform', 'producer', 'synopsis', 'title'].map((field) => `${field}: 不能为空（只有空格或不可见字符）`),
    );
    const reversed = await creator('POST', '/api/cases/drama-release-filing', { ...dramaSubmission(), title: '\u202e剧名反转' });
    expect(reversed.json().issues).toEqual([expect.objectContaining({ field: 'title', message: '不能含有改变文字方向的控制字符' })]);
    expect((await creator('POST', '/api/cases/drama-release-filing', { ...dramaSubmission(), title: '剧名\u200b中有零宽空格', episodeLengthMinutes: 1.5 })).statusCode).toBe(201);
    expect((await reviewer('POST', '/api/cases/drama-release-filing', dramaSubmission())).statusCode).toBe(403);
  });

  it('opens one filing for a retried POST with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `filing-${Date.now()}` };
    const first = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission(), headers);
    const second = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission(), headers);
    expect(second.json().caseId).toBe(first.json().caseId);
  });
});

describe('review: claim, return for revision, resubmit, approve; the queue and who may do what', () => {
  it('runs a filing through 退回修改 and a new clock to approval', async () => {
    const view = await file('drama-release-filing');
    const caseId = view.caseId;

    // The reviewer queue: most urgent first, with working days left: all five of a release filing's on the day it is filed.
    const listed = await queue(reviewer);
    const mine = listed.find((f) => f.caseId === caseId)!;
    expect(mine).toMatchObject({ lastWorkingDay: view.deadline.dueOn, breached: false, escalated: false, workingDaysLeft: 5 });
    expect(listed.map((f) => f.deadline)).toEqual([...listed.map((f) => f.deadline)].sort());
    for (const caller of [creator, fundReviewer]) expect((await caller('GET', '/api/filings/queue')).statusCode).toBe(403);

    expect((await fundReviewer('POST', `/api/cases/${caseId}/claim`, {})).statusCode).toBe(403);
    expect((await otherCreator('POST', `/api/cases/${caseId}/claim`, {})).statusCode).toBe(404);
    let current = await act(reviewer, caseId, 'claim');
    expect(current).toMatchObject({ status: 'in-review', waitingFor: { accountId: 'demo-filing-reviewer' } });
    expect((await queue(reviewer, '?mine=true')).map((f) => f.caseId)).toContain(caseId);
    expect((await supervisor('POST', `/api/cases/${caseId}/approve`, {})).statusCode).toBe(403);
    // The supervising official is told that claiming a held filing takes it over from its reviewer.
    const seenBySupervisor = (await supervisor('GET', `/api/cases/${caseId}`)).json<{ availableActions: { name: string; explain: string | null }[] }>();
    expect(seenBySupervisor.availableActions.find((a) => a.name === 'claim')?.explain).toBe('本备案正由陈文旅审查。认领即接手：此后由您审查，陈文旅不再审查本备案，并会收到通知。请勾选“确认接手”后提交。');

    const noReasons = await reviewer('POST', `/api/cases/${caseId}/return-for-revision`, { reasons: [] });
    expect(noReasons.statusCode).toBe(400);
    current = await act(reviewer, caseId, 'return-for-revision', { reasons: ['第 3 集字幕缺失'] });
    expect(current).toMatchObject({ status: 'returned', statusLabel: '退回修改', waitingFor: { role: 'applicant' }, reasons: ['第 3 集字幕缺失'], deadline: null });
    expect((await queue(reviewer)).map((f) => f.caseId)).not.toContain(caseId);

    expect((await otherCreator('POST', `/api/cases/${caseId}/resubmit`, { filing: dramaSubmission() })).statusCode).toBe(404);
    // Its own title kept (a resubmission under the title of another open filing of the applicant is refused: below).
    current = await act(creator, caseId, 'resubmit', { filing: dramaSubmission({ title: view.filing.title, synopsis: '补齐字幕' }), changeNote: '补齐第 3 集字幕' });
    expect(current).toMatchObject({ status: 'awaiting-claim', filing: { synopsis: '补齐字幕' } });
    expect(current.rounds.map((r: { round: number; outcome: string | null }) => [r.round, r.outcome])).toEqual([
      [1, 'returned'],
      [2, null],
    ]);
    await act(reviewer, caseId, 'claim');
    current = await act(reviewer, caseId, 'approve', { notes: '同意备案' });
    expect(current).toMatchObject({ status: 'approved', statusLabel: '备案通过', waitingFor: null });

    const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events.map((e: { type: string }) => e.type);
    expect(events).toEqual(['FilingSubmitted', 'FilingClaimed', 'FilingReturnedForRevision', 'FilingResubmitted', 'FilingClaimed', 'FilingApproved']);
    const list = (await reviewer('GET', '/api/cases?waitingFor=culture-tourism')).json().cases;
    expect(list.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
  });

  it('a supervising official takes over a colleague’s claim by the API only when the request says so (takeOver: true); the colleague is told', async () => {
    const { caseId } = await file('drama-planning-filing');
    await act(reviewer, caseId, 'claim');
    const version = (await supervisor('GET', `/api/cases/${caseId}`)).json<{ version: number }>().version;
    const unsaid = await supervisor('POST', `/api/cases/${caseId}/claim`, { expectedVersion: version });
    expect(unsaid.statusCode, unsaid.body).toBe(409);
    expect(unsaid.json()).toMatchObject({
      code: 'take-over-not-confirmed',
      message: '本备案正由 陈文旅 认领审查。如需接手，请勾选“确认接手”后再提交：接手后由您审查，陈文旅 不再审查本备案，并会收到通知。',
      params: { field: 'takeOver', holder: '陈文旅' },
      issues: [{ field: 'takeOver', code: 'take-over-not-confirmed' }],
    });
    // Nothing was taken: the reviewer still holds it.
    expect((await reviewer('GET', `/api/cases/${caseId}`)).json()).toMatchObject({ version, waitingFor: { accountId: 'demo-filing-reviewer' } });
    const notBoolean = await supervisor('POST', `/api/cases/${caseId}/claim`, { takeOver: '是' });
    expect(notBoolean.statusCode).toBe(400);

    const taken = await act(supervisor, caseId, 'claim', { takeOver: true, expectedVersion: version });
    expect(taken.waitingFor).toMatchObject({ accountId: 'demo-filing-supervisor' });
    const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
    expect(events.filter((e) => e.type === 'FilingClaimed').at(-1)!.data).toMatchObject({ by: { displayName: '周分管' }, takenOverFrom: { displayName: '陈文旅' } });
    const told = await eventually(async () => {
      const notices = (await reviewer('GET', '/api/inbox')).json<{ notices: { caseId: string; kind: string }[] }>().notices;
      return notices.find((n) => n.caseId === caseId && n.kind === 'claim-taken-over');
    }, 'the colleague’s notice');
    expect(told).toBeDefined();
    // An unclaimed filing is claimed as before, with nothing more in the request.
    const other = await file('drama-planning-filing');
    expect((await act(supervisor, other.caseId, 'claim')).waitingFor).toMatchObject({ accountId: 'demo-filing-supervisor' });
  });

  it('交回待认领: the claimant hands a filing back with a reason, the supervising official hands back a reviewer’s; it is in the queue again with its deadline, and those concerned are told', async () => {
    const { caseId } = await file('drama-planning-filing');
    const claimed = await act(reviewer, caseId, 'claim');
    const deadlineBefore = (await queue(reviewer)).find((f) => f.caseId === caseId)!.lastWorkingDay;
    // Offered to its holder on the case page, with the reason asked.
    const actions = (await reviewer('GET', `/api/cases/${caseId}`)).json<{ availableActions: { name: string; enabled: boolean }[] }>().availableActions;
    expect(actions.find((a) => a.name === 'release')).toMatchObject({ enabled: true });
    const noReason = await reviewer('POST', `/api/cases/${caseId}/release`, { reason: '' });
    expect(noReason.statusCode).toBe(400);

    const back = await act(reviewer, caseId, 'release', { reason: '休假一周', expectedVersion: claimed.version });
    expect(back).toMatchObject({ status: 'awaiting-claim' });
    expect(back.waitingFor?.accountId).toBeUndefined();
    const listed = (await queue(reviewer)).find((f) => f.caseId === caseId)!;
    expect(listed.lastWorkingDay).toBe(deadlineBefore);
    const departmentTold = await eventually(async () => {
      const notices = (await supervisor('GET', '/api/inbox')).json<{ notices: { caseId: string; kind: string; body: string }[] }>().notices;
      return notices.find((n) => n.caseId === caseId && n.kind === 'claim-released');
    }, 'the department’s notice');
    expect(departmentTold!.body).toMatch(/^陈文旅将.+交回待认领，理由：休假一周。请本科室审查人员认领，反馈期限不变。$/);

    // Claimed again, and handed back by the supervising official: the reviewer is told it is no longer theirs.
    await act(reviewer, caseId, 'claim');
    await act(supervisor, caseId, 'release', { reason: '陈文旅休假，请其他审查人员认领' });
    const holderTold = await eventually(async () => {
      const notices = (await reviewer('GET', '/api/inbox')).json<{ notices: { caseId: string; kind: string; title: string }[] }>().notices;
      return notices.find((n) => n.caseId === caseId && n.kind === 'claim-released' && n.title.startsWith('已由周分管交回待认领'));
    }, 'the holder’s notice');
    expect(holderTold).toBeDefined();
    const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
    expect(events.filter((e) => e.type === 'FilingClaimReleased').map((e) => e.data)).toEqual([
      expect.objectContaining({ by: expect.objectContaining({ displayName: '陈文旅' }), from: expect.objectContaining({ displayName: '陈文旅' }), reason: '休假一周' }),
      expect.objectContaining({ by: expect.objectContaining({ displayName: '周分管' }), from: expect.objectContaining({ displayName: '陈文旅' }), reason: '陈文旅休假，请其他审查人员认领' }),
    ]);
    // Unclaimed now: nothing to hand back.
    expect((await reviewer('POST', `/api/cases/${caseId}/release`, { reason: '再交回' })).statusCode).toBe(409);
  });

  it('a filing the supervising official claimed unclaimed is shown as theirs: a colleague is told the supervisor has it, not asked to have the supervisor take it over', async () => {
    const { caseId } = await file('drama-planning-filing');
    const claimed = await act(supervisor, caseId, 'claim');
    expect(claimed.waitingFor).toMatchObject({ accountId: 'demo-filing-supervisor', note: '分管领导 周分管 审查' });
    expect(claimed.rounds[0]).toMatchObject({ reviewer: { displayName: '周分管' }, reviewerDuty: 'supervisor' });
    const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
    expect(events.find((e) => e.type === 'FilingClaimed')!.data).toMatchObject({ by: { displayName: '周分管' }, claimedAs: 'supervisor' });

    type Offered = { name: string; enabled: boolean; disabledReason: string | null };
    const seen = (await reviewer('GET', `/api/cases/${caseId}`)).json<{ waitingFor: { note: string }; availableActions: Offered[] }>();
    expect(seen.waitingFor.note).toBe('分管领导 周分管 审查');
    const offered = (name: string) => seen.availableActions.find((a) => a.name === name)!;
    expect(offered('claim')).toMatchObject({ enabled: false, disabledReason: '本备案已由分管领导 周分管 认领办理，不能再认领。' });
    expect(offered('approve')).toMatchObject({ enabled: false, disabledReason: '本备案由 分管领导 周分管 认领，只有认领人（或超期上报后的分管领导）可以作出决定。' });
    const refused = await reviewer('POST', `/api/cases/${caseId}/claim`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'claimed-by-another', message: '本备案已由分管领导 周分管 认领办理，不能再认领。' });
    expect(refused.json().message).not.toContain('请分管领导接手');

    // A reviewer's own claim is shown as it always was.
    const other = await file('drama-planning-filing');
    const byReviewer = await act(reviewer, other.caseId, 'claim');
    expect(byReviewer.waitingFor.note).toBe('陈文旅 审查');
    expect(byReviewer.rounds[0].reviewerDuty).toBeNull();
  });

  it('keeps loan actions and filing actions apart', async () => {
    const filing = await file('drama-planning-filing');
    const wrongKind = await reviewer('POST', `/api/cases/${filing.caseId}/accept-materials`, {});
    expect(wrongKind.statusCode).toBe(409);
    const loan = await creator('POST', '/api/cases/chuying-loan', validApplication());
    // A loan is not 市文旅局's case: refused before the action is even considered.
    const onLoan = await reviewer('POST', `/api/cases/${loan.json().caseId}/claim`, {});
    expect(onLoan.statusCode).toBe(403);
    expect(onLoan.json().message).toContain('由杨浦区 V聚场基金、市委网信办办理');
  });
});

describe('a filing left unreviewed breaches, is escalated to the supervising official, and counts in the SLA statistics', () => {
  it('flags the breach in the queue; the supervisor decides; the month shows filings, on-time %, breaches and median', async () => {
    const onTime = await file('drama-planning-filing');
    await act(reviewer, onTime.caseId, 'claim');
    await act(reviewer, onTime.caseId, 'approve');

    const late = await file('drama-planning-filing');
    await act(reviewer, late.caseId, 'claim');
    await harness.env.sleep(Date.parse(late.deadline.at) + 3600_000 - (await harness.env.currentTimeMs()));
    await eventually(async () => ((await queue(supervisor, '?escalated=true')).some((f) => f.caseId === late.caseId) ? true : undefined), 'the escalation');
    const flagged = (await queue(supervisor, '?escalated=true')).find((f) => f.caseId === late.caseId)!;
    expect(flagged).toMatchObject({ breached: true, escalated: true, workingDaysLeft: 0 });
    const view = (await reviewer('GET', `/api/cases/${late.caseId}`)).json();
    expect(view).toMatchObject({ status: 'in-review', flagged: true });
    expect(view.rounds[0].breachedAt).not.toBeNull();
    await act(supervisor, late.caseId, 'approve', { notes: '超期，分管领导审定' });

    expect((await creator('GET', '/api/filings/sla')).statusCode).toBe(403);
    const reversed = await auditor('GET', '/api/filings/sla?from=2026-12&to=2026-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().issues).toEqual([expect.objectContaining({ field: 'query.from', message: '起始月份（from）晚于结束月份（to）：请对调' })]);
    const stats = (await auditor('GET', '/api/filings/sla')).json().months as {
      month: string;
      filings: number;
      decided: number;
      onTime: number;
      onTimePercent: number | null;
      breaches: number;
      medianReviewWorkingDays: number | null;
    }[];
    const reviews = await harness.database.db.selectFrom('filing_reviews').select(['outcome', 'breached_at', 'decided_at', 'deadline_at']).execute();
    const sum = (key: 'filings' | 'decided' | 'onTime' | 'breaches') => stats.reduce((n, m) => n + m[key], 0);
    expect(sum('filings')).toBe(reviews.length);
    expect(sum('decided')).toBe(reviews.filter((r) => r.outcome !== null).length);
    // The late one, and every filing the earlier tests left open, breached when the clock skipped ahead.
    expect(sum('breaches')).toBe(reviews.filter((r) => r.breached_at !== null).length);
    expect(sum('breaches')).toBeGreaterThanOrEqual(1);
    expect(sum('decided') - sum('onTime')).toBe(1);
    expect(sum('onTime')).toBe(reviews.filter((r) => r.outcome !== null && r.breached_at === null && r.deadline_at !== null && r.decided_at! <= r.deadline_at).length);
    const month = stats.find((m) => m.month === onTime.rounds[0].submittedOn.slice(0, 7))!;
    expect(month.onTimePercent).toBe(Math.round((month.onTime / month.decided) * 1000) / 10);
    // Everything except the late one was decided on its day of submission: 0 working days.
    expect(month.medianReviewWorkingDays).toBe(0);
    const filtered = (await reviewer('GET', `/api/filings/sla?from=${month.month}&to=${month.month}&filingType=drama-planning-filing`)).json().months;
    expect(filtered.map((m: { month: string }) => m.month)).toEqual([month.month]);
    const planning = await harness.database.db.selectFrom('filing_reviews').select('submitted_on').where('filing_type', '=', 'drama-planning-filing').execute();
    expect(filtered[0].filings).toBe(planning.filter((r) => r.submitted_on.startsWith(month.month)).length);
    expect(filtered[0].filings).toBeLessThan(month.filings);
  });

  it('lists a filing under the account that filed it, not the 制作机构 it typed, and finds it by the account’s name', async () => {
    // An outsider filed forty dramas from 林小创's account under 上海星河文化传媒有限公司: the queue showed that company as their applicant.
    const individual = await harness.as('individual-creator');
    const filed = await individual('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '林小创的弄堂', producer: '上海星河文化传媒有限公司' }));
    expect(filed.statusCode, filed.body).toBe(201);
    const found = (await reviewer('GET', `/api/worklist?view=all&q=${encodeURIComponent('林小创')}`)).json().cases as { referenceNo: string; applicantName: string }[];
    expect(found.find((c) => c.referenceNo === filed.json().referenceNo)).toMatchObject({ applicantName: '林小创' });
    // The producer is still what the filing says, on the case and in the filing queue.
    expect(JSON.stringify((await reviewer('GET', `/api/cases/${filed.json().caseId}`)).json())).toContain('上海星河文化传媒有限公司');
  });

  it('files a company’s drama from that company’s account only, and shows the reviewer the 制作机构 beside the applicant, a mismatch flagged', async () => {
    // An outside tester filed 外滩往事 from 林小创's account under 上海星河文化传媒有限公司, another account's company; the queue said only 林小创.
    const individual = await harness.as('individual-creator');
    const db = harness.database.db;
    // Filed while the company was registered to no account (as before the check): it stands, and the reviewer is told once it is.
    const before = await individual('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '外滩往事（登记前）', producer: '上海星河文化传媒有限公司' }));
    expect(before.statusCode, before.body).toBe(201);
    await sql`UPDATE accounts SET profile = jsonb_set(profile, '{company}', ${JSON.stringify({ name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: '91310110MA1G8XXXXY' })}::jsonb) WHERE username = 'creator'`.execute(db);
    try {
      // An individual naming another account's registered company, however spaced or wide, is refused at the field.
      for (const producer of ['上海星河文化传媒有限公司', ' 上海星河文化传媒 有限公司 ']) {
        const refused = await individual('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '外滩往事', producer }));
        expect(refused.statusCode, refused.body).toBe(400);
        expect(refused.json().issues).toEqual([expect.objectContaining({ field: 'producer', code: 'producer-of-another-account' })]);
        expect(refused.json().message).toContain('已登记在另一申请人的账户下');
        expect(refused.json().message).not.toMatch(/[A-Za-z]/);
      }
      // As themself, the individual files.
      expect((await individual('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '外滩往事（个人）', producer: '林小创' }))).statusCode).toBe(201);
      // The company account files as its own registered company, not another.
      const other = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '外滩往事（他家）', producer: '另一家文化公司' }));
      expect(other.statusCode, other.body).toBe(400);
      expect(other.json().issues).toEqual([expect.objectContaining({ field: 'producer', code: 'producer-is-own-company' })]);
      expect(other.json().message).toContain('请填写“上海星河文化传媒有限公司”');
      const own = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '外滩往事（本单位）' }));
      expect(own.statusCode, own.body).toBe(201);

      // The queue names both, the applicant and the 制作机构 as filed, and flags the filing made under another's company.
      const listed = (await reviewer('GET', '/api/filings/queue?limit=200')).json().filings as { referenceNo: string; applicantName: string; producer: string; producerNote: string | null }[];
      expect(listed.find((f) => f.referenceNo === before.json().referenceNo)).toMatchObject({ applicantName: '林小创', producer: '上海星河文化传媒有限公司', producerNote: expect.stringContaining('制作机构与申请人不符') });
      expect(listed.find((f) => f.referenceNo === own.json().referenceNo)).toMatchObject({ applicantName: '上海星河文化传媒有限公司', producer: '上海星河文化传媒有限公司', producerNote: null });
      const worklist = (await reviewer('GET', `/api/worklist?view=all&q=${encodeURIComponent('外滩往事')}`)).json().cases as { referenceNo: string; producer: string | null; producerNote: string | null }[];
      expect(worklist.find((c) => c.referenceNo === before.json().referenceNo)).toMatchObject({ producer: '上海星河文化传媒有限公司', producerNote: expect.stringContaining('登记在另一申请人') });
      // The case page: 申请人 beside 制作机构, and the mismatch for the reviewer (not a line the applicant is shown).
      const page = (await reviewer('GET', `/api/cases/${before.json().caseId}`)).json();
      const labels = (page.case ?? page).overview.map((l: { label: string }) => l.label);
      expect(labels).toEqual(expect.arrayContaining(['申请人', '制作机构', '制作机构核对']));
      expect(labels.indexOf('制作机构核对')).toBe(labels.indexOf('制作机构') + 1);
      const theirs = (await individual('GET', `/api/cases/${before.json().caseId}`)).json();
      expect((theirs.case ?? theirs).overview.map((l: { label: string }) => l.label)).not.toContain('制作机构核对');
    } finally {
      await sql`UPDATE accounts SET profile = profile - 'company' WHERE username = 'creator'`.execute(db);
    }
  });

  it('pages the queue and says how many filings it holds: a long queue is not cut at 50 without a word', async () => {
    for (let i = 0; i < 3; i++) await file('drama-planning-filing', dramaSubmission({ title: `分页 ${i}` }));
    const first = (await reviewer('GET', '/api/filings/queue?limit=2')).json();
    expect(first.total).toBeGreaterThanOrEqual(3);
    expect(first).toMatchObject({ limit: 2, offset: 0 });
    expect(first.filings).toHaveLength(2);
    // Every filing once, page after page, in the queue's order.
    const all = (await reviewer('GET', '/api/filings/queue?limit=200')).json();
    expect(all.total).toBe(first.total);
    const paged: string[] = [];
    for (let offset = 0; offset < first.total; offset += 2) paged.push(...(await queue(reviewer, `?limit=2&offset=${offset}`)).map((f) => f.caseId));
    expect(paged).toEqual((all.filings as QueueItem[]).map((f) => f.caseId));
    // The count follows the filters.
    const mine = (await reviewer('GET', '/api/filings/queue?mine=true')).json();
    expect(mine.total).toBe(mine.filings.length);
    expect((await reviewer('GET', '/api/filings/queue?offset=-1')).statusCode).toBe(400);
  });
});

describe('one open filing per applicant, filing type and title', () => {
  const refusal = (kind: string, referenceNo: string, status: string) => `您已有同名的${kind} ${referenceNo}（${status}），请勿重复提交；如需修改，请在该备案页面办理。`;
  const filingsTitled = (title: string) =>
    harness.database.db.selectFrom('cases').select(['case_id', 'case_type', 'applicant_account_id', 'status']).where(sql<string>`state->'submission'->>'title'`, '=', title).execute();

  it('thirty identical filings sent at once without an Idempotency-Key make one filing with one review clock; the other 29 are told its 备案编号 and status', async () => {
    const body = dramaSubmission({ title: '石库门的灯（并发）' });
    const answers = await Promise.all(Array.from({ length: 30 }, () => creator('POST', '/api/cases/drama-release-filing', body)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, ...Array<number>(29).fill(409)]);
    const filed = answers.find((a) => a.statusCode === 201)!.json();
    for (const refused of answers.filter((a) => a.statusCode === 409)) {
      expect(refused.json()).toMatchObject({ code: 'one-open-filing-per-title', message: refusal('完成片上线备案', filed.referenceNo, '待认领审查') });
    }
    expect(await filingsTitled(body.title)).toEqual([expect.objectContaining({ case_id: filed.caseId, case_type: 'drama-release-filing' })]);
    const clocks = await harness.database.db.selectFrom('filing_reviews').select('case_id').where('title', '=', body.title).execute();
    expect(clocks).toEqual([{ case_id: filed.caseId }]);
    expect((await queue(reviewer, '?limit=200')).filter((f) => f.caseId === filed.caseId)).toHaveLength(1);
  });

  it('uses no 备案编号 for a filing refused as a second of an open title, nor for a retry with the same Idempotency-Key: the register has no gaps', async () => {
    const numberOf = (answer: { json: () => { referenceNo: string } }) => Number(answer.json().referenceNo.slice(-6));
    const first = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '无缺号的剧' }), { 'idempotency-key': 'no-gaps-first-1' });
    expect(first.statusCode, first.body).toBe(201);
    for (let i = 0; i < 3; i++) expect((await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '无缺号的剧' }))).statusCode).toBe(409);
    const retried = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '无缺号的剧' }), { 'idempotency-key': 'no-gaps-first-1' });
    expect(retried.statusCode, retried.body).toBeLessThan(300);
    expect(retried.json().caseId).toBe(first.json().caseId);
    const next = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '无缺号的剧 第二部' }));
    expect(next.statusCode, next.body).toBe(201);
    expect(numberOf(next)).toBe(numberOf(first) + 1);
  });

  it('the same title typed otherwise is the same drama while the first is open, whatever step it is at; another type, another account, or after the decision may file it', async () => {
    const first = await file('drama-planning-filing', dramaSubmission({ title: '弄堂里的光 AI' }));
    const planning = (title: string) => creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title }));
    // Width, spaces, typed separators and letter case aside: one title.
    for (const typed of ['弄堂里的光ai', ' 弄堂 里的光　ＡＩ ', '弄堂·里的光－AI', '《弄堂里的光》AI']) {
      const again = await planning(typed);
      expect(again.statusCode, `${typed}: ${again.body}`).toBe(409);
      expect(again.json().message).toBe(refusal('规划备案', first.referenceNo, '待认领审查'));
    }
    await act(reviewer, first.caseId, 'claim');
    expect((await planning('弄堂里的光 AI')).json().message).toBe(refusal('规划备案', first.referenceNo, '审查中'));
    await act(reviewer, first.caseId, 'return-for-revision', { reasons: ['补充分集梗概'] });
    expect((await planning('弄堂里的光 AI')).json().message).toBe(refusal('规划备案', first.referenceNo, '退回修改'));

    // Another title, another filing type, another account: accepted.
    expect((await planning('弄堂里的光 第二季')).statusCode).toBe(201);
    const release = await file('drama-release-filing', dramaSubmission({ title: '弄堂里的光 AI' }));
    expect((await otherCreator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '弄堂里的光 AI' }))).statusCode).toBe(201);

    // A retry under the accepted filing's Idempotency-Key answers that filing, as before; a new key is refused.
    const headers = { 'idempotency-key': `same-title-${Date.now()}` };
    const keyed = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '弄堂深处' }), headers);
    expect(keyed.statusCode, keyed.body).toBe(201);
    const retried = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '弄堂深处' }), headers);
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.json().caseId).toBe(keyed.json().caseId);
    const newKey = await creator('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '弄堂深处' }), { 'idempotency-key': `another-${Date.now()}` });
    expect(newKey.statusCode).toBe(409);
    expect(newKey.json().message).toBe(refusal('完成片上线备案', keyed.json().referenceNo, '待认领审查'));

    // Decided (rejected, approved), the first no longer holds the title: a new filing of it is a filing of its own.
    await act(creator, first.caseId, 'resubmit', { filing: dramaSubmission({ title: '弄堂里的光 AI' }), changeNote: '已补充' });
    await act(reviewer, first.caseId, 'claim');
    await act(reviewer, first.caseId, 'reject', { reasons: ['内容导向问题'] });
    const anew = await file('drama-planning-filing', dramaSubmission({ title: '弄堂里的光 AI' }));
    expect(anew.caseId).not.toBe(first.caseId);
    await act(reviewer, release.caseId, 'claim');
    await act(reviewer, release.caseId, 'approve');
    expect((await creator('POST', '/api/cases/drama-release-filing', dramaSubmission({ title: '弄堂里的光AI' }))).statusCode).toBe(201);
    const mine = (await filingsTitled('弄堂里的光 AI')).filter((c) => c.applicant_account_id !== 'other-applicant');
    expect(mine.map((c) => `${c.case_type}:${c.status}`).sort()).toEqual(['drama-planning-filing:awaiting-claim', 'drama-planning-filing:rejected', 'drama-release-filing:approved']);
  });

  it('a filing returned and resubmitted under another title no longer holds the first title', async () => {
    const first = await file('drama-planning-filing', dramaSubmission({ title: '旧剧名' }));
    await act(reviewer, first.caseId, 'claim');
    await act(reviewer, first.caseId, 'return-for-revision', { reasons: ['剧名与已备案作品重复，请更名'] });
    // Returned, it still holds its title: the change is made on it, by resubmitting.
    const meanwhile = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '旧剧名' }));
    expect(meanwhile.statusCode).toBe(409);
    expect(meanwhile.json().message).toBe(refusal('规划备案', first.referenceNo, '退回修改'));
    await act(creator, first.caseId, 'resubmit', { filing: dramaSubmission({ title: '新剧名' }), changeNote: '更名' });
    expect((await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '旧剧名' }))).statusCode).toBe(201);
  });

  it('a filing resubmitted under the title of another open filing of the applicant is refused, naming it; under a free title it claims it', async () => {
    // A second outside tester renamed a returned filing to 改名剧 and then filed 改名剧 again: two open filings of one title.
    const open = await file('drama-planning-filing', dramaSubmission({ title: '占用剧名' }));
    const returned = await file('drama-planning-filing', dramaSubmission({ title: '待改剧名' }));
    await act(reviewer, returned.caseId, 'claim');
    await act(reviewer, returned.caseId, 'return-for-revision', { reasons: ['请更名'] });
    const taken = await creator('POST', `/api/cases/${returned.caseId}/resubmit`, { filing: dramaSubmission({ title: '占用 剧名' }), changeNote: '更名' });
    expect(taken.statusCode, taken.body).toBe(409);
    expect(taken.json().message).toBe(refusal('规划备案', open.referenceNo, '待认领审查'));
    // Renamed to a free title, it holds that one: a new filing of it is refused, naming the resubmitted one.
    await act(creator, returned.caseId, 'resubmit', { filing: dramaSubmission({ title: '改名剧' }), changeNote: '更名' });
    const again = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '改名剧' }));
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().message).toBe(refusal('规划备案', returned.referenceNo, '待认领审查'));
  });
});

describe("the auditor's check of one filing (verify --case)", () => {
  it('rebuilds each filing of these tests, its row and its review rounds, from its own events alone, as they are', async () => {
    const each = await eachCaseAgainstItsRows(harness.database.db);
    expect(each.cases).toBeGreaterThan(3);
    expect(each.drift).toEqual([]);
  });
});
