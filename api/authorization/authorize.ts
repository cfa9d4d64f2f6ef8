import type { FastifyRequest } from 'fastify';
import { officialsInWords, ROLE_NAMES } from '../../domain/accounts/assignment.js';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import type { Db } from '../../db/client.js';
import type { Account } from '../auth/sessions.js';
import { actionNotOnCaseType } from '../case-actions.js';
import { caseNotFound, HttpError, unauthenticated } from '../http-errors.js';
import { variantFor, type RouteDefinition, type RouteHooks } from '../route.js';
import { caseAccess, caseAccessOf, caseDepartments, isExpert, readCase, readCaseWithSession } from './case-access.js';
import { presentedToken } from '../auth/authenticate.js';
import { grants, PERMISSIONS, routeKey, type RoutePolicy } from './permissions.js';

export interface AuthorizationInput {
  definition: RouteDefinition;
  request: FastifyRequest;
  account: Account | undefined;
  params: Record<string, unknown>;
}

const departmentName = (department: string | undefined) => (department ? ((DEPARTMENTS as Record<string, string>)[department] ?? department) : 'no department');

/** Who the matrix lets in, in words, for a 403's message. */
function whoMay(policy: RoutePolicy): string {
  const who: string[] = [];
  if (policy.applicant) who.push('applicants');
  if (policy.official) {
    const grant = policy.official === true ? {} : policy.official;
    const departments = grant.departments ? ` of ${grant.departments.map(departmentName).join(' or ')}` : '';
    const duties = grant.duties ? ` with the duty ${grant.duties.join(' or ')}` : '';
    who.push(`officials${departments}${duties}`);
  }
  if (policy.auditor) who.push('auditors');
  if (policy.expert) who.push('external experts (on their panels)');
  if (policy.admin) who.push('administrators');
  return who.length ? who.join(', ') : 'nobody';
}

/** The same in Chinese, for the people who read the refusal. */
function whoMayInChinese(policy: RoutePolicy): string {
  const who: string[] = [];
  if (policy.applicant) who.push('申请人');
  if (policy.official) {
    const grant = policy.official === true ? {} : policy.official;
    who.push(officialsInWords(grant.duties, grant.departments?.map(departmentName).join('或')));
  }
  if (policy.auditor) who.push('审计人员');
  if (policy.expert) who.push('评审专家（限其所在评审组）');
  if (policy.admin) who.push('管理员');
  return who.length ? who.join('、') : '任何人都不';
}

function describeInChinese(account: Account): string {
  if (account.role === 'official') return `${account.displayName}（${departmentName(account.department)}工作人员）`;
  return `${account.displayName}（${ROLE_NAMES[account.role as keyof typeof ROLE_NAMES] ?? account.role}）`;
}

function describe(account: Account): string {
  if (account.role === 'official') return `${account.displayName}, official of ${departmentName(account.department)} (${account.duties.join(', ') || 'no duty'})`;
  return `${account.displayName} (${account.role})`;
}

/**
 * The central check of the permission matrix, run by registerRoutes for every request after the
 * sign-in and the path are known and before the query and body are read. Every refusal is logged
 * as `access denied` with who tried what; an applicant's attempt on another applicant's case is
 * answered exactly like a missing case (404).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A read of a case (GET …/cases/:caseId…) starts at once, before the session is looked up: the
 * central check and the handler then find it read (readCase keeps one read per request). When the
 * request presents a session token, the one statement also reads the session (readCaseWithSession),
 * so a case page costs one round trip before its handler. Nothing of the case is shown before the
 * caller is known and allowed; a request that fails them has only cost a read.
 */
export function createPrefetch(db: Db, clock: () => Date): NonNullable<RouteHooks['prefetch']> {
  return ({ request }) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const caseId = (request.params as { caseId?: unknown } | undefined)?.caseId;
    if (typeof caseId !== 'string' || !UUID.test(caseId)) return;
    const presented = presentedToken(request);
    if (presented) {
      readCaseWithSession(db, caseId, request, presented.token, clock());
      // Awaited by the authentication and the central check; a failure surfaces there, not as an unhandled rejection here.
      readCase(db, caseId, request).catch(() => undefined);
      return;
    }
    readCase(db, caseId, request).catch(() => undefined);
  };
}

export function createAuthorizer(db: Db): (input: AuthorizationInput) => Promise<void> {
  return async ({ definition, request, account, params }) => {
    // The action route stands for one route per action: the matrix keys each, and an action no case type has is no route at all.
    const concrete = variantFor(definition, params);
    if (!concrete) {
      const named = String(params.action ?? '');
      throw new HttpError(404, 'not-found', `没有“${named}”这项办理操作：请核对地址中的操作名称。`, [], {}, {}, `no route ${definition.method} ${definition.url.replace(/:(\w+)/g, (_, name: string) => String(params[name]))}: no case type has that action`);
    }
    const key = routeKey(concrete.method, concrete.url);
    const policy = PERMISSIONS[key];
    const deny = (status: 401 | 403 | 404, reason: string, error: HttpError, caseId?: string): never => {
      request.log.warn(
        {
          accessDenied: {
            route: key,
            ...(caseId ? { caseId } : {}),
            accountId: account?.accountId ?? null,
            username: account?.username ?? null,
            role: account?.role ?? 'anonymous',
            department: account?.department ?? null,
            duties: account?.duties ?? [],
            status,
            reason,
          },
        },
        'access denied',
      );
      throw error;
    };

    if (!policy) {
      return deny(403, 'not-in-matrix', new HttpError(403, 'forbidden', `${key} is not in the permission matrix (api/authorization/permissions.ts): refused to everyone until it is`));
    }
    if (policy.public) return;
    if (!account) return deny(401, 'not-signed-in', unauthenticated());

    // On a case, applicants and officials first meet the case's scope: a case that is not an
    // applicant's own answers 404 whatever the action (so nothing tells it from a missing one);
    // another department's answers 403. Auditors read every case — even one whose read-model row
    // is gone, which is what they check — and admins none (the matrix grants them no case route).
    const caseId = typeof params.caseId === 'string' ? params.caseId : undefined;
    // An expert sees only the calls whose panel names them and the applications referred to it:
    // any other case answers exactly as a missing one does, whatever the route.
    if (caseId !== undefined && !policy.signedIn && isExpert(account)) {
      const row = (await readCase(db, caseId, request))?.row;
      if (!row) throw caseNotFound();
      const access = await caseAccessOf(db, account, row);
      if (access !== 'visible') return deny(404, access, caseNotFound(), caseId);
    }
    let row: NonNullable<Awaited<ReturnType<typeof readCase>>>['row'] | undefined;
    if (caseId !== undefined && !policy.signedIn && (account.role === 'applicant' || account.role === 'official')) {
      // The request's one read of the case: a read-only handler gets the same row (case-access.ts readCase).
      row = (await readCase(db, caseId, request))?.row;
      if (!row) throw caseNotFound();
      const access = caseAccess(account, row);
      if (access === 'not-own-case') return deny(404, access, caseNotFound(), caseId);
      if (access === 'other-department') {
        // Which department handles it, so that the official knows where to turn; not its reference, which is the applicant's.
        const handledBy = caseDepartments(row).map(departmentName).join('、') || 'no department';
        const handledByInChinese = caseDepartments(row).map(departmentName).join('、') || '其他部门';
        return deny(
          403,
          access,
          new HttpError(403, 'forbidden', `此办件由${handledByInChinese}办理，您（${describeInChinese(account)}）无权查看或办理。`, [], {}, {}, `this case is handled by ${handledBy}; you are ${describe(account)}`),
          caseId,
        );
      }
    }
    if (!grants(policy, account)) {
      // An action the case's type does not have is refused as such, not by another case type's grants.
      const notOnType = row && typeof params.action === 'string' ? actionNotOnCaseType(row, params.action) : undefined;
      if (notOnType) throw notOnType;
      return deny(
        403,
        'role',
        // A read is 查看, anything else 办理: an auditor refused a list is not told they tried to act.
        new HttpError(403, 'forbidden', `只有${whoMayInChinese(policy)}可以${concrete.method === 'GET' ? '查看' : '办理'}此项；您是${describeInChinese(account)}。`, [], {}, {}, `only ${whoMay(policy)} may ${concrete.method} ${concrete.url}; you are ${describe(account)}`),
        caseId,
      );
    }
  };
}
