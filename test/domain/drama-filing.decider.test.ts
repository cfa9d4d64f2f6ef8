import { describe, expect, it } from 'vitest';
import { packagedArrangements, packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ActorRef } from '../../domain/chuying/events.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import {
  decideDeadlineRecomputed,
  CLAIM_TAKE_OVER_CONFIRMED_PATCH,
  decideFilingSubmission,
  FILING_CLAIM_RECORDS_DUTY_PATCH,
  filingNextStep,
  nextFilingThreshold,
} from '../../domain/drama-filing/decide.js';
import type { DramaFilingEvent, DramaSubmission, ReviewDeadline } from '../../domain/drama-filing/events.js';
import { foldDramaFiling } from '../../domain/drama-filing/state.js';
import { dramaFilingTerms } from '../../domain/drama-filing/terms.js';
import { parseLocalDate, type LocalDate } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar, mergeArrangements } from '../../domain/time/working-days.js';
import { admin, applicant, auditor, filingReviewer, filingSupervisor, fundReviewer, otherApplicant, otherFilingReviewer } from '../support/actors.js';
import { givenFiling } from '../support/filing-decider-spec.js';

const d = (text: string): LocalDate => parseLocalDate(text);
const ref = (actor: Actor): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });
const calendar = packagedCalendar();
const CASE_ID = '7f1c2d3e-0000-4000-8000-0000000000f1';
const PLANNING = dramaFilingTerms('drama-planning-filing');
const RELEASE = dramaFilingTerms('drama-release-filing');

const SUBMISSION: DramaSubmission = {
  title: '外滩往事',
  producer: '上海星河文化传媒有限公司',
  episodeCount: 80,
  episodeLengthMinutes: 2,
  aiGenerated: true,
  synopsis: '一个 AI 生成的外滩爱情故事',
  platform: '抖音',
};

/** 10:00 Shanghai on a date, as epoch ms. */
const tenAm = (date: string) => Date.parse(`${date}T02:00:00Z`);

/** Written out by hand from DOMAIN.md: filed Wed 30 Sep 2026, 2 working days → Thu 8, Fri 9 Oct; due 24:00 on the 9th. */
const DEADLINE_0930: ReviewDeadline = { workingDays: 2, startedOn: d('2026-09-30'), lastWorkingDay: d('2026-10-09'), deadlineAt: '2026-10-09T16:00:00.000Z', provisional: false };

const filed: DramaFilingEvent = {
  type: 'FilingSubmitted',
  data: {
    caseId: CASE_ID,
    referenceNo: 'BA-2026-000001',
    filingType: 'drama-planning-filing',
    applicant: ref(applicant),
    submission: SUBMISSION,
    submittedAt: '2026-09-30T02:00:00.000Z',
    submittedOn: d('2026-09-30'),
    terms: PLANNING,
    deadline: DEADLINE_0930,
  },
};
const claimed = (by: Actor = filingReviewer, at = '2026-10-08T01:00:00.000Z'): DramaFilingEvent => ({ type: 'FilingClaimed', data: { by: ref(by), round: 1, claimedAt: at } });
const breached: DramaFilingEvent[] = [
  { type: 'ReviewSlaBreached', data: { round: 1, reviewer: ref(filingReviewer), lastWorkingDay: d('2026-10-09'), deadlineAt: '2026-10-09T16:00:00.000Z', at: '2026-10-09T16:00:00.000Z' } },
  {
    type: 'FilingEscalated',
    data: { round: 1, to: { role: 'official', department: 'culture-tourism', duty: 'supervisor' }, reason: '未在 2 个工作日内（2026-10-09 24:00 前）完成审查反馈', at: '2026-10-09T16:00:00.000Z' },
  },
];

describe('the review deadline: count from the first working day after the Shanghai date of submission, due at 24:00', () => {
  it.each([
    // [filed on, working days, last working day, why]
    ['2026-09-30', 2, '2026-10-09', 'National Day: 1–7 Oct off, then Thu 8, Fri 9'],
    ['2026-09-30', 5, '2026-10-13', '8, 9, Sat 10 (调休), Mon 12, Tue 13'],
    ['2026-09-18', 2, '2026-09-21', 'Fri 18 Sep → Sun 20 Sep (调休), Mon 21'],
    ['2026-02-13', 2, '2026-02-24', 'Spring Festival: Sat 14 Feb (调休), then 15–23 off, Tue 24'],
    ['2026-02-13', 5, '2026-02-27', '14 (调休), 24, 25, 26, 27'],
    ['2026-02-23', 5, '2026-02-28', 'filed on the festival’s last day off: 24, 25, 26, 27, Sat 28 Feb (调休)'],
    ['2026-02-24', 5, '2026-03-02', '25, 26, 27, Sat 28 Feb (调休), Mon 2 Mar'],
    ['2026-10-03', 2, '2026-10-09', 'filed on a holiday (Sat 3 Oct): 8, 9'],
    ['2026-10-03', 5, '2026-10-13', 'filed on a holiday: 8, 9, 10 (调休), 12, 13'],
    ['2026-03-07', 2, '2026-03-10', 'filed on an ordinary Saturday: Mon 9, Tue 10'],
  ] as const)('filed %s, %i working days → end of %s (%s)', (filedOn, workingDays, lastWorkingDay, _why) => {
    const deadline = reviewDeadline(calendar, d(filedOn), workingDays);
    expect(deadline).toEqual({
      workingDays,
      startedOn: filedOn,
      lastWorkingDay,
      // 24:00 Shanghai is 16:00 UTC the same day.
      deadlineAt: `${lastWorkingDay}T16:00:00.000Z`,
      provisional: false,
    });
  });

  it('the time-zone edge: 2026-10-09T16:30Z is Saturday 10 October in Shanghai (a working day), so counting starts on Mon 12', () => {
    const now = Date.parse('2026-10-09T16:30:00Z');
    const deadline = reviewDeadline(calendar, d('2026-10-10'), 2);
    const [event] = decideFilingSubmission(
      { caseId: CASE_ID, referenceNo: 'BA-1', filingType: 'drama-planning-filing', applicant: ref(applicant), submission: SUBMISSION },
      PLANNING,
      now,
      deadline,
    );
    expect(event).toMatchObject({ type: 'FilingSubmitted', data: { submittedOn: '2026-10-10', deadline: { lastWorkingDay: '2026-10-13', deadlineAt: '2026-10-13T16:00:00.000Z' } } });
    // A deadline computed for the UTC date (9 Oct) is refused: the clock must start on the Shanghai date.
    expect(() =>
      decideFilingSubmission(
        { caseId: CASE_ID, referenceNo: 'BA-1', filingType: 'drama-planning-filing', applicant: ref(applicant), submission: SUBMISSION },
        PLANNING,
        now,
        reviewDeadline(calendar, d('2026-10-09'), 2),
      ),
    ).toThrow(expect.objectContaining({ code: 'internal-check-failed', english: expect.stringContaining('must be computed for 2 working days from 2026-10-10') }));
  });

  it('a deadline reaching a year that is not loaded is provisional (weekends and fixed-date holidays)', () => {
    // Wed 30 Dec 2026 + 5: Thu 31 Dec, then 2027 without Fri 1 Jan (元旦): Mon 4, Tue 5, Wed 6, Thu 7 Jan.
    expect(reviewDeadline(calendar, d('2026-12-30'), 5)).toMatchObject({ lastWorkingDay: '2027-01-07', provisional: true });
    expect(reviewDeadline(calendar, d('2026-12-28'), 3)).toMatchObject({ lastWorkingDay: '2026-12-31', provisional: false });
  });
});

describe('submitting a filing', () => {
  it('records the submission with its review clock and waits for a 市文旅局 reviewer', () => {
    const events = decideFilingSubmission(
      { caseId: CASE_ID, referenceNo: 'BA-2026-000001', filingType: 'drama-planning-filing', applicant: ref(applicant), submission: SUBMISSION },
      PLANNING,
      tenAm('2026-09-30'),
      DEADLINE_0930,
    );
    expect(events).toEqual([filed]);
    const step = filingNextStep(foldDramaFiling(events));
    expect(step).toMatchObject({ status: 'awaiting-claim', waitingFor: { role: 'official', department: 'culture-tourism' }, deadline: { dueOn: '2026-10-09', provisional: false } });
  });

  it('refuses an incomplete filing and a clock of the wrong length', () => {
    const application = { caseId: CASE_ID, referenceNo: 'BA-1', filingType: 'drama-release-filing' as const, applicant: ref(applicant), submission: { ...SUBMISSION, episodeCount: 0, title: ' ' } };
    expect(() => decideFilingSubmission(application, RELEASE, tenAm('2026-09-30'), reviewDeadline(calendar, d('2026-09-30'), 5))).toThrow(expect.objectContaining({ code: 'filing-incomplete', message: '备案信息不完整，请修改以下 2 处：请填写剧名；集数须为整数，至少 1 集。' }));
    // A release filing is reviewed within 5 working days, not 2.
    expect(() => decideFilingSubmission({ ...application, submission: SUBMISSION }, RELEASE, tenAm('2026-09-30'), DEADLINE_0930)).toThrow(expect.objectContaining({ code: 'internal-check-failed', english: expect.stringContaining('5 working days') }));
  });
});

describe('claiming and deciding', () => {
  const at = tenAm('2026-10-08');

  it('a 市文旅局 official claims an unclaimed filing', () => {
    givenFiling([filed]).when({ type: 'ClaimFiling' }, { actor: filingReviewer, now: at }).then([claimed(filingReviewer, '2026-10-08T02:00:00.000Z')]);
  });

  it.each([
    ['another department', fundReviewer, 'forbidden', '市文旅局'],
    ['the applicant', applicant, 'forbidden', '市文旅局'],
    ['an auditor', auditor, 'forbidden', '审计人员只能查看案件'],
    ['an admin', admin, 'forbidden', '管理员负责日历和账户'],
  ] as const)('refuses a claim by %s', (_who, actor, kind, part) => {
    givenFiling([filed]).when({ type: 'ClaimFiling' }, { actor, now: at }).thenThrows(kind, part);
  });

  it('a claimed filing is decided by its reviewer only, not by a colleague', () => {
    givenFiling([filed, claimed()]).when({ type: 'ApproveFiling', notes: '' }, { actor: otherFilingReviewer, now: at }).thenThrows('forbidden', '陈文旅');
    givenFiling([filed, claimed()]).when({ type: 'ClaimFiling' }, { actor: otherFilingReviewer, now: at }).thenThrows('illegal-state', '本备案由 陈文旅 审查中');
    givenFiling([filed, claimed()])
      .when({ type: 'ApproveFiling', notes: '内容健康' }, { actor: filingReviewer, now: at })
      .then([{ type: 'FilingApproved', data: { by: ref(filingReviewer), round: 1, notes: '内容健康', decidedAt: '2026-10-08T02:00:00.000Z' } }]);
  });

  it('an unclaimed filing cannot be decided', () => {
    givenFiling([filed]).when({ type: 'ApproveFiling', notes: '' }, { actor: filingReviewer, now: at }).thenThrows('illegal-state', '目前处于“待认领审查”，不能办理“备案通过”');
  });

  it('a return or rejection gives reasons', () => {
    givenFiling([filed, claimed()]).when({ type: 'ReturnFilingForRevision', reasons: [] }, { actor: filingReviewer, now: at }).thenThrows('validation', '须写明理由');
    givenFiling([filed, claimed()]).when({ type: 'RejectFiling', reasons: ['  '] }, { actor: filingReviewer, now: at }).thenThrows('validation', '须写明理由');
    const rejected = givenFiling([filed, claimed()]).when({ type: 'RejectFiling', reasons: ['含有违规内容'] }, { actor: filingReviewer, now: at }).events();
    const state = foldDramaFiling([filed, claimed(), ...rejected]);
    expect(state).toMatchObject({ status: 'rejected', reasons: ['含有违规内容'] });
    expect(nextFilingThreshold(state)).toBeUndefined();
  });
});

describe('交回待认领: a claimed filing handed back to the queue', () => {
  const at = tenAm('2026-10-08');
  const released = (by: Actor, reason: string): DramaFilingEvent => ({ type: 'FilingClaimReleased', data: { by: ref(by), round: 1, from: ref(filingReviewer), reason, releasedAt: '2026-10-08T02:00:00.000Z' } });

  it('by its holder, with a reason: back to 待认领 with nobody holding it, the deadline unchanged, and a colleague claims it afresh', () => {
    const spec = givenFiling([filed, claimed()]);
    spec.when({ type: 'ReleaseFiling', reason: ' 休假 ' }, { actor: filingReviewer, now: at }).then([released(filingReviewer, '休假')]);
    const state = foldDramaFiling([filed, claimed(), released(filingReviewer, '休假')]);
    expect(state.status).toBe('awaiting-claim');
    expect(state.rounds[0]).toEqual({ round: 1, submittedAt: filed.data.submittedAt, submittedOn: d('2026-09-30'), deadline: DEADLINE_0930 });
    expect(nextFilingThreshold(state)).toEqual(nextFilingThreshold(foldDramaFiling([filed])));
    givenFiling([filed, claimed(), released(filingReviewer, '休假')])
      .when({ type: 'ClaimFiling' }, { actor: otherFilingReviewer, now: at })
      .then([{ type: 'FilingClaimed', data: { by: ref(otherFilingReviewer), round: 1, claimedAt: '2026-10-08T02:00:00.000Z' } }]);
  });

  it('by the supervising official, of a claim a reviewer holds; not by a colleague, not without a reason, not unclaimed', () => {
    givenFiling([filed, claimed()]).when({ type: 'ReleaseFiling', reason: '陈文旅休假，改由他人审查' }, { actor: filingSupervisor, now: at }).then([released(filingSupervisor, '陈文旅休假，改由他人审查')]);
    const colleague = givenFiling([filed, claimed()]).when({ type: 'ReleaseFiling', reason: '我来审' }, { actor: otherFilingReviewer, now: at }).thenThrows('forbidden', '只有认领人或分管领导可以交回待认领');
    expect(colleague.code).toBe('claimant-releases');
    givenFiling([filed, claimed()]).when({ type: 'ReleaseFiling', reason: '  ' }, { actor: filingReviewer, now: at }).thenThrows('validation', '须写明理由');
    givenFiling([filed]).when({ type: 'ReleaseFiling', reason: '休假' }, { actor: filingReviewer, now: at }).thenThrows('illegal-state', '目前处于“待认领审查”，不能办理“交回待认领”');
    givenFiling([filed, claimed()]).when({ type: 'ReleaseFiling', reason: '休假' }, { actor: applicant, now: at }).thenThrows('forbidden', '市文旅局');
  });
});

describe('return for revision (退回修改): the clock stops; a resubmission starts a new one', () => {
  const returned: DramaFilingEvent = { type: 'FilingReturnedForRevision', data: { by: ref(filingReviewer), round: 1, reasons: ['第 3 集字幕缺失'], returnedAt: '2026-10-08T03:00:00.000Z' } };

  it('stops the clock: no reminder or breach while the producer revises', () => {
    const state = foldDramaFiling([filed, claimed(), returned]);
    expect(state.status).toBe('returned');
    expect(nextFilingThreshold(state)).toBeUndefined();
    givenFiling([filed, claimed(), returned]).whenTimeIs(Date.parse('2026-10-20T00:00:00Z')).then([]);
    expect(filingNextStep(state)).toMatchObject({ waitingFor: { role: 'applicant' }, flagged: false });
  });

  it('only the applicant resubmits, and the new clock counts from the day of resubmission', () => {
    const resubmission = { type: 'ResubmitFiling' as const, submission: { ...SUBMISSION, synopsis: '补齐字幕' }, changeNote: '补齐第 3 集字幕' };
    givenFiling([filed, claimed(), returned]).when(resubmission, { actor: otherApplicant, now: tenAm('2026-10-12') }).thenThrows('forbidden', '只有本备案的申请人可以修改后重新提交');
    // Resubmitted Mon 12 Oct: the new clock is Tue 13, Wed 14 — not the old 9 Oct.
    const deadline = reviewDeadline(calendar, d('2026-10-12'), 2);
    expect(deadline.lastWorkingDay).toBe('2026-10-14');
    const events = givenFiling([filed, claimed(), returned]).when(resubmission, { actor: applicant, now: tenAm('2026-10-12'), deadline }).events();
    expect(events).toEqual([
      {
        type: 'FilingResubmitted',
        data: { by: ref(applicant), round: 2, submission: resubmission.submission, changeNote: '补齐第 3 集字幕', resubmittedAt: '2026-10-12T02:00:00.000Z', submittedOn: '2026-10-12', deadline },
      },
    ]);
    const state = foldDramaFiling([filed, claimed(), returned, ...events]);
    expect(state.status).toBe('awaiting-claim');
    expect(state.rounds.map((r) => [r.round, r.deadline!.lastWorkingDay, r.outcome])).toEqual([
      [1, '2026-10-09', 'returned'],
      [2, '2026-10-14', undefined],
    ]);
    // Reminder at 00:00 Shanghai on Wed 14 Oct (16:00 UTC on the 13th).
    expect(nextFilingThreshold(state)).toBe(Date.parse('2026-10-13T16:00:00Z'));
    // A resubmission needs its clock computed first (by the activity).
    givenFiling([filed, claimed(), returned]).when(resubmission, { actor: applicant, now: tenAm('2026-10-12') }).thenThrows('illegal-state', 'review deadline must be computed');
  });
});

describe('time: a reminder at the start of the last working day, breach and escalation at its end', () => {
  const reminderAt = Date.parse('2026-10-08T16:00:00Z'); // 00:00 Fri 9 Oct Shanghai
  const deadlineAt = Date.parse('2026-10-09T16:00:00Z'); // 24:00 Fri 9 Oct Shanghai

  it('nothing happens a millisecond before the start of the last working day', () => {
    expect(nextFilingThreshold(foldDramaFiling([filed, claimed()]))).toBe(reminderAt);
    givenFiling([filed, claimed()]).whenTimeIs(reminderAt - 1).then([]);
  });

  it('reminds the reviewer at 00:00 of the last working day', () => {
    givenFiling([filed, claimed()])
      .whenTimeIs(reminderAt)
      .then([
        {
          type: 'ReviewReminderSent',
          data: { round: 1, to: ref(filingReviewer), department: 'culture-tourism', lastWorkingDay: d('2026-10-09'), deadlineAt: '2026-10-09T16:00:00.000Z', at: '2026-10-08T16:00:00.000Z' },
        },
      ]);
  });

  it('at 24:00 without a decision: an SLA breach and an escalation to the supervising official; the case stays open and flagged', () => {
    const reminded: DramaFilingEvent = {
      type: 'ReviewReminderSent',
      data: { round: 1, to: ref(filingReviewer), department: 'culture-tourism', lastWorkingDay: d('2026-10-09'), deadlineAt: '2026-10-09T16:00:00.000Z', at: '2026-10-08T16:00:00.000Z' },
    };
    expect(nextFilingThreshold(foldDramaFiling([filed, claimed(), reminded]))).toBe(deadlineAt);
    givenFiling([filed, claimed(), reminded]).whenTimeIs(deadlineAt - 1).then([]);
    givenFiling([filed, claimed(), reminded]).whenTimeIs(deadlineAt).then(breached);
    const state = foldDramaFiling([filed, claimed(), reminded, ...breached]);
    expect(state.status).toBe('in-review');
    expect(filingNextStep(state)).toMatchObject({ flagged: true, status: 'in-review' });
    expect(nextFilingThreshold(state)).toBeUndefined();
  });

  it('an unclaimed filing breaches too; a deadline passed at once is not also reminded', () => {
    const events = givenFiling([filed]).whenTimeIs(deadlineAt + 5_000).events();
    expect(events.map((e) => e.type)).toEqual(['ReviewSlaBreached', 'FilingEscalated']);
    expect(events[0]!.data).toMatchObject({ reviewer: null });
  });

  it('the supervising official may take over a claimed filing before it is late too (its reviewer left or was disabled); a colleague may not; a history from before replays refusing it', () => {
    const history = [filed, claimed()];
    const at = Date.parse('2026-10-09T02:00:00Z');
    givenFiling(history)
      .when({ type: 'ClaimFiling', takeOver: true }, { actor: filingSupervisor, now: at })
      .then([{ type: 'FilingClaimed', data: { by: ref(filingSupervisor), round: 1, claimedAt: '2026-10-09T02:00:00.000Z', takenOverFrom: ref(filingReviewer) } }]);
    givenFiling(history).when({ type: 'ClaimFiling' }, { actor: otherFilingReviewer, now: at }).thenThrows('illegal-state', '请分管领导接手');
    givenFiling(history).when({ type: 'ClaimFiling' }, { actor: filingSupervisor, now: at, legacy: true }).thenThrows('illegal-state', '超期上报后，仅分管领导可以接手');
  });

  it('the supervising official takes over a claimed filing only when the request says so: without it, refused naming who holds it and how; a history from before replays taking it', () => {
    const history = [filed, claimed()];
    const at = Date.parse('2026-10-09T02:00:00Z');
    const refused = givenFiling(history).when({ type: 'ClaimFiling' }, { actor: filingSupervisor, now: at }).thenThrows('illegal-state', `本备案正由 ${filingReviewer.displayName} 认领审查`, '请勾选“确认接手”');
    expect(refused.code).toBe('take-over-not-confirmed');
    expect(refused.message).not.toMatch(/[A-Za-z]/);
    expect(refused.issues).toEqual([expect.objectContaining({ field: 'takeOver', code: 'take-over-not-confirmed' })]);
    // Asked of a take-over only, as the workflow asks it: a history recorded before the change replays the claim.
    const asked: string[] = [];
    givenFiling(history)
      .when({ type: 'ClaimFiling' }, { actor: filingSupervisor, now: at, patched: (id) => (asked.push(id), false) })
      .then([{ type: 'FilingClaimed', data: { by: ref(filingSupervisor), round: 1, claimedAt: '2026-10-09T02:00:00.000Z', takenOverFrom: ref(filingReviewer) } }]);
    expect(asked).toContain(CLAIM_TAKE_OVER_CONFIRMED_PATCH);
    // An unclaimed filing is claimed as before, with or without it, and nothing is asked.
    const none: string[] = [];
    givenFiling([filed]).when({ type: 'ClaimFiling' }, { actor: filingReviewer, now: at, patched: (id) => (none.push(id), true) }).then([{ type: 'FilingClaimed', data: { by: ref(filingReviewer), round: 1, claimedAt: '2026-10-09T02:00:00.000Z' } }]);
    expect(none).toEqual([]);
    // A colleague is still refused, whatever the request says.
    givenFiling(history).when({ type: 'ClaimFiling', takeOver: true }, { actor: otherFilingReviewer, now: at }).thenThrows('illegal-state', '请分管领导接手');
  });

  it('a colleague refused a filing the supervising official has taken over is told that the supervisor has it, not asked to have them take it over', () => {
    const takenOver: DramaFilingEvent = { type: 'FilingClaimed', data: { by: ref(filingSupervisor), round: 1, claimedAt: '2026-10-09T02:00:00.000Z', takenOverFrom: ref(filingReviewer) } };
    const history = [filed, claimed(), takenOver];
    expect(foldDramaFiling(history).rounds[0]).toMatchObject({ reviewer: ref(filingSupervisor), takenOverFrom: ref(filingReviewer) });
    const at = Date.parse('2026-10-09T03:00:00Z');
    for (const colleague of [otherFilingReviewer, filingReviewer]) {
      givenFiling(history).when({ type: 'ClaimFiling' }, { actor: colleague, now: at }).thenThrows('illegal-state', `本备案已由分管领导 ${filingSupervisor.displayName} 接手办理，不能再认领。`);
      givenFiling(history).when({ type: 'ClaimFiling' }, { actor: colleague, now: at, legacy: true }).thenThrows('illegal-state', `本备案已由分管领导 ${filingSupervisor.displayName} 接手办理`);
    }
    // Held by a reviewer who claimed it, the refusal still names the way to another reviewer.
    givenFiling([filed, claimed()]).when({ type: 'ClaimFiling' }, { actor: otherFilingReviewer, now: at }).thenThrows('illegal-state', '请分管领导接手');
  });

  it('the supervising official claiming an unclaimed filing records that the claim is theirs, and a colleague is told the supervisor has it, not asked to have them take it over', () => {
    const at = Date.parse('2026-10-08T02:00:00Z');
    const asked: string[] = [];
    const patched = (id: string) => (asked.push(id), true);
    const [direct] = givenFiling([filed]).when({ type: 'ClaimFiling' }, { actor: filingSupervisor, now: at, patched }).events();
    expect(direct).toEqual({ type: 'FilingClaimed', data: { by: ref(filingSupervisor), round: 1, claimedAt: '2026-10-08T02:00:00.000Z', claimedAs: 'supervisor' } });
    expect(asked).toEqual([FILING_CLAIM_RECORDS_DUTY_PATCH]);
    const history = [filed, direct!];
    expect(foldDramaFiling(history).rounds[0]).toMatchObject({ reviewer: ref(filingSupervisor), claimedAs: 'supervisor' });
    for (const colleague of [otherFilingReviewer, filingReviewer]) {
      givenFiling(history).when({ type: 'ClaimFiling' }, { actor: colleague, now: at }).thenThrows('illegal-state', `本备案已由分管领导 ${filingSupervisor.displayName} 认领办理，不能再认领。`);
      givenFiling(history).when({ type: 'ApproveFiling', notes: '' }, { actor: colleague, now: at }).thenThrows('forbidden', `本备案由 分管领导 ${filingSupervisor.displayName} 认领`);
    }
    expect(filingNextStep(foldDramaFiling(history)).waitingFor).toMatchObject({ accountId: filingSupervisor.accountId, note: `分管领导 ${filingSupervisor.displayName} 审查` });
    // The supervisor decides what they claimed.
    givenFiling(history).when({ type: 'ApproveFiling', notes: '同意' }, { actor: filingSupervisor, now: at }).then([{ type: 'FilingApproved', data: { by: ref(filingSupervisor), round: 1, notes: '同意', decidedAt: '2026-10-08T02:00:00.000Z' } }]);
  });

  it('a reviewer’s claim asks for no change and records what it always did; a history recorded before the change replays the supervisor’s claim as it was', () => {
    const at = Date.parse('2026-10-08T02:00:00Z');
    const asked: string[] = [];
    givenFiling([filed]).when({ type: 'ClaimFiling' }, { actor: filingReviewer, now: at, patched: (id) => (asked.push(id), true) }).then([claimed(filingReviewer, '2026-10-08T02:00:00.000Z')]);
    expect(asked).toEqual([]);
    givenFiling([filed]).when({ type: 'ClaimFiling' }, { actor: filingSupervisor, now: at, patched: () => false }).then([claimed(filingSupervisor, '2026-10-08T02:00:00.000Z')]);
  });

  it('after escalation the supervising official may take over and decide; a colleague still may not', () => {
    const history = [filed, claimed(), ...breached];
    const at = Date.parse('2026-10-10T02:00:00Z');
    givenFiling(history).when({ type: 'ClaimFiling' }, { actor: otherFilingReviewer, now: at }).thenThrows('illegal-state', '请分管领导接手');
    givenFiling(history)
      .when({ type: 'ClaimFiling', takeOver: true }, { actor: filingSupervisor, now: at })
      .then([{ type: 'FilingClaimed', data: { by: ref(filingSupervisor), round: 1, claimedAt: '2026-10-10T02:00:00.000Z', takenOverFrom: ref(filingReviewer) } }]);
    givenFiling(history)
      .when({ type: 'ApproveFiling', notes: '超期，分管领导审定' }, { actor: filingSupervisor, now: at })
      .then([{ type: 'FilingApproved', data: { by: ref(filingSupervisor), round: 1, notes: '超期，分管领导审定', decidedAt: '2026-10-10T02:00:00.000Z' } }]);
    // Before escalation the supervisor does not decide a colleague's filing.
    givenFiling([filed, claimed()]).when({ type: 'ApproveFiling', notes: '' }, { actor: filingSupervisor, now: at }).thenThrows('forbidden');
  });
});

describe('a provisional deadline is recomputed when its year is loaded', () => {
  const provisional: ReviewDeadline = { workingDays: 5, startedOn: d('2026-12-30'), lastWorkingDay: d('2027-01-06'), deadlineAt: '2027-01-06T16:00:00.000Z', provisional: true };
  const filedDec30: DramaFilingEvent = { ...filed, data: { ...(filed.data as Extract<DramaFilingEvent, { type: 'FilingSubmitted' }>['data']), filingType: 'drama-release-filing', terms: RELEASE, submittedAt: '2026-12-30T02:00:00.000Z', submittedOn: d('2026-12-30'), deadline: provisional } };
  const reason = { calendarYear: 2027, revision: 1, loadedBy: ref(admin) };
  // A made-up 2027 arrangement (the real one is not published): New Year 1–3 Jan off.
  const with2027 = createWorkingDayCalendar(mergeArrangements(packagedArrangements(), [{ year: 2027, holidays: [d('2027-01-01'), d('2027-01-02'), d('2027-01-03')], makeUpWorkdays: [] }]));

  it('records the old and the new deadline: 31 Dec, Mon 4, Tue 5, Wed 6, Thu 7 Jan', () => {
    const recomputed = reviewDeadline(with2027, d('2026-12-30'), 5);
    expect(recomputed).toMatchObject({ lastWorkingDay: '2027-01-07', provisional: false });
    const events = decideDeadlineRecomputed(foldDramaFiling([filedDec30]), recomputed, reason, Date.parse('2026-12-31T01:00:00Z'));
    expect(events).toEqual([{ type: 'DeadlineRecomputed', data: { round: 1, previous: provisional, current: recomputed, reason, at: '2026-12-31T01:00:00.000Z' } }]);
    const state = foldDramaFiling([filedDec30, ...events]);
    expect(nextFilingThreshold(state)).toBe(Date.parse('2027-01-06T16:00:00Z'));
  });

  it('records nothing for a final deadline, a closed clock, or a recomputation that changes nothing', () => {
    expect(decideDeadlineRecomputed(foldDramaFiling([filed]), DEADLINE_0930, reason, 0)).toEqual([]);
    expect(decideDeadlineRecomputed(foldDramaFiling([filedDec30]), provisional, reason, 0)).toEqual([]);
    const returned: DramaFilingEvent = { type: 'FilingReturnedForRevision', data: { by: ref(filingReviewer), round: 1, reasons: ['x'], returnedAt: '2026-12-31T01:00:00.000Z' } };
    const claimedDec: DramaFilingEvent = { type: 'FilingClaimed', data: { by: ref(filingReviewer), round: 1, claimedAt: '2026-12-30T03:00:00.000Z' } };
    expect(decideDeadlineRecomputed(foldDramaFiling([filedDec30, claimedDec, returned]), reviewDeadline(with2027, d('2026-12-30'), 5), reason, 0)).toEqual([]);
  });
});
