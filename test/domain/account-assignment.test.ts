import { describe, expect, it } from 'vitest';
import { assignmentOf, secondApprovalReasons, type Assignment } from '../../domain/accounts/assignment.js';

const official = (department: Assignment['department'], ...duties: Assignment['duties']): Assignment => ({ role: 'official', department, duties, applicantKind: null });
const applicant: Assignment = { role: 'applicant', department: null, duties: [], applicantKind: 'company' };
const auditor: Assignment = { role: 'auditor', department: null, duties: [], applicantKind: null };
const admin: Assignment = { role: 'admin', department: null, duties: [], applicantKind: null };

describe('which account changes wait for a second administrator', () => {
  it('every privileged role, a new account included; an applicant account does not', () => {
    expect(secondApprovalReasons(null, official('xuhui', 'reviewer'))).toEqual(['授予工作人员角色']);
    expect(secondApprovalReasons(null, auditor)).toEqual(['授予审计角色']);
    expect(secondApprovalReasons(null, admin)).toEqual(['授予管理员角色']);
    expect(secondApprovalReasons(applicant, admin)).toEqual(['授予管理员角色']);
    expect(secondApprovalReasons(official('cac', 'reviewer'), auditor)).toEqual(['授予审计角色']);
    expect(secondApprovalReasons(null, applicant)).toEqual([]);
  });

  it('an added duty or another department; never what only takes away', () => {
    expect(secondApprovalReasons(official('xuhui', 'reviewer'), official('xuhui', 'reviewer', 'director'))).toEqual(['增加职责：处长审批']);
    expect(secondApprovalReasons(official('xuhui', 'reviewer'), official('huangpu', 'reviewer'))).toEqual(['调入黄浦区']);
    expect(secondApprovalReasons(official('xuhui', 'director'), official('xuhui', 'approver'))).toEqual(['增加职责：审批']);
    expect(secondApprovalReasons(official('xuhui', 'reviewer', 'approver'), official('xuhui', 'reviewer'))).toEqual([]);
    expect(secondApprovalReasons(official('xuhui', 'reviewer'), applicant)).toEqual([]);
    expect(secondApprovalReasons(admin, applicant)).toEqual([]);
  });

  it('reads duties in one order, so the same duties compare equal', () => {
    const assigned = assignmentOf({ role: 'official', department: 'xuhui', duties: ['supervisor', 'reviewer', 'reviewer'] });
    expect(assigned).toEqual({ assignment: official('xuhui', 'reviewer', 'supervisor') });
    expect(assignmentOf({ role: 'official', duties: [] })).toEqual({ issues: [expect.objectContaining({ field: 'department' }), expect.objectContaining({ field: 'duties' })] });
  });
});
