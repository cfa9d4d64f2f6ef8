import { findProgramme } from './catalogue.js';

/**
 * How a favourable decision on an application is told, by what the measure is: an award or a service
 * that is granted (落户, 职称, 房源, 推荐 …) 已获批准; a service that handles what the applicant brings —
 * a complaint of rights infringed (盾牌行动, and the 网信 fast channel that takes them in 杨浦), a request
 * for guidance (合规引擎), a suggestion (众智平台), a risk warning asked for (成长小助手) — is 受理并办结:
 * nothing is granted, and 已获批准 said of a complaint reads as if the complaint were approved.
 */
export type FavourableDecision = 'granted' | 'handled';

/** The services of the catalogue that handle a matter rather than grant something (domain/programmes/catalogue.ts). */
export const HANDLED_SERVICES: readonly string[] = [
  // 002 Q6–7: 盾牌行动, rights protection (敲诈勒索, 造谣诽谤 …), handled with priority by the 网信 office.
  'hu9-shield',
  // 002 Q6–7: 合规引擎, generative-AI compliance guidance.
  'hu9-compliance-engine',
  // 002 Q6–7: 众智平台, suggestions on laws.
  'hu9-crowd-wisdom',
  // 001 服: 网信快速通道, one of 杨浦's five services: the 网信 office's fast channel for creators' complaints.
  'yangpu-cac-fast-channel',
  // 003 管: 成长小助手, risk warnings (五大雷区, 十大场景).
  'yangpu-growth-assistant',
];

/** Whether a favourable decision on an application under this measure grants it or handles it; a measure not in the catalogue, as granted. */
export function favourableDecisionOf(programmeId: string | null | undefined): FavourableDecision {
  if (!programmeId || !HANDLED_SERVICES.includes(programmeId)) return 'granted';
  // Only a service is handled: an award's money is always granted (its wording stays 已获批准).
  return findProgramme(programmeId)?.caseKind === 'service' ? 'handled' : 'granted';
}
