import { describe, expect, it } from 'vitest';
import { freshCreditCode } from '../support/actors.js';
import { validApplication } from '../support/api-harness.js';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The 雏鹰 loan is for companies registered in 杨浦: an individual creator signed in is not offered its
 * form in the public catalogue or on its 办事指南 (as the menu and 我的办件 already do not offer it, commit
 * ed8f23d), but told whom it is for. A company still finds 在线申请雏鹰借款 there.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('the 雏鹰 loan in the catalogue and its guide', () => {
  it("says it is for companies to an individual creator instead of linking its form, also at the form's own address; a company is offered the form", async () => {
    screenshotOnFailure(() => suite.pages(), 'loan-for-companies');
    const shot = stepShots('loan-for-companies');
    const individual = await signedIn('individual-creator', { phone: true });
    await individual.goto(`${suite.base}#/catalogue`);
    const card = individual.locator('article[data-programme="chuying-loan"]');
    await card.getByText('仅面向在杨浦注册的企业，个人创作者不能申请').waitFor();
    expect(await card.getByRole('link', { name: /在线申请/ }).count()).toBe(0);
    expect(await card.locator('a[href="#/apply/chuying-loan"]').count()).toBe(0);
    // Every other measure the individual may apply for keeps its 在线申请.
    await individual.locator('article[data-programme="hu9-shield"]').getByRole('link', { name: /在线申请/ }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(individual, 'catalogue-individual', card);

    await individual.goto(`${suite.base}#/guide/chuying-loan`);
    await individual.getByText('仅面向在杨浦注册的企业，个人创作者不能申请。').waitFor();
    expect(await individual.getByRole('link', { name: '开始申请' }).count()).toBe(0);
    await shot(individual, 'guide-individual');

    // The form's own address, from a bookmark or a link passed on: told the same, with no form to fill in.
    await individual.goto(`${suite.base}#/apply/chuying-loan`);
    await individual.getByText('仅面向在杨浦注册的企业，个人创作者不能申请。').waitFor();
    expect(await individual.locator('form').count()).toBe(0);
    await individual.getByRole('link', { name: '查看可以申请的政策' }).waitFor();
    await shot(individual, 'form-address-individual');

    const company = await signedIn('creator');
    await company.goto(`${suite.base}#/catalogue`);
    await company.locator('article[data-programme="chuying-loan"]').getByRole('link', { name: /在线申请雏鹰借款/ }).waitFor();
    expect(await company.locator('article[data-programme="chuying-loan"]').getByText('个人创作者不能申请').count()).toBe(0);
    await company.goto(`${suite.base}#/guide/chuying-loan`);
    await company.getByRole('link', { name: '开始申请' }).waitFor();
    await company.goto(`${suite.base}#/apply/chuying-loan`);
    await company.locator('form').first().waitFor();
  });
});

describe('a company that holds its one 雏鹰 loan', () => {
  it('is told so on arriving at the form, with the loan to open, not after four steps; a company without one is told the 500,000.00 cap at the amount’s step', async () => {
    screenshotOnFailure(() => suite.pages(), 'loan-held');
    const shot = stepShots('loan-held');
    const admin = await suite.harness.as('admin');
    const code = freshCreditCode();
    const registered = await admin('PUT', '/api/admin/accounts/other-creator', { company: { name: '另一家文化公司', unifiedSocialCreditCode: code } });
    expect(registered.statusCode, registered.body).toBe(200);

    // Before it holds one: the form, and an amount above the cap told at its step.
    const company = await signedIn('other-creator', { phone: true });
    await company.goto(`${suite.base}#/apply/chuying-loan`);
    await company.getByLabel('项目名称').waitFor({ state: 'attached' });
    await company.getByRole('button', { name: '继续' }).click();
    await company.getByLabel('项目名称').fill('滨江漫游');
    await company.getByLabel('项目简介').fill('记录杨浦滨江');
    await company.getByRole('button', { name: '继续' }).click();
    await company.getByLabel('申请金额（元）').fill('600000');
    await company.getByRole('button', { name: '继续' }).click();
    await company.locator('[data-field="requestedAmountFen"] .field-error').getByText('雏鹰计划借款最高 500,000.00 元').waitFor();

    const applicant = await suite.harness.as('other-creator');
    const opened = await applicant('POST', '/api/cases/chuying-loan', { ...validApplication(), company: { name: '另一家文化公司', unifiedSocialCreditCode: code, registeredDistrict: '杨浦区' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const { referenceNo, caseId } = opened.json<{ referenceNo: string; caseId: string }>();
    await company.goto(`${suite.base}#/cases`);
    await company.goto(`${suite.base}#/apply/chuying-loan`);
    await company.locator(`[data-loan-held="${referenceNo}"]`).getByText(`本企业已有雏鹰计划借款申请 ${referenceNo}`).waitFor();
    expect(await company.locator('form').count()).toBe(0);
    expect(await company.getByRole('link', { name: `查看 ${referenceNo}` }).getAttribute('href')).toBe(`#/cases/${caseId}`);
    await shot(company, 'held');
  });
});
