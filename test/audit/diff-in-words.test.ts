import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffInWords, fieldLabel, statusLabelsOf } from '../../audit/diff-in-words.js';
import { foldCase, moduleForStreamType } from '../../cases/registry.js';
import { ChuyingHistory } from '../support/chuying-history.js';

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
  const states = [null, ...events.map((_, i) => foldCase(caseType, events.slice(0, i + 1)))];
  return states.slice(1).flatMap((state, i) => [...diffInWords(null, state, context(caseType)), ...diffInWords(states[i], state, context(caseType))]);
}

const LATIN_WORD = /[A-Za-z]{2,}/;

describe('the auditor’s diff in words', () => {
  const streams = recordedStreams();
  const loan = new ChuyingHistory();
  loan.submit();
  streams.push({ name: 'a 雏鹰 loan under the current terms', caseType: 'chuying-loan', events: loan.decided.map((d) => ({ type: d.event.type, data: d.event.data as Record<string, unknown> })) });

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
    const latinValues = rows.filter((r) => !typed.test(r.path)).flatMap((r) => [r.before, r.after].filter((v) => !v.code && LATIN_WORD.test(v.text.replace(/V聚场|AI|MCN|LPR|UP主|YOUNG/g, ''))).map((v) => `${r.path}: ${v.text}`));
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

  it('names the officials the state keeps by id, and list elements by their place', () => {
    expect(diffInWords({ reviewerIds: [] }, { reviewerIds: ['acct-fund-reviewer'] }, context('chuying-loan'))).toEqual([
      { path: 'reviewerIds', kind: 'added', label: '经办人', before: { text: '—' }, after: { text: '王审查' } },
    ]);
    expect(fieldLabel('instalments[2].paidFen')).toBe('还款计划 · 第 3 期 · 已还金额');
    expect(fieldLabel('facts.monthlyRentFen')).toBe('申请事实 · 每月实际租金');
  });
});
