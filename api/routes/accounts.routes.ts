import { z } from 'zod';
import { DEPARTMENTS, OFFICIAL_DUTIES, type Department } from '../../domain/cases/actor.js';
import { hashPassword } from '../auth/passwords.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { profilePersonalData, setProfilePersonalData } from '../personal-data.js';
import { route } from '../route.js';
import { text } from '../schemas/common.schemas.js';
import { personalDataBody } from '../schemas/personal-data.schemas.js';

const departmentId = z.enum(Object.keys(DEPARTMENTS) as [Department, ...Department[]]);

/** Who an account is, as an administrator assigns it: the role, and for an official the department and duties. */
const roleAssignment = {
  role: z.enum(['applicant', 'official', 'auditor', 'admin']),
  department: departmentId.optional(),
  duties: z.array(z.enum(OFFICIAL_DUTIES)).max(OFFICIAL_DUTIES.length).optional(),
  applicantKind: z.enum(['individual', 'company']).optional(),
};

type Assignment = { role: 'applicant' | 'official' | 'auditor' | 'admin'; department?: Department; duties?: (typeof OFFICIAL_DUTIES)[number][]; applicantKind?: 'individual' | 'company' };

/** The columns of a consistent assignment: an official has a department and at least one duty; nobody else has either. */
function assignmentColumns(a: Assignment) {
  const issues: { field: string; message: string }[] = [];
  if (a.role === 'official') {
    if (!a.department) issues.push({ field: 'department', message: 'an official belongs to a department' });
    if (!a.duties?.length) issues.push({ field: 'duties', message: `an official holds at least one duty: ${OFFICIAL_DUTIES.join(', ')}` });
  } else {
    if (a.department) issues.push({ field: 'department', message: 'only officials belong to a department' });
    if (a.duties?.length) issues.push({ field: 'duties', message: 'only officials hold duties' });
  }
  if (a.applicantKind && a.role !== 'applicant') issues.push({ field: 'applicantKind', message: 'only applicants apply as an individual or a company' });
  if (a.role === 'applicant' && !a.applicantKind) issues.push({ field: 'applicantKind', message: 'an applicant applies as an individual creator or a company' });
  if (issues.length) throw new HttpError(400, 'validation', `inconsistent role: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
  return {
    role: a.role,
    department: a.department ?? null,
    duties: [...new Set(a.duties ?? [])],
    applicant_kind: a.role === 'applicant' ? (a.applicantKind ?? null) : null,
  };
}

const accountView = (row: { account_id: string; username: string; display_name: string; role: string; department: string | null; duties: string[]; applicant_kind: string | null; created_at: Date }) => ({
  accountId: row.account_id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  department: row.department,
  duties: row.duties,
  applicantKind: row.applicant_kind,
  createdAt: row.created_at.toISOString(),
});

/** An administrator's accounts (never a case), and the applicant's own personal data. */
export function accountRoutes({ db, clock, personalData }: ApiDependencies) {
  const usernameParams = z.strictObject({ username: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be a username: lower-case letters, digits and hyphens') });
  return [
    route({
      method: 'PUT',
      url: '/api/me/personal-data',
      summary: "Applicant: set the profile's contact phone and, for an individual creator, 身份证号; stored encrypted, answered masked",
      tag: 'accounts',
      access: 'signed-in',
      body: personalDataBody,
      async handle({ body, account }) {
        await setProfilePersonalData(personalData, account!, body);
        return { personalData: await profilePersonalData(personalData, account!) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/admin/accounts',
      summary: 'Administrator: every account with its role, department and duties (no password hashes, no personal data)',
      tag: 'accounts',
      access: 'signed-in',
      async handle() {
        const rows = await db.selectFrom('accounts').select(['account_id', 'username', 'display_name', 'role', 'department', 'duties', 'applicant_kind', 'created_at']).orderBy('username').execute();
        return { accounts: rows.map(accountView) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/admin/accounts',
      summary: 'Administrator: create an account with its role (an official: department and duties; an applicant: individual or company) and an initial password of at least 12 characters',
      tag: 'accounts',
      access: 'signed-in',
      status: 201,
      body: z.strictObject({
        username: usernameParams.shape.username,
        displayName: text(100),
        password: z.string().min(12, 'at least 12 characters').max(200, 'at most 200 characters'),
        ...roleAssignment,
      }),
      async handle({ body }) {
        const columns = assignmentColumns(body);
        const row = await db
          .insertInto('accounts')
          .values({
            account_id: `acct-${body.username}`,
            username: body.username,
            display_name: body.displayName,
            password_hash: await hashPassword(body.password),
            profile: JSON.stringify({}),
            created_at: clock(),
            ...columns,
          })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new HttpError(409, 'conflict', `username ${body.username} is taken`);
        return { account: accountView(row) };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/admin/accounts/:username',
      summary: "Administrator: change an account's role, department and duties (takes effect on its next request); never one's own",
      tag: 'accounts',
      access: 'signed-in',
      params: usernameParams,
      body: z.strictObject({ displayName: text(100).optional(), ...roleAssignment }),
      async handle({ params, body, account }) {
        if (params.username === account!.username) throw new HttpError(403, 'forbidden', 'an administrator does not change their own role');
        const columns = assignmentColumns(body);
        const row = await db
          .updateTable('accounts')
          .set({ ...columns, ...(body.displayName ? { display_name: body.displayName } : {}) })
          .where('username', '=', params.username)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new HttpError(404, 'not-found', `no account ${params.username}`);
        return { account: accountView(row) };
      },
    }),
  ];
}
