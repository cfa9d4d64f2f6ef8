import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCreditCode } from '../support/actors.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * An outside tester's 雏鹰 application stating 杨浦 (or 上海市杨浦区) was refused as a company
 * registered outside 杨浦, in words that contradicted themselves (…本企业注册在杨浦). A district is taken
 * however written and kept as its full name; a text naming none of the 16 is refused at its field.
 */

let harness: ApiHarness;
let creator: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
});
afterAll(() => harness?.close());

const loanIn = (registeredDistrict: string) => ({ ...validApplication(), company: { ...validApplication().company, registeredDistrict } });

describe('the district an application states', () => {
  it('opens a 雏鹰 loan for a company registered in 杨浦 however it writes the district, and keeps 杨浦区', async () => {
    for (const district of ['杨浦', '上海市杨浦区', '杨浦区']) {
      const opened = await creator('POST', '/api/cases/chuying-loan', loanIn(district));
      expect(opened.statusCode, `${district}: ${opened.body}`).toBe(201);
      const registered = opened.json<{ overview: { label: string; value: string }[] }>().overview.find((line) => line.label === '注册区');
      expect(registered?.value, district).toMatch(/^杨浦区/);
    }
  });

  it('answers the self-check alike: 杨浦 and 上海市杨浦区 are eligible for 雏鹰, 上海市徐汇区 for 徐汇 落户', async () => {
    for (const district of ['杨浦', '上海市杨浦区']) {
      const check = await creator('POST', '/api/programmes/chuying-loan/check', { registeredDistrict: district, requestedAmountFen: 30_000_000 });
      expect(check.json(), district).toMatchObject({ eligible: true, violations: [] });
    }
    const xuhui = await creator('POST', '/api/programmes/xuhui-company-settling/check', { applicantKind: 'company', requestedAmountFen: 1_000_000, registeredDistrict: '上海市徐汇区' });
    expect(xuhui.json()).toMatchObject({ eligible: true, violations: [] });
    // Another district is still another district, named in full.
    const elsewhere = await creator('POST', '/api/programmes/chuying-loan/check', { registeredDistrict: '徐汇', requestedAmountFen: 30_000_000 });
    expect(elsewhere.json().violations).toEqual([{ rule: 'district-required', fact: 'registeredDistrict', message: '雏鹰计划只面向注册在杨浦区的企业；本企业注册在徐汇区。' }]);
  });

  it('refuses a text that names none of Shanghai’s 16 districts, at the field, saying what to choose', async () => {
    const loan = await creator('POST', '/api/cases/chuying-loan', loanIn('北京市朝阳区'));
    expect(loan.statusCode).toBe(400);
    expect(loan.json().issues).toEqual([expect.objectContaining({ field: 'company.registeredDistrict', message: '请选择上海市的区，例如 杨浦区' })]);
    const check = await creator('POST', '/api/programmes/chuying-loan/check', { registeredDistrict: '外地', requestedAmountFen: 30_000_000 });
    expect(check.statusCode).toBe(400);
    expect(check.json().issues).toEqual([expect.objectContaining({ field: 'registeredDistrict', message: '请选择上海市的区，例如 杨浦区' })]);
    const application = await creator('POST', '/api/applications/xuhui-company-settling', {
      title: '企业落户',
      summary: '落户徐汇',
      facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, registeredDistrict: '徐家汇' },
    });
    expect(application.statusCode).toBe(400);
    expect(application.json().issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'facts.registeredDistrict', message: '请选择上海市的区，例如 杨浦区' })]));
  });
});

describe('the district against the 统一社会信用代码', () => {
  /** The 事实核验 row of the 注册区 as the department's reviewer sees it. */
  async function districtCheck(caseId: string) {
    const reviewer = await harness.as('xuhui-reviewer');
    const view = await reviewer('GET', `/api/cases/${caseId}`);
    expect(view.statusCode, view.body).toBe(200);
    return view.json<{ factChecks: { fact: string; value: unknown; status: string; note?: string }[] }>().factChecks.find((f) => f.fact === 'registeredDistrict');
  }

  const settling = (facts: Record<string, unknown>) => ({ title: '企业落户', summary: '落户徐汇', facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, registeredDistrict: '徐汇区', ...facts } });

  it('tells the reviewer of a 徐汇 measure that a company whose code 杨浦 issued states 徐汇区, without refusing it', async () => {
    // The outside tester's company: 91310110… (杨浦), applying to 徐汇 stating 徐汇区.
    const opened = await creator('POST', '/api/applications/xuhui-company-settling', settling({ unifiedSocialCreditCode: freshCreditCode('310110') }));
    expect(opened.statusCode, opened.body).toBe(201);
    expect(await districtCheck(opened.json().caseId)).toMatchObject({ value: '徐汇区', status: 'claimed', note: '统一社会信用代码登记机关为杨浦区，与所填注册区（徐汇区）不一致，请核实' });
    // A code 徐汇 issued says nothing more.
    const agreeing = await creator('POST', '/api/applications/xuhui-company-settling', settling({ unifiedSocialCreditCode: freshCreditCode('310104') }));
    expect(await districtCheck(agreeing.json().caseId)).not.toHaveProperty('note');
  });

  it('reads the code registered on the company’s account where the application gives none', async () => {
    const code = freshCreditCode('310110');
    await sql`UPDATE accounts SET profile = ${JSON.stringify({ company: { name: '另一家文化公司', unifiedSocialCreditCode: code } })}::jsonb WHERE username = 'other-creator'`.execute(harness.database.db);
    const company = await harness.as('other-creator');
    const opened = await company('POST', '/api/applications/xuhui-company-settling', settling({}));
    expect(opened.statusCode, opened.body).toBe(201);
    expect(await districtCheck(opened.json().caseId)).toMatchObject({ note: '统一社会信用代码登记机关为杨浦区，与所填注册区（徐汇区）不一致，请核实' });
  });

  it('says so on a 雏鹰 loan of a company whose code 浦东 issued, stating 杨浦区', async () => {
    const application = validApplication();
    const opened = await creator('POST', '/api/cases/chuying-loan', { ...application, company: { ...application.company, unifiedSocialCreditCode: freshCreditCode('310115') } });
    expect(opened.statusCode, opened.body).toBe(201);
    const reviewer = await harness.as('fund-reviewer');
    const overview = (await reviewer('GET', `/api/cases/${opened.json().caseId}`)).json<{ overview: { label: string; value: string }[] }>().overview;
    expect(overview.find((line) => line.label === '注册区')?.value).toBe('杨浦区（统一社会信用代码登记机关为浦东新区，与所填注册区（杨浦区）不一致，请核实）');
  });
});
