import { loadPersonalDataKey } from '../config/personal-data-key.js';
import { readEnvironment } from '../config/environment.js';
import { createDb } from './client.js';
import { SIGN_IN_CODE_HOURS } from '../api/auth/sign-in-codes.js';
import { chineseInstant } from '../domain/time/local-date.js';
import { BOOTSTRAP_USAGE, bootstrapDeployment, describeBootstrap, parseBootstrapArguments, resetAdministratorPassword } from './deployment-bootstrap.js';
import { PersonalDataVault } from './personal-data-vault.js';
import { backfillNotices, noticesToBackfill } from './notices/backfill.js';
import { migrateWithRoles, privilegeWarnings } from './privileges.js';

/**
 * `npm run bootstrap -- --admin <username> --name <显示名> --admin … --name …`: readies a real
 * deployment. Migrates as DATABASE_OWNER_URL's role and grants DATABASE_URL's role (as `npm run
 * migrate`), then creates the first two administrators with one-time sign-in codes, printed once;
 * no password on the command line, no demo data unless `--demo`. Safe to re-run: once there is an
 * administrator it creates nothing. Exits 2 on a wrong command line, 1 when it could not finish or
 * when there is still no administrator.
 */
const parsed = parseBootstrapArguments(process.argv.slice(2));
if ('error' in parsed) {
  console.error(`${parsed.error}\n\n${BOOTSTRAP_USAGE}`);
  process.exit(2);
}
const environment = readEnvironment();
if (!environment.databaseUrl) {
  console.error('没有设置 DATABASE_URL：bootstrap 用于真实部署（npm start 会自行准备内嵌数据库和演示账户）');
  process.exit(2);
}
const say = (line: string) => console.error(`[bootstrap] ${line}`);
try {
  const applied = await migrateWithRoles({ ownerUrl: environment.databaseOwnerUrl, appUrl: environment.databaseUrl, say });
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema is up to date');
  // As the application role from here on, like the API: accounts are written through the event store's append path.
  const db = createDb(environment.databaseUrl, { max: 2 });
  try {
    for (const warning of await privilegeWarnings(db)) say(`warning: ${warning}`);
    // Events recorded before notices existed get theirs in the inbox, mailed to nobody.
    if (noticesToBackfill(applied)) say(`notices: ${await backfillNotices(db)} earlier events read into the inbox`);
    if (parsed.resetAdministrator) {
      const reset = await resetAdministratorPassword(db, parsed.resetAdministrator, () => new Date());
      console.log(
        [
          `已重置管理员 ${parsed.resetAdministrator} 的密码：旧密码和已登录的会话均已失效。以下一次性登录码只显示这一次，${SIGN_IN_CODE_HOURS} 小时内有效、只能使用一次：请交给本人，由本人打开链接设置新密码。`,
          `    登录码：${reset.code}`,
          `    激活链接：<本系统网址>${reset.link}`,
          `    有效期至：${chineseInstant(reset.expiresAt.toISOString())}（北京时间）`,
        ].join('\n'),
      );
    } else {
      const key = parsed.demo ? await loadPersonalDataKey(environment) : undefined;
      const result = await bootstrapDeployment(db, { ...parsed, now: () => new Date(), ...(key ? { personalData: new PersonalDataVault(db, key) } : {}) });
      console.log(describeBootstrap(result, parsed.administrators).join('\n'));
      if (result.created.length === 0 && result.existingAdministrators.length === 0 && !result.demoSeeded) process.exitCode = 1;
    }
  } finally {
    await db.destroy();
  }
} catch (error) {
  console.error(`bootstrap 未完成：${(error as Error).message}`);
  process.exitCode = 1;
}
