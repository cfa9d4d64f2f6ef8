import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { verifyStore } from '../../audit/verify-store.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { resetAdministratorPassword } from '../../db/deployment-bootstrap.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { tamperAsSuperuser } from '../db/support.js';
import { freshCreditCode } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Account changes as events: every change is on account-<username>, with the administrator as
 * actor, in the transaction that changes the row; a role or duty takes a second administrator;
 * administrators never know a password (one-time sign-in codes); disabling and resets end
 * sessions; auditors read the history with its hashes; the store still verifies. No Temporal:
 * nothing here opens a case.
 */
let database: TestDatabase;
let app: FastifyInstance;
let now = new Date('2026-12-02T01:00:00Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

type Caller = (method: 'GET' | 'POST' | 'PUT', url: string, body?: object, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
let admin: Caller;
let secondAdmin: Caller;
let auditor: Caller;

const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

async function signIn(username: string, password = DEMO_PASSWORD): Promise<Caller> {
  const response = await login(username, password);
  expect(response.statusCode, `sign in as ${username}: ${response.body}`).toBe(200);
  const token = response.json().token as string;
  return (method, url, body, headers = {}) => app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body === undefined ? {} : { payload: body }) });
}

const activate = (username: string, code: string, newPassword: string) => app.inject({ method: 'POST', url: '/api/auth/activate', payload: { username, code, newPassword } });

async function accountEvents(username: string) {
  const rows = await database.db.selectFrom('events').selectAll().where('stream_id', '=', `account-${username}`).orderBy('stream_version').execute();
  return rows.map((r) => ({ type: r.event_type, data: r.payload, actor: (r.metadata as { actor: { accountId: string; role: string } }).actor }));
}

const row = (username: string) => database.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirstOrThrow();

/** Creates an account as `admin` and returns its one-time code. */
async function create(body: object, headers: Record<string, string> = {}): Promise<{ code: string; link: string; response: LightMyRequestResponse }> {
  const response = await admin('POST', '/api/admin/accounts', body, headers);
  expect(response.statusCode, response.body).toBe(201);
  return { code: response.json().signIn.code, link: response.json().signIn.link, response };
}

async function signInStaff() {
  admin = await signIn('admin');
  secondAdmin = await signIn('second-admin');
  auditor = await signIn('auditor');
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccounts(database.db, now);
  app = await buildApp({ db: database.db, temporal: {} as Client, taskQueue: 'accounts', clock: () => now, calendar: calendarFromDatabase(database.db) });
  await signInStaff();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the demo accounts', () => {
  it('are created by events of the system, once, however often the seed runs', async () => {
    for (const username of ['admin', 'creator', 'fund-reviewer']) {
      const events = await accountEvents(username);
      expect(events.map((e) => e.type)).toEqual(['AccountCreated', 'PasswordSet']);
      expect(events.every((e) => e.actor.accountId === 'system' && e.actor.role === 'system')).toBe(true);
      expect(JSON.stringify(events)).not.toContain('scrypt');
    }
    expect((await accountEvents('fund-reviewer'))[0]!.data).toMatchObject({ role: 'official', department: 'yangpu-fund', duties: ['reviewer'], awaitingGrantId: null });
    expect((await accountEvents('creator'))[0]!.data).toMatchObject({ role: 'applicant', applicantKind: 'company', profile: { company: { name: '上海星河文化传媒有限公司' } } });
    const count = () => database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('stream_id', 'like', 'account-%').executeTakeFirstOrThrow();
    const before = (await count()).n;
    expect(before).toBeGreaterThanOrEqual(DEMO_ACCOUNTS.length * 2);
    await seedDemoAccounts(database.db, now); // a restart
    expect((await count()).n).toBe(before);
  });
});

describe('creating an account', () => {
  it('refuses a password chosen by the administrator; answers a one-time code shown once and stored only as a hash', async () => {
    const withPassword = await admin('POST', '/api/admin/accounts', { username: 'chen-creator', displayName: '陈创作', role: 'applicant', applicantKind: 'individual', password: 'chosen-by-the-admin' });
    expect(withPassword.statusCode).toBe(400);
    expect(withPassword.json().message).toContain('不认识的字段「password」');

    // With an Idempotency-Key: even the store of answers for replay must not keep the code.
    const { code, link, response } = await create({ username: 'chen-creator', displayName: '陈创作', role: 'applicant', applicantKind: 'individual' }, { 'idempotency-key': 'create-chen-creator-1' });
    expect(code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(link).toBe(`/#/activate?username=chen-creator&code=${code}`);
    expect(response.json().signIn.expiresAt).toBe(new Date(now.getTime() + 72 * 3600_000).toISOString());
    expect(response.json().account).toMatchObject({ username: 'chen-creator', role: 'applicant', applicantKind: 'individual', passwordSet: false, disabled: null, pendingGrant: null });

    const events = await accountEvents('chen-creator');
    expect(events.map((e) => e.type)).toEqual(['AccountCreated', 'SignInCodeIssued']);
    expect(events.every((e) => e.actor.accountId === 'demo-admin')).toBe(true);
    expect(events[0]!.data).toMatchObject({ accountId: 'acct-chen-creator', displayName: '陈创作', role: 'applicant', applicantKind: 'individual', department: null, duties: [], by: { accountId: 'demo-admin', displayName: '系统管理员' } });
    expect(events[1]!.data).toEqual({ purpose: 'activation', expiresAt: response.json().signIn.expiresAt, by: { accountId: 'demo-admin', displayName: '系统管理员' } });
    expect(await row('chen-creator')).toMatchObject({ account_id: 'acct-chen-creator', role: 'applicant', applicant_kind: 'individual', password_hash: null, disabled_at: null });

    const everything = JSON.stringify([
      await database.db.selectFrom('events').selectAll().execute(),
      await database.db.selectFrom('account_sign_in_codes').selectAll().execute(),
      await database.db.selectFrom('idempotency_keys').selectAll().execute(),
    ]);
    expect(everything).not.toContain(code);
    // Nobody can sign in with it before the holder chose a password; not with an empty one either.
    expect((await login('chen-creator', code)).statusCode).toBe(401);
  });

  it('creates one account when the same creation comes thirty times at once; the others are told the username is taken, at its field, never a server error', async () => {
    const body = { username: 'lin-at-once', displayName: '林同时', role: 'applicant', applicantKind: 'individual' };
    const answers = await Promise.all(Array.from({ length: 30 }, () => admin('POST', '/api/admin/accounts', body)));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(refused.map((a) => a.statusCode)).toEqual(Array(29).fill(409));
    for (const answer of refused) expect(answer.json().issues, answer.body).toEqual([expect.objectContaining({ field: 'username', code: 'username-taken' })]);
    expect((await accountEvents('lin-at-once')).map((e) => e.type)).toEqual(['AccountCreated', 'SignInCodeIssued']);
    // The same creation once more (the answer with its code was lost): reset it, do not make another.
    const again = await admin('POST', '/api/admin/accounts', body);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('账号 lin-at-once（林同时）已经创建，尚未设置密码：一次性登录码只显示一次，如未记下，请在账号管理中为该账号重置密码，不要另建账号');
  });

  it('refuses a staff account the name another staff account has (enabled, disabled or awaiting approval; width and spaces aside), at its field, ten at once too; applicants may share a name', async () => {
    // 王审查 is the demo fund reviewer: a second official of that name would read as the same person in every case's history.
    const twin = await admin('POST', '/api/admin/accounts', { username: 'wang-twin', displayName: '王审查', role: 'official', department: 'xuhui', duties: ['reviewer'] });
    expect(twin.statusCode).toBe(409);
    expect(twin.json()).toMatchObject({ code: 'conflict', issues: [{ field: 'displayName', code: 'display-name-taken' }] });
    expect(twin.json().message).toContain('已有杨浦区 V聚场基金的账户 fund-reviewer 使用显示名「王审查」');
    expect(await database.db.selectFrom('accounts').select('username').where('username', '=', 'wang-twin').executeTakeFirst()).toBeUndefined();
    // Renamed to it later: the same.
    await create({ username: 'wang-other', displayName: '王另一', role: 'official', department: 'xuhui', duties: ['reviewer'] });
    expect((await admin('PUT', '/api/admin/accounts/wang-other', { displayName: '王审查' })).statusCode).toBe(409);
    // Told apart, it is taken; an applicant may bear any name.
    expect((await admin('PUT', '/api/admin/accounts/wang-other', { displayName: '王审查（徐汇区）' })).statusCode).toBe(200);
    await create({ username: 'wang-applicant', displayName: '王审查', role: 'applicant', applicantKind: 'individual' });

    // An account awaiting its approval holds its name too, and names are compared as people read them.
    await create({ username: 'pending-auditor', displayName: '候批准审计员１', role: 'auditor' });
    for (const [username, displayName] of [['pending-twin', '候批准审计员１'], ['pending-spaced', ' 候批准 审计员1 ']]) {
      expect((await admin('POST', '/api/admin/accounts', { username, displayName, role: 'auditor' })).statusCode, displayName).toBe(409);
    }
    // Ten creations of one new name at once: one account has it.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => admin('POST', '/api/admin/accounts', { username: `same-name-${i}`, displayName: '同时同名', role: 'expert' })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(await database.db.selectFrom('accounts').select('username').where('display_name', '=', '同时同名').execute()).toHaveLength(1);
  });

  it('lets the holder set a password with the code once; a wrong, reused or expired code is refused alike', async () => {
    const { code } = await create({ username: 'lin-creator', displayName: '林创作', role: 'applicant', applicantKind: 'company', company: { name: '上海林创文化有限公司', unifiedSocialCreditCode: freshCreditCode() } });
    const short = await activate('lin-creator', code, 'too-short');
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toContain('密码至少 12 个字符');
    const wrong = await activate('lin-creator', `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`, 'my-own-password-1');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ message: '登录码无效、已使用或已过期：请联系管理员重新发放登录码', issues: [{ field: 'code' }] });

    const done = await activate('lin-creator', code, 'my-own-password-1');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ username: 'lin-creator', canSignIn: true, message: '密码已设置：请用新密码登录' });
    const events = await accountEvents('lin-creator');
    expect(events.map((e) => e.type)).toEqual(['AccountCreated', 'SignInCodeIssued', 'PasswordSet']);
    expect(events[2]).toMatchObject({ actor: { accountId: 'acct-lin-creator', role: 'applicant' }, data: { by: { accountId: 'acct-lin-creator' }, method: 'sign-in-code' } });
    expect(JSON.stringify(events)).not.toMatch(/scrypt|my-own-password/);
    expect((await row('lin-creator')).password_hash).toMatch(/^scrypt\$/);
    expect((await login('lin-creator', 'my-own-password-1')).statusCode).toBe(200);

    const again = await activate('lin-creator', code, 'someone-elses-password');
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toBe(wrong.json().message);
    expect((await accountEvents('lin-creator')).length).toBe(3);

    const late = await create({ username: 'late-creator', displayName: '迟到', role: 'applicant', applicantKind: 'company', company: { name: '上海迟到文化有限公司', unifiedSocialCreditCode: freshCreditCode() } });
    advance(72 * 3600_000 + 1000);
    await signInStaff(); // their 12-hour sessions ended too
    const expired = await activate('late-creator', late.code, 'my-own-password-2');
    expect(expired.statusCode).toBe(400);
    expect(expired.json().message).toBe(wrong.json().message);
    expect((await row('late-creator')).password_hash).toBeNull();
    // A fresh code (a reset) works where the expired one did not.
    const reissued = await admin('POST', '/api/admin/accounts/late-creator/reset-password', {});
    expect(reissued.statusCode, reissued.body).toBe(200);
    expect((await activate('late-creator', reissued.json().signIn.code, 'my-own-password-2')).statusCode).toBe(200);
  });
});

describe('a reset password', () => {
  it('is told to its holder, in their inbox and by email: an administrator cannot take an account over unseen', async () => {
    const before = new Date(now.getTime());
    const { code } = await create({ username: 'he-reset', displayName: '何重置', role: 'applicant', applicantKind: 'individual' });
    const first = await activate('he-reset', code, 'lin-jian-xiao-lu-2026-first');
    expect(first.statusCode, first.body).toBe(200);
    await database.db.insertInto('notice_contacts').values({ account_id: 'acct-he-reset', channel: 'email', address: 'he-reset@youchuang.example' }).execute();
    const reset = await admin('POST', '/api/admin/accounts/he-reset/reset-password', {});
    expect(reset.statusCode, reset.body).toBe(200);
    const activated = await activate('he-reset', reset.json().signIn.code, 'he-zi-xuan-de-mi-ma-2026');
    expect(activated.statusCode, activated.body).toBe(200);
    const holder = await signIn('he-reset', 'he-zi-xuan-de-mi-ma-2026');
    const inbox = (await holder('GET', '/api/inbox')).json<{ notices: { kind: string; title: string; body: string; caseId: string | null }[] }>().notices;
    const told = inbox.filter((n) => n.kind === 'account-security');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: '您的账户密码已被重置', caseId: null });
    expect(told[0]!.body).toMatch(/^管理员（系统管理员）于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}重置了您的账户（he-reset）的密码，原密码已失效.+如您没有申请重置，请立即与主管部门联系。$/);
    // The email goes out through the outbox to the holder's contact, not to the administrator.
    const mailed = await database.db
      .selectFrom('notice_deliveries')
      .innerJoin('notices', 'notices.notice_id', 'notice_deliveries.notice_id')
      .select(['notice_deliveries.address', 'notice_deliveries.recipient_account_id'])
      .where('notices.kind', '=', 'account-security')
      .where('notices.created_at', '>=', before)
      .execute();
    expect(mailed).toEqual([{ address: 'he-reset@youchuang.example', recipient_account_id: 'acct-he-reset' }]);
    // Nobody else reads it.
    const adminInbox = (await admin('GET', '/api/inbox')).json<{ notices: { kind: string }[] }>().notices;
    expect(adminInbox.filter((n) => n.kind === 'account-security')).toEqual([]);
  });
});

describe('a second administrator', () => {
  it('approves an official account before it can act as one; its requester cannot', async () => {
    const { code, response } = await create({ username: 'xu-official', displayName: '许审查', role: 'official', department: 'xuhui', duties: ['reviewer'] });
    const grant = response.json().account.pendingGrant;
    expect(grant).toMatchObject({ kind: 'creation', status: 'pending', reasons: ['授予工作人员角色'], requestedBy: { accountId: 'demo-admin' }, after: { role: 'official', department: 'xuhui', duties: ['reviewer'] } });
    expect(response.json().account.disabled).toMatchObject({ reason: '等待第二位管理员批准授权' });

    const activated = await activate('xu-official', code, 'xu-shen-cha-2026');
    expect(activated.json()).toMatchObject({ canSignIn: false, message: '密码已设置；账户暂不能登录（等待第二位管理员批准授权）' });
    const refusedLogin = await login('xu-official', 'xu-shen-cha-2026');
    expect(refusedLogin.statusCode).toBe(401);
    expect(refusedLogin.json()).toEqual((await login('xu-official', 'not-the-password')).json());

    // Neither enabling it nor approving one's own request gets round the second administrator.
    const enabled = await admin('POST', '/api/admin/accounts/xu-official/enable', {});
    expect(enabled.statusCode).toBe(409);
    expect(enabled.json().message).toContain('尚待第二位管理员批准');
    const own = await admin('POST', `/api/admin/account-grants/${grant.grantId}/approve`, {});
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toContain('提出申请的管理员不能自己批准');
    expect((await admin('GET', '/api/admin/account-grants')).json().grants.map((g: { grantId: string }) => g.grantId)).toContain(grant.grantId);

    const approved = await secondAdmin('POST', `/api/admin/account-grants/${grant.grantId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ grant: { status: 'approved', decidedBy: { accountId: 'demo-second-admin' } }, account: { disabled: null, role: 'official' } });
    const official = await signIn('xu-official', 'xu-shen-cha-2026');
    expect((await official('GET', '/api/me')).json()).toMatchObject({ role: 'official', department: 'xuhui', duties: ['reviewer'] });

    const events = await accountEvents('xu-official');
    expect(events.map((e) => `${e.type} by ${e.actor.accountId}`)).toEqual([
      'AccountCreated by demo-admin',
      'RoleGrantRequested by demo-admin',
      'SignInCodeIssued by demo-admin',
      'PasswordSet by acct-xu-official',
      'RoleGrantApproved by demo-second-admin',
    ]);
    expect(events[0]!.data).toMatchObject({ awaitingGrantId: grant.grantId });
    const again = await secondAdmin('POST', `/api/admin/account-grants/${grant.grantId}/approve`, {});
    expect(again.statusCode).toBe(409);
  });

  it('approves an added duty or department; until then the account works with what it had; taking away applies at once', async () => {
    const reviewer = await signIn('xuhui-reviewer');
    const requested = await admin('PUT', '/api/admin/accounts/xuhui-reviewer', { role: 'official', department: 'xuhui', duties: ['reviewer', 'approver'] });
    expect(requested.statusCode, requested.body).toBe(200);
    expect(requested.json()).toMatchObject({ applied: false, grant: { kind: 'change', reasons: ['增加职责：审批'], before: { duties: ['reviewer'] }, after: { duties: ['reviewer', 'approver'] } }, account: { duties: ['reviewer'] } });
    expect((await reviewer('GET', '/api/me')).json().duties).toEqual(['reviewer']);
    expect((await row('xuhui-reviewer')).duties).toEqual(['reviewer']);

    // One grant waits at a time, so an approval never lands on a state it was not asked on.
    const meanwhile = await admin('PUT', '/api/admin/accounts/xuhui-reviewer', { role: 'official', department: 'huangpu', duties: ['reviewer'] });
    expect(meanwhile.statusCode).toBe(409);
    expect(meanwhile.json().message).toContain('已有一项待批准的授权申请');
    // Named by who asked and when, not by the grant's id.
    expect(meanwhile.json().message).toMatch(/授权申请（系统管理员于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}提出）/);

    const grantId = requested.json().grant.grantId as string;
    expect((await admin('POST', `/api/admin/account-grants/${grantId}/approve`, {})).statusCode).toBe(403);
    const approved = await secondAdmin('POST', `/api/admin/account-grants/${grantId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await reviewer('GET', '/api/me')).json().duties).toEqual(['reviewer', 'approver']);

    // Another department is a grant too.
    const moved = await admin('PUT', '/api/admin/accounts/xuhui-reviewer', { role: 'official', department: 'huangpu', duties: ['reviewer', 'approver'] });
    expect(moved.json()).toMatchObject({ applied: false, grant: { reasons: ['调入黄浦区'] } });
    const refused = await secondAdmin('POST', `/api/admin/account-grants/${moved.json().grant.grantId}/refuse`, { reason: '未经人事调动审批' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json().grant).toMatchObject({ status: 'refused', refusalReason: '未经人事调动审批' });
    expect((await row('xuhui-reviewer')).department).toBe('xuhui');

    // Taking a duty away applies at once, by one administrator.
    const removed = await admin('PUT', '/api/admin/accounts/xuhui-reviewer', { role: 'official', department: 'xuhui', duties: ['reviewer'], displayName: '冯评审（复核）' });
    expect(removed.json()).toMatchObject({ applied: true, grant: null, account: { duties: ['reviewer'], displayName: '冯评审（复核）' } });
    expect((await reviewer('GET', '/api/me')).json().duties).toEqual(['reviewer']);

    const events = await accountEvents('xuhui-reviewer');
    expect(events.slice(2).map((e) => `${e.type} by ${e.actor.accountId}`)).toEqual([
      'RoleGrantRequested by demo-admin',
      'RoleGrantApproved by demo-second-admin',
      'RoleGrantRequested by demo-admin',
      'RoleGrantRefused by demo-second-admin',
      'DisplayNameChanged by demo-admin',
      'AccountRoleChanged by demo-admin',
    ]);
    expect(events.at(-1)!.data).toMatchObject({ from: { duties: ['reviewer', 'approver'] }, to: { duties: ['reviewer'] }, by: { accountId: 'demo-admin' } });
    expect(events.at(-3)!.data).toMatchObject({ reason: '未经人事调动审批', refusedBy: { accountId: 'demo-second-admin' } });
  });

  it('never decides on their own account, and nobody changes their own role', async () => {
    expect((await secondAdmin('PUT', '/api/admin/accounts/second-admin', { role: 'official', department: 'xuhui', duties: ['approver'] })).statusCode).toBe(403);
    const forSecond = await admin('PUT', '/api/admin/accounts/second-admin', { role: 'auditor' });
    expect(forSecond.json()).toMatchObject({ applied: false, grant: { reasons: ['授予审计角色'] } });
    const self = await secondAdmin('POST', `/api/admin/account-grants/${forSecond.json().grant.grantId}/approve`, {});
    expect(self.statusCode).toBe(403);
    expect(self.json().message).toContain('对您本人账户的授权');
    // The requester may withdraw their own request.
    expect((await admin('POST', `/api/admin/account-grants/${forSecond.json().grant.grantId}/refuse`, { reason: '误操作' })).statusCode).toBe(200);
    expect((await row('second-admin')).role).toBe('admin');
  });
});

describe('disabling and resetting', () => {
  it('a disabled account signs in nowhere and its open sessions stop at once; enabled, it works again', async () => {
    const creator = await signIn('individual-creator');
    expect((await admin('POST', '/api/admin/accounts/admin/disable', { reason: '自测' })).statusCode).toBe(403);
    const disabled = await admin('POST', '/api/admin/accounts/individual-creator/disable', { reason: '账户疑似被盗用' });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().account.disabled).toMatchObject({ reason: '账户疑似被盗用' });
    expect((await creator('GET', '/api/me')).statusCode).toBe(401);
    const refused = await login('individual-creator', DEMO_PASSWORD);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual((await login('individual-creator', 'wrong-password')).json());
    expect(await database.db.selectFrom('sessions').select('token_hash').where('account_id', '=', 'demo-individual-creator').execute()).toEqual([]);
    expect((await admin('POST', '/api/admin/accounts/individual-creator/disable', { reason: '再次' })).statusCode).toBe(409);

    expect((await admin('POST', '/api/admin/accounts/individual-creator/enable', {})).statusCode).toBe(200);
    expect((await login('individual-creator', DEMO_PASSWORD)).statusCode).toBe(200);
    const events = await accountEvents('individual-creator');
    expect(events.slice(2)).toMatchObject([
      { type: 'AccountDisabled', actor: { accountId: 'demo-admin' }, data: { reason: '账户疑似被盗用', by: { accountId: 'demo-admin' } } },
      { type: 'AccountEnabled', actor: { accountId: 'demo-admin' } },
    ]);
    expect(await row('individual-creator')).toMatchObject({ disabled_at: null, disabled_reason: null });
  });

  it('an official’s reset waits for a second administrator: the old password and sessions end at the approval, and go on if it is refused', async () => {
    const reviewer = await signIn('hrss-reviewer');
    expect((await admin('POST', '/api/admin/accounts/admin/reset-password', {})).statusCode).toBe(403);
    const reset = await admin('POST', '/api/admin/accounts/hrss-reviewer/reset-password', {}, { 'idempotency-key': 'reset-hrss-reviewer-1' });
    expect(reset.statusCode, reset.body).toBe(200);
    const code = reset.json().signIn.code as string;
    // One administrator alone does not lock the official out (an outside tester did, and the refusal did not undo it).
    expect((await reviewer('GET', '/api/me')).statusCode).toBe(200);
    expect((await login('hrss-reviewer', DEMO_PASSWORD)).statusCode).toBe(200);
    expect(JSON.stringify(await database.db.selectFrom('idempotency_keys').selectAll().execute())).not.toContain(code);

    // The administrator who reset it holds the code: alone, they could set the official's password and act as them.
    const grant = reset.json().account.pendingGrant;
    expect(grant).toMatchObject({ kind: 'reset', status: 'pending', requestedBy: { accountId: 'demo-admin' } });
    const early = await activate('hrss-reviewer', code, 'the-resetting-admins-choice');
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('尚待另一位管理员批准');
    expect((await admin('POST', `/api/admin/account-grants/${grant.grantId}/approve`, {})).statusCode).toBe(403);
    expect((await secondAdmin('POST', `/api/admin/account-grants/${grant.grantId}/approve`, {})).statusCode).toBe(200);
    // Approved, the reset takes effect: the old password and the sessions end.
    expect((await reviewer('GET', '/api/me')).statusCode).toBe(401);
    expect((await login('hrss-reviewer', DEMO_PASSWORD)).statusCode).toBe(401);

    expect((await activate('hrss-reviewer', code, 'a-new-password-of-mine')).statusCode).toBe(200);
    expect((await login('hrss-reviewer', 'a-new-password-of-mine')).statusCode).toBe(200);
    expect((await accountEvents('hrss-reviewer')).slice(2).map((e) => `${e.type} by ${e.actor.accountId}`)).toEqual([
      'SignInCodeIssued by demo-admin',
      'RoleGrantRequested by demo-admin',
      'RoleGrantApproved by demo-second-admin',
      'PasswordResetIssued by demo-second-admin',
      'PasswordSet by demo-hrss-reviewer',
    ]);

    // A reset the second administrator refuses leaves no code that works, and the password as it was.
    const again = await admin('POST', '/api/admin/accounts/hrss-reviewer/reset-password', {});
    const refusedGrant = again.json().account.pendingGrant;
    expect((await secondAdmin('POST', `/api/admin/account-grants/${refusedGrant.grantId}/refuse`, { reason: '本人未申请重置' })).statusCode).toBe(200);
    expect((await activate('hrss-reviewer', again.json().signIn.code, 'another-password-1')).statusCode).toBe(400);
    expect((await login('hrss-reviewer', 'a-new-password-of-mine')).statusCode).toBe(200);
  });

  it('enables a disabled official only once a second administrator approves; an applicant at once', async () => {
    expect((await admin('POST', '/api/admin/accounts/cac-reviewer/disable', { reason: '离职' })).statusCode).toBe(200);
    const enabling = await admin('POST', '/api/admin/accounts/cac-reviewer/enable', {});
    expect(enabling.statusCode, enabling.body).toBe(200);
    expect(enabling.json().account).toMatchObject({ disabled: { reason: '离职' }, pendingGrant: { kind: 'enable', status: 'pending' } });
    expect((await login('cac-reviewer', DEMO_PASSWORD)).statusCode).toBe(401);
    // One request at a time: a reset of the same account waits for the first to be decided.
    expect((await admin('POST', '/api/admin/accounts/cac-reviewer/reset-password', {})).statusCode).toBe(409);
    const approved = await secondAdmin('POST', `/api/admin/account-grants/${enabling.json().account.pendingGrant.grantId}/approve`, {});
    expect(approved.json()).toMatchObject({ grant: { kind: 'enable', status: 'approved' }, account: { disabled: null } });
    expect((await login('cac-reviewer', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('an official demoted and then reset still waits for a second administrator: one administrator alone does not come to hold an official’s password', async () => {
    // An outsider's administrator demoted an official, reset the password alone, and had the account made an official again.
    const demoted = await admin('PUT', '/api/admin/accounts/hrss-supervisor', { role: 'applicant', applicantKind: 'individual' });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect(demoted.json()).toMatchObject({ applied: true });
    const reset = await admin('POST', '/api/admin/accounts/hrss-supervisor/reset-password', {});
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().account.pendingGrant).toMatchObject({ kind: 'reset', status: 'pending', reasons: [expect.stringContaining('重置曾担任特权角色的账户')] });
    expect((await activate('hrss-supervisor', reset.json().signIn.code as string, 'the-resetting-admins-choice')).statusCode).toBe(409);
    // An account that never held a privileged role is reset at once, as before.
    const applicantReset = await admin('POST', '/api/admin/accounts/individual-creator/reset-password', {});
    expect(applicantReset.statusCode, applicantReset.body).toBe(200);
    expect(applicantReset.json().account.pendingGrant).toBeNull();
  });

  it('does not demote one of the last two administrators at once: no grant could be approved again; disabling, which can be undone, stays open', async () => {
    const demotion = await admin('PUT', '/api/admin/accounts/second-admin', { role: 'applicant', applicantKind: 'individual' });
    expect(demotion.statusCode).toBe(409);
    expect(demotion.json()).toMatchObject({ message: expect.stringContaining('降级后将只剩一位启用的管理员'), issues: [{ field: 'role', code: 'last-two-administrators' }] });
    expect(await row('second-admin')).toMatchObject({ role: 'admin', disabled_at: null });
    expect((await accountEvents('second-admin')).map((e) => e.type)).not.toContain('AccountRoleChanged');
  });
});

describe("an account's history for auditors", () => {
  it('lists the events with actors and hashes, chained; refuses everyone else', async () => {
    const history = await auditor('GET', '/api/audit/accounts/xu-official/events');
    expect(history.statusCode, history.body).toBe(200);
    const body = history.json();
    expect(body).toMatchObject({ username: 'xu-official', streamId: 'account-xu-official', chain: { intact: true }, warnings: [] });
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(['AccountCreated', 'RoleGrantRequested', 'SignInCodeIssued', 'PasswordSet', 'RoleGrantApproved']);
    expect(body.events[4]).toMatchObject({ version: 5, actor: { accountId: 'demo-second-admin', role: 'admin' }, prevHash: body.events[3].hash });
    expect(body.events.every((e: { hash: string }) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/scrypt|password_hash|code_hash/);

    expect((await auditor('GET', '/api/audit/accounts/nobody-here/events')).statusCode).toBe(404);
    for (const caller of [admin, secondAdmin, await signIn('creator'), await signIn('fund-reviewer')]) {
      expect((await caller('GET', '/api/audit/accounts/xu-official/events')).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/audit/accounts/xu-official/events' })).statusCode).toBe(401);
  });

  it('lists every change to every account, newest first, in words with who did it, page by page; to auditors only', async () => {
    type Change = { position: number; username: string; type: string; summary: string; by: { displayName: string } | null };
    const first = await auditor('GET', '/api/audit/accounts/changes?limit=5');
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json<{ changes: Change[]; next: number | null }>();
    expect(page.changes).toHaveLength(5);
    const positions = page.changes.map((c) => c.position);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    // Every change, however many pages: each account event once, in the order of the log.
    const all: Change[] = [...page.changes];
    for (let next = page.next; next !== null; ) {
      const more = (await auditor('GET', `/api/audit/accounts/changes?limit=50&before=${next}`)).json<{ changes: Change[]; next: number | null }>();
      all.push(...more.changes);
      next = more.next;
    }
    const recorded = await database.db.selectFrom('events').select('global_position').where('stream_id', 'like', 'account-%').orderBy('global_position', 'desc').execute();
    expect(all.map((c) => c.position)).toEqual(recorded.map((r) => Number(r.global_position)));
    // The official whose creation a second administrator approved: who asked and who approved, in words.
    const xu = all.filter((c) => c.username === 'xu-official');
    expect(xu.find((c) => c.type === 'RoleGrantRequested')).toMatchObject({ summary: expect.stringMatching(/^申请新建账户：工作人员（.+）/), by: { displayName: '系统管理员' } });
    expect(xu.find((c) => c.type === 'RoleGrantApproved')).toMatchObject({ summary: expect.stringMatching(/^批准系统管理员申请的新建账户：/), by: { displayName: '安全管理员' } });
    expect((await auditor('GET', '/api/audit/accounts/changes?username=xu-official')).json<{ changes: Change[] }>().changes.map((c) => c.position)).toEqual(xu.map((c) => c.position));
    expect(JSON.stringify(all)).not.toMatch(/scrypt|password_hash|code_hash/);
    for (const caller of [admin, secondAdmin, await signIn('fund-reviewer')]) expect((await caller('GET', '/api/audit/accounts/changes')).statusCode).toBe(403);
  });
});

describe('the audit verification, with account streams present', () => {
  const run = promisify(execFile);
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));

  it('verifies the whole store and rebuilds the read models without drift', async () => {
    const streams = await database.db.selectFrom('streams').select(['stream_id', 'stream_type']).execute();
    expect(streams.length).toBeGreaterThan(DEMO_ACCOUNTS.length);
    expect(streams.every((s) => s.stream_type === 'account')).toBe(true);
    const report = await verifyStore(database.db);
    expect(report).toMatchObject({ intact: true, problemCount: 0, streamsChecked: streams.length });
    expect((await rebuildAndCompare(database.db)).intact).toBe(true);

    const cli = await run(process.execPath, ['--import', 'tsx', 'audit/cli.ts', 'verify'], { cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: database.url }, timeout: 60_000 });
    expect(cli.stdout).toContain(`共 ${streams.length} 条事件流`);
    expect(cli.stdout).toContain('没有发现问题：记录完好。');
  }, 90_000);

  it('finds an account event altered after it was written', async () => {
    await tamperAsSuperuser(database.url, [
      { text: `UPDATE events SET payload = jsonb_set(payload, '{to,duties}', '["reviewer","approver","director"]') WHERE stream_id = 'account-xuhui-reviewer' AND event_type = 'RoleGrantApproved'` },
    ]);
    const report = await verifyStore(database.db);
    expect(report.intact).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'chain', streamId: 'account-xuhui-reviewer', message: expect.stringContaining('写入后被改动过') }));
    const history = (await auditor('GET', '/api/audit/accounts/xuhui-reviewer/events')).json();
    expect(history.chain).toMatchObject({ intact: false, streamVersion: 4 });
  });
});

describe('a password its holder chooses', () => {
  it('is refused when it holds the username, repeats a few characters or is a common one, and says why at the field', async () => {
    const { code } = await create({ username: 'weak-creator', displayName: '弱', role: 'applicant', applicantKind: 'company', company: { name: '上海弱文化有限公司', unifiedSocialCreditCode: freshCreditCode() } });
    for (const [password, why] of [
      ['aaaaaaaaaaaa', '至少使用 5 个不同的字符'],
      ['weak-creator-2026', '不能包含用户名'],
      ['Password1234', '常见密码'],
      ['1234567890ab', '连续的字母或数字'],
    ] as const) {
      const refused = await activate('weak-creator', code, password);
      expect(refused.statusCode, password).toBe(400);
      expect(refused.json().issues, password).toEqual([expect.objectContaining({ field: 'newPassword', code: 'weak-password', message: expect.stringContaining(why) })]);
    }
    // Too short is said once, at the field.
    const short = await activate('weak-creator', code, 'short-1');
    expect(short.statusCode).toBe(400);
    expect(short.json().issues).toEqual([expect.objectContaining({ field: 'newPassword', message: '密码至少 12 个字符' })]);
    // The code was not used up by the refusals.
    expect((await activate('weak-creator', code, 'hong-shan-43-qiao')).statusCode).toBe(200);
  });
});

describe('a new account with several mistakes', () => {
  it('is told every one at once, each at its field: the username beside the role’s missing department and duties', async () => {
    // An outsider was told the username, and only after fixing it the department and the duties.
    const refused = await admin('POST', '/api/admin/accounts', { username: '张 三', displayName: '张三', role: 'official' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues.map((i: { field: string }) => i.field).sort()).toEqual(['department', 'duties', 'username']);
    expect(await database.db.selectFrom('accounts').select('username').where('display_name', '=', '张三').execute()).toEqual([]);
  });
});

describe('a display name changed alone', () => {
  it('keeps the role as it is; a department or duties without the role are refused at the role', async () => {
    const renamed = await admin('PUT', '/api/admin/accounts/hrss-approver', { displayName: '杨人社（调岗）' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ applied: true, grant: null, account: { displayName: '杨人社（调岗）', role: 'official', department: 'hrss', duties: ['approver'] } });
    const partial = await admin('PUT', '/api/admin/accounts/hrss-approver', { department: 'xuhui' });
    expect(partial.statusCode, partial.body).toBe(400);
    expect(partial.json().issues).toEqual([expect.objectContaining({ field: 'role', message: '更改部门、职责或申请人类型时，须同时选择角色' })]);
    const nothing = await admin('PUT', '/api/admin/accounts/hrss-approver', {});
    expect(nothing.statusCode, nothing.body).toBe(400);
  });
});

describe('a deployment with its two administrators only', () => {
  it('does not hand one administrator a code for the other’s account: the operator resets it from the command line', async () => {
    const passwordBefore = (await database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'second-admin').executeTakeFirstOrThrow()).password_hash;
    const reset = await admin('POST', '/api/admin/accounts/second-admin/reset-password', {});
    expect(reset.statusCode, reset.body).toBe(409);
    expect(reset.json().message).toContain('第三位管理员');
    expect(reset.json().message).toContain('npm run bootstrap -- --reset-admin second-admin');
    expect(reset.json()).not.toHaveProperty('signIn');
    expect(await database.db.selectFrom('account_sign_in_codes').select('account_id').where('account_id', '=', 'demo-second-admin').execute()).toEqual([]);
    // Nothing changed: the other administrator still signs in with their own password.
    const after = await database.db.selectFrom('accounts').select('password_hash').where('username', '=', 'second-admin').executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(passwordBefore);
    expect((await login('second-admin', DEMO_PASSWORD)).statusCode).toBe(200);

    // The operator, who holds the database owner's connection, issues the code instead.
    const issued = await resetAdministratorPassword(database.db, 'second-admin', () => new Date());
    expect((await login('second-admin', DEMO_PASSWORD)).statusCode, 'the old password stops working at the reset').toBe(401);
    expect((await activate('second-admin', issued.code, 'a-fresh-pass-for-security')).statusCode).toBe(200);
    expect((await login('second-admin', 'a-fresh-pass-for-security')).statusCode).toBe(200);
    await expect(resetAdministratorPassword(database.db, 'creator', () => new Date())).rejects.toThrow('不是管理员');
  });

  it('keeps one administrator enabled when the two disable each other at once, and the operator’s reset enables the other again', async () => {
    const first = await signIn('admin');
    const second = await signIn('second-admin', 'a-fresh-pass-for-security');
    const [one, other] = await Promise.all([
      first('POST', '/api/admin/accounts/second-admin/disable', { reason: '互相停用甲' }),
      second('POST', '/api/admin/accounts/admin/disable', { reason: '互相停用乙' }),
    ]);
    // One succeeds; the other is refused, by the last-administrator rule or, if the first ended its session before it was read, as signed out.
    expect([one, other].filter((r) => r.statusCode === 200)).toHaveLength(1);
    const refused = [one, other].find((r) => r.statusCode !== 200)!;
    expect([401, 409]).toContain(refused.statusCode);
    if (refused.statusCode === 409) expect(refused.json().message).toContain('停用后将没有可以登录的管理员');
    const enabled = await database.db.selectFrom('accounts').select('username').where('role', '=', 'admin').where('disabled_at', 'is', null).execute();
    expect(enabled).toHaveLength(1);

    // The disabled one comes back by the operator's reset: enabled, with a code to set a password.
    const disabled = one.statusCode === 200 ? 'second-admin' : 'admin';
    const issued = await resetAdministratorPassword(database.db, disabled, () => new Date());
    expect((await row(disabled)).disabled_at).toBeNull();
    expect((await accountEvents(disabled)).map((e) => e.type).slice(-3)).toEqual(['AccountEnabled', 'PasswordResetIssued', 'SignInCodeIssued']);
    expect((await activate(disabled, issued.code, 'back-again-after-the-lockout')).json()).toMatchObject({ canSignIn: true });
    expect((await login(disabled, 'back-again-after-the-lockout')).statusCode).toBe(200);
  });
});
