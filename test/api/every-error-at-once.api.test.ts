import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * 一次告知 (issue 15): a refused application names every problem in one answer — the fields' own and
 * every rule of the measure the request can be judged on — each at a field the form can show it by,
 * with a stable code and plain Chinese (amounts in 元, never fen).
 */

let harness: ApiHarness;
let creator: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
});
afterAll(() => harness?.close());

interface Issue {
  field: string;
  code: string;
  message: string;
}

const apply = (programmeId: string, body: object, headers: Record<string, string> = {}) => creator('POST', `/api/applications/${programmeId}`, body, headers);
const fieldsAndCodes = (issues: Issue[]) => issues.map((i) => [i.field, i.code]).sort();
const byField = (issues: Issue[], field: string) => issues.find((i) => i.field === field)?.message;

// Latin letters other than 元-amounts' digits: what a person must not read in a message.
const LATIN_WORD = /[A-Za-z]{2,}/;

/** 徐汇 优质短剧: for companies registered in 徐汇区, at most 1,000,000.00 元 a work. */
const quality = () => ({
  title: '《弄堂里的光》',
  summary: '以徐汇老弄堂为背景的微短剧',
  facts: { applicantKind: 'company', registeredDistrict: '徐汇区', requestedAmountFen: 80_000_000, itemId: `drama-${randomUUID()}` },
});

describe('POST /api/applications/:programmeId answers every problem at once', () => {
  it('lists the fields’ problems and the rules’ together, each with its field, code and Chinese message', async () => {
    const application = quality();
    const response = await apply('xuhui-quality-works', {
      ...application,
      title: '',
      facts: { ...application.facts, applicantKind: 'individual-creator', registeredDistrict: '黄浦区', requestedAmountFen: 100_000_001, unifiedSocialCreditCode: '12345' },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; message: string; issues: Issue[] }>();
    expect(body.error).toBe('validation');
    expect(fieldsAndCodes(body.issues)).toEqual([
      ['facts.applicantKind', 'applicant-kind'],
      ['facts.registeredDistrict', 'registered-district'],
      ['facts.requestedAmountFen', 'amount-cap'],
      ['facts.unifiedSocialCreditCode', 'invalid_format'],
      ['title', 'too_small'],
    ]);
    expect(body.message).toMatch(/^请修改以下 5 处：/);
    // The sentence names the fields as the form does (申请事项), never by the API's keys (title, facts.registeredDistrict).
    expect(body.message).toContain('申请事项：不能为空');
    expect(body.message).not.toMatch(LATIN_WORD);
    expect(byField(body.issues, 'facts.requestedAmountFen')).toBe('申请金额 1,000,000.01 元 超过徐汇 优质短剧、获奖作品的最高额 1,000,000.00 元');
    expect(byField(body.issues, 'facts.registeredDistrict')).toBe('本措施仅面向注册在徐汇区的申请人；申请人注册区为黄浦区');
    expect(byField(body.issues, 'facts.applicantKind')).toContain('申请主体为个人创作者');
    for (const issue of body.issues) {
      expect(issue.message, issue.field).not.toMatch(LATIN_WORD);
      expect(issue.message, issue.field).not.toContain('100000001');
    }
  });

  it('keeps the English for API clients that ask for it', async () => {
    const application = quality();
    const response = await apply(
      'xuhui-quality-works',
      { ...application, title: '', facts: { ...application.facts, registeredDistrict: '黄浦区', requestedAmountFen: 100_000_001 } },
      { 'accept-language': 'en' },
    );
    const issues = response.json<{ issues: Issue[] }>().issues;
    expect(byField(issues, 'facts.requestedAmountFen')).toBe('requested 1,000,000.01 exceeds the most xuhui-quality-works allows, 1,000,000.00');
    expect(byField(issues, 'facts.registeredDistrict')).toBe('rule registered-district of xuhui-quality-works is not met by registeredDistrict');
  });

  it('judges no fact twice: a malformed amount is the field’s problem, and a missing fact is named where it is asked', async () => {
    const response = await apply('xuhui-quality-works', {
      title: '《弄堂里的光》',
      summary: '',
      facts: { applicantKind: 'company', registeredDistrict: '浦东新区', requestedAmountFen: 50_000_000.5 },
    });
    expect(response.statusCode).toBe(400);
    const issues = response.json<{ issues: Issue[] }>().issues;
    expect(issues.filter((i) => i.field === 'facts.requestedAmountFen')).toHaveLength(1);
    expect(fieldsAndCodes(issues)).toEqual([
      ['facts.itemId', 'required-fact'],
      ['facts.registeredDistrict', 'registered-district'],
      ['facts.requestedAmountFen', 'invalid_type'],
      ['summary', 'too_small'],
    ]);
    expect(byField(issues, 'facts.itemId')).toBe('申请徐汇 优质短剧、获奖作品须填写项目或作品编号');
  });

  it('leaves what a register answers to the register: no rule is judged early on a fact the registers replace', async () => {
    // 杨浦直播券 reads 入驻 V聚场 and the venue list, both answered by registers after the fields are sound.
    const response = await apply('yangpu-live-stream-vouchers', { title: '', summary: '直播', facts: { applicantKind: 'company' } });
    expect(response.statusCode).toBe(400);
    expect(fieldsAndCodes(response.json<{ issues: Issue[] }>().issues)).toEqual([['title', 'too_small']]);
  });

  it('refuses a stated item where the measure funds the applicant, in Chinese, beside the other problems', async () => {
    const response = await apply('yangpu-talent-rent', { title: '租房补贴', summary: '', facts: { applicantKind: 'company', monthlyRentFen: 500_000, itemId: 'me' } });
    expect(response.statusCode).toBe(400);
    const issues = response.json<{ issues: Issue[] }>().issues;
    expect(fieldsAndCodes(issues)).toEqual([
      ['facts.applicantKind', 'applicant-kind'],
      ['facts.itemId', 'item-is-the-applicant'],
      ['summary', 'too_small'],
    ]);
    expect(byField(issues, 'facts.itemId')).toBe('杨浦人才租房补贴资助的就是申请人本身，不填写项目或作品编号');
  });

  it('with every field sound, names every broken rule at once, the registers’ answers counted', async () => {
    const application = quality();
    const response = await apply('xuhui-quality-works', { ...application, facts: { ...application.facts, applicantKind: 'individual-creator', registeredDistrict: '黄浦区', requestedAmountFen: 100_000_001 } });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ code: string; message: string; issues: Issue[] }>();
    expect(body.code).toBe('not-eligible');
    expect(fieldsAndCodes(body.issues)).toEqual([
      // A company's account claiming to be a person, and the measure not being for persons: both said.
      ['facts.applicantKind', 'applicant-kind'],
      ['facts.applicantKind', 'applicant-kind-of-account'],
      ['facts.registeredDistrict', 'registered-district'],
      ['facts.requestedAmountFen', 'amount-cap'],
    ]);
    expect(body.message).toContain('请修改以下 4 处');
    expect(body.message).not.toMatch(LATIN_WORD);
  });

  it('accepts the application once everything is put right', async () => {
    const response = await apply('xuhui-quality-works', quality());
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ caseType: 'application', programme: { id: 'xuhui-quality-works' }, requestedAmountFen: 80_000_000 });
    // The case page names the version of the terms it opened under, which it keeps for life.
    const read = await creator('GET', `/api/cases/${response.json<{ caseId: string }>().caseId}`);
    // Version 0: no version published by the office yet, the code catalogue's own terms.
    expect(read.json().termsOpenedUnder).toEqual({ programmeId: 'xuhui-quality-works', catalogueVersion: '2026-12-03', version: 0, effectiveFrom: null });
  });
});

describe('POST /api/cases/drama-*-filing answers every problem at once', () => {
  // The filing's rules (domain/drama-filing/decide.ts checkDramaSubmission) ask nothing beyond its fields' shape: the schema names them all.
  it('lists every field’s problem in one answer, in plain Chinese', async () => {
    const response = await creator('POST', '/api/cases/drama-planning-filing', { ...dramaSubmission(), title: '  ', episodeCount: 2.5, episodeLengthMinutes: 0, aiGenerated: 'yes', category: 'major' });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ message: string; issues: Issue[] }>();
    expect(body.issues.map((i) => i.field).sort()).toEqual(['aiGenerated', 'category', 'episodeCount', 'episodeLengthMinutes', 'title']);
    expect(body.message).toMatch(/^请修改以下 5 处：/);
    expect(byField(body.issues, 'aiGenerated')).toBe('请选择是否使用生成式人工智能制作');
    expect(byField(body.issues, 'category')).toBe('请选择微短剧类别：普通微短剧或重点微短剧');
    for (const issue of body.issues) expect(issue.message, issue.field).not.toMatch(LATIN_WORD);
  });

  it('accepts the filing once it is put right', async () => {
    const response = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission());
    expect(response.statusCode, response.body).toBe(201);
  });
});

describe('a refusal of thousands of problems', () => {
  it('counts them all, says the first twenty and lists at most two hundred: 5,400 empty checkpoints had been answered with 9.4 MB', async () => {
    const auditor = await harness.as('auditor');
    const response = await auditor('POST', '/api/audit/verify', { checkpoints: Array.from({ length: 5_400 }, () => ({})) });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ message: string; issues: Issue[] }>();
    expect(body.message).toMatch(/^请修改以下 64800 处：/);
    expect(body.message).toContain('；另有 64780 处，未一一列出');
    expect(body.message.split('；')).toHaveLength(21);
    expect(body.issues).toHaveLength(200);
    expect(response.body.length).toBeLessThan(100_000);
  });
});
