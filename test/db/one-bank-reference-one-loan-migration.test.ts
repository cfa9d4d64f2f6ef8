import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oneBankReferenceOneLoan from '../../db/migrations/2026-12-05T14-00_one-bank-reference-one-loan.js';
import { appendToStream } from '../../db/event-store.js';
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

/** A repaying loan (disbursed under `disbursedAs`) with these events after, appended through the projections. */
async function loan(n: number, disbursedAs: string, after: ChuyingLoanEvent[] = []): Promise<string> {
  const caseId = randomUUID();
  const [submitted, ...rest] = history.repaying;
  const opened = { ...submitted!, data: { ...(submitted!.data as object), caseId, referenceNo: `CY-2026-80000${n}` } } as ChuyingLoanEvent;
  const own = rest.map((e) => (e.type === 'LoanDisbursed' ? ({ ...e, data: { ...e.data, bankReference: disbursedAs } } as ChuyingLoanEvent) : e));
  await append(caseId, [opened, ...own, ...after], 0);
  return caseId;
}

async function append(caseId: string, events: ChuyingLoanEvent[], expectedVersion: number): Promise<void> {
  const stored = events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { actor: { ...fundReviewer }, correlationId: caseId, causationId: caseId } }));
  await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion, events: stored }, { now: () => new Date(), project: projectReadModels });
}

const held = () => database.db.selectFrom('money_references' as never).selectAll().orderBy('reference_key' as never).execute() as Promise<{ reference_key: string; case_id: string; kind: string; reference: string }[]>;

describe('migration 2026-12-05T14-00: one bank reference, one loan, held by the database', () => {
  it('enters the references of loans recorded before, the first loan keeping a key two recorded; then refuses a key another loan holds, in the appending transaction', async () => {
    const { ownerDb } = database;
    await oneBankReferenceOneLoan.down(ownerDb);
    // Before: two loans could record one transfer (each passed the look-up at the same moment).
    const first = await loan(1, 'BANK-0001', [repaid('ICBC-1')]);
    const second = await loan(2, 'bank 0001', [repaid('ICBC1'), repaid('ICBC-2')]);
    await oneBankReferenceOneLoan.up(ownerDb);

    expect(await held()).toEqual([
      { reference_key: 'BANK0001', case_id: first, kind: 'disbursement', reference: 'BANK-0001' },
      { reference_key: 'ICBC1', case_id: first, kind: 'repayment', reference: 'ICBC-1' },
      { reference_key: 'ICBC2', case_id: second, kind: 'repayment', reference: 'ICBC-2' },
    ]);
    const versionOf = async (caseId: string) => Number((await database.db.selectFrom('cases').select('version').where('case_id', '=', caseId).executeTakeFirstOrThrow()).version);

    // The second loan records on with a new reference of its own, though it holds a key the first loan keeps (only what a write adds is checked).
    await append(second, [repaid('ICBC-3')], await versionOf(second));
    // Another loan's key is refused, however typed, and nothing is appended.
    const before = { first: await versionOf(first), second: await versionOf(second) };
    const again = await append(second, [repaid('icbc—1')], before.second).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(DomainError);
    expect(again).toMatchObject({ kind: 'conflict', code: 'bank-reference-used', message: expect.stringContaining('已登记为办件 CY-2026-800001 的还款（登记时写作 ICBC-1）') });
    const taken = await append(first, [repaid('ICBC 3')], before.first).catch((error: unknown) => error);
    expect(taken).toMatchObject({ kind: 'conflict', code: 'bank-reference-used', message: expect.stringContaining('已登记为办件 CY-2026-800002 的还款（登记时写作 ICBC-3）') });
    expect({ first: await versionOf(first), second: await versionOf(second) }).toEqual(before);

    // A new loan disbursed under a held key is refused at its first row.
    const third = await loan(3, 'BANK—0001').catch((error: unknown) => error);
    expect(third).toMatchObject({ code: 'bank-reference-used', message: expect.stringContaining('已登记为办件 CY-2026-800001 的放款（登记时写作 BANK-0001）') });
  });
});
