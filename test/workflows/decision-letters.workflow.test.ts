import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../activities/decision-letter-pdf.js';
import { createDecisionLetterActivities } from '../../activities/decision-letters.activities.js';
import { applicationCase } from '../../cases/application.case.js';
import { chuyingLoanCase } from '../../cases/chuying-loan.case.js';
import { recoveryCase, type RecoveryInput, type RecoveryState } from '../../cases/recovery.case.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream, verifyChain } from '../../db/event-store.js';
import type { ApplicationAction } from '../../domain/applications/commands.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ChuyingLoanAction } from '../../domain/chuying/commands.js';
import { HANDLED_SERVICE_LETTERS_PATCH, letterForChuyingLoan } from '../../domain/decisions/case-letters.js';
import { letterRegisterOf } from '../../domain/decisions/letter.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { registerCaseSearchAttributes } from '../../worker/search-attributes.js';
import { caseActionUpdate, caseOpenedUpdate } from '../../workflows/case.messages.js';
import { DECISION_LETTERS_PATCH } from '../../workflows/case.workflow.js';
import { CHANGES_TO_2026_12_03 } from '../../workflows/support/changes.js';
import { changesTakenIn, patchMarkersOf } from '../support/patch-markers.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { event, history } from '../domain/chuying-loan.fixtures.js';
import { applicant, cacReviewer, fundApprover, fundReviewer, loanApplication } from '../support/actors.js';
import { applicationInput, cacApprover, FACTS, huangpuApprover, huangpuReviewer, verifyOpenClaims } from '../support/applications.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/filings.js';
import { pdfText } from '../support/pdf-text.js';
import { createTimeSkippingEnvironment, workflowBundle } from '../support/temporal.js';

// Every workflow type with its module's decision-letter hook (what workflows/index.ts runs once the modules declare it).
const HISTORIES = new URL('../fixtures/histories/', import.meta.url);

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let bundle: WorkflowBundleWithSourceMap;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `decision-letters-${randomUUID()}`;

beforeAll(async () => {
  // The worker as it runs: every case module with its decision-letter hook, and the letter activity.
  [env, database, bundle] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase(), workflowBundle()]);
  await registerCaseSearchAttributes(env.nativeConnection, 'default');
  worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar: async () => packagedCalendar(), workflowBundle: bundle });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

type Letter = { letterId: string; letterNo: string; sha256: string };

function act<C extends { type: string }>(handle: WorkflowHandle, module: { actions: readonly { type: string; update: string }[] }, actor: Actor, action: C) {
  const declared = module.actions.find((a) => a.type === action.type)!;
  return handle.executeUpdate(caseActionUpdate<C>(declared.update), { args: [{ actor, requestId: randomUUID(), action }] });
}

async function storedLetter(letterId: string) {
  return database.db.selectFrom('decision_letters').selectAll().where('letter_id', '=', letterId).executeTakeFirstOrThrow();
}


describe('decision letters recorded by the one case driver', () => {
  it('a 雏鹰 approval records its letter in the decision event; the stored PDF hashes to it and reads as the decision', async () => {
    const input = loanApplication();
    const handle = await env.client.workflow.start(chuyingLoanCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    await act<ChuyingLoanAction>(handle, chuyingLoanCase, fundReviewer, { type: 'AcceptMaterials' });
    await act<ChuyingLoanAction>(handle, chuyingLoanCase, cacReviewer, { type: 'PassComplianceReview', notes: '' });
    // Nothing decided yet: no event carries a letter, and none is stored. (A case opened today holds
    // the one marker of every change from its opening, so the marker no longer says when letters began.)
    expect((await readStream(database.db, input.caseId)).filter((e) => e.data.letter !== undefined)).toEqual([]);
    expect(await database.db.selectFrom('decision_letters').select('letter_id').where('case_id', '=', input.caseId).execute()).toEqual([]);
    await act<ChuyingLoanAction>(handle, chuyingLoanCase, fundApprover, { type: 'ApproveFunding', approvedAmountFen: 36_000_000, notes: '核减至 36 万元' });

    const events = await readStream(database.db, input.caseId);
    expect(verifyChain(events)).toBeUndefined();
    const approved = events.find((e) => e.type === 'FundingApproved')!;
    const letter = approved.data.letter as Letter;
    expect(letter).toEqual({
      letterId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      // Numbered in the fund's register for the year of the decision.
      letterNo: expect.stringMatching(new RegExp(`^杨V基金决〔${shanghaiDateOf(approved.recordedAt).slice(0, 4)}〕[1-9]\\d*号$`)),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The rest of the decision is as it was; no other event of the case has a letter.
    expect(approved.data).toMatchObject({ approvedAmountFen: 36_000_000, notes: '核减至 36 万元', by: { displayName: fundApprover.displayName } });
    expect(events.filter((e) => e.data.letter !== undefined)).toEqual([approved]);

    const row = await storedLetter(letter.letterId);
    expect(row).toMatchObject({ case_id: input.caseId, letter_no: letter.letterNo, sha256: letter.sha256, position: approved.streamVersion, event_type: 'FundingApproved', decision: 'approve', title: '资助决定书' });
    expect(sha256Hex(row.pdf)).toBe(letter.sha256);
    const text = await pdfText(row.pdf);
    expect(text).toContain(input.referenceNo);
    expect(text.replace(/\s/g, '')).toContain(letter.letterNo);
    expect((row.content as { letterNo: string }).letterNo).toBe(letter.letterNo);
    expect(text).toContain('人民币360,000.00元');
    expect(text).toContain('核减至36万元');
    expect(text).toContain('60日内向杨浦区人民政府申请行政复议');
    // A case opened today took the change by the one marker that stands for every change to 2026-12-03.
    const history = await handle.fetchHistory();
    expect(patchMarkersOf(history)).toEqual([CHANGES_TO_2026_12_03]);
    expect(changesTakenIn(history)).toContain(DECISION_LETTERS_PATCH);
  });

  it('a programme approval letters the decision with the award granted in the same decision, and not the award itself', async () => {
    const who = { ...applicant, accountId: `acct-${randomUUID()}` };
    const input = applicationInput('huangpu-creator-reward', { applicant: who, facts: FACTS['huangpu-creator-reward']! });
    const handle = await env.client.workflow.start(applicationCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    await act<ApplicationAction>(handle, applicationCase, huangpuReviewer, { type: 'AcceptMaterials' });
    // Issue 14: the claims are verified before the money is decided on them.
    const verification = verifyOpenClaims(await handle.query<ApplicationState>(applicationCase.stateQuery));
    if (verification) await act<ApplicationAction>(handle, applicationCase, huangpuReviewer, verification);
    await act<ApplicationAction>(handle, applicationCase, cacReviewer, { type: 'PassComplianceReview', notes: '' });
    await act<ApplicationAction>(handle, applicationCase, huangpuReviewer, { type: 'ScoreApplication', score: 90, comments: '' });
    await act<ApplicationAction>(handle, applicationCase, huangpuApprover, { type: 'ApproveApplication', approvedAmountFen: 60_000_000, notes: '作品影响力突出' });

    const events = await readStream(database.db, input.caseId);
    expect(verifyChain(events)).toBeUndefined();
    const lettered = events.filter((e) => e.data.letter !== undefined);
    expect(lettered.map((e) => e.type)).toEqual(['ApplicationApproved']);
    const letter = lettered[0]!.data.letter as Letter;
    const row = await storedLetter(letter.letterId);
    expect(sha256Hex(row.pdf)).toBe(letter.sha256);
    expect(row).toMatchObject({ title: '给予支持决定书', position: lettered[0]!.streamVersion });
    const text = await pdfText(row.pdf);
    expect(text).toContain('人民币600,000.00元');
    expect(text).toContain('60日内向黄浦区人民政府申请行政复议');
    // An award's letter is as it was: 给予支持, and no marker of the handled services' letters.
    expect(text).toContain('决定给予支持');
    expect(patchMarkersOf(await handle.fetchHistory())).not.toContain(HANDLED_SERVICE_LETTERS_PATCH);
  });

  it('a 盾牌行动 complaint decided now is told 受理并办结 in its letter, not 准予办理, and its history records the change', async () => {
    const who = { ...applicant, accountId: `acct-${randomUUID()}` };
    const input = applicationInput('hu9-shield', { applicant: who, facts: FACTS['hu9-shield']! });
    const handle = await env.client.workflow.start(applicationCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    await act<ApplicationAction>(handle, applicationCase, cacReviewer, { type: 'AcceptMaterials' });
    const verification = verifyOpenClaims(await handle.query<ApplicationState>(applicationCase.stateQuery));
    if (verification) await act<ApplicationAction>(handle, applicationCase, cacReviewer, verification);
    await act<ApplicationAction>(handle, applicationCase, cacApprover, { type: 'ApproveApplication', notes: '已责令删除侵权内容' });

    const events = await readStream(database.db, input.caseId);
    expect(verifyChain(events)).toBeUndefined();
    const approved = events.find((e) => e.type === 'ApplicationApproved')!;
    const row = await storedLetter((approved.data.letter as Letter).letterId);
    expect(row).toMatchObject({ title: '受理并办结决定书', decision: 'approve', position: approved.streamVersion });
    const text = await pdfText(row.pdf);
    expect(text).toContain('本机关已受理并办结');
    expect(text).toContain('已责令删除侵权内容');
    expect(text).not.toMatch(/准予|批准/);
    expect(patchMarkersOf(await handle.fetchHistory())).toContain(HANDLED_SERVICE_LETTERS_PATCH);
  });

  it('a recovery decided by its timer (the objection window closing) records its letter too', async () => {
    const input: RecoveryInput = {
      caseId: randomUUID(),
      referenceNo: `ZH-2026-${randomUUID().slice(0, 6)}`,
      applicant,
      openedBy: fundReviewer,
      requestId: randomUUID(),
      source: { caseId: randomUUID(), referenceNo: 'AP-2026-000001', programmeId: 'yangpu-talent-rent', programmeName: '人才租房补贴' },
      department: 'yangpu-fund',
      amountFen: 800_000,
      reason: '迁离杨浦后多发的一个月租房补贴',
    };
    const handle = await env.client.workflow.start(recoveryCase.workflowType, { workflowId: caseWorkflowId(input.caseId), taskQueue, args: [input] });
    await handle.executeUpdate(caseOpenedUpdate);
    const { objectionWindow } = await handle.query<RecoveryState>(recoveryCase.stateQuery);
    await env.sleep(Date.parse(objectionWindow!.deadlineAt) - (await env.currentTimeMs()) + 1_000);
    // The timer's decision waits for its letter (an activity) before it is recorded.
    await eventually(async () => ((await handle.query<RecoveryState>(recoveryCase.stateQuery)).status === 'collecting' ? true : undefined), 'the objection window to close');

    const events = await readStream(database.db, input.caseId);
    const closed = events.find((e) => e.type === 'ObjectionWindowClosed')!;
    const letter = closed.data.letter as Letter;
    const row = await storedLetter(letter.letterId);
    expect(row).toMatchObject({ title: '追回决定书', decision: 'recover' });
    expect(sha256Hex(row.pdf)).toBe(letter.sha256);
    expect(events[0]!.data.letter).toBeUndefined();
  });

  it('a retried activity (the same letter id) stores the letter once and answers the same', async () => {
    const before = foldChuyingLoan(history.fundingDecision);
    const content = letterForChuyingLoan(event.fundingRejected(), foldChuyingLoan([event.fundingRejected()], before), before.version + 1)!;
    const { issueDecisionLetter } = createDecisionLetterActivities({ db: database.db, clock: () => new Date() });
    const caseId = randomUUID();
    const letterId = randomUUID();
    const [first, second] = await Promise.all([issueDecisionLetter({ caseId, letterId, content }), issueDecisionLetter({ caseId, letterId, content })]);
    const third = await issueDecisionLetter({ caseId, letterId, content });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(first).toEqual({ letterId, letterNo: expect.stringMatching(new RegExp(`^${letterRegisterOf(content.letterNo)}[1-9]\\d*号$`)), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await database.db.selectFrom('decision_letters').select('letter_id').where('case_id', '=', caseId).execute()).toHaveLength(1);
    // Issued letters are never changed.
    await expect(database.ownerDb.updateTable('decision_letters').set({ title: '改' }).where('letter_id', '=', letterId).execute()).rejects.toThrow(/append-only/);
  });

  it('numbers each issuer’s letters of a year in the order they are issued, without gaps, a retry taking no number', async () => {
    const before = foldChuyingLoan(history.fundingDecision);
    const draft = letterForChuyingLoan(event.fundingRejected(), foldChuyingLoan([event.fundingRejected()], before), before.version + 1)!;
    // The workflow drafts the number as it always did; the register is the draft's issuer and year.
    expect(draft.letterNo).toMatch(/^杨V基金决〔\d{4}〕CY-.+-\d+号$/);
    expect(letterRegisterOf(draft.letterNo)).toBe(`杨V基金决〔${draft.decidedOn.slice(0, 4)}〕`);
    const { issueDecisionLetter } = createDecisionLetterActivities({ db: database.db, clock: () => new Date() });
    // A register of its own, so that no other test's letters count in it.
    const register = `测${randomUUID().slice(0, 8)}决〔2027〕`;
    const content = { ...draft, letterNo: `${register}${draft.referenceNo}-${draft.position}号` };
    const letterIds = Array.from({ length: 12 }, () => randomUUID());
    // Twelve letters at once, each also retried at once.
    const issued = await Promise.all(letterIds.flatMap((letterId) => [issueDecisionLetter({ caseId: randomUUID(), letterId, content }), issueDecisionLetter({ caseId: randomUUID(), letterId, content })]));
    const numbers = letterIds.map((letterId) => issued.filter((l) => l.letterId === letterId).map((l) => l.letterNo));
    for (const [first, retried] of numbers) expect(retried).toBe(first);
    expect(numbers.map(([n]) => n).sort((a, b) => serialOf(a!) - serialOf(b!))).toEqual(Array.from({ length: 12 }, (_, i) => `${register}${i + 1}号`));
    // The next letter takes the next number, a retry of an earlier one none.
    await issueDecisionLetter({ caseId: randomUUID(), letterId: letterIds[0]!, content });
    expect((await issueDecisionLetter({ caseId: randomUUID(), letterId: randomUUID(), content })).letterNo).toBe(`${register}13号`);
    // The PDF and the stored content say the number it was issued with.
    const row = await storedLetter(letterIds[5]!);
    expect((await pdfText(row.pdf)).replace(/\s/g, '')).toContain(row.letter_no);
    expect((row.content as { letterNo: string }).letterNo).toBe(row.letter_no);
  });

  it('every recorded history still replays with the letter hooks in place (decisions recorded before the patch get no letter)', async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json')).sort();
    const histories = await Promise.all(files.map(async (file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(await readFile(new URL(file, HISTORIES), 'utf8'))) })));
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) results.push({ workflowId: result.workflowId, error: result.error?.message });
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  });
});

function serialOf(letterNo: string): number {
  return Number(/(\d+)号$/.exec(letterNo)![1]);
}
