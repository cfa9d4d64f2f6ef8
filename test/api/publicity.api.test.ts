import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBJECTION_LIMIT } from '../../api/routes/publicity.routes.js';
import { formatShanghaiMinute } from '../../domain/calls/shanghai-time.js';
import { endOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import { readStream } from '../../db/event-store.js';
import * as objectionsWaitingInTheStep from '../../db/migrations/2026-12-06T12-30_objections-waiting-in-the-step.js';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { eachCaseAgainstItsRows } from '../audit/support.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { verifyClaims } from '../support/verify-claims.js';
import { bodyOf, planFields, type JsonSchema } from '../../web/src/schema-form.js';

let harness: ApiHarness;
/** The API as it runs: the 公示 routes are public, so requests carry no sign-in. */
let publicity: FastifyInstance;

beforeAll(async () => {
  harness = await startApiHarness();
  publicity = harness.app;
});

afterAll(async () => {
  await harness?.close();
});

const DAY = 24 * 60 * 60 * 1000;
const shanghai = (ms: number) => formatShanghaiMinute(ms).replace(' ', 'T');

async function ok(caller: ApiCaller, method: 'GET' | 'POST', url: string, body?: unknown, status = 200) {
  const response = await caller(method, url, body);
  expect(response.statusCode, response.body).toBe(status);
  return response.json<Record<string, unknown>>();
}

/** A first-come call for 黄浦 平台/MCN 集聚补贴, and one application approved in it: on 公示. */
/** The programme's one call taking applications now (a programme has one at a time), opened and approved by the first award that needs it. */
let platformCall: Promise<void> | undefined;
async function openPlatformCall(): Promise<void> {
  const reviewer = await harness.as('huangpu-reviewer');
  const now = Date.now();
  const call = await ok(reviewer, 'POST', '/api/cases/call', { programmeId: 'huangpu-platform-subsidy', title: '2026 年黄浦平台集聚补贴', opensAt: shanghai(now - DAY), closesAt: shanghai(now + 30 * DAY), budgetFen: 500_000_000, mode: 'first-come' }, 201);
  await ok(await harness.as('huangpu-approver'), 'POST', `/api/cases/${call.caseId as string}/approve-budget`, {});
}

/** Another company applicant with the demo password: a measure funds one company once, so each award case needs its own. */
async function addCompanyApplicant(accountId: string, username: string, displayName: string): Promise<void> {
  await harness.database.db
    .insertInto('accounts')
    .values({ account_id: accountId, username, display_name: displayName, role: 'applicant', department: null, applicant_kind: 'company', profile: '{}', password_hash: await hashPassword(DEMO_PASSWORD), created_at: new Date() })
    .execute();
}

async function awardOnNotice(applicant = 'creator'): Promise<string> {
  const reviewer = await harness.as('huangpu-reviewer');
  await (platformCall ??= openPlatformCall());
  const creator = await harness.as(applicant);
  const opened = await ok(creator, 'POST', '/api/applications/huangpu-platform-subsidy', { title: '平台集聚补贴', summary: '集聚创作者 300 名', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 50_000_000 } }, 201);
  const caseId = opened.caseId as string;
  await ok(reviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
  await ok(await harness.as('cac-reviewer'), 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
  await ok(reviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 85 });
  await verifyClaims(reviewer, caseId);
  const approved = await ok(await harness.as('huangpu-approver'), 'POST', `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 50_000_000 });
  expect(approved.case).toMatchObject({ status: 'publicity', statusLabel: '公示中' });
  return caseId;
}

describe('a first-come call with a quota', () => {
  it('approves as many applications as it has places; the next is refused naming the quota, and the case waits as it was', async () => {
    const reviewer = await harness.as('xuhui-reviewer');
    const approver = await harness.as('xuhui-approver');
    const now = Date.now();
    const call = await ok(reviewer, 'POST', '/api/cases/call', { programmeId: 'xuhui-quality-works', title: '2026 年徐汇精品力作（一个名额）', opensAt: shanghai(now - DAY), closesAt: shanghai(now + 30 * DAY), budgetFen: 500_000_000, quota: 1, mode: 'first-come' }, 201);
    await ok(approver, 'POST', `/api/cases/${call.caseId as string}/approve-budget`, {});
    const ready: string[] = [];
    for (const applicant of ['creator', 'other-creator']) {
      const opened = await ok(await harness.as(applicant), 'POST', '/api/applications/xuhui-quality-works', { title: '精品力作', summary: '城市之光', facts: { applicantKind: 'company', registeredDistrict: '徐汇区', itemId: `drama-${applicant}`, requestedAmountFen: 10_000_000 } }, 201);
      const caseId = opened.caseId as string;
      await ok(reviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
      const inReview = await ok(reviewer, 'GET', `/api/cases/${caseId}`);
      if (inReview.status === 'compliance-review') await ok(await harness.as('cac-reviewer'), 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
      await ok(reviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 85 });
      await verifyClaims(reviewer, caseId);
      ready.push(caseId);
    }
    // The approval form says the call's budget left, which each approval commits against.
    type Form = { name: string; explain: string; prefill: Record<string, unknown> };
    const formOf = async (caseId: string) => ((await ok(approver, 'GET', `/api/cases/${caseId}`)).availableActions as Form[]).find((a) => a.name === 'approve-application')!;
    expect((await formOf(ready[0]!)).explain).toContain('申报批次「2026 年徐汇精品力作（一个名额）」预算余额 5,000,000.00 元。');
    await ok(approver, 'POST', `/api/cases/${ready[0]!}/approve-application`, { approvedAmountFen: 10_000_000 });
    expect((await formOf(ready[1]!)).explain).toContain('预算余额 4,900,000.00 元。');
    const before = await ok(approver, 'GET', `/api/cases/${ready[1]!}`);
    const refused = await approver('POST', `/api/cases/${ready[1]!}/approve-application`, { approvedAmountFen: 10_000_000 });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().message).toContain('本批次名额 1 个已满（已有 1 项获批且未撤销），不能再批准');
    expect(await ok(approver, 'GET', `/api/cases/${ready[1]!}`)).toMatchObject({ status: before.status, version: before.version });
    // Nothing of the refused approval was issued: no letter served, no award held in the ledger.
    expect(await ok(await harness.as('other-creator'), 'GET', `/api/cases/${ready[1]!}/decision-letters`)).toMatchObject({ letters: [] });
    expect(await harness.database.db.selectFrom('awards').select('award_id').where('case_id', '=', ready[1]!).execute()).toEqual([]);
    // Closed, so that the other tests' applications go to calls of their own.
    await ok(approver, 'POST', `/api/cases/${call.caseId as string}/close-call`, { reason: '名额已满' });
  });
});

describe('公示 over the API', () => {
  it('lists the award publicly, takes an anonymous objection (its contact only in the vault), and an official answers it in writing', async () => {
    const caseId = await awardOnNotice();
    // On 公示 nobody acts, yet the case is open (an objection may still undo the award): not 已办结, and not yet rated.
    const creator = await harness.as('creator');
    const onNotice = await ok(creator, 'GET', `/api/cases/${caseId}`);
    expect(onNotice).toMatchObject({ status: 'publicity', waitingFor: null, finished: false });
    // Its deadline is the 公示's last day, said as such (an outsider read 下一笔发放 there).
    const deadlineLine = (onNotice.overview as { label: string; value: string }[]).find((l) => l.label === '办理时限')!;
    expect(deadlineLine.value).toContain('（公示期满）');
    expect(deadlineLine.value).not.toContain('发放');
    const mine = await ok(creator, 'GET', '/api/worklist?view=all');
    expect((mine.cases as { caseId: string; finished: boolean }[]).find((i) => i.caseId === caseId)).toMatchObject({ finished: false });
    const early = await creator('POST', `/api/cases/${caseId}/rating`, { score: 5, comment: '好' });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json()).toMatchObject({ code: 'case-not-ended', message: expect.stringContaining('尚未办结') });
    // Its item is held in the awards ledger from the approval, so that the grant when the 公示 ends
    // cannot be refused: a second award to the same company under the same measure is refused now.
    const held = await harness.database.db.selectFrom('awards').select(['award_id', 'amount_fen', 'item_id']).where('case_id', '=', caseId).execute();
    expect(held).toEqual([{ award_id: `AW-${caseId}`, amount_fen: 50_000_000, item_id: expect.stringContaining('huangpu-platform-subsidy') }]);
    const again = await (await harness.as('creator'))('POST', '/api/applications/huangpu-platform-subsidy', { title: '平台集聚补贴（再次）', summary: '集聚创作者 300 名', facts: { applicantKind: 'mcn', registeredDistrict: '黄浦区', requestedAmountFen: 10_000_000 } });
    expect(again.statusCode, again.body).toBe(400);
    expect(again.json().message).toContain(`获黄浦平台企业、MCN 机构扶持资助 `);
    const list = await publicity.inject({ method: 'GET', url: '/api/publicity' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ entries: unknown[] }>().entries).toContainEqual(
      expect.objectContaining({ caseId, programme: '黄浦平台企业、MCN 机构扶持', recipient: '上海星河文化传媒有限公司', recipientKind: 'company', amountYuan: '500,000.00', status: 'in-publicity', objectionsOpen: true }),
    );
    // Of its call's list, published by the department that runs the call (a 公示 names both).
    const entry = list.json<{ entries: { caseId: string; call: unknown; publisher: string }[] }>().entries.find((e) => e.caseId === caseId)!;
    expect(entry.call).toEqual({ callId: expect.stringMatching(/^[0-9a-f-]{36}$/), title: '2026 年黄浦平台集聚补贴' });
    expect(entry.publisher).toBe('黄浦区');
    // The applicant is told of it on that call's list.
    const startedNotice = ((await ok(creator, 'GET', '/api/inbox')).notices as { caseId: string; kind: string; body: string }[]).find((n) => n.caseId === caseId && n.kind === 'publicity-started')!;
    expect(startedNotice.body).toContain('已列入“2026 年黄浦平台集聚补贴”拟资助名单，已开始公示');

    const lodged = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '该公司集聚人数与实际不符', contact: '13812345678' } });
    expect(lodged.statusCode, lodged.body).toBe(201);
    const { objectionId } = lodged.json<{ objectionId: string }>();
    expect(objectionId).toMatch(/^[0-9a-f-]{36}$/);
    // The case keeps the vault's reference; the number itself is nowhere in the event log.
    const events = await readStream(harness.database.db, caseId);
    const objection = events.find((e) => e.type === 'ObjectionLodged')!;
    expect(objection.data).toMatchObject({ objectionId, reasons: '该公司集聚人数与实际不符', lodgedBy: null });
    // Recorded as the public's, not as an applicant's: an auditor reading the event sees who it was.
    expect(objection.metadata.actor).toEqual({ accountId: 'public', displayName: '公众', role: 'public' });
    expect(JSON.stringify(events)).not.toContain('13812345678');
    expect(await harness.personalData.objectionContact(objection.data.contactRef as string)).toBe('13812345678');

    const afterLodging = await publicity.inject({ method: 'GET', url: '/api/publicity' });
    expect(afterLodging.json<{ entries: { caseId: string; status: string }[] }>().entries.find((e) => e.caseId === caseId)?.status).toBe('objection-pending');

    // Answered by an official of the department through the one action route; the reviewer holds no deciding duty.
    expect((await (await harness.as('huangpu-reviewer'))('POST', `/api/cases/${caseId}/dismiss-objection`, { objectionId, answer: '经核实，集聚人数属实。' })).statusCode).toBe(403);
    // Lowering the award asks for the new amount at its own field, in yuan; withdrawing it takes none.
    const approver = await harness.as('huangpu-approver');
    const uphold = (body: object) => approver('POST', `/api/cases/${caseId}/uphold-objection`, { objectionId, answer: '经核实，集聚人数偏高。', ...body });
    const noAmount = await uphold({ remedy: 'reduce' });
    expect(noAmount.statusCode).toBe(400);
    expect(noAmount.json().issues).toEqual([{ field: 'reducedAmountFen', code: 'required', message: '调低资助金额时，请填写调整后的金额' }]);
    // The form says the same at the field before the answer asks to be confirmed, and does not call the amount 可选.
    const form = ((await ok(approver, 'GET', `/api/cases/${caseId}`)).availableActions as { name: string; bodySchema: JsonSchema; prefill: Record<string, unknown> }[]).find((a) => a.name === 'uphold-objection')!;
    expect(form.bodySchema.properties!.reducedAmountFen).toMatchObject({ requiredWhen: { field: 'remedy', equals: 'reduce' } });
    const planned = planFields(form.bodySchema, form.prefill, { today: '2026-12-07' });
    expect(planned.find((f) => f.name === 'reducedAmountFen')!.label).toBe('调整后的金额（元，调低时填写）');
    const typed = (values: Record<string, string>) => (name: string) => values[name] ?? planned.find((f) => f.name === name)!.value;
    expect(bodyOf(planned, typed({ answer: '经核实，集聚人数偏高。', remedy: 'reduce' })).issues).toEqual([{ field: 'reducedAmountFen', message: '调低资助金额时，请填写调整后的金额' }]);
    expect(bodyOf(planned, typed({ answer: '经核实，集聚人数偏高。', remedy: 'withdraw' })).issues).toEqual([]);
    const withdrawWithAmount = await uphold({ remedy: 'withdraw', reducedAmountFen: 20_000_000 });
    expect(withdrawWithAmount.json().issues).toEqual([expect.objectContaining({ field: 'reducedAmountFen', code: 'not-with-withdraw' })]);
    const notLower = await uphold({ remedy: 'reduce', reducedAmountFen: 50_000_000 });
    expect(notLower.statusCode).toBe(400);
    expect(notLower.json().issues).toEqual([expect.objectContaining({ field: 'reducedAmountFen', message: '须大于 0，且低于现资助金额 500,000.00 元' })]);
    // The department that answers it reads the contact the objector left; the applicant, an auditor and another department do not.
    expect((await ok(approver, 'GET', `/api/cases/${caseId}`)).objectionContacts).toEqual({ [objectionId]: '13812345678' });
    expect((await ok(await harness.as('huangpu-reviewer'), 'GET', `/api/cases/${caseId}`)).objectionContacts).toEqual({ [objectionId]: '13812345678' });
    for (const other of [creator, await harness.as('auditor'), await harness.as('cac-reviewer')]) {
      const seen = await other('GET', `/api/cases/${caseId}`);
      expect([200, 403, 404]).toContain(seen.statusCode);
      expect(seen.body).not.toContain('13812345678');
      if (seen.statusCode === 200) expect(seen.json().objectionContacts).toBeUndefined();
    }
    const answered = await ok(approver, 'POST', `/api/cases/${caseId}/dismiss-objection`, { objectionId, answer: '经核实，集聚人数属实。' });
    expect(answered.case).toMatchObject({ status: 'publicity', objections: [{ objectionId, answer: { outcome: 'dismissed', text: '经核实，集聚人数属实。' } }] });
    // The applicant is told of the objection and of its answer (an outsider's applicant heard of neither); who objected and why stays with the department.
    const told = ((await ok(creator, 'GET', '/api/inbox')).notices as { caseId: string; kind: string; title: string; body: string }[]).filter((n) => n.caseId === caseId && n.kind === 'objection');
    expect(told.map((n) => n.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^公示期内收到异议：/), expect.stringMatching(/^异议已答复（异议不成立）：/)]));
    expect(told.find((n) => n.title.startsWith('异议已答复'))!.body).toContain('答复：经核实，集聚人数属实。');
    expect(JSON.stringify(told)).not.toContain('该公司集聚人数与实际不符');
    expect(JSON.stringify(told)).not.toContain('13812345678');
    // The department that answers it is told at once, with what was said (not the objector's contact).
    const officeTold = ((await ok(await harness.as('huangpu-reviewer'), 'GET', '/api/inbox')).notices as { caseId: string; kind: string; title: string; body: string }[]).filter((n) => n.caseId === caseId && n.kind === 'objection');
    expect(officeTold).toEqual([expect.objectContaining({ title: expect.stringMatching(/^公示收到异议，待核查答复：/), body: expect.stringContaining('异议内容：该公司集聚人数与实际不符') })]);
    expect(JSON.stringify(officeTold)).not.toContain('13812345678');
    const report = await rebuildAndCompare(harness.database.db);
    expect(report.tables.find((t) => t.table === 'notices')).toMatchObject({ changed: 0, missing: 0, extra: 0 });
    // Each case from its own events alone, as verify --case rebuilds it: an award on 公示, its objection answered.
    expect((await eachCaseAgainstItsRows(harness.database.db)).drift).toEqual([]);
    // Nobody records a batch decision through the action route (404: no route serves it); only the system does.
    expect((await (await harness.as('huangpu-director'))('POST', `/api/cases/${caseId}/record-batch-decision`, { callId: 'x', batchId: 'y', records: [{}] })).statusCode).toBe(404);
  });

  it('an award lowered on an objection names who lowered it: the approver is not shown setting an amount they did not set', async () => {
    await addCompanyApplicant('lowered-applicant', 'lowered-creator', '第四家传媒公司');
    const caseId = await awardOnNotice('lowered-creator');
    const lodged = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '集聚人数偏高' } });
    expect(lodged.statusCode, lodged.body).toBe(201);
    const { objectionId } = lodged.json<{ objectionId: string }>();
    await ok(await harness.as('huangpu-director'), 'POST', `/api/cases/${caseId}/uphold-objection`, { objectionId, answer: '经核实，按实际人数调低。', remedy: 'reduce', reducedAmountFen: 30_000_000 });
    const seen = await ok(await harness.as('lowered-creator'), 'GET', `/api/cases/${caseId}`);
    expect(seen.decision).toMatchObject({ by: '周审批', approvedAmountFen: 30_000_000, byDirector: false, reducedBy: '吴处长' });
    const line = (seen.overview as { label: string; value: string }[]).find((l) => l.label === '决定')!.value;
    expect(line).toMatch(/^周审批，\d{4}年\d{1,2}月\d{1,2}日批准；吴处长于\d{4}年\d{1,2}月\d{1,2}日答复异议，核定金额调减为 300,000\.00 元$/);
  });

  it('takes thirty copies of one anonymous objection, sent at once, as one objection to answer and one notice; an objector who leaves a contact is their own', async () => {
    await addCompanyApplicant('repeated-applicant', 'repeated-creator', '第五家传媒公司');
    const caseId = await awardOnNotice('repeated-creator');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: i % 2 ? '该公司 集聚人数与实际不符' : '该公司集聚人数与实际不符' }, remoteAddress: `198.18.0.${i + 1}` })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(30).fill(201));
    const ids = new Set(answers.map((a) => a.json<{ objectionId: string }>().objectionId));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.json<{ message: string }>().message.includes('无需重复提出'))).toHaveLength(29);
    const lodgedEvents = async () => ((await ok(await harness.as('auditor'), 'GET', `/api/cases/${caseId}/events`)).events as { type: string }[]).filter((e) => e.type === 'ObjectionLodged');
    expect(await lodgedEvents()).toHaveLength(1);
    const applicantTold = async () => ((await ok(await harness.as('repeated-creator'), 'GET', '/api/inbox')).notices as { caseId: string; kind: string }[]).filter((n) => n.caseId === caseId && n.kind === 'objection');
    expect(await applicantTold()).toHaveLength(1);
    // The same words from someone who leaves a contact: answered as themselves.
    const withContact = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '该公司集聚人数与实际不符', contact: '13900001111' }, remoteAddress: '198.18.1.1' });
    expect(withContact.statusCode).toBe(201);
    expect(ids.has(withContact.json<{ objectionId: string }>().objectionId)).toBe(false);
    expect(await lodgedEvents()).toHaveLength(2);
  });

  it('refuses an objection to a case not on 公示 (404), bad input in Chinese (400), and too many from one address (429 with Retry-After)', async () => {
    const caseId = await awardOnNotice('other-creator');
    const missing = await publicity.inject({ method: 'POST', url: '/api/publicity/6f1c2d3e-0000-4000-8000-000000000099/objections', payload: { reasons: '理由' } });
    expect(missing.statusCode).toBe(404);
    // Told what to do, not the link's id back as though it meant something.
    expect(missing.json().message).toBe('找不到这项正在公示的资助：公示可能已经结束。请回到“公示”页面查看正在公示的名单。');
    const tooLong = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '长'.repeat(1001) } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('异议理由不超过 1000 字');
    // Reasons nobody can read, or read backwards, hold no award up.
    for (const [reasons, said] of [
      ['\u200b', '请写明异议理由（只有空格或不可见字符）'],
      ['\u00ad\u2060', '请写明异议理由（只有空格或不可见字符）'],
      ['正常理由\u202e反向文字', '不能含有改变文字方向的控制字符'],
    ] as const) {
      const unreadable = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons }, remoteAddress: '192.0.2.44' });
      expect(unreadable.statusCode).toBe(400);
      expect(unreadable.body).toContain(said);
    }
    const blankContact = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '理由', contact: '\u200b' }, remoteAddress: '192.0.2.44' });
    expect(blankContact.statusCode).toBe(400);
    expect(blankContact.body).toContain('联系方式不能只有空格或不可见字符');
    const listed = await publicity.inject({ method: 'GET', url: '/api/publicity' });
    expect(listed.json<{ entries: { caseId: string; status: string }[] }>().entries.find((e) => e.caseId === caseId)?.status).toBe('in-publicity');

    const from = (remoteAddress: string) => publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '重复异议' }, remoteAddress });
    for (let i = 0; i < OBJECTION_LIMIT.requests; i++) expect((await from('203.0.113.7')).statusCode).toBe(201);
    const refused = await from('203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json<{ message: string }>().message).toContain('每小时最多提出 5 件异议');
    expect(refused.json()).toMatchObject({ error: 'too-many-attempts', code: 'too-many-attempts' });
    // Another address is not held back by it.
    expect((await from('198.51.100.9')).statusCode).toBe(201);
  });
});

describe('an award withdrawn with objections still waiting', () => {
  it('answers every other objection with the withdrawal: the case ends with none left unanswered', async () => {
    await addCompanyApplicant('third-applicant', 'third-creator', '第三家传媒公司');
    const caseId = await awardOnNotice('third-creator');
    const lodge = async (reasons: string, remoteAddress: string) => {
      const lodged = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons }, remoteAddress });
      expect(lodged.statusCode, lodged.body).toBe(201);
      return lodged.json<{ objectionId: string }>().objectionId;
    };
    const first = await lodge('集聚人数与实际不符', '10.20.0.1');
    // Ending in its own full stop, as people write: the list had read "…资助。。答复前".
    const second = await lodge('该公司另有同类资助。', '10.20.0.2');
    const approver = await harness.as('huangpu-approver');
    // The answer's form lists what waits in words: when each came and what it says, and asks which to answer
    // as a choice among them in the same words: an outside tester's official had to copy an id into a text field.
    const before = await ok(approver, 'GET', `/api/cases/${caseId}`);
    type Form = { name: string; explain?: string; prefill: Record<string, unknown>; bodySchema: { properties: Record<string, { enum?: string[]; enumLabels?: Record<string, string> }> } };
    // The step reads 异议待答复 while they wait, as the public 公示 does (not 公示中), and a deployment's older rows are given it.
    expect(before).toMatchObject({ status: 'publicity', statusLabel: '异议待答复' });
    const labelOfRow = async () => (await harness.database.db.selectFrom('cases').select('status_label').where('case_id', '=', caseId).executeTakeFirstOrThrow()).status_label;
    await objectionsWaitingInTheStep.down(harness.database.ownerDb);
    expect(await labelOfRow()).toBe('公示中');
    await objectionsWaitingInTheStep.up(harness.database.ownerDb);
    expect(await labelOfRow()).toBe('异议待答复');
    const uphold = (before.availableActions as Form[]).find((a) => a.name === 'uphold-objection')!;
    expect(uphold.explain).toMatch(/^待答复的异议 2 项：1\. \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}收到：集聚人数与实际不符；2\. .+收到：该公司另有同类资助。答复前资助不能确定。/);
    expect(uphold.explain).not.toContain(first);
    for (const form of (before.availableActions as Form[]).filter((a) => a.name === 'uphold-objection' || a.name === 'dismiss-objection')) {
      const field = form.bodySchema.properties.objectionId!;
      expect(field.enum).toEqual([first, second]);
      expect(field.enumLabels![first]).toMatch(/^1\. \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}收到：集聚人数与实际不符$/);
      expect(field.enumLabels![second]).toMatch(/^2\. .+收到：该公司另有同类资助。$/);
      expect(form.prefill).toMatchObject({ objectionId: first });
    }
    const upheld = await ok(approver, 'POST', `/api/cases/${caseId}/uphold-objection`, { objectionId: first, answer: '经核实，集聚人数不实，撤销资助。', remedy: 'withdraw' });
    expect(upheld.case).toMatchObject({
      status: 'withdrawn-after-publicity',
      finished: true,
      objections: [
        { objectionId: first, answer: { outcome: 'upheld' } },
        { objectionId: second, answer: { outcome: 'closed-with-award', by: '周审批', text: expect.stringContaining('资助已撤销；你提出的异议随之办结') } },
      ],
    });
    const events = await readStream(harness.database.db, caseId);
    expect(events.map((e) => e.type).slice(-3)).toEqual(['ObjectionUpheld', 'AwardWithdrawnAfterPublicity', 'ObjectionClosedWithAward']);
    // Another objection now is refused saying why (before, 404 as if the award had never been on 公示).
    const late = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '再提异议' }, remoteAddress: '10.20.0.3' });
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json()).toMatchObject({ code: 'objection-closed', message: '该资助已因异议成立而撤销，不再受理异议。' });
  });
});


describe("an award on 公示 in the applicant's awards (已获资助)", () => {
  interface HeldAward { awardId: string; amountFen: number; publicity: { status: string; label: string; lastWorkingDay: string | null } | null }
  interface Held { totalFen: number; count: number; onNoticeTotalFen: number; onNoticeCount: number; awards: HeldAward[] }

  it('is marked 公示中 or 异议待答复 and totalled apart from the final awards, while the approval of another still counts it against the yearly cap', async () => {
    // An outside tester read 您已获资助合计 ¥331,678.00（共 4 项） counting awards still on 公示, just reduced, or 异议待答复.
    await addCompanyApplicant('held-applicant', 'held-creator', '第五家传媒公司');
    const applicant = await harness.as('held-creator');
    const reviewer = await harness.as('xuhui-reviewer');
    const approver = await harness.as('xuhui-approver');
    // A final award from before (a measure outside calls).
    const finalId = `AW-${randomUUID()}`;
    await harness.database.db
      .insertInto('awards')
      .values({ award_id: finalId, case_id: randomUUID(), applicant_account_id: 'held-applicant', programme_id: 'xuhui-ip-library', catalogue_version: '2026-11-23', item_id: `ip-${randomUUID()}`, amount_fen: 2_000_000, awarded_on: '2026-06-01', recorded_at: new Date() })
      .execute();
    // 企业落户 (每年最高 30,000,000.00 元) in a first-come call: approved for 500,000.00, on 公示.
    const now = Date.now();
    const call = await ok(reviewer, 'POST', '/api/cases/call', { programmeId: 'xuhui-company-settling', title: '2026 年徐汇企业落户', opensAt: shanghai(now - DAY), closesAt: shanghai(now + 30 * DAY), budgetFen: 500_000_000, mode: 'first-come' }, 201);
    await ok(approver, 'POST', `/api/cases/${call.caseId as string}/approve-budget`, {});
    const apply = async () => {
      const opened = await ok(applicant, 'POST', '/api/applications/xuhui-company-settling', { title: '企业落户徐汇', summary: '总部迁入', facts: { applicantKind: 'company', registeredDistrict: '徐汇区', requestedAmountFen: 50_000_000 } }, 201);
      const caseId = opened.caseId as string;
      await ok(reviewer, 'POST', `/api/cases/${caseId}/accept-materials`, {});
      if ((await ok(reviewer, 'GET', `/api/cases/${caseId}`)).status === 'compliance-review') await ok(await harness.as('cac-reviewer'), 'POST', `/api/cases/${caseId}/pass-compliance-review`, { notes: '' });
      await ok(reviewer, 'POST', `/api/cases/${caseId}/score-application`, { score: 85 });
      await verifyClaims(reviewer, caseId);
      return caseId;
    };
    const caseId = await apply();
    expect((await ok(approver, 'POST', `/api/cases/${caseId}/approve-application`, { approvedAmountFen: 50_000_000 })).case).toMatchObject({ status: 'publicity' });

    const heldAs = async (caller: ApiCaller, id = caseId) => (await ok(caller, 'GET', `/api/cases/${id}`)).applicantAwards as Held;
    for (const caller of [applicant, approver, await harness.as('auditor')]) {
      const held = await heldAs(caller);
      expect(held).toMatchObject({ totalFen: 2_000_000, count: 1, onNoticeTotalFen: 50_000_000, onNoticeCount: 1 });
      expect(held.awards.find((a) => a.awardId === finalId)!.publicity).toBeNull();
      expect(held.awards.find((a) => a.awardId === `AW-${caseId}`)!.publicity).toEqual({ status: 'in-publicity', label: '公示中', lastWorkingDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    }

    // An objection: 异议待答复, still not final.
    const lodged = await publicity.inject({ method: 'POST', url: `/api/publicity/${caseId}/objections`, payload: { reasons: '落户时间与实际不符' }, remoteAddress: '10.30.0.1' });
    expect(lodged.statusCode, lodged.body).toBe(201);
    expect((await heldAs(applicant)).awards.find((a) => a.awardId === `AW-${caseId}`)!.publicity).toMatchObject({ status: 'objection-pending', label: '异议待答复' });
    expect(await heldAs(applicant)).toMatchObject({ totalFen: 2_000_000, count: 1, onNoticeTotalFen: 50_000_000, onNoticeCount: 1 });
    // Reduced on the objection: back on 公示 at the lower amount, still apart.
    await ok(await harness.as('xuhui-director'), 'POST', `/api/cases/${caseId}/uphold-objection`, { objectionId: lodged.json<{ objectionId: string }>().objectionId, answer: '经核实，按实际调低。', remedy: 'reduce', reducedAmountFen: 30_000_000 });
    expect(await heldAs(applicant)).toMatchObject({ totalFen: 2_000_000, count: 1, onNoticeTotalFen: 30_000_000, onNoticeCount: 1 });
    expect((await heldAs(applicant)).awards.find((a) => a.awardId === `AW-${caseId}`)).toMatchObject({ amountFen: 30_000_000, publicity: { status: 'in-publicity', label: '公示中' } });

    // The company's second application this year: the approval form still counts the award on 公示 against the cap.
    const second = await apply();
    expect(await heldAs(approver, second)).toMatchObject({ totalFen: 2_000_000, onNoticeTotalFen: 30_000_000 });
    const form = ((await ok(approver, 'GET', `/api/cases/${second}`)).availableActions as { name: string; explain: string | null }[]).find((a) => a.name === 'approve-application')!;
    expect(form.explain).toContain('本年度已获 300,000.00 元，尚可核定 29,700,000.00 元');

    // The 公示 ends with no objection pending: the award is final, and in the total.
    const lastDay = (await heldAs(applicant)).awards.find((a) => a.awardId === `AW-${caseId}`)!.publicity!.lastWorkingDay!;
    await harness.env.sleep(endOfShanghaiDay(lastDay as LocalDate) + 3_600_000 - (await harness.env.currentTimeMs()));
    await expect.poll(async () => (await ok(applicant, 'GET', `/api/cases/${caseId}`)).status, { timeout: 30_000 }).not.toBe('publicity');
    const final = await heldAs(applicant);
    expect(final).toMatchObject({ totalFen: 32_000_000, count: 2, onNoticeTotalFen: 0, onNoticeCount: 0 });
    expect(final.awards.every((a) => a.publicity === null)).toBe(true);
  });
});
