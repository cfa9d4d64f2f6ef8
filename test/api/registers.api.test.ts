import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRegisters } from '../../db/seed/demo-registers.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { freshCreditCode } from '../support/actors.js';
import { addMonthsClamped, shanghaiDateOf } from '../../domain/time/local-date.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let yangpuReviewer: ApiCaller;
let yangpuApprover: ApiCaller;
let hrssReviewer: ApiCaller;
let admin: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  yangpuReviewer = await harness.as('yangpu-reviewer');
  yangpuApprover = await harness.as('yangpu-approver');
  hrssReviewer = await harness.as('hrss-reviewer');
  admin = await harness.as('admin');
  auditor = await harness.as('auditor');
}, 180_000);
afterAll(() => harness?.close());

async function addTenant(code: string, from = '2026-01-01') {
  const response = await yangpuReviewer('POST', '/api/registers/carrier-tenants/entries', {
    subject: code,
    name: '上海某某文化传媒有限公司',
    detail: { carrier: 'V聚场' },
    from,
    reason: '入驻协议已签订',
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ entryId: string }>();
}

/** A company's applicant account of its own (a rent waiver is granted once per company). */
async function companyAccount(username: string): Promise<ApiCaller> {
  await harness.database.db
    .insertInto('accounts')
    .values({ account_id: `acct-${username}`, username, display_name: `${username} 文化公司`, role: 'applicant', department: null, applicant_kind: 'company', profile: '{}', password_hash: await hashPassword(DEMO_PASSWORD), created_at: new Date() })
    .execute();
  return harness.as(username);
}

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  return caller('POST', `/api/cases/${caseId}/${action}`, body);
}

async function ok(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await act(caller, caseId, action, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json().case;
}

/** A 房租减免 application by a registered V聚场 tenant, typing that it is not one: the register answers. */
async function rentWaiverCase(code: string, applicant: ApiCaller = creator) {
  const response = await applicant('POST', '/api/applications/yangpu-rent-waiver', {
    title: 'V聚场房租减免',
    summary: '入驻 V聚场',
    facts: { applicantKind: 'company', admittedToCarrier: false, monthlyRentFen: 1_000_000, unifiedSocialCreditCode: code },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ caseId: string; facts: Record<string, unknown>; factChecks: { fact: string; status: string; against: string | null }[] }>();
}

/** Through to the decision step: materials accepted (with what is verified there), the 网信 review where required, one score. */
async function toReview(caseId: string, verifiedFacts?: { fact: string; against: string }[]) {
  if (verifiedFacts) await ok(yangpuReviewer, caseId, 'verify-facts', { verifiedFacts });
  let view = await ok(yangpuReviewer, caseId, 'accept-materials');
  if (view.status === 'compliance-review') view = await ok(await harness.as('cac-reviewer'), caseId, 'pass-compliance-review', { notes: '' });
  await ok(yangpuReviewer, caseId, 'score-application', { score: 80, comments: '' });
}

describe('registers kept by departments', () => {
  it('is written by its keepers only, each change an event with who and why; read by officials and auditors, not applicants', async () => {
    const code = freshCreditCode();
    const { entryId } = await addTenant(code);

    // 人社 does not keep the carrier tenants; the LPR is the administrator's; an applicant reads nothing.
    const foreign = await hrssReviewer('POST', '/api/registers/carrier-tenants/entries', { subject: freshCreditCode(), name: '某公司', detail: { carrier: 'V聚场' }, from: '2026-01-01', reason: '试图登记' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toContain('杨浦区投促办');
    const officialLpr = await yangpuReviewer('POST', '/api/registers/lpr/entries', { subject: '2026-11', name: '2026年11月', detail: { oneYearBasisPoints: 300, overFiveYearsBasisPoints: 350 }, from: '2026-11-20', reason: '公布' });
    expect(officialLpr.statusCode).toBe(403);
    expect((await creator('GET', '/api/registers')).statusCode).toBe(403);

    // Every write needs its reason.
    const noReason = await yangpuReviewer('POST', `/api/registers/carrier-tenants/entries/${entryId}/change`, { name: '新名称' });
    expect(noReason.statusCode).toBe(400);

    const changed = await yangpuReviewer('POST', `/api/registers/carrier-tenants/entries/${entryId}/change`, { name: '上海某某文化科技有限公司', reason: '企业更名' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: '上海某某文化科技有限公司', lastChange: { type: 'RegisterEntryChanged', reason: '企业更名', by: { displayName: '孙评审' } } });

    const ended = await yangpuReviewer('POST', `/api/registers/carrier-tenants/entries/${entryId}/end`, { endedOn: '2026-06-30', reason: '企业迁出 V聚场' });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ to: '2026-06-30', ended: { on: '2026-06-30', reason: '企业迁出 V聚场' }, current: false });
    const again = await yangpuReviewer('POST', `/api/registers/carrier-tenants/entries/${entryId}/change`, { name: 'x', reason: '再改' });
    expect(again.statusCode).toBe(409);

    // The stream holds the three events, each with who and why.
    const events = await harness.database.db.selectFrom('events').select(['event_type', 'payload', 'metadata']).where('stream_id', '=', 'register-carrier-tenants').orderBy('global_position').execute();
    const mine = events.filter((e) => (e.payload as { entryId: string }).entryId === entryId);
    expect(mine.map((e) => e.event_type)).toEqual(['RegisterEntryAdded', 'RegisterEntryChanged', 'RegisterEntryEnded']);
    expect(mine.map((e) => (e.payload as { reason: string }).reason)).toEqual(['入驻协议已签订', '企业更名', '企业迁出 V聚场']);
    for (const e of mine) expect(e.metadata).toMatchObject({ actor: { accountId: 'demo-yangpu-reviewer', department: 'yangpu-investment' } });

    // As of a day it held, it is found; as of today it is not.
    const asOf = await auditor('GET', `/api/registers/carrier-tenants?q=${code}&asOf=2026-03-01`);
    expect(asOf.statusCode, asOf.body).toBe(200);
    expect(asOf.json().entries.map((e: { entryId: string }) => e.entryId)).toEqual([entryId]);
    const later = await auditor('GET', `/api/registers/carrier-tenants?q=${code}&asOf=2026-07-01`);
    expect(later.json().entries).toEqual([]);

    const lpr = await admin('POST', '/api/registers/lpr/entries', { subject: '2025-10', name: '2025年10月', detail: { oneYearBasisPoints: 300, overFiveYearsBasisPoints: 350 }, from: '2025-10-20', reason: '人民银行授权全国银行间同业拆借中心公布' });
    expect(lpr.statusCode, lpr.body).toBe(201);
    const kinds = await admin('GET', '/api/registers');
    expect(kinds.json().registers.find((r: { kind: string }) => r.kind === 'lpr')).toMatchObject({ keptBy: '系统管理员', canWrite: true });
  });

  it('takes different entries sent at the same moment by different districts, lists one sent twice once, and keeps an edit from being laid over another', async () => {
    const keepers = [yangpuReviewer, await harness.as('huangpu-reviewer'), await harness.as('xuhui-reviewer')];
    const codes = Array.from({ length: 6 }, () => freshCreditCode());
    const add = (caller: ApiCaller, code: string, carrier = 'V聚场') =>
      caller('POST', '/api/registers/carrier-tenants/entries', { subject: code, name: '上海某某文化传媒有限公司', detail: { carrier }, from: '2026-01-01', reason: '入驻协议已签订' });
    const added = await Promise.all(codes.map((code, i) => add(keepers[i % 3]!, code)));
    expect(added.map((r) => r.statusCode), added.map((r) => r.body).join('\n')).toEqual([201, 201, 201, 201, 201, 201]);

    // The same form sent twice at once: one entry, and the other told which entry already says it.
    const twice = freshCreditCode();
    const sent = await Promise.all([add(yangpuReviewer, twice), add(yangpuReviewer, twice)]);
    expect(sent.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const entryId = sent.find((r) => r.statusCode === 201)!.json<{ entryId: string }>().entryId;
    expect(sent.find((r) => r.statusCode === 409)!.json().message).toContain(`载体入驻企业名录已有这一条目：上海某某文化传媒有限公司（${twice}，2026-01-01 起，未定截止日期，条目 ${entryId}）`);
    const listed = await auditor('GET', `/api/registers/carrier-tenants?q=${twice}`);
    expect(listed.json().entries.map((e: { entryId: string }) => e.entryId)).toEqual([entryId]);
    // Another carrier is another entry.
    expect((await add(yangpuReviewer, twice, '长阳创谷')).statusCode).toBe(201);

    // Two edits of one entry at once: one is recorded, the other refused rather than laid over it unseen.
    const edits = await Promise.all(
      ['更名为甲', '更名为乙', '更名为丙'].map((name, i) => keepers[i]!('POST', `/api/registers/carrier-tenants/entries/${entryId}/change`, { name, reason: '企业更名' })),
    );
    const codesOf = edits.map((r) => r.statusCode);
    expect(codesOf.filter((c) => c === 200).length).toBeGreaterThanOrEqual(1);
    expect(codesOf.every((c) => c === 200 || c === 409)).toBe(true);
    const events = await harness.database.db.selectFrom('events').select(['event_type', 'payload']).where('stream_id', '=', 'register-carrier-tenants').execute();
    const changes = events.filter((e) => e.event_type === 'RegisterEntryChanged' && (e.payload as { entryId: string }).entryId === entryId);
    expect(changes.length).toBe(codesOf.filter((c) => c === 200).length);
    // Each change recorded was made on the entry as the one before it left it.
    const befores = changes.map((e) => (e.payload as { before: { name: string } }).before.name);
    expect(new Set(befores).size).toBe(befores.length);
  });

  it('answers a fact it holds: a registered V聚场 tenant is admitted, whatever was typed', async () => {
    const code = freshCreditCode();
    const { entryId } = await addTenant(code);
    const opened = await rentWaiverCase(code);
    expect(opened.facts.admittedToCarrier).toBe(true);
    expect(opened.factChecks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fact: 'admittedToCarrier', status: 'register', registerAnswered: true, against: expect.stringContaining('V聚场') }),
        expect.objectContaining({ fact: 'monthlyRentFen', status: 'claimed' }),
      ]),
    );
    // Named by the register, not by its entry's id (an outside tester's applicant read 登记名录（条目 RE-…）).
    expect(opened.factChecks.find((f: { fact: string }) => f.fact === 'admittedToCarrier')).toMatchObject({ by: '登记名录' });
    expect(JSON.stringify(opened.factChecks)).not.toContain(entryId);
    const submitted = await harness.database.db.selectFrom('events').select('payload').where('stream_id', 'like', `%${opened.caseId}%`).where('event_type', '=', 'ApplicationSubmitted').executeTakeFirstOrThrow();
    expect((submitted.payload as { factSources: Record<string, unknown> }).factSources.admittedToCarrier).toMatchObject({ source: 'register', register: 'carrier-tenants', entryId });

    // Not in the register: refused, although the applicant typed yes.
    const stranger = await creator('POST', '/api/applications/yangpu-rent-waiver', {
      title: '房租减免',
      summary: '说明',
      facts: { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 1_000_000, unifiedSocialCreditCode: freshCreditCode() },
    });
    expect(stranger.statusCode).toBe(400);
    // A company that gives no 统一社会信用代码 is told to.
    const noCode = await creator('POST', '/api/applications/yangpu-rent-waiver', { title: '房租减免', summary: '说明', facts: { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 1_000_000 } });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().message).toContain('统一社会信用代码');
  });

  it('refuses an approval on a claimed fact nobody verified, naming it; approves once it is verified', async () => {
    const code = freshCreditCode();
    await addTenant(code);
    const { caseId } = await rentWaiverCase(code);
    await toReview(caseId);

    const refused = await act(yangpuApprover, caseId, 'approve-application', { notes: '' });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(refused.json().message).toContain('尚未核验');
    expect(refused.json().message).toContain('每月实际租金');
    expect(refused.json().message).toContain('申请主体类型');

    // Verifying a fact the register answered is refused: it is no claim.
    const registerFact = await act(yangpuReviewer, caseId, 'verify-facts', { verifiedFacts: [{ fact: 'admittedToCarrier', against: '入驻协议' }] });
    expect(registerFact.statusCode).toBe(400);

    const verified = await ok(yangpuReviewer, caseId, 'verify-facts', {
      verifiedFacts: [
        { fact: 'applicantKind', against: '营业执照原件' },
        { fact: 'monthlyRentFen', against: '租赁合同第 3 页' },
      ],
    });
    expect(verified.factChecks).toEqual(expect.arrayContaining([expect.objectContaining({ fact: 'monthlyRentFen', status: 'verified', by: '孙评审', against: '租赁合同第 3 页' })]));
    // The same verification sent again is a repeat, answered as other repeats are (409), naming who verified what and on what; nothing more is recorded.
    const again = await act(yangpuReviewer, caseId, 'verify-facts', { verifiedFacts: [{ fact: 'monthlyRentFen', against: '租赁合同第 3 页' }] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'facts-verified-already', message: expect.stringMatching(/^每月实际租金已由孙评审于\d{4}年\d{1,2}月\d{1,2}日核验（依据：租赁合同第 3 页），无需再次核验。$/) });
    const verifications = await harness.database.db.selectFrom('events').select('event_type').where('stream_id', 'like', `%${caseId}%`).where('event_type', '=', 'FactsVerified').execute();
    expect(verifications).toHaveLength(1);
    const approved = await ok(yangpuApprover, caseId, 'approve-application', { notes: '' });
    expect(approved.status).not.toBe('review');
  });

  it('approves a case whose claims were verified at the completeness check', async () => {
    const code = freshCreditCode();
    await addTenant(code);
    // Another company: the rent waiver is granted once per company.
    const { caseId } = await rentWaiverCase(code, otherCreator);
    await toReview(caseId, [
      { fact: 'applicantKind', against: '营业执照副本' },
      { fact: 'monthlyRentFen', against: '租赁合同' },
    ]);
    const approved = await ok(yangpuApprover, caseId, 'approve-application', { notes: '' });
    expect(approved.decision).toMatchObject({ by: '钱审批' });
  });

  it('counts a rent waiver’s contract years from the day the register has the company admitted', async () => {
    const today = shanghaiDateOf(new Date());
    // Admitted 18 months ago: in its second contract year, so years 2 (75%) and 3 (50%) are waived, not three years from today.
    const admittedOn = addMonthsClamped(today, -18);
    const code = freshCreditCode();
    await addTenant(code, admittedOn);
    const applicant = await companyAccount('rent-tenant-second-year');
    const opened = await rentWaiverCase(code, applicant);
    expect(opened.facts.admittedOn).toBe(admittedOn);
    await toReview(opened.caseId, [
      { fact: 'applicantKind', against: '营业执照副本' },
      { fact: 'monthlyRentFen', against: '租赁合同' },
    ]);
    await ok(yangpuApprover, opened.caseId, 'approve-application', { notes: '' });
    const granted = await harness.database.db.selectFrom('events').select('payload').where('stream_id', '=', opened.caseId).where('event_type', '=', 'AwardGranted').executeTakeFirstOrThrow();
    // 10,000.00 a month: 90,000.00 + 60,000.00.
    expect(granted.payload).toMatchObject({ amountFen: 15_000_000, plan: { kind: 'rent-waiver-years', startOn: admittedOn, firstYear: 2 } });

    // Admitted four years ago: its three years are over, and the application says so at the fact the register answered.
    const late = freshCreditCode();
    await addTenant(late, addMonthsClamped(today, -48));
    const refused = await (await companyAccount('rent-tenant-fifth-year'))('POST', '/api/applications/yangpu-rent-waiver', {
      title: 'V聚场房租减免',
      summary: '入驻 V聚场',
      facts: { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 1_000_000, unifiedSocialCreditCode: late },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([expect.objectContaining({ field: 'facts.admittedToCarrier', code: 'rent-waiver-period-ended', message: expect.stringContaining('入驻后3个合同年度的减免期已于') })]);
  });

  it('seeds the demo once: a V聚场 tenant, a venue and the LPRs published so far', async () => {
    const now = new Date('2026-12-02T04:00:00Z');
    await seedDemoRegisters(harness.database.db, now);
    await seedDemoRegisters(harness.database.db, now);
    const lpr = (await admin('GET', '/api/registers/lpr?q=RE-demo')).json();
    const demoLpr = (await admin('GET', '/api/registers/lpr')).json().entries.filter((e: { entryId: string }) => e.entryId.startsWith('RE-demo-lpr-'));
    expect(lpr.entries).toEqual([]);
    expect(demoLpr.map((e: { subject: string }) => e.subject).sort()).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    const tenants = (await yangpuReviewer('GET', '/api/registers/carrier-tenants?q=91310110MA1G8D000Y')).json().entries;
    expect(tenants).toHaveLength(1);
  });
});
