import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dramaSubmissionBody } from '../../api/schemas/drama-filing.schemas.js';
import { grantsAction } from '../../cases/case-module.js';
import { dramaFilingCase, dramaSubmissionFields } from '../../cases/drama-filing.case.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ActorRef } from '../../domain/chuying/events.js';
import { actorRefusal, ensureFilingActionAllowed } from '../../domain/drama-filing/decide.js';
import type { DramaFilingEvent, DramaSubmission, ReviewDeadline } from '../../domain/drama-filing/events.js';
import { foldDramaFiling, type DramaFilingState } from '../../domain/drama-filing/state.js';
import { dramaFilingTerms } from '../../domain/drama-filing/terms.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { planFields, type JsonSchema } from '../../web/src/schema-form.js';
import { admin, applicant, auditor, filingReviewer, filingSupervisor, fundReviewer, otherApplicant, otherFilingReviewer } from '../support/actors.js';

const ref = (actor: Actor): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });
const action = (name: string) => dramaFilingCase.actions.find((a) => a.name === name)!;

const SUBMISSION: DramaSubmission = {
  title: '外滩往事',
  producer: '上海星河文化传媒有限公司',
  episodeCount: 80,
  episodeLengthMinutes: 2,
  aiGenerated: true,
  synopsis: '一个 AI 生成的外滩爱情故事',
  platform: '抖音',
};
const DEADLINE: ReviewDeadline = { workingDays: 2, startedOn: parseLocalDate('2026-09-30'), lastWorkingDay: parseLocalDate('2026-10-09'), deadlineAt: '2026-10-09T16:00:00.000Z', provisional: false };
const filed: DramaFilingEvent = {
  type: 'FilingSubmitted',
  data: {
    caseId: '7f1c2d3e-0000-4000-8000-0000000000f1',
    referenceNo: 'BA-2026-000001',
    filingType: 'drama-planning-filing',
    applicant: ref(applicant),
    submission: SUBMISSION,
    submittedAt: '2026-09-30T02:00:00.000Z',
    submittedOn: parseLocalDate('2026-09-30'),
    terms: dramaFilingTerms('drama-planning-filing'),
    deadline: DEADLINE,
  },
};
const claimed: DramaFilingEvent = { type: 'FilingClaimed', data: { by: ref(filingReviewer), round: 1, claimedAt: '2026-10-08T01:00:00.000Z' } };
const escalated: DramaFilingEvent[] = [
  { type: 'ReviewSlaBreached', data: { round: 1, reviewer: ref(filingReviewer), lastWorkingDay: DEADLINE.lastWorkingDay, deadlineAt: DEADLINE.deadlineAt, at: DEADLINE.deadlineAt } },
  {
    type: 'FilingEscalated',
    data: { round: 1, to: { role: 'official', department: 'culture-tourism', duty: 'supervisor' }, reason: '超期', at: DEADLINE.deadlineAt },
  },
];
const returned: DramaFilingEvent = { type: 'FilingReturnedForRevision', data: { by: ref(filingReviewer), round: 1, reasons: ['第 3 集字幕缺失', '片名需与立项一致'], returnedAt: '2026-10-08T03:00:00.000Z' } };

const awaitingClaim = foldDramaFiling([filed]);
const inReview = foldDramaFiling([filed, claimed]);
const inReviewEscalated = foldDramaFiling([filed, claimed, ...escalated]);
const returnedState = foldDramaFiling([filed, claimed, returned]);

describe('the drama filing module declares what the old workflow, routes and pages did', () => {
  it('keeps the workflow type, query, stream types and the Temporal update of each action', () => {
    expect(dramaFilingCase).toMatchObject({ caseType: 'drama-filing', workflowType: 'dramaFilingWorkflow', stateQuery: 'dramaFilingState', streamTypes: ['drama-planning-filing', 'drama-release-filing'] });
    expect(dramaFilingCase.streamTypeOf({ filingType: 'drama-release-filing' } as never)).toBe('drama-release-filing');
    // The names of workflows/drama-filing.messages.ts, which running cases and recorded histories use.
    expect(dramaFilingCase.actions.map((a) => [a.name, a.type, a.update, a.at])).toEqual([
      ['claim', 'ClaimFiling', 'claimFiling', ['awaiting-claim', 'in-review']],
      // Since 2026-12-07: 交回待认领.
      ['release', 'ReleaseFiling', 'releaseFiling', ['in-review']],
      ['approve', 'ApproveFiling', 'approveFiling', ['in-review']],
      ['return-for-revision', 'ReturnFilingForRevision', 'returnFilingForRevision', ['in-review']],
      ['reject', 'RejectFiling', 'rejectFiling', ['in-review']],
      ['resubmit', 'ResubmitFiling', 'resubmitFiling', ['returned']],
      // Issue 14: 附加材料, shared by the case types (cases/attach-documents-action.ts).
      ['attach-documents', 'AttachDocuments', 'attachDocuments', ['awaiting-claim', 'in-review', 'returned']],
    ]);
  });

  it('grants each action to whom its route granted it', () => {
    // The routes' grants before issue 11 (api/authorization/permissions.ts).
    const reviewers = { official: { duties: ['reviewer', 'supervisor'], departments: ['culture-tourism'] } };
    expect(Object.fromEntries(dramaFilingCase.actions.map((a) => [a.name, a.who]))).toEqual({
      claim: reviewers,
      release: reviewers,
      approve: reviewers,
      'return-for-revision': reviewers,
      reject: reviewers,
      resubmit: { applicant: true },
      'attach-documents': { official: {} },
    });
    const account = (role: string, department?: string, duties: string[] = []) => ({ role, department, duties }) as Parameters<typeof grantsAction>[1];
    expect(grantsAction(action('approve').who, account('official', 'culture-tourism', ['supervisor']))).toBe(true);
    expect(grantsAction(action('approve').who, account('official', 'culture-tourism', ['approver']))).toBe(false);
    expect(grantsAction(action('approve').who, account('official', 'yangpu-fund', ['reviewer']))).toBe(false);
    expect(grantsAction(action('resubmit').who, account('applicant'))).toBe(true);
    expect(grantsAction(action('claim').who, account('applicant'))).toBe(false);
  });

  it('accepts and refuses exactly the bodies the API did (expectedVersion is the route\'s)', () => {
    const filing = { ...SUBMISSION };
    // Each body, and whether the action routes before issue 11 accepted it.
    const samples: Record<string, [unknown, boolean][]> = {
      claim: [
        [{}, true],
        [{ note: 'x' }, false],
      ],
      approve: [
        [{}, true],
        [{ notes: ' 同意 ' }, true],
        [{ notes: 'x'.repeat(2001) }, false],
        [{ notes: 1 }, false],
        [{ notes: 'a\u0001b' }, false],
      ],
      'return-for-revision': [
        [{ reasons: ['字幕缺失'] }, true],
        [{ reasons: [] }, false],
        [{ reasons: ['  '] }, false],
        [{}, false],
        [{ reasons: 'x' }, false],
      ],
      reject: [
        [{ reasons: ['违规'] }, true],
        [{ reasons: Array(20).fill('x') }, true],
        [{ reasons: Array(21).fill('x') }, false],
        [{ reasons: ['x'.repeat(501)] }, false],
      ],
      resubmit: [
        [{ filing, changeNote: '补齐字幕' }, true],
        [{ filing }, true],
        [{ filing: { ...filing, episodeLengthMinutes: 2.5, episodeCount: 10_000 } }, true],
        [{ filing: { ...filing, episodeCount: 0 } }, false],
        [{ filing: { ...filing, episodeCount: 10_001 } }, false],
        [{ filing: { ...filing, episodeCount: 2.5 } }, false],
        [{ filing: { ...filing, episodeLengthMinutes: 0 } }, false],
        [{ filing: { ...filing, episodeLengthMinutes: 601 } }, false],
        [{ filing: { ...filing, aiGenerated: 'yes' } }, false],
        [{ filing: { ...filing, title: '  ' } }, false],
        [{ filing: { ...filing, title: 'x'.repeat(201) } }, false],
        [{ filing: { ...filing, platform: 'x'.repeat(101) } }, false],
        [{ filing: { ...filing, synopsis: 'x'.repeat(5001) } }, false],
        [{ filing: { ...filing, extra: 1 } }, false],
        [{ filing: { ...filing, synopsis: undefined } }, false],
        [{ filing, changeNote: 'x'.repeat(2001) }, false],
        [{ submission: filing }, false],
      ],
    };
    for (const [name, bodies] of Object.entries(samples)) {
      for (const [body, accepted] of bodies) expect(action(name).body.safeParse(body).success, `${name} ${JSON.stringify(body)}`).toBe(accepted);
    }
    expect(action('approve').body.parse({ notes: ' 同意 ' })).toEqual({ notes: '同意' });
    expect(action('resubmit').body.parse({ filing: { ...filing, title: ' 外滩往事 ' } })).toEqual({ filing, changeNote: '' });
    // The opening route's body is the same shape, and asks the category (普通/重点, issue 14), which a resubmission keeps.
    expect([...Object.keys(dramaSubmissionFields.shape), 'category'].sort()).toEqual(Object.keys(dramaSubmissionBody.shape).sort());
  });

  it('states the filing once: the opening route documents each field by the label the form shows, and refuses as the resubmission does', () => {
    // The route's body had been a copy with other messages and, in the OpenAPI document, no titles but the drama's name.
    const titles = (schema: z.ZodType) => Object.fromEntries(Object.entries((z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, { title?: string }> }).properties).map(([k, v]) => [k, v.title]));
    expect(titles(dramaSubmissionBody)).toEqual({ ...titles(dramaSubmissionFields), category: '微短剧类别' });
    expect(titles(dramaSubmissionBody)).toMatchObject({ producer: '制作机构', episodeCount: '集数', platform: '播出平台', aiGenerated: '使用生成式人工智能制作', synopsis: '剧情梗概' });
    const { aiGenerated: _left, ...withoutAnswer } = SUBMISSION;
    const opened = dramaSubmissionBody.safeParse(withoutAnswer);
    const resubmitted = action('resubmit').body.safeParse({ filing: withoutAnswer });
    expect(opened.error?.issues.map((i) => i.message)).toEqual(['请选择是否使用生成式人工智能制作']);
    expect(resubmitted.error?.issues.map((i) => i.message)).toEqual(opened.error?.issues.map((i) => i.message));
  });

  it('makes the commands the routes made', () => {
    expect(action('claim').toCommand({})).toEqual({ type: 'ClaimFiling' });
    expect(action('approve').toCommand({ notes: '' })).toEqual({ type: 'ApproveFiling', notes: '' });
    expect(action('return-for-revision').toCommand({ reasons: ['a'] })).toEqual({ type: 'ReturnFilingForRevision', reasons: ['a'] });
    expect(action('reject').toCommand({ reasons: ['a'] })).toEqual({ type: 'RejectFiling', reasons: ['a'] });
    expect(action('resubmit').toCommand({ filing: SUBMISSION, changeNote: '改' })).toEqual({ type: 'ResubmitFiling', submission: SUBMISSION, changeNote: '改' });
  });

  it('draws the forms the pages drew: the filing form nested under filing.*, prefilled with what was filed, and the return reasons above it', () => {
    const form = (name: string, state: DramaFilingState) => planFields(z.toJSONSchema(action(name).body, { io: 'input', unrepresentable: 'any' }) as JsonSchema, action(name).prefill?.(state), { today: '2026-12-02' });
    const resubmit = form('resubmit', returnedState);
    expect(resubmit.map((f) => [f.name, f.kind, f.label, f.value])).toEqual([
      ['filing.title', 'text', '剧名', '外滩往事'],
      ['filing.producer', 'text', '制作机构', '上海星河文化传媒有限公司'],
      ['filing.episodeCount', 'integer', '集数', '80'],
      ['filing.episodeLengthMinutes', 'number', '单集时长（分钟）', '2'],
      ['filing.platform', 'text', '播出平台', '抖音'],
      ['filing.aiGenerated', 'checkbox', '使用生成式人工智能制作', 'true'],
      ['filing.synopsis', 'textarea', '剧情梗概', '一个 AI 生成的外滩爱情故事'],
      // The files filed with it (none here), with the document picker: a storyboard the reviewer asked for goes here.
      ['filing.documents', 'documents', '备案材料（可选）', ''],
      ['changeNote', 'textarea', '修改说明（可选）', ''],
    ]);
    expect(resubmit.find((f) => f.name === 'filing.platform')!.hint).toBe('例如：抖音、快手、红果短剧');
    expect(action('resubmit').explain!(returnedState)).toBe('退回修改意见：第 3 集字幕缺失；片名需与立项一致');
    expect(form('approve', inReview).map((f) => [f.name, f.kind, f.label])).toEqual([['notes', 'textarea', '审查意见（可选）']]);
    expect(form('return-for-revision', inReview).map((f) => [f.name, f.kind, f.label, f.hint])).toEqual([['reasons', 'lines', '需修改的内容', '每行一条']]);
    expect(form('reject', inReview).map((f) => [f.name, f.kind, f.label, f.hint])).toEqual([['reasons', 'lines', '不予备案的理由', '每行一条']]);
    // 确认接手 is asked only of a filing someone has claimed (the API leaves it out elsewhere: notAsked).
    expect(action('claim').notAsked!(awaitingClaim)).toEqual(['takeOver']);
    expect(action('claim').notAsked!(inReview)).toEqual([]);
    expect(form('claim', inReview).map((f) => [f.name, f.kind, f.label])).toEqual([['takeOver', 'checkbox', '确认接手']]);
    // 附加材料 draws the document picker (schema-form's 'documents' kind), a note and the visibility box.
    expect(form('attach-documents', inReview).map((f) => [f.name, f.kind])).toEqual([['documents', 'documents'], ['note', 'textarea'], ['visibleToApplicant', 'checkbox']]);
    expect(dramaFilingCase.actions.map((a) => [a.name, a.label, a.submit ?? a.label, a.done, a.tone])).toEqual([
      ['claim', '认领审查', '认领', '已认领，请在期限内反馈。', undefined],
      ['release', '交回待认领', '交回', '已交回待认领：本科室审查人员可以认领，审查期限不变。', undefined],
      ['approve', '备案通过', '通过', '备案已通过。', undefined],
      ['return-for-revision', '退回修改', '退回修改', '已退回修改。', undefined],
      ['reject', '不予备案', '不予备案', '已记录不予备案及理由。', 'danger'],
      ['resubmit', '修改后重新提交', '重新提交', '已重新提交，新的审查期限已开始计算。', undefined],
      ['attach-documents', '附加材料', '附加', '材料已附加到本案。', undefined],
    ]);
  });
});

describe('who may take a filing action, in plain Chinese, by the rules the decider refuses with', () => {
  const why = (name: string, state: DramaFilingState, actor: Actor) => action(name).availability(state, actor, Date.parse('2026-10-08T05:00:00Z'));

  it('any official of 市文旅局 claims an unclaimed filing; once claimed, only the supervising official takes it over', () => {
    expect(why('claim', awaitingClaim, filingReviewer)).toBeUndefined();
    expect(why('claim', awaitingClaim, fundReviewer)).toBe('备案由市文旅局审查人员认领审查。');
    expect(why('claim', inReview, filingReviewer)).toBe('您已认领本备案。');
    expect(why('claim', inReview, otherFilingReviewer)).toBe('本备案由 陈文旅 审查中；如需改由他人审查，请分管领导接手，或由认领人（或分管领导）交回待认领后再认领。');
    expect(why('claim', inReview, filingSupervisor)).toBeUndefined();
    expect(why('claim', inReviewEscalated, filingSupervisor)).toBeUndefined();
    expect(why('claim', inReviewEscalated, otherFilingReviewer)).toBe('本备案由 陈文旅 审查中；如需改由他人审查，请分管领导接手，或由认领人（或分管领导）交回待认领后再认领。');
    // Once the supervising official has taken it over, the page says who has it.
    const takenOver = foldDramaFiling([filed, claimed, { type: 'FilingClaimed', data: { by: ref(filingSupervisor), round: 1, claimedAt: '2026-10-08T03:00:00.000Z', takenOverFrom: ref(filingReviewer) } }]);
    expect(why('claim', takenOver, otherFilingReviewer)).toBe(`本备案已由分管领导 ${filingSupervisor.displayName} 接手办理，不能再认领。`);
    // Only the claimant has taken the claim already (the page offers it no more); the others are refused it.
    const taken = (state: DramaFilingState, actor: Actor) => action('claim').alreadyTaken!(state, actor);
    expect([taken(inReview, filingReviewer), taken(inReview, otherFilingReviewer), taken(inReviewEscalated, filingSupervisor), taken(awaitingClaim, filingReviewer)]).toEqual([true, false, false, false]);
  });

  it('only the claimant decides, or the supervising official once it is escalated', () => {
    for (const name of ['approve', 'return-for-revision', 'reject']) {
      expect(why(name, inReview, filingReviewer)).toBeUndefined();
      expect(why(name, inReview, otherFilingReviewer)).toBe('本备案由 陈文旅 认领，只有认领人（或超期上报后的分管领导）可以作出决定。');
      expect(why(name, inReview, filingSupervisor)).toBe('本备案由 陈文旅 认领，只有认领人（或超期上报后的分管领导）可以作出决定。');
      expect(why(name, inReviewEscalated, filingSupervisor)).toBeUndefined();
      expect(why(name, inReviewEscalated, otherFilingReviewer)).toBe('本备案由 陈文旅 认领，已超期上报；只有认领人或分管领导可以作出决定。');
      expect(why(name, awaitingClaim, filingReviewer)).toBe('请先认领，再作出决定。');
      expect(why(name, inReview, fundReviewer)).toBe('备案由市文旅局审查人员作出决定。');
    }
  });

  it('only the applicant of the filing resubmits it; auditors and administrators act on none', () => {
    expect(why('resubmit', returnedState, applicant)).toBeUndefined();
    expect(why('resubmit', returnedState, otherApplicant)).toBe('只有本备案的申请人可以修改后重新提交。');
    expect(why('resubmit', returnedState, filingReviewer)).toBe('只有本备案的申请人可以修改后重新提交。');
    expect(why('approve', inReview, auditor)).toBe('审计人员只能查看案件，不能办理。');
    expect(why('claim', awaitingClaim, admin)).toBe('管理员负责日历和账户，不办理案件。');
    // 交回待认领: the claimant or the supervising official, once claimed.
    expect(why('release', inReview, filingReviewer)).toBeUndefined();
    expect(why('release', inReview, filingSupervisor)).toBeUndefined();
    expect(why('release', inReview, otherFilingReviewer)).toBe('本备案由 陈文旅 认领，只有认领人或分管领导可以交回待认领。');
    expect(why('release', inReview, fundReviewer)).toBe('备案由市文旅局审查人员办理。');
  });

  it('is the decider\'s own refusal: each reason shown goes with the error the workflow refuses with', () => {
    const cases: [DramaFilingState, Parameters<typeof ensureFilingActionAllowed>[1], Actor][] = [
      [inReview, { type: 'ClaimFiling' }, filingReviewer],
      [inReview, { type: 'ClaimFiling' }, otherFilingReviewer],
      [awaitingClaim, { type: 'ClaimFiling' }, applicant],
      [inReview, { type: 'ApproveFiling', notes: '' }, otherFilingReviewer],
      [inReview, { type: 'RejectFiling', reasons: ['x'] }, fundReviewer],
      [returnedState, { type: 'ResubmitFiling', submission: SUBMISSION, changeNote: '' }, otherApplicant],
    ];
    for (const [state, command, actor] of cases) {
      const refusal = actorRefusal(state, command.type, actor)!;
      expect(refusal.zh).toBe(action(dramaFilingCase.actions.find((a) => a.type === command.type)!.name).availability(state, actor, 0));
      expect(() => ensureFilingActionAllowed(state, command, actor)).toThrow(refusal.error.message);
      expect(() => dramaFilingCase.check(state, command, { actor, now: 0, legacy: false })).toThrow(refusal.error);
    }
    expect(actorRefusal(inReviewEscalated, 'ApproveFiling', filingSupervisor)).toBeUndefined();
    expect(() => ensureFilingActionAllowed(inReviewEscalated, { type: 'ApproveFiling', notes: '' }, filingSupervisor)).not.toThrow();
  });
});

describe('what the driver reads of a filing', () => {
  it('finds it by its own filing type and 市文旅局, under no programme; names it as the old refusals did', () => {
    const input = { filingType: 'drama-planning-filing', terms: dramaFilingTerms('drama-planning-filing'), referenceNo: 'BA-2026-000001' } as never;
    expect(dramaFilingCase.searchView(inReview, input)).toEqual({
      caseType: 'drama-planning-filing',
      status: 'in-review',
      referenceNo: 'BA-2026-000001',
      department: 'culture-tourism',
      nextDeadline: Date.parse('2026-10-08T16:00:00.000Z'),
    });
    expect(dramaFilingCase.describe(inReview)).toEqual({ zh: '备案 BA-2026-000001', en: 'filing BA-2026-000001' });
    expect(dramaFilingCase.nextStep(returnedState)).toMatchObject({ status: 'returned', waitingFor: { role: 'applicant' } });
    expect(dramaFilingCase.statuses['in-review']).toBe('审查中');
  });

  it('recomputes only a provisional deadline on a running clock, asking the calendar nothing otherwise', async () => {
    const asked: unknown[] = [];
    const recomputed: ReviewDeadline = { ...DEADLINE, lastWorkingDay: parseLocalDate('2026-10-12'), deadlineAt: '2026-10-12T16:00:00.000Z', provisional: false };
    const ask = {
      caseId: 'c',
      now: () => Date.parse('2026-10-08T05:00:00Z'),
      uuid: () => 'u',
      lookups: { computeReviewDeadline: async (input: unknown) => (asked.push(input), recomputed) },
    } as never;
    const reason = { calendarYear: 2026, revision: 2, loadedBy: ref(admin) };
    expect(await dramaFilingCase.calendar!.recompute(inReview, reason, ask)).toEqual([]);
    expect(await dramaFilingCase.calendar!.recompute(returnedState, reason, ask)).toEqual([]);
    expect(asked).toEqual([]);
    const provisional = foldDramaFiling([{ ...filed, data: { ...(filed.data as object), deadline: { ...DEADLINE, provisional: true } } } as DramaFilingEvent, claimed]);
    const events = await dramaFilingCase.calendar!.recompute(provisional, reason, ask);
    expect(asked).toEqual([{ startedOn: DEADLINE.startedOn, workingDays: 2 }]);
    expect(events).toEqual([{ type: 'DeadlineRecomputed', data: { round: 1, previous: { ...DEADLINE, provisional: true }, current: recomputed, reason, at: '2026-10-08T05:00:00.000Z' } }]);
  });
});
