import { PUBLIC_OBJECTOR } from '../domain/applications/in-call.js';
import { ACTOR_ROLE_NAMES, DEPARTMENTS, type Department, type Role } from '../domain/cases/actor.js';

/** An actor as an event's metadata records it: its role and department as written, known or not. */
type Recorded = { accountId: string; displayName: string; role: string; department?: string } | null | undefined;

/**
 * The role an event's actor acted in, by name. An objection lodged without signing in is the public's,
 * whatever role it was recorded with (those recorded before the role existed carry 'applicant'). A
 * role no table knows is shown as recorded: an auditor needs to see exactly what is there.
 */
export function roleInWords(actor: Recorded): string {
  if (!actor?.role) return '';
  if (actor.accountId === PUBLIC_OBJECTOR.accountId) return ACTOR_ROLE_NAMES.public;
  return ACTOR_ROLE_NAMES[actor.role as Role] ?? actor.role;
}

/** The department an event's actor acted for, by name; one no table knows is shown as recorded. */
export function departmentInWords(actor: Recorded): string {
  return actor?.department ? (DEPARTMENTS[actor.department as Department] ?? actor.department) : '';
}

/** Who recorded an event, for the auditor: 王审查（工作人员，杨浦区 V聚场基金）; 系统 alone for the system. */
export function actorInWords(actor: Recorded): string {
  if (!actor) return '（未记录操作人）';
  const as = [roleInWords(actor), departmentInWords(actor)].filter((w) => w && w !== actor.displayName);
  return as.length ? `${actor.displayName}（${as.join('，')}）` : actor.displayName;
}
