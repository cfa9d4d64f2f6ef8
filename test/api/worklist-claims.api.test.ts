import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { atMostAtOnce, requestIdFor } from '../../api/routes/worklist-claims.routes.js';
import type { worklistClaimsResponse } from '../../api/schemas/responses.schemas.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * 批量认领 (POST /api/worklist/claims): an official of 市文旅局 claims several filings of the queue at
 * once. Each goes through the claim route itself, so each result is what a single claim of that
 * case answers; a colleague's claim is never taken over, another department's case is refused as the
 * single route refuses it, and a request sent twice claims each case once.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let reviewer: ApiCaller;
let supervisor: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  [creator, reviewer, supervisor, auditor] = await Promise.all([harness.as('creator'), harness.as('filing-reviewer'), harness.as('filing-supervisor'), harness.as('auditor')]);
});
afterAll(() => harness?.close());

/** The bulk claim's answer, as its response schema declares it. */
type Answer = z.infer<typeof worklistClaimsResponse>;

/** Each filing a title of its own: an open filing holds its title. */
let filed = 0;
async function fileFilings(count: number): Promise<{ caseId: string; referenceNo: string }[]> {
  const filings = [];
  for (let i = 0; i < count; i++) {
    const response = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: `弄堂批量认领第${++filed}部` }));
    expect(response.statusCode, response.body).toBe(201);
    filings.push(response.json<{ caseId: string; referenceNo: string }>());
  }
  return filings;
}

async function claimAll(caller: ApiCaller, caseIds: string[], headers: Record<string, string> = {}) {
  return caller('POST', '/api/worklist/claims', { caseIds }, headers);
}

async function claimedOnce(caller: ApiCaller, caseIds: string[], headers: Record<string, string> = {}): Promise<Answer> {
  const response = await claimAll(caller, caseIds, headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Answer>();
}

/** The FilingClaimed events of a case, as the auditor reads them. */
async function claims(caseId: string): Promise<{ by: { displayName: string }; takenOverFrom?: unknown }[]> {
  const events = (await auditor('GET', `/api/cases/${caseId}/events`)).json<{ events: { type: string; data: { by: { displayName: string }; takenOverFrom?: unknown } }[] }>().events;
  return events.filter((e) => e.type === 'FilingClaimed').map((e) => e.data);
}

const holderOf = async (caseId: string) => (await auditor('GET', `/api/cases/${caseId}`)).json<{ waitingFor: { accountId?: string } | null }>().waitingFor?.accountId;

describe('批量认领: several cases claimed at once', () => {
  it('claims each case through the claim route: one result per case, in the order sent, each recorded once', async () => {
    const filings = await fileFilings(3);
    const answer = await claimedOnce(reviewer, filings.map((f) => f.caseId));
    expect(answer).toMatchObject({ claimed: 3, refused: 0 });
    expect(answer.results.map((r) => [r.caseId, r.referenceNo, r.outcome, r.alreadyYours, r.refusal, r.message])).toEqual(
      filings.map((f) => [f.caseId, f.referenceNo, 'claimed', false, null, '已认领，请在期限内反馈。']),
    );
    for (const f of filings) {
      expect(await holderOf(f.caseId)).toBe('demo-filing-reviewer');
      expect(await claims(f.caseId)).toEqual([expect.objectContaining({ by: expect.objectContaining({ displayName: '陈文旅' }) })]);
    }
    // Claimed as a single claim leaves it: the case's version is the one the answer names.
    const version = (await reviewer('GET', `/api/cases/${filings[0]!.caseId}`)).json<{ version: number }>().version;
    expect(answer.results[0]!.version).toBe(version);
  });

  it('refuses a case a colleague holds, naming them, and never takes it over, even for the supervising official', async () => {
    const [first, held, last] = await fileFilings(3);
    expect((await reviewer('POST', `/api/cases/${held!.caseId}/claim`, {})).statusCode).toBe(200);

    const answer = await claimedOnce(supervisor, [first!.caseId, held!.caseId, last!.caseId]);
    expect(answer).toMatchObject({ claimed: 2, refused: 1 });
    expect(answer.results.map((r) => r.outcome)).toEqual(['claimed', 'refused', 'claimed']);
    const refused = answer.results[1]!;
    expect(refused).toMatchObject({ caseId: held!.caseId, referenceNo: held!.referenceNo, alreadyYours: false, version: null });
    expect(refused.message).toContain('陈文旅');
    expect(refused.message).not.toMatch(/[A-Za-z]/);
    // The single claim's own answer, word for word, with its status.
    const single = await supervisor('POST', `/api/cases/${held!.caseId}/claim`, {});
    expect(single.statusCode).toBe(409);
    expect(refused.refusal).toEqual({ status: 409, ...single.json() });
    expect(refused.refusal).toMatchObject({ code: 'take-over-not-confirmed', params: { holder: '陈文旅' } });
    // Not taken over: the reviewer still holds it, and only their claim is recorded.
    expect(await holderOf(held!.caseId)).toBe('demo-filing-reviewer');
    expect(await claims(held!.caseId)).toEqual([expect.not.objectContaining({ takenOverFrom: expect.anything() })]);

    // The other way round: the reviewer is told the supervising official has it.
    const [next] = await fileFilings(1);
    const theirs = await claimedOnce(reviewer, [first!.caseId, next!.caseId]);
    expect(theirs.results.map((r) => r.outcome)).toEqual(['refused', 'claimed']);
    expect(theirs.results[0]).toMatchObject({ referenceNo: first!.referenceNo, refusal: { status: 409, code: 'claimed-by-another' } });
    expect(theirs.results[0]!.message).toContain('周分管');
    expect(await holderOf(first!.caseId)).toBe('demo-filing-supervisor');
  });

  it('refuses another department’s case and a missing one as the claim route does, saying nothing of the case', async () => {
    const loan = await creator('POST', '/api/cases/chuying-loan', validApplication());
    expect(loan.statusCode, loan.body).toBe(201);
    const { caseId: loanId } = loan.json<{ caseId: string }>();
    const loanView = (await creator('GET', `/api/cases/${loanId}`)).json<{ referenceNo: string; version: number; applicant: { name: string } }>();
    const missing = randomUUID();
    const [filing] = await fileFilings(1);

    const answer = await claimedOnce(reviewer, [loanId, filing!.caseId, missing]);
    expect(answer).toMatchObject({ claimed: 1, refused: 2 });
    const [ofTheFund, claimed, none] = answer.results;
    expect(claimed).toMatchObject({ caseId: filing!.caseId, outcome: 'claimed' });
    // Each as the claim route answers it, with nothing else.
    const singleOfTheFund = await reviewer('POST', `/api/cases/${loanId}/claim`, {});
    const singleMissing = await reviewer('POST', `/api/cases/${missing}/claim`, {});
    expect([singleOfTheFund.statusCode, singleMissing.statusCode]).toEqual([403, 404]);
    expect(ofTheFund).toEqual({ caseId: loanId, referenceNo: null, outcome: 'refused', alreadyYours: false, version: null, message: singleOfTheFund.json().message, refusal: { status: 403, ...singleOfTheFund.json() } });
    expect(none).toEqual({ caseId: missing, referenceNo: null, outcome: 'refused', alreadyYours: false, version: null, message: singleMissing.json().message, refusal: { status: 404, ...singleMissing.json() } });
    const said = JSON.stringify(ofTheFund);
    for (const secret of [loanView.referenceNo, loanView.applicant.name, validApplication().project.name]) expect(said).not.toContain(secret);
    // The loan is untouched.
    expect((await creator('GET', `/api/cases/${loanId}`)).json<{ version: number }>().version).toBe(loanView.version);
  });

  it('lets in only those who may claim case by case: another department’s official and the auditor are refused the whole request', async () => {
    const [filing] = await fileFilings(1);
    const fundReviewer = await harness.as('fund-reviewer');
    for (const caller of [fundReviewer, auditor, creator]) {
      const response = await claimAll(caller, [filing!.caseId]);
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().message).not.toMatch(/[A-Za-z]{2,}/);
    }
    expect(await claims(filing!.caseId)).toEqual([]);
    expect((await harness.app.inject({ method: 'POST', url: '/api/worklist/claims', payload: { caseIds: [filing!.caseId] } })).statusCode).toBe(401);
  });

  it('claims each case once when the same request is sent twice at once, and answers a retry under its Idempotency-Key with the first answer', async () => {
    const filings = await fileFilings(4);
    const ids = filings.map((f) => f.caseId);
    // Twice at once, without a key (a double click): both answer every case as claimed, one of them as already the caller's.
    const [one, two] = await Promise.all([claimedOnce(reviewer, ids), claimedOnce(reviewer, ids)]);
    for (const [i, caseId] of ids.entries()) {
      expect([one.results[i]!.outcome, two.results[i]!.outcome]).toEqual(['claimed', 'claimed']);
      expect([one.results[i]!.alreadyYours, two.results[i]!.alreadyYours].sort()).toEqual([false, true]);
      expect(await claims(caseId)).toHaveLength(1);
    }
    expect([one.claimed, two.claimed]).toEqual([4, 4]);

    // Under one Idempotency-Key, at once and then again: the first answer, and nothing recorded twice.
    const more = (await fileFilings(3)).map((f) => f.caseId);
    const headers = { 'idempotency-key': `bulk-claim-${randomUUID()}` };
    const together = await Promise.all([claimAll(reviewer, more, headers), claimAll(reviewer, more, headers)]);
    const statuses = together.map((r) => r.statusCode).sort();
    expect([[200, 200], [200, 409]]).toContainEqual(statuses);
    const first = together.find((r) => r.statusCode === 200)!.json<Answer>();
    expect(first).toMatchObject({ claimed: 3, refused: 0 });
    const again = await claimAll(reviewer, more, headers);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first);
    for (const caseId of more) expect(await claims(caseId)).toHaveLength(1);

    // The kept answer lost (the first attempt died before it was kept): run again, each case's claim is
    // sent under the same id as before, and the workflow answers it with the claim it recorded.
    await harness.database.ownerDb.deleteFrom('idempotency_keys').where('idempotency_key', '=', headers['idempotency-key']).execute();
    const rerun = await claimAll(reviewer, more, headers);
    expect(rerun.statusCode, rerun.body).toBe(200);
    // Answered as the first claims (the workflow's answer to the same update id), not as claims of one's own already held.
    expect(rerun.json<Answer>().results.map((r) => [r.outcome, r.alreadyYours])).toEqual(more.map(() => ['claimed', false]));
    for (const caseId of more) expect(await claims(caseId)).toHaveLength(1);
  });

  it('refuses a list it cannot take with 400, in Chinese, at the item: none, too many, not ids, the same case twice, a take-over', async () => {
    const id = randomUUID();
    const cases: [unknown, string][] = [
      [{}, '要认领的办件：必须填写'],
      [{ caseIds: [] }, '要认领的办件：请至少选择 1 件'],
      [{ caseIds: Array.from({ length: 51 }, () => randomUUID()) }, '要认领的办件：一次最多认领 50 件，请分批认领'],
      [{ caseIds: [id, 'BA-2026-000001'] }, '要认领的办件第 2 项：办件编号格式不对'],
      [{ caseIds: [id, randomUUID(), id] }, '要认领的办件第 3 项：与第 1 项是同一件，每件只能选一次'],
      [{ caseIds: id }, '要认领的办件应为办件编号的列表'],
      // Bulk never takes over: it has no such field.
      [{ caseIds: [id], takeOver: true }, '不认识的字段「takeOver」'],
    ];
    for (const [body, said] of cases) {
      const response = await reviewer('POST', '/api/worklist/claims', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const { message } = response.json<{ message: string }>();
      expect(message, JSON.stringify(body)).toContain(said);
      if (!said.includes('takeOver')) expect(message, JSON.stringify(body)).not.toMatch(/[A-Za-z]/);
    }
  });
});

describe('how the claims are sent', () => {
  it('at most a few at a time, the answers in the order of the cases', async () => {
    let running = 0;
    let most = 0;
    const answers = await atMostAtOnce(Array.from({ length: 12 }, (_, i) => i), 5, async (i) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5 + ((i * 7) % 11)));
      running -= 1;
      return i * 10;
    });
    expect(most).toBe(5);
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => i * 10));
  });

  it('each case under an id of its own, the same again for a retry under the same Idempotency-Key', () => {
    const me = { accountId: 'demo-filing-reviewer' };
    const [a, b] = [randomUUID(), randomUUID()];
    const id = requestIdFor(me, 'key-0001', a);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestIdFor(me, 'key-0001', a)).toBe(id);
    expect(new Set([id, requestIdFor(me, 'key-0001', b), requestIdFor(me, 'key-0002', a), requestIdFor({ accountId: 'demo-filing-supervisor' }, 'key-0001', a)]).size).toBe(4);
    // No key: nothing to retry under, a fresh id each time.
    expect(requestIdFor(me, undefined, a)).not.toBe(requestIdFor(me, undefined, a));
  });
});
