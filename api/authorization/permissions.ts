import { CHUYING_LOAN_DEPARTMENT } from '../../domain/chuying/terms.js';
import type { Department, OfficialDuty } from '../../domain/cases/actor.js';
import { actionPermissions, bulkActionPermission, openingPermissions } from '../case-actions.js';

/**
 * The permission matrix: for every route the API serves, who may call it. Enforced once, for every
 * request, in registerRoutes (api/authorization/authorize.ts), before the query and body are read;
 * walked by test/api/permission-matrix.test.ts against every route of apiRoutes. A route that is
 * not here is refused to everyone (default deny), and the test names it.
 *
 * A role not named is refused (403; 401 without a sign-in). On a route with a `:caseId`, a grant
 * is further scoped to the case:
 *   applicant  only their own cases; anyone else's answers 404, exactly as a missing case does,
 *              and the attempt is logged (`access denied`, with who and what);
 *   official   only cases of their department (a case's departments: the programme's, and 市委网信办
 *              where the case has a 网信 review); another department's answers 403, and is logged;
 *   auditor    every case, reading (every write of an auditor is refused, api/routes/audit.routes.ts);
 *   admin      never a case (accounts and the calendar only; a grant of a role, a duty or a
 *              department waits for a second administrator: api/routes/accounts.routes.ts);
 *   expert     an external expert (评审专家): the calls whose panel names them and, read-only, the
 *              applications referred to those panels; any other case answers 404 like a missing one.
 * Rules of the case itself — four-eyes, the director threshold, who claimed a filing — are the
 * workflow deciders' (the decide.ts of each case type in domain/): they hold however an action arrives.
 */
export interface OfficialGrant {
  /** Only officials holding one of these duties (any duty when absent). */
  duties?: readonly OfficialDuty[];
  /** Only officials of these departments (any department when absent; cases still scope to their own). */
  departments?: readonly Department[];
}

export interface RoutePolicy {
  /** Anyone, signed in or not. */
  public?: true;
  /** Every signed-in account, whatever its role. */
  signedIn?: true;
  applicant?: true;
  official?: true | OfficialGrant;
  auditor?: true;
  admin?: true;
  /** External experts, on the cases of their panels only (api/authorization/case-access.ts). */
  expert?: true;
}

export type Role = 'applicant' | 'official' | 'auditor' | 'admin' | 'expert';
export const ROLES: readonly Role[] = ['applicant', 'official', 'auditor', 'admin', 'expert'];

const caseReaders = { applicant: true, official: true, auditor: true } as const;
/** The case itself and the list of cases: what an expert reads of their panels (not its events, letters or ratings). */
const panelCaseReaders = { ...caseReaders, expert: true } as const;

export const PERMISSIONS: Readonly<Record<string, RoutePolicy>> = {
  // Accounts and sessions
  'POST /api/auth/login': { public: true },
  'POST /api/auth/logout': { signedIn: true },
  'GET /api/auth/session': { signedIn: true },
  'GET /api/me': { signedIn: true },
  // The inbox (issue 14): everyone reads their own notices (an official's include their department's); the route scopes them.
  'GET /api/inbox': { signedIn: true },
  'POST /api/inbox/:noticeId/read': { signedIn: true },
  'PUT /api/me/personal-data': { applicant: true },
  'GET /api/admin/accounts': { admin: true },
  'POST /api/admin/accounts': { admin: true },
  'PUT /api/admin/accounts/:username': { admin: true },
  'POST /api/admin/accounts/:username/disable': { admin: true },
  'POST /api/admin/accounts/:username/enable': { admin: true },
  'POST /api/admin/accounts/:username/reset-password': { admin: true },
  // A second administrator's approval of a role, duty or department; who may decide which grant
  // (not the requester, not for one's own account) is the route's own rule.
  'GET /api/admin/account-grants': { admin: true },
  'POST /api/admin/account-grants/:grantId/approve': { admin: true },
  'POST /api/admin/account-grants/:grantId/refuse': { admin: true },
  // The holder of a one-time sign-in code sets their password: they cannot sign in yet.
  'POST /api/auth/activate': { public: true },

  // Public information
  'GET /api/health': { public: true },
  'GET /api/case-types': { public: true },
  'GET /api/programmes': { public: true },
  'GET /api/calls': { public: true },
  // The 公示 list, and objections to it: anyone, signed in or not (objections are limited per address).
  'GET /api/publicity': { public: true },
  'POST /api/publicity/:caseId/objections': { public: true },
  // 办件进度查询: anyone holding a case's reference number and its 查询码 (limited per address).
  'GET /api/progress': { public: true },
  // Officials of the call's own department (the handler narrows it) and auditors.
  'GET /api/calls/:callId/budget': { official: true, auditor: true },
  // Officials of the call's own department (the handler narrows it): who names its panel chooses from the list.
  'GET /api/calls/:callId/panel-member-choices': { official: true },
  'GET /api/programmes/:programmeId': { public: true },
  // Signed in: before its budget is approved a call is not public, and the refusal names it.
  'GET /api/programmes/:programmeId/intake': { signedIn: true },
  'POST /api/programmes/:programmeId/check': { public: true },
  'GET /api/loans/chuying/schedule': { public: true },
  'GET /api/calendar/deadline': { public: true },
  'GET /api/calendar/:year': { public: true },
  'GET /api/working-days/countdown': { public: true },

  // The working-day calendar: admins only. One proposes a year's arrangement, a different one approves
  // it (or refuses it; the proposer withdraws it so): the handlers refuse an administrator's own approval.
  'PUT /api/calendar/:year': { admin: true },
  'GET /api/calendar/proposals': { admin: true },
  'POST /api/calendar/:year/proposals/:proposalId/approve': { admin: true },
  'POST /api/calendar/:year/proposals/:proposalId/refuse': { admin: true },
  // Registers kept by departments (issue 14): read by officials, auditors and the admin (who keeps the LPR);
  // written by the register's keepers only, which the route decides per register (domain/registers).
  'GET /api/registers': { official: true, auditor: true, admin: true },
  'GET /api/registers/:kind': { official: true, auditor: true, admin: true },
  'POST /api/registers/:kind/entries': { official: true, admin: true },
  'POST /api/registers/:kind/entries/:entryId/change': { official: true, admin: true },
  'POST /api/registers/:kind/entries/:entryId/end': { official: true, admin: true },
  // Programme terms and the stacking matrix (issue 14 part 4): read by anyone, as the catalogue is; drafted,
  // proposed, approved and rejected by officials of the departments concerned, which the decider decides.
  'GET /api/programme-terms': { public: true },
  'GET /api/programme-terms/:programmeId': { public: true },
  'POST /api/programme-terms/:programmeId/drafts': { official: true },
  'POST /api/programme-terms/:programmeId/versions/:version/approve': { official: true },
  'POST /api/programme-terms/:programmeId/versions/:version/reject': { official: true },
  'GET /api/stacking-matrix': { public: true },
  'POST /api/stacking-matrix/changes': { official: true },
  'POST /api/stacking-matrix/changes/:changeId/approve': { official: true },
  'POST /api/stacking-matrix/changes/:changeId/reject': { official: true },

  // Opening cases: applicants only
  'POST /api/cases/chuying-loan': { applicant: true },
  'POST /api/applications/:programmeId': { applicant: true },
  'POST /api/cases/drama-planning-filing': { applicant: true },
  'POST /api/cases/drama-release-filing': { applicant: true },

  // Reading cases (scoped: own / department / all)
  'GET /api/cases': panelCaseReaders,
  'GET /api/cases/:caseId': panelCaseReaders,
  'GET /api/cases/:caseId/decision-letters': caseReaders,
  'GET /api/cases/:caseId/decision-letters/:letterId': caseReaders,
  'GET /api/cases/:caseId/events': caseReaders,
  // An expert's 评审任务 is the worklist of their panels (the access rule scopes it).
  'GET /api/worklist': panelCaseReaders,
  // 批量认领: whoever may claim a case (the claim action's entry); each case then goes through the claim route's own check.
  'POST /api/worklist/claims': bulkActionPermission('claim'),
  'GET /api/cases/:caseId/rating': caseReaders,
  // Documents (issue 14): a case's documents follow the case's scope (an expert reads the materials
  // of the applications referred to their panel); one document's download is its uploader's, or
  // that of whoever may see a case whose events reference it (the route decides).
  'GET /api/cases/:caseId/documents': panelCaseReaders,
  'POST /api/documents': { applicant: true, official: true },
  'GET /api/documents/:documentId': { applicant: true, official: true, auditor: true, expert: true },

  // The applicant's rating of their own closed case
  'POST /api/cases/:caseId/rating': { applicant: true },
  'POST /api/cases/:caseId/rating/follow-up/close': { official: { duties: ['supervisor'] } },

  // The actions on cases (POST /api/cases/:caseId/:action), one entry per action: each case
  // module's `who` (cases/registry.ts) — the applicant of their own case, or officials with a duty
  // and department on their department's cases.
  ...actionPermissions(),
  // Case types opened by the one opening route (a recovery, by an official, against a case): each module's `opening.who`.
  ...openingPermissions(),

  // Queues and figures
  'GET /api/filings/queue': { official: { departments: ['culture-tourism'] } },
  'GET /api/filings/sla': { official: { departments: ['culture-tourism'] }, auditor: true },
  'GET /api/follow-up-tasks': { official: true, auditor: true },
  // Figures, not cases: the counts cover the official's department's cases (an auditor's, all); the
  // 雏鹰 loan book is the fund's, for its officials (with few loans a total is one company's loan).
  'GET /api/dashboard/cases': { official: true, auditor: true },
  'GET /api/dashboard/awards': { official: true, auditor: true },
  'GET /api/dashboard/awards.csv': { official: true, auditor: true },
  'GET /api/loans/book': { official: { departments: [CHUYING_LOAN_DEPARTMENT] }, auditor: true },

  // The auditor's tools
  'GET /api/audit/cases/:caseId/events': { auditor: true },
  'GET /api/audit/accounts/changes': { auditor: true },
  'GET /api/audit/accounts/:username/events': { auditor: true },
  'GET /api/audit/cases/:caseId/as-of': { auditor: true },
  'GET /api/audit/cases/:caseId/diff': { auditor: true },
  'GET /api/audit/cases/:caseId/verify': { auditor: true },
  'GET /api/audit/cases/:caseId/export': { auditor: true },
  'GET /api/audit/cases/:caseId/replay': { auditor: true },
  'GET /api/audit/cases/:caseId/witness': { auditor: true },
  'GET /api/audit/verify': { auditor: true },
  'POST /api/audit/verify': { auditor: true },
  'GET /api/audit/read-models/drift': { auditor: true },
  'GET /api/audit/checkpoints': { auditor: true },
  'POST /api/audit/checkpoints': { auditor: true },
};

export const routeKey = (method: string, url: string) => `${method} ${url}`;

/** Whether a signed-in account of this role (and, for officials, department and duties) is granted the route; case scope aside. */
export function grants(policy: RoutePolicy, account: { role: Role; department?: Department; duties: readonly OfficialDuty[] }): boolean {
  if (policy.public || policy.signedIn) return true;
  if (account.role !== 'official') return policy[account.role] === true;
  const grant = policy.official;
  if (!grant) return false;
  if (grant === true) return true;
  if (grant.departments && !(account.department && grant.departments.includes(account.department))) return false;
  if (grant.duties && !grant.duties.some((d) => account.duties.includes(d))) return false;
  return true;
}
