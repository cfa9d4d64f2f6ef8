import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tamperAsSuperuser } from '../db/support.js';
import { checkpointNow, LoanCase, testKey } from '../audit/support.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The audit page's 任意时点状态 in words (an outside tester found it mostly raw JSON with English keys
 * and amounts in fen), and the as-of's and the diff's warnings shown: a record changed in the database
 * was shown as if it were the record.
 */
const suite = browserSuite();
const { signedIn } = suite;

/** Waits until the locator shows the text (the page re-renders after each request). */
async function shows(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** The value shown beside a field's label in the state in words. */
const valueOf = (page: Page, label: string) => page.locator('.as-of-fields dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');

describe('任意时点状态 on the audit page', () => {
  it('shows the state field by field in words, the raw data folded away, what the checkpoint proves, and a tampered record’s warning above the state and the diff', async () => {
    screenshotOnFailure(() => suite.pages(), 'audit-as-of');
    const shot = stepShots('audit-as-of');
    const db = suite.harness.database.db;
    const loan = await new LoanCase(db).toApproval();

    const auditor = await signedIn('auditor');
    await auditor.goto(`${suite.base}#/audit/${loan.caseId}`);
    const output = auditor.locator('.as-of-output');
    await shows(output, '当时的状态');
    // Named and valued in words, as the CLI prints them: not requestedAmountFen: 50000000.
    expect(await valueOf(auditor, '申请金额').innerText()).toBe('500,000.00 元');
    expect(await valueOf(auditor, '核定金额').innerText()).toBe('360,000.00 元');
    expect(await valueOf(auditor, '环节').innerText()).toBe('待放款');
    // The raw state only behind a collapsed 原始数据.
    const raw = output.locator('details.as-of-raw');
    expect(await raw.getAttribute('open')).toBeNull();
    expect(await raw.locator('pre').isVisible()).toBe(false);
    expect(await output.innerText()).not.toMatch(/requestedAmountFen|awaiting-disbursement/);
    // No checkpoint yet: said, in place of one.
    expect(await output.locator('.checkpoint-standing').innerText()).toBe('尚无签名检查点：本案只由哈希链保护。');
    expect(await output.locator('.audit-warning').count()).toBe(0);
    await output.scrollIntoViewIfNeeded();
    await shot(auditor, 'state-in-words');

    // Signed: which versions the signature proves.
    await checkpointNow(db, testKey());
    await auditor.reload();
    await shows(auditor.locator('.as-of-output .checkpoint-standing'), /^检查点 #1（.+签署）的签名证明了本案第 1 至第 4 版；此后的记录只由哈希链保护。$/);

    // The approved amount changed in the database: the warning first, above the state and above the diff.
    await tamperAsSuperuser(suite.harness.database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{approvedAmountFen}', '46000000') WHERE stream_id = $1 AND stream_version = 4`, values: [loan.caseId] }]);
    await auditor.reload();
    const warning = auditor.locator('.as-of-output .audit-warning');
    await shows(warning, /^⚠ 本案记录的哈希链未通过核验（第 4 版.*）：以下内容可能已被改动，不能作为证据$/);
    expect(await warning.getAttribute('role')).toBe('alert');
    expect(await valueOf(auditor, '核定金额').innerText()).toBe('460,000.00 元');
    // Above the state: the first thing the output shows.
    expect(await output.locator(':scope > *').first().getAttribute('class')).toContain('audit-warning');
    // Nothing said of the checkpoint's proof for a record that fails its check.
    expect(await output.locator('.checkpoint-standing').count()).toBe(0);
    await output.scrollIntoViewIfNeeded();
    await shot(auditor, 'tampered-state');

    await auditor.getByLabel('从').selectOption('3');
    await auditor.getByLabel('到').selectOption('4');
    await auditor.getByRole('button', { name: '比较' }).click();
    const diff = auditor.locator('#diff-h + form + div');
    await shows(diff, '处变化');
    expect(await diff.locator(':scope > *').first().innerText()).toMatch(/^⚠ 本案记录的哈希链未通过核验/);
    await auditor.locator('#diff-h').scrollIntoViewIfNeeded();
    await shot(auditor, 'tampered-diff');
  });
});

describe('账户变更记录 on the audit search page', () => {
  it('lists what administrators did to accounts, newest first, with who did it, in Chinese', async () => {
    screenshotOnFailure(() => suite.pages(), 'audit-account-changes');
    const shot = stepShots('audit-account-changes');
    const [admin, secondAdmin] = [await suite.harness.as('admin'), await suite.harness.as('second-admin')];
    const created = await admin('POST', '/api/admin/accounts', { username: 'audit-seen-official', displayName: '审计可见', role: 'official', department: 'xuhui', duties: ['reviewer'] });
    expect(created.statusCode, created.body).toBe(201);
    const grantId = created.json<{ account: { pendingGrant: { grantId: string } } }>().account.pendingGrant.grantId;
    expect((await secondAdmin('POST', `/api/admin/account-grants/${grantId}/approve`, {})).statusCode).toBe(200);

    const auditor = await signedIn('auditor');
    await auditor.goto(`${suite.base}#/audit`);
    const section = auditor.locator('section[aria-labelledby="account-changes-h"]');
    const rows = section.locator('tr[data-account-change="audit-seen-official"]');
    await rows.first().waitFor();
    // Newest first: the approval by the second administrator above the request by the first.
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toMatch(/批准系统管理员申请的新建账户：工作人员（徐汇区；审查）\s+安全管理员$/);
    expect(texts.some((t) => /申请新建账户：工作人员（徐汇区；审查），待另一位管理员批准\s+系统管理员$/.test(t))).toBe(true);
    await shot(auditor, 'account-changes', section);

    // One account's history alone, without paging through every account's.
    await section.getByLabel('只看一个账户（用户名，留空看全部）').fill('Audit-Seen-Official');
    await section.getByRole('button', { name: '查看' }).click();
    await expect.poll(async () => new Set(await section.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-account-change'))))).toEqual(new Set(['audit-seen-official']));
    expect(await section.locator('tbody tr').count()).toBe(texts.length);
    // Nothing earlier to ask for: no button offers it (it stood there, and pressing it listed the first page again).
    expect(await section.getByRole('button', { name: '更早的记录' }).isVisible()).toBe(false);
    // A username that cannot be one is told what a username is; one nobody has, that there is nothing.
    await section.getByLabel('只看一个账户（用户名，留空看全部）').fill('王 审查');
    await section.getByRole('button', { name: '查看' }).click();
    await section.locator('p[aria-live]').filter({ hasText: /用户名/ }).waitFor();
    expect(await section.locator('tbody tr').count()).toBe(0);
    await section.getByLabel('只看一个账户（用户名，留空看全部）').fill('nobody-here');
    await section.getByRole('button', { name: '查看' }).click();
    await section.locator('p[aria-live]').getByText('用户名 nobody-here 没有账户变更记录：请核对用户名。').waitFor();
    await shot(auditor, 'account-changes-one', section);
  }, 120_000);
});
