import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAsOf, caseDiff, caseStream } from '../../audit/case-history.js';
import { parseInstant } from '../../audit/instants.js';
import { appendToStream, readStream } from '../../db/event-store.js';
import { CASE_FOLDS } from '../../cases/registry.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { DomainError } from '../../domain/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { fixedClock, newEvent, tamperAsSuperuser } from '../db/support.js';
import { checkpointNow, LoanCase, testKey } from './support.js';
import { recomputedHash } from '../../db/hash-chain.js';
import { applicant, fundReviewer } from '../support/actors.js';

let database: TestDatabase;
let loan: LoanCase;

beforeAll(async () => {
  database = await createTestDatabase();
  loan = await new LoanCase(database.db).toApproval();
});
afterAll(async () => {
  await database?.drop();
});

const at = (text: string) => parseInstant(text)!;
/** The state the live fold gives for the first n events, as JSON (what the API returns). */
const foldedAfter = (n: number) => JSON.parse(JSON.stringify(foldChuyingLoan(loan.domainEvents.slice(0, n) as ChuyingLoanEvent[])));

describe('a case as of a version', () => {
  it('tells apart events recorded at the same instant, which an instant cannot', async () => {
    const together = await new LoanCase(database.db).submit('2026-03-02T02:00:00.000Z');
    await together.act(fundReviewer, { type: 'AcceptMaterials' }, '2026-03-02T02:00:00.000Z');
    expect((await caseAsOf(database.db, together.caseId, at('2026-03-02T02:00:00Z'))).version).toBe(2);
    const first = await caseAsOf(database.db, together.caseId, { version: 1 });
    expect(first).toMatchObject({ version: 1, laterEvents: 1, lastEvent: { version: 1 }, at: { utc: '2026-03-02T02:00:00.000Z' } });
    expect(JSON.parse(JSON.stringify(first.state))).toEqual(JSON.parse(JSON.stringify(foldChuyingLoan(together.domainEvents.slice(0, 1) as ChuyingLoanEvent[]))));
    expect(await caseAsOf(database.db, together.caseId, { version: 0 })).toMatchObject({ existed: false, version: 0 });
    const diff = await caseDiff(database.db, together.caseId, { version: 1 }, { version: 2 });
    expect(diff.events.map((e) => e.type)).toEqual(['MaterialsAccepted']);
    await expect(caseDiff(database.db, together.caseId, { version: 2 }, { version: 1 })).rejects.toThrow('起始版本（第 2 版）晚于结束版本（第 1 版）');
    // A version the case never reached is refused, not read as its last.
    await expect(caseAsOf(database.db, together.caseId, { version: 999 })).rejects.toThrow('本案件共 2 版，没有第 999 版');
  });
});

describe('a 补正 as of any moment', () => {
  it('shows what was asked and the day to answer by while it is open, and with the answer after it was answered', async () => {
    const asked = await new LoanCase(database.db).submit('2026-03-02T02:00:00.000Z');
    await asked.act(fundReviewer, { type: 'RequestSupplement', missingItems: ['营业执照副本', '项目预算表'] }, '2026-03-03T02:00:00.000Z');
    const responses = [
      { item: '营业执照副本', response: '已上传清晰扫描件' },
      { item: '项目预算表', response: '见补充说明' },
    ];
    await asked.act(applicant, { type: 'ProvideSupplement', responses }, '2026-03-06T02:00:00.000Z');
    await asked.act(fundReviewer, { type: 'AcceptMaterials' }, '2026-03-09T02:00:00.000Z');
    const request = asked.domainEvents[1]!;
    if (request.type !== 'SupplementRequested') throw new Error('the second event is the 补正 request');
    const round = {
      round: 1,
      requestedInVersion: 2,
      requestedAt: '2026-03-03T02:00:00.000Z',
      requestedBy: { accountId: fundReviewer.accountId, displayName: '王审查' },
      missingItems: ['营业执照副本', '项目预算表'],
      replyDueOn: request.data.replyDueOn,
      replyDueMoves: [],
    };

    // Open: asked, not yet answered (the state shows it too).
    const open = await caseAsOf(database.db, asked.caseId, at('2026-03-04T12:00:00+08:00'));
    expect(open.state).toMatchObject({ status: 'awaiting-supplement', supplement: { missingItems: ['营业执照副本', '项目预算表'] } });
    expect(open.supplements).toEqual([{ ...round, provisional: false, answer: null }]);

    // Answered, and later accepted: the state has let the request go, the as-of view keeps what was asked and what was answered.
    const answer = { version: 3, providedAt: '2026-03-06T02:00:00.000Z', by: { accountId: applicant.accountId, displayName: applicant.displayName }, responses: responses.map((r) => ({ ...r, documents: [] })) };
    for (const moment of [{ version: 3 }, { version: 4 }, at('2026-03-20')]) {
      const later = await caseAsOf(database.db, asked.caseId, moment);
      expect((later.state as { supplement?: unknown }).supplement).toBeUndefined();
      expect(later.supplements).toEqual([{ ...round, provisional: false, answer }]);
    }
    // Before the request: nothing asked yet.
    expect((await caseAsOf(database.db, asked.caseId, { version: 1 })).supplements).toEqual([]);
  });
});

describe('a case as of an instant', () => {
  it('folds the events recorded by then with the live evolve', async () => {
    // 3 March, 12:00 in Shanghai: submitted (2 March) and accepted (3 March 10:00), not yet reviewed.
    const report = await caseAsOf(database.db, loan.caseId, at('2026-03-03T12:00:00+08:00'));
    expect(report).toMatchObject({ caseType: 'chuying-loan', existed: true, version: 2, laterEvents: 2, at: { utc: '2026-03-03T04:00:00.000Z', shanghai: '2026-03-03T12:00:00+08:00' } });
    expect(JSON.parse(JSON.stringify(report.state))).toEqual(foldedAfter(2));
    expect(report.state).toMatchObject({ status: 'compliance-review', reviewerIds: ['acct-fund-reviewer'] });
    expect(report.lastEvent).toMatchObject({ version: 2, type: 'MaterialsAccepted', actor: { displayName: '王审查', role: 'official', department: 'yangpu-fund' } });
  });

  it('includes an event recorded at exactly the instant, and reads a date as the whole of that Shanghai day', async () => {
    expect((await caseAsOf(database.db, loan.caseId, at('2026-03-04T02:00:00Z'))).version).toBe(3);
    expect((await caseAsOf(database.db, loan.caseId, at('2026-03-04T01:59:59.999Z'))).version).toBe(2);
    const onTheFifth = await caseAsOf(database.db, loan.caseId, at('2026-03-05'));
    expect(onTheFifth.version).toBe(4);
    expect(onTheFifth.state).toMatchObject({ status: 'awaiting-disbursement', approvedAmountFen: 36_000_000 });
  });

  it('says the case did not exist yet before its first event', async () => {
    expect(await caseAsOf(database.db, loan.caseId, at('2026-03-01'))).toMatchObject({ existed: false, version: 0, state: null, lastEvent: null, laterEvents: 4 });
  });

  it('refuses an unknown case, and a stream with no registered fold, naming the types that have one', async () => {
    await expect(caseAsOf(database.db, '00000000-0000-4000-8000-000000000000', new Date())).rejects.toMatchObject({ kind: 'not-found' });
    const streamId = '99999999-0000-4000-8000-000000000009';
    await appendToStream(database.db, { streamId, streamType: 'unfolded-thing', expectedVersion: 0, events: [newEvent('Noted', {})] }, { now: fixedClock('2026-03-01T00:00:00Z') });
    const refusal = await caseAsOf(database.db, streamId, new Date()).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    // In Chinese for the auditor (the CLI prints the message), in English for the logs.
    expect((refusal as DomainError).message).toContain('事件流 99999999-0000-4000-8000-000000000009 记录的是 unfolded-thing 事件，而 unfolded-thing 没有登记案件推演');
    expect((refusal as DomainError).message).toContain('chuying-loan');
    expect((refusal as DomainError).english).toContain('no case fold is registered for unfolded-thing');
  });

  it('works for any case type through the registry of folds', async () => {
    CASE_FOLDS['audit-test-tally'] = {
      initial: () => ({ total: 0, by: [] as string[] }),
      evolve: (state, event) => {
        const s = state as { total: number; by: string[] };
        return { total: s.total + Number(event.data.amount), by: [...s.by, String(event.data.who)] };
      },
    };
    try {
      const streamId = '77777777-0000-4000-8000-000000000007';
      for (const [version, [amount, who, when]] of ([[5, '甲', '2026-07-01T00:00:00Z'], [7, '乙', '2026-07-02T00:00:00Z'], [11, '丙', '2026-07-03T00:00:00Z']] as const).entries()) {
        await appendToStream(database.db, { streamId, streamType: 'audit-test-tally', expectedVersion: version, events: [newEvent('Tallied', { amount, who })] }, { now: fixedClock(when) });
      }
      expect((await caseAsOf(database.db, streamId, at('2026-07-02T12:00:00Z'))).state).toEqual({ total: 12, by: ['甲', '乙'] });
      const diff = await caseDiff(database.db, streamId, at('2026-07-01T12:00:00Z'), at('2026-07-03T12:00:00Z'));
      expect(diff.changes).toEqual([
        { path: 'by[1]', kind: 'added', after: '乙' },
        { path: 'by[2]', kind: 'added', after: '丙' },
        { path: 'total', kind: 'changed', before: 5, after: 23 },
      ]);
    } finally {
      delete CASE_FOLDS['audit-test-tally'];
    }
  });

  it('folds a prefix of the stream when the recording clock stepped back, and says so', async () => {
    CASE_FOLDS['audit-test-list'] = { initial: () => [] as unknown[], evolve: (state, event) => [...(state as unknown[]), event.data.n] };
    try {
      const streamId = '88888888-0000-4000-8000-000000000008';
      await appendToStream(database.db, { streamId, streamType: 'audit-test-list', expectedVersion: 0, events: [newEvent('Noted', { n: 1 })] }, { now: fixedClock('2026-08-01T10:00:00Z') });
      await appendToStream(database.db, { streamId, streamType: 'audit-test-list', expectedVersion: 1, events: [newEvent('Noted', { n: 2 })] }, { now: fixedClock('2026-08-01T09:00:00Z') });
      // At 09:30 version 2 was recorded, so version 1 (stamped 10:00 by a clock that later stepped back) was there too.
      const report = await caseAsOf(database.db, streamId, at('2026-08-01T09:30:00Z'));
      expect(report).toMatchObject({ version: 2, state: [1, 2] });
      expect(report.warnings).toEqual(['第 2 版的记录时间（2026-08-01T17:00:00+08:00）早于第 1 版（2026-08-01T18:00:00+08:00）：记录时的时钟曾经回拨，按时点推演时第 1 版也算在内']);
    } finally {
      delete CASE_FOLDS['audit-test-list'];
    }
  });
});

describe('what changed between two instants', () => {
  it('lists every changed field and the events in between with who recorded them', async () => {
    const diff = await caseDiff(database.db, loan.caseId, at('2026-03-02'), at('2026-03-05'));
    expect(diff.from.version).toBe(1);
    expect(diff.to.version).toBe(4);
    expect(diff.events.map((e) => [e.version, e.type, e.actor.displayName, e.actor.role])).toEqual([
      [2, 'MaterialsAccepted', '王审查', 'official'],
      [3, 'ComplianceReviewPassed', '张网信', 'official'],
      [4, 'FundingApproved', '李决策', 'official'],
    ]);
    const byPath = Object.fromEntries(diff.changes.map((c) => [c.path, c]));
    expect(byPath.status).toEqual({ path: 'status', kind: 'changed', before: 'completeness-check', after: 'awaiting-disbursement' });
    expect(byPath.approvedAmountFen).toEqual({ path: 'approvedAmountFen', kind: 'added', after: 36_000_000 });
    expect(byPath.version).toEqual({ path: 'version', kind: 'changed', before: 1, after: 4 });
    expect(byPath['reviewerIds[1]']).toEqual({ path: 'reviewerIds[1]', kind: 'added', after: 'acct-cac-reviewer' });
    // Nothing else: the diff is exactly the difference of the two folded states.
    expect(Object.keys(byPath).sort()).toEqual(['approvedAmountFen', 'approvedOn', 'decidedBy', 'drawnFromPool', 'reviewerIds[0]', 'reviewerIds[1]', 'status', 'version']);
  });

  it('from before the case existed shows the whole state as added; instants out of order are refused', async () => {
    const diff = await caseDiff(database.db, loan.caseId, at('2026-02-01'), at('2026-03-02'));
    expect(diff.events).toHaveLength(1);
    expect(diff.changes.every((c) => c.kind === 'added')).toBe(true);
    expect(diff.changes.find((c) => c.path === 'status')).toEqual({ path: 'status', kind: 'added', after: 'completeness-check' });
    await expect(caseDiff(database.db, loan.caseId, at('2026-03-05'), at('2026-03-02'))).rejects.toThrow('晚于结束时间');
    // A time at one end and a version at the other, out of order, as an outside tester sent them (answered with a backwards diff).
    const late = await caseDiff(database.db, loan.caseId, at('2026-03-05'), at('2026-03-05'));
    await expect(caseDiff(database.db, loan.caseId, at('2026-03-05'), { version: 1 })).rejects.toThrow(`起始时间（${late.from.at.shanghai}，即第 ${late.from.version} 版）晚于结束版本（第 1 版）：请先填较早的一端。`);
    await expect(caseDiff(database.db, loan.caseId, { version: late.from.version }, at('2026-02-01'))).rejects.toThrow(`晚于结束时间`);
    // The same version at both ends is no difference, and no mistake.
    expect((await caseDiff(database.db, loan.caseId, at('2026-03-05'), { version: late.from.version })).events).toEqual([]);
  });
});

describe('a case whose record was changed in the database', () => {
  // As an insider with database access would: the approved amount raised from 360,000.00 to 460,000.00 in the stored approval.
  const raiseTheApproval = (caseId: string) =>
    tamperAsSuperuser(database.url, [{ text: `UPDATE events SET payload = jsonb_set(payload, '{approvedAmountFen}', '46000000') WHERE stream_id = $1 AND stream_version = 4`, values: [caseId] }]);
  const positionOf = async (caseId: string, version: number) =>
    (await database.db.selectFrom('events').select('global_position').where('stream_id', '=', caseId).where('stream_version', '=', version).executeTakeFirstOrThrow()).global_position;

  it('as of any moment, says first that the chain failed its check and what it found, beside the state it folds', async () => {
    const forged = await new LoanCase(database.db).toApproval();
    expect(await caseAsOf(database.db, forged.caseId, at('2026-03-05'))).toMatchObject({ chainIntact: true, warnings: [] });
    await raiseTheApproval(forged.caseId);
    const position = await positionOf(forged.caseId, 4);
    const warning = `本案记录的哈希链未通过核验（第 4 版（日志位置 ${position}）：内容与其哈希不符：写入后被改动过）：以下内容可能已被改动，不能作为证据`;

    const after = await caseAsOf(database.db, forged.caseId, at('2026-03-05'));
    expect(after).toMatchObject({ chainIntact: false, version: 4, state: { approvedAmountFen: 46_000_000 } });
    expect(after.warnings).toEqual([warning]);
    // Before the altered event too: the record it is folded from is the same record.
    expect(await caseAsOf(database.db, forged.caseId, { version: 2 })).toMatchObject({ chainIntact: false, warnings: [warning] });

    const diff = await caseDiff(database.db, forged.caseId, at('2026-03-03'), at('2026-03-05'));
    expect(diff).toMatchObject({ chainIntact: false, warnings: [warning] });
    expect(diff.changes).toContainEqual({ path: 'approvedAmountFen', kind: 'added', after: 46_000_000 });
  });

  it('names a deleted event and a cut-off tail, and counts the problems when there are more', async () => {
    const gap = await new LoanCase(database.db).toApproval();
    const third = await positionOf(gap.caseId, 3);
    await tamperAsSuperuser(database.url, [{ text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 2', values: [gap.caseId] }]);
    expect((await caseAsOf(database.db, gap.caseId, at('2026-03-05'))).warnings).toEqual([
      `本案记录的哈希链未通过核验（第 3 版（日志位置 ${third}）：应为第 2 版，实为第 3 版：第 2 版事件缺失）：以下内容可能已被改动，不能作为证据`,
    ]);

    const cut = await new LoanCase(database.db).toApproval();
    await tamperAsSuperuser(database.url, [{ text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version = 4', values: [cut.caseId] }]);
    const report = await caseDiff(database.db, cut.caseId, at('2026-03-01'), at('2026-03-05'));
    expect(report.chainIntact).toBe(false);
    const [endsAt, headRow] = [(await readStream(database.db, cut.caseId))[2]!.hash, (await caseStream(database.db, cut.caseId)).head.hash];
    expect(report.warnings).toEqual([`本案记录的哈希链未通过核验（链头记录为第 4 版、哈希 ${headRow.slice(0, 12)}…，其事件却止于第 3 版、哈希 ${endsAt.slice(0, 12)}…：末尾的事件被删除了）：以下内容可能已被改动，不能作为证据`]);

    // The head row changed alone: what it holds against where the events end, not "第 4 版 … 止于第 4 版".
    const head = await new LoanCase(database.db).toApproval();
    const lastHash = (await readStream(database.db, head.caseId))[3]!.hash;
    await tamperAsSuperuser(database.url, [{ text: 'UPDATE streams SET head_hash = $1 WHERE stream_id = $2', values: ['0'.repeat(64), head.caseId] }]);
    const headWarning = `本案记录的哈希链未通过核验（链头记录为第 4 版、哈希 000000000000…，其事件却止于第 4 版、哈希 ${lastHash.slice(0, 12)}…：链头记录被改动过）：以下内容可能已被改动，不能作为证据`;
    expect((await caseAsOf(database.db, head.caseId, at('2026-03-05'))).warnings).toEqual([headWarning]);
    expect((await caseDiff(database.db, head.caseId, at('2026-03-01'), at('2026-03-05'))).warnings).toEqual([headWarning]);

    const both = await new LoanCase(database.db).toApproval();
    await tamperAsSuperuser(database.url, [{ text: 'DELETE FROM events WHERE stream_id = $1 AND stream_version IN (2, 4)', values: [both.caseId] }]);
    expect((await caseAsOf(database.db, both.caseId, at('2026-03-05'))).warnings[0]).toMatch(/^本案记录的哈希链未通过核验（第 3 版（日志位置 \d+）：应为第 2 版，实为第 3 版：第 2 版事件缺失，共 2 处问题）/);
  });
});

describe('a case rewritten with every hash recomputed, after a signed checkpoint', () => {
  it('as of any moment and in a diff, says first that the signed checkpoint failed, not only the chain; before, says which versions the signature proves', async () => {
    const own = await createTestDatabase();
    try {
      const key = testKey();
      const signed = await new LoanCase(own.db).toApproval();
      await checkpointNow(own.db, key);
      const untouched = await caseAsOf(own.db, signed.caseId, { version: 4 }, { trustedKey: key });
      expect(untouched).toMatchObject({ chainIntact: true, warnings: [], checkpoint: { checkpointNo: 1, coveredVersion: 4, signature: 'valid', streamsRoot: 'matches', trustedKeyId: key.keyId } });
      // A case opened after it: none of its versions is under the signature yet.
      const later = await new LoanCase(own.db).submit('2026-03-02T02:00:00.000Z');
      expect(await caseAsOf(own.db, later.caseId, { version: 1 }, { trustedKey: key })).toMatchObject({ chainIntact: true, checkpoint: { checkpointNo: 1, coveredVersion: 0 } });

      // The approved amount raised in the stored approval, and its hash, the later ones and the head recomputed, as an insider covering their tracks would.
      const events = await readStream(own.db, signed.caseId);
      const statements: { text: string; values: unknown[] }[] = [];
      let prevHash = events[2]!.hash;
      for (const e of events.slice(3)) {
        const data = e.streamVersion === 4 ? { ...e.data, approvedAmountFen: 46_000_000 } : e.data;
        const hash = recomputedHash({ ...e, prevHash, data });
        statements.push({ text: 'UPDATE events SET payload = $1, prev_hash = $2, hash = $3 WHERE event_id = $4', values: [JSON.stringify(data), prevHash, hash, e.eventId] });
        prevHash = hash;
      }
      statements.push({ text: 'UPDATE streams SET head_hash = $1 WHERE stream_id = $2', values: [prevHash, signed.caseId] });
      await tamperAsSuperuser(own.url, statements);

      const forged = await caseAsOf(own.db, signed.caseId, { version: 4 }, { trustedKey: key });
      expect(forged).toMatchObject({ chainIntact: false, state: { approvedAmountFen: 46_000_000 }, checkpoint: { streamsRoot: 'differs' } });
      expect(forged.warnings).toEqual([expect.stringMatching(/^签名检查点核验未通过（日志位置 \d+ 处各事件流的链头（本案为第 4 版）算不出检查点 #1 签署的流根.*）：以下内容可能已被改动，不能作为证据$/)]);
      const diff = await caseDiff(own.db, signed.caseId, { version: 3 }, { version: 4 }, { trustedKey: key });
      expect(diff).toMatchObject({ chainIntact: false, warnings: forged.warnings });
    } finally {
      await own.drop();
    }
  });
});
