import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { verifyChain, readStream } from '../../db/event-store.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { bootstrapDeployment, parseBootstrapArguments } from '../../db/deployment-bootstrap.js';
import { DEMO_ACCOUNTS } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * `npm run bootstrap` on a fresh database, as an operator runs it: the command itself (migrating as
 * the owner, then the first administrators as the application role), its printed one-time codes
 * activating the accounts through the API, a re-run that changes nothing, and no demo account
 * unless asked for.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

async function bootstrapCommand(database: TestDatabase, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only what a deployment sets: no SEED_DEMO_ACCOUNTS, no personal-data key.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.appUrl, DATABASE_OWNER_URL: database.ownerUrl };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'db/bootstrap.ts', ...args], { cwd: root, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const accountEventCount = async (database: TestDatabase) =>
  Number((await database.db.selectFrom('events').select((eb) => eb.fn.countAll<string>().as('n')).where('stream_id', 'like', 'account-%').executeTakeFirstOrThrow()).n);

describe('npm run bootstrap on a fresh database', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let first: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await bootstrapCommand(database, ['--admin', 'li-admin', '--name', '李管理', '--admin', 'wang-admin', '--name', '王安全']);
    app = await buildApp({ db: database.db, temporal: {} as Client, taskQueue: 'bootstrap', clock: () => new Date(), calendar: calendarFromDatabase(database.db) });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const printedCode = (username: string) => {
    const block = first.stdout.slice(first.stdout.indexOf(`${username}（`));
    const code = /登录码：(\S+)/.exec(block)?.[1];
    const link = /激活链接：<本系统网址>(\S+)/.exec(block)?.[1];
    expect(code, first.stdout).toBeDefined();
    return { code: code!, link: link! };
  };

  it('creates exactly the two administrators asked for, by the system, and no demo account', async () => {
    expect(first.code, first.stderr).toBe(0);
    const accounts = await database.db.selectFrom('accounts').select(['username', 'display_name', 'role', 'password_hash', 'disabled_at']).orderBy('username').execute();
    expect(accounts).toEqual([
      { username: 'li-admin', display_name: '李管理', role: 'admin', password_hash: null, disabled_at: null },
      { username: 'wang-admin', display_name: '王安全', role: 'admin', password_hash: null, disabled_at: null },
    ]);
    expect(accounts.some((a) => DEMO_ACCOUNTS.some((d) => d.username === a.username))).toBe(false);
    for (const username of ['li-admin', 'wang-admin']) {
      const events = await readStream(database.db, `account-${username}`);
      expect(events.map((e) => e.type)).toEqual(['AccountCreated', 'SignInCodeIssued']);
      expect(events[0]!.data).toMatchObject({ username, role: 'admin', awaitingGrantId: null, by: { accountId: 'system' } });
      expect(events[1]!.data).toMatchObject({ purpose: 'activation', by: { accountId: 'system' } });
      expect(events.every((e) => e.metadata.actor.accountId === 'system')).toBe(true);
      expect(verifyChain(events)).toBeUndefined();
      // The code is printed, never stored: neither in an event nor in the table, where only its hash is.
      const { code } = printedCode(username);
      expect(JSON.stringify(events)).not.toContain(code);
    }
    expect(await database.db.selectFrom('account_grants').selectAll().execute()).toEqual([]);
  });

  it('prints each code once with its activation link, and the code activates the account through the API', async () => {
    for (const [username, password] of [
      ['li-admin', 'li-chose-this-one'],
      ['wang-admin', 'wang-chose-this-one'],
    ] as const) {
      const { code, link } = printedCode(username);
      expect(first.stdout.split(code).length - 1).toBe(2); // the code, and the link that carries it
      expect(link).toBe(`/#/activate?username=${username}&code=${code}`);
      const activated = await app.inject({ method: 'POST', url: '/api/auth/activate', payload: { username, code, newPassword: password } });
      expect(activated.statusCode, activated.body).toBe(200);
      expect(activated.json()).toMatchObject({ username, canSignIn: true });
      const again = await app.inject({ method: 'POST', url: '/api/auth/activate', payload: { username, code, newPassword: password } });
      expect(again.statusCode).toBe(400);
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      expect(login.statusCode, login.body).toBe(200);
      const list = await app.inject({ method: 'GET', url: '/api/admin/accounts', headers: { authorization: `Bearer ${login.json().token}` } });
      expect(list.statusCode, list.body).toBe(200);
    }
  });

  it('changes nothing when run again, and says so', async () => {
    const before = await accountEventCount(database);
    const again = await bootstrapCommand(database, ['--admin', 'li-admin', '--name', '李管理', '--admin', 'wang-admin', '--name', '王安全']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('已有管理员（li-admin、wang-admin），未创建任何账户');
    expect(again.stdout).not.toContain('登录码：');
    const others = await bootstrapCommand(database, ['--admin', 'zhao-admin', '--name', '赵管理', '--admin', 'qian-admin', '--name', '钱管理']);
    expect(others.code, others.stderr).toBe(0);
    expect(others.stdout).toContain('zhao-admin、qian-admin 均未创建');
    expect(await accountEventCount(database)).toBe(before);
    expect((await database.db.selectFrom('accounts').select('username').execute()).map((a) => a.username).sort()).toEqual(['li-admin', 'wang-admin']);
  });
});

describe('the bootstrap command line', () => {
  it('takes pairs of --admin and --name, at least two administrators, and --demo', () => {
    expect(parseBootstrapArguments(['--admin', 'a-admin', '--name', '甲', '--admin', 'b-admin', '--name', '乙'])).toEqual({
      administrators: [
        { username: 'a-admin', displayName: '甲' },
        { username: 'b-admin', displayName: '乙' },
      ],
      demo: false,
    });
    expect(parseBootstrapArguments(['--demo'])).toEqual({ administrators: [], demo: true });
    expect(parseBootstrapArguments([])).toEqual({ administrators: [], demo: false });
    expect(parseBootstrapArguments(['--reset-admin', 'b-admin'])).toEqual({ administrators: [], demo: false, resetAdministrator: 'b-admin' });
  });

  it.each([
    [['--admin', 'a-admin', '--name', '甲'], '至少 2 位管理员'],
    [['--admin', 'a-admin', '--admin', 'b-admin', '--name', '乙'], 'a-admin 缺少显示名'],
    [['--admin', 'a-admin', '--name', '甲', '--admin', 'a-admin', '--name', '乙'], 'a-admin 重复'],
    [['--admin', 'A Admin', '--name', '甲'], '不合规'],
    [['--name', '甲'], '须紧跟'],
    [['--reset-admin'], '--reset-admin 后须跟管理员的用户名'],
    [['--reset-admin', 'b-admin', '--demo'], '--reset-admin 单独使用'],
    [['--admin', 'a-admin', '--name', '甲', '--admin', 'b-admin', '--name', '乙', '--password', 'secret'], '不认识的参数 --password'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseBootstrapArguments(argv);
    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toContain(message);
  });

  it('exits non-zero on a wrong command line, before touching the database', async () => {
    const database = await createTestDatabase();
    try {
      const refused = await bootstrapCommand(database, ['--admin', 'solo-admin', '--name', '独自']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('至少 2 位管理员');
      expect(await accountEventCount(database)).toBe(0);
      // Nothing asked for on an empty database: migrated, but still no administrator, which is a failure.
      const nothing = await bootstrapCommand(database, []);
      expect(nothing.code).toBe(1);
      expect(nothing.stdout).toContain('还没有管理员');
    } finally {
      await database.drop();
    }
  }, 120_000);
});

describe('bootstrapDeployment', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('creates the demo accounts only with --demo, and refuses a taken username before creating anyone', async () => {
    const now = () => new Date('2026-12-02T02:00:00Z');
    const none = await bootstrapDeployment(database.db, { administrators: [], demo: false, now });
    expect(none).toEqual({ created: [], existingAdministrators: [], demoSeeded: false });
    expect(await database.db.selectFrom('accounts').select('username').execute()).toEqual([]);

    await database.db
      .insertInto('accounts')
      .values({ account_id: 'legacy', username: 'taken-name', display_name: '旧账户', role: 'applicant', department: null, applicant_kind: 'individual', profile: '{}', created_at: now() })
      .execute();
    await expect(
      bootstrapDeployment(database.db, {
        administrators: [
          { username: 'fresh-admin', displayName: '新' },
          { username: 'taken-name', displayName: '重名' },
        ],
        demo: false,
        now,
      }),
    ).rejects.toThrow('taken-name 已被其他账户占用');
    expect(await database.db.selectFrom('accounts').select('username').where('username', '=', 'fresh-admin').execute()).toEqual([]);

    const demo = await bootstrapDeployment(database.db, { administrators: [], demo: true, now });
    expect(demo.demoSeeded).toBe(true);
    const usernames = (await database.db.selectFrom('accounts').select('username').execute()).map((a) => a.username);
    expect(usernames).toEqual(expect.arrayContaining(DEMO_ACCOUNTS.map((a) => a.username)));
  });

  it('lets only one of two bootstraps at once create administrators', async () => {
    const fresh = await createTestDatabase();
    try {
      const now = () => new Date();
      const [a, b] = await Promise.all([
        bootstrapDeployment(fresh.db, { administrators: [{ username: 'a-one', displayName: '甲一' }, { username: 'a-two', displayName: '甲二' }], demo: false, now }),
        bootstrapDeployment(fresh.db, { administrators: [{ username: 'b-one', displayName: '乙一' }, { username: 'b-two', displayName: '乙二' }], demo: false, now }),
      ]);
      expect([a.created.length, b.created.length].sort()).toEqual([0, 2]);
      expect(await fresh.db.selectFrom('accounts').select('username').where('role', '=', 'admin').execute()).toHaveLength(2);
    } finally {
      await fresh.drop();
    }
  });
});
