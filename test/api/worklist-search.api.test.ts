import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../api/auth/sessions.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { worklistQuery, worklistRoutes } from '../../api/routes/worklist.routes.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { addDays, endOfShanghaiDay, shanghaiDateOf } from '../../domain/time/local-date.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission, eventually } from '../support/filings.js';

/**
 * The work queues' search, filters, sorting and paging (issue 15) over 500 cases of 市文旅局 and
 * 20 of 黄浦区, written straight into the `cases` read model (and the filings' review rounds) as
 * their projections write them; one real filing to claim from the list.
 */
let harness: ApiHarness;
let reviewer: ApiCaller;
const CULTURE = 500;
const OTHER = 20;
const today = shanghaiDateOf(new Date());
const deadlines = {
  breached: new Date(endOfShanghaiDay(addDays(today, -3))),
  dueSoon: new Date(endOfShanghaiDay(today)),
  later: new Date(endOfShanghaiDay(addDays(today, 40))),
};
const LONG_NAME = `上海${'长'.repeat(196)}公司`;

/** The n-th seeded case: what each filter and sort below counts on. */
function seeded(n: number) {
  const filing = n % 2 === 0;
  const waitsForApplicant = n % 10 === 9;
  const deadline = waitsForApplicant ? deadlines.later : n % 5 === 0 ? deadlines.breached : n % 5 === 1 ? deadlines.dueSoon : n % 5 === 2 ? null : deadlines.later;
  return {
    n,
    filing,
    waitsForApplicant,
    deadline,
    status: filing ? (n % 4 === 0 ? 'awaiting-claim' : 'in-review') : waitsForApplicant ? 'awaiting-supplement' : 'completeness-check',
    referenceNo: `WD-2026-${String(n).padStart(6, '0')}`,
    applicantName: n === 7 ? '星河_100%文化' : n === 11 ? LONG_NAME : `申请人${n}号文化公司`,
    title: filing ? `弄堂故事第${n}部` : `滨江项目${n}期`,
    ownedBy: n % 3 === 0 ? 'demo-applicant' : 'other-applicant',
    // Filings of rounds claimed by the reviewer: every eighth one among those in review.
    claimedByMe: filing && n % 4 === 2 && n % 8 === 2,
  };
}
const all = Array.from({ length: CULTURE }, (_, i) => seeded(i + 1));
const inQueue = all.filter((c) => !c.waitsForApplicant);
const isBreached = (c: ReturnType<typeof seeded>) => c.deadline === deadlines.breached;

async function seed(): Promise<void> {
  const opened = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000);
  const rows = all.map((c) => ({
    case_id: randomUUID(),
    reference_no: c.referenceNo,
    case_type: c.filing ? 'drama-planning-filing' : 'application',
    applicant_account_id: c.ownedBy,
    applicant_name: c.applicantName,
    status: c.status,
    status_label: c.status,
    waiting_for_role: c.waitsForApplicant ? 'applicant' : 'official',
    waiting_for_department: c.waitsForApplicant ? null : 'culture-tourism',
    // Amounts that repeat (every seventh the same), so that sorting by amount needs its tiebreak.
    requested_fen: c.filing ? 0 : 1_000_000 * (c.n % 7),
    outstanding_fen: 0,
    next_deadline_at: c.deadline,
    version: 2,
    opened_at: opened(c.n),
    updated_at: opened(c.n),
    state: '{}',
    programme_id: c.filing ? null : 'drama-agent-project',
    details: JSON.stringify(c.filing ? { filing: { title: c.title, producer: c.applicantName } } : { titleAndSummary: { title: c.title, summary: '' } }),
    department: 'culture-tourism',
    departments: ['culture-tourism'],
  }));
  const others = Array.from({ length: OTHER }, (_, i) => ({
    ...rows[i]!,
    case_id: randomUUID(),
    reference_no: `HP-2026-${String(i + 1).padStart(6, '0')}`,
    applicant_account_id: 'other-applicant',
    applicant_name: `黄浦申请人${i + 1}号`,
    waiting_for_department: 'huangpu',
    waiting_for_role: 'official',
    case_type: 'application',
    programme_id: 'huangpu-creator-reward',
    details: JSON.stringify({ titleAndSummary: { title: `滨江项目${i + 1}期`, summary: '' } }),
    department: 'huangpu',
    departments: ['huangpu'],
  }));
  await harness.database.ownerDb.insertInto('cases').values([...rows, ...others] as never).execute();
  const reviews = all
    .map((c, i) => ({ c, caseId: rows[i]!.case_id }))
    .filter(({ c }) => c.filing)
    .map(({ c, caseId }) => ({
      case_id: caseId,
      round: 1,
      filing_type: 'planning',
      reference_no: c.referenceNo,
      title: c.title,
      applicant_name: c.applicantName,
      submitted_at: opened(c.n),
      submitted_on: '2026-01-01',
      working_days: 2,
      last_working_day: '2026-01-05',
      deadline_at: c.deadline ?? deadlines.later,
      provisional: false,
      reviewer_account_id: c.status === 'in-review' ? (c.claimedByMe ? 'demo-filing-reviewer' : 'someone-else') : null,
      reviewer_name: c.status === 'in-review' ? (c.claimedByMe ? '陈文旅' : '别人') : null,
    }));
  await harness.database.ownerDb.insertInto('filing_reviews').values(reviews as never).execute();
}

interface Page {
  view: string;
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  nextAfter: string | null;
  referencePrefixes: string[];
  sort: { by: string; order: string } | null;
  waiting: { total: number; breached: number; dueSoon: number } | null;
  facets: { statuses: { status: string; label: string; count: number }[]; programmes: { id: string; name: string; count: number }[] };
  cases: { caseId: string; referenceNo: string; applicantName: string; requestedAmountFen: number; title: string | null; breached: boolean; claimable: boolean; deadlineAt: string | null; openedAt: string; status: string }[];
}

async function list(caller: ApiCaller, query: string): Promise<Page> {
  const response = await caller('GET', `/api/worklist?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
}
const refs = (page: Page) => page.cases.map((c) => c.referenceNo);
const q = (text: string) => `q=${encodeURIComponent(text)}`;

beforeAll(async () => {
  harness = await startApiHarness(process.env.WORKLIST_LOG ? { log: { write: (line) => void process.stderr.write(line), level: 'error' } } : {});
  await seed();
  reviewer = await harness.as('filing-reviewer');
}, 180_000);
afterAll(() => harness?.close());

describe('an official finds one case among 500', () => {
  it('by reference number, whole or in part and in any case', async () => {
    expect(refs(await list(reviewer, `view=all&${q('WD-2026-000123')}`))).toEqual(['WD-2026-000123']);
    expect(refs(await list(reviewer, `view=all&${q('wd-2026-000123')}`))).toEqual(['WD-2026-000123']);
    // As a Chinese input method types it (full width), and without its hyphens: an outsider found neither.
    expect(refs(await list(reviewer, `view=all&${q('ＷＤ－２０２６－０００１２３')}`))).toEqual(['WD-2026-000123']);
    expect(refs(await list(reviewer, `view=all&${q('WD2026000123')}`))).toEqual(['WD-2026-000123']);
    expect(refs(await list(reviewer, `view=all&${q('wd 2026 000123')}`))).toEqual(['WD-2026-000123']);
    const part = await list(reviewer, `view=all&${q('00012')}&sort=reference`);
    expect(refs(part)).toEqual(['WD-2026-000012', 'WD-2026-000120', 'WD-2026-000121', 'WD-2026-000122', 'WD-2026-000123', 'WD-2026-000124', 'WD-2026-000125', 'WD-2026-000126', 'WD-2026-000127', 'WD-2026-000128', 'WD-2026-000129']);
  });

  it("by the applicant's name and by the project's or drama's name, which each line carries", async () => {
    const byApplicant = await list(reviewer, `view=all&${q('申请人321号')}`);
    expect(byApplicant.cases.map((c) => [c.referenceNo, c.applicantName])).toEqual([['WD-2026-000321', '申请人321号文化公司']]);
    const byDrama = await list(reviewer, `view=all&${q('弄堂故事第88部')}`);
    expect(byDrama.cases.map((c) => [c.referenceNo, c.title])).toEqual([['WD-2026-000088', '弄堂故事第88部']]);
    const byProject = await list(reviewer, `view=all&${q('滨江项目77期')}`);
    expect(byProject.cases.map((c) => [c.referenceNo, c.title])).toEqual([['WD-2026-000077', '滨江项目77期']]);
  });

  it('takes % _ and \\ in a search literally', async () => {
    expect(refs(await list(reviewer, `view=all&${q('100%')}`))).toEqual(['WD-2026-000007']);
    expect(refs(await list(reviewer, `view=all&${q('_')}`))).toEqual(['WD-2026-000007']);
    expect((await list(reviewer, `view=all&${q('%')}`)).total).toBe(1);
    expect((await list(reviewer, `view=all&${q('\\')}`)).total).toBe(0);
  });

  it('by step, programme, case type, breach and claim', async () => {
    const count = (predicate: (c: (typeof all)[number]) => boolean) => inQueue.filter(predicate).length;
    expect((await list(reviewer, 'status=awaiting-claim')).total).toBe(count((c) => c.status === 'awaiting-claim'));
    expect((await list(reviewer, 'view=all&status=awaiting-supplement')).total).toBe(all.filter((c) => c.status === 'awaiting-supplement').length);
    expect((await list(reviewer, 'programmeId=drama-agent-project')).total).toBe(count((c) => !c.filing));
    expect((await list(reviewer, 'programmeId=drama-planning-filing')).total).toBe(count((c) => c.filing));
    expect((await list(reviewer, 'caseType=drama-planning-filing')).total).toBe(count((c) => c.filing));
    const breached = await list(reviewer, 'breached=true&pageSize=100');
    expect(breached.total).toBe(count(isBreached));
    expect(breached.cases.every((c) => c.breached)).toBe(true);
    expect((await list(reviewer, 'breached=false')).total).toBe(count((c) => !isBreached(c)));
    const mine = await list(reviewer, 'assigned=mine&pageSize=100');
    expect(mine.total).toBe(count((c) => c.claimedByMe));
    expect(mine.total).toBeGreaterThan(0);
    expect((await list(reviewer, 'assigned=unclaimed')).total).toBe(count((c) => c.status === 'awaiting-claim'));
    // Filters combine with each other and with a search.
    const combined = await list(reviewer, `status=in-review&breached=true&${q('弄堂')}&pageSize=100`);
    expect(combined.total).toBe(count((c) => c.status === 'in-review' && isBreached(c)));
    expect(combined.cases.every((c) => c.status === 'in-review' && c.breached)).toBe(true);
  });

  it('counts what waits whatever the filters, and offers the steps and programmes present', async () => {
    const page = await list(reviewer, `${q('WD-2026-000001')}`);
    expect(page.total).toBe(1);
    expect(page.waiting).toEqual({ total: inQueue.length, breached: inQueue.filter(isBreached).length, dueSoon: inQueue.filter((c) => c.deadline === deadlines.dueSoon).length });
    expect(page.facets.statuses.map((s) => s.status).sort()).toEqual(['awaiting-claim', 'completeness-check', 'in-review']);
    expect(page.facets.statuses.find((s) => s.status === 'awaiting-claim')).toMatchObject({ label: '待认领审查' });
    expect(page.facets.programmes).toEqual(
      expect.arrayContaining([
        { id: 'drama-agent-project', name: 'AI 智能体项目', count: inQueue.filter((c) => !c.filing).length },
        expect.objectContaining({ id: 'drama-planning-filing', count: inQueue.filter((c) => c.filing).length }),
      ]),
    );
  });
});

describe('sorting and paging', () => {
  it('sorts by reference, applicant, submission and deadline, either way; cases without a deadline come last', async () => {
    expect(refs(await list(reviewer, 'view=all&sort=reference&order=desc&pageSize=3'))).toEqual(['WD-2026-000500', 'WD-2026-000499', 'WD-2026-000498']);
    expect(refs(await list(reviewer, 'view=all&sort=reference&pageSize=2'))).toEqual(['WD-2026-000001', 'WD-2026-000002']);
    expect(refs(await list(reviewer, 'view=all&sort=submitted&pageSize=2'))).toEqual(['WD-2026-000500', 'WD-2026-000499']);
    expect(refs(await list(reviewer, 'view=all&sort=submitted&order=asc&pageSize=2'))).toEqual(['WD-2026-000001', 'WD-2026-000002']);
    const byApplicant = (await list(reviewer, 'view=all&sort=applicant&pageSize=100')).cases.map((c) => c.applicantName);
    expect(byApplicant).toHaveLength(100);
    // In pinyin order, as people look a name up: 申请人… (shen) before 星河… (xing), which code points put first.
    expect(byApplicant).toEqual([...byApplicant].sort(new Intl.Collator('zh-CN').compare));
    const backwards = (await list(reviewer, 'view=all&sort=applicant&order=desc&pageSize=100')).cases.map((c) => c.applicantName);
    expect(backwards).toEqual([...backwards].sort(new Intl.Collator('zh-CN').compare).reverse());
    expect(backwards.indexOf('星河_100%文化')).toBeGreaterThanOrEqual(0);
    expect(backwards.indexOf('星河_100%文化')).toBeLessThan(backwards.findIndex((name) => name.startsWith('申请人')));
    for (const order of ['asc', 'desc']) {
      const deadlinesInOrder = (await list(reviewer, `sort=deadline&order=${order}&pageSize=100`)).cases.map((c) => c.deadlineAt);
      const dated = deadlinesInOrder.filter((d): d is string => d !== null);
      expect(dated).toEqual([...dated].sort((a, b) => (order === 'asc' ? a.localeCompare(b) : b.localeCompare(a))));
      // The same deadline: first come, first served.
      const listed = (await list(reviewer, `sort=deadline&order=${order}&pageSize=100`)).cases;
      const ties = listed.slice(1).filter((c, i) => c.deadlineAt !== null && c.deadlineAt === listed[i]!.deadlineAt).length;
      expect(ties).toBeGreaterThan(0);
      listed.slice(1).forEach((c, i) => {
        if (c.deadlineAt !== null && c.deadlineAt === listed[i]!.deadlineAt) expect(c.openedAt >= listed[i]!.openedAt, c.referenceNo).toBe(true);
      });
    }
    const lastPage = await list(reviewer, 'sort=deadline&order=desc&pageSize=100&page=5');
    expect(lastPage.cases.at(-1)!.deadlineAt).toBeNull();
    // The default queue order: the nearest deadline first.
    expect((await list(reviewer, 'pageSize=1')).cases[0]!.deadlineAt).toBe(deadlines.breached.toISOString());
  });

  it('lists one applicant’s cases first submitted first, whichever way the applicants run', async () => {
    const db = harness.database.ownerDb;
    const named = await db.selectFrom('cases').select(['case_id', 'applicant_name']).where('reference_no', 'in', ['WD-2026-000030', 'WD-2026-000010', 'WD-2026-000020']).execute();
    await db.updateTable('cases').set({ applicant_name: '同名文化公司' }).where('case_id', 'in', named.map((r) => r.case_id)).execute();
    try {
      for (const order of ['asc', 'desc']) expect(refs(await list(reviewer, `view=all&sort=applicant&order=${order}&q=同名文化公司`)), order).toEqual(['WD-2026-000010', 'WD-2026-000020', 'WD-2026-000030']);
    } finally {
      for (const r of named) await db.updateTable('cases').set({ applicant_name: r.applicant_name }).where('case_id', '=', r.case_id).execute();
    }
  });

  it('sorts by amount either way, ties first submitted first, every case once across the pages', async () => {
    for (const order of ['desc', 'asc'] as const) {
      const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => list(reviewer, `view=all&sort=amount&order=${order}&pageSize=100&page=${page}`)));
      expect(pages[0]!.sort).toEqual({ by: 'amount', order });
      const cases = pages.flatMap((p) => p.cases);
      expect(new Set(cases.map((c) => c.caseId)).size).toBe(CULTURE);
      const amounts = cases.map((c) => c.requestedAmountFen);
      expect(amounts).toEqual([...amounts].sort((a, b) => (order === 'asc' ? a - b : b - a)));
      expect(amounts[0]).toBe(order === 'desc' ? 6_000_000 : 0);
      // Within one amount, first submitted first: the same order on every request.
      for (let i = 1; i < cases.length; i++) if (amounts[i] === amounts[i - 1]) expect(cases[i]!.openedAt > cases[i - 1]!.openedAt).toBe(true);
    }
    // 金额 runs largest first unless asked otherwise.
    expect((await list(reviewer, 'view=all&sort=amount&pageSize=1')).sort).toEqual({ by: 'amount', order: 'desc' });
  });

  it('pages through every match once; a page past the last is empty', async () => {
    const seen = new Set<string>();
    const first = await list(reviewer, 'view=all&sort=reference&pageSize=100');
    expect(first).toMatchObject({ total: CULTURE, page: 1, pageSize: 100, pageCount: 5 });
    for (let page = 1; page <= first.pageCount; page++) for (const ref of refs(await list(reviewer, `view=all&sort=reference&pageSize=100&page=${page}`))) seen.add(ref);
    expect(seen.size).toBe(CULTURE);
    const beyond = await list(reviewer, 'view=all&pageSize=100&page=6');
    expect(beyond).toMatchObject({ total: CULTURE, page: 6, pageCount: 5, cases: [] });
    // Callers from before paging still send limit.
    expect((await list(reviewer, 'view=all&limit=200')).cases).toHaveLength(200);
  });
});

describe('paging by where the page before ended (after)', () => {
  /** Every page of a list, each asked for after the one before (the page number left at 1: the cursor alone says where). */
  async function walk(query: string, pageSize: number): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 1; page <= 20; page++) {
      const got: Page = await list(reviewer, `${query}&pageSize=${pageSize}${after ? `&after=${after}` : ''}`);
      ids.push(...got.cases.map((c) => c.caseId));
      after = got.nextAfter;
      if (!after) return ids;
    }
    throw new Error('more than 20 pages');
  }

  it('reads every case once, in the order the pages by number give, for each order either way (nulls last, ties, pinyin)', async () => {
    const orders = ['view=queue', 'view=all', ...['deadline', 'submitted', 'reference', 'applicant', 'amount'].flatMap((by) => [`view=all&sort=${by}&order=asc`, `view=all&sort=${by}&order=desc`])];
    for (const order of orders) {
      const byNumber = (await Promise.all([1, 2, 3, 4, 5].map((page) => list(reviewer, `${order}&pageSize=100&page=${page}`)))).flatMap((p) => p.cases.map((c) => c.caseId));
      expect(await walk(order, 100), order).toEqual(byNumber);
    }
  });

  it('starts the next page after the last case shown, when the cases before it have left the queue meanwhile: none skipped', async () => {
    const first = await list(reviewer, 'view=queue&pageSize=20');
    const second = await list(reviewer, 'view=queue&pageSize=20&page=2');
    const shown = first.cases.map((c) => c.caseId);
    // The official handles the first page's twenty: they wait for the applicants now, out of the queue.
    const db = harness.database.ownerDb;
    await db.updateTable('cases').set({ waiting_for_role: 'applicant', waiting_for_department: null }).where('case_id', 'in', shown).execute();
    try {
      const next = await list(reviewer, `view=queue&pageSize=20&page=2&after=${first.nextAfter}`);
      expect(next.cases.map((c) => c.caseId)).toEqual(second.cases.map((c) => c.caseId));
      // By position alone the twenty after them would have been passed over.
      const byPosition = await list(reviewer, 'view=queue&pageSize=20&page=2');
      expect(byPosition.cases[0]!.caseId).not.toBe(second.cases[0]!.caseId);
      expect(second.cases.map((c) => c.caseId)).not.toContain(byPosition.cases[0]!.caseId);
    } finally {
      await db.updateTable('cases').set({ waiting_for_role: 'official', waiting_for_department: 'culture-tourism' }).where('case_id', 'in', shown).execute();
    }
  });

  it('gives no next page after a page that is not full', async () => {
    const last = await list(reviewer, 'view=all&pageSize=100&page=5');
    expect(last.cases).toHaveLength(100);
    const after = await list(reviewer, `view=all&pageSize=100&page=6&after=${last.nextAfter}`);
    expect(after).toMatchObject({ cases: [], nextAfter: null });
    expect((await list(reviewer, 'view=all&pageSize=100&q=滨江项目1期')).nextAfter).toBeNull();
  });

  const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['not base64url', '%%%'],
    ['not JSON', Buffer.from('not json').toString('base64url')],
    ['an object', encoded({ order: 'queue' })],
    ['an order only', encoded(['queue'])],
    ['too few values', encoded(['queue', 0])],
    ['a word for a number', encoded(['queue', 'x', null, '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])],
    ['a time that is none', encoded(['queue', 0, '2026-13-45T99:00:00Z', '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])],
    ['the 31st of February', encoded(['queue', 0, '2026-02-31T00:00:00Z', '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])],
    ['the year 0', encoded(['queue', 0, '0000-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])],
    ['an offset of a day', encoded(['queue', 0, '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])],
    ['no case id', encoded(['queue', 0, null, '2026-01-01T00:00:00Z', null])],
    ['a number past an integer', encoded(['queue', 2 ** 40, null, '2026-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])],
    ['another order', encoded(['reference-asc', 'WD-2026-000001', '00000000-0000-4000-8000-000000000000'])],
  ])('after with %s answers 400 in Chinese naming it, never 500', async (_what, after) => {
    const response = await reviewer('GET', `/api/worklist?view=queue&after=${after}`);
    expect(response.statusCode, response.body).toBe(400);
    const issue = response.json<{ issues: { field: string; message: string }[] }>().issues.find((i) => i.field === 'query.after');
    expect(issue, response.body).toBeDefined();
    expect(issue!.message).toContain('翻页位置（after）');
  });

  it('answers 200 or 400 to any after made of plausible pieces, never 500', async () => {
    const pieces = [null, 0, -1, 1.5, 2 ** 31, 2 ** 53, '', 'x', '\u0000', '\ud800', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.123456+08:00', '9999-12-31T23:59:59-14:00', '1970-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000', 'WD-2026-000001', '申请人1号', [], {}, true];
    // Each order's terms by type, so that most cursors fit and reach the statement.
    const typed: Record<string, unknown[]> = { int: [0, 1, -5], instant: ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.123456+08:00', '9999-12-31T23:59:59-14:00', '1000-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '2026-02-31T00:00:00Z', null], text: ['', 'x', 'WD-2026-000001', '申请人1号', '\ud800', null], uuid: ['00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff'], bigint: [0, 2 ** 53 - 1, -1, null] };
    const terms: Record<string, string[]> = { queue: ['int', 'instant', 'instant', 'uuid'], newest: ['instant', 'uuid'], 'deadline-asc': ['instant', 'instant', 'uuid'], 'reference-desc': ['text', 'uuid'], 'applicant-asc': ['text', 'instant', 'uuid'], 'amount-desc': ['bigint', 'instant', 'uuid'], 'submitted-asc': ['instant', 'uuid'] };
    const orders = Object.keys(terms);
    const queries: Record<string, string> = { queue: 'view=queue', newest: 'view=all' };
    let seed = 17;
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const answers = new Set<number>();
    for (let i = 0; i < 150; i++) {
      const order = orders[next(orders.length)]!;
      const values = terms[order]!.map((type) => (next(10) < 8 ? typed[type]![next(typed[type]!.length)] : pieces[next(pieces.length)]));
      const [by, direction] = order.split('-');
      const query = queries[order] ?? `view=all&sort=${by}&order=${direction}`;
      const response = await reviewer('GET', `/api/worklist?${query}&after=${encoded([order, ...values])}`);
      expect([200, 400], `${order} ${JSON.stringify(values)}: ${response.body}`).toContain(response.statusCode);
      answers.add(response.statusCode);
    }
    expect([...answers].sort()).toEqual([200, 400]);
  });
});

describe('bad parameters', () => {
  it.each([
    ['page=0', 'page', '页码'],
    ['page=abc', 'page', '页码'],
    ['pageSize=101', 'pageSize', '每页件数'],
    ['pageSize=-1', 'pageSize', '每页件数'],
    ['sort=title', 'sort', '排序'],
    ['order=up', 'order', '排序方向'],
    ['breached=yes', 'breached', '是否超期'],
    ['assigned=everyone', 'assigned', '认领'],
    ['caseType=loan', 'caseType', '案件类型'],
    ['status=Not%20A%20Step', 'status', '办理环节'],
    ['programmeId=..%2F', 'programmeId', '政策'],
    [q(''), 'q', '搜索词'],
    [q('   '), 'q', '搜索词'],
    [q('x'.repeat(101)), 'q', '搜索词'],
  ])('%s answers 400, in Chinese, naming the parameter', async (query, parameter, words) => {
    const response = await reviewer('GET', `/api/worklist?${query}`);
    expect(response.statusCode, response.body).toBe(400);
    const issue = response.json<{ issues: { field: string; message: string }[] }>().issues.find((i) => i.field === `query.${parameter}`);
    expect(issue, response.body).toBeDefined();
    expect(issue!.message).toContain(`${words}（${parameter}）`);
    expect(issue!.message).not.toMatch(/\b(must|at least|at most|invalid|expected)\b/i);
  });

  it('documents every parameter with bounds, choices or a pattern', async () => {
    const document = (await harness.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }> }>();
    const parameters = Object.fromEntries(document.paths['/api/worklist']!.get.parameters.map((p) => [p.name, p.schema]));
    expect(Object.keys(parameters).sort()).toEqual(['after', 'assigned', 'breached', 'caseType', 'limit', 'order', 'page', 'pageSize', 'programmeId', 'q', 'sort', 'status', 'view']);
    for (const [name, schema] of Object.entries(parameters)) expect(schema.enum ?? schema.pattern, name).toBeDefined();
    expect(parameters.sort!.enum).toEqual(['deadline', 'submitted', 'reference', 'applicant', 'amount']);
  });
});

describe('who sees what', () => {
  it("another department's reference number finds nothing, in the queue or among all cases", async () => {
    const huangpu = await harness.as('huangpu-reviewer');
    for (const view of ['queue', 'all']) {
      expect((await list(reviewer, `view=${view}&${q('HP-2026-000001')}`)).total).toBe(0);
      expect((await list(huangpu, `view=${view}&${q('WD-2026-000123')}`)).total).toBe(0);
    }
    expect((await list(huangpu, `${q('HP-2026-000001')}`)).total).toBe(1);
    // A title both departments use: each finds their own only.
    expect(refs(await list(huangpu, `view=all&${q('滨江项目3期')}`))).toEqual(['HP-2026-000003']);
    expect(refs(await list(reviewer, `view=all&${q('滨江项目3期')}`))).toEqual(['WD-2026-000003']);
  });

  it("names the reference prefixes of the viewer's own cases, most cases first, for the search box's example", async () => {
    const huangpu = await harness.as('huangpu-reviewer');
    expect((await list(huangpu, 'pageSize=1')).referencePrefixes).toEqual(['HP']);
    // Whatever the filters: the example is about the whole list.
    expect((await list(huangpu, `pageSize=1&${q('没有这个')}`)).referencePrefixes).toEqual(['HP']);
    const culture = (await list(reviewer, 'pageSize=1')).referencePrefixes;
    expect(culture[0]).toBe('WD');
    expect(culture).not.toContain('HP');
    const creator = (await list(await harness.as('creator'), 'pageSize=1')).referencePrefixes;
    expect(creator[0]).toBe('WD');
    expect(creator).not.toContain('HP');
  });

  it('an applicant searches their own cases only; the auditor every case', async () => {
    const creator = await harness.as('creator');
    const own = await list(creator, 'pageSize=100');
    expect(own.view).toBe('all');
    expect(own.total).toBe(all.filter((c) => c.ownedBy === 'demo-applicant').length);
    expect((await list(creator, q('WD-2026-000124'))).total).toBe(0); // 124 is another applicant's
    expect(refs(await list(creator, q('WD-2026-000123')))).toEqual(['WD-2026-000123']);
    expect(own.waiting).toEqual({ total: all.filter((c) => c.ownedBy === 'demo-applicant' && c.waitsForApplicant).length, breached: 0, dueSoon: 0 });
    // 等您办理: the applicant's own queue, what waits for them alone, the nearest deadline first.
    const mine = await list(creator, 'view=queue&pageSize=100');
    expect(mine.view).toBe('queue');
    const waitingForMe = all.filter((c) => c.ownedBy === 'demo-applicant' && c.waitsForApplicant);
    expect(mine.total).toBe(waitingForMe.length);
    expect(refs(mine).sort()).toEqual(waitingForMe.map((c) => c.referenceNo).sort());
    const deadlines = mine.cases.map((c) => c.deadlineAt ?? '9999');
    expect(deadlines).toEqual([...deadlines].sort());
    expect((await list(creator, `view=queue&${q('WD-2026-000123')}`)).total).toBe(waitingForMe.some((c) => c.referenceNo === 'WD-2026-000123') ? 1 : 0);
    const auditor = await harness.as('auditor');
    // …-000010 to …-000019 of both departments.
    expect((await list(auditor, q('-2026-00001'))).total).toBe(20);
  });
});

describe('an expert', () => {
  // The permission matrix does not let experts call the route yet; its handler already applies their access rule.
  it('on no panel finds none of the 520 cases', async () => {
    const deps = { db: harness.database.db, clock: () => new Date(), calendar: calendarFromDatabase(harness.database.db) } as unknown as ApiDependencies;
    const worklist = worklistRoutes(deps).find((r) => r.url === '/api/worklist')!;
    const expert = { accountId: 'demo-expert-1', username: 'expert-1', displayName: '冯专家', role: 'expert', department: null, profile: {} } as unknown as Account;
    const answer = (await worklist.handle({ params: {}, query: worklistQuery.parse({ q: 'WD-2026' }), body: {}, account: expert, request: {} as never, reply: {} as never })) as Page;
    expect(answer).toMatchObject({ view: 'all', total: 0, cases: [], waiting: null });
  });
});

describe('claim from the list', () => {
  it('offers the claim on an unclaimed filing to its department, and mine lists it once claimed', async () => {
    const creator = await harness.as('creator');
    const filed = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '石库门的光' }), { 'idempotency-key': randomUUID() });
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId } = filed.json<{ caseId: string }>();
    const line = await eventually(async () => (await list(reviewer, q('石库门的光'))).cases.find((c) => c.caseId === caseId), 'the filing in the queue');
    expect(line).toMatchObject({ title: '石库门的光', claimable: true });
    // 黄浦区 does not see it; the auditor sees it and may not claim.
    expect((await list(await harness.as('auditor'), q('石库门的光'))).cases.map((c) => c.claimable)).toEqual([false]);
    const claimed = await reviewer('POST', `/api/cases/${caseId}/claim`, {});
    expect(claimed.statusCode, claimed.body).toBe(200);
    const after = await eventually(async () => (await list(reviewer, `assigned=mine&${q('石库门的光')}`)).cases.find((c) => c.caseId === caseId), 'the claimed filing under mine');
    expect(after.claimable).toBe(false);
  });
});
