import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as termsOpenedUnder from '../../db/migrations/2026-12-03T03-00_terms-opened-under.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ApplicationEvent, WorkingDayWindow } from '../../domain/applications/events.js';
import type { ApplicationTerms } from '../../domain/applications/terms.js';
import { endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { applicant } from '../support/actors.js';
import { FACTS, termsOf } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: parseLocalDate('2026-09-30'), lastWorkingDay: parseLocalDate('2026-10-13'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2026-10-13'))).toISOString(), provisional: false };

function submitted(caseId: string, terms: ApplicationTerms): ApplicationEvent {
  const facts = FACTS['huangpu-creator-reward']!;
  return {
    type: 'ApplicationSubmitted',
    data: {
      caseId,
      referenceNo: `AP-2026-${caseId.slice(0, 6)}`,
      applicant: { accountId: applicant.accountId, displayName: applicant.displayName },
      terms,
      facts,
      details: { title: '申请', summary: '说明' },
      requestedAmountFen: facts.requestedAmountFen ?? null,
      maxAmountFen: terms.amount.kind === 'cap' ? terms.amount.capFen : null,
      amountRule: 'rule',
      submittedAt: '2026-09-30T02:00:00.000Z',
      submittedOn: parseLocalDate('2026-09-30'),
      completeness: WINDOW,
    },
  };
}

describe('migration 2026-12-03T03-00: the terms a case opened under, on rows projected before (issue 15)', () => {
  it('writes into each older application row what the projection now writes, for the catalogue’s own terms and for a published version', async () => {
    const { db, ownerDb } = database;
    const catalogueTerms = termsOf('huangpu-creator-reward');
    const publishedTerms: ApplicationTerms = {
      ...catalogueTerms,
      termsVersion: { version: 2, effectiveFrom: parseLocalDate('2026-09-01'), draftedBy: 'acct-a', approvedBy: 'acct-b', conditions: {}, requiredDocuments: [] },
    } as ApplicationTerms;
    const cases = [randomUUID(), randomUUID()];
    for (const [i, terms] of [catalogueTerms, publishedTerms].entries()) {
      const caseId = cases[i]!;
      const event = submitted(caseId, terms);
      await appendToStream(
        db,
        { streamId: caseId, streamType: 'application', expectedVersion: 0, events: [{ eventId: randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { actor: applicant, correlationId: caseId, causationId: caseId } }] },
        { now: () => new Date(), project: projectReadModels },
      );
    }
    const details = async () => (await db.selectFrom('cases').select(['case_id', 'details']).where('case_id', 'in', cases).orderBy('case_id').execute()).map((r) => r.details as Record<string, unknown>);
    const projected = await details();
    expect(projected.map((d) => d.termsOpenedUnder).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { programmeId: 'huangpu-creator-reward', catalogueVersion: catalogueTerms.catalogueVersion, version: 0, effectiveFrom: null },
      { programmeId: 'huangpu-creator-reward', catalogueVersion: catalogueTerms.catalogueVersion, version: 2, effectiveFrom: '2026-09-01' },
    ]);

    // As rows projected before the change: without it. The migration writes it back exactly.
    await termsOpenedUnder.down(ownerDb);
    expect((await details()).every((d) => !('termsOpenedUnder' in d))).toBe(true);
    await termsOpenedUnder.up(ownerDb);
    expect(await details()).toEqual(projected);
    // Run again, it changes nothing.
    await termsOpenedUnder.up(ownerDb);
    expect(await details()).toEqual(projected);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases WHERE case_type <> 'application' AND details ? 'termsOpenedUnder'`.execute(db)).rows[0]!.n)).toBe(0);
  });
});
