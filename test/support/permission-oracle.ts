import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { RoutePolicy } from '../../api/authorization/permissions.js';
import type { RouteDefinition } from '../../api/route.js';
import { validApplication, type ApiHarness } from './api-harness.js';
import { dramaSubmission } from './filings.js';

/**
 * What the permission matrix promises a caller, worked out here from the matrix and the facts of a
 * case (its owner and departments), independently of the code that enforces it.
 */
export type Department = 'cac' | 'yangpu-fund' | 'yangpu-investment' | 'huangpu' | 'xuhui' | 'culture-tourism' | 'hrss';

export interface Caller {
  username: string | null;
  role: 'anonymous' | 'applicant' | 'official' | 'auditor' | 'admin';
  department?: Department;
  duties?: string[];
}

/** One of each kind of caller, from the demo accounts (and the harness's other-creator). */
export const CALLERS: Caller[] = [
  { username: null, role: 'anonymous' },
  { username: 'creator', role: 'applicant' },
  { username: 'other-creator', role: 'applicant' },
  { username: 'fund-reviewer', role: 'official', department: 'yangpu-fund', duties: ['reviewer'] },
  { username: 'fund-approver', role: 'official', department: 'yangpu-fund', duties: ['approver'] },
  { username: 'fund-supervisor', role: 'official', department: 'yangpu-fund', duties: ['supervisor'] },
  { username: 'fund-director', role: 'official', department: 'yangpu-fund', duties: ['director'] },
  { username: 'cac-reviewer', role: 'official', department: 'cac', duties: ['reviewer'] },
  { username: 'cac-approver', role: 'official', department: 'cac', duties: ['approver'] },
  { username: 'filing-reviewer', role: 'official', department: 'culture-tourism', duties: ['reviewer'] },
  { username: 'filing-supervisor', role: 'official', department: 'culture-tourism', duties: ['supervisor'] },
  { username: 'huangpu-reviewer', role: 'official', department: 'huangpu', duties: ['reviewer'] },
  { username: 'huangpu-director', role: 'official', department: 'huangpu', duties: ['director'] },
  { username: 'yangpu-approver', role: 'official', department: 'yangpu-investment', duties: ['approver'] },
  { username: 'hrss-reviewer', role: 'official', department: 'hrss', duties: ['reviewer'] },
  { username: 'auditor', role: 'auditor' },
  { username: 'admin', role: 'admin' },
];

/** A case the tests act on: its owner (null: a case that does not exist), the departments whose officials act on it, and the actions its type takes. */
export interface Target {
  name: string;
  caseId: string;
  owner: string | null;
  departments: Department[];
  actions: string[];
  /** Every action any case type takes (the case action route's names). */
  allActions: string[];
}

/** 'through' (the caller reaches the route's validation and handler) or the status of the refusal. */
export function expectedAccess(policy: RoutePolicy, route: Pick<RouteDefinition, 'url'> & Partial<Pick<RouteDefinition, 'method'>>, caller: Caller, target: Target | undefined): 'through' | 401 | 403 | 404 | 409 {
  const access = grantedAccess(policy, route, caller, target);
  // An action another case type takes, refused to this caller by its grants, is refused as not this case's (409) once the caller may see the case.
  const action = route.method === 'POST' ? /^\/api\/cases\/:caseId\/([a-z-]+)$/.exec(route.url)?.[1] : undefined;
  const seesCase = target !== undefined && (caller.role === 'applicant' || (caller.role === 'official' && target.departments.includes(caller.department!)));
  if (access === 403 && action && seesCase && target.allActions.includes(action) && !target.actions.includes(action)) return 409;
  return access;
}

function grantedAccess(policy: RoutePolicy, route: Pick<RouteDefinition, 'url'> & Partial<Pick<RouteDefinition, 'method'>>, caller: Caller, target: Target | undefined): 'through' | 401 | 403 | 404 {
  if (policy.public) return 'through';
  if (caller.role === 'anonymous') return 401;
  // Auditors change nothing outside the audit tools, whatever a route grants the signed-in (the audit
  // guard); signing in and out stays theirs.
  const writes = route.method !== undefined && route.method !== 'GET';
  if (caller.role === 'auditor' && writes && !route.url.startsWith('/api/audit/') && !route.url.startsWith('/api/auth/')) return 403;
  if (policy.signedIn) return 'through';
  // Only auditors use /api/audit/… (the audit guard, as soon as the account is known).
  if (route.url.startsWith('/api/audit/') && caller.role !== 'auditor') return 403;
  if (target && (caller.role === 'applicant' || caller.role === 'official')) {
    if (target.owner === null) return 404;
    if (caller.role === 'applicant' && target.owner !== caller.username) return 404;
    if (caller.role === 'official' && !target.departments.includes(caller.department!)) return 403;
  }
  if (caller.role === 'official') {
    const grant = policy.official;
    if (!grant) return 403;
    if (grant === true) return 'through';
    if (grant.departments && !grant.departments.includes(caller.department!)) return 403;
    if (grant.duties && !grant.duties.some((d) => caller.duties!.includes(d))) return 403;
    return 'through';
  }
  return policy[caller.role] === true ? 'through' : 403;
}

/** Opens one case of each kind for `creator` through the API, and names a missing one. */
export async function openTargets(harness: ApiHarness): Promise<Target[]> {
  const creator = await harness.as('creator');
  const types = (await creator('GET', '/api/case-types')).json<{ streamTypes: string[]; actions: Record<string, string> }[]>();
  const actionsOf = (streamType: string) => Object.keys(types.find((t) => t.streamTypes.includes(streamType))!.actions);
  const allActions = [...new Set(types.flatMap((t) => Object.keys(t.actions)))];
  const opened = async (url: string, body: object) => {
    const response = await creator('POST', url, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ caseId: string }>().caseId;
  };
  return [
    { name: '雏鹰 loan', caseId: await opened('/api/cases/chuying-loan', validApplication()), owner: 'creator', departments: ['yangpu-fund', 'cac'], actions: actionsOf('chuying-loan'), allActions },
    { name: 'drama filing', caseId: await opened('/api/cases/drama-planning-filing', dramaSubmission()), owner: 'creator', departments: ['culture-tourism'], actions: actionsOf('drama-planning-filing'), allActions },
    {
      name: '黄浦 platform subsidy (网信 review)',
      caseId: await opened('/api/applications/huangpu-platform-subsidy', { title: '平台扶持', summary: '集聚创作者', facts: { applicantKind: 'mcn', requestedAmountFen: 50_000_000, registeredDistrict: '黄浦区' } }),
      owner: 'creator',
      departments: ['huangpu', 'cac'],
      actions: actionsOf('application'),
      allActions,
    },
    {
      name: '杨浦 免罚急救包 (no 网信 review)',
      caseId: await opened('/api/applications/yangpu-penalty-exemption', { title: '免罚', summary: '首次轻微', facts: { applicantKind: 'company', firstViolation: true, minorHarm: true, correctedInTime: true } }),
      owner: 'creator',
      departments: ['yangpu-investment'],
      actions: actionsOf('application'),
      allActions,
    },
    { name: 'a missing case', caseId: randomUUID(), owner: null, departments: [], actions: [], allActions },
  ];
}
