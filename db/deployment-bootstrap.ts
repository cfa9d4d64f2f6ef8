import { sql } from 'kysely';
import { activationLink, newSignInCode, SIGN_IN_CODE_HOURS } from '../api/auth/sign-in-codes.js';
import { SYSTEM_ACTOR } from '../domain/cases/actor.js';
import { accountWithVersion, createAccountWithSignInCode, recordAccountChange } from './accounts/account-stream.js';
import type { Db } from './client.js';
import type { PersonalDataVault } from './personal-data-vault.js';
import { seedDemoAccounts } from './seed/demo-accounts.js';

/**
 * What `npm run bootstrap` does after migrating (db/bootstrap.ts is the command): the first
 * administrators of a deployment, each with a one-time sign-in code, and the demo accounts only
 * when asked for.
 *
 * Why two administrators: granting a privileged role (official, auditor, admin) takes a second
 * administrator's approval, and nobody approves a grant they requested or one for their own account.
 * A lone administrator could therefore never get a second one, nor any official or auditor: the
 * deployment would be stuck with applicants only. So the bootstrap creates two at once, by the
 * system, with no grant to approve; every later administrator comes through the API, requested by
 * one and approved by the other.
 */
export interface FirstAdministrator {
  username: string;
  displayName: string;
}

export interface BootstrapArguments {
  administrators: FirstAdministrator[];
  demo: boolean;
  /** `--reset-admin <username>`: a new one-time sign-in code for an administrator who cannot sign in. */
  resetAdministrator?: string;
}

export const MIN_FIRST_ADMINISTRATORS = 2;

// The API's rule for usernames (api/routes/accounts.routes.ts): an administrator could not create any other.
const USERNAME = /^[a-z0-9][a-z0-9-]{1,39}$/;

export const BOOTSTRAP_USAGE = `用法：npm run bootstrap -- --admin <用户名> --name <显示名> --admin <用户名> --name <显示名> [--demo]
      或：npm run bootstrap -- --reset-admin <用户名>
  --admin, --name  首批管理员（至少 ${MIN_FIRST_ADMINISTRATORS} 位：授予管理员、工作人员、审计角色须由另一位管理员批准）；仅在尚无任何管理员时创建
  --demo           另外创建演示账户（密码公开，仅用于演示库，切勿用于生产）
  --reset-admin    为忘记密码的管理员重置密码，给出新的一次性登录码（没有第三位管理员能批准时，由掌握数据库所有者连接的运维人员执行）`;

/** The command line, checked: every `--admin` with its `--name`, at least two distinct administrators unless only `--demo` is asked for. */
export function parseBootstrapArguments(argv: readonly string[]): BootstrapArguments | { error: string } {
  const administrators: FirstAdministrator[] = [];
  let demo = false;
  let resetAdministrator: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (flag === '--demo') {
      demo = true;
    } else if (flag === '--reset-admin') {
      if (value === undefined || value.startsWith('--')) return { error: '--reset-admin 后须跟管理员的用户名' };
      if (!USERNAME.test(value)) return { error: `用户名 ${value} 不合规：只能由小写字母、数字和连字符组成，2 到 40 个字符，不以连字符开头` };
      resetAdministrator = value;
      i++;
    } else if (flag === '--admin') {
      if (value === undefined || value.startsWith('--')) return { error: '--admin 后须跟用户名' };
      if (!USERNAME.test(value)) return { error: `用户名 ${value} 不合规：只能由小写字母、数字和连字符组成，2 到 40 个字符，不以连字符开头` };
      if (administrators.some((a) => a.username === value)) return { error: `用户名 ${value} 重复：每位管理员用自己的用户名` };
      administrators.push({ username: value, displayName: '' });
      i++;
    } else if (flag === '--name') {
      const last = administrators.at(-1);
      if (!last || last.displayName) return { error: '--name 须紧跟在它所属的 --admin <用户名> 之后' };
      const name = value?.trim();
      if (!name || value!.startsWith('--')) return { error: `--name 后须跟管理员 ${last.username} 的显示名` };
      if (name.length > 100) return { error: `显示名至多 100 个字符（${last.username} 的显示名有 ${name.length} 个）` };
      last.displayName = name;
      i++;
    } else {
      return { error: `不认识的参数 ${flag}` };
    }
  }
  const unnamed = administrators.find((a) => !a.displayName);
  if (unnamed) return { error: `管理员 ${unnamed.username} 缺少显示名：请在 --admin ${unnamed.username} 之后加 --name <显示名>` };
  if (administrators.length > 0 && administrators.length < MIN_FIRST_ADMINISTRATORS) {
    return {
      error: `须同时创建至少 ${MIN_FIRST_ADMINISTRATORS} 位管理员，现在只有 ${administrators.length} 位：授予管理员、工作人员或审计角色须由另一位管理员批准，只有一位管理员时无人能批准`,
    };
  }
  if (resetAdministrator && (administrators.length || demo)) return { error: '--reset-admin 单独使用：不与 --admin、--demo 同时使用' };
  return { administrators, demo, ...(resetAdministrator ? { resetAdministrator } : {}) };
}

/**
 * A new one-time sign-in code for an administrator, issued by the system at the operator's command.
 * Through the API the code goes to the administrator who asks; for another administrator's account
 * that would be the account itself, so there it takes a third administrator's approval. With the two
 * a deployment starts with there is none: whoever holds the database owner's connection resets it
 * here, as they created the first two, and hands the code to its holder.
 */
export async function resetAdministratorPassword(db: Db, username: string, now: () => Date): Promise<{ code: string; link: string; expiresAt: Date }> {
  const row = await accountWithVersion(db, username);
  if (!row) throw new Error(`没有用户名为 ${username} 的账户`);
  if (row.role !== 'admin') throw new Error(`${username} 不是管理员：其他账户的密码由管理员在系统中重置`);
  const issuedAt = now();
  const issued = newSignInCode(issuedAt);
  const by = { accountId: SYSTEM_ACTOR.accountId, displayName: SYSTEM_ACTOR.displayName };
  const code = { account_id: row.account_id, code_hash: issued.hash, purpose: 'reset' as const, issued_by_account_id: SYSTEM_ACTOR.accountId, issued_at: issuedAt, expires_at: issued.expiresAt };
  await recordAccountChange(
    db,
    {
      username,
      expectedVersion: row.version,
      events: [
        // The way back when no administrator can sign in: a disabled one is enabled too (two had disabled each other).
        ...(row.disabled_at ? [{ type: 'AccountEnabled' as const, data: { by } }] : []),
        { type: 'PasswordResetIssued', data: { by } },
        { type: 'SignInCodeIssued', data: { purpose: 'reset', expiresAt: issued.expiresAt.toISOString(), by } },
      ],
      actor: { accountId: SYSTEM_ACTOR.accountId, displayName: SYSTEM_ACTOR.displayName, role: SYSTEM_ACTOR.role },
      // One live code per account: a new one voids any earlier.
      alsoWrite: async (trx) => {
        await trx.insertInto('account_sign_in_codes').values(code).onConflict((oc) => oc.column('account_id').doUpdateSet(code)).execute();
      },
    },
    now,
  );
  return { code: issued.code, link: activationLink(username, issued.code), expiresAt: issued.expiresAt };
}

export interface CreatedAdministrator extends FirstAdministrator {
  /** Shown once, to be handed to its holder out-of-band; only its hash is stored. */
  code: string;
  link: string;
  expiresAt: Date;
}

export interface BootstrapResult {
  created: CreatedAdministrator[];
  /** The administrators there were already (then nothing was created). */
  existingAdministrators: string[];
  demoSeeded: boolean;
}

/**
 * Creates the first administrators when there is no administrator at all, and otherwise changes
 * nothing; seeds the demo accounts only when `demo`. Two bootstraps at once are serialised by an
 * advisory lock, so they cannot each find no administrator and create two pairs.
 */
export async function bootstrapDeployment(
  db: Db,
  options: { administrators: readonly FirstAdministrator[]; demo: boolean; now: () => Date; personalData?: PersonalDataVault },
): Promise<BootstrapResult> {
  const result = await db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(hashtext('youchuang:first-administrators'))`.execute(connection);
    try {
      const existing = (await connection.selectFrom('accounts').select('username').where('role', '=', 'admin').orderBy('username').execute()).map((r) => r.username);
      if (existing.length > 0 || options.administrators.length === 0) return { created: [], existingAdministrators: existing };
      // Checked before anything is written: a taken name must not leave one administrator without the other.
      const taken = await connection
        .selectFrom('accounts')
        .select('username')
        .where(
          'username',
          'in',
          options.administrators.map((a) => a.username),
        )
        .execute();
      if (taken.length) throw new Error(`用户名 ${taken.map((t) => t.username).join('、')} 已被其他账户占用：请换用户名`);
      const created: CreatedAdministrator[] = [];
      for (const admin of options.administrators) {
        const { issued } = await createAccountWithSignInCode(
          connection,
          {
            username: admin.username,
            displayName: admin.displayName,
            assignment: { role: 'admin', department: null, duties: [], applicantKind: null },
            by: { accountId: SYSTEM_ACTOR.accountId, displayName: SYSTEM_ACTOR.displayName },
            actor: { accountId: SYSTEM_ACTOR.accountId, displayName: SYSTEM_ACTOR.displayName, role: SYSTEM_ACTOR.role },
            // The system, not an administrator, creates them: there is nobody yet to approve a grant.
            grant: null,
          },
          options.now,
        );
        created.push({ ...admin, code: issued.code, link: activationLink(admin.username, issued.code), expiresAt: issued.expiresAt });
      }
      return { created, existingAdministrators: [] };
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('youchuang:first-administrators'))`.execute(connection);
    }
  });
  if (options.demo) await seedDemoAccounts(db, options.now(), options.personalData);
  return { ...result, demoSeeded: options.demo };
}

/** What the command prints: each new administrator's code and link once, or why nothing changed. */
export function describeBootstrap(result: BootstrapResult, requested: readonly FirstAdministrator[]): string[] {
  const lines: string[] = [];
  if (result.created.length) {
    lines.push(`已创建 ${result.created.length} 位管理员。以下一次性登录码只显示这一次，${SIGN_IN_CODE_HOURS} 小时内有效、只能使用一次：请分别交给本人，由本人打开链接设置密码。`);
    for (const admin of result.created) {
      lines.push(`  ${admin.username}（${admin.displayName}）`, `    登录码：${admin.code}`, `    激活链接：<本系统网址>${admin.link}`, `    有效期至：${admin.expiresAt.toISOString()}`);
    }
  } else if (result.existingAdministrators.length) {
    lines.push(
      `已有管理员（${result.existingAdministrators.join('、')}），未创建任何账户${requested.length ? `（${requested.map((a) => a.username).join('、')} 均未创建）` : ''}：此后的管理员由管理员通过系统创建，并由另一位管理员批准。`,
    );
  } else if (!result.demoSeeded) {
    lines.push(`还没有管理员：请用 --admin <用户名> --name <显示名> 指定至少 ${MIN_FIRST_ADMINISTRATORS} 位首批管理员。`);
  }
  if (result.demoSeeded) lines.push('演示账户已就绪（已存在的不变）。');
  return lines;
}
