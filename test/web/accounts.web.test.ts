import { describe, expect, it } from 'vitest';
import { freshCreditCode } from '../support/actors.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The administrators' accounts page: one administrator creates an official (the form says what a
 * role needs, at its fields), gets the one-time sign-in code on the page, and cannot approve their
 * own grant; the second administrator approves it; the holder sets a password with the code; the
 * first administrator then disables the account with a reason. Nobody changes their own account.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('the accounts page', () => {
  it('create an official, approve by a second administrator, activate with the code, disable', async () => {
    screenshotOnFailure(() => suite.pages(), 'accounts');
    const shot = stepShots('accounts');
    const admin = await signedIn('admin');
    await admin.getByRole('heading', { level: 1, name: '账号管理' }).waitFor();
    await admin.locator('tr[data-username="admin"]').getByText('您本人的账户').waitFor();
    await shot(admin, 'accounts');

    await admin.getByRole('heading', { level: 2, name: '新建账户' }).click();
    const create = admin.getByRole('form', { name: '新建账户' });
    // Only the role's own parts are asked for: nothing about departments until the role is an official.
    await create.getByLabel('申请人类型').waitFor({ state: 'hidden' });
    await create.getByLabel('用户名').fill('xuhui-new-reviewer');
    await create.getByLabel('显示名').fill('钱审查');
    await create.getByLabel('角色').selectOption('official');
    await create.getByLabel('部门').waitFor();
    await create.getByRole('button', { name: '新建账户' }).click();
    // What an official needs is said at its fields, in Chinese, all at once.
    await create.locator('[data-field="department"] .field-error').getByText('工作人员须属于一个部门').waitFor();
    await create.locator('[data-field="duties"] .field-error').getByText('工作人员至少担任一项职责').waitFor();
    await shot(admin, 'create-refused');

    await create.getByLabel('部门').selectOption('xuhui');
    await create.getByLabel('审查').check();
    await create.getByRole('button', { name: '新建账户' }).click();
    await admin.locator('.notice-ok').getByText('已新建钱审查的账户：授予工作人员角色，须另一位管理员批准后才能登录。').waitFor();
    const codeBox = admin.getByRole('status', { name: '钱审查的一次性登录码' });
    const code = (await codeBox.locator('code').nth(1).textContent())!.trim();
    expect(code.length).toBeGreaterThanOrEqual(8);
    expect(await codeBox.locator('code').nth(2).textContent()).toBe(`${suite.base}#/activate?username=xuhui-new-reviewer&code=${code}`);
    await admin.locator('tr[data-username="xuhui-new-reviewer"]:not([data-grant])').getByText('待批准：新建账户').waitFor();
    const grantRow = admin.locator('tr[data-username="xuhui-new-reviewer"][data-grant]');
    await grantRow.getByText('新建账户：工作人员（徐汇区；审查）').waitFor();
    // The one who asked cannot approve it.
    await grantRow.getByText('由您提出：须另一位管理员批准。').waitFor();
    expect(await grantRow.getByRole('button', { name: '批准' }).count()).toBe(0);
    await shot(admin, 'created');

    // The code is shown once: the next drawing of the page does not have it.
    await admin.reload();
    await admin.getByRole('heading', { level: 1, name: '账号管理' }).waitFor();
    expect(await admin.getByRole('status', { name: '钱审查的一次性登录码' }).count()).toBe(0);

    const second = await signedIn('second-admin');
    await second.getByRole('heading', { level: 1, name: '账号管理' }).waitFor();
    const toApprove = second.locator('tr[data-username="xuhui-new-reviewer"][data-grant]');
    // On one line, even in the narrow 操作 column of a smaller laptop: 批准 had wrapped into 批 and 准.
    await second.setViewportSize({ width: 1024, height: 768 });
    const approveButton = toApprove.getByRole('button', { name: '批准' });
    const box = await approveButton.boundingBox();
    type Styled = { getComputedStyle(element: unknown): { lineHeight: string; fontSize: string } };
    const lineHeight = await approveButton.evaluate((b) => {
      const style = (globalThis as unknown as Styled).getComputedStyle(b);
      return parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.6;
    });
    expect(box!.height).toBeLessThan(lineHeight * 2);
    await approveButton.click();
    await toApprove.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await second.locator('.notice-ok').getByText('已批准：钱审查，新建账户。').waitFor();
    await second.locator('tr[data-username="xuhui-new-reviewer"]').getByText('未设置密码').waitFor();
    await shot(second, 'approved');

    const activated = await suite.harness.app.inject({ method: 'POST', url: '/api/auth/activate', payload: { username: 'xuhui-new-reviewer', code, newPassword: '钱审查的新密码-2026-徐汇' } });
    expect(activated.statusCode, activated.body).toBe(200);

    await admin.reload();
    const row = admin.locator('tr[data-username="xuhui-new-reviewer"]:not([data-grant])');
    await row.getByText('正常').waitFor();
    await row.getByText('更改、重置密码或停用').click();
    const disable = row.getByRole('form', { name: '停用钱审查的账户' });
    await shot(admin, 'account-actions', row);
    await disable.getByLabel('停用理由').fill('调离徐汇区');
    await disable.getByRole('button', { name: '停用' }).click();
    await disable.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await admin.locator('.notice-ok').getByText('已停用钱审查的账户。').waitFor();
    await admin.locator('tr[data-username="xuhui-new-reviewer"]').getByText('已停用（调离徐汇区）').waitFor();
    await shot(admin, 'disabled');

    const signIn = await suite.harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'xuhui-new-reviewer', password: '钱审查的新密码-2026-徐汇' } });
    expect(signIn.statusCode).toBe(401);
  });

  it('a duty added waits for the second administrator; the password reset of an applicant shows its code at once', async () => {
    screenshotOnFailure(() => suite.pages(), 'accounts-change');
    const admin = await signedIn('admin');
    const row = admin.locator('tr[data-username="xuhui-reviewer"]:not([data-grant])');
    await row.getByText('更改、重置密码或停用').click();
    const change = row.getByRole('form', { name: '更改冯评审的账户' });
    await change.getByLabel('审批', { exact: true }).check();
    await change.getByRole('button', { name: '保存' }).click();
    await admin.locator('.notice-ok').getByText('已提出授权申请：增加职责：审批，须另一位管理员批准后生效。').waitFor();
    await admin.locator('tr[data-username="xuhui-reviewer"][data-grant]').getByText('变更角色：工作人员（徐汇区；审查、审批）').waitFor();
    // Until approved, the account keeps what it had.
    await admin.locator('tr[data-username="xuhui-reviewer"]:not([data-grant])').getByText('工作人员（徐汇区；审查）', { exact: true }).waitFor();

    const creator = admin.locator('tr[data-username="creator"]');
    await creator.getByText('更改、重置密码或停用').click();
    const reset = creator.getByRole('form', { name: '重置上海星河文化传媒有限公司的密码' });
    await reset.getByRole('button', { name: '重置密码' }).click();
    await reset.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await admin.locator('.notice-ok').getByText('已重置上海星河文化传媒有限公司的密码。').waitFor();
    await admin.getByRole('status', { name: '上海星河文化传媒有限公司的一次性登录码' }).waitFor();
    const signIn = await suite.harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'creator', password: 'youchuang-demo' } });
    expect(signIn.statusCode, 'the old password stops working at the reset').toBe(401);
  });

  it('an applicant locked out by wrong passwords: the row says until when, the reset says how it lifts, and the new password signs in on a new phone at once', async () => {
    screenshotOnFailure(() => suite.pages(), 'accounts-locked');
    const shot = stepShots('accounts-locked');
    for (let i = 0; i < 5; i++) {
      await suite.harness.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.9', payload: { username: 'individual-creator', password: `wrong-${i}` } });
    }
    const admin = await signedIn('admin');
    const row = admin.locator('tr[data-username="individual-creator"]');
    await row.locator('[data-sign-in-lock]').getByText(/^登录锁定至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/).waitFor();
    await row.getByText('更改、重置密码或停用').click();
    await row.getByText(/本人在以前登录过的浏览器上仍可登录。重置密码后，本人用登录码设置新密码即解除锁定。$/).waitFor();
    await shot(admin, 'locked', row);

    const reset = row.getByRole('form', { name: '重置林小创的密码' });
    await reset.getByRole('button', { name: '重置密码' }).click();
    await reset.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    const codeBox = admin.getByRole('status', { name: '林小创的一次性登录码' });
    const link = (await codeBox.locator('code').nth(2).textContent())!.trim();

    // The holder, on a phone that never signed in: the code's link, a new password, then 登录 with it.
    const holder = await suite.visitor({ phone: true });
    await holder.goto(link);
    await holder.locator('input[name="newPassword"]').fill('林小创的新密码-2026');
    await holder.locator('input[name="confirmPassword"]').fill('林小创的新密码-2026');
    await holder.getByRole('button', { name: '设置密码' }).click();
    await holder.getByRole('heading', { name: '密码已设置' }).waitFor();
    await holder.getByRole('link', { name: '去登录' }).click();
    await holder.getByLabel('用户名').fill('individual-creator');
    await holder.getByLabel('密码').fill('林小创的新密码-2026');
    await holder.getByRole('button', { name: '登录' }).click();
    await holder.getByRole('button', { name: '退出' }).waitFor();
    await shot(holder, 'signed-in');

    await admin.reload();
    await admin.locator('tr[data-username="individual-creator"]').getByText('正常').waitFor();
    expect(await admin.locator('tr[data-username="individual-creator"] [data-sign-in-lock]').count()).toBe(0);
  });

  it('an official who locked their own browser with a forgotten password: the row says so, and the reset says how it lifts', async () => {
    screenshotOnFailure(() => suite.pages(), 'accounts-browser-locked');
    const shot = stepShots('accounts-browser-locked');
    // The browser had signed in before: its five wrong passwords lock it alone, and the username stays open elsewhere.
    const login = (password: string, cookie?: string) =>
      suite.harness.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '198.51.100.20', payload: { username: 'hrss-reviewer', password }, ...(cookie ? { headers: { cookie } } : {}) });
    const first = await login('youchuang-demo');
    const cookie = [first.headers['set-cookie'] ?? []].flat().map(String).find((c) => c.startsWith('youchuang_device='))!.split(';')[0]!;
    for (let i = 0; i < 5; i++) expect((await login(`forgotten-${i}`, cookie)).statusCode).toBe(401);
    expect((await login('youchuang-demo', cookie)).statusCode).toBe(429);

    const admin = await signedIn('admin');
    const row = admin.locator('tr[data-username="hrss-reviewer"]');
    await row.locator('[data-browser-lock]').getByText(/^一个浏览器登录锁定至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/).waitFor();
    expect(await row.locator('[data-sign-in-lock]').count()).toBe(0);
    await row.getByText('更改、重置密码或停用').click();
    await row.getByText(/^本人在以前登录过的浏览器上多次输错密码，一个浏览器登录锁定至 .+。重置密码后，本人用登录码设置新密码即解除锁定。$/).waitFor();
    await shot(admin, 'browser-locked', row);
  });

  it('a company applicant is created with its credit code; a code already registered is refused at its field', async () => {
    screenshotOnFailure(() => suite.pages(), 'accounts-company');
    const shot = stepShots('accounts-company');
    const admin = await signedIn('admin');
    await admin.getByRole('heading', { level: 2, name: '新建账户' }).click();
    const create = admin.getByRole('form', { name: '新建账户' });
    const code = freshCreditCode();
    await create.getByLabel('用户名').fill('qinghe-studio');
    await create.getByLabel('显示名').fill('上海清河文化有限公司');
    await create.getByLabel('角色').selectOption('applicant');
    // The company's fields appear once the applicant is a company.
    await create.getByLabel('统一社会信用代码').waitFor({ state: 'hidden' });
    await create.getByLabel('申请人类型').selectOption('company');
    await create.getByLabel('企业名称').fill('上海清河文化有限公司');
    await create.getByLabel('统一社会信用代码').fill(code);
    await create.getByRole('button', { name: '新建账户' }).click();
    await admin.locator('.notice-ok').getByText('已新建上海清河文化有限公司的账户。').waitFor();
    const row = admin.locator('tr[data-username="qinghe-studio"]');
    await row.getByText('申请人（企业）').waitFor();
    await row.locator('code', { hasText: code }).waitFor();
    await shot(admin, 'created');

    await admin.getByRole('heading', { level: 2, name: '新建账户' }).click();
    const again = admin.getByRole('form', { name: '新建账户' });
    await again.getByLabel('用户名').fill('copy-studio');
    await again.getByLabel('显示名').fill('仿冒文化');
    await again.getByLabel('角色').selectOption('applicant');
    await again.getByLabel('申请人类型').selectOption('company');
    await again.getByLabel('企业名称').fill('上海清河文化有限公司');
    await again.getByLabel('统一社会信用代码').fill(code);
    await again.getByRole('button', { name: '新建账户' }).click();
    await again.locator('[data-field="company.unifiedSocialCreditCode"] .field-error').getByText('已登记在“上海清河文化有限公司”的账户下：一家企业只有一个申请人账户').waitFor();
    await shot(admin, 'code-taken');
  });

  it('an applicant registered for a company finds its code on the forms, and cannot change it', async () => {
    screenshotOnFailure(() => suite.pages(), 'accounts-company-forms');
    const shot = stepShots('accounts-company-forms');
    const admin = await suite.harness.as('admin');
    const code = freshCreditCode();
    // (The demo company's password was reset above: the other company applies here.)
    const registered = await admin('PUT', '/api/admin/accounts/other-creator', { company: { name: '另一家文化公司', unifiedSocialCreditCode: code } });
    expect(registered.statusCode, registered.body).toBe(200);
    const creator = await signedIn('other-creator', { phone: true });
    await creator.goto(`${suite.base}#/apply/chuying-loan`);
    const loanCode = creator.getByLabel('统一社会信用代码');
    await loanCode.waitFor();
    expect(await loanCode.inputValue()).toBe(code);
    expect(await loanCode.getAttribute('readonly')).not.toBeNull();
    await creator.getByText('账户登记的本单位代码，不能更改；如有误请联系管理员。每家企业限借一笔').waitFor();
    await shot(creator, 'loan-form');

    await creator.goto(`${suite.base}#/apply/programme/yangpu-rent-waiver`);
    await creator.getByRole('button', { name: '继续' }).waitFor();
    const factCode = creator.locator('input[name="facts.unifiedSocialCreditCode"]');
    expect(await factCode.inputValue()).toBe(code);
    expect(await factCode.evaluate((input) => (input as unknown as { readOnly: boolean }).readOnly)).toBe(true);
  });
});
