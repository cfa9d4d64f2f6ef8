import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { chineseDate, yearOf, type LocalDate } from '../../domain/time/local-date.js';
import { repayingLoan, startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let fundReviewer: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  fundReviewer = await harness.as('fund-reviewer');
});
afterAll(() => harness?.close());

interface InboxNotice {
  noticeId: string;
  kind: string;
  title: string;
  body: string;
  caseId: string | null;
  referenceNo: string | null;
  readAt: string | null;
}
const inbox = async (caller: ApiCaller, query = '') => {
  const response = await caller('GET', `/api/inbox${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ notices: InboxNotice[]; unreadCount: number; total: number }>();
};

describe('a 补正 request tells the applicant, and only them', () => {
  let caseId: string;
  let referenceNo: string;

  beforeAll(async () => {
    const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    ({ caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>());
    const supplement = await fundReviewer('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本', '项目预算表'] });
    expect(supplement.statusCode, supplement.body).toBe(200);
  });

  it("puts the notice in the applicant's inbox, unread, naming the case and what is missing", async () => {
    const mine = await inbox(creator);
    const notice = mine.notices.find((n) => n.caseId === caseId && n.kind === 'supplement-requested');
    expect(notice).toMatchObject({ referenceNo, readAt: null, title: `请补正材料：雏鹰计划借款申请（${referenceNo}）` });
    expect(notice!.body).toContain('营业执照副本；项目预算表');
    expect(mine.unreadCount).toBeGreaterThanOrEqual(1);
  });

  it("does not put it in another applicant's inbox, nor let them mark it read", async () => {
    const theirs = await inbox(otherCreator);
    expect(theirs.notices.filter((n) => n.caseId === caseId)).toEqual([]);
    const notice = (await inbox(creator)).notices.find((n) => n.caseId === caseId)!;
    const refused = await otherCreator('POST', `/api/inbox/${notice.noticeId}/read`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().message).toBe('没有这条消息');
  });

  it('writes the email to the outbox with the notice, carrying a Message-ID from the notice id', async () => {
    const notice = (await inbox(creator)).notices.find((n) => n.caseId === caseId)!;
    const deliveries = await harness.database.db.selectFrom('notice_deliveries').selectAll().where('notice_id', '=', notice.noticeId).execute();
    expect(deliveries).toMatchObject([{ channel: 'email', address: 'creator@youchuang.example', message_id: `<${notice.noticeId}@youchuang>`, sent_at: null }]);
  });

  it('marks a notice read once, and counts it no longer unread', async () => {
    const before = await inbox(creator);
    const notice = before.notices.find((n) => n.caseId === caseId)!;
    const first = await creator('POST', `/api/inbox/${notice.noticeId}/read`);
    expect(first.statusCode, first.body).toBe(200);
    const again = await creator('POST', `/api/inbox/${notice.noticeId}/read`);
    expect(again.json().readAt).toBe(first.json().readAt);
    const after = await inbox(creator);
    expect(after.unreadCount).toBe(before.unreadCount - 1);
    expect((await inbox(creator, '?unread=true')).notices.map((n) => n.noticeId)).not.toContain(notice.noticeId);
  });

  it('refuses a malformed page or notice id with a 400 in Chinese', async () => {
    const badPage = await creator('GET', '/api/inbox?page=0');
    expect(badPage.statusCode).toBe(400);
    expect(badPage.json().message).toContain('页码至少为1');
    expect((await creator('POST', '/api/inbox/not-a-notice/read')).statusCode).toBe(400);
  });

  it("is reproduced by the auditors' rebuild from the events alone", async () => {
    const report = await rebuildAndCompare(harness.database.db);
    expect(report.tables.find((t) => t.table === 'notices')).toMatchObject({ changed: 0, missing: 0, extra: 0 });
    expect(report.tables.find((t) => t.table === 'notices')!.liveRows).toBeGreaterThan(0);
  });
});

describe('a 放款 whose first instalment falls in a year whose holiday arrangement is not loaded', () => {
  it('tells the applicant the first due date as 暂定, as the case page shows it, and the rebuild writes the same words', async () => {
    const caseId = await repayingLoan(harness);
    const first = (await creator('GET', `/api/cases/${caseId}`)).json<{ schedule: { dueOn: LocalDate; provisional: boolean }[] }>().schedule[0]!;
    // Disbursed today (December 2026): a month on is in 2027, whose arrangement is not loaded.
    expect(first.provisional).toBe(true);
    const notice = (await inbox(creator)).notices.find((n) => n.caseId === caseId && n.title.startsWith('已放款'));
    expect(notice!.body).toContain(`第1期还款应于${chineseDate(first.dueOn)}（含；暂定：${yearOf(first.dueOn)} 年节假日安排尚未公布，公布后重新确定）前还清`);
    const report = await rebuildAndCompare(harness.database.db);
    expect(report.tables.find((t) => t.table === 'notices')).toMatchObject({ changed: 0, missing: 0, extra: 0 });
  });
});

describe("an application's notices", () => {
  it('name the measure it is for, not 申请 alone, in the inbox and in the auditors’ rebuild', async () => {
    const opened = await otherCreator('POST', '/api/applications/huangpu-platform-subsidy', { title: '平台集聚', summary: '集聚创作者 120 名', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 20_000_000 } });
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>();
    const accepted = await (await harness.as('huangpu-reviewer'))('POST', `/api/cases/${caseId}/accept-materials`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const notice = (await inbox(otherCreator)).notices.find((n) => n.caseId === caseId && n.kind === 'materials-accepted');
    expect(notice?.title).toBe(`材料已受理：黄浦平台企业、MCN 机构扶持申请（${referenceNo}）`);
    const report = await rebuildAndCompare(harness.database.db);
    expect(report.tables.find((t) => t.table === 'notices')).toMatchObject({ changed: 0, missing: 0, extra: 0 });
  });
});
