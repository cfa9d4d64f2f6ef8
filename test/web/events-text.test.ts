import { describe, expect, it } from 'vitest';
import { dueDatesRecomputed, EVENT_TEXT, eventWhy } from '../../web/src/events-text.js';

describe('the timeline line of instalment days set again once a year is loaded', () => {
  const change = (number: number, from: string, to: string) => ({ number, previous: { dueOn: from, provisional: true }, current: { dueOn: to, provisional: false } });

  it('names each instalment whose day moved, from and to, and counts those that only became final', () => {
    const changes = [change(1, '2027-01-04', '2027-01-05'), change(2, '2027-02-04', '2027-02-04'), change(3, '2027-03-04', '2027-03-04')];
    expect(dueDatesRecomputed(changes)).toBe('第 1 期由2027年1月4日改为2027年1月5日；另有 2 期日期不变，由暂定改为确定');
    expect(EVENT_TEXT.InstalmentDueDatesRecomputed!.why!({ changes })).toBe(dueDatesRecomputed(changes));
  });

  it('says so when none moved, and when nothing changed at all', () => {
    expect(dueDatesRecomputed([change(4, '2027-04-06', '2027-04-06')])).toBe('1 期日期不变，由暂定改为确定');
    expect(dueDatesRecomputed([])).toBe('应还日期不变');
  });
});

describe('the timeline line of a deadline counted again', () => {
  it('names the last day before and after, and the arrangement it was counted on, for each kind of deadline', () => {
    const data = { previous: { lastWorkingDay: '2027-01-07', provisional: false }, current: { lastWorkingDay: '2027-01-08', provisional: false }, reason: { calendarYear: 2027, revision: 3 } };
    for (const type of ['DeadlineRecomputed', 'CompletenessWindowRecomputed', 'TimeLimitRecomputed']) {
      const why = eventWhy(type, data)!;
      expect(why, type).toMatch(/^由 2027年1月7日 改为 2027年1月8日.*（依 2027 年安排第 3 版）$/);
    }
    expect(eventWhy('TimeLimitRecomputed', { ...data, current: { lastWorkingDay: '2027-01-08', provisional: true } })).toContain('，仍为暂定');
  });
});

describe('the timeline line of an official attaching documents', () => {
  it('says who may see them and why they were attached; the applicant reading an internal one learns only that it was made', () => {
    const attached = (visibleToApplicant: boolean) => ({ by: { accountId: 'a', displayName: '陈文旅' }, department: 'culture-tourism', documents: [{ name: '现场核查记录.pdf' }, { name: '照片.png' }], note: '现场核查记录', visibleToApplicant, attachedAt: '2026-12-05T02:00:00Z' });
    // An outsider found the note, required on the form, shown nowhere.
    expect(eventWhy('OfficialDocumentsAttached', attached(false))).toBe('内部材料，申请人不可见：现场核查记录（现场核查记录.pdf、照片.png）');
    expect(eventWhy('OfficialDocumentsAttached', attached(true))).toBe('申请人可见：现场核查记录（现场核查记录.pdf、照片.png）');
    expect(eventWhy('OfficialDocumentsAttached', { internal: true, department: 'culture-tourism', attachedAt: '2026-12-05T02:00:00Z' })).toBe('内部材料，仅工作人员可见');
  });
});

describe('the timeline line of a filing claimed', () => {
  it('names a claim by the supervising official as theirs: taken over from a reviewer, or claimed unclaimed; a reviewer’s claim needs no words', () => {
    const by = { accountId: 'demo-filing-supervisor', displayName: '周分管' };
    expect(eventWhy('FilingClaimed', { by, round: 1, claimedAt: '2026-12-05T02:00:00Z', claimedAs: 'supervisor' })).toBe('由分管领导认领审查');
    expect(eventWhy('FilingClaimed', { by, round: 1, claimedAt: '2026-12-05T02:00:00Z', takenOverFrom: { accountId: 'r', displayName: '陈文旅' } })).toBe('接手 陈文旅 的审查');
    expect(eventWhy('FilingClaimed', { by: { accountId: 'r', displayName: '陈文旅' }, round: 1, claimedAt: '2026-12-05T02:00:00Z' })).toBeUndefined();
  });
});

describe('the timeline line of an approved application', () => {
  it('gives what the decider wrote (决定意见) beside the amount; a service, which has no amount, by its notes alone', () => {
    expect(eventWhy('ApplicationApproved', { approvedAmountFen: null, notes: '已约谈平台，侵权账号已封禁' })).toBe('已约谈平台，侵权账号已封禁');
    expect(eventWhy('ApplicationApproved', { approvedAmountFen: 30_000_000, notes: '材料齐全' })).toBe('核定 300,000.00 元；材料齐全');
    expect(eventWhy('ApplicationApproved', { approvedAmountFen: null, notes: '' })).toBeUndefined();
  });
});

describe('the timeline line of reasons and notes joined', () => {
  it('parts reasons that end in 。 by ； without 。；, and an approval’s amount from its notes the same way', () => {
    expect(EVENT_TEXT.ApplicationRejected!.why!({ reasons: ['排名第 2 位（共 2 位），资助名额已满，未入选。', '另一理由。'] })).toBe('排名第 2 位（共 2 位），资助名额已满，未入选；另一理由。');
    expect(EVENT_TEXT.ApplicationApproved!.why!({ approvedAmountFen: 10_000_000, notes: '经处长批准。' })).toBe('核定 100,000.00 元；经处长批准。');
  });
});

describe('the timeline lines of the panel’s work on an application', () => {
  const review = {
    callId: 'call-1', listId: 'list-1', method: 'mean', aggregate: 7_310, rank: 15, rankedOf: 40,
    sheets: [{ member: { accountId: 'demo-expert-1', displayName: '冯专家' }, scores: [], total: 7_400 }, { member: { accountId: 'demo-expert-2', displayName: '蔡专家' }, scores: [], total: 7_220 }],
    excluded: [{ member: { accountId: 'demo-expert-3', displayName: '邓专家' }, reason: '曾为该公司提供咨询' }],
  };

  it('gives the office the rank, the aggregate, how many scored and who recused; the applicant’s copy the rank and aggregate alone', () => {
    expect(eventWhy('PanelReviewRecorded', review)).toBe('第 15 位（共 40 位），综合得分 73.10；2 位评审专家有效打分；回避：邓专家');
    const { sheets: _sheets, excluded: _excluded, ...asSeenByApplicant } = review;
    expect(eventWhy('PanelReviewRecorded', asSeenByApplicant)).toBe('第 15 位（共 40 位），综合得分 73.10');
  });

  it('names a recusal and its reason to the office, and says nothing of it from the applicant’s copy', () => {
    expect(eventWhy('PanelRecusalRecorded', { callId: 'call-1', member: { accountId: 'demo-expert-3', displayName: '邓专家' }, reason: '曾为该公司提供咨询', declaredAt: '2026-12-05T02:00:00.000Z' })).toBe('邓专家 回避：曾为该公司提供咨询');
    expect(eventWhy('PanelRecusalRecorded', { callId: 'call-1', declaredAt: '2026-12-05T02:00:00.000Z' })).toBeUndefined();
  });

  it('says whether the batch decision listed the application, with the amount or the reason', () => {
    expect(eventWhy('BatchDecisionRecorded', { decision: 'selected', amountFen: 500_000, reason: null })).toBe('列入资助名单，核定 5,000.00 元');
    expect(eventWhy('BatchDecisionRecorded', { decision: 'not-selected', amountFen: null, reason: '名额已满（第 6 位，名额 5 个）' })).toBe('未列入资助名单：名额已满（第 6 位，名额 5 个）');
  });
});

describe('the timeline line of a reviewer’s score', () => {
  it('gives the office the points and the comments; the applicant’s copy, which has neither, no line (not “undefined 分”)', () => {
    expect(eventWhy('ApplicationScored', { by: { accountId: 'demo-yangpu-reviewer', displayName: '孙评审' }, score: 83, comments: '材料齐全', scoredAt: '2026-12-05T02:00:00.000Z' })).toBe('83 分：材料齐全');
    expect(eventWhy('ApplicationScored', { scoredAt: '2026-12-05T02:00:00.000Z' })).toBeUndefined();
  });
});

describe('the timeline line of a withdrawal', () => {
  it('says a loan declined once approved was declined, and gave its amount back; a withdrawal before the decision reads as it was', () => {
    expect(eventWhy('ApplicationWithdrawn', { reason: 'applicant-withdrew', detail: '已获银行贷款', afterApproval: true })).toBe('已获银行贷款（资助已批准、尚未放款时放弃借款，核定额度退回资金池）');
    expect(eventWhy('ApplicationWithdrawn', { reason: 'applicant-withdrew', detail: '申请人撤回' })).toBe('申请人撤回');
  });
});

describe('the timeline line of a repayment recorded otherwise than reported', () => {
  it('gives what the borrower reported beside what was recorded', () => {
    expect(eventWhy('RepaymentRecorded', { amountFen: 800_000, paidOn: '2027-01-04', reference: 'ICBC-R1', reported: { amountFen: 900_000, paidOn: '2027-01-03' } })).toBe('8,000.00 元，还款日 2027年1月4日，凭证 ICBC-R1（借款人报告为2027年1月3日 9,000.00 元）');
  });
});

describe('the timeline line of a loan’s money as 网信 reads it', () => {
  it('says the fund handles it and who may read it, for every event whose data the fund keeps to itself', () => {
    for (const type of ['LoanDisbursed', 'RepaymentRecorded', 'RepaymentDeclared', 'InstalmentOverdue', 'LoanRepaid']) {
      expect(eventWhy(type, { withheld: 'fund-business' }), type).toBe('由杨浦区 V聚场基金办理，明细仅基金工作人员和审计人员可见');
    }
    // The fund's own line is unchanged.
    expect(eventWhy('LoanRepaid', { totalRepaidFen: 36_000_000 })).toBe('累计还款 360,000.00 元');
  });
});
