import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(elsewhere.json().violations).toEqual([{ rule: 'district-required', message: '雏鹰计划只面向注册在杨浦区的企业；本企业注册在徐汇区。' }]);
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
