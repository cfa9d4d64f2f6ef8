import { ACTOR_ROLE_NAMES, type Actor } from './actor.js';
import { refusal, type Refusal } from '../errors.js';

/**
 * No applicant acts on a case as an official (DOMAIN.md, segregation of duties): an account that
 * applied, and was later made an official or an expert, may not take a single step on the case it
 * applied with — not 认领, not a review, not a decision, not 附加材料. Every case type alike: the
 * workflow's validator asks this before the module's own rules, and the case page offers each step
 * disabled with these words. A case type nobody applies for (a call: its "applicant" is the official
 * who opened it) says so with `appliedFor: false`, and has no such refusal.
 */
export function ownCaseRefusal(actor: Pick<Actor, 'accountId' | 'role'>, applicantAccountId: string | null | undefined, caseType: { appliedFor?: false }): Refusal | undefined {
  if (caseType.appliedFor === false || actor.role === 'applicant' || !applicantAccountId || actor.accountId !== applicantAccountId) return undefined;
  const as = ACTOR_ROLE_NAMES[actor.role];
  return refusal('forbidden', {
    code: 'own-case',
    zh: `本案是您本人作为申请人提交的，不能以${as}身份办理；请由其他${as}办理。`,
    en: `this case was applied for by this account; its ${actor.role} may not act on it`,
  });
}
