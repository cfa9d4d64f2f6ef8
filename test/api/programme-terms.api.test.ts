import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDateOf } from '../../domain/time/local-date.js';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import type { TestDatabase } from '../support/database.js';
import { verifyClaims } from '../support/verify-claims.js';

/** The API's clock is movable: a version effective tomorrow is seen before and on its day. */
let harness: ApiHarness;
let database: TestDatabase;
let shiftMs = 0;
const apiNow = () => new Date(Date.now() + shiftMs);

beforeAll(async () => {
  harness = await startApiHarness({ clock: apiNow });
  database = harness.database;
}, 180_000);

afterAll(() => harness?.close());

/** Signs in at the API's present moment (a session made before the clock moves a day has expired by then). */
const as = (username: string): Promise<ApiCaller> => harness.as(username);

const PROGRAMME = 'xuhui-ip-library';
const OLD_CAP = 300_000_000; // 3,000,000.00, the code catalogue's (004 徐汇)
const NEW_CAP = 200_000_000;

const apply = (caller: ApiCaller, requestedAmountFen: number) =>
  caller('POST', `/api/applications/${PROGRAMME}`, {
    title: 'IP 库建设',
    summary: '建设微短剧 IP 库',
    facts: { applicantKind: 'company', requestedAmountFen, itemId: `ip-${randomUUID()}`, registeredDistrict: '徐汇区' },
  });

async function act(caller: ApiCaller, caseId: string, action: string, body: object = {}) {
  const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
  expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  return response.json().case;
}

describe('programme terms published by the office', () => {
  it('a changed cap drafted by one officer and approved by another applies to applications opened from its date, never to running cases', async () => {
    const [creator, drafter, approver, hrss] = await Promise.all([as('creator'), as('xuhui-reviewer'), as('xuhui-approver'), as('hrss-reviewer')]);
    const today = shanghaiDateOf(apiNow());
    const tomorrow = addDays(today, 1);
    const draft = { amount: { capFen: NEW_CAP }, effectiveFrom: tomorrow, reason: '区财政预算调整，单个项目最高额下调' };

    // A non-officer cannot draft: an applicant (the permission matrix), an official of another department (the decider).
    expect((await creator('POST', `/api/programme-terms/${PROGRAMME}/drafts`, draft)).statusCode).toBe(403);
    const otherDepartment = await hrss('POST', `/api/programme-terms/${PROGRAMME}/drafts`, draft);
    expect(otherDepartment.statusCode).toBe(403);
    expect(otherDepartment.json().message).toBe('「徐汇 数字资产库、IP 库建设」的条款由徐汇区的工作人员起草和批准，您不能办理。');

    // Bad input: a plain-Chinese message naming the field.
    const negative = await drafter('POST', `/api/programme-terms/${PROGRAMME}/drafts`, { ...draft, amount: { capFen: -5 } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().issues).toContainEqual(expect.objectContaining({ field: 'amount.capFen', message: expect.stringContaining('最高额必须大于 0') }));
    const past = await drafter('POST', `/api/programme-terms/${PROGRAMME}/drafts`, { ...draft, effectiveFrom: addDays(today, -1) });
    expect(past.statusCode).toBe(400);
    expect(past.json().issues).toEqual([{ field: 'effectiveFrom', message: '不能早于今天' }]);
    const reshaped = await drafter('POST', `/api/programme-terms/${PROGRAMME}/drafts`, { ...draft, amount: { kind: 'fixed', amountFen: NEW_CAP } });
    expect(reshaped.statusCode).toBe(400);
    expect(reshaped.json().message).toContain('金额规则的计算方式不能改变');

    const drafted = await drafter('POST', `/api/programme-terms/${PROGRAMME}/drafts`, draft);
    expect(drafted.statusCode, drafted.body).toBe(201);
    expect(drafted.json()).toMatchObject({ version: 1, status: 'draft', effectiveFrom: tomorrow, draftedBy: '冯评审', terms: { amount: { kind: 'cap', capFen: NEW_CAP } } });

    // Four-eyes: the drafter cannot approve their own draft.
    const own = await drafter('POST', `/api/programme-terms/${PROGRAMME}/versions/1/approve`, { note: '' });
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toContain('双人复核');
    const approved = await approver('POST', `/api/programme-terms/${PROGRAMME}/versions/1/approve`, { note: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ version: 1, status: 'approved', draftedBy: '冯评审', decidedBy: '褚审批' });

    // Opened today, before the date: the code catalogue's cap (version 0), kept for the case's life.
    const before = await apply(creator, 250_000_000);
    expect(before.statusCode, before.body).toBe(201);
    const running = before.json<{ caseId: string; maxAmountFen: number }>();
    expect(running.maxAmountFen).toBe(OLD_CAP);
    const terms = (await creator('GET', `/api/programme-terms/${PROGRAMME}`)).json();
    expect(terms).toMatchObject({ current: { version: 0 }, scheduled: [{ version: 1, effectiveFrom: tomorrow }], history: [{ version: 1, draftedBy: '冯评审', decidedBy: '褚审批' }] });

    // The effective date comes.
    shiftMs = 24 * 3600_000;
    const [creatorLater, drafterLater, directorLater] = await Promise.all([as('creator'), as('xuhui-reviewer'), as('xuhui-director')]);
    expect((await creatorLater('GET', `/api/programme-terms/${PROGRAMME}`)).json()).toMatchObject({ current: { version: 1, effectiveFrom: tomorrow, draftedBy: '冯评审', approvedBy: '褚审批' } });
    const above = await apply(creatorLater, 250_000_000);
    expect(above.statusCode).toBe(400);
    expect(above.json().message).toContain('超过徐汇 数字资产库、IP 库建设的最高额 2,000,000.00');
    // The catalogue's 资格自查 answers as a submission would, under the terms in force.
    const selfCheck = await creatorLater('POST', `/api/programmes/${PROGRAMME}/check`, { applicantKind: 'company', requestedAmountFen: 250_000_000, itemId: 'ip-self-check', registeredDistrict: '徐汇区' });
    expect(selfCheck.statusCode, selfCheck.body).toBe(200);
    expect(JSON.stringify(selfCheck.json())).toContain('2,000,000.00');
    const after = await apply(creatorLater, 150_000_000);
    expect(after.statusCode, after.body).toBe(201);
    expect(after.json().maxAmountFen).toBe(NEW_CAP);
    expect(after.json()).toMatchObject({ programme: { id: PROGRAMME, catalogueVersion: '2026-12-03' } });
    // Each case records the terms version it opened under in its snapshot: version 1 from the date, none (the catalogue) before.
    const snapshotOf = async (caseId: string) => {
      const row = await database.db.selectFrom('cases').select('state').where('case_id', '=', caseId).executeTakeFirstOrThrow();
      return (row.state as { terms: { amount: unknown; termsVersion?: unknown } }).terms;
    };
    expect(await snapshotOf(after.json().caseId)).toMatchObject({ amount: { kind: 'cap', capFen: NEW_CAP }, termsVersion: { version: 1, effectiveFrom: tomorrow, draftedBy: '冯评审', approvedBy: '褚审批' } });
    expect(await snapshotOf(running.caseId)).toMatchObject({ amount: { kind: 'cap', capFen: OLD_CAP } });
    expect((await snapshotOf(running.caseId)).termsVersion).toBeUndefined();

    // The running case keeps its cap: approved above the new one, within the old, at the award step's own check.
    await verifyClaims(drafterLater, running.caseId);
    await act(drafterLater, running.caseId, 'accept-materials');
    await act(drafterLater, running.caseId, 'score-application', { score: 85, comments: 'IP 储备充足' });
    const done = await act(directorLater, running.caseId, 'approve-application', { approvedAmountFen: 250_000_000, notes: '按受理时的条款核定' });
    expect(done).toMatchObject({ decision: { approvedAmountFen: 250_000_000 } });
  });

  it('changes the stacking matrix only with a second officer, and a new application uses it as approved', async () => {
    shiftMs = 0;
    const [creator, culture, cultureApprover, xuhui] = await Promise.all([as('creator'), as('filing-reviewer'), as('culture-approver'), as('xuhui-reviewer')]);
    const initial = (await creator('GET', '/api/stacking-matrix')).json();
    expect(initial.entries.map((e: { source: string }) => e.source)).toEqual(['002 Q5', '002 Q5', '002 Q5']);

    // 004 沪8条 三: the national-selection award and the excellent-project award for one drama, made not to stack.
    const between = [{ programmeId: 'drama-national-selection' }, { programmeId: 'drama-excellent-project' }];
    // One drama already has the national-selection award; the sources say nothing of the pair, so a new application is accepted for review.
    const filingNo = `沪剧备 ${randomUUID().slice(0, 8)}`;
    await database.db
      .insertInto('awards')
      .values({ award_id: `AW-${randomUUID()}`, case_id: randomUUID(), applicant_account_id: 'someone', programme_id: 'drama-national-selection', catalogue_version: '2026-12-03', item_id: `content-item:${filingNo.replace(/\s+/g, '').toUpperCase()}`, amount_fen: 5_000_000, awarded_on: '2026-06-01', recorded_at: new Date() })
      .execute();
    const excellent = () =>
      creator('POST', '/api/applications/drama-excellent-project', {
        title: '优秀微短剧',
        summary: '同一部剧',
        facts: { applicantKind: 'drama-producer', requestedAmountFen: 100_000_000, dramaFilingNo: filingNo, promotesCityImage: false },
      });
    const beforeChange = await excellent();
    expect(beforeChange.statusCode, beforeChange.body).toBe(201);
    expect((await xuhui('POST', '/api/stacking-matrix/changes', { between, verdict: 'do-not-stack', reason: '测试' })).statusCode).toBe(403);
    const proposed = await culture('POST', '/api/stacking-matrix/changes', { between, verdict: 'do-not-stack', reason: '局务会决定：同一部作品只奖励一次' });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const { changeId } = proposed.json();
    expect((await culture('POST', `/api/stacking-matrix/changes/${changeId}/approve`, { note: '' })).statusCode).toBe(403);
    const approved = await cultureApprover('POST', `/api/stacking-matrix/changes/${changeId}/approve`, { note: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', matrixVersion: 1, proposedBy: '陈文旅', decidedBy: '蒋审批' });
    const matrix = (await creator('GET', '/api/stacking-matrix')).json();
    expect(matrix).toMatchObject({ matrixVersion: 1 });
    expect(matrix.entries[0]).toMatchObject({ between, verdict: 'do-not-stack' });
    const terms = (await creator('GET', '/api/programme-terms/drama-excellent-project')).json();
    expect(terms.stacking.entries).toContainEqual(expect.objectContaining({ verdict: 'do-not-stack' }));
    // A new application on the same drama is now refused, naming the award and the change.
    const afterChange = await excellent();
    expect(afterChange.statusCode).toBe(400);
    expect(afterChange.json().issues).toContainEqual({ field: 'no-stacking', code: 'no-stacking', message: expect.stringContaining('不能与其叠加（依据：叠加规则变更第 1 号（市文旅局提出，市文旅局批准）') });

    // The auditor's rebuild reproduces the versions and the matrix's changes from their events alone.
    // (The award this test wrote straight into the ledger, with no event behind it, is drift of its own.)
    const rebuilt = await rebuildAndCompare(database.db);
    expect(rebuilt.drift.filter((d) => d.table !== 'awards')).toEqual([]);
    expect(rebuilt.tables.find((t) => t.table === 'stacking_matrix_changes')).toMatchObject({ liveRows: 1, rebuiltRows: 1, changed: 0 });
    expect(rebuilt.tables.find((t) => t.table === 'programme_terms_versions')?.liveRows).toBeGreaterThan(0);
  });

  it('takes four departments’ proposals for four different pairs sent at the same moment, each one recorded once', async () => {
    const proposals = [
      ['yangpu-reviewer', 'yangpu-content-award', 'yangpu-honour-title'],
      ['huangpu-reviewer', 'huangpu-creator-reward', 'huangpu-event-subsidy'],
      ['xuhui-reviewer', 'xuhui-ip-library', 'xuhui-quality-works'],
      ['filing-reviewer', 'drama-overseas', 'drama-training-course'],
    ] as const;
    const callers = await Promise.all(proposals.map(([username]) => as(username)));
    const sent = await Promise.all(
      proposals.map(([, a, b], i) => callers[i]!('POST', '/api/stacking-matrix/changes', { between: [{ programmeId: a }, { programmeId: b }], verdict: 'do-not-stack', reason: '同区两项不叠加' })),
    );
    expect(sent.map((r) => r.statusCode), sent.map((r) => r.body).join('\n')).toEqual([201, 201, 201, 201]);
    const ids = new Set(sent.map((r) => r.json<{ changeId: string }>().changeId));
    const rows = await database.db.selectFrom('stacking_matrix_changes').select(['change_id', 'status']).where('change_id', 'in', [...ids]).execute();
    expect(rows.map((r) => r.status)).toEqual(['proposed', 'proposed', 'proposed', 'proposed']);
  });
});
