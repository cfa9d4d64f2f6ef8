import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildAndCompare } from '../../audit/read-model-drift.js';
import * as budgetMovementsInAppend from '../../db/migrations/2026-12-03T02-00_budget-movements-in-append.js';
import { CHUYING_FUND_BUDGET_FEN, commitBudget, readCallLedger, recomputeCallLedger } from '../../db/budget-ledger.js';
import { createDb, type Db } from '../../db/client.js';
import { appendToStream, type Projection } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import { decideCall, decideCallOpening } from '../../domain/calls/decide.js';
import type { CallEvent } from '../../domain/calls/events.js';
import { CHUYING_FUND_CALL_ID, type BudgetMovement } from '../../domain/calls/ledger.js';
import { parseShanghaiDateTime } from '../../domain/calls/shanghai-time.js';
import { foldCall } from '../../domain/calls/state.js';
import { DomainError } from '../../domain/errors.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { yangpuApprover, yangpuReviewer } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { countEvents, fixedClock, newEvent } from './support.js';

/** 50,000.00: one award. */
const UNIT = 5_000_000;
const NOW = '2026-09-01T02:00:00.000Z';
const AWARD_STREAM = 'test-award';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/**
 * The system's own projection (which applies every event's budget movements, whatever its stream
 * type), with a pause that holds the call row's lock a moment, so that concurrent commits really queue on it.
 */
const project: Projection = async (trx, streamType, events) => {
  await projectReadModels(trx, streamType, events);
  if (streamType === AWARD_STREAM) await sql`SELECT pg_sleep(0.02)`.execute(trx);
};

async function appendCall(db: Db, callId: string, expectedVersion: number, events: CallEvent[]) {
  await appendToStream(
    db,
    { streamId: callId, streamType: 'call', expectedVersion, events: events.map((e) => newEvent(e.type, e.data as Record<string, unknown>)) },
    { now: fixedClock(NOW), project: projectReadModels },
  );
}

/** A call of `budgetFen`, opened by one official and its budget approved by another. */
let callsOpened = 0;
const PERIOD = 60 * 24 * 60 * 60 * 1000;

async function approvedCall(budgetFen: number, quota?: number): Promise<string> {
  const callId = randomUUID();
  const now = Date.parse(NOW);
  const opened = decideCallOpening(
    {
      type: 'OpenCall',
      callId,
      referenceNo: `PC-2026-${callId.slice(0, 6)}`,
      programmeId: 'yangpu-content-award',
      catalogueVersion: CATALOGUE_VERSION,
      title: '2026 年度杨浦优质内容评选',
      // A programme takes one call at a time: each call of this file has a period of its own.
      opensAt: parseShanghaiDateTime('2026-09-20T09:00') + callsOpened * PERIOD,
      closesAt: parseShanghaiDateTime('2026-10-31T17:00') + callsOpened++ * PERIOD,
      budgetFen,
      mode: 'first-come',
      ...(quota ? { quota } : {}),
    },
    { actor: yangpuReviewer, now },
  );
  await appendCall(database.db, callId, 0, opened);
  await appendCall(database.db, callId, 1, decideCall({ type: 'ApproveCallBudget' }, foldCall(opened), { actor: yangpuApprover, now }));
  return callId;
}

/** An award case's event that commits `amountFen` of the call's budget, appended in its own transaction; `withinQuota` as an approval in a call now decides it. */
const commitAward = (db: Db, callId: string, caseId: string, amountFen: number, options: { withinQuota?: true } = {}) =>
  appendToStream(
    db,
    { streamId: caseId, streamType: AWARD_STREAM, expectedVersion: 0, events: [newEvent('AwardGranted', { amountFen, budgetMovements: [{ callId, kind: 'commit', amountFen, ...options } satisfies BudgetMovement] })] },
    { now: fixedClock(NOW), project },
  );

describe('the budget ledger under concurrency (real PostgreSQL)', () => {
  it('fifty simultaneous approvals of one unit against a budget of ten commit exactly ten; the rest are refused naming what remains', async () => {
    const callId = await approvedCall(10 * UNIT);
    // Each approval on a connection of its own, all at once.
    const wide = createDb(database.appUrl, { max: 50 });
    try {
      const caseIds = Array.from({ length: 50 }, () => randomUUID());
      const results = await Promise.allSettled(caseIds.map((caseId) => commitAward(wide, callId, caseId, UNIT)));
      const committed = caseIds.filter((_, i) => results[i]!.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      expect(committed).toHaveLength(10);
      expect(refused).toHaveLength(40);
      for (const error of refused) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).kind).toBe('conflict');
        expect((error as DomainError).message).toBe('本批次预算剩余 0.00 元，不足以核定 50,000.00 元');
      }
      // A refused approval recorded nothing at all: no event, no commitment.
      const refusedIds = caseIds.filter((id) => !committed.includes(id));
      expect(await Promise.all(refusedIds.map((id) => countEvents(database.db, id)))).toEqual(refusedIds.map(() => 0));
      const commitments = await sql<{ n: number }>`SELECT count(*)::int AS n FROM budget_commitments WHERE call_id = ${callId}`.execute(database.db);
      expect(commitments.rows[0]!.n).toBe(10);
    } finally {
      await wide.destroy();
    }

    const ledger = await readCallLedger(database.db, callId);
    expect(ledger).toMatchObject({ budgetFen: 10 * UNIT, budgetApproved: true, committedFen: 10 * UNIT, remainingFen: 0 });
    // The ledger always equals the sum of its events.
    expect(await recomputeCallLedger(database.db, callId)).toEqual(ledger);
  });

  it("ten simultaneous approvals in a call of two places commit two; a withdrawn award's place is taken again; earlier approvals are not counted against it", async () => {
    const callId = await approvedCall(100 * UNIT, 2);
    const wide = createDb(database.appUrl, { max: 10 });
    let committed: string[] = [];
    try {
      const caseIds = Array.from({ length: 10 }, () => randomUUID());
      const results = await Promise.allSettled(caseIds.map((caseId) => commitAward(wide, callId, caseId, UNIT, { withinQuota: true })));
      committed = caseIds.filter((_, i) => results[i]!.status === 'fulfilled');
      expect(committed).toHaveLength(2);
      for (const result of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect(result.reason).toBeInstanceOf(DomainError);
        expect((result.reason as DomainError).message).toBe('本批次名额 2 个已满（已有 2 项获批且未撤销），不能再批准：如确需增加名额，请先修改批次的名额');
      }
    } finally {
      await wide.destroy();
    }
    // The same approval again (a retried append) is still the same one commitment, not a third place.
    await database.db.transaction().execute(async (trx) => {
      expect((await commitBudget(trx, { callId, caseId: committed[0]!, amountFen: UNIT })).committed).toBe(false);
    });
    // An award withdrawn gives its place back.
    await appendToStream(database.db, { streamId: committed[0]!, streamType: AWARD_STREAM, expectedVersion: 1, events: [newEvent('AwardWithdrawn', { budgetMovements: [{ callId, kind: 'release', amountFen: UNIT } satisfies BudgetMovement] })] }, { now: fixedClock(NOW), project });
    await commitAward(database.db, callId, randomUUID(), UNIT, { withinQuota: true });
    await expect(commitAward(database.db, callId, randomUUID(), UNIT, { withinQuota: true })).rejects.toThrow('名额 2 个已满');
    // A commitment recorded before places were counted (no flag) replays as it was accepted.
    await commitAward(database.db, callId, randomUUID(), UNIT);
    expect(await readCallLedger(database.db, callId)).toMatchObject({ committedFen: 3 * UNIT });
  });

  it('refuses naming the exact remainder; the same commitment again is a no-op, another amount for the case a conflict', async () => {
    const callId = await approvedCall(5_000_000);
    await commitAward(database.db, callId, randomUUID(), 3_800_000);
    await expect(commitAward(database.db, callId, randomUUID(), 5_000_000)).rejects.toThrow('本批次预算剩余 12,000.00 元，不足以核定 50,000.00 元');

    const caseId = randomUUID();
    await commitAward(database.db, callId, caseId, 1_000_000);
    // A projection run twice for one approval (a rebuild, a retried transaction) commits once.
    await database.db.transaction().execute(async (trx) => {
      const again = await commitBudget(trx, { callId, caseId, amountFen: 1_000_000 });
      expect(again.committed).toBe(false);
      await expect(commitBudget(trx, { callId, caseId, amountFen: 200_000 })).rejects.toThrow('不能再核定');
    });
    expect(await readCallLedger(database.db, callId)).toMatchObject({ committedFen: 4_800_000, remainingFen: 200_000 });

    // Paid out on the award's case; part of it recovered by a 追回 case, against the award's commitment.
    const movement = (m: BudgetMovement) => ({ budgetMovements: [m] });
    await appendToStream(database.db, { streamId: caseId, streamType: AWARD_STREAM, expectedVersion: 1, events: [newEvent('PayoutIssued', movement({ callId, kind: 'pay', amountFen: 1_000_000 }))] }, { now: fixedClock(NOW), project });
    const recovery = randomUUID();
    await appendToStream(database.db, { streamId: recovery, streamType: 'recovery-stand-in', expectedVersion: 0, events: [newEvent('RecoveryPaymentRecorded', movement({ callId, kind: 'recover', amountFen: 300_000, caseId }))] }, { now: fixedClock(NOW), project });
    // A call's budget is not refilled by what comes back (only the revolving pool is).
    expect(await readCallLedger(database.db, callId)).toMatchObject({ committedFen: 4_800_000, paidFen: 1_000_000, recoveredFen: 300_000, remainingFen: 200_000 });
    // Recovering against a case that has no commitment on the call is refused, and records nothing.
    await expect(
      appendToStream(database.db, { streamId: randomUUID(), streamType: 'recovery-stand-in', expectedVersion: 0, events: [newEvent('RecoveryPaymentRecorded', movement({ callId, kind: 'recover', amountFen: 1 }))] }, { now: fixedClock(NOW), project }),
    ).rejects.toThrow('没有核定的预算');
    expect(await recomputeCallLedger(database.db, callId)).toEqual(await readCallLedger(database.db, callId));
  });

  it('a budget cut below what is committed is refused in the appending transaction; above it, it stands and awaits approval', async () => {
    const callId = await approvedCall(10_000_000);
    await commitAward(database.db, callId, randomUUID(), 6_000_000);
    const cut = (budgetFen: number): CallEvent => ({ type: 'CallChanged', data: { changes: { budgetFen }, by: { accountId: yangpuReviewer.accountId, displayName: yangpuReviewer.displayName }, changedAt: NOW, budgetAwaitsApproval: true } });
    await expect(appendCall(database.db, callId, 2, [cut(5_000_000)])).rejects.toThrow('本批次已核定 60,000.00 元，预算不能调减至 50,000.00 元');
    await appendCall(database.db, callId, 2, [cut(7_000_000)]);
    expect(await readCallLedger(database.db, callId)).toMatchObject({ budgetFen: 7_000_000, budgetApproved: false, committedFen: 6_000_000 });
    // An approval while the new budget awaits approval is refused.
    await expect(commitAward(database.db, callId, randomUUID(), 100)).rejects.toThrow('尚未批准');
    expect(await recomputeCallLedger(database.db, callId)).toEqual(await readCallLedger(database.db, callId));
  });

  it('the 雏鹰 pool revolves: a loan draws it down, its disbursement is paid, its repayments refill it', async () => {
    const caseId = randomUUID();
    const movements = (list: BudgetMovement[]) => ({ budgetMovements: list });
    const loanEvent = (type: string, data: Record<string, unknown>, version: number) =>
      appendToStream(database.db, { streamId: caseId, streamType: AWARD_STREAM, expectedVersion: version, events: [newEvent(type, data)] }, { now: fixedClock(NOW), project });
    expect(await readCallLedger(database.db, CHUYING_FUND_CALL_ID)).toMatchObject({ budgetFen: CHUYING_FUND_BUDGET_FEN, committedFen: 0, revolving: true });
    await loanEvent('FundingApproved', movements([{ callId: CHUYING_FUND_CALL_ID, kind: 'commit', amountFen: 50_000_000 }]), 0);
    await loanEvent('DisbursementRecorded', movements([{ callId: CHUYING_FUND_CALL_ID, kind: 'pay', amountFen: 50_000_000 }]), 1);
    await loanEvent('RepaymentRecorded', movements([{ callId: CHUYING_FUND_CALL_ID, kind: 'recover', amountFen: 1_388_889 }]), 2);
    const pool = await readCallLedger(database.db, CHUYING_FUND_CALL_ID);
    expect(pool).toMatchObject({ committedFen: 50_000_000 - 1_388_889, paidFen: 50_000_000, recoveredFen: 1_388_889, remainingFen: CHUYING_FUND_BUDGET_FEN - 50_000_000 + 1_388_889 });
    expect(await recomputeCallLedger(database.db, CHUYING_FUND_CALL_ID)).toEqual(pool);
  });

  it("a repayment never waits for the pool's row: with that row locked, repayments of a loan are appended and counted", async () => {
    const caseId = randomUUID();
    const loanEvent = (type: string, movement: BudgetMovement, version: number) =>
      appendToStream(
        database.db,
        { streamId: caseId, streamType: AWARD_STREAM, expectedVersion: version, events: [newEvent(type, { budgetMovements: [movement] })] },
        // The system's projection as appends use it: its writes travel in the append's one statement.
        { now: fixedClock(NOW), project: projectReadModels },
      );
    await loanEvent('FundingApproved', { callId: CHUYING_FUND_CALL_ID, kind: 'commit', amountFen: 10_000_000 }, 0);
    await loanEvent('DisbursementRecorded', { callId: CHUYING_FUND_CALL_ID, kind: 'pay', amountFen: 10_000_000 }, 1);
    const before = (await readCallLedger(database.db, CHUYING_FUND_CALL_ID))!;

    // Another transaction holds the pool's row (as an approval of another loan would, until it commits).
    const holder = createDb(database.url, { max: 1 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.transaction().execute(async (trx) => {
      await sql`SELECT 1 FROM calls WHERE call_id = ${CHUYING_FUND_CALL_ID} FOR UPDATE`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    try {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the repayment waited for the pool row')), 5_000)));
      await Promise.race([loanEvent('RepaymentRecorded', { callId: CHUYING_FUND_CALL_ID, kind: 'recover', amountFen: 1_000_000 }, 2), waited]).finally(() => clearTimeout(timer));
      await loanEvent('RepaymentRecorded', { callId: CHUYING_FUND_CALL_ID, kind: 'recover', amountFen: 1_000_000 }, 3);
    } finally {
      release();
      await holding;
      await holder.destroy();
    }
    const after = (await readCallLedger(database.db, CHUYING_FUND_CALL_ID))!;
    expect(after).toMatchObject({ recoveredFen: before.recoveredFen + 2_000_000, committedFen: before.committedFen - 2_000_000, remainingFen: before.remainingFen + 2_000_000 });
    expect(await recomputeCallLedger(database.db, CHUYING_FUND_CALL_ID)).toEqual(after);
  });

  it('migration 2026-12-03T02-00 keeps every ledger as it was: a pool partly repaid and a loan repaid in full', async () => {
    const full = randomUUID();
    const append = (streamId: string, version: number, movement: BudgetMovement) =>
      appendToStream(database.db, { streamId, streamType: AWARD_STREAM, expectedVersion: version, events: [newEvent('Moved', { budgetMovements: [movement] })] }, { now: fixedClock(NOW), project: projectReadModels });
    await append(full, 0, { callId: CHUYING_FUND_CALL_ID, kind: 'commit', amountFen: 3_000_000 });
    await append(full, 1, { callId: CHUYING_FUND_CALL_ID, kind: 'pay', amountFen: 3_000_000 });
    await append(full, 2, { callId: CHUYING_FUND_CALL_ID, kind: 'recover', amountFen: 2_000_000 });
    await append(full, 3, { callId: CHUYING_FUND_CALL_ID, kind: 'recover', amountFen: 1_500_000 });
    const ledger = await readCallLedger(database.db, CHUYING_FUND_CALL_ID);
    const commitments = await database.db.selectFrom('budget_commitments').select(['case_id', 'committed_fen', 'paid_fen', 'recovered_fen', 'released_fen', 'refilled_fen']).orderBy('case_id').execute();

    // As the database was before: the call's row carried paid, recovered and the refills.
    await budgetMovementsInAppend.down(database.ownerDb);
    const { rows: old } = await sql<{ committed_fen: number; paid_fen: number; recovered_fen: number }>`SELECT committed_fen, paid_fen, recovered_fen FROM calls WHERE call_id = ${CHUYING_FUND_CALL_ID}`.execute(database.db);
    expect(old[0]).toMatchObject({ committed_fen: ledger!.committedFen, paid_fen: ledger!.paidFen, recovered_fen: ledger!.recoveredFen });
    await budgetMovementsInAppend.up(database.ownerDb);
    expect(await readCallLedger(database.db, CHUYING_FUND_CALL_ID)).toEqual(ledger);
    expect(await database.db.selectFrom('budget_commitments').select(['case_id', 'committed_fen', 'paid_fen', 'recovered_fen', 'released_fen', 'refilled_fen']).orderBy('case_id').execute()).toEqual(commitments);
  });

  it("the auditor's rebuild reproduces calls and commitments from the events alone", async () => {
    // The system's projection alone: nothing this file added is needed to rebuild the ledger.
    const report = await rebuildAndCompare(database.db);
    expect(report.drift).toEqual([]);
    expect(report.intact).toBe(true);
    expect(report.tables.map((t) => t.table)).toEqual(expect.arrayContaining(['calls', 'budget_commitments']));
  });
});
