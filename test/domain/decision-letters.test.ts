import { describe, expect, it } from 'vitest';
import type { ApplicationEvent } from '../../domain/applications/events.js';
import { evolveApplication, initialApplicationState, type ApplicationState } from '../../domain/applications/state.js';
import { HANDLED_SERVICE_LETTERS_PATCH, letterForApplication, letterForChuyingLoan, letterForDramaFiling, letterForRecovery, type RecoveryLetterState } from '../../domain/decisions/case-letters.js';
import { governmentOf, letterNumber, letterRegisterOf, registeredLetterNumber, rightsNotice, type LetterContent } from '../../domain/decisions/letter.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { evolveDramaFiling, initialDramaFilingState } from '../../domain/drama-filing/state.js';
import { dramaFilingTerms } from '../../domain/drama-filing/terms.js';
import { applicant, cacReviewer, filingReviewer } from '../support/actors.js';
import { cacApprover, huangpuApprover, hrssApprover, termsOf } from '../support/applications.js';
import { HANDLED_SERVICES } from '../../domain/programmes/decision-words.js';
import { dramaSubmission } from '../support/filings.js';
import { d, event, history, ref, REFERENCE_NO, COMPANY, CASE_ID } from './chuying-loan.fixtures.js';

/**
 * Given a case's history, when a decision is recorded, then its letter: the case, the measure and
 * its source, the decision and amount, the reasons, who decided and when, and the rights notice.
 */

/** The letter of the last event of `decision`, with every event of it folded, as the driver asks. */
function letterOf<E, S extends { version: number }>(evolve: (s: S, e: E) => S, initial: S, given: E[], decision: E[], build: (e: E, s: S, p: number) => LetterContent | undefined, which = 0) {
  const before = given.reduce(evolve, initial);
  const after = decision.reduce(evolve, before);
  return build(decision[which]!, after, before.version + which + 1);
}

describe('雏鹰 loan decision letters', () => {
  const loan = (given: ChuyingLoanEvent[], decision: ChuyingLoanEvent) => {
    const before = foldChuyingLoan(given);
    return letterForChuyingLoan(decision, foldChuyingLoan([decision], before), before.version + 1);
  };

  it('given a case at the fund decision, when the fund approves 360,000.00, then a 资助决定书 from 杨浦区 V聚场基金 with the amount and the 杨浦区 rights', () => {
    const letter = loan(history.fundingDecision, event.fundingApproved(36_000_000));
    expect(letter).toMatchObject({
      title: '资助决定书',
      decision: 'approve',
      referenceNo: REFERENCE_NO,
      caseId: CASE_ID,
      position: 4,
      eventType: 'FundingApproved',
      addressee: COMPANY.name,
      amountFen: 36_000_000,
      reasons: ['同意'],
      decidedBy: { name: '李决策', department: '杨浦区 V聚场基金' },
      decidedOn: '2026-01-22',
      issuer: '杨浦区 V聚场基金',
      letterNo: `杨V基金决〔2026〕${REFERENCE_NO}-4号`,
    });
    expect(letter!.decisionText).toContain('人民币 360,000.00 元');
    // The policy by the title it was issued under (seeds 001, 003), with the name people know it by.
    expect(letter!.source.document).toBe('《杨浦区打造互联网优质内容创作集聚区支持政策》（“YOUNG立方”）');
    expect(letter!.source.measure).toBe('V聚场基金“雏鹰计划”（杨浦区改革案例《打造优质内容“梦工厂”，培育发展新质生产力》）');
    expect(letter!.rights).toMatchObject({ reconsiderationDays: 60, reconsiderationBody: '杨浦区人民政府', litigationMonths: 6 });
  });

  it('given a case at the fund decision, when the fund rejects, then a 不予资助决定书 with its reasons and no amount', () => {
    expect(loan(history.fundingDecision, event.fundingRejected())).toMatchObject({ title: '不予资助决定书', decision: 'reject', amountFen: null, reasons: ['项目尚不成熟'] });
  });

  it('given a case at the 网信 review, when the content fails, then the letter is 市委网信办’s, and review goes to 上海市人民政府', () => {
    const letter = loan(history.complianceReview, event.complianceFailed(cacReviewer))!;
    expect(letter).toMatchObject({ title: '不予资助决定书', decision: 'reject', issuer: '市委网信办', decidedBy: { name: '张网信', department: '市委网信办' }, decidedOn: '2026-01-15' });
    expect(letter.rights.reconsiderationBody).toBe('上海市人民政府');
    expect(letter.letterNo).toBe(`沪网信决〔2026〕${REFERENCE_NO}-3号`);
  });

  it('events that decide nothing have no letter', () => {
    expect(loan(history.fundingDecision.slice(0, 2), event.compliancePassed())).toBeUndefined();
    expect(loan(history.awaitingDisbursement, event.disbursed())).toBeUndefined();
    expect(loan(history.completenessCheck, event.withdrawn())).toBeUndefined();
  });
});

describe('the register a letter is numbered in', () => {
  it('is the drafted number’s issuer and year, whatever the case reference; the issued number is its next serial', () => {
    const city = governmentOf('cac');
    for (const [department, register] of [['yangpu-fund', '杨V基金决〔2026〕'], ['culture-tourism', '沪文旅决〔2026〕'], ['cac', '沪网信决〔2026〕'], ['hrss', '沪人社决〔2026〕']] as const) {
      const drafted = letterNumber(department, city, 'CY-2026-000123', 7, d('2026-12-31'));
      expect(letterRegisterOf(drafted)).toBe(register);
      expect(registeredLetterNumber(register, 12)).toBe(`${register}12号`);
    }
    expect(letterRegisterOf(letterNumber('yangpu-fund', city, 'CY-2027-000001', 2, d('2027-01-04')))).toBe('杨V基金决〔2027〕');
    expect(letterRegisterOf('没有年份的文号')).toBeUndefined();
  });
});

describe('programme application decision letters', () => {
  const at = '2026-03-10T02:00:00.000Z';
  const submitted = (programmeId: string): ApplicationEvent => ({
    type: 'ApplicationSubmitted',
    data: {
      caseId: 'case-1',
      referenceNo: 'AP-2026-000007',
      applicant: ref(applicant),
      terms: termsOf(programmeId),
      facts: {},
      details: { title: '外滩光影系列短视频', summary: '' },
      requestedAmountFen: 80_000_000,
      maxAmountFen: 100_000_000,
      amountRule: '',
      submittedAt: at,
      submittedOn: d('2026-03-10'),
      completeness: { workingDays: 5, startedOn: d('2026-03-10'), lastWorkingDay: d('2026-03-17'), deadlineAt: '2026-03-17T16:00:00.000Z', provisional: false },
    },
  });
  const app = (given: ApplicationEvent[], decision: ApplicationEvent[], which = 0) =>
    letterOf<ApplicationEvent, ApplicationState>(evolveApplication, initialApplicationState(), given, decision, letterForApplication, which);

  it('given a 黄浦 creator reward at review, when approved with the award granted in the same decision, then the letter carries the granted amount', () => {
    const approved: ApplicationEvent = { type: 'ApplicationApproved', data: { by: ref(huangpuApprover), approvedAmountFen: null, notes: '', decidedAt: at, decidedOn: d('2026-03-10'), byDirector: false } };
    const granted: ApplicationEvent = {
      type: 'AwardGranted',
      data: { awardId: 'AW-1', programmeId: 'huangpu-creator-reward', catalogueVersion: '2026-11-23', applicantAccountId: applicant.accountId, itemId: 'x', amountFen: 60_000_000, awardedOn: d('2026-03-10'), plan: { kind: 'one-off' } as never },
    };
    const letter = app([submitted('huangpu-creator-reward')], [approved, granted])!;
    expect(letter).toMatchObject({ title: '给予支持决定书', decision: 'approve', amountFen: 60_000_000, position: 2, issuer: '黄浦区', letterNo: '黄优创决〔2026〕AP-2026-000007-2号' });
    expect(letter.matter).toBe('黄浦优质内容创作者奖励：外滩光影系列短视频');
    expect(letter.rights.reconsiderationBody).toBe('黄浦区人民政府');
    // Where the measure stands in 黄浦's announcement, in its words, not the catalogue's code (001 黄浦 ②).
    expect(letter.source).toEqual({ document: '黄浦区支持互联网优质内容创作四大维度举措', measure: '黄浦优质内容创作者奖励（“聚企聚才强根基”）' });
    expect(letter.reasons).toHaveLength(1);
    // The award event itself is no decision.
    expect(app([submitted('huangpu-creator-reward')], [approved, granted], 1)).toBeUndefined();
  });

  it('given an application at review, when rejected, then 不予支持 with each reason, dated in Shanghai (a decision at 17:00 UTC is the next day)', () => {
    const rejected: ApplicationEvent = { type: 'ApplicationRejected', data: { by: ref(huangpuApprover), reasons: ['作品影响力不足', '材料不实'], decidedAt: '2026-03-10T17:00:00.000Z' } };
    expect(app([submitted('huangpu-creator-reward')], [rejected])).toMatchObject({ title: '不予支持决定书', decision: 'reject', reasons: ['作品影响力不足', '材料不实'], decidedOn: '2026-03-11', amountFen: null });
  });

  it('人社 decides at the level of the measure: 杨浦 talent 落户 is reviewed by 杨浦区人民政府, the city’s 落户 by 上海市人民政府', () => {
    const approved: ApplicationEvent = { type: 'ApplicationApproved', data: { by: ref(hrssApprover), approvedAmountFen: null, notes: '符合条件', decidedAt: at, decidedOn: d('2026-03-10'), byDirector: false } };
    const district = app([submitted('yangpu-talent-hukou')], [approved])!;
    expect(district).toMatchObject({ title: '准予办理决定书', issuer: '杨浦区人力资源和社会保障局', amountFen: null });
    expect(district.rights.reconsiderationBody).toBe('杨浦区人民政府');
    expect(district.letterNo.startsWith('杨人社决〔2026〕')).toBe(true);
    const city = app([submitted('hu9-hukou')], [approved])!;
    expect(city).toMatchObject({ issuer: '上海市人力资源和社会保障局' });
    expect(city.rights.reconsiderationBody).toBe('上海市人民政府');
  });
});

describe('the letter of a service that handles a matter (盾牌行动, 合规引擎 …): 受理并办结, not 准予办理', () => {
  const at = '2026-12-05T02:00:00.000Z';
  const submitted = (programmeId: string): ApplicationEvent => ({
    type: 'ApplicationSubmitted',
    data: {
      caseId: 'case-2',
      referenceNo: 'AP-2026-000042',
      applicant: ref(applicant),
      terms: termsOf(programmeId),
      facts: {},
      details: { title: '账号遭恶意抹黑', summary: '' },
      requestedAmountFen: null,
      maxAmountFen: null,
      amountRule: '',
      submittedAt: at,
      submittedOn: d('2026-12-05'),
      completeness: { workingDays: 5, startedOn: d('2026-12-05'), lastWorkingDay: d('2026-12-11'), deadlineAt: '2026-12-11T16:00:00.000Z', provisional: false },
    },
  });
  const approved = (notes: string): ApplicationEvent => ({ type: 'ApplicationApproved', data: { by: ref(cacApprover), approvedAmountFen: null, notes, decidedAt: at, decidedOn: d('2026-12-05'), byDirector: false } });
  /** The letter as a workflow writes it: with the change (a case deciding now), or replaying a history recorded before it. */
  const letter = (programmeId: string, notes: string, withChange: boolean) => {
    const asked: string[] = [];
    const before = [submitted(programmeId)].reduce(evolveApplication, initialApplicationState());
    const decision = approved(notes);
    const content = letterForApplication(decision, evolveApplication(before, decision), before.version + 1, {
      patched: (id) => {
        asked.push(id);
        return withChange;
      },
    });
    return { content: content!, asked };
  };

  it('given a complaint or a request for guidance decided now, then the letter says 已受理并办结 and nothing of approval', () => {
    for (const handled of HANDLED_SERVICES) {
      const { content, asked } = letter(handled, '已约谈平台，侵权账号已封禁', true);
      expect(asked, handled).toEqual([HANDLED_SERVICE_LETTERS_PATCH]);
      expect(content.title, handled).toBe('受理并办结决定书');
      expect(content.decisionText, handled).toContain('本机关已受理并办结。');
      expect(content, handled).toMatchObject({ decision: 'approve', amountFen: null, reasons: ['已约谈平台，侵权账号已封禁'] });
      expect(`${content.title}${content.decisionText}${content.reasons.join('')}`, handled).not.toMatch(/准予|批准|给予支持/);
    }
    // Without 决定意见 the letter's reason is about handling, not the amount rules of a grant.
    expect(letter('hu9-shield', '', true).content.reasons).toEqual(['已按该项服务的办理程序受理，并已办理完毕。']);
  });

  it('given a history recorded before the change, then its letter is written as it was recorded (准予办理)', () => {
    const { content } = letter('hu9-shield', '已责令删除侵权内容', false);
    expect(content.title).toBe('准予办理决定书');
    expect(content.decisionText).toContain('决定准予办理。');
  });

  it('a service that grants (落户) and an award keep their letters, and ask for no change', () => {
    const granted = letter('hu9-hukou', '符合条件', true);
    expect(granted.asked).toEqual([]);
    expect(granted.content).toMatchObject({ title: '准予办理决定书', decision: 'approve' });
    expect(granted.content.decisionText).toContain('决定准予办理。');
    const award = letter('huangpu-creator-reward', '作品影响力突出', true);
    expect(award.asked).toEqual([]);
    expect(award.content.title).toBe('给予支持决定书');
    expect(award.content.decisionText).toContain('决定给予支持');
  });
});

describe('微短剧 filing decision letters', () => {
  const filed: DramaFilingEvent = {
    type: 'FilingSubmitted',
    data: {
      caseId: 'filing-1',
      referenceNo: 'BA-2026-000003',
      filingType: 'drama-planning-filing',
      applicant: ref(applicant),
      submission: dramaSubmission(),
      submittedAt: '2026-09-30T02:00:00.000Z',
      submittedOn: d('2026-09-30'),
      terms: dramaFilingTerms('drama-planning-filing'),
      deadline: { workingDays: 2, startedOn: d('2026-09-30'), lastWorkingDay: d('2026-10-09'), deadlineAt: '2026-10-09T16:00:00.000Z', provisional: false },
    },
  };
  const claimed: DramaFilingEvent = { type: 'FilingClaimed', data: { by: ref(filingReviewer), round: 1, claimedAt: '2026-10-08T02:00:00.000Z' } };
  const filing = (decision: DramaFilingEvent) => letterOf(evolveDramaFiling, initialDramaFilingState(), [filed, claimed], [decision], letterForDramaFiling);

  it('approved: 准予备案 by 市文旅局, no amount, reviewed by 上海市人民政府', () => {
    const letter = filing({ type: 'FilingApproved', data: { by: ref(filingReviewer), round: 1, notes: '', decidedAt: '2026-10-09T02:00:00.000Z' } })!;
    expect(letter).toMatchObject({ title: '准予备案决定书', decision: 'approve', amountFen: null, issuer: '市文旅局', matter: '微短剧规划备案：《外滩往事》', addressee: '上海星河文化传媒有限公司' });
    expect(letter.rights.reconsiderationBody).toBe('上海市人民政府');
  });

  it('filed under another 制作机构: addressed to the account that filed, naming the 制作机构 it stated; before the patch, to the 制作机构', () => {
    const underAnotherName: DramaFilingEvent = { ...filed, data: { ...(filed.data as Extract<DramaFilingEvent, { type: 'FilingSubmitted' }>['data']), submission: dramaSubmission({ producer: '上海东方明珠影视有限公司' }) } } as DramaFilingEvent;
    const approved: DramaFilingEvent = { type: 'FilingApproved', data: { by: ref(filingReviewer), round: 1, notes: '', decidedAt: '2026-10-09T02:00:00.000Z' } };
    const letterWith = (patched: boolean) => letterOf(evolveDramaFiling, initialDramaFilingState(), [underAnotherName, claimed], [approved], (e, s, p) => letterForDramaFiling(e, s, p, { patched: () => patched }))!;
    expect(letterWith(true)).toMatchObject({ addressee: '上海星河文化传媒有限公司', matter: '微短剧规划备案：《外滩往事》（申报的制作机构：上海东方明珠影视有限公司）' });
    expect(letterWith(false)).toMatchObject({ addressee: '上海东方明珠影视有限公司', matter: '微短剧规划备案：《外滩往事》' });
  });

  it('rejected: 不予备案 with reasons; a return for revision is not a decision', () => {
    expect(filing({ type: 'FilingRejected', data: { by: ref(filingReviewer), round: 1, reasons: ['含有违规内容'], decidedAt: '2026-10-09T02:00:00.000Z' } })).toMatchObject({
      title: '不予备案决定书',
      reasons: ['含有违规内容'],
    });
    expect(filing({ type: 'FilingReturnedForRevision', data: { by: ref(filingReviewer), round: 1, reasons: ['补充剧本'], returnedAt: '2026-10-09T02:00:00.000Z' } })).toBeUndefined();
  });
});

describe('追回 decision letters', () => {
  const state: RecoveryLetterState = {
    caseId: 'rec-1',
    referenceNo: 'ZH-2026-000002',
    applicant: { displayName: '林小创' },
    openedBy: { displayName: '王审查' },
    source: { referenceNo: 'AP-2026-000001', programmeId: 'yangpu-talent-rent', programmeName: '杨浦人才租房补贴' },
    department: 'yangpu-investment',
    amountFen: 1_600_000,
    reason: '迁离杨浦后多发的两个月租房补贴',
  };

  it('the objection window closing without an objection decides the recovery: 追回决定书 with the amount', () => {
    const letter = letterForRecovery({ type: 'ObjectionWindowClosed', data: { closedAt: '2026-04-01T16:00:00.000Z' } }, state, 2)!;
    expect(letter).toMatchObject({ title: '追回决定书', decision: 'recover', amountFen: 1_600_000, decidedOn: '2026-04-02', decidedBy: { name: '王审查', department: '杨浦区投促办' } });
    expect(letter.reasons).toEqual(['迁离杨浦后多发的两个月租房补贴', '申请人在异议期内未提出异议。']);
    expect(letter.rights.reconsiderationBody).toBe('杨浦区人民政府');
  });

  it('an objection upheld withdraws the recovery; dismissed, the recovery stands with the answer among the reasons', () => {
    const answered = (outcome: 'upheld' | 'dismissed') => ({ type: 'ObjectionAnswered', data: { by: { displayName: '钱审批' }, outcome, answer: '经核实', answeredAt: '2026-04-01T02:00:00.000Z' } }) as const;
    expect(letterForRecovery(answered('upheld'), state, 3)).toMatchObject({ title: '撤销追回决定书', decision: 'cancel-recovery' });
    expect(letterForRecovery(answered('dismissed'), state, 3)!.reasons).toContain('申请人提出的异议不成立：经核实');
    expect(letterForRecovery({ type: 'ObjectionRaised', data: {} }, state, 2)).toBeUndefined();
  });
});

describe('letter numbers and rights', () => {
  it('a number is the same for the same decision and differs by position', () => {
    const yangpu = governmentOf('yangpu-fund');
    expect(letterNumber('yangpu-fund', yangpu, 'CY-2026-000001', 7, d('2026-12-02'))).toBe('杨V基金决〔2026〕CY-2026-000001-7号');
    expect(letterNumber('yangpu-fund', yangpu, 'CY-2026-000001', 8, d('2026-12-02'))).not.toBe(letterNumber('yangpu-fund', yangpu, 'CY-2026-000001', 7, d('2026-12-02')));
  });

  it('the rights notice names 行政复议 within 60 日 to the people’s government at the same level, and 行政诉讼 within 六个月', () => {
    for (const [department, body] of [
      ['xuhui', '徐汇区人民政府'],
      ['huangpu', '黄浦区人民政府'],
      ['yangpu-investment', '杨浦区人民政府'],
      ['culture-tourism', '上海市人民政府'],
      ['cac', '上海市人民政府'],
    ] as const) {
      const { text, reconsiderationBody } = rightsNotice(governmentOf(department));
      expect(reconsiderationBody).toBe(body);
      expect(text).toContain(`60 日内向${body}申请行政复议`);
      expect(text).toContain('六个月内向有管辖权的人民法院提起行政诉讼');
    }
  });
});
