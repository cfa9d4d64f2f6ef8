/**
 * 'admin' manages reference data (the working-day calendar) and never decides cases. 'expert' is an
 * external expert named to a call's panel: they act only on the calls whose panel names them.
 * 'public' is a member of the public without an account, objecting to an award on 公示 (no account
 * has this role). Objections recorded before it carry 'applicant' with the account id 'public'.
 */
export type Role = 'applicant' | 'official' | 'auditor' | 'admin' | 'expert' | 'system' | 'public';

/** Departments of the officials who act on cases (see the glossary in README.md). */
export const DEPARTMENTS = {
  cac: '市委网信办',
  'yangpu-fund': '杨浦区 V聚场基金',
  'culture-tourism': '市文旅局',
  'yangpu-investment': '杨浦区投促办',
  huangpu: '黄浦区',
  xuhui: '徐汇区',
  hrss: '人社部门',
} as const;
export type Department = keyof typeof DEPARTMENTS;

/**
 * Every role an actor acts in, by name: one table for the pages (web/src/format.ts), the accounts
 * (domain/accounts/assignment.ts) and the auditors' CLI and spreadsheet (audit/actor-words.ts).
 */
export const ACTOR_ROLE_NAMES: Readonly<Record<Role, string>> = { applicant: '申请人', official: '工作人员', auditor: '审计', admin: '管理员', expert: '评审专家', system: '系统', public: '公众' };

/** Who did something: recorded in every event's metadata and in the payload of human decisions. */
export interface Actor {
  accountId: string;
  displayName: string;
  role: Role;
  department?: Department;
  /** A special duty within the department: the supervising official receives escalations. */
  duty?: Duty;
}

/** 'director': approves awards above the director threshold (programme applications). */
export type Duty = 'supervisor' | 'director';

/**
 * What an official does in their department; an account holds one or more. Reviewers examine
 * (补正, completeness, 网信 review, scores, filings), approvers decide, directors decide above the
 * director threshold too, supervisors take escalated filings and 差评 follow-ups. `duty` on an
 * actor is the special one of these (director, else supervisor) that the deciders read.
 */
export const OFFICIAL_DUTIES = ['reviewer', 'approver', 'director', 'supervisor'] as const;
export type OfficialDuty = (typeof OFFICIAL_DUTIES)[number];

/** The special duty an actor carries into the deciders, from an account's duties. */
export function specialDutyOf(duties: readonly OfficialDuty[]): Duty | undefined {
  return duties.includes('director') ? 'director' : duties.includes('supervisor') ? 'supervisor' : undefined;
}

export const SYSTEM_ACTOR: Actor = { accountId: 'system', displayName: '系统', role: 'system' };

export function isOfficialOf(actor: Actor, department: Department): boolean {
  return actor.role === 'official' && actor.department === department;
}

export function isSupervisorOf(actor: Actor, department: Department): boolean {
  return isOfficialOf(actor, department) && actor.duty === 'supervisor';
}

export function isDirectorOf(actor: Actor, department: Department): boolean {
  return isOfficialOf(actor, department) && actor.duty === 'director';
}
