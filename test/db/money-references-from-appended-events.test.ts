import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fromAppendedEvents from '../../db/migrations/2026-12-06T22-00_money-references-from-appended-events.js';
import { appendToStream } from '../../db/event-store.js';
import { moneyReferenceElsewhere } from '../../db/money-references.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { DomainError } from '../../domain/errors.js';
import { fundReviewer } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { event, history } from '../domain/chuying-loan.fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const repaid = event.repaidUnder;

async function append(caseId: string, events: ChuyingLoanEvent[], expectedVersion: number): Promise<void> {
  const stored = events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...fundReviewer }, correlationId: caseId, causationId: caseId } }));
  await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion, events: stored }, { now: () => new Date(), project: projectReadModels });
}

/** A loan disbursed under `disbursedAs`, with `after` in the same append: one row written from nothing to its last version. */
async function loan(n: number, disbursedAs: string, after: ChuyingLoanEvent[] = []): Promise<{ caseId: string; referenceNo: string }> {
  const caseId = randomUUID();
  const referenceNo = `CY-2026-70000${n}`;
  const [submitted, ...rest] = history.repaying;
  const opened = { ...submitted!, data: { ...(submitted!.data as object), caseId, referenceNo } } as ChuyingLoanEvent;
  const own = rest.map((e) => (e.type === 'LoanDisbursed' ? ({ ...e, data: { ...e.data, bankReference: disbursedAs } } as ChuyingLoanEvent) : e));
  await append(caseId, [opened, ...own, ...after], 0);
  return { caseId, referenceNo };
}

const versionOf = async (caseId: string) => Number((await database.db.selectFrom('cases').select('version').where('case_id', '=', caseId).executeTakeFirstOrThrow()).version);
const heldBy = (caseId: string) =>
  sql<{ reference_key: string; kind: string; reference: string }>`SELECT reference_key, kind, reference FROM money_references WHERE case_id = ${caseId} ORDER BY reference_key`.execute(database.db).then((r) => r.rows);
const triggers = (state: 'ENABLE' | 'DISABLE') =>
  sql.raw(`ALTER TABLE cases ${state} TRIGGER cases_money_references_added, ${state} TRIGGER cases_money_references_changed`).execute(database.ownerDb);

describe('migration 2026-12-06T22-00: the references a case row gains are read from the events it folds in', () => {
  it('holds every reference of a many-event append and of a single repayment, refuses each to another loan however typed, and lets a case repeat its own', async () => {
    const first = await loan(1, 'BANK-5001', [repaid('ICBC-5001'), repaid('ICBC-5002')]);
    expect(await heldBy(first.caseId)).toEqual([
      { reference_key: 'BANK5001', kind: 'disbursement', reference: 'BANK-5001' },
      { reference_key: 'ICBC5001', kind: 'repayment', reference: 'ICBC-5001' },
      { reference_key: 'ICBC5002', kind: 'repayment', reference: 'ICBC-5002' },
    ]);
    // Versions the row had already folded are not read again: the next repayment adds its one.
    await append(first.caseId, [repaid('ICBC-5003')], await versionOf(first.caseId));
    expect((await heldBy(first.caseId)).map((h) => h.reference)).toEqual(['BANK-5001', 'ICBC-5001', 'ICBC-5002', 'ICBC-5003']);

    const second = await loan(2, 'BANK-5002');
    const before = await versionOf(second.caseId);
    for (const [typed, recordedAs] of [['icbc 5002', 'ICBC-5002'], ['ＩＣＢＣ－５００３', 'ICBC-5003'], ['bank—5001', 'BANK-5001']] as const) {
      const refused = await append(second.caseId, [repaid(typed)], before).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ kind: 'conflict', code: 'bank-reference-used', message: expect.stringContaining(`已登记为办件 ${first.referenceNo}`), issues: [expect.objectContaining({ field: 'reference' })] });
      expect((refused as DomainError).message).toContain(`登记时写作 ${recordedAs}`);
    }
    expect(await versionOf(second.caseId)).toBe(before);
    // Refused at the disbursement's field when a new loan's first row brings it.
    const third = await loan(3, 'icbc-5001').catch((error: unknown) => error);
    expect(third).toMatchObject({ code: 'bank-reference-used', issues: [expect.objectContaining({ field: 'bankReference' })] });

    // The first loan's own reference again (a pair it recorded twice before the decider refused repeats) is not another case's.
    await append(first.caseId, [repaid('icbc 5001')], await versionOf(first.caseId));
    expect(await heldBy(first.caseId)).toHaveLength(4);
  });

  it('answers the look-up from the held references: a key two loans recorded before the table is the holder’s own, as the append lets it be', async () => {
    const holder = await loan(4, 'BANK-6001', [repaid('ICBC-6001')]);
    // A second loan that recorded the same transfer before the table held references (its triggers off, as before the migration).
    await triggers('DISABLE');
    const twin = await loan(5, 'BANK-6002', [repaid('icbc 6001')]).finally(() => triggers('ENABLE'));
    expect(await heldBy(twin.caseId)).toEqual([]);

    // The holder repeating its own: neither the look-up nor the append names the twin.
    expect(await moneyReferenceElsewhere(database.db, { caseId: holder.caseId, reference: 'ICBC-6001' })).toBeNull();
    await append(holder.caseId, [repaid('ICBC 6001')], await versionOf(holder.caseId));
    // Anyone else is told who holds it.
    expect(await moneyReferenceElsewhere(database.db, { caseId: twin.caseId, reference: 'ICBC6001' })).toEqual({ caseId: holder.caseId, referenceNo: holder.referenceNo, kind: 'repayment', reference: 'ICBC-6001' });
    expect(await moneyReferenceElsewhere(database.db, { caseId: randomUUID(), reference: 'bank 6001' })).toMatchObject({ caseId: holder.caseId, kind: 'disbursement' });
    expect(await moneyReferenceElsewhere(database.db, { caseId: randomUUID(), reference: 'BANK-6003' })).toBeNull();
  });

  it('goes down to the state-reading trigger, which still refuses, and up again', async () => {
    const { ownerDb } = database;
    await fromAppendedEvents.down(ownerDb);
    const before = await loan(6, 'BANK-7001', [repaid('ICBC-7001')]);
    const refusedBefore = await loan(7, 'bank 7001').catch((error: unknown) => error);
    expect(refusedBefore).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(before.referenceNo) });
    await fromAppendedEvents.up(ownerDb);
    const refusedAfter = await append(before.caseId, [repaid('ICBC-7002')], await versionOf(before.caseId)).then(() => loan(8, 'BANK-7003', [repaid('icbc—7002')])).catch((error: unknown) => error);
    expect(refusedAfter).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining(before.referenceNo) });
  });
});
