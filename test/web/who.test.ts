import { describe, expect, it } from 'vitest';
import { waitingForWho, whoTookIt } from '../../web/src/who.js';

describe('the case page names who acts and who acted, in words that are true', () => {
  const me = { accountId: 'acct-creator' };
  const applicant = { accountId: 'acct-creator', name: '星河传媒' };

  it('says 已办结 only of a case that ended: a case on 公示 waits on nobody, yet is open', () => {
    expect(waitingForWho({ waitingFor: null, applicant, finished: true, statusLabel: '已办结' }, me)).toBe('无（已办结）');
    expect(waitingForWho({ waitingFor: null, applicant, finished: false, statusLabel: '公示中' }, me)).toBe('暂无（公示中）');
    expect(waitingForWho({ waitingFor: { role: 'applicant', note: '' }, applicant, finished: false, statusLabel: '待补正' }, me)).toBe('您');
  });

  it('names the director of a batch decision the system recorded, and the public without a role', () => {
    const system = { accountId: 'system', displayName: '系统', role: 'system' };
    expect(whoTookIt({ actor: system, data: { by: { accountId: 'a-hp-3', displayName: '郑处长' }, batchId: 'B-1', reasons: ['名额已满'] } })).toBe('郑处长（批次决定，由系统记入本案）');
    // A step of the system's own (a deadline passing) stays the system's.
    expect(whoTookIt({ actor: system, data: { finalisedOn: '2026-12-10' } })).toBe('系统（自动）');
    // Recorded with role public since 2026-12-05, with role applicant before: both are the public.
    expect(whoTookIt({ actor: { accountId: 'public', displayName: '公众', role: 'public' }, data: { reasons: '材料不实' } })).toBe('公众');
    expect(whoTookIt({ actor: { accountId: 'public', displayName: '公众', role: 'applicant' }, data: { reasons: '材料不实' } })).toBe('公众');
    expect(whoTookIt({ actor: { accountId: 'a-hp-1', displayName: '黄评审', role: 'official', department: 'huangpu' }, data: {} })).toMatch(/^黄评审（.+）$/);
    expect(whoTookIt({ actor: undefined })).toBe('—');
  });

  it('names the payment plan, not the approver, for a payment recorded with the approval', () => {
    // An outsider's timeline credited a one-off payout (发放 第 1/1 笔) to the director who approved the award.
    const director = { accountId: 'a-hp-4', displayName: '沈处长', role: 'official', department: 'huangpu' };
    expect(whoTookIt({ type: 'PayoutIssued', actor: director, data: { number: 1, of: 1, amountFen: 1_000_000_000 } })).toBe('系统（按发放计划，与沈处长的办理一并记入）');
    expect(whoTookIt({ type: 'ApplicationApproved', actor: director, data: {} })).toMatch(/^沈处长（.+）$/);
    expect(whoTookIt({ type: 'PayoutIssued', actor: { accountId: 'system', displayName: '系统', role: 'system' }, data: { number: 2, of: 36 } })).toBe('系统（自动）');
  });

  it('names the system, not the expert, for an application referred to the panel when the expert first touched it', () => {
    const expert = { accountId: 'a-expert-1', displayName: '专家甲', role: 'expert' };
    expect(whoTookIt({ type: 'ApplicationReferred', actor: expert, data: {} })).toBe('系统（专家甲首次办理该申请时自动提交评审）');
    expect(whoTookIt({ type: 'ScoreSubmitted', actor: expert, data: {} })).toMatch(/^专家甲/);
  });
});
