import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../db/documents/document-store.js';
import { validApplication } from '../support/api-harness.js';
import { SAMPLES } from '../support/document-samples.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * Documents in a real browser: the applicant answers a 补正 with a PDF chosen in the form (uploaded
 * at once, with its size and progress), the event records its hash, and the case's official
 * downloads exactly that file from the case page. A renamed program is refused in place, in Chinese.
 */
const suite = browserSuite();
const { signedIn } = suite;
let files: string;

beforeAll(async () => {
  files = await mkdtemp(path.join(tmpdir(), 'youchuang-web-documents-'));
  await writeFile(path.join(files, '营业执照副本.pdf'), SAMPLES.pdf);
  await writeFile(path.join(files, '预算表.pdf'), SAMPLES.exe);
});

afterAll(async () => {
  await rm(files, { recursive: true, force: true });
});

describe('documents in the browser', () => {
  it('the applicant answers a 补正 with an uploaded PDF; the official downloads it from the case page', async () => {
    screenshotOnFailure(() => suite.people.map((p) => p.page), 'documents');
    const shot = stepShots('documents');
    const creatorApi = await suite.harness.as('creator');
    const opened = await creatorApi('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId } = opened.json<{ caseId: string }>();
    const reviewerApi = await suite.harness.as('fund-reviewer');
    const requested = await reviewerApi('POST', `/api/cases/${caseId}/request-supplement`, { missingItems: ['营业执照副本'] });
    expect(requested.statusCode, requested.body).toBe(200);

    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/cases/${caseId}`);
    const form = creator.getByRole('form', { name: '提交补正材料' });
    await form.waitFor();
    const picker = form.locator('[data-field="responses.0.documents"]');

    // A program renamed .pdf is refused where it was chosen, saying what it is.
    await picker.locator('input[type=file]').setInputFiles(path.join(files, '预算表.pdf'));
    const refusal = picker.locator('.document-refused .document-refusal').filter({ hasText: 'Windows 可执行程序' });
    await refusal.waitFor();

    // Chosen as a person does: the Chinese button opens the browser's file chooser.
    const [chooser] = await Promise.all([creator.waitForEvent('filechooser'), picker.getByRole('button', { name: '选择文件…' }).click()]);
    await chooser.setFiles(path.join(files, '营业执照副本.pdf'));
    const uploaded = picker.locator('li[data-document-id]');
    await uploaded.filter({ hasText: '已上传' }).waitFor();
    expect(await uploaded.textContent()).toContain(`${SAMPLES.pdf.length} 字节`);
    // The applicant is shown no hash in hex (an outside tester asked what d0afbaf740ad… meant); officials and auditors check files with it.
    expect(await uploaded.textContent()).not.toMatch(/校验码|[0-9a-f]{8}/);
    await shot(creator, 'supplement-with-file', picker);
    // The file alone is no answer: the item asks a word too, and says so by the item's name (it had read as if the file were missing).
    await form.getByRole('button', { name: '提交补正' }).click();
    await form.locator('.error-summary').getByText('请填写对“营业执照副本”的答复说明（已上传附件的，也请写一句说明）').waitFor();
    await form.getByLabel('营业执照副本').fill('见附件：营业执照副本');
    // The refused file is still listed: the 补正 does not go in as if it had been attached.
    await form.getByRole('button', { name: '提交补正' }).click();
    await picker.locator('.field-error').filter({ hasText: '有 1 个文件没有上传成功（见下方原因）：请移除它，或换一个文件上传后再提交' }).first().waitFor();
    // …and the reason below is still there (the submit had cleared it with the form's errors).
    expect(await refusal.isVisible()).toBe(true);
    await picker.locator('.document-refused').getByRole('button', { name: '移除' }).click();
    await form.getByRole('button', { name: '提交补正' }).click();
    await creator.locator('.notice-ok').filter({ hasText: '补正材料已提交' }).first().waitFor();
    const theirs = creator.locator('section[aria-labelledby="documents-h"]');
    await theirs.getByRole('link', { name: '营业执照副本.pdf', exact: true }).waitFor();
    expect(await theirs.textContent()).not.toMatch(/校验码|[0-9a-f]{8}/);

    // The event carries the file's hash.
    const events = (await reviewerApi('GET', `/api/cases/${caseId}/events`)).json<{ events: { type: string; data: { responses: { documents?: { sha256: string }[] }[] } }[] }>().events;
    expect(events.find((e) => e.type === 'SupplementProvided')!.data.responses[0]!.documents!.map((d) => d.sha256)).toEqual([sha256Hex(SAMPLES.pdf)]);

    // The official downloads it from the case page: the same bytes.
    const official = await signedIn('fund-reviewer');
    await official.goto(`${suite.base}#/cases/${caseId}`);
    const card = official.locator('section[aria-labelledby="documents-h"]');
    await card.getByRole('link', { name: '营业执照副本.pdf', exact: true }).waitFor();
    await shot(official, 'case-documents', card);
    expect(await card.textContent()).toContain(`校验码 ${sha256Hex(SAMPLES.pdf).slice(0, 16)}…`);
    const [download] = await Promise.all([official.waitForEvent('download'), card.getByRole('link', { name: '营业执照副本.pdf', exact: true }).click()]);
    const saved = path.join(files, 'downloaded.pdf');
    await download.saveAs(saved);
    expect((await readFile(saved)).equals(SAMPLES.pdf)).toBe(true);

    // 预览 opens the same PDF in a tab of its own, shown by the browser (inline), with the session of the page.
    const previewLink = card.getByRole('link', { name: '预览 营业执照副本.pdf（在新标签页打开）' });
    const [response] = await Promise.all([official.context().waitForEvent('response', (r) => r.url().includes('disposition=inline')), previewLink.click()]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-disposition']).toMatch(/^inline; /);
    expect(response.headers()['content-type']).toContain('application/pdf');
  }, 120_000);
});
