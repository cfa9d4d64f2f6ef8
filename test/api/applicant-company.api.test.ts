import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/auth/passwords.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { freshCreditCode } from '../support/actors.js';
import { FACTS } from '../support/applications.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';

/**
 * One company, one account: an administrator records a company applicant's 统一社会信用代码 on its
 * account, no other account may hold it, and no other account may apply under it. An outside tester
 * had one company's account apply with another company's code and that company's register entries
 * answer the facts.
 */
let harness: ApiHarness;
let admin: ApiCaller;
let creator: ApiCaller;
let legacyStudio: ApiCaller;
let yangpuReviewer: ApiCaller;

/** The demo company's code, registered on the `creator` account by the seed (and again here: the harness's creator has none). */
const CREATOR_CODE = (DEMO_ACCOUNTS[0]!.profile as { company: { unifiedSocialCreditCode: string } }).company.unifiedSocialCreditCode;

beforeAll(async () => {
  harness = await startApiHarness();
  admin = await harness.as('admin');
  const registered = await admin('PUT', '/api/admin/accounts/creator', { company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: CREATOR_CODE } });
  expect(registered.statusCode, registered.body).toBe(200);
  // A company account from before codes were registered on accounts.
  await harness.database.ownerDb
    .insertInto('accounts')
    .values({ account_id: 'acct-legacy-studio', username: 'legacy-studio', display_name: '老账户文化公司', role: 'applicant', department: null, applicant_kind: 'company', profile: '{}', password_hash: await hashPassword(DEMO_PASSWORD), created_at: new Date() })
    .execute();
  creator = await harness.as('creator');
  legacyStudio = await harness.as('legacy-studio');
  yangpuReviewer = await harness.as('yangpu-reviewer');
}, 180_000);
afterAll(() => harness?.close());

const newCompanyAccount = (username: string, code: string | undefined) => ({
  username,
  displayName: `${username} 文化有限公司`,
  role: 'applicant',
  applicantKind: 'company',
  ...(code ? { company: { name: `上海${username}文化有限公司`, unifiedSocialCreditCode: code } } : {}),
});

/** A V聚场 tenant in 杨浦's register of carrier tenants, under `code`. */
async function addTenant(code: string, name: string): Promise<void> {
  const entry = await yangpuReviewer('POST', '/api/registers/carrier-tenants/entries', { subject: code, name, detail: { carrier: 'V聚场' }, from: '2026-01-01', reason: '入驻协议已签订' });
  expect(entry.statusCode, entry.body).toBe(201);
}

async function accountEvents(username: string) {
  const rows = await harness.database.db.selectFrom('events').select(['event_type', 'payload']).where('stream_id', '=', `account-${username}`).orderBy('stream_version').execute();
  return rows.map((r) => ({ type: r.event_type, data: r.payload }));
}

describe('an administrator records the company of a company applicant’s account', () => {
  it('asks a new company applicant for its code, keeps it on the account and in its first event', async () => {
    const missing = await admin('POST', '/api/admin/accounts', newCompanyAccount('no-code-studio', undefined));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues).toEqual([expect.objectContaining({ field: 'company.unifiedSocialCreditCode', message: expect.stringContaining('统一社会信用代码') })]);

    const code = freshCreditCode();
    const created = await admin('POST', '/api/admin/accounts', newCompanyAccount('coded-studio', code.toLowerCase()));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().account.company).toEqual({ name: '上海coded-studio文化有限公司', unifiedSocialCreditCode: code });
    expect((await accountEvents('coded-studio'))[0]).toMatchObject({ type: 'AccountCreated', data: { profile: { company: { unifiedSocialCreditCode: code } } } });
  });

  it('refuses a code already registered to another account, naming that account', async () => {
    const taken = await admin('POST', '/api/admin/accounts', newCompanyAccount('copy-studio', CREATOR_CODE));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toContain('已登记在“上海星河文化传媒有限公司”的账户下');
    expect(taken.json().issues[0]).toMatchObject({ field: 'company.unifiedSocialCreditCode' });
    expect(await harness.database.db.selectFrom('accounts').select('username').where('username', '=', 'copy-studio').executeTakeFirst()).toBeUndefined();
  });

  it('registers one account when thirty requests give the same new code at once', async () => {
    const code = freshCreditCode();
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => admin('POST', '/api/admin/accounts', newCompanyAccount(`rush-${i}`, code))));
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    for (const refused of responses.filter((r) => r.statusCode === 409)) expect(refused.json().message).toMatch(/已登记在“rush-\d+ 文化有限公司”的账户下/);
  });

  it('records a company on an existing account with its own event, and refuses one for an individual creator', async () => {
    const code = freshCreditCode();
    const recorded = await admin('PUT', '/api/admin/accounts/other-creator', { company: { name: '另一家文化公司', unifiedSocialCreditCode: code } });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json().account.company).toEqual({ name: '另一家文化公司', unifiedSocialCreditCode: code });
    expect((await accountEvents('other-creator')).at(-1)).toMatchObject({ type: 'ApplicantCompanyRecorded', data: { from: null, to: { unifiedSocialCreditCode: code } } });

    // Now the code is other-creator's: an account with no code of its own may not borrow under it.
    const borrowed = await legacyStudio('POST', '/api/cases/chuying-loan', { ...validApplication(), company: { ...validApplication().company, unifiedSocialCreditCode: code } });
    expect(borrowed.statusCode).toBe(400);
    expect(borrowed.json().issues).toEqual([expect.objectContaining({ field: 'company.unifiedSocialCreditCode', code: 'credit-code-of-another-account' })]);

    const individual = await admin('PUT', '/api/admin/accounts/individual-creator', { company: { name: '林小创工作室', unifiedSocialCreditCode: freshCreditCode() } });
    expect(individual.statusCode).toBe(400);
    expect(individual.json().issues).toEqual([expect.objectContaining({ field: 'company' })]);
  });

  it('frees the code of an account that stops being a company applicant’s, for the company’s own account', async () => {
    const code = freshCreditCode();
    expect((await admin('POST', '/api/admin/accounts', newCompanyAccount('wrong-kind-studio', code))).statusCode).toBe(201);
    const madePerson = await admin('PUT', '/api/admin/accounts/wrong-kind-studio', { role: 'applicant', applicantKind: 'individual' });
    expect(madePerson.statusCode, madePerson.body).toBe(200);
    expect(madePerson.json().account.company).toBeNull();
    const owner = await admin('POST', '/api/admin/accounts', newCompanyAccount('rightful-studio', code));
    expect(owner.statusCode, owner.body).toBe(201);
  });
});

describe('an applicant applies only under a code that is not another account’s', () => {
  it('refuses another account’s code for a 雏鹰 loan, and takes it from the account it is registered to', async () => {
    const application = { ...validApplication(), company: { ...validApplication().company, unifiedSocialCreditCode: CREATOR_CODE } };
    const refused = await legacyStudio('POST', '/api/cases/chuying-loan', application);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain(`统一社会信用代码 ${CREATOR_CODE} 已登记在另一申请人的账户下`);
    // Which account holds it is not told to another applicant.
    expect(refused.body).not.toContain('上海星河文化传媒有限公司');

    const own = await creator('POST', '/api/cases/chuying-loan', application);
    expect(own.statusCode, own.body).toBe(201);
  });

  it('does not read another account’s awards to an applicant under its code: the code is refused, not what it was funded', async () => {
    const itemId = `GPU-${randomUUID().slice(0, 8)}`;
    const thisYear = shanghaiDateOf(Date.now());
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: `AW-${randomUUID()}`, case_id: randomUUID(), applicant_account_id: 'demo-applicant', programme_id: 'xuhui-compute-voucher', catalogue_version: '2026-12-03', item_id: itemId, amount_fen: 60_000_000, awarded_on: thisYear, recorded_at: new Date() })
      .execute();
    const voucher = (caller: ApiCaller) =>
      caller('POST', '/api/applications/xuhui-compute-voucher', { title: '算力券', summary: '模型训练算力', facts: { applicantKind: 'company', requestedAmountFen: 50_000_000, itemId, registeredDistrict: '徐汇区', unifiedSocialCreditCode: CREATOR_CODE } });
    const refused = await voucher(legacyStudio);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([expect.objectContaining({ field: 'facts.unifiedSocialCreditCode', code: 'credit-code-of-another-account' })]);
    expect(refused.body).not.toContain('600,000');
    expect(refused.body).not.toContain('已获资助');
    // The company itself is told what its item was funded this year, against the cap.
    const own = await voucher(creator);
    expect(own.statusCode).toBe(400);
    expect(own.json().message).toContain('已获资助 600,000.00 元');
  });

  it('does not let another account’s register entries answer its facts', async () => {
    await addTenant(CREATOR_CODE, '上海星河文化传媒有限公司');
    const application = (caller: ApiCaller) =>
      caller('POST', '/api/applications/yangpu-rent-waiver', {
        title: 'V聚场房租减免',
        summary: '入驻 V聚场，申请房租减免',
        facts: { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 1_000_000, unifiedSocialCreditCode: CREATOR_CODE },
      });
    const refused = await application(legacyStudio);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'facts.unifiedSocialCreditCode', code: 'credit-code-of-another-account' })]));

    const own = await application(creator);
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().facts.admittedToCarrier).toBe(true);
  });

  it('holds an account registered for a company to its own code: not a register tenant’s that no account holds, nor a second loan under another', async () => {
    const tenantCode = freshCreditCode();
    await addTenant(tenantCode, '上海优创示范文化传媒有限公司');
    const borrowed = await creator('POST', '/api/applications/yangpu-rent-waiver', {
      title: '借别家代码申请房租减免',
      summary: '测试',
      facts: { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 1_000_000, unifiedSocialCreditCode: tenantCode },
    });
    expect(borrowed.statusCode).toBe(400);
    expect(borrowed.json().issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'facts.unifiedSocialCreditCode', code: 'credit-code-of-own-company' })]));
    expect(borrowed.json().message).toContain(`您的账户登记为 上海星河文化传媒有限公司（统一社会信用代码 ${CREATOR_CODE}）`);

    const secondLoan = await creator('POST', '/api/cases/chuying-loan', { ...validApplication(), company: { name: '别家公司', unifiedSocialCreditCode: tenantCode, registeredDistrict: '杨浦区' } });
    expect(secondLoan.statusCode).toBe(400);
    expect(secondLoan.json().issues).toEqual([expect.objectContaining({ field: 'company.unifiedSocialCreditCode', code: 'credit-code-of-own-company' })]);
  });

  it('names a registered company by its licence name: a loan under another name is refused, and the case lists it as registered', async () => {
    const code = freshCreditCode();
    await harness.database.ownerDb
      .insertInto('accounts')
      .values({
        account_id: 'acct-name-studio',
        username: 'name-studio',
        display_name: '名称工作室',
        role: 'applicant',
        department: null,
        applicant_kind: 'company',
        profile: JSON.stringify({ company: { name: '上海名称文化有限公司', unifiedSocialCreditCode: code } }),
        password_hash: await hashPassword(DEMO_PASSWORD),
        created_at: new Date(),
      })
      .execute();
    const studio = await harness.as('name-studio');
    const loan = (name: string) => studio('POST', '/api/cases/chuying-loan', { ...validApplication(), company: { name, unifiedSocialCreditCode: code, registeredDistrict: '杨浦区' } });
    const renamed = await loan('别家公司');
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().issues).toEqual([expect.objectContaining({ field: 'company.name', code: 'company-name-of-account', message: '企业名称须与账户登记的一致：上海名称文化有限公司；如登记有误，请联系管理员更正' })]);
    const opened = await loan('上海名称文化有限公司');
    expect(opened.statusCode, opened.body).toBe(201);
    const listed = (await studio('GET', '/api/cases')).json<{ cases: { caseId: string; applicantName: string }[] }>().cases;
    expect(listed.find((c) => c.caseId === opened.json().caseId)?.applicantName).toBe('上海名称文化有限公司');
    // An award application too: the lists and the 公示 name the company as registered, not the account's display name.
    const award = await studio('POST', '/api/applications/xuhui-quality-works', {
      title: '精品力作',
      summary: '城市之光',
      facts: { ...FACTS['xuhui-quality-works'], itemId: `drama-${code}`, unifiedSocialCreditCode: code },
    });
    expect(award.statusCode, award.body).toBe(201);
    const listedAgain = (await studio('GET', '/api/cases')).json<{ cases: { caseId: string; applicantName: string }[] }>().cases;
    expect(listedAgain.find((c) => c.caseId === award.json().caseId)?.applicantName).toBe('上海名称文化有限公司');
  });
});
