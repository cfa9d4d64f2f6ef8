import { describe, expect, it } from 'vitest';
import { addDays, chineseDate, shanghaiDateOf } from '../../domain/time/local-date.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * Programme terms in the browser (issue 14 part 4): a 徐汇 officer drafts a lower cap from the
 * catalogue, a second officer approves it on the same screen, and the catalogue shows the version
 * scheduled with who drafted and who approved it.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('programme terms', () => {
  it('an officer drafts a changed cap, the drafter cannot approve it, a second officer approves; the catalogue shows its history', async () => {
    screenshotOnFailure(() => suite.pages(), 'programme-terms');
    // Each kept step is checked first: no Latin-script words, no axe violation, nothing wider than the window.
    const shot = stepShots('programme-terms');
    const tomorrow = addDays(shanghaiDateOf(new Date()), 1);
    const drafter = await signedIn('xuhui-reviewer');
    await drafter.goto(`${suite.base}#/catalogue`);
    const card = drafter.locator('article[data-programme="xuhui-ip-library"]');
    // The rules and the terms' line sit in the card's 详细规则 fold.
    await card.locator('summary', { hasText: '详细规则' }).click();
    await card.getByText('现行条款：政策目录原文（尚未调整）').waitFor();
    await card.getByRole('link', { name: '调整条款' }).click();
    const draft = drafter.getByRole('form', { name: '起草新版条款' });
    await draft.getByLabel('最高额（元）').fill('2000000');
    await draft.getByLabel('生效日期').fill(tomorrow);
    await draft.getByLabel('理由').fill('区财政预算调整');
    await draft.getByRole('button', { name: '提交草案' }).click();
    await drafter.getByText(`待批准：第 1 版（冯评审 起草，拟自${chineseDate(tomorrow)}起施行）`).waitFor();
    // Four-eyes: the drafter is offered no approval.
    await drafter.getByText('草案须由本部门另一位工作人员批准（双人复核）。').waitFor();
    expect(await drafter.getByRole('form', { name: '批准第 1 版' }).count()).toBe(0);
    await shot(drafter, 'draft-awaits-a-second-officer');

    const approver = await signedIn('xuhui-approver');
    await approver.goto(`${suite.base}#/programme-terms/xuhui-ip-library`);
    const approve = approver.getByRole('form', { name: '批准第 1 版' });
    await approve.getByLabel('批准意见').fill('同意');
    await approve.getByRole('button', { name: '批准' }).click();
    await approver.getByRole('heading', { name: `第 1 版：自${chineseDate(tomorrow)}起施行` }).waitFor();
    await shot(approver, 'approved-scheduled');

    const visitor = await suite.visitor();
    await visitor.goto(`${suite.base}#/catalogue`);
    const publicCard = visitor.locator('article[data-programme="xuhui-ip-library"]');
    await publicCard.locator('summary', { hasText: '详细规则' }).click();
    await publicCard.getByText('条款版本历史（1 次调整）').click();
    const row = publicCard.locator('tr[data-version="1"]');
    await row.getByText('已批准').waitFor();
    await row.getByText('区财政预算调整').waitFor();
    await row.getByText('褚审批', { exact: false }).waitFor();
    await shot(visitor, 'catalogue-history');
  });

  it('an officer proposes that two measures do not stack; a second officer of a department concerned approves it', async () => {
    screenshotOnFailure(() => suite.pages(), 'stacking-matrix');
    const shot = stepShots('stacking-matrix');
    const proposer = await signedIn('filing-reviewer');
    await proposer.goto(`${suite.base}#/programme-terms/drama-excellent-project`);
    const propose = proposer.getByRole('form', { name: '提出叠加规则变更' });
    await propose.getByLabel('另一项政策').selectOption({ label: '入选国家级评选项目剧本奖励' });
    await propose.getByLabel('结论').selectOption({ label: '不可叠加' });
    await propose.getByLabel('理由').fill('局务会决定：同一部作品只奖励一次');
    await propose.getByRole('button', { name: '提出变更' }).click();
    await proposer.getByText('须由有关部门的另一位工作人员批准（双人复核）。').waitFor();

    const approver = await signedIn('culture-approver');
    await approver.goto(`${suite.base}#/programme-terms/drama-excellent-project`);
    const approve = approver.getByRole('form', { name: /^批准叠加规则变更/ });
    await approve.getByRole('button', { name: '批准' }).click();
    await approver.getByRole('heading', { name: '叠加规则（第 1 版）' }).waitFor();
    await approver.getByText('不可叠加：局务会决定：同一部作品只奖励一次', { exact: false }).waitFor();
    await shot(approver, 'matrix-changed');
  });
});
