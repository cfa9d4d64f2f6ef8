import { ACTOR_ROLE_NAMES, DEPARTMENTS, OFFICIAL_DUTIES, type Department, type OfficialDuty } from '../cases/actor.js';
import type { FieldIssue } from '../errors.js';

/** 'expert': an external expert (评审专家) who scores on the panels that name them, and sees nothing else. */
export type AccountRole = 'applicant' | 'official' | 'auditor' | 'admin' | 'expert';

/** Who an account is, as administrators assign it: the role, and for an official the department and duties. */
export interface Assignment {
  role: AccountRole;
  department: Department | null;
  duties: OfficialDuty[];
  applicantKind: 'individual' | 'company' | null;
}

/** What a request names: optional parts, checked and normalised by `assignmentOf`. */
export interface AssignmentRequest {
  role: AccountRole;
  department?: Department;
  duties?: OfficialDuty[];
  applicantKind?: 'individual' | 'company';
}

/** A consistent assignment (an official has a department and at least one duty; nobody else has either), or the issues. */
export function assignmentOf(a: AssignmentRequest): { assignment: Assignment } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (a.role === 'official') {
    if (!a.department) issues.push({ field: 'department', message: '工作人员须属于一个部门', english: 'an official belongs to a department' });
    if (!a.duties?.length) issues.push({ field: 'duties', message: `工作人员至少担任一项职责（${OFFICIAL_DUTIES.map((d) => DUTY_NAMES[d]).join('、')}）`, english: `an official holds at least one duty: ${OFFICIAL_DUTIES.join(', ')}` });
  } else {
    if (a.department) issues.push({ field: 'department', message: '只有工作人员属于部门', english: 'only officials belong to a department' });
    if (a.duties?.length) issues.push({ field: 'duties', message: '只有工作人员担任职责', english: 'only officials hold duties' });
  }
  if (a.applicantKind && a.role !== 'applicant') issues.push({ field: 'applicantKind', message: '只有申请人区分个人或企业', english: 'only applicants apply as an individual or a company' });
  if (a.role === 'applicant' && !a.applicantKind) issues.push({ field: 'applicantKind', message: '申请人须选择以个人创作者还是企业身份申请', english: 'an applicant applies as an individual creator or a company' });
  if (issues.length) return { issues };
  return {
    assignment: {
      role: a.role,
      department: a.department ?? null,
      // Sorted, so the same duties always read (and compare) the same in events and rows.
      duties: OFFICIAL_DUTIES.filter((d) => a.duties?.includes(d)),
      applicantKind: a.role === 'applicant' ? (a.applicantKind ?? null) : null,
    },
  };
}

export const sameAssignment = (a: Assignment, b: Assignment) =>
  a.role === b.role && a.department === b.department && a.applicantKind === b.applicantKind && a.duties.join(',') === b.duties.join(',');

/**
 * Roles that see more than a member of the public: whoever holds one reads cases, or manages those
 * who do. An expert reads the applications referred to their panels, materials included.
 */
export const PRIVILEGED_ROLES: readonly AccountRole[] = ['official', 'auditor', 'admin', 'expert'];

const { applicant, official, auditor, admin, expert } = ACTOR_ROLE_NAMES;
/** The roles an account can hold, by name (a form's choices: not the system's, nor the public's). */
export const ROLE_NAMES: Record<AccountRole, string> = { applicant, official, auditor, admin, expert };
export const DUTY_NAMES: Record<OfficialDuty, string> = { reviewer: '审查', approver: '审批', director: '处长审批', supervisor: '分管' };

/** Who holds each duty, as a refusal names them: 审批人员、处长或分管领导. */
const DUTY_HOLDERS: Record<OfficialDuty, string> = { reviewer: '审查人员', approver: '审批人员', director: '处长', supervisor: '分管领导' };

/** The officials holding any of `duties`, of `department` when given: “杨浦区投资促进办公室的审批人员或处长”. */
export function officialsInWords(duties: readonly OfficialDuty[] | undefined, departments?: string): string {
  const holders = duties?.map((d) => DUTY_HOLDERS[d]) ?? [];
  const listed = holders.length === 0 ? '工作人员' : holders.length === 1 ? holders[0]! : `${holders.slice(0, -1).join('、')}或${holders.at(-1)!}`;
  return departments ? `${departments}的${listed}` : listed;
}

/**
 * Why a change from `before` (null: a new account) to `after` needs a second administrator's
 * approval, in plain words; empty when one administrator may make it at once.
 *
 * Anything that gives an account more than it had waits: a privileged role (official, auditor, or
 * admin — an administrator holds the one-time code of every account they create, so a role one
 * administrator could give alone is a role they could use themselves, and a second admin account
 * would let them approve their own grants), a duty, or another department for an official (its
 * cases, with their personal data in clear). What only takes away — a duty removed, an official made
 * an applicant — applies at once: waiting would keep alive a privilege an administrator has already
 * judged should go (someone who left, a duty given in error), and the event still names who did it.
 */
export function secondApprovalReasons(before: Assignment | null, after: Assignment): string[] {
  const reasons: string[] = [];
  if (PRIVILEGED_ROLES.includes(after.role) && before?.role !== after.role) reasons.push(`授予${ROLE_NAMES[after.role]}角色`);
  if (after.role === 'official' && before?.role === 'official') {
    if (before.department !== after.department && after.department) reasons.push(`调入${DEPARTMENTS[after.department]}`);
    const added = after.duties.filter((d) => !before.duties.includes(d));
    if (added.length) reasons.push(`增加职责：${added.map((d) => DUTY_NAMES[d]).join('、')}`);
  }
  return reasons;
}

export function describeAssignment(a: Assignment): string {
  if (a.role === 'official') return `${ROLE_NAMES.official}（${a.department ? DEPARTMENTS[a.department] : '无部门'}；${a.duties.map((d) => DUTY_NAMES[d]).join('、')}）`;
  if (a.role === 'applicant') return `${ROLE_NAMES.applicant}（${a.applicantKind === 'company' ? '企业' : '个人创作者'}）`;
  return ROLE_NAMES[a.role];
}
