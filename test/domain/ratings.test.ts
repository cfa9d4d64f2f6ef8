import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { decideCloseFollowUp, decideRating, departmentOfCase, ratingState, type RatedCase } from '../../domain/ratings/rating.js';

const ended: RatedCase = { caseId: 'c1', referenceNo: 'CY-2026-000001', caseType: 'chuying-loan', applicantAccountId: 'app-1', ended: true, department: 'yangpu-fund' };
const applicant = { accountId: 'app-1', displayName: '星河文化', role: 'applicant' };
const now = Date.parse('2026-11-23T02:00:00Z');
const rate = (score: number, comment = '', subject = ended, by = applicant) => decideRating(subject, { rated: false }, { score, comment, by, taskId: 't1', now });

const refusal = (work: () => unknown): DomainError => {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('好差评 (rating a case once it has ended)', () => {
  it('a rating of 4 is recorded and opens no follow-up', () => {
    const events = rate(4, '办理很快');
    expect(events.map((e) => e.type)).toEqual(['CaseRated']);
    expect(events[0]!.data).toMatchObject({ score: 4, comment: '办理很快', department: 'yangpu-fund', ratedAt: '2026-11-23T02:00:00.000Z' });
  });

  it.each([1, 2])('a rating of %i opens a follow-up task for the supervisor of the department that handled the case', (score) => {
    const events = rate(score, '等太久了');
    expect(events.map((e) => e.type)).toEqual(['CaseRated', 'FollowUpTaskOpened']);
    expect(events[1]!.data).toMatchObject({ taskId: 't1', department: 'yangpu-fund', assignee: { role: 'official', department: 'yangpu-fund', duty: 'supervisor' }, score });
  });

  it('a rating of 1 or 2 must say what went wrong', () => {
    expect(refusal(() => rate(2, '  ')).issues).toEqual([expect.objectContaining({ field: 'comment', message: '差评请说明原因', code: 'low-rating-reason-required' })]);
  });

  it('refuses scores outside 1–5, a case still running, a second rating and anyone but its applicant', () => {
    expect(refusal(() => rate(6, 'x')).kind).toBe('validation');
    expect(refusal(() => rate(0, 'x')).kind).toBe('validation');
    expect(refusal(() => rate(5, '', { ...ended, ended: false })).kind).toBe('illegal-state');
    expect(refusal(() => decideRating(ended, { rated: true }, { score: 5, comment: '', by: applicant, taskId: 't', now })).kind).toBe('illegal-state');
    expect(refusal(() => rate(5, '', ended, { accountId: 'app-2', displayName: '别人', role: 'applicant' })).kind).toBe('forbidden');
    expect(refusal(() => rate(5, '', ended, { accountId: 'off-1', displayName: '王审查', role: 'official' })).kind).toBe('forbidden');
  });

  it("only the handling department's supervisor closes the follow-up, once, saying what was done", () => {
    const state = ratingState(rate(1, '没人回复'));
    expect(state).toEqual({ rated: true, followUp: { taskId: 't1', department: 'yangpu-fund', open: true } });
    const supervisor = { accountId: 's1', displayName: '孙分管', role: 'official', department: 'yangpu-fund', duty: 'supervisor' };
    expect(refusal(() => decideCloseFollowUp(state, { by: { ...supervisor, duty: undefined }, note: '已回访', now })).kind).toBe('forbidden');
    expect(refusal(() => decideCloseFollowUp(state, { by: { ...supervisor, department: 'cac' }, note: '已回访', now })).kind).toBe('forbidden');
    expect(refusal(() => decideCloseFollowUp(state, { by: supervisor, note: ' ', now })).kind).toBe('validation');
    const closed = decideCloseFollowUp(state, { by: supervisor, note: '已回访', now });
    expect(closed).toEqual([{ type: 'FollowUpTaskClosed', data: { taskId: 't1', by: { accountId: 's1', displayName: '孙分管' }, note: '已回访', closedAt: '2026-11-23T02:00:00.000Z' } }]);
    expect(refusal(() => decideCloseFollowUp(ratingState([...rate(1, '没人回复'), ...closed]), { by: supervisor, note: '再次', now })).kind).toBe('illegal-state');
    expect(refusal(() => decideCloseFollowUp(ratingState(rate(5)), { by: supervisor, note: 'x', now })).kind).toBe('illegal-state');
  });

  it("finds a case's department whatever its status: the row's department, else the first that sees it, else the programme's terms", () => {
    // A 徐汇 application withdrawn before 受理: its row still names 徐汇区.
    expect(departmentOfCase({ department: 'xuhui', departments: ['xuhui'] })).toBe('xuhui');
    expect(departmentOfCase({ department: null, departments: ['culture-tourism'] })).toBe('culture-tourism');
    expect(departmentOfCase({ department: null, departments: [], termsDepartment: 'huangpu' })).toBe('huangpu');
    expect(departmentOfCase({ department: null, departments: null, termsReviewingDepartment: 'culture-tourism' })).toBe('culture-tourism');
    expect(departmentOfCase({ department: null, departments: [] })).toBeNull();
  });
});
