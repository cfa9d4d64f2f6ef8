export type Role = 'applicant' | 'official' | 'auditor' | 'system';

/** Departments of the officials who act on cases (see the glossary in README.md). */
export const DEPARTMENTS = {
  cac: '市委网信办',
  'yangpu-fund': '杨浦区 V聚场基金',
  'culture-tourism': '市文旅局',
} as const;
export type Department = keyof typeof DEPARTMENTS;

/** Who did something: recorded in every event's metadata and in the payload of human decisions. */
export interface Actor {
  accountId: string;
  displayName: string;
  role: Role;
  department?: Department;
}

export const SYSTEM_ACTOR: Actor = { accountId: 'system', displayName: '系统', role: 'system' };

export function isOfficialOf(actor: Actor, department: Department): boolean {
  return actor.role === 'official' && actor.department === department;
}
