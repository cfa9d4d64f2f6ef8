import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Db } from '../../db/client.js';
import { z } from 'zod';
import { auditedEvent } from '../../audit/case-history.js';
import { assignmentOf, describeAssignment, DUTY_NAMES, PRIVILEGED_ROLES, ROLE_NAMES, sameAssignment, secondApprovalReasons, type Assignment, type AssignmentRequest } from '../../domain/accounts/assignment.js';
import { chineseInstant } from '../../domain/time/local-date.js';
import { DEPARTMENTS, OFFICIAL_DUTIES, type Department, type OfficialDuty } from '../../domain/cases/actor.js';
import { ACCOUNT_CREDIT_CODE_INDEX, accountHoldingCreditCode, accountWithVersion, createAccountWithSignInCode, recordAccountChange } from '../../db/accounts/account-stream.js';
import { applicantCompanyProblems, registeredCompanyOf, type ApplicantCompany } from '../../domain/accounts/applicant-company.js';
import { ConcurrencyError, readStream, verifyChain } from '../../db/event-store.js';
import { ACCOUNT_STREAM, accountStreamId, type AccountEvent, type AccountEventBy } from '../../db/projections/account.projection.js';
import type { AccountGrantsTable, AccountsTable } from '../../db/tables/accounts.table.js';
import { liftUsernameLock, lockedBrowsers, lockedUsernames } from '../auth/login-throttle.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import type { Account } from '../auth/sessions.js';
import { activationLink, newSignInCode, SIGN_IN_CODE_HOURS, signInCodeHash, signInCodeMatches } from '../auth/sign-in-codes.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { handBackFilingsOfDepartedReviewer } from '../filings-of-departed-reviewers.js';
import { accountChangeInWords } from '../views/account-changes.js';
import { profilePersonalData, setProfilePersonalData } from '../personal-data.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { route } from '../route.js';
import {
  accountChangesResponse,
  accountEventsResponse,
  accountGrantDecisionResponse,
  accountGrantListResponse,
  activationResponse,
  adminAccountChangeResponse,
  adminAccountListResponse,
  adminAccountOnlyResponse,
  adminAccountResponseWithCode,
  personalDataResponse,
} from '../schemas/responses.schemas.js';
import { creditCode, queryInteger, text } from '../schemas/common.schemas.js';
import { personalDataBody } from '../schemas/personal-data.schemas.js';

const departmentId = z.enum(Object.keys(DEPARTMENTS) as [Department, ...Department[]]).meta({ enumLabels: DEPARTMENTS });

/** Who an account is, as an administrator assigns it: the role, and for an official the department and duties. */
const roleAssignment = {
  role: z.enum(['applicant', 'official', 'auditor', 'admin', 'expert']).meta({ enumLabels: ROLE_NAMES }),
  department: departmentId.optional(),
  duties: z.array(z.enum(OFFICIAL_DUTIES).meta({ enumLabels: DUTY_NAMES })).max(OFFICIAL_DUTIES.length).optional(),
  applicantKind: z.enum(['individual', 'company']).meta({ enumLabels: { individual: '个人创作者', company: '企业' } }).optional(),
};

/** The organisation of a company applicant's account, from its business licence. */
const applicantCompany = z.strictObject({
  name: text(100),
  unifiedSocialCreditCode: z.string().trim().toUpperCase().pipe(creditCode),
});

const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '用户名只能用小写字母、数字和连字符（2 至 40 个字符，以字母或数字开头）');
const usernameParams = z.strictObject({ username: usernameSchema });
const grantParams = z.strictObject({ grantId: z.uuid('授权编号格式不对') });

/** A consistent assignment, or 400 with one issue per field. */
function checkedAssignment(request: AssignmentRequest): Assignment {
  const checked = assignmentOf(request);
  if ('issues' in checked) {
    throw new HttpError(
      400,
      'validation',
      `角色设置前后矛盾：${checked.issues.map((i) => i.message).join('；')}。`,
      checked.issues,
      {},
      {},
      `inconsistent role: ${checked.issues.map((i) => `${i.field}: ${i.english ?? i.message}`).join('; ')}`,
    );
  }
  return checked.assignment;
}

type AccountRow = Selectable<AccountsTable>;
type GrantRow = Selectable<AccountGrantsTable>;

const assignmentOfRow = (row: AccountRow): Assignment => ({
  role: row.role,
  department: row.department as Department | null,
  duties: row.duties as OfficialDuty[],
  applicantKind: row.applicant_kind,
});

const grantView = (g: GrantRow) => ({
  grantId: g.grant_id,
  username: g.username,
  kind: g.kind,
  before: g.before,
  after: g.after,
  afterDescribed: describeAssignment(g.after as Assignment),
  reasons: g.reasons,
  status: g.status,
  requestedBy: { accountId: g.requested_by_account_id, displayName: g.requested_by_name },
  requestedAt: g.requested_at.toISOString(),
  decidedBy: g.decided_by_account_id ? { accountId: g.decided_by_account_id, displayName: g.decided_by_name } : null,
  decidedAt: g.decided_at?.toISOString() ?? null,
  refusalReason: g.refusal_reason,
});

const accountView = (row: AccountRow, pendingGrant?: GrantRow, signInLocks: { username?: Date | undefined; browsers?: { count: number; until: Date } | undefined } = {}) => ({
  accountId: row.account_id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  department: row.department,
  duties: row.duties,
  applicantKind: row.applicant_kind,
  company: companyOfRow(row),
  createdAt: row.created_at.toISOString(),
  /** Whether its holder has set a password (with a one-time code); never the hash. */
  passwordSet: row.password_hash !== null,
  disabled: row.disabled_at ? { at: row.disabled_at.toISOString(), reason: row.disabled_reason } : null,
  pendingGrant: pendingGrant ? grantView(pendingGrant) : null,
  // Only the list says it (the page reads it there): an answer about one account leaves it out.
  ...(signInLocks.username ? { signInLockedUntil: signInLocks.username.toISOString() } : {}),
  ...(signInLocks.browsers ? { signInLockedBrowsers: { count: signInLocks.browsers.count, until: signInLocks.browsers.until.toISOString() } } : {}),
});

const companyOfRow = (row: AccountRow): ApplicantCompany | null => registeredCompanyOf(row.profile) ?? null;

/** Names the account that holds the code by its display name (what the accounts page lists and searches). */
function codeHeldBy(code: string, holderName: string): HttpError {
  return new HttpError(
    409,
    'conflict',
    `统一社会信用代码 ${code} 已登记在“${holderName}”的账户下：一家企业只有一个申请人账户。如代码填错，请对照营业执照更正；如那个账户登记有误，请先更正那个账户`,
    [{ field: 'company.unifiedSocialCreditCode', code: 'credit-code-of-another-account', message: `已登记在“${holderName}”的账户下：一家企业只有一个申请人账户` }],
    {},
    {},
    `credit code ${code} is registered to another account (${holderName})`,
  );
}

/** Refuses, in the disabling transaction, to leave no other enabled administrator than the one being disabled. */
async function refuseDisablingTheLastAdministrator(trx: Transaction<Database>, accountId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('youchuang administrators'))`.execute(trx);
  const other = await trx.selectFrom('accounts').select('account_id').where('role', '=', 'admin').where('disabled_at', 'is', null).where('account_id', '!=', accountId).executeTakeFirst();
  if (!other) {
    throw new HttpError(409, 'conflict', '停用后将没有可以登录的管理员：系统至少要保留一位启用的管理员。如确需停用，请先新增或启用另一位管理员');
  }
}

/**
 * Refuses, in the changing transaction, an administrator's demotion that would leave fewer than two
 * enabled administrators: every grant needs a second one to approve it, and a demotion (unlike a
 * disabling, which the other administrator can undo) could then never be undone. An outsider's
 * administrator demoted the only other one, and no grant could be approved again.
 */
async function refuseDemotingBelowTwoAdministrators(trx: Transaction<Database>, accountId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('youchuang administrators'))`.execute(trx);
  const others = await trx.selectFrom('accounts').select('account_id').where('role', '=', 'admin').where('disabled_at', 'is', null).where('account_id', '!=', accountId).limit(2).execute();
  if (others.length < 2) {
    throw new HttpError(
      409,
      'conflict',
      '降级后将只剩一位启用的管理员，之后的授权（新增工作人员、重置其密码等）将无人可以批准，也无法再恢复：如须立即取消其权限，请停用该账户（之后可以再启用）；如确需降级，请先设立另一位管理员',
      [{ field: 'role', code: 'last-two-administrators', message: '降级后将只剩一位管理员：请改为停用，或先设立另一位管理员' }],
    );
  }
}

/** 400 at the company's fields when it does not fit the account's kind (or a company applicant lacks one when `required`). */
function checkedCompany(applicantKind: 'individual' | 'company' | null, company: ApplicantCompany | undefined, required: boolean): void {
  const issues = applicantCompanyProblems(applicantKind, company, required);
  if (issues.length) throw new HttpError(400, 'validation', `${issues.map((i) => i.message).join('；')}。`, issues, {}, {}, issues.map((i) => `${i.field}: ${i.english ?? i.message}`).join('; '));
}

const by = (account: Account): AccountEventBy => ({ accountId: account.accountId, displayName: account.displayName });
const actorOfAdmin = (account: Account) => ({ accountId: account.accountId, displayName: account.displayName, role: account.role, ...(account.department ? { department: account.department } : {}) });

/** An administrator's accounts (never a case), the holder's activation, the auditor's account history, and the applicant's own personal data. */
export function accountRoutes({ db, clock, personalData, temporal }: ApiDependencies) {
  async function existing(username: string) {
    const row = await accountWithVersion(db, username);
    if (!row) throw new HttpError(404, 'not-found', `没有用户名为 ${username} 的账户`);
    return row;
  }

  /** 409 at the code's field when another account holds it: one company, one account. */
  async function refuseCodeHeldElsewhere(code: string, username: string): Promise<void> {
    const holder = await accountHoldingCreditCode(db, code);
    if (holder && holder.username !== username) throw codeHeldBy(code, holder.displayName);
  }

  /**
   * The write, with what another at the same moment took first told as such: the company's credit
   * code (two administrators recording one code at once, the unique index deciding), or, for a
   * creation, the username itself (thirty creations of one username at once had answered a database
   * error, and a stream version no administrator knows of).
   */
  async function heldCodeRefused<T>(company: ApplicantCompany | undefined, { creating }: { creating?: { username: string; displayName: string } }, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (company && code === '23505' && constraint === ACCOUNT_CREDIT_CODE_INDEX) {
        const holder = await accountHoldingCreditCode(db, company.unifiedSocialCreditCode);
        throw codeHeldBy(company.unifiedSocialCreditCode, holder?.displayName ?? '另一申请人');
      }
      if (creating !== undefined && (error instanceof ConcurrencyError || code === '23505')) {
        const taken = await db.selectFrom('accounts').select(['display_name', 'password_hash']).where('username', '=', creating.username).executeTakeFirst();
        if (taken) throw usernameTaken(creating.username, taken, creating.displayName);
      }
      throw error;
    }
  }

  /**
   * Staff are told apart by their names in every case's history (审查人 周审查, 审批人 …): a second
   * official of one name made a review and an approval by two people read as one person's. A staff
   * account (official, auditor, administrator, expert) may not take the name another staff account
   * has — enabled, disabled, or created and awaiting its approval — the names compared as people read
   * them (width and spaces aside); applicants, named by their company or themselves, may share one.
   */
  async function refuseStaffNameHeldElsewhere(role: string, displayName: string, username: string, executor: Db | Transaction<Database> = db): Promise<void> {
    if (role === 'applicant') return;
    const holder = await executor
      .selectFrom('accounts')
      .select(['username', 'role', 'department'])
      .where(sql<string>`regexp_replace(normalize(display_name, NFKC), '\s', '', 'g')`, '=', staffNameKey(displayName))
      .where('username', '<>', username)
      .where('role', '<>', 'applicant')
      .executeTakeFirst();
    if (!holder) return;
    const where = holder.department && holder.department in DEPARTMENTS ? DEPARTMENTS[holder.department as Department] : ROLE_NAMES[holder.role as keyof typeof ROLE_NAMES];
    const message = `已有${where}的账户 ${holder.username} 使用显示名「${displayName}」：同名的工作人员在办理记录中无法分辨，请加以区分，如「${displayName}（${where}）」`;
    throw new HttpError(409, 'conflict', message, [{ field: 'displayName', code: 'display-name-taken', message: `已有账户 ${holder.username} 使用此显示名，请加以区分` }]);
  }

  /**
   * The same, in the transaction that writes the name, under a lock on it: ten creations of one name
   * at once had all passed the check before any was recorded.
   */
  const staffNameHeldUnderLock = (role: string, displayName: string, username: string) => async (trx: Transaction<Database>) => {
    if (role === 'applicant') return;
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`youchuang staff name:${staffNameKey(displayName)}`}))`.execute(trx);
    await refuseStaffNameHeldElsewhere(role, displayName, username, trx);
  };

  async function pendingGrantOf(accountId: string) {
    return db.selectFrom('account_grants').selectAll().where('account_id', '=', accountId).where('status', '=', 'pending').executeTakeFirst();
  }

  /** Whether an administrator other than `row`'s holder and the requester could approve a grant on `row`. */
  async function thirdAdministratorExists(row: AccountRow, requester: Account): Promise<boolean> {
    const approver = await db
      .selectFrom('accounts')
      .select('account_id')
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .where('account_id', 'not in', [row.account_id, requester.accountId])
      .executeTakeFirst();
    return approver !== undefined;
  }

  /**
   * A role one administrator may not give alone (domain/accounts/assignment.ts): its reset and its
   * enabling wait for a second. On an administrator's own account the approver must be a third
   * (nobody approves a grant on their own account). Enabling restores an administrator as they
   * were, with their own password: without a third, it applies at once.
   */
  async function needsSecondAdministrator(row: AccountRow, requester: Account): Promise<boolean> {
    if (secondApprovalReasons(null, assignmentOfRow(row)).length === 0) return false;
    return row.role !== 'admin' || (await thirdAdministratorExists(row, requester));
  }

  /**
   * Whether the account has held a privileged role, or been put forward for one, at any time: its
   * history, not only its role now. Its password's reset waits for a second administrator as a
   * privileged account's does: an outsider's administrator demoted an official, reset the password
   * alone, and had the account made an official again with a password they knew.
   */
  async function everPrivileged(row: AccountRow): Promise<boolean> {
    const roles = [...PRIVILEGED_ROLES];
    const found = await db
      .selectFrom('events')
      .select('event_id')
      .where('stream_id', '=', accountStreamId(row.username))
      .where(sql<boolean>`(coalesce(payload->>'role', '') = ANY(${roles}::text[]) OR coalesce(payload->'to'->>'role', '') = ANY(${roles}::text[]) OR coalesce(payload->'from'->>'role', '') = ANY(${roles}::text[]))`)
      .limit(1)
      .executeTakeFirst();
    return found !== undefined;
  }

  /** The grant a reset or an enabling of a privileged account asks for; refused while another waits (one at a time per account). */
  async function requestGrant(row: AccountRow, kind: 'reset' | 'enable', reason: string, account: Account): Promise<AccountEvent> {
    const pending = await pendingGrantOf(row.account_id);
    if (pending) throw new HttpError(409, 'conflict', `账户 ${row.username} 已有一项待批准的授权申请（${pending.requested_by_name}于${chineseInstant(pending.requested_at.toISOString())}提出）：请先由另一位管理员批准或拒绝`);
    const assignment = assignmentOfRow(row);
    return { type: 'RoleGrantRequested', data: { grantId: randomUUID(), kind, from: assignment, to: assignment, reasons: [reason], requestedBy: by(account) } };
  }

  /** Administrators change other accounts only: one's own role, state or password is for another administrator. */
  function notOwn(account: Account, username: string, what: string) {
    if (account.username === username) throw new HttpError(403, 'forbidden', `管理员不能${what}自己的账户：请另一位管理员操作`);
  }

  /**
   * Answers with a one-time sign-in code, sent directly rather than returned: the idempotency
   * store (api/idempotency.ts) keeps returned answers for replay, and a code must be stored
   * nowhere but as its hash. A retry with the same Idempotency-Key therefore runs again (a second
   * create is refused as a taken username; a second reset issues a new code, voiding the first).
   */
  const sendWithCode = (reply: FastifyReply, status: number, body: object) => reply.status(status).send(body);

  const signInFor = (username: string, issued: { code: string; expiresAt: Date }) => ({
    code: issued.code,
    link: activationLink(username, issued.code),
    expiresAt: issued.expiresAt.toISOString(),
    note: `一次性登录码，仅显示这一次，${SIGN_IN_CODE_HOURS} 小时内有效、只能使用一次：请通过线下或其他可靠渠道交给账户本人，由本人设置密码。管理员不会知道、也不应询问本人的密码。`,
  });

  return [
    route({
      method: 'PUT',
      url: '/api/me/personal-data',
      summary: "Applicant: set the profile's contact phone and, for an individual creator, 身份证号; stored encrypted, answered masked",
      tag: 'accounts',
      access: 'signed-in',
      body: personalDataBody,
      response: personalDataResponse,
      async handle({ body, account }) {
        await setProfilePersonalData(personalData, account!, body, shanghaiDateOf(clock().getTime()));
        return { personalData: await profilePersonalData(personalData, account!) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/admin/accounts',
      response: adminAccountListResponse,
      summary: 'Administrator: every account with its role, department, duties, whether it is disabled or awaits a grant, and whether its holder has set a password (no hashes, no personal data)',
      tag: 'accounts',
      access: 'signed-in',
      async handle() {
        const rows = await db.selectFrom('accounts').selectAll().orderBy('username').execute();
        const pending = await db.selectFrom('account_grants').selectAll().where('status', '=', 'pending').execute();
        const byAccount = new Map(pending.map((g) => [g.account_id, g]));
        // A holder who cannot sign in calls the office: the page says when guesses have locked the username.
        const now = clock();
        const [locked, browsers] = await Promise.all([lockedUsernames(db, now), lockedBrowsers(db, now)]);
        return { accounts: rows.map((row) => accountView(row, byAccount.get(row.account_id), { username: locked.get(row.username), browsers: browsers.get(row.username) })) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/admin/accounts',
      response: adminAccountResponseWithCode,
      summary:
        'Administrator: create an account with its role (an official: department and duties; an applicant: individual or company). No password: the answer carries a one-time sign-in code and link (72 hours, once) for the holder to set their own. An official, auditor or admin role waits for a second administrator: the account cannot sign in until approved.',
      tag: 'accounts',
      access: 'signed-in',
      status: 201,
      body: z.strictObject({ username: usernameSchema, displayName: text(100), ...roleAssignment, company: applicantCompany.optional() }).superRefine((b, ctx) => {
        // Every problem at once: the role's own fields beside the username's (an outsider was told them one form at a time).
        if (typeof b.role !== 'string') return;
        const checked = assignmentOf(b as AssignmentRequest);
        if ('issues' in checked) for (const issue of checked.issues) ctx.addIssue({ code: 'custom', path: issue.field.split('.'), message: issue.message, params: { english: issue.english } });
      }),
      async handle({ body, account, reply }) {
        const { company, ...requested } = body;
        const assignment = checkedAssignment(requested);
        checkedCompany(assignment.applicantKind, company, true);
        const taken = await db.selectFrom('accounts').select(['display_name', 'password_hash']).where('username', '=', body.username).executeTakeFirst();
        if (taken) throw usernameTaken(body.username, taken, body.displayName);
        await refuseStaffNameHeldElsewhere(assignment.role, body.displayName, body.username);
        if (company) await refuseCodeHeldElsewhere(company.unifiedSocialCreditCode, body.username);
        const reasons = secondApprovalReasons(null, assignment);
        const { accountId, issued } = await heldCodeRefused(company, { creating: body }, () =>
          createAccountWithSignInCode(
            db,
            {
              username: body.username,
              displayName: body.displayName,
              assignment,
              ...(company ? { company } : {}),
              by: by(account!),
              actor: actorOfAdmin(account!),
              grant: reasons.length ? { grantId: randomUUID(), reasons } : null,
              alsoCheck: staffNameHeldUnderLock(assignment.role, body.displayName, body.username),
            },
            clock,
          ),
        );
        const row = await existing(body.username);
        return sendWithCode(reply, 201, { account: accountView(row, (await pendingGrantOf(accountId)) ?? undefined), signIn: signInFor(body.username, issued) });
      },
    }),
    route({
      method: 'PUT',
      url: '/api/admin/accounts/:username',
      response: adminAccountChangeResponse,
      summary:
        "Administrator: change an account's display name, role, department and duties (effective on its next request); never one's own. What gives more (a privileged role, a duty, another department) waits for a second administrator's approval; what only takes away applies at once.",
      tag: 'accounts',
      access: 'signed-in',
      params: usernameParams,
      // The role may be left out to change the display name alone; the assignment then stays as it is.
      body: z
        .strictObject({ displayName: text(100).optional(), ...roleAssignment, role: roleAssignment.role.optional(), company: applicantCompany.optional() })
        .refine((b) => b.role !== undefined || (b.department === undefined && b.duties === undefined && b.applicantKind === undefined), {
          path: ['role'],
          message: '更改部门、职责或申请人类型时，须同时选择角色',
        })
        .refine((b) => Object.keys(b).length > 0, { path: ['displayName'], message: '请填写新的显示名、选择角色，或登记企业' }),
      async handle({ request, params, body, account }) {
        notOwn(account!, params.username, '更改');
        const row = await existing(params.username);
        const before = assignmentOfRow(row);
        const { company, ...requested } = body;
        const after = requested.role === undefined ? before : checkedAssignment({ ...requested, role: requested.role });
        // A company may be recorded on an account that is (or is being made) a company applicant.
        checkedCompany(after.applicantKind, company, false);
        await refuseStaffNameHeldElsewhere(after.role, body.displayName ?? row.display_name, params.username);
        const events: AccountEvent[] = [];
        if (body.displayName && body.displayName !== row.display_name) events.push({ type: 'DisplayNameChanged', data: { from: row.display_name, to: body.displayName, by: by(account!) } });
        const recorded = companyOfRow(row);
        if (company && (company.name !== recorded?.name || company.unifiedSocialCreditCode !== recorded?.unifiedSocialCreditCode)) {
          await refuseCodeHeldElsewhere(company.unifiedSocialCreditCode, params.username);
          events.push({ type: 'ApplicantCompanyRecorded', data: { from: recorded, to: company, by: by(account!) } });
        }
        if (!sameAssignment(before, after)) {
          const pending = await pendingGrantOf(row.account_id);
          if (pending) {
            throw new HttpError(409, 'conflict', `账户 ${params.username} 已有一项待批准的授权申请（${pending.requested_by_name}于${chineseInstant(pending.requested_at.toISOString())}提出）：请先由另一位管理员批准或拒绝，再更改其角色`);
          }
          const reasons = secondApprovalReasons(before, after);
          events.push(
            reasons.length
              ? { type: 'RoleGrantRequested', data: { grantId: randomUUID(), kind: 'change', from: before, to: after, reasons, requestedBy: by(account!) } }
              : { type: 'AccountRoleChanged', data: { from: before, to: after, by: by(account!) } },
          );
        }
        // An administrator made anything else, at once: only while two others stay to approve grants.
        const demotesAnAdministrator = before.role === 'admin' && after.role !== 'admin' && events.some((e) => e.type === 'AccountRoleChanged');
        if (events.length) {
          await heldCodeRefused(company, {}, () =>
            recordAccountChange(
              db,
              {
                username: params.username,
                expectedVersion: row.version,
                events,
                actor: actorOfAdmin(account!),
                alsoWrite: async (trx: Transaction<Database>) => {
                  if (demotesAnAdministrator) await refuseDemotingBelowTwoAdministrators(trx, row.account_id);
                  await staffNameHeldUnderLock(after.role, body.displayName ?? row.display_name, params.username)(trx);
                },
              },
              clock,
            ),
          );
        }
        // What took away at once (a department, the official's role) leaves no filing claimed by someone who can no longer review it.
        if (events.some((e) => e.type === 'AccountRoleChanged')) await handBackFilingsOfDepartedReviewer(db, temporal, params.username, request.log);
        const updated = await existing(params.username);
        const pending = await pendingGrantOf(updated.account_id);
        return { account: accountView(updated, pending), applied: events.length > 0 && !events.some((e) => e.type === 'RoleGrantRequested'), grant: pending && events.some((e) => e.type === 'RoleGrantRequested') ? grantView(pending) : null };
      },
    }),
    route({
      method: 'GET',
      url: '/api/admin/account-grants',
      response: accountGrantListResponse,
      summary: 'Administrator: grants waiting for a second administrator (or, with status=approved|refused, those decided), newest first',
      tag: 'accounts',
      access: 'signed-in',
      query: z.strictObject({ status: z.enum(['pending', 'approved', 'refused']).default('pending') }),
      async handle({ query }) {
        const rows = await db.selectFrom('account_grants').selectAll().where('status', '=', query.status).orderBy('requested_at', 'desc').limit(500).execute();
        return { grants: rows.map(grantView) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/admin/account-grants/:grantId/approve',
      response: accountGrantDecisionResponse,
      summary: 'Administrator: approve a grant another administrator requested (never one of one’s own, nor one for one’s own account); it applies at once, and a new account it created can then sign in',
      tag: 'accounts',
      access: 'signed-in',
      params: grantParams,
      async handle({ request, params, account }) {
        const grant = await decidableGrant(params.grantId, account!);
        if (grant.requested_by_account_id === account!.accountId) {
          throw new HttpError(403, 'forbidden', `这项授权申请是您本人提出的：提出申请的管理员不能自己批准，须由另一位管理员批准`);
        }
        const row = await existing(grant.username);
        // The grant applies to the state it was asked on: a change made since (none should be, while it waits) voids it.
        const current = assignmentOfRow(row);
        const basis = (grant.kind === 'creation' ? grant.after : grant.before) as Assignment;
        if (!sameAssignment(current, basis)) {
          throw new HttpError(409, 'conflict', `账户 ${grant.username} 的角色在申请后已变为「${describeAssignment(current)}」，与申请时不同：请拒绝这项申请，重新提出`);
        }
        await recordAccountChange(
          db,
          {
            username: grant.username,
            expectedVersion: row.version,
            events: [
              {
                type: 'RoleGrantApproved',
                data: { grantId: grant.grant_id, kind: grant.kind, from: grant.before, to: grant.after, requestedBy: { accountId: grant.requested_by_account_id, displayName: grant.requested_by_name }, approvedBy: by(account!) },
              },
              ...(grant.kind === 'enable' ? [{ type: 'AccountEnabled' as const, data: { by: by(account!) } }] : []),
              // An approved reset takes effect now: the old password stops working and its sessions end.
              ...(grant.kind === 'reset' ? [{ type: 'PasswordResetIssued' as const, data: { by: { accountId: grant.requested_by_account_id, displayName: grant.requested_by_name } } }] : []),
            ],
            actor: actorOfAdmin(account!),
          },
          clock,
        );
        // A change approved now (another department) leaves no filing claimed under the old one.
        if (grant.kind === 'change') await handBackFilingsOfDepartedReviewer(db, temporal, grant.username, request.log);
        return { grant: grantView(await grantRow(grant.grant_id)), account: accountView(await existing(grant.username)) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/admin/account-grants/:grantId/refuse',
      response: accountGrantDecisionResponse,
      summary: 'Administrator: refuse a waiting grant, with the reason (the requester may withdraw their own this way); a new account it created stays unable to sign in',
      tag: 'accounts',
      access: 'signed-in',
      params: grantParams,
      body: z.strictObject({ reason: text(500) }),
      async handle({ params, body, account }) {
        const grant = await decidableGrant(params.grantId, account!);
        const row = await existing(grant.username);
        await recordAccountChange(
          db,
          {
            username: grant.username,
            expectedVersion: row.version,
            events: [
              {
                type: 'RoleGrantRefused',
                data: { grantId: grant.grant_id, kind: grant.kind, to: grant.after, requestedBy: { accountId: grant.requested_by_account_id, displayName: grant.requested_by_name }, refusedBy: by(account!), reason: body.reason },
              },
            ],
            actor: actorOfAdmin(account!),
            // A reset refused leaves no code that works: the holder asks again.
            ...(grant.kind === 'reset' ? { alsoWrite: async (trx) => void (await trx.deleteFrom('account_sign_in_codes').where('account_id', '=', row.account_id).execute()) } : {}),
          },
          clock,
        );
        return { grant: grantView(await grantRow(grant.grant_id)), account: accountView(await existing(grant.username)) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/admin/accounts/:username/disable',
      response: adminAccountOnlyResponse,
      summary: 'Administrator: disable an account, with the reason; its sessions end at once and it cannot sign in until enabled. Never one’s own.',
      tag: 'accounts',
      access: 'signed-in',
      params: usernameParams,
      body: z.strictObject({ reason: text(500) }),
      async handle({ request, params, body, account }) {
        notOwn(account!, params.username, '停用');
        const row = await existing(params.username);
        if (row.disabled_at) throw new HttpError(409, 'conflict', `账户 ${params.username} 已于 ${chineseInstant(row.disabled_at.toISOString())} 停用（${row.disabled_reason}）：无需再次停用`);
        await recordAccountChange(
          db,
          {
            username: params.username,
            expectedVersion: row.version,
            events: [{ type: 'AccountDisabled', data: { reason: body.reason, by: by(account!) } }],
            actor: actorOfAdmin(account!),
            // An administrator is disabled only while another stays enabled: two who disabled each other at
            // once left nobody to run the system. Under one lock, so two such disablings count one after the other.
            ...(row.role === 'admin' ? { alsoWrite: (trx: Transaction<Database>) => refuseDisablingTheLastAdministrator(trx, row.account_id) } : {}),
          },
          clock,
        );
        // Nobody can act as a disabled account: the filings it had claimed go back to the department's queue.
        await handBackFilingsOfDepartedReviewer(db, temporal, params.username, request.log);
        return { account: accountView(await existing(params.username)) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/admin/accounts/:username/enable',
      response: adminAccountOnlyResponse,
      summary: 'Administrator: enable a disabled account (not one whose role still awaits, or was refused, a second administrator’s approval). Never one’s own.',
      tag: 'accounts',
      access: 'signed-in',
      params: usernameParams,
      async handle({ params, account }) {
        notOwn(account!, params.username, '启用');
        const row = await existing(params.username);
        if (!row.disabled_at) throw new HttpError(409, 'conflict', `账户 ${params.username} 未被停用：无需启用`);
        // Enabling must not become a way round the second approval: an account created with a
        // role nobody else approved stays disabled until a second administrator approves it.
        const unapproved = await db.selectFrom('account_grants').selectAll().where('account_id', '=', row.account_id).where('kind', '=', 'creation').where('status', '!=', 'approved').executeTakeFirst();
        if (unapproved) {
          throw new HttpError(409, 'conflict', `账户 ${params.username} 的角色「${describeAssignment(unapproved.after as Assignment)}」${unapproved.status === 'pending' ? '尚待第二位管理员批准' : '未获批准'}，不能启用：${unapproved.status === 'pending' ? '请另一位管理员批准授权申请' : '请重新创建账户或申请授权'}`);
        }
        // A privileged account enabled by one administrator alone would be one they could use (they may reset its password): a second approves.
        const grant = (await needsSecondAdministrator(row, account!)) ? await requestGrant(row, 'enable', `重新启用${describeAssignment(assignmentOfRow(row))}账户`, account!) : null;
        await recordAccountChange(
          db,
          { username: params.username, expectedVersion: row.version, events: grant ? [grant] : [{ type: 'AccountEnabled', data: { by: by(account!) } }], actor: actorOfAdmin(account!) },
          clock,
        );
        return { account: accountView(await existing(params.username), await pendingGrantOf(row.account_id)) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/admin/accounts/:username/reset-password',
      response: adminAccountResponseWithCode,
      summary:
        'Administrator: reset an account’s password — the old one stops working and every session ends — and get a one-time sign-in code and link (72 hours, once) for the holder to set a new one. For an official, auditor, expert or administrator this waits for a second administrator: the old password works until the approval, and goes on working if it is refused. Never one’s own.',
      tag: 'accounts',
      access: 'signed-in',
      params: usernameParams,
      async handle({ params, account, reply }) {
        notOwn(account!, params.username, '重置');
        const row = await existing(params.username);
        // The code goes to the administrator who asks: for another administrator's account, that would
        // be the account itself, and with it the approval of their own grants. Only a third approves it.
        if (row.role === 'admin' && !(await thirdAdministratorExists(row, account!))) {
          throw new HttpError(
            409,
            'conflict',
            `管理员账户的密码须经第三位管理员批准才能重置，本系统目前没有第三位管理员：请由掌握数据库所有者连接的运维人员执行 npm run bootstrap -- --reset-admin ${params.username}，把新的一次性登录码交给本人`,
            [],
            {},
            {},
            'an administrator’s password is reset with a third administrator’s approval, or by the operator with npm run bootstrap -- --reset-admin',
          );
        }
        const now = clock();
        const issued = newSignInCode(now);
        const code = { account_id: row.account_id, code_hash: issued.hash, purpose: 'reset' as const, issued_by_account_id: account!.accountId, issued_at: now, expires_at: issued.expiresAt };
        // The administrator who asks holds the code: for a privileged account it sets a password only once a second administrator approves.
        const privilegedNow = await needsSecondAdministrator(row, account!);
        const privilegedBefore = !privilegedNow && (await everPrivileged(row));
        const grant =
          privilegedNow || privilegedBefore
            ? await requestGrant(row, 'reset', privilegedBefore ? `重置曾担任特权角色的账户（现为${describeAssignment(assignmentOfRow(row))}）的密码` : `重置${describeAssignment(assignmentOfRow(row))}账户的密码`, account!)
            : null;
        await recordAccountChange(
          db,
          {
            username: params.username,
            expectedVersion: row.version,
            // Waiting for a second administrator, the old password and sessions go on until the approval (and stay
            // if it is refused): one administrator alone could otherwise lock an official or auditor out. Where
            // the account must stop at once, disabling it does that.
            events: [
              ...(grant ? [] : [{ type: 'PasswordResetIssued' as const, data: { by: by(account!) } }]),
              { type: 'SignInCodeIssued', data: { purpose: 'reset', expiresAt: issued.expiresAt.toISOString(), by: by(account!) } },
              ...(grant ? [grant] : []),
            ],
            actor: actorOfAdmin(account!),
            // One live code per account: a new one voids any earlier.
            alsoWrite: async (trx) => {
              await trx.insertInto('account_sign_in_codes').values(code).onConflict((oc) => oc.column('account_id').doUpdateSet(code)).execute();
            },
          },
          clock,
        );
        return sendWithCode(reply, 200, { account: accountView(await existing(params.username), await pendingGrantOf(row.account_id)), signIn: signInFor(params.username, issued) });
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/activate',
      response: activationResponse,
      summary:
        'The account’s holder sets their own password (at least 12 characters) with the one-time sign-in code an administrator handed them; the code then stops working. Then sign in with POST /api/auth/login.',
      tag: 'accounts',
      access: 'public',
      body: z
        .strictObject({
          username: z.string().min(1).max(100),
          code: z.string().min(1).max(100),
          newPassword: z.string().min(12, '密码至少 12 个字符').max(200, '密码至多 200 个字符'),
        })
        // Long enough is not enough: not the username, not one character over and over, not a common one.
        .superRefine((body, ctx) => {
          // Too short is the field's own check, said once.
          if (typeof body.newPassword !== 'string' || body.newPassword.length < 12) return;
          const problem = passwordProblem(body.newPassword, body.username);
          if (problem) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: problem, params: { code: 'weak-password', english: 'too easy to guess' } });
        }),
      async handle({ body }) {
        // 400 on the code field, not 401: nobody is signed in to be signed out, and the form shows it where the code was typed.
        const message = '登录码无效、已使用或已过期：请联系管理员重新发放登录码';
        const invalid = () => new HttpError(400, 'validation', message, [{ field: 'code', message }]);
        const now = clock();
        const row = await accountWithVersion(db, body.username);
        const stored = row && (await db.selectFrom('account_sign_in_codes').selectAll().where('account_id', '=', row.account_id).executeTakeFirst());
        // The same answer whatever is wrong: no such account, no code, another code, an expired one.
        const matches = signInCodeMatches(body.code, stored?.code_hash ?? '0'.repeat(64));
        if (!row || !stored || !matches || stored.expires_at.getTime() <= now.getTime()) throw invalid();
        const waiting = await pendingGrantOf(row.account_id);
        if (waiting?.kind === 'reset') {
          const message = `本次密码重置由 ${waiting.requested_by_name} 提出，尚待另一位管理员批准：批准后即可用这个登录码设置密码。`;
          throw new HttpError(409, 'conflict', message, [{ field: 'code', message }], {}, {}, 'this password reset waits for a second administrator’s approval');
        }
        const passwordHash = await hashPassword(body.newPassword);
        await recordAccountChange(
          db,
          {
            username: row.username,
            expectedVersion: row.version,
            events: [{ type: 'PasswordSet', data: { by: { accountId: row.account_id, displayName: row.display_name }, method: 'sign-in-code' } }],
            actor: { accountId: row.account_id, displayName: row.display_name, role: row.role, ...(row.department ? { department: row.department } : {}) },
            // Single use, even for two requests at once: only the one that deletes the code writes anything.
            alsoWrite: async (trx) => {
              const used = await trx.deleteFrom('account_sign_in_codes').where('account_id', '=', row.account_id).where('code_hash', '=', signInCodeHash(body.code)).executeTakeFirst();
              if (used.numDeletedRows !== 1n) throw invalid();
              await trx.updateTable('accounts').set({ password_hash: passwordHash }).where('account_id', '=', row.account_id).execute();
              await liftUsernameLock(trx, row.username);
            },
          },
          clock,
        );
        const after = await existing(row.username);
        return {
          username: after.username,
          canSignIn: after.disabled_at === null,
          message: after.disabled_at === null ? '密码已设置：请用新密码登录' : `密码已设置；账户暂不能登录（${after.disabled_reason}）`,
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/accounts/changes',
      response: accountChangesResponse,
      summary: 'Auditor: every change to every account, newest first — created, names, roles and duties requested, approved or refused (by whom), resets, codes issued, passwords set, disabled, enabled — in words, 50 at a time (before= pages on); never a code or a hash of a password',
      tag: 'audit',
      access: 'signed-in',
      query: z.strictObject({ before: queryInteger(1, Number.MAX_SAFE_INTEGER).optional(), limit: queryInteger(1, 200).default(50), username: usernameSchema.optional() }),
      async handle({ query }) {
        // An auditor who trusts nothing reads what administrators did without knowing whom to ask about first.
        const streams = db.selectFrom('streams').select('stream_id').where('stream_type', '=', ACCOUNT_STREAM);
        let rows = db
          .selectFrom('events')
          .select(['global_position', 'stream_id', 'event_type', 'payload', 'recorded_at'])
          .where('stream_id', 'in', query.username ? [accountStreamId(query.username)] : streams)
          .orderBy('global_position', 'desc')
          .limit(query.limit + 1);
        if (query.before !== undefined) rows = rows.where('global_position', '<', query.before);
        const found = await rows.execute();
        const page = found.slice(0, query.limit);
        return {
          changes: page.map((e) => ({
            position: Number(e.global_position),
            at: e.recorded_at.toISOString(),
            username: e.stream_id.slice('account-'.length),
            type: e.event_type,
            ...accountChangeInWords(e.event_type, e.payload),
          })),
          next: found.length > query.limit ? Number(page.at(-1)!.global_position) : null,
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/accounts/:username/events',
      response: accountEventsResponse,
      summary: "Auditor: an account's full history — created, roles requested, approved or refused (by whom), disabled, enabled, sign-in codes issued, passwords set — with the hash chain; never a code or a hash of a password",
      tag: 'audit',
      access: 'signed-in',
      params: usernameParams,
      async handle({ params }) {
        const events = await readStream(db, accountStreamId(params.username));
        const row = await db.selectFrom('accounts').select(['account_id', 'created_at']).where('username', '=', params.username).executeTakeFirst();
        if (!row && events.length === 0) throw new HttpError(404, 'not-found', `没有用户名为 ${params.username} 的账户`);
        const problem = verifyChain(events);
        return {
          username: params.username,
          streamId: accountStreamId(params.username),
          events: events.map(auditedEvent),
          chain: problem ? { intact: false, ...problem } : { intact: true },
          warnings: events.length === 0 ? [`账户 ${params.username} 创建于账户事件记录启用之前（${row!.created_at.toISOString()}），此前的变更没有事件`] : [],
        };
      },
    }),
  ];

  async function grantRow(grantId: string) {
    return db.selectFrom('account_grants').selectAll().where('grant_id', '=', grantId).executeTakeFirstOrThrow();
  }

  /** A grant still waiting, not for the deciding administrator's own account. */
  async function decidableGrant(grantId: string, account: Account) {
    const grant = await db.selectFrom('account_grants').selectAll().where('grant_id', '=', grantId).executeTakeFirst();
    if (!grant) throw new HttpError(404, 'not-found', `没有授权申请 ${grantId}`);
    if (grant.status !== 'pending') {
      throw new HttpError(409, 'conflict', `授权申请 ${grantId} 已由 ${grant.decided_by_name} ${grant.status === 'approved' ? '批准' : '拒绝'}：只有待批准的申请可以批准或拒绝`);
    }
    if (grant.username === account.username) throw new HttpError(403, 'forbidden', `授权申请 ${grantId} 是对您本人账户的授权：须由另一位管理员决定`);
    return grant;
  }
}

/**
 * The username another account holds. Where that account has the name asked for and nobody has set
 * its password yet, it is most likely this very creation, made a moment ago (a second click, a retry
 * after a lost answer): the administrator is told to reset it for a new code, not to make another.
 */
function usernameTaken(username: string, holder: { display_name: string; password_hash: string | null }, displayName: string): HttpError {
  if (holder.display_name === displayName && holder.password_hash === null) {
    const zh = `账号 ${username}（${displayName}）已经创建，尚未设置密码：一次性登录码只显示一次，如未记下，请在账号管理中为该账号重置密码，不要另建账号`;
    return new HttpError(409, 'conflict', zh, [{ field: 'username', code: 'username-taken', message: `${username} 已经创建：如未记下登录码，请为其重置密码` }]);
  }
  return new HttpError(409, 'conflict', `用户名 ${username} 已被占用：请换一个用户名`, [{ field: 'username', code: 'username-taken', message: `${username} 已被占用：请换一个用户名` }]);
}

/** A staff member's name as people tell names apart: width (NFKC) and spaces aside. */
const staffNameKey = (displayName: string) => displayName.normalize('NFKC').replace(/\s/g, '');
