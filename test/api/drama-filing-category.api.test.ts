import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * Source 004: the 2 (规划备案) and 5 (完成片上线备案) working-day promise is for 普通 micro-dramas. A 重点
 * filing, through the API, records its category and gets no deadline: none shown, none in the
 * queue's clocks, and nothing breached however long it waits.
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
    for (const body of [dramaSubmission({ category: 'ordinary' }), dramaSubmission()]) {
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
    const queue = (await reviewer('GET', '/api/filings/queue')).json().filings as { caseId: string }[];
    expect(queue.map((f) => f.caseId)).not.toContain(view.caseId);

    // Well past what a 普通 planning filing is promised: no reminder, no breach, no escalation.
    await harness.env.sleep('20 days');
    const events = (await creator('GET', `/api/cases/${view.caseId}/events`)).json().events as { type: string }[];
    expect(events.map((e) => e.type)).toEqual(['FilingSubmitted']);
    const later = (await creator('GET', `/api/cases/${view.caseId}`)).json();
    expect(later).toMatchObject({ deadline: null, flagged: false });
  });

  it('refuses a category that is neither, in Chinese', async () => {
    const response = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ category: 'urgent' as never }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('重点微短剧');
  });
});
