import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';
import { freshCreditCode } from '../support/actors.js';

/**
 * Registers and checked facts in the browser (issue 14): 杨浦区投促办 adds a V聚场 tenant on the
 * registers page with its reason; the tenant's application shows the carrier fact 已核验 against the
 * register and the rest as 申请人声明; the reviewer verifies them with 核验事实 and the badges change.
 */
const suite = browserSuite();
const { signedIn } = suite;

const code = freshCreditCode();

describe('registers and checked facts', () => {
  it('a keeper adds a tenant with a reason; the case shows each fact 已核验 or 申请人声明, and the reviewer verifies the claims', async () => {
    screenshotOnFailure(() => suite.pages(), 'registers');
    const shot = stepShots('registers');
    const reviewer = await signedIn('yangpu-reviewer');
    await reviewer.getByRole('link', { name: '登记名录' }).click();
    await reviewer.getByRole('link', { name: '载体入驻企业名录' }).click();
    const add = reviewer.getByRole('form', { name: '新增载体入驻企业名录条目' });
    await add.getByLabel('统一社会信用代码').fill(code);
    await add.getByLabel('企业名称').fill('上海示范传媒有限公司');
    await add.getByLabel('入驻载体').fill('V聚场');
    await add.getByLabel('起始日期').fill('2026-01-01');
    await add.getByLabel('理由').fill('入驻协议已签订');
    await add.getByRole('button', { name: '新增' }).click();
    const row = reviewer.getByRole('row').filter({ hasText: code });
    await row.getByText('新增：孙评审，入驻协议已签订').waitFor();
    await shot(reviewer, 'entry-added');

    // The applicant applies through the API (the form is the catalogue's); the register answers the carrier fact.
    const creator = await suite.harness.as('creator');
    const opened = await creator('POST', '/api/applications/yangpu-rent-waiver', { title: '房租减免', summary: '入驻 V聚场', facts: { applicantKind: 'company', monthlyRentFen: 1_000_000, unifiedSocialCreditCode: code } });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;

    await reviewer.goto(`${suite.base}#/cases/${caseId}`);
    const facts = reviewer.getByRole('region', { name: '事实核验' });
    await facts.locator('tr[data-fact="admittedToCarrier"]').getByText('已核验（登记名录）').waitFor();
    await facts.locator('tr[data-fact="monthlyRentFen"]').getByText('申请人声明').waitFor();

    const verify = reviewer.getByRole('form', { name: '核验事实' });
    // Each claim is a row of the form, by its name; what it was checked against is typed beside it.
    await verify.getByLabel('申请主体类型').fill('营业执照原件');
    await verify.getByLabel('每月实际租金').fill('租赁合同第 3 页');
    await verify.getByRole('button', { name: '确认核验' }).click();
    await reviewer.getByRole('region', { name: '事实核验' }).locator('tr[data-fact="monthlyRentFen"]').getByText('已核验', { exact: true }).waitFor();
    const verified = reviewer.getByRole('region', { name: '事实核验' }).locator('tr[data-fact="monthlyRentFen"]');
    await verified.getByText('孙评审：租赁合同第 3 页', { exact: false }).waitFor();
    expect(await reviewer.getByRole('region', { name: '事实核验' }).getByText('申请人声明', { exact: true }).count()).toBe(0);
    await shot(reviewer, 'facts-verified');

    // On the applicant's phone each fact is a card, label beside value: four columns had wrapped 核验情况 a character a line.
    const phone = await signedIn('creator', { phone: true });
    await phone.goto(`${suite.base}#/cases/${caseId}`);
    const status = phone.getByRole('region', { name: '事实核验' }).locator('tr[data-fact="monthlyRentFen"] td[data-label="核验情况"]');
    await status.getByText('已核验', { exact: true }).waitFor();
    const badge = (await status.locator('.badge').boundingBox())!;
    expect(badge.height).toBeLessThan(40);
    await shot(phone, 'facts-phone', phone.getByRole('region', { name: '事实核验' }));
  });

  it('tells the reviewer of a 徐汇 measure, beside the 注册区 to verify, that the company’s credit code was issued in 杨浦', async () => {
    // An outside tester's company 91310110… (杨浦) applied to 徐汇 stating 徐汇区 and was approved: nothing had said so.
    const creator = await suite.harness.as('creator');
    const opened = await creator('POST', '/api/applications/xuhui-company-settling', {
      title: '企业落户',
      summary: '落户徐汇',
      facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, registeredDistrict: '徐汇区', unifiedSocialCreditCode: freshCreditCode('310110') },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const reviewer = await signedIn('xuhui-reviewer');
    await reviewer.goto(`${suite.base}#/cases/${opened.json<{ caseId: string }>().caseId}`);
    const district = reviewer.getByRole('region', { name: '事实核验' }).locator('tr[data-fact="registeredDistrict"]');
    await district.getByText('统一社会信用代码登记机关为杨浦区，与所填注册区（徐汇区）不一致，请核实').waitFor();
    await district.getByText('申请人声明').waitFor();

    // On a phone the note stays in the value's column, as wide as the value, not squeezed under the label (four characters a line).
    const phone = await signedIn('xuhui-reviewer', { phone: true });
    await phone.goto(`${suite.base}#/cases/${opened.json<{ caseId: string }>().caseId}`);
    const onPhone = phone.getByRole('region', { name: '事实核验' }).locator('tr[data-fact="registeredDistrict"]');
    const note = onPhone.locator('[data-fact-note]');
    await note.waitFor();
    const [noteBox, valueCell] = [(await note.boundingBox())!, (await onPhone.locator('td[data-label="内容"]').boundingBox())!];
    expect(noteBox.x).toBeGreaterThan(valueCell.x + 60);
    expect(noteBox.width).toBeGreaterThan(valueCell.width / 2);
  });
});
