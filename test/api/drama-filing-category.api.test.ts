import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * Source 004: the 2 (规划备案) and 5 (完成片上线备案) working-day promise is for 普通 micro-dramas. A 重点
 * filing, through the API, records its category and gets no deadline: none shown, none counted, and
 * nothing breached however long it waits. It is still in the reviewers' queue, marked 重点 and
 * without a working-day deadline, and the SLA statistics count it apart from the promise's figures.
 */

let harness: ApiHarness;
let creator: ApiCaller;
let reviewer: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  reviewer = await harness.as('filing-reviewer');
});
afterAll(() => harness?.close());

async function file(body: object) {
  const response = await creator('POST', '/api/cases/drama-planning-filing', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('004: 普通 or 重点 micro-drama filing', () => {
  it('gives a 普通 drama (and one filed without a category) its 2-working-day deadline', async () => {
    // Two titles: an open filing holds its title (one-open-filing-per-title).
    for (const body of [dramaSubmission({ category: 'ordinary' }), dramaSubmission({ title: '外滩往事（未选类别）' })]) {
      const view = await file(body);
      expect(view.category).toBe('ordinary');
      expect(view.deadline).toMatchObject({ kind: 'filing-review' });
      expect(view.rounds[0].workingDays).toBe(2);
    }
  });

  it('gives a 重点 drama no deadline, says none is promised, and breaches nothing as time passes', async () => {
    const view = await file(dramaSubmission({ category: 'key', title: '重点剧' }));
    expect(view).toMatchObject({ category: 'key', deadline: null, flagged: false, status: 'awaiting-claim', filing: { category: 'key' } });
    expect(view.rounds[0]).toMatchObject({ workingDays: null, lastWorkingDay: null, deadline: null });
    expect(view.overview).toContainEqual({ label: '微短剧类别', value: '重点微短剧' });
    expect(view.overview.find((l: { label: string }) => l.label === '办理时限').value).toContain('无承诺审查时限');

    // Well past what a 普通 planning filing is promised: no reminder, no breach, no escalation.
    await harness.env.sleep('20 days');
    const events = (await creator('GET', `/api/cases/${view.caseId}/events`)).json().events as { type: string }[];
    expect(events.map((e) => e.type)).toEqual(['FilingSubmitted']);
    const later = (await creator('GET', `/api/cases/${view.caseId}`)).json();
    expect(later).toMatchObject({ deadline: null, flagged: false });
  });

  it('puts a 重点 filing in the queue, marked 重点 and without a deadline, after the promised ones, and counts it apart in the statistics', async () => {
    const ordinary = await file(dramaSubmission({ category: 'ordinary', title: '普通剧' }));
    const key = await file(dramaSubmission({ category: 'key', title: '重点待审剧' }));
    const queue = async () => (await reviewer('GET', '/api/filings/queue')).json().filings as Record<string, unknown>[];
    const listed = await queue();
    const line = listed.find((f) => f.caseId === key.caseId);
    expect(line).toMatchObject({ category: 'key', categoryLabel: '重点微短剧', title: '重点待审剧', deadline: null, lastWorkingDay: null, workingDaysLeft: null, breached: false, reviewer: null });
    expect(listed.find((f) => f.caseId === ordinary.caseId)).toMatchObject({ category: 'ordinary', categoryLabel: '普通微短剧', workingDaysLeft: expect.any(Number) });
    // The promised deadlines come first; the 重点 filings, which have none, after them.
    const firstKey = listed.findIndex((f) => f.category === 'key');
    expect(listed.slice(firstKey).every((f) => f.category === 'key')).toBe(true);
    expect(listed.findIndex((f) => f.caseId === ordinary.caseId)).toBeLessThan(firstKey);

    const month = key.rounds[0].submittedOn.slice(0, 7);
    const statistics = async (who: ApiCaller) => ((await who('GET', `/api/filings/sla?from=${month}&to=${month}`)).json().months as Record<string, unknown>[])[0]!;
    const before = await statistics(reviewer);
    const reviews = await harness.database.db.selectFrom('filing_reviews').select(['category', 'outcome']).where('submitted_on', '>=', `${month}-01`).execute();
    const counted = (category: string) => reviews.filter((r) => r.category === category);
    // The promise's figures are the 普通 filings'; the 重点 ones are counted apart, with no on-time figures.
    expect(before).toMatchObject({ filings: counted('ordinary').length, key: { filings: counted('key').length, decided: 0, open: counted('key').length, medianReviewWorkingDays: null } });
    expect(counted('key').length).toBeGreaterThanOrEqual(1);

    // Claimed and approved: it leaves the queue and is counted as decided, never as on time or breached.
    for (const [action, body] of [['claim', {}], ['approve', { notes: '同意备案' }]] as const) {
      const response = await reviewer('POST', `/api/cases/${key.caseId}/${action}`, body);
      expect(response.statusCode, response.body).toBe(200);
    }
    expect((await queue()).map((f) => f.caseId)).not.toContain(key.caseId);
    const after = await statistics(await harness.as('auditor'));
    expect(after).toMatchObject({ filings: before.filings, onTime: before.onTime, breaches: before.breaches, key: { filings: counted('key').length, decided: 1, open: counted('key').length - 1, medianReviewWorkingDays: 0 } });
  });

  it('refuses a category that is neither, in Chinese', async () => {
    const response = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ category: 'urgent' as never }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('重点微短剧');
  });
});
