import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOn, birthDateOf, idNumberCheckCharacter, idNumberProblem, maskIdNumber, maskPhone, phoneProblem } from '../../domain/personal-data/identity.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { generatePersonalDataKey, parsePersonalDataKey, PersonalDataVault } from '../../db/personal-data-vault.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { individualApplicant } from '../support/accounts.js';

/**
 * 身份证号 and phone numbers: encrypted at rest, masked for those who do not need them, and nowhere
 * in clear — not in the events, not in the case's Temporal history, not in the request logs.
 */
const logLines: string[] = [];
let harness: ApiHarness;
let individual: ApiCaller;
let creator: ApiCaller;
let hrssReviewer: ApiCaller;
let huangpuReviewer: ApiCaller;
let auditor: ApiCaller;

// Invented numbers (a checksum-valid 身份证号), distinct from the demo accounts' own.
const idNumber = (first17: string) => `${first17}${idNumberCheckCharacter(first17)}`;
const GIVEN_ID = idNumber('44030519880729110');
const GIVEN_PHONE = '13587654321';

beforeAll(async () => {
  harness = await startApiHarness({ log: { write: (line) => void logLines.push(line), level: 'trace' } });
  individual = await harness.as('individual-creator');
  creator = await harness.as('creator');
  hrssReviewer = await harness.as('hrss-reviewer');
  huangpuReviewer = await harness.as('huangpu-reviewer');
  auditor = await harness.as('auditor');
}, 180_000);
afterAll(() => harness?.close());

describe('身份证号 and phone numbers, checked and masked', () => {
  it('accepts a 身份证号 with a real birth date and the right check character, and masks both kinds', () => {
    expect(idNumberProblem('11010519491231002X')).toBeUndefined();
    expect(idNumberProblem('110105194912310021')).toContain('校验码');
    expect(idNumberProblem('110105194902300028')).toContain('出生日期');
    expect(idNumberProblem('11010519491231002')).toContain('18 位');
    expect(phoneProblem('13812345678')).toBeUndefined();
    expect(phoneProblem('12812345678')).toBeDefined();
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('refuses a malformed 身份证号 or phone with a 400 naming the field', async () => {
    const badId = await individual('PUT', '/api/me/personal-data', { idNumber: '110105194912310021' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().issues).toMatchObject([{ field: 'idNumber', message: expect.stringContaining('校验码') }]);
    const badPhone = await individual('PUT', '/api/me/personal-data', { contactPhone: '1381234567' });
    expect(badPhone.statusCode).toBe(400);
    // Told once (it was 请修改以下 2 处 with the same message twice).
    expect(badPhone.json().issues).toEqual([expect.objectContaining({ field: 'contactPhone', message: '应为 11 位手机号码，如 13812345678' })]);
    const shortId = await individual('PUT', '/api/me/personal-data', { idNumber: '1101051949' });
    expect(shortId.json().issues).toEqual([expect.objectContaining({ field: 'idNumber', message: '身份证号应为 18 位：17 位数字加 1 位数字或 X' })]);
    // Spaces around a number pasted in are taken off, as in every other field.
    const padded = await individual('PUT', '/api/me/personal-data', { contactPhone: ' 13698765432 ' });
    expect(padded.statusCode, padded.body).toBe(200);
    expect(padded.json().personalData).toMatchObject({ contactPhone: '136****5432' });
    expect((await creator('PUT', '/api/me/personal-data', { idNumber: GIVEN_ID })).json().message).toContain('以企业或机构身份登记，不填写身份证号');
  });
});

describe('an application that needs identity (全媒体运营师认定)', () => {
  let caseId = '';

  it('needs the 身份证号, refuses one where a programme does not need it, and answers the applicant masked', async () => {
    // The age the identity gives today: a stated age it contradicts is refused (below).
    const facts = { applicantKind: 'individual-creator', age: ageOn(birthDateOf(GIVEN_ID), shanghaiDateOf(Date.now())) };
    const body = { title: '全媒体运营师认定', summary: '申请三级认定', facts };
    const starlight = await individual('POST', '/api/applications/hu9-starlight', { ...body, facts: { applicantKind: 'individual-creator' }, personalData: { idNumber: GIVEN_ID } });
    expect(starlight.statusCode).toBe(400);
    expect(starlight.json().message).toContain('不需要填写身份证号');
    // Neither given nor in a profile: asked for in Chinese at its field (it was English, for developers).
    const stranger = await individualApplicant(harness, 'pii-newcomer', '江新来');
    const without = await stranger('POST', '/api/applications/hu9-all-media-operator-certification', body);
    expect(without.statusCode).toBe(400);
    expect(without.json()).toMatchObject({ message: '全媒体运营师职业技能等级认定须核验申请人的身份证号：请在申请表中填写身份证号。', issues: [{ field: 'personalData.idNumber', message: '请填写身份证号' }] });
    // Someone not yet born: refused at the number, on the application and on the profile; a company has none, said in Chinese.
    const unborn = idNumber('31011020301201123');
    const notYet = await stranger('POST', '/api/applications/hu9-professional-title', { title: '职称评审', summary: '艺术系列', facts: { applicantKind: 'individual-creator', titleField: '艺术' }, personalData: { idNumber: unborn } });
    expect(notYet.statusCode).toBe(400);
    expect(notYet.json().issues).toEqual([expect.objectContaining({ field: 'personalData.idNumber', message: expect.stringContaining('身份证号中的出生日期2030年12月1日晚于今天') })]);
    expect((await stranger('PUT', '/api/me/personal-data', { idNumber: unborn })).statusCode).toBe(400);
    const company = await creator('PUT', '/api/me/personal-data', { idNumber: GIVEN_ID });
    expect(company.statusCode).toBe(400);
    expect(company.json()).toMatchObject({ issues: [{ field: 'idNumber', message: '仅限个人创作者填写' }] });
    expect(company.json().message).toMatch(/^上海星河文化传媒有限公司以企业或机构身份登记，不填写身份证号/);

    const opened = await individual('POST', '/api/applications/hu9-all-media-operator-certification', { ...body, personalData: { idNumber: GIVEN_ID, contactPhone: GIVEN_PHONE } }, {
      'idempotency-key': `pii-${randomUUID()}`,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    caseId = opened.json().caseId;
    // An age the identity does not give is refused at the age, with the birth date.
    const younger = await individual('POST', '/api/applications/hu9-all-media-operator-certification', { ...body, facts: { ...facts, age: 16 }, personalData: { idNumber: GIVEN_ID } });
    expect(younger.statusCode).toBe(400);
    expect(younger.json().issues).toEqual([expect.objectContaining({ field: 'facts.age', message: expect.stringMatching(/^年龄与身份证号不符：身份证号的出生日期为1988年7月29日，\d{4}年\d{1,2}月\d{1,2}日为 \d+ 周岁$/) })]);
    const mine = (await individual('GET', `/api/cases/${caseId}`)).json();
    expect(mine.personalData).toEqual({ idNumber: maskIdNumber(GIVEN_ID), contactPhone: '135****4321', shown: 'masked' });
  });

  it('takes the 身份证号 from the profile when the application gives none; a company has none to give', async () => {
    const title = await individual('POST', '/api/applications/hu9-professional-title', { title: '职称评审', summary: '艺术系列', facts: { applicantKind: 'individual-creator', titleField: '艺术' } });
    expect(title.statusCode, title.body).toBe(201);
    const seen = (await hrssReviewer('GET', `/api/cases/${title.json().caseId}`)).json();
    expect(seen.personalData).toEqual({ idNumber: '310110199203041235', contactPhone: '13698765432', shown: 'clear' });
    const company = await creator('POST', '/api/applications/hu9-professional-title', { title: '职称评审', summary: '艺术系列', facts: { applicantKind: 'individual-creator', titleField: '艺术' } });
    expect(company.statusCode).toBe(400);
    // A company's account cannot apply as a person: said at 申请主体类型, where the form asks it.
    expect(company.json().issues).toContainEqual(expect.objectContaining({ field: 'facts.applicantKind', message: expect.stringContaining('您的账户登记为企业或机构，不能以个人创作者身份申请') }));
  });

  it('shows it in clear to the department that handles the case, masked to auditors, and not at all to other departments', async () => {
    const official = (await hrssReviewer('GET', `/api/cases/${caseId}`)).json();
    expect(official.personalData).toEqual({ idNumber: GIVEN_ID, contactPhone: GIVEN_PHONE, shown: 'clear' });
    const audited = (await auditor('GET', `/api/cases/${caseId}`)).json();
    expect(audited.personalData).toMatchObject({ idNumber: maskIdNumber(GIVEN_ID), shown: 'masked' });
    expect((await huangpuReviewer('GET', `/api/cases/${caseId}`)).statusCode).toBe(403);
  });

  it('keeps the clear values out of the events, the read models, the Temporal history and the logs; the vault holds only ciphertext', async () => {
    const { db } = harness.database;
    const clear = [GIVEN_ID, GIVEN_PHONE];
    const dump = async (table: string) => JSON.stringify((await sql`SELECT to_jsonb(t)::text AS row FROM ${sql.table(table)} t`.execute(db)).rows);
    for (const table of ['events', 'cases', 'streams', 'accounts', 'idempotency_keys', 'awards']) {
      const text = await dump(table);
      for (const value of clear) expect(text, `${value} in ${table}`).not.toContain(value);
    }
    const vault = await dump('personal_data');
    for (const value of clear) expect(vault).not.toContain(value);
    expect(await db.selectFrom('personal_data').select('kind').where('case_id', '=', caseId).orderBy('kind').execute()).toEqual([{ kind: 'id-number' }, { kind: 'phone' }]);

    const history = JSON.stringify(await harness.env.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory());
    expect(history.length).toBeGreaterThan(1000);
    for (const value of clear) expect(history).not.toContain(value);
    // Payloads are base64 in a history: look for that too.
    for (const value of clear) expect(history).not.toContain(Buffer.from(value).toString('base64').slice(0, 12));

    const logs = logLines.join('\n');
    expect(logs).toContain(`/api/cases/${caseId}`);
    for (const value of clear) expect(logs).not.toContain(value);
  });

  it('decrypts only with the key it was sealed with; a value copied into another person\'s row does not decrypt', async () => {
    const other = new PersonalDataVault(harness.database.db, parsePersonalDataKey(generatePersonalDataKey(), 'another key'));
    await expect(other.forCase(caseId)).rejects.toThrow(/encrypted with key/);
    expect(() => parsePersonalDataKey('too short', 'PERSONAL_DATA_KEY')).toThrow(/32-byte/);

    // The case's sealed 身份证号 pasted over another applicant's profile phone: authentication fails.
    const { db } = harness.database;
    const sealed = await db.selectFrom('personal_data').select(['iv', 'ciphertext', 'auth_tag', 'key_id']).where('case_id', '=', caseId).where('kind', '=', 'id-number').executeTakeFirstOrThrow();
    await db.updateTable('personal_data').set(sealed).where('subject_account_id', '=', 'demo-applicant').where('case_id', 'is', null).where('kind', '=', 'phone').execute();
    await expect(harness.personalData.profileOf('demo-applicant')).rejects.toThrow(/authenticate/);
    expect(await harness.personalData.forCase(caseId)).toEqual({ 'id-number': GIVEN_ID, phone: GIVEN_PHONE });
  });
});
