import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The 网信 queue's 重点 rows: a 盾牌行动 complaint is handled first (002 Q6–7), and an outsider could
 * tell it only by its programme's name. The row now says 重点 in words, seen on a laptop and on a
 * 390 px phone and read by a screen reader; an ordinary row says nothing of the kind.
 */
const suite = browserSuite();
const { signedIn } = suite;

async function apply(programmeId: string, facts: Record<string, unknown>, title: string): Promise<string> {
  const tenant = await suite.harness.as('individual-creator');
  const opened = await tenant('POST', `/api/applications/${programmeId}`, { title, summary: '说明', facts });
  expect(opened.statusCode, opened.body).toBe(201);
  return opened.json<{ caseId: string }>().caseId;
}

async function expectMarked(page: Page, shieldId: string, ordinaryId: string): Promise<void> {
  const shield = page.locator(`tr[data-case="${shieldId}"]`);
  const tag = shield.locator('.tag-priority');
  await tag.waitFor();
  // Visible text, inside the window, not a colour, an icon or a title attribute alone.
  expect(await tag.innerText()).toContain('重点');
  expect(await tag.isVisible()).toBe(true);
  const box = (await tag.boundingBox())!;
  const width = page.viewportSize()!.width;
  expect(box.width).toBeGreaterThan(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(await tag.getAttribute('title')).toBeNull();
  // A screen reader reads it with the case: the cell's text says 重点（优先处理）.
  await expect(shield.getByRole('cell').filter({ hasText: '重点（优先处理）' }).count()).resolves.toBe(1);
  expect(await page.locator(`tr[data-case="${ordinaryId}"]`).getByText('重点').count()).toBe(0);
}

describe('the 网信 queue', () => {
  it('marks a 盾牌 complaint 重点 in words, on a laptop and on a 390 px phone; an ordinary case is not marked', async () => {
    screenshotOnFailure(() => suite.pages(), 'queue-priority');
    const shot = stepShots('queue-priority');
    const shieldId = await apply('hu9-shield', { applicantKind: 'individual-creator', complaintCategory: '网络暴力' }, '网络暴力维权');
    const ordinaryId = await apply('hu9-starlight', { applicantKind: 'individual-creator' }, '星光计划自荐');

    const laptop = await signedIn('cac-reviewer');
    await laptop.goto(`${suite.base}#/queue`);
    await expectMarked(laptop, shieldId, ordinaryId);
    await shot(laptop, 'laptop', laptop.locator(`tr[data-case="${shieldId}"]`));
    await shot(laptop, 'laptop-queue');

    const phone = await signedIn('cac-reviewer', { phone: true });
    await phone.goto(`${suite.base}#/queue`);
    await expectMarked(phone, shieldId, ordinaryId);
    await phone.locator(`tr[data-case="${shieldId}"]`).scrollIntoViewIfNeeded();
    await shot(phone, 'phone', phone.locator(`tr[data-case="${shieldId}"]`));
  });
});
