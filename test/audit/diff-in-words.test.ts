import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffInWords, fieldLabel, isIdentifierKey, statusLabelsOf, valueInWords } from '../../audit/diff-in-words.js';
import { factLabel } from '../../domain/programmes/fact-labels.js';
import { foldCase, moduleForStreamType } from '../../cases/registry.js';
import { decideApplicationAction, decideApplicationSubmission, decideApplicationTimeElapsed } from '../../domain/applications/decide.js';
import type { ApplicationCall, ApplicationEvent } from '../../domain/applications/events.js';
import { PUBLIC_OBJECTOR } from '../../domain/applications/in-call.js';
import { foldApplication } from '../../domain/applications/state.js';
import { withServerFacts } from '../../domain/applications/terms.js';
import { SYSTEM_ACTOR, type Actor } from '../../domain/cases/actor.js';
import { applicationRecordsOf } from '../../domain/panels/application-record.js';
import { decidePanel } from '../../domain/panels/decide.js';
import type { PanelApplication, PanelEvent } from '../../domain/panels/events.js';
import { foldPanel } from '../../domain/panels/state.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { publicityWindow } from '../../domain/publicity/window.js';
import { endOfShanghaiDay, parseLocalDate, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar } from '../../domain/time/working-days.js';
import { applicant } from '../support/actors.js';
import { huangpuApprover, huangpuDirector, huangpuReviewer, termsOf } from '../support/applications.js';
import { ChuyingHistory } from '../support/chuying-history.js';
import { ACCOUNTS, CALL_ID, conflict, director, expertD, expertE, MEMBERS, named, office, referred, reviewerA, reviewerB, reviewerC, scoredBy, sheet } from '../domain/panels/panel-spec.js';

/** The case events each recorded history appended, by case type: real histories of every case type the fixtures hold. */
function recordedStreams(): { name: string; caseType: string; events: { type: string; data: Record<string, unknown> }[] }[] {
  const dir = new URL('../fixtures/histories/', import.meta.url);
  return readdirSync(dir).flatMap((name) => {
    const history = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as { events: { activityTaskScheduledEventAttributes?: { activityType: { name: string }; input: { payloads: { data: string }[] } } }[] };
    let caseType = '';
    const events: { type: string; data: Record<string, unknown> }[] = [];
    for (const e of history.events) {
      const a = e.activityTaskScheduledEventAttributes;
      if (a?.activityType.name !== 'appendCaseEvents') continue;
      const input = JSON.parse(Buffer.from(a.input.payloads[0]!.data, 'base64').toString('utf8')) as { streamType: string; events: { type: string; data: Record<string, unknown> }[] };
      caseType = input.streamType;
      events.push(...input.events.map((x) => ({ type: x.type, data: x.data })));
    }
    // A history that appended nothing (a child's) has no case to fold.
    return events.length ? [{ name, caseType, events }] : [];
  });
}

const context = (caseType: string) => ({ statuses: statusLabelsOf(caseType), names: new Map([['acct-fund-reviewer', '王审查']]) });

/** Every diff an auditor can ask for along a history: from before the case to each version, and each version to the next. */
function everyRow(caseType: string, events: readonly { type: string; data: Record<string, unknown> }[]) {
  const states = statesOf(caseType, events);
  return states.slice(1).flatMap((state, i) => [...diffInWords(null, state, context(caseType)), ...diffInWords(states[i], state, context(caseType))]);
}

const statesOf = (caseType: string, events: readonly { type: string; data: Record<string, unknown> }[]) => [null, ...events.map((_, i) => foldCase(caseType, events.slice(0, i + 1)))];

/** Every identifier a state holds, wherever it sits (an objection's id inside the list of objections too). */
function identifiersIn(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return isIdentifierKey(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => identifiersIn(v, key));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => identifiersIn(v, k));
  return [];
}

const keyOf = (path: string) => (path.split('.').at(-1) ?? '').replace(/\[\d+\]$/, '');

/**
 * Three applications to a competitive call (评审委员会评审), decided by the domain's own deciders: the
 * panel ranks them (a member recused from one; five scorers trim the mean of another), the director
 * approves a list of two; the third is not selected. Both selected go on 公示: one is withdrawn by an
 * objection upheld, the other lowered by one and final after another is dismissed, then paid.
 */
function competitiveCallHistories(): { name: string; events: ApplicationEvent[] }[] {
  const at10 = (date: string) => startOfShanghaiDay(parseLocalDate(date)) + 10 * 3600_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const ref = (actor: Actor) => ({ accountId: actor.accountId, displayName: actor.displayName });
  const programme = 'huangpu-carrier-operator';
  const call: ApplicationCall = { callId: CALL_ID, title: '2026 年黄浦载体扶持（第二批）', mode: 'competitive', publicityWorkingDays: 5, closesAt: iso(at10('2026-11-06')) };
  const calendar = createWorkingDayCalendar([{ year: 2026, holidays: [], makeUpWorkdays: [] }]);
  const window = publicityWindow(calendar, parseLocalDate('2026-12-04'), 5);
  const approvedAt = at10('2026-12-04');

  const cases = [1, 2, 3].map((n) => ({ caseId: `3a1c2d3e-0000-4000-8000-00000000010${n}`, referenceNo: `AP-2026-00010${n}`, amountFen: (60 + 10 * n) * 1_000_000 }));
  const opened = cases.map(({ caseId, referenceNo, amountFen }, i) => {
    const facts = withServerFacts(findProgramme(programme)!, { applicantKind: 'carrier-operator', requestedAmountFen: amountFen }, { applicantAccountId: applicant.accountId });
    const submittedAt = at10(`2026-11-0${2 + i}`);
    const completeness = { workingDays: 5, startedOn: parseLocalDate(`2026-11-0${2 + i}`), lastWorkingDay: parseLocalDate(`2026-11-0${6 + i}`), deadlineAt: iso(endOfShanghaiDay(parseLocalDate(`2026-11-0${6 + i}`))), provisional: false };
    const submitted = decideApplicationSubmission(
      { caseId, referenceNo, applicant: ref(applicant), terms: termsOf(programme), details: { title: `外滩内容载体 ${i + 1} 号`, summary: '说明' }, call },
      { eligible: true, maxAmountFen: 500_000_000, amountRule: 'cap 5,000,000.00', violations: [], facts },
      completeness,
      submittedAt,
    );
    return [...submitted, ...decideApplicationAction(foldApplication(submitted), { type: 'AcceptMaterials' }, { actor: huangpuReviewer, now: submittedAt + 3600_000 })];
  });

  // The call's panel, by its own decider: 丁专家 recuses from the first; the second is scored by five, its mean trimmed.
  const [a1, a2, a3] = cases.map((c, i): PanelApplication => ({ ...c, applicantName: applicant.displayName, submittedAt: iso(at10(`2026-11-0${2 + i}`)) }));
  const scored: PanelEvent[] = [
    named(MEMBERS, 3),
    referred(a1!),
    referred(a2!),
    referred(a3!),
    ...scoredBy(reviewerA, a1!.caseId, sheet(90, 9, 4)),
    ...scoredBy(reviewerB, a1!.caseId, sheet(85, 8, 4)),
    ...scoredBy(reviewerC, a1!.caseId, sheet(88, 9, 5)),
    conflict(expertD, a1!.caseId),
    ...[reviewerA, reviewerB, reviewerC, expertD, expertE].flatMap((m, i) => scoredBy(m, a2!.caseId, sheet(80 + i, 8, 4))),
    ...[reviewerA, reviewerB, reviewerC].flatMap((m) => scoredBy(m, a3!.caseId, sheet(60, 6, 3))),
  ];
  const proposed = [...scored, ...decidePanel({ type: 'ProposeList', quota: 2, remainingBudgetFen: 500_000_000 }, foldPanel(scored), { actor: office, now: approvedAt - 3600_000, listId: 'list-hp-2026-2' })];
  const onTable = foldPanel(proposed);
  const records = [conflict(expertD, a1!.caseId), ...decidePanel({ type: 'ApproveBatch' }, onTable, { actor: director, now: approvedAt, memberAccounts: ACCOUNTS })].flatMap((e) => applicationRecordsOf(onTable, e));

  const withBatch = opened.map((history, i) => {
    const caseId = cases[i]!.caseId;
    let events = [...history];
    for (const r of records.filter((x) => x.caseId === caseId)) {
      const recusal = r.events.filter((e) => e.type === 'PanelRecusalRecorded');
      if (recusal.length) events = [...events, ...recusal];
      const batch = r.events.filter((e) => e.type !== 'PanelRecusalRecorded');
      if (batch.length) {
        events = [...events, ...decideApplicationAction(foldApplication(events), { type: 'RecordBatchDecision', callId: CALL_ID, batchId: 'list-hp-2026-2', records: batch }, { actor: SYSTEM_ACTOR, now: approvedAt, publicityWindow: window })];
      }
    }
    return events;
  });
  const then = (history: ApplicationEvent[], decided: (state: ReturnType<typeof foldApplication>) => ApplicationEvent[]) => [...history, ...decided(foldApplication(history))];

  // Withdrawn: one objection from the public, upheld.
  let withdrawn = then(withBatch[0]!, (s) => decideApplicationAction(s, { type: 'LodgeObjection', reasons: '申报材料中的运营数据不实' }, { actor: PUBLIC_OBJECTOR, now: at10('2026-12-07'), objectionId: 'obj-1' }));
  withdrawn = then(withdrawn, (s) => decideApplicationAction(s, { type: 'UpholdObjection', objectionId: 'obj-1', answer: '经核查，运营数据不实，撤销资助。', remedy: { kind: 'withdraw' } }, { actor: huangpuApprover, now: at10('2026-12-08') }));

  // Lowered: one objection upheld with a reduction, another dismissed after the window; final, granted, paid.
  let reduced = then(withBatch[1]!, (s) => decideApplicationAction(s, { type: 'LodgeObjection', reasons: '金额偏高', contactRef: 'pdv-1' }, { actor: PUBLIC_OBJECTOR, now: at10('2026-12-07'), objectionId: 'obj-2' }));
  reduced = then(reduced, (s) => decideApplicationAction(s, { type: 'LodgeObjection', reasons: '另有异议' }, { actor: applicant, now: at10('2026-12-07'), objectionId: 'obj-3' }));
  reduced = then(reduced, (s) => decideApplicationAction(s, { type: 'UpholdObjection', objectionId: 'obj-2', answer: '按实际运营面积核减。', remedy: { kind: 'reduce', amountFen: 50_000_000 } }, { actor: huangpuApprover, now: at10('2026-12-08') }));
  reduced = then(reduced, (s) => decideApplicationAction(s, { type: 'DismissObjection', objectionId: 'obj-3', answer: '异议理由不成立。' }, { actor: huangpuDirector, now: Date.parse(window.endsAt) + 3600_000 }));
  reduced = then(reduced, (s) => decideApplicationTimeElapsed(s, Date.parse(window.endsAt) + 7200_000));

  return [
    { name: 'an award in a competitive call withdrawn after its 公示 by an objection upheld', events: withdrawn },
    { name: 'an award in a competitive call lowered by an objection upheld, another dismissed, then paid', events: reduced },
    { name: 'an application in a competitive call not selected by the batch', events: withBatch[2]! },
  ];
}

const LATIN_WORD = /[A-Za-z]{2,}/;

describe('the auditor’s diff in words', () => {
  const streams = recordedStreams();
  const loan = new ChuyingHistory();
  loan.submit();
  streams.push({ name: 'a 雏鹰 loan under the current terms', caseType: 'chuying-loan', events: loan.decided.map((d) => ({ type: d.event.type, data: d.event.data as Record<string, unknown> })) });
  // No recorded history holds a competitive call: its applications' panel review, 公示 and objections are decided here.
  streams.push(...competitiveCallHistories().map((h) => ({ name: h.name, caseType: 'application', events: h.events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> })) })));

  it('covers every case type the recorded histories hold', () => {
    expect(new Set(streams.map((s) => moduleForStreamType(s.caseType)?.caseType))).toEqual(new Set(['chuying-loan', 'application', 'drama-filing']));
  });

  it.each(streams.map((s) => [s.name, s] as const))('names every field of %s in Chinese, and values outside code have no Latin word', (_name, stream) => {
    const rows = everyRow(stream.caseType, stream.events);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.label === '其他字段').map((r) => r.path)).toEqual([]);
    expect(rows.filter((r) => LATIN_WORD.test(r.label)).map((r) => r.label)).toEqual([]);
    // What people typed is shown as typed (the fixtures' titles and bank references are test data in Latin letters).
    const typed = /^(details\.title|repayments\[\d+\])$/;
    // Code is for identifiers (and an account no longer on file, by its id): an enumerated value (selected, mean, withdraw…) reads in words.
    const shownAsCode = rows.filter((r) => !typed.test(r.path) && !isIdentifierKey(keyOf(r.path)) && keyOf(r.path) !== 'reviewerIds').flatMap((r) => [r.before, r.after].filter((v) => v.code).map((v) => `${r.path}: ${v.text}`));
    expect(shownAsCode).toEqual([]);
    // An identifier is shown as written wherever it sits, also inside a list element read as one value (异议编号 obj-1；…).
    const identifiers = [...new Set(statesOf(stream.caseType, stream.events).flatMap((state) => identifiersIn(state)))].sort((a, b) => b.length - a.length);
    const withoutIdentifiers = (text: string) => identifiers.reduce((t, id) => t.split(id).join(''), text);
    const latinValues = rows
      .filter((r) => !typed.test(r.path))
      .flatMap((r) => [r.before, r.after].filter((v) => !v.code && LATIN_WORD.test(withoutIdentifiers(v.text).replace(/V聚场|AI|MCN|LPR|UP主|YOUNG/g, ''))).map((v) => `${r.path}: ${v.text}`));
    expect(latinValues).toEqual([]);
  });

  it('reads a loan opened from nothing in words: people by name, money in 元, the deadline as its inclusive day, no empty lists', () => {
    const rows = diffInWords(null, foldCase('chuying-loan', loan.decided.map((d) => ({ type: d.event.type, data: d.event.data as Record<string, unknown> }))), context('chuying-loan'));
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(byPath['company.name']?.label).toBe('企业名称');
    expect(byPath['terms.capFen']).toMatchObject({ label: '适用条款 · 借款上限', after: { text: '500,000.00 元' } });
    expect(byPath['applicant']?.after.text).toBe('上海星河文化传媒有限公司');
    expect(byPath['applicant.accountId']).toBeUndefined();
    expect(byPath['status']?.after.text).toBe('材料审查');
    for (const empty of ['closingReasons', 'instalments', 'repayments', 'reviewerIds']) expect(byPath[empty]).toBeUndefined();
    // 24:00 at the end of 24 December is the first instant of the 25th: the due day is the 24th, inclusive.
    const window = { workingDays: 5, startedOn: '2026-12-18', lastWorkingDay: '2026-12-24', deadlineAt: '2026-12-24T16:00:00.000Z', provisional: false };
    const deadline = Object.fromEntries(diffInWords({}, { completeness: window }, context('chuying-loan')).map((r) => [r.path, r.after.text]));
    expect(deadline['completeness.lastWorkingDay']).toBe('2026年12月24日');
    expect(deadline['completeness.deadlineAt']).toBe('2026年12月24日（含）前');
  });

  it('reads a withdrawn award of a competitive call in words: the panel’s result, scores in points, the 公示’s end as its inclusive day, the remedy', () => {
    const [withdrawn, reduced] = competitiveCallHistories().map((h) => h.events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> })));
    const rows = diffInWords(null, foldCase('application', withdrawn!), context('application'));
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(byPath['panel.review.aggregate']).toMatchObject({ label: '评审组 · 评审结果 · 综合得分', after: { text: '87.07 分' } });
    expect(byPath['panel.review.method']).toMatchObject({ label: '评审组 · 评审结果 · 计分方法', after: { text: '平均分' } });
    expect(byPath['panel.review.rank']).toMatchObject({ label: '评审组 · 评审结果 · 名次', after: { text: '第 1 位' } });
    expect(byPath['panel.review.rankedOf']).toMatchObject({ label: '评审组 · 评审结果 · 参与排名', after: { text: '共 3 位' } });
    expect(byPath['panel.review.sheets[0]']?.after.text).toContain('总分 87.00 分');
    expect(byPath['panel.decision.decision']).toMatchObject({ label: '评审组 · 批量审批决定 · 决定', after: { text: '入选' } });
    expect(byPath['panel.decision.decidedAt']).toMatchObject({ label: '评审组 · 批量审批决定 · 决定时间', after: { text: '2026年12月4日 10:00' } });
    expect(byPath['publicity.programme.id']).toMatchObject({ label: '公示 · 政策 · 编号', after: { text: 'huangpu-carrier-operator', code: true } });
    expect(byPath['publicity.programme.name']?.label).toBe('公示 · 政策 · 名称');
    expect(byPath['publicity.recipient.kind']).toMatchObject({ label: '公示 · 受奖人 · 类别', after: { text: '单位' } });
    // 24:00 Beijing time at the end of its last working day, 10 December: the 公示 runs to the 10th, inclusive.
    expect(byPath['publicity.window.endsAt']).toMatchObject({ label: '公示 · 公示期 · 截止时间', after: { text: '2026年12月10日（含）前' } });
    expect(byPath['publicity.objections[0]']?.after.text).toContain('补救（方式 撤销资助）');
    // The other award: five scorers, the mean trimmed; lowered by an objection upheld.
    const lowered = Object.fromEntries(diffInWords(null, foldCase('application', reduced!), context('application')).map((r) => [r.path, r.after.text]));
    expect(lowered['panel.review.method']).toBe('去掉一个最高分和一个最低分后的平均分');
    expect(lowered['publicity.objections[0]']).toContain('补救（方式 调低资助金额；金额 500,000.00 元）');
  });

  it('names the officials the state keeps by id, and list elements by their place', () => {
    expect(diffInWords({ reviewerIds: [] }, { reviewerIds: ['acct-fund-reviewer'] }, context('chuying-loan'))).toEqual([
      { path: 'reviewerIds', kind: 'added', label: '经办人', before: { text: '—' }, after: { text: '王审查' } },
    ]);
    expect(fieldLabel('instalments[2].paidFen')).toBe('还款计划 · 第 3 期 · 已还金额');
    expect(fieldLabel('facts.monthlyRentFen')).toBe('申请事实 · 每月实际租金');
  });

  it('reads the department’s record of a move out of 杨浦 in words: who, which department, how it knows', () => {
    const recorded = { leftYangpu: { leftOn: '2027-02-05', reportedAt: '2027-03-05T02:00:00.000Z', recordedBy: { department: 'yangpu-investment', by: { accountId: 'acct-yangpu-approver', displayName: '钱审批' }, note: '市场监管登记迁出' } } };
    const rows = Object.fromEntries(diffInWords({}, recorded, context('application')).map((r) => [r.label, r.after.text]));
    expect(rows).toEqual({
      '迁离杨浦 · 迁离日期': '2027年2月5日',
      '迁离杨浦 · 报告时间': '2027年3月5日 10:00',
      '迁离杨浦 · 主管部门登记 · 办理人': '钱审批',
      '迁离杨浦 · 主管部门登记 · 部门': '杨浦区投促办',
      '迁离杨浦 · 主管部门登记 · 说明': '市场监管登记迁出',
    });
  });
});

describe('a fact’s source and a time limit’s step in words', () => {
  it('names where a fact came from, the register and the day it was read, and a step by its status', () => {
    // A second outside tester's as-of read 其他字段（factSources.dramaFilingNo.asOf）, 来源：claimed/register and 环节：awaiting-disbursement.
    expect(fieldLabel('factSources.dramaFilingNo.asOf')).toBe(`事实来源 · ${factLabel('dramaFilingNo')} · 核对日期`);
    expect(fieldLabel('factSources.admittedToCarrier.register')).toBe(`事实来源 · ${factLabel('admittedToCarrier')} · 登记名录`);
    const words = (path: string, value: unknown, caseType = 'application') => valueInWords(path, value, context(caseType)).text;
    expect(words('factSources.admittedToCarrier.source', 'register')).toBe('登记名录核对');
    expect(words('factSources.requestedAmountFen.source', 'claimed')).toBe('申请人声明');
    expect(words('factSources.dramaFilingNo.register', 'drama-filings')).toBe('本系统微短剧备案');
    expect(words('factSources.admittedToCarrier.register', 'carrier-tenants')).toBe('载体入驻企业名录');
    expect(words('timeLimit.step', 'awaiting-disbursement', 'chuying-loan')).toBe('待放款');
    // A step no status names stays as written.
    expect(valueInWords('timeLimit.step', 'no-such-step', context('chuying-loan'))).toEqual({ text: 'no-such-step', code: true });
  });
});
