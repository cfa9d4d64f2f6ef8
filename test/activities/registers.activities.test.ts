import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegisterActivities } from '../../activities/registers.activities.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const lookUp = (dramaFilingNo: string) =>
  createRegisterActivities({ db: database.db }).lookUpRegisterFacts({
    catalogueVersion: CATALOGUE_VERSION,
    programmeId: 'drama-excellent-project',
    facts: { applicantKind: 'drama-producer', requestedAmountFen: 100_000_000, dramaFilingNo, promotesCityImage: false },
    keys: { applicantAccountId: 'demo-applicant' },
    on: parseLocalDate('2026-12-06'),
  });

describe('the workflow’s register look-up, with a 微短剧备案号', () => {
  it('answers a number of the system’s format that no filing has with the refusal, at its field, recorded in the case’s history', async () => {
    const answer = await lookUp('BA-2099-999999');
    expect(answer).toMatchObject({ ok: false, message: expect.stringContaining('本系统没有备案号为 BA-2099-999999 的微短剧备案') });
    expect(answer.ok ? [] : answer.issues).toEqual([expect.objectContaining({ field: 'facts.dramaFilingNo', code: 'drama-filing-not-found' })]);
  });

  it('leaves a number filed elsewhere as the applicant’s claim', async () => {
    const answer = await lookUp('沪剧备2026-001');
    expect(answer).toMatchObject({ ok: true, sources: { dramaFilingNo: { source: 'claimed' } } });
  });
});
