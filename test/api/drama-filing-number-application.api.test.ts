import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * An outside tester's 优秀微短剧项目 stated 备案号 BA-2099-999999, a filing that never existed, and was
 * accepted and approved with the number shown as a plain claim. The system keeps the filings itself:
 * a stated 备案号 is answered by them. And the same drama funded by 沪8条 and then by 徐汇 raised no
 * 叠加资助待审核: the two measures' items never matched.
 */

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let filingReviewer: ApiCaller;
let xuhuiReviewer: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  filingReviewer = await harness.as('filing-reviewer');
  xuhuiReviewer = await harness.as('xuhui-reviewer');
});
afterAll(() => harness?.close());

/** A filing of a title of its own: an applicant holds one open filing per title. */
async function file(caller: ApiCaller, title = `外滩往事·${randomUUID().slice(0, 8)}`): Promise<{ caseId: string; referenceNo: string }> {
  const response = await caller('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title }));
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const excellent = (dramaFilingNo: string) =>
  creator('POST', '/api/applications/drama-excellent-project', {
    title: '优秀微短剧',
    summary: '外滩往事',
    facts: { applicantKind: 'drama-producer', requestedAmountFen: 100_000_000, dramaFilingNo, promotesCityImage: false },
  });

type FactCheckRow = { fact: string; value: unknown; status: string; registerAnswered: boolean; by: string | null; note?: string; filing?: Record<string, unknown> };
async function filingNoCheck(caseId: string): Promise<FactCheckRow | undefined> {
  const view = await filingReviewer('GET', `/api/cases/${caseId}`);
  expect(view.statusCode, view.body).toBe(200);
  return view.json<{ factChecks: FactCheckRow[] }>().factChecks.find((f) => f.fact === 'dramaFilingNo');
}

describe('a 微短剧备案号 stated in an award application', () => {
  it('refuses a number of the system’s own format that no filing has, at its field, and opens no case', async () => {
    const refused = await excellent('BA-2099-999999');
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.dramaFilingNo', code: 'drama-filing-not-found', message: expect.stringContaining('本系统没有备案号为 BA-2099-999999 的微短剧备案') }));
    expect(refused.json().message).toContain('不予受理');
  });

  it('refuses another applicant’s filing, saying so without saying whose', async () => {
    const theirs = await file(otherCreator);
    const refused = await excellent(theirs.referenceNo);
    expect(refused.statusCode, refused.body).toBe(400);
    const issue = refused.json().issues.find((i: { field: string }) => i.field === 'facts.dramaFilingNo');
    expect(issue).toMatchObject({ code: 'drama-filing-of-another-applicant', message: expect.stringMatching(/^该备案号不是您的备案/) });
    expect(refused.body).not.toContain('other-creator');
    // Within other words, as a second outside tester typed it: the same number, the same refusal.
    for (const typed of [`备案号${theirs.referenceNo}`, `No.${theirs.referenceNo}`, `${theirs.referenceNo}（规划备案）`, theirs.referenceNo.replace(/-0+/, '-')]) {
      const again = await excellent(typed);
      expect(again.statusCode, typed).toBe(400);
      expect(again.json().issues, typed).toContainEqual(expect.objectContaining({ field: 'facts.dramaFilingNo', code: 'drama-filing-of-another-applicant' }));
    }
  });

  it('does not tell the applicant of another applicant’s filing what that drama was funded', async () => {
    const theirs = await file(otherCreator);
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: `AW-${randomUUID()}`, case_id: randomUUID(), applicant_account_id: 'other-creator', programme_id: 'drama-excellent-project', catalogue_version: '2026-12-03', item_id: `content-item:${theirs.referenceNo}`, amount_fen: 50_000_000, awarded_on: '2026-06-01', recorded_at: new Date() })
      .execute();
    const refused = await excellent(theirs.referenceNo);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues.map((i: { code: string }) => i.code)).toEqual(['drama-filing-of-another-applicant']);
    expect(refused.body).not.toMatch(/500,000\.00|2026年6月1日|已获/);
  });

  it('checks a 备案号 given as the item of a 徐汇 measure as it checks a stated 备案号', async () => {
    const theirs = await file(otherCreator);
    const quality = (itemId: string) =>
      creator('POST', '/api/applications/xuhui-quality-works', { title: '优质短剧', summary: '获奖作品', facts: { applicantKind: 'drama-producer', requestedAmountFen: 10_000_000, itemId, registeredDistrict: '徐汇区' } });
    const anothers = await quality(theirs.referenceNo);
    expect(anothers.statusCode, anothers.body).toBe(400);
    expect(anothers.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.itemId', code: 'drama-filing-of-another-applicant' }));
    const none = await quality('BA-2099-999999');
    expect(none.statusCode, none.body).toBe(400);
    expect(none.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.itemId', code: 'drama-filing-not-found' }));
    // An item that is no filing number is the applicant's to name, as before.
    expect((await quality(`作品-${randomUUID().slice(0, 8)}`)).statusCode).toBe(201);
  });

  it('answers the applicant’s own filing as a register does, telling the reviewer its type, status and that it is theirs, and follows it to 备案通过', async () => {
    const mine = await file(creator, '外滩往事');
    // Typed another way: the system's number all the same.
    const opened = await excellent(mine.referenceNo.toLowerCase().replace(/-/g, ' '));
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json().caseId;
    expect(await filingNoCheck(caseId)).toMatchObject({
      status: 'register',
      registerAnswered: true,
      by: `本系统微短剧备案（备案编号 ${mine.referenceNo}）`,
      note: `本系统微短剧规划备案 ${mine.referenceNo}《外滩往事》：待认领审查，尚未通过备案，请确认后再作决定；备案申请人即本申请人`,
      filing: { inSystem: true, referenceNo: mine.referenceNo, filingType: 'drama-planning-filing', status: 'awaiting-claim', approved: false, sameApplicant: true },
    });
    for (const [action, body] of [['claim', {}], ['approve', { notes: '同意备案' }]] as const) {
      const done = await filingReviewer('POST', `/api/cases/${mine.caseId}/${action}`, body);
      expect(done.statusCode, done.body).toBe(200);
    }
    expect(await filingNoCheck(caseId)).toMatchObject({ note: `本系统微短剧规划备案 ${mine.referenceNo}《外滩往事》：备案通过；备案申请人即本申请人`, filing: { status: 'approved', approved: true } });
  });

  it('accepts a number filed outside the system as the applicant’s claim, to be checked against the original', async () => {
    const outside = `沪剧备${randomUUID().slice(0, 6)}`;
    const opened = await excellent(outside);
    expect(opened.statusCode, opened.body).toBe(201);
    expect(await filingNoCheck(opened.json().caseId)).toMatchObject({ value: outside, status: 'claimed', registerAnswered: false, note: '未在本系统备案，需核对原件', filing: { inSystem: false } });
  });
});

describe('a filing’s own page', () => {
  it('tells its applicant to look its progress up by its 备案编号, the number its page and confirmation name', async () => {
    const mine = await file(creator);
    const overview = (await creator('GET', `/api/cases/${mine.caseId}`)).json<{ overview: { label: string; value: string }[] }>().overview;
    expect(overview.find((line) => line.label === '进度查询')?.value).toMatch(/^凭备案编号和查询码/);
  });
});

describe('one drama funded by 沪8条 and then by 徐汇', () => {
  it('shows the 徐汇 reviewer the 沪8条 award of the same 备案号 (叠加资助待审核)', async () => {
    const mine = await file(creator);
    // The case the 沪8条 award was made on (an application of the applicant's, for its 申请编号).
    const earlier = await excellent(mine.referenceNo);
    expect(earlier.statusCode, earlier.body).toBe(201);
    const awardId = `AW-${earlier.json().caseId}`;
    // The 沪8条 award as its projection keys it: content-item:<备案号>.
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: awardId, case_id: earlier.json().caseId, applicant_account_id: 'someone', programme_id: 'drama-excellent-project', catalogue_version: '2026-12-03', item_id: `content-item:${mine.referenceNo}`, amount_fen: 100_000_000, awarded_on: '2026-06-01', recorded_at: new Date() })
      .execute();
    const opened = await creator('POST', '/api/applications/xuhui-quality-works', {
      title: '优质短剧',
      summary: '外滩往事',
      facts: { applicantKind: 'company', requestedAmountFen: 50_000_000, itemId: ` ${mine.referenceNo.toLowerCase()} `, registeredDistrict: '徐汇区' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const view = (await xuhuiReviewer('GET', `/api/cases/${opened.json().caseId}`)).json<{ stackingNotes: string[] }>();
    // The award by the 申请编号 of its case, as the department knows it, not the ledger's AW-… id.
    expect(view.stackingNotes).toEqual([expect.stringContaining(`资助 1,000,000.00 元（申请编号 ${earlier.json().referenceNo}）`)]);
    expect(view.stackingNotes[0]).not.toContain(awardId);
    expect(view.stackingNotes[0]).toContain('请经办人审核');
  });

  it('shows it too when the 徐汇 item states the number with words around it, or its sequence short', async () => {
    const mine = await file(creator);
    const earlier = await excellent(mine.referenceNo);
    expect(earlier.statusCode, earlier.body).toBe(201);
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: `AW-${earlier.json().caseId}`, case_id: earlier.json().caseId, applicant_account_id: 'someone', programme_id: 'drama-excellent-project', catalogue_version: '2026-12-03', item_id: `content-item:${mine.referenceNo}`, amount_fen: 100_000_000, awarded_on: '2026-06-01', recorded_at: new Date() })
      .execute();
    const [, year, sequence] = mine.referenceNo.split('-');
    // As an outside tester typed them: each funded the drama again, with no 叠加资助待审核.
    for (const itemId of [`备案号${mine.referenceNo}`, `ba ${year} ${Number(sequence)}`]) {
      const opened = await creator('POST', '/api/applications/xuhui-quality-works', { title: '优质短剧', summary: '外滩往事', facts: { applicantKind: 'company', requestedAmountFen: 50_000_000, itemId, registeredDistrict: '徐汇区' } });
      expect(opened.statusCode, opened.body).toBe(201);
      const view = (await xuhuiReviewer('GET', `/api/cases/${opened.json().caseId}`)).json<{ stackingNotes: string[] }>();
      expect(view.stackingNotes, itemId).toEqual([expect.stringContaining(`资助 1,000,000.00 元（申请编号 ${earlier.json().referenceNo}）`)]);
      await creator('POST', `/api/cases/${opened.json().caseId}/withdraw`, { reason: '测试完毕' });
    }
  });
});
