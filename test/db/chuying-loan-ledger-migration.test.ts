import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as chuyingLoanClaims from '../../db/migrations/2026-12-03T00-50_chuying-loan-claims.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('migration 2026-12-03T00-50: 雏鹰 loans in the awards ledger (issue 14)', () => {
  it('writes an approved loan under its company, and the migration writes the same row for loans approved before it', async () => {
    const { db, ownerDb } = database;
    const history = new ChuyingHistory();
    history.fullLife(1);
    await appendToStream(db, { streamId: history.caseId, streamType: 'chuying-loan', expectedVersion: 0, events: asNewEvents(history.decided, history.caseId) }, { now: () => new Date(), project: projectReadModels });
    const projected = await db.selectFrom('awards').selectAll().where('case_id', '=', history.caseId).execute();
    expect(projected).toEqual([
      expect.objectContaining({
        award_id: `LOAN-${history.caseId}`,
        programme_id: 'chuying-loan',
        item_id: `company:${history.state.company!.unifiedSocialCreditCode}`,
        amount_fen: 36_000_000,
        recovered_fen: 0,
      }),
    ]);

    // As a database whose loans were approved before the ledger held them.
    await chuyingLoanClaims.down(ownerDb);
    expect(await db.selectFrom('awards').selectAll().where('case_id', '=', history.caseId).execute()).toEqual([]);
    await chuyingLoanClaims.up(ownerDb);
    expect(await db.selectFrom('awards').selectAll().where('case_id', '=', history.caseId).execute()).toEqual(projected);
  });
});
