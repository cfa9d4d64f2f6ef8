import { describe, expect, it } from 'vitest';
import { chineseDate, parseLocalDate } from '../../../domain/time/local-date.js';
import { instalmentsInWords, NOTICE_EVENT_TYPES, noticesFor, remindersDue, type NoticeCase } from '../../../domain/notices/notices.js';
import { findProgramme } from '../../../domain/programmes/catalogue.js';
import { HANDLED_SERVICES } from '../../../domain/programmes/decision-words.js';
import { chineseAmount } from '../../../domain/money/fen.js';

const loanCase: NoticeCase = { caseId: '11111111-1111-4111-8111-111111111111', referenceNo: 'YC-CY-2026-000123', caseType: 'chuying-loan', applicantAccountId: 'demo-applicant', department: 'yangpu-fund' };
const applicationCase: NoticeCase = { ...loanCase, caseType: 'application', referenceNo: 'YC-AP-2026-000042', department: 'huangpu' };
const at = '2026-12-03T02:00:00.000Z';

describe('what a notice says', () => {
  it('tells the reviewer whose filing a supervisor took over, and nobody of a first claim', () => {
    const filing: NoticeCase = { ...loanCase, caseType: 'drama-planning-filing', referenceNo: 'BA-2026-000014', department: 'culture-tourism' };
    const takeOver = { by: { accountId: 'demo-filing-supervisor', displayName: '周分管' }, round: 1, claimedAt: at, takenOverFrom: { accountId: 'demo-filing-reviewer', displayName: '陈文旅' } };
    const [told, ...rest] = noticesFor({ eventId: 'c2', type: 'FilingClaimed', data: takeOver, recordedAt: at }, filing);
    expect(rest).toEqual([]);
    expect(told).toMatchObject({ kind: 'claim-taken-over', recipient: { accountId: 'demo-filing-reviewer' }, title: expect.stringContaining('已由周分管接手'), body: expect.stringContaining('您无需再办理') });
    const { takenOverFrom: _, ...firstClaim } = takeOver;
    expect(noticesFor({ eventId: 'c1', type: 'FilingClaimed', data: firstClaim, recordedAt: at }, filing)).toEqual([]);
  });

  it('writes dates the Chinese way and amounts in 元 with separators', () => {
    expect(chineseDate(parseLocalDate('2026-01-05'))).toBe('2026年1月5日');
    expect(chineseAmount(123_456_789)).toBe('1,234,567.89元');
  });

  it('tells the applicant which materials a 补正 asks for and by when', () => {
    const [notice, ...rest] = noticesFor({ eventId: 'e1', type: 'SupplementRequested', data: { missingItems: ['营业执照', '项目预算'], replyDueOn: '2026-12-18' }, recordedAt: at }, applicationCase);
    expect(rest).toEqual([]);
    expect(notice).toMatchObject({ kind: 'supplement-requested', recipient: { accountId: 'demo-applicant' }, caseId: applicationCase.caseId, referenceNo: 'YC-AP-2026-000042', eventId: 'e1', createdAt: at });
    expect(notice!.body).toContain('营业执照；项目预算');
    expect(notice!.body).toContain('2026年12月18日（含）前');
  });

  it('says a 补正 deadline in a year not yet loaded is 暂定, and tells the applicant again when it is counted once the year is loaded', () => {
    const provisional = { missingItems: ['营业执照'], replyDueOn: '2027-01-04', replyPeriod: { countedFrom: '2026-12-03', days: 30, provisional: true } };
    const [asked] = noticesFor({ eventId: 's1', type: 'SupplementRequested', data: provisional, recordedAt: at }, loanCase);
    // The last day included, as the case page says it (an outside tester read 请于2027年1月7日前 as "by the 6th").
    expect(asked!.body).toContain('请于2027年1月4日（含）前');
    expect(asked!.body).not.toMatch(/\d日前/);
    expect(asked!.body).toContain('此日期为暂定');
    expect(asked!.body).toContain('不会早于2027年1月4日');
    const [final] = noticesFor({ eventId: 's2', type: 'SupplementRequested', data: { ...provisional, replyPeriod: { ...provisional.replyPeriod, provisional: false } }, recordedAt: at }, loanCase);
    expect(final!.body).not.toContain('暂定');

    const recount = (current: { replyDueOn: string; provisional: boolean }) =>
      noticesFor({ eventId: 'r1', type: 'SupplementReplyRecomputed', data: { previous: { replyDueOn: '2027-01-04', provisional: true }, current }, recordedAt: at }, loanCase);
    const [moved] = recount({ replyDueOn: '2027-01-05', provisional: false });
    expect(moved).toMatchObject({ kind: 'supplement-requested', recipient: { accountId: 'demo-applicant' }, title: '补正期限已确定：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(moved!.body).toContain('由2027年1月4日改为2027年1月5日');
    expect(moved!.body).toContain('请于2027年1月5日（含）前');
    expect(moved!.body).not.toMatch(/\d日前/);
    const [kept] = recount({ replyDueOn: '2027-01-04', provisional: false });
    expect(kept!.body).toContain('确定为2027年1月4日');
  });

  it('tells the applicant an award’s payment once an official records it paid (登记拨付): the day, the amount and the transfer, and nobody when it only fell due', () => {
    const recorded = { number: 2, of: 36, amountFen: 800_000, dueOn: '2027-02-28', paidOn: '2027-03-02', bankReference: 'YP-2027-0302-01', by: { accountId: 'a', displayName: '孙评审' }, recordedAt: at };
    const [paid, ...rest] = noticesFor({ eventId: 'pr1', type: 'PayoutRecorded', data: recorded, recordedAt: at }, { ...applicationCase, department: 'yangpu-investment' });
    expect(rest).toEqual([]);
    expect(paid).toMatchObject({ kind: 'money-recorded', recipient: { accountId: 'demo-applicant' }, title: '已拨付：申请（YC-AP-2026-000042）' });
    expect(paid!.body).toBe('您的申请（YC-AP-2026-000042）第2笔（共36笔）8,000.00元已于2027年3月2日拨付（银行流水号 YP-2027-0302-01）。请留意账户到账情况，如未收到，请联系主管部门。');
    const [oneOff] = noticesFor({ eventId: 'pr2', type: 'PayoutRecorded', data: { ...recorded, number: 1, of: 1, amountFen: 30_000_000 }, recordedAt: at }, applicationCase);
    expect(oneOff!.body).toContain('申请（YC-AP-2026-000042）300,000.00元已于2027年3月2日拨付');
    expect(NOTICE_EVENT_TYPES).toContain('PayoutRecorded');
    // Fallen due is not paid: the applicant is told when the money leaves, not before.
    expect(NOTICE_EVENT_TYPES).not.toContain('PayoutFellDue');
  });

  it('gives a decision with its amount and its decision letter number where the event records one', () => {
    const [approved] = noticesFor(
      { eventId: 'e2', type: 'ApplicationApproved', data: { approvedAmountFen: 30_000_000, letter: { letterId: 'l', letterNo: '黄浦文创决〔2026〕42号', sha256: 'x' } }, recordedAt: at },
      applicationCase,
    );
    expect(approved).toMatchObject({ kind: 'decision', title: '已批准：申请（YC-AP-2026-000042）' });
    // With its measure, as the row names it: an application is told by what it applied for, not 申请 alone.
    const [named] = noticesFor({ eventId: 'e2', type: 'ApplicationApproved', data: { approvedAmountFen: 30_000_000 }, recordedAt: at }, { ...applicationCase, programmeId: 'huangpu-platform-subsidy' });
    expect(named!.title).toBe(`已批准：${findProgramme('huangpu-platform-subsidy')!.name.zh}申请（YC-AP-2026-000042）`);
    expect(named!.body).toContain(`${findProgramme('huangpu-platform-subsidy')!.name.zh}申请（YC-AP-2026-000042）`);
    expect(approved!.body).toContain('300,000.00元');
    expect(approved!.body).toContain('黄浦文创决〔2026〕42号');
    const [rejected] = noticesFor({ eventId: 'e3', type: 'FundingRejected', data: { reasons: ['不符合雏鹰计划条件'] }, recordedAt: at }, loanCase);
    expect(rejected!.body).toContain('理由：不符合雏鹰计划条件。');
    // Reasons that end in 。 are parted by ；, with one 。 at the end: not 。； nor 。。.
    const [twoReasons] = noticesFor({ eventId: 'e4', type: 'FundingRejected', data: { reasons: ['材料不全。', '金额超限。'] }, recordedAt: at }, loanCase);
    expect(twoReasons!.body).toContain('理由：材料不全；金额超限。');
    expect(twoReasons!.body).not.toMatch(/。；|。。/);
    expect(rejected!.body).not.toContain('决定书');
  });

  it('gives what the decider wrote with an approval (决定意见), as a refusal gives its reasons: a service has no amount, and its notes are its decision', () => {
    const shield = { ...applicationCase, department: 'cac', programmeId: 'hu9-starlight' };
    const [withNotes] = noticesFor({ eventId: 'n1', type: 'ApplicationApproved', data: { approvedAmountFen: null, notes: '已推荐参评年度星光榜' }, recordedAt: at }, shield);
    expect(withNotes!.body).toContain('决定意见：已推荐参评年度星光榜。');
    const [without] = noticesFor({ eventId: 'n2', type: 'ApplicationApproved', data: { approvedAmountFen: null, notes: '' }, recordedAt: at }, shield);
    expect(without!.body).not.toContain('决定意见');
  });

  it('tells a complaint or a request for guidance 已受理并办结, never 已获批准; a service that grants, and every award, keep 已获批准', () => {
    const approval = (programmeId: string, data: Record<string, unknown> = { approvedAmountFen: null, notes: '已约谈平台，侵权账号已封禁' }) =>
      noticesFor({ eventId: `a-${programmeId}`, type: 'ApplicationApproved', data, recordedAt: at }, { ...applicationCase, department: 'cac', programmeId })[0]!;
    for (const handled of HANDLED_SERVICES) {
      const told = approval(handled);
      expect(told.title, handled).toBe(`已办结：${findProgramme(handled)!.name.zh}申请（YC-AP-2026-000042）`);
      expect(told.body, handled).toContain('已受理并办结。决定意见：已约谈平台，侵权账号已封禁。');
      expect(`${told.title}${told.body}`, handled).not.toMatch(/批准/);
    }
    expect(approval('hu9-hukou').title).toMatch(/^已批准：/);
    expect(approval('hu9-hukou').body).toContain('已获批准');
    expect(approval('huangpu-platform-subsidy', { approvedAmountFen: 30_000_000 }).body).toContain('已获批准，批准金额300,000.00元');
  });

  it('lists as handled only services of the catalogue, never an award', () => {
    for (const id of HANDLED_SERVICES) expect(findProgramme(id)?.caseKind, id).toBe('service');
  });

  it('tells of 公示, 受理 and an overdue instalment', () => {
    const kinds = [
      noticesFor({ eventId: 'p', type: 'PublicityStarted', data: { amountFen: 5_000_000, window: { lastWorkingDay: '2026-12-10' } }, recordedAt: at }, applicationCase),
      noticesFor({ eventId: 'm', type: 'MaterialsAccepted', data: {}, recordedAt: at }, applicationCase),
      noticesFor({ eventId: 'o', type: 'InstalmentOverdue', data: { number: 2, dueOn: '2026-12-01', outstandingFen: 1_000_000 }, recordedAt: at }, loanCase),
    ].map((n) => n.map((x) => x.kind));
    expect(kinds).toEqual([['publicity-started'], ['materials-accepted'], ['instalment-overdue']]);
  });

  it('tells the applicant of the loan’s money, its overdue reminder and its 30-day mark, as the timeline says they were sent', () => {
    const told = (type: string, data: Record<string, unknown>) => noticesFor({ eventId: type, type, data, recordedAt: at }, loanCase);
    const disbursed = told('LoanDisbursed', { amountFen: 36_000_000, disbursedOn: '2026-12-03', schedule: [{ number: 1, dueOn: '2027-01-04', amountFen: 1_000_000 }] });
    expect(disbursed).toEqual([expect.objectContaining({ kind: 'money-recorded', recipient: { accountId: 'demo-applicant' }, title: '已放款：雏鹰计划借款申请（YC-CY-2026-000123）' })]);
    expect(disbursed[0]!.body).toContain('已于2026年12月3日放款360,000.00元');
    expect(disbursed[0]!.body).toContain('第1期还款应于2027年1月4日（含）前还清');
    expect(told('RepaymentRecorded', { amountFen: 1_000_000, paidOn: '2027-01-04' })[0]!.body).toContain('2027年1月4日的还款10,000.00元已登记');
    // Two repayments of one amount on one day are told apart: by their transfer, and the instalments each settled.
    expect(told('RepaymentRecorded', { amountFen: 1_000_000, paidOn: '2027-01-04', reference: 'ICBC-H2-R1', allocations: [{ number: 3, amountFen: 500_000 }, { number: 4, amountFen: 500_000 }] })[0]!.body).toBe(
      '您于2027年1月4日的还款10,000.00元（银行流水号 ICBC-H2-R1）已登记，计入第3、4期。各期已还和尚欠金额见办件页面。',
    );
    // Recorded otherwise than the borrower reported it: told the difference (an outsider's notice said nothing of the 1,000.00 short).
    expect(told('RepaymentRecorded', { amountFen: 800_000, paidOn: '2027-01-04', reference: 'ICBC-R1', allocations: [{ number: 1, amountFen: 800_000 }], reported: { amountFen: 900_000, paidOn: '2027-01-03' } })[0]!.body).toBe(
      '您于2027年1月4日的还款8,000.00元（银行流水号 ICBC-R1）已登记，计入第1期。您报告的金额为9,000.00元，比登记的多1,000.00元；日期为2027年1月3日。以基金登记的到账为准，如有疑问请联系基金。各期已还和尚欠金额见办件页面。',
    );
    // A lump sum settling the rest of the schedule names its instalments as a run, not thirty numbers one by one.
    const lump = told('RepaymentRecorded', { amountFen: 35_000_000, paidOn: '2027-01-04', reference: 'ICBC-ALL', allocations: [2, ...Array.from({ length: 34 }, (_, i) => i + 3), 5].map((number) => ({ number, amountFen: 1_000_000 })) });
    expect(lump[0]!.body).toContain('已登记，计入第2至36期。');
    expect(instalmentsInWords([7, 1, 2, 3, 5, 9, 10])).toBe('1至3、5、7、9、10');
    const settled = told('LoanRepaid', { totalRepaidFen: 36_000_000 });
    expect(settled[0]!.title).toBe('已结清：雏鹰计划借款申请（YC-CY-2026-000123）');
    // Settled early or on time alike: not thanked for paying 按期.
    expect(settled[0]!.body).toBe('您的雏鹰计划借款申请（YC-CY-2026-000123）已全部还清，共还款360,000.00元，本笔借款办结。');
    const reminded = told('RepaymentReminderSent', { number: 2, dueOn: '2027-02-04', outstandingFen: 1_000_000 });
    expect(reminded).toEqual([expect.objectContaining({ kind: 'instalment-overdue', title: '还款催告：雏鹰计划借款申请（YC-CY-2026-000123）' })]);
    expect(told('InstalmentDelinquent', { number: 2, dueOn: '2027-02-04', outstandingFen: 1_000_000 })[0]!.body).toContain('逾期已满 30 日');
  });

  it('says a first due date or a 公示 end in a year whose holiday arrangement is not loaded is 暂定, never a plain date', () => {
    const told = (type: string, data: Record<string, unknown>, c = loanCase) => noticesFor({ eventId: type, type, data, recordedAt: at }, c)[0]!.body;
    const schedule = (provisional: boolean) => [{ number: 1, dueOn: '2027-01-04', amountFen: 1_000_000, provisional }];
    const provisional = told('LoanDisbursed', { amountFen: 36_000_000, disbursedOn: '2026-12-03', schedule: schedule(true) });
    expect(provisional).toContain('第1期还款应于2027年1月4日（含；暂定：2027 年节假日安排尚未公布，公布后重新确定）前还清');
    // A final date is told as it is, with no 暂定.
    const final = told('LoanDisbursed', { amountFen: 36_000_000, disbursedOn: '2026-12-03', schedule: schedule(false) });
    expect(final).toContain('第1期还款应于2027年1月4日（含）前还清');
    expect(final).not.toContain('暂定');
    const publicity = (provisionalWindow: boolean) => told('PublicityStarted', { amountFen: 5_000_000, window: { lastWorkingDay: '2027-01-06', provisional: provisionalWindow } }, applicationCase);
    expect(publicity(true)).toContain('公示期至2027年1月6日（暂定：2027 年节假日安排尚未公布，公布后重新确定）');
    expect(publicity(false)).not.toContain('暂定');
  });

  it('says which call’s list an award is published on: the 公示 is of a 申报批次, not of the measure at large', () => {
    const started = (c: NoticeCase) => noticesFor({ eventId: 'p', type: 'PublicityStarted', data: { amountFen: 5_000_000, window: { lastWorkingDay: '2026-12-10' } }, recordedAt: at }, c)[0]!.body;
    expect(started({ ...applicationCase, callTitle: '2026 年黄浦平台集聚补贴（第二批）' })).toBe(
      '您的申请（YC-AP-2026-000042）拟奖励50,000.00元，已列入“2026 年黄浦平台集聚补贴（第二批）”拟资助名单，已开始公示，公示期至2026年12月10日。公示期内无异议的，奖励生效。',
    );
    // A case whose row names no call (none is published outside one) is told as before.
    expect(started(applicationCase)).toBe('您的申请（YC-AP-2026-000042）拟奖励50,000.00元，已开始公示，公示期至2026年12月10日。公示期内无异议的，奖励生效。');
  });

  it('tells the department that an applicant answered, so the case does not wait unseen in a queue', () => {
    expect(noticesFor({ eventId: 's', type: 'SupplementProvided', data: {}, recordedAt: at }, applicationCase)).toEqual([
      expect.objectContaining({ kind: 'reply-received', recipient: { department: 'huangpu' }, title: '申请人已提交补正材料：申请（YC-AP-2026-000042）' }),
    ]);
    const filing: NoticeCase = { ...loanCase, caseType: 'drama-planning-filing', referenceNo: 'BA-2026-000007', department: 'culture-tourism' };
    expect(noticesFor({ eventId: 'r', type: 'FilingResubmitted', data: {}, recordedAt: at }, filing)[0]).toMatchObject({ recipient: { department: 'culture-tourism' }, title: '申请人已修改后重新提交：微短剧规划备案（BA-2026-000007）' });
  });

  it('tells the department of an objection to a 公示, with what was said, as well as the applicant (who is not told what)', () => {
    const lodged = { objectionId: 'o1', reasons: '该作品曾以另一名称获得区级奖励。', contactRef: 'c1', lodgedBy: null, lodgedAt: at };
    const told = noticesFor({ eventId: 'o1', type: 'ObjectionLodged', data: lodged, recordedAt: at }, applicationCase);
    expect(told.map((n) => [n.kind, n.recipient])).toEqual([
      ['objection', { accountId: 'demo-applicant' }],
      ['objection', { department: 'huangpu' }],
    ]);
    expect(told[0]!.body).not.toContain('另一名称');
    expect(told[1]).toMatchObject({ title: '公示收到异议，待核查答复：申请（YC-AP-2026-000042）', body: '申请（YC-AP-2026-000042）在公示期内收到一条异议。异议内容：该作品曾以另一名称获得区级奖励。请在案件页面核查并书面答复（异议成立或不成立）；答复前奖励暂不生效。' });
  });

  it('tells the applicant what an upheld objection did to the award: withdrawn, or cut from one amount to another, and the letter that says so', () => {
    // An outside tester's applicant read only "奖励按答复撤销或调整", with no amount and no letter.
    const by = { accountId: 'hp-approver', displayName: '周审批' };
    const upheld = (remedy: object) => noticesFor({ eventId: 'u1', type: 'ObjectionUpheld', data: { objectionId: 'o1', by, answer: '集聚人数经核实为 120 人', remedy, previousAmountFen: 50_000_000, answeredAt: at }, recordedAt: at }, applicationCase);
    expect(upheld({ kind: 'reduce', amountFen: 30_000_000 })[0]).toMatchObject({
      title: '异议已答复（异议成立）：申请（YC-AP-2026-000042）',
      body: '主管部门已答复对您的申请（YC-AP-2026-000042）的异议：异议成立，核定金额由500,000.00元调整为300,000.00元，变更奖补决定书可在案件页面查看和下载。答复：集聚人数经核实为 120 人。',
    });
    expect(upheld({ kind: 'withdraw' })[0]!.body).toBe('主管部门已答复对您的申请（YC-AP-2026-000042）的异议：异议成立，奖励撤销（原核定500,000.00元），撤销奖补决定书可在案件页面查看和下载。答复：集聚人数经核实为 120 人。');
    const [dismissed] = noticesFor({ eventId: 'd1', type: 'ObjectionDismissed', data: { objectionId: 'o2', by, answer: '经核实，集聚人数属实。', answeredAt: at }, recordedAt: at }, applicationCase);
    expect(dismissed!.body).toBe('主管部门已答复对您的申请（YC-AP-2026-000042）的异议：异议不成立。答复：经核实，集聚人数属实。');
  });

  it('tells the applicant of a recovery (追回) and the day to object by, and of the answer; a stopped subsidy to the applicant, and to the department what is left to recover', () => {
    // An outsider's applicant was told of none of them, and so of no day to object by.
    const recovery: NoticeCase = { ...applicationCase, caseType: 'recovery', referenceNo: 'ZH-2026-000002', department: 'yangpu-investment' };
    const window = { startedOn: '2027-03-05', workingDays: 10, lastWorkingDay: '2027-03-19', deadlineAt: '2027-03-19T16:00:00.000Z', provisional: false };
    const [opened, ...none] = noticesFor({ eventId: 'r1', type: 'RecoveryOpened', data: { amountFen: 1_300_100, reason: '迁离杨浦后多发租房补贴', objectionWindow: window }, recordedAt: at }, recovery);
    expect(none).toEqual([]);
    expect(opened).toMatchObject({ kind: 'recovery', recipient: { accountId: 'demo-applicant' }, title: '追回通知：追回（ZH-2026-000002）' });
    expect(opened!.body).toBe('主管部门决定追回多发给您的款项13,001.00元。理由：迁离杨浦后多发租房补贴。如有异议，请于2027年3月19日（含）前在案件页面提出；请按案件页面所列方式退还。');
    const [answered] = noticesFor({ eventId: 'r2', type: 'ObjectionAnswered', data: { outcome: 'dismissed', answer: '按迁离日核算无误。' }, recordedAt: at }, recovery);
    expect(answered).toMatchObject({ kind: 'recovery', title: '追回异议已答复（异议不成立）：追回（ZH-2026-000002）', body: expect.stringContaining('答复：按迁离日核算无误。') });

    const subsidy: NoticeCase = { ...applicationCase, department: 'yangpu-investment', programmeId: 'yangpu-talent-rent' };
    const stopped = noticesFor({ eventId: 'p1', type: 'PayoutsStopped', data: { reason: 'left-yangpu', paidCount: 3, paidFen: 1_950_150, entitledFen: 650_050, recoverableFen: 1_300_100, forgoneFen: 0, stoppedAt: at }, recordedAt: at }, subsidy);
    expect(stopped.map((n) => [n.kind, n.recipient])).toEqual([
      ['payouts-stopped', { accountId: 'demo-applicant' }],
      ['payouts-stopped', { department: 'yangpu-investment' }],
    ]);
    expect(stopped[0]!.body).toContain('已发放19,501.50元，其中迁离后多发的13,001.00元将由主管部门追回');
    expect(stopped[1]!.body).toContain('请在案件页面发起追回');
    // Nothing to recover: the applicant alone is told.
    expect(noticesFor({ eventId: 'p2', type: 'PayoutsStopped', data: { paidFen: 0, recoverableFen: 0 }, recordedAt: at }, subsidy).map((n) => n.recipient)).toEqual([{ accountId: 'demo-applicant' }]);
  });

  it("tells the applicant when the official's deadline on their case page moves: which case, the new last day, and why", () => {
    // An outsider's applicant saw the date change on the case page without a word.
    const count = (lastWorkingDay: string, provisional = false) => ({ workingDays: 20, startedOn: '2026-12-01', lastWorkingDay, deadlineAt: `${lastWorkingDay}T16:00:00.000Z`, provisional });
    const reason = { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'demo-admin', displayName: '系统管理员' } };

    const [extended, ...none] = noticesFor(
      { eventId: 't1', type: 'TimeLimitExtended', data: { step: 'review', by: { accountId: 'demo-huangpu-director', displayName: '吴处长' }, reason: '需征求专家评审意见。', extraWorkingDays: 5, previous: count('2026-12-29'), current: count('2027-01-06', true), applicantTold: true, at }, recordedAt: at },
      applicationCase,
    );
    expect(none).toEqual([]);
    expect(extended).toMatchObject({ kind: 'deadline-moved', recipient: { accountId: 'demo-applicant' }, caseId: applicationCase.caseId, referenceNo: 'YC-AP-2026-000042', title: '办理期限已延长：申请（YC-AP-2026-000042）' });
    expect(extended!.body).toBe(
      '您的申请（YC-AP-2026-000042）的办理期限延长 5 个工作日，最后一天由2026年12月29日改为2027年1月6日（暂定：2027 年节假日安排尚未公布，公布后重新确定）。延长理由：需征求专家评审意见。',
    );

    const [recounted] = noticesFor({ eventId: 't2', type: 'TimeLimitRecomputed', data: { step: 'funding-decision', previous: count('2027-01-06', true), current: count('2027-01-08'), reason, at }, recordedAt: at }, loanCase);
    expect(recounted).toMatchObject({ kind: 'deadline-moved', recipient: { accountId: 'demo-applicant' }, title: '办理期限已重新计算：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(recounted!.body).toBe('您的雏鹰计划借款申请（YC-CY-2026-000123）的办理期限最后一天由2027年1月6日改为2027年1月8日。原因：2027 年节假日安排公布后重新计算。');
    const [corrected] = noticesFor({ eventId: 't3', type: 'TimeLimitRecomputed', data: { step: 'funding-decision', previous: count('2027-01-08'), current: count('2027-01-11'), reason: { ...reason, revision: 2 }, at }, recordedAt: at }, loanCase);
    expect(corrected!.body).toContain('原因：2027 年节假日安排更正后重新计算');
    const [madeFinal] = noticesFor({ eventId: 't4', type: 'TimeLimitRecomputed', data: { step: 'funding-decision', previous: count('2027-01-08', true), current: count('2027-01-08'), reason, at }, recordedAt: at }, loanCase);
    expect(madeFinal!.body).toContain('最后一天确定为2027年1月8日。');

    const filing: NoticeCase = { ...loanCase, caseType: 'drama-release-filing', referenceNo: 'BA-2026-000007', department: 'culture-tourism' };
    const [review] = noticesFor({ eventId: 't5', type: 'DeadlineRecomputed', data: { round: 1, previous: count('2027-01-04', true), current: count('2027-01-05'), reason, at }, recordedAt: at }, filing);
    expect(review).toMatchObject({ kind: 'deadline-moved', title: '审查期限已重新计算：微短剧完成片上线备案（BA-2026-000007）', body: expect.stringContaining('审查期限最后一天由2027年1月4日改为2027年1月5日') });
    const [window] = noticesFor({ eventId: 't6', type: 'CompletenessWindowRecomputed', data: { previous: count('2027-01-04', true), current: count('2027-01-05'), limitIfDeemedComplete: count('2027-01-19'), reason, at }, recordedAt: at }, loanCase);
    // The next step's limit is not on the case page yet: only the window the applicant sees is told.
    expect(window!.body).toBe('您的雏鹰计划借款申请（YC-CY-2026-000123）的材料审查期限最后一天由2027年1月4日改为2027年1月5日。原因：2027 年节假日安排公布后重新计算。');

    const close = { callId: 'c', closesAt: '2026-12-10T16:00:00.000Z', previousClosesAt: '2026-12-20T16:00:00.000Z', closedEarly: true, at };
    const [panel] = noticesFor({ eventId: 't7', type: 'CallCloseRecorded', data: { ...close, limit: { previous: count('2027-01-18'), current: count('2027-01-08') } }, recordedAt: at }, applicationCase);
    expect(panel).toMatchObject({ kind: 'deadline-moved', title: '评审办理期限已变更：申请（YC-AP-2026-000042）' });
    expect(panel!.body).toBe('您的申请（YC-AP-2026-000042）的评审办理期限最后一天由2027年1月18日改为2027年1月8日。原因：申报批次提前截止（截止日2026年12月10日），评审期限自新的截止日起计算。');
    // A close that moves no limit the applicant is shown tells nobody.
    expect(noticesFor({ eventId: 't8', type: 'CallCloseRecorded', data: close, recordedAt: at }, applicationCase)).toEqual([]);

    // A call's own limits: no applicant sees them, so nobody is told (the official who opened it is the row's applicant).
    const call: NoticeCase = { ...applicationCase, caseType: 'call', referenceNo: 'PC-2026-000003' };
    for (const type of ['TimeLimitExtended', 'TimeLimitRecomputed']) {
      expect(noticesFor({ eventId: `c-${type}`, type, data: { previous: count('2026-12-29'), current: count('2027-01-06'), reason: '预算调整', extraWorkingDays: 5 }, recordedAt: at }, call), type).toEqual([]);
    }
  });

  it('tells each party once of the department’s record that the applicant left 杨浦: the applicant, with the stop, the day, how the office knows, the amounts and whom to contact; the department, what is left to recover', () => {
    // An office that learnt of a move could not stop the payments at all; once it could, the applicant was told twice, by the record and by the stop.
    const recordedBy = { department: 'yangpu-investment', note: '市场监管登记迁出', leftOn: '2027-02-15' };
    const subsidy: NoticeCase = { ...applicationCase, department: 'yangpu-investment', programmeId: 'yangpu-talent-rent', leftYangpuRecorded: recordedBy };
    const recorded = { by: { accountId: 'demo-yangpu-approver', displayName: '钱审批' }, department: 'yangpu-investment', leftOn: '2027-02-15', note: '市场监管登记迁出', recordedAt: at };
    const stop = { reason: 'left-yangpu', paidCount: 3, paidFen: 1_950_150, entitledFen: 650_050, recoverableFen: 1_300_100, forgoneFen: 0, stoppedAt: at };
    // What one department's record gives rise to, all told: the record, the stop, the completion.
    const told = [
      ...noticesFor({ eventId: 'l1', type: 'LeftYangpuRecorded', data: recorded, recordedAt: at }, subsidy),
      ...noticesFor({ eventId: 'p1', type: 'PayoutsStopped', data: stop, recordedAt: at }, subsidy),
      ...noticesFor({ eventId: 'c1', type: 'ApplicationCompleted', data: { completedAt: at, totalPaidFen: 1_950_150 }, recordedAt: at }, subsidy),
    ];
    expect(told.map((n) => n.recipient)).toEqual([{ accountId: 'demo-applicant' }, { department: 'yangpu-investment' }]);
    expect(told[0]).toMatchObject({ kind: 'payouts-stopped', title: '杨浦区投促办登记您已迁离杨浦：杨浦人才租房补贴申请（YC-AP-2026-000042）' });
    expect(told[0]!.body).toBe(
      '杨浦区投促办登记您已于2027年2月15日迁离杨浦（依据：市场监管登记迁出），您的杨浦人才租房补贴申请（YC-AP-2026-000042）因此已停止发放：已发放19,501.50元，其中迁离后多发的13,001.00元将由主管部门追回。如与事实不符，请联系杨浦区投促办。',
    );
    expect(told[1]).toMatchObject({ kind: 'payouts-stopped', title: '停止发放，待追回：杨浦人才租房补贴申请（YC-AP-2026-000042）' });
    expect(NOTICE_EVENT_TYPES).not.toContain('LeftYangpuRecorded');
    // The applicant's own report: the stop alone tells them, in its own words.
    const reported = { ...subsidy, leftYangpuRecorded: null };
    expect(noticesFor({ eventId: 'l2', type: 'LeftYangpuReported', data: { by: { accountId: 'demo-applicant', displayName: '林小创' }, leftOn: '2027-02-15', note: '迁往浦东', reportedAt: at }, recordedAt: at }, reported)).toEqual([]);
    expect(noticesFor({ eventId: 'p2', type: 'PayoutsStopped', data: stop, recordedAt: at }, reported)[0]).toMatchObject({ title: '已停止发放：杨浦人才租房补贴申请（YC-AP-2026-000042）' });
  });

  it('tells the fund, not the borrower, that a borrower reported a repayment: the day, the amount, the bank reference and the note, to check and record', () => {
    // A borrower could not tell the fund they had paid at all; once they can, the fund's officials learn of it in 消息.
    const data = { by: { accountId: 'demo-applicant', displayName: '上海星河文化传媒有限公司' }, amountFen: 1_388_889, paidOn: '2027-01-04', reference: 'ICBC-0104', note: '第 1 期', declaredAt: at };
    const [told, ...rest] = noticesFor({ eventId: 'rd1', type: 'RepaymentDeclared', data, recordedAt: at }, loanCase);
    expect(rest).toEqual([]);
    expect(told).toMatchObject({ kind: 'repayment-declared', recipient: { department: 'yangpu-fund' }, title: '借款人报告已还款，待核对：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(told!.body).toBe('雏鹰计划借款申请（YC-CY-2026-000123）的借款人报告已于2027年1月4日还款13,888.89元（银行流水号 ICBC-0104），备注：第 1 期。请与银行到账核对，核对无误后在案件页面登记还款。');
    expect(NOTICE_EVENT_TYPES).toContain('RepaymentDeclared');
  });

  it('tells the fund that a borrower withdrew a report of a repayment it was to check: which one, and why', () => {
    const data = { by: { accountId: 'demo-applicant', displayName: '上海星河文化传媒有限公司' }, reference: 'ICBC-0104', amountFen: 13_888_890, paidOn: '2027-01-04', reason: '金额填错。', withdrawnAt: at };
    const [told, ...rest] = noticesFor({ eventId: 'rw1', type: 'RepaymentDeclarationWithdrawn', data, recordedAt: at }, loanCase);
    expect(rest).toEqual([]);
    expect(told).toMatchObject({ kind: 'repayment-declaration-withdrawn', recipient: { department: 'yangpu-fund' }, title: '借款人撤回还款申报：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(told!.body).toBe('雏鹰计划借款申请（YC-CY-2026-000123）的借款人撤回了2027年1月4日还款138,888.90元的申报（银行流水号 ICBC-0104），理由：金额填错。该笔无需再核对；借款人更正后重新报告的，将另行通知。');
    expect(NOTICE_EVENT_TYPES).toContain('RepaymentDeclarationWithdrawn');
  });

  it('tells the applicant that the fund cancelled its approval, with the reasons; tells the fund that a borrower declined an approved loan, and nobody of an earlier withdrawal', () => {
    const by = { accountId: 'demo-fund-approver', displayName: '基金审批' };
    const [cancelled, toFund, ...more] = noticesFor({ eventId: 'fc1', type: 'FundingCancelled', data: { by, reasons: ['企业已迁出杨浦区'], cancelledAt: at }, recordedAt: at }, loanCase);
    expect(more).toEqual([]);
    // The fund's officials are told too: one of them may be about to pay it out.
    expect(toFund).toMatchObject({ kind: 'decision', recipient: { department: 'yangpu-fund' }, title: '资助决定已撤销：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(toFund!.body).toContain('基金审批撤销了雏鹰计划借款申请（YC-CY-2026-000123）的资助决定，不予放款，核定额度已退回资金池。');
    expect(toFund!.body).toContain('如款项已经转出，请与借款人联系办理退回。');
    expect(cancelled).toMatchObject({ kind: 'decision', recipient: { accountId: loanCase.applicantAccountId }, title: '资助决定已撤销：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(cancelled!.body).toContain('资助决定已撤销，不予放款，本案办结。');
    expect(cancelled!.body).toContain('企业已迁出杨浦区');
    const declined = { reason: 'applicant-withdrew', detail: '已获银行贷款', withdrawnAt: at, afterApproval: true };
    expect(noticesFor({ eventId: 'aw1', type: 'ApplicationWithdrawn', data: declined, recordedAt: at }, loanCase)).toEqual([
      expect.objectContaining({ kind: 'loan-declined', recipient: { department: 'yangpu-fund' }, body: '雏鹰计划借款申请（YC-CY-2026-000123）已批准、尚未放款，借款人放弃借款，理由：已获银行贷款。无需放款，核定额度已退回资金池，本案办结。' }),
    ]);
    expect(noticesFor({ eventId: 'aw2', type: 'ApplicationWithdrawn', data: { reason: 'applicant-withdrew', detail: '申请人撤回', withdrawnAt: at }, recordedAt: at }, loanCase)).toEqual([]);
    expect(NOTICE_EVENT_TYPES).toEqual(expect.arrayContaining(['FundingCancelled', 'ApplicationWithdrawn']));
  });

  it('tells the borrower that the fund returned their report of a repayment: which one, why, and what to do if they did pay', () => {
    const data = { by: { accountId: 'demo-fund', displayName: '基金经办' }, reference: 'ICBC-0104', amountFen: 13_888_890, paidOn: '2027-01-04', reason: '截至1月8日未查到该笔到账。', rejectedAt: at };
    const [told, ...rest] = noticesFor({ eventId: 'rr1', type: 'RepaymentDeclarationRejected', data, recordedAt: at }, loanCase);
    expect(rest).toEqual([]);
    expect(told).toMatchObject({ kind: 'repayment-declaration-rejected', recipient: { accountId: loanCase.applicantAccountId }, title: '还款申报被退回：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(told!.body).toBe(
      '杨浦区 V聚场基金核对了您2027年1月4日还款138,888.90元的申报（银行流水号 ICBC-0104），未予登记，理由：截至1月8日未查到该笔到账。该笔未冲抵欠款；如确已转账，请核对回单上的金额、日期和流水号后重新报告已还款，或联系基金。',
    );
    expect(NOTICE_EVENT_TYPES).toContain('RepaymentDeclarationRejected');
  });

  it('tells the borrower when their instalments’ due dates are counted again: which moved from which day to which, and which were made final unchanged', () => {
    // A year's holidays loaded moved instalment 13 off 元旦 and made the rest of the year final; the borrower was told nothing.
    const loaded = {
      changes: [
        { number: 13, previous: { dueOn: '2027-01-01', provisional: true }, current: { dueOn: '2027-01-04', provisional: false } },
        ...[14, 15, 16].map((number) => ({ number, previous: { dueOn: `2027-0${number - 12}-01`, provisional: true }, current: { dueOn: `2027-0${number - 12}-01`, provisional: false } })),
        { number: 18, previous: { dueOn: '2027-06-01', provisional: true }, current: { dueOn: '2027-06-01', provisional: false } },
      ],
      reason: { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'demo-admin', displayName: '系统管理员' } },
      at,
    };
    const [told, ...rest] = noticesFor({ eventId: 'ir1', type: 'InstalmentDueDatesRecomputed', data: loaded, recordedAt: at }, loanCase);
    expect(rest).toEqual([]);
    expect(told).toMatchObject({ kind: 'deadline-moved', recipient: { accountId: loanCase.applicantAccountId }, title: '还款应还日已变更：雏鹰计划借款申请（YC-CY-2026-000123）' });
    expect(told!.body).toBe(
      '2027 年节假日安排公布后重新计算，您的雏鹰计划借款申请（YC-CY-2026-000123）第13期应还日由2027年1月1日改为2027年1月4日；其余第14至16、18期应还日已确定，日期不变。请按新的应还日还款，各期应还日见办件页面的还款计划。',
    );
    // A correction that moves a final day later; a day moved into a year still provisional says so.
    const corrected = { ...loaded, changes: [{ number: 3, previous: { dueOn: '2026-12-31', provisional: false }, current: { dueOn: '2027-01-04', provisional: true } }], reason: { ...loaded.reason, calendarYear: 2026, revision: 2 } };
    const [moved] = noticesFor({ eventId: 'ir2', type: 'InstalmentDueDatesRecomputed', data: corrected, recordedAt: at }, loanCase);
    expect(moved!.body).toBe(
      '2026 年节假日安排更正后重新计算，您的雏鹰计划借款申请（YC-CY-2026-000123）第3期应还日由2026年12月31日改为2027年1月4日（暂定：2027 年节假日安排尚未公布，公布后重新确定）。请按新的应还日还款，各期应还日见办件页面的还款计划。',
    );
    // Made final, none moved.
    const [confirmed] = noticesFor({ eventId: 'ir3', type: 'InstalmentDueDatesRecomputed', data: { ...loaded, changes: loaded.changes.slice(1) }, recordedAt: at }, loanCase);
    expect(confirmed).toMatchObject({ title: '还款应还日已确定：雏鹰计划借款申请（YC-CY-2026-000123）', body: expect.stringContaining('第14至16、18期应还日已确定，日期不变。') });
    expect(NOTICE_EVENT_TYPES).toContain('InstalmentDueDatesRecomputed');
  });

  it('tells the applicant and the department when an award’s 公示 is counted again: whose 公示, its old and new last day, and why', () => {
    // A year's holidays loaded moved the last day of a 公示 (the day objections may be lodged until); it was recorded and told to nobody.
    const window = (lastWorkingDay: string, provisional: boolean) => ({
      workingDays: 5,
      publishedOn: '2026-12-29',
      firstDay: '2026-12-29',
      lastWorkingDay,
      opensAt: '2026-12-28T16:00:00.000Z',
      endsAt: `${lastWorkingDay}T16:00:00.000Z`,
      provisional,
    });
    const reason = { calendarYear: 2027, revision: 1, loadedBy: { accountId: 'demo-admin', displayName: '系统管理员' } };
    const onNotice: NoticeCase = { ...applicationCase, programmeId: 'huangpu-carrier-operator' };
    const name = '黄浦内容创作特色载体运营方扶持申请（YC-AP-2026-000042）';
    const told = noticesFor({ eventId: 'pw1', type: 'PublicityWindowRecomputed', data: { previous: window('2027-01-04', true), current: window('2027-01-05', false), reason, at }, recordedAt: at }, onNotice);
    expect(told.map((n) => [n.kind, n.recipient, n.title])).toEqual([
      ['deadline-moved', { accountId: 'demo-applicant' }, `公示截止日已变更：${name}`],
      ['deadline-moved', { department: 'huangpu' }, `公示截止日已变更：${name}`],
    ]);
    expect(told[0]!.body).toBe(`2027 年节假日安排公布后重新计算，您的${name}的公示截止日由2027年1月4日改为2027年1月5日。公众可在该日24时前提出异议；公示期满无异议的，奖励生效。`);
    expect(told[1]!.body).toBe(`2027 年节假日安排公布后重新计算，${name}的公示截止日由2027年1月4日改为2027年1月5日。异议受理至该日24时，请按新的截止日受理和答复异议；期满无待答复异议的，资助自动确定。`);
    // Only the 暂定 mark went: the day is told as made final.
    const [confirmed] = noticesFor({ eventId: 'pw2', type: 'PublicityWindowRecomputed', data: { previous: window('2027-01-05', true), current: window('2027-01-05', false), reason, at }, recordedAt: at }, onNotice);
    expect(confirmed).toMatchObject({ title: `公示截止日已确定：${name}`, body: expect.stringContaining('公示截止日确定为2027年1月5日。') });
    // A case without a department to tell: the applicant alone.
    expect(noticesFor({ eventId: 'pw3', type: 'PublicityWindowRecomputed', data: { previous: window('2027-01-04', true), current: window('2027-01-05', false), reason, at }, recordedAt: at }, { ...onNotice, department: null }).map((n) => n.recipient)).toEqual([
      { accountId: 'demo-applicant' },
    ]);
    expect(NOTICE_EVENT_TYPES).toContain('PublicityWindowRecomputed');
  });

  it('tells nobody of events that ask nothing of anyone, or of a stream that is not a case', () => {
    expect(noticesFor({ eventId: 'x', type: 'ComplianceReviewPassed', data: {}, recordedAt: at }, applicationCase)).toEqual([]);
    expect(noticesFor({ eventId: 'y', type: 'SupplementRequested', data: {}, recordedAt: at }, undefined)).toEqual([]);
  });

  it('names in NOTICE_EVENT_TYPES exactly the events that tell someone (the backfill reads only those)', () => {
    for (const type of NOTICE_EVENT_TYPES) {
      // A claim tells someone only when it takes a filing over from its reviewer; a call's close, only when it moves the panel's limit;
      // a withdrawal, only when it declines a loan already approved.
      const data = { department: 'culture-tourism', takenOverFrom: { accountId: 'demo-filing-reviewer' }, limit: {}, afterApproval: true };
      expect(noticesFor({ eventId: type, type, data, recordedAt: at }, applicationCase).length, type).toBeGreaterThan(0);
    }
  });

  it('gives the same key for the same event and recipient, and different keys otherwise', () => {
    const event = { eventId: 'e9', type: 'MaterialsAccepted', data: {}, recordedAt: at };
    expect(noticesFor(event, applicationCase)[0]!.key).toBe(noticesFor(event, applicationCase)[0]!.key);
    expect(noticesFor(event, applicationCase)[0]!.key).not.toBe(noticesFor({ ...event, eventId: 'e10' }, applicationCase)[0]!.key);
    expect(noticesFor(event, applicationCase)[0]!.key).not.toBe(noticesFor(event, { ...applicationCase, applicantAccountId: 'someone-else' })[0]!.key);
  });
});

describe('reminders no event records', () => {
  // 10:00 on 3 December in Shanghai.
  const now = new Date('2026-12-03T02:00:00Z');
  const instalment = { caseId: loanCase.caseId, referenceNo: loanCase.referenceNo, applicantAccountId: 'demo-applicant', number: 3, outstandingFen: 250_000 };

  it('reminds of an instalment due within 3 days, counted in Shanghai calendar days, and not of one further off or paid', () => {
    const due = remindersDue(now, [{ ...instalment, dueOn: parseLocalDate('2026-12-06') }, { ...instalment, number: 4, dueOn: parseLocalDate('2026-12-07') }, { ...instalment, number: 5, dueOn: parseLocalDate('2026-12-04'), outstandingFen: 0 }], []);
    expect(due.map((n) => n.kind)).toEqual(['instalment-due-soon']);
    expect(due[0]!.body).toContain('第3期还款2,500.00元将于2026年12月6日到期');
  });

  it('says an instalment due in a year whose holiday arrangement is not loaded is 暂定', () => {
    const late = new Date('2027-01-01T02:00:00Z');
    const [provisional] = remindersDue(late, [{ ...instalment, dueOn: parseLocalDate('2027-01-04'), provisional: true }], []);
    expect(provisional!.body).toContain('将于2027年1月4日（暂定：2027 年节假日安排尚未公布，公布后重新确定）到期');
    const [final] = remindersDue(late, [{ ...instalment, dueOn: parseLocalDate('2027-01-04'), provisional: false }], []);
    expect(final!.body).not.toContain('暂定');
  });

  it("reminds an official's department of a deadline passing within a day, once per deadline", () => {
    const deadline = { caseId: applicationCase.caseId, referenceNo: applicationCase.referenceNo, caseType: 'application', department: 'huangpu', deadlineAt: '2026-12-03T16:00:00.000Z' };
    const first = remindersDue(now, [], [deadline, { ...deadline, caseId: 'later', deadlineAt: '2026-12-05T16:00:00.000Z' }]);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'deadline-approaching', recipient: { department: 'huangpu' } });
    expect(first[0]!.body).toContain('2026年12月3日24时');
    // Scanned again an hour later: the same reminder, so the same id and nothing new.
    expect(remindersDue(new Date(now.getTime() + 3_600_000), [], [deadline])[0]!.key).toBe(first[0]!.key);
  });
});
