import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/cases/actor.js';
import { DomainError } from '../../../domain/errors.js';
import { answerFacts, unverifiedClaims } from '../../../domain/registers/answer-facts.js';
import { decideRegister, evolveRegister, initialRegisterState, type RegisterCommand, type RegisterEvent, type RegisterKind, type RegisterState } from '../../../domain/registers/registers.js';
import { parseLocalDate, type LocalDate } from '../../../domain/time/local-date.js';

const yangpu: Actor = { accountId: 'a-yp', displayName: '孙评审', role: 'official', department: 'yangpu-investment' };
const hrss: Actor = { accountId: 'a-hr', displayName: '韩人社', role: 'official', department: 'hrss' };
const admin: Actor = { accountId: 'a-ad', displayName: '系统管理员', role: 'admin' };
const NOW = Date.parse('2026-12-02T02:00:00Z');
const d = (text: string): LocalDate => parseLocalDate(text);
const CODE = '91310110MA1G812343';

/** Given these commands, the register they leave. */
function given(kind: RegisterKind, actor: Actor, commands: RegisterCommand[]): RegisterState {
  return commands.reduce((state, command) => decideRegister(state, command, { actor, now: NOW }).reduce(evolveRegister, state), initialRegisterState(kind));
}

const tenant = (entryId: string, subject = CODE, carrier = 'V聚场', from = '2026-01-01', to: string | null = null): RegisterCommand => ({
  type: 'AddEntry',
  entryId,
  fields: { subject, name: '某某传媒', detail: { carrier }, from: d(from), to: to === null ? null : d(to) },
  reason: '入驻协议',
});

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('decideRegister', () => {
  it('records who added, changed and ended an entry, and why', () => {
    const state = given('carrier-tenants', yangpu, [tenant('e1')]);
    const events: RegisterEvent[] = decideRegister(state, { type: 'EndEntry', entryId: 'e1', endedOn: d('2026-06-30'), reason: '迁出' }, { actor: yangpu, now: NOW });
    expect(events).toEqual([{ type: 'RegisterEntryEnded', data: { kind: 'carrier-tenants', entryId: 'e1', endedOn: '2026-06-30', by: { accountId: 'a-yp', displayName: '孙评审', role: 'official', department: 'yangpu-investment' }, reason: '迁出', at: new Date(NOW).toISOString() } }]);
    const ended = events.reduce(evolveRegister, state);
    expect(ended.entries.e1).toMatchObject({ to: '2026-06-30', ended: { on: '2026-06-30', reason: '迁出' }, revision: 2 });
  });

  it('is written only by the department that keeps it; the LPR only by the administrator', () => {
    expect(refusal(() => given('carrier-tenants', hrss, [tenant('e1')])).kind).toBe('forbidden');
    const lpr: RegisterCommand = { type: 'AddEntry', entryId: 'l1', fields: { subject: '2026-11', name: '2026年11月', detail: { oneYearBasisPoints: 300, overFiveYearsBasisPoints: 350 }, from: d('2026-11-20'), to: null }, reason: '公布' };
    expect(refusal(() => given('lpr', yangpu, [lpr])).message).toContain('系统管理员');
    expect(Object.keys(given('lpr', admin, [lpr]).entries)).toEqual(['l1']);
  });

  it('needs a reason, a well-formed 统一社会信用代码 and the register’s details', () => {
    expect(refusal(() => given('carrier-tenants', yangpu, [{ ...tenant('e1'), reason: '  ' }])).message).toContain('理由');
    expect(refusal(() => given('carrier-tenants', yangpu, [tenant('e1', 'not-a-code')])).issues).toEqual([{ field: 'subject', message: '统一社会信用代码应为 18 位，这里是 10 位（见营业执照）' }]);
    expect(refusal(() => given('carrier-tenants', yangpu, [tenant('e1', CODE, '')])).issues).toEqual([{ field: 'detail.carrier', message: '请填写入驻载体' }]);
  });

  it('does not list the same subject twice for the same days: another carrier, or days that do not overlap, is another entry', () => {
    const state = given('carrier-tenants', yangpu, [tenant('e1', CODE, 'V聚场', '2026-01-01', '2026-06-30')]);
    const twice = refusal(() => decideRegister(state, tenant('e2', CODE, 'V聚场', '2026-06-30'), { actor: yangpu, now: NOW }));
    expect(twice.kind).toBe('illegal-state');
    expect(twice.message).toBe('载体入驻企业名录已有这一条目：某某传媒（91310110MA1G812343，2026-01-01 起至 2026-06-30，条目 e1）。如需改期限或名称，请修改该条目。');
    expect(Object.keys(given('carrier-tenants', yangpu, [tenant('e1', CODE, 'V聚场', '2026-01-01', '2026-06-30'), tenant('e2', CODE, 'V聚场', '2026-07-01'), tenant('e3', CODE, '长阳创谷')]).entries)).toEqual(['e1', 'e2', 'e3']);
    // An ended entry is history: the same tenant may be listed again from the day after.
    const ended = given('carrier-tenants', yangpu, [tenant('e1'), { type: 'EndEntry', entryId: 'e1', endedOn: d('2026-03-01'), reason: '迁出' }, tenant('e2', CODE, 'V聚场', '2026-05-01')]);
    expect(Object.keys(ended.entries)).toEqual(['e1', 'e2']);
  });

  it('does not change an ended entry', () => {
    const state = given('carrier-tenants', yangpu, [tenant('e1'), { type: 'EndEntry', entryId: 'e1', endedOn: d('2026-03-01'), reason: '迁出' }]);
    expect(refusal(() => decideRegister(state, { type: 'ChangeEntry', entryId: 'e1', fields: { name: 'x' }, reason: '改' }, { actor: yangpu, now: NOW })).kind).toBe('illegal-state');
  });
});

describe('answerFacts', () => {
  const registers = () => ({
    'carrier-tenants': Object.values(given('carrier-tenants', yangpu, [tenant('e1', CODE, 'V聚场', '2026-01-01', '2026-06-30')]).entries),
    lpr: Object.values(
      given('lpr', admin, [
        { type: 'AddEntry', entryId: 'l10', fields: { subject: '2026-10', name: '10月', detail: { oneYearBasisPoints: 300, overFiveYearsBasisPoints: 350 }, from: d('2026-10-20'), to: null }, reason: '公布' },
        { type: 'AddEntry', entryId: 'l11', fields: { subject: '2026-11', name: '11月', detail: { oneYearBasisPoints: 290, overFiveYearsBasisPoints: 340 }, from: d('2026-11-20'), to: null }, reason: '公布' },
      ]).entries,
    ),
  });
  const keys = { applicantAccountId: 'acct-x', creditCode: CODE };

  it('puts the register’s answer in place of the typed one, as of the day', () => {
    const during = answerFacts(['applicantKind', 'admittedToCarrier', 'vJuchangTenant'], { applicantKind: 'company', admittedToCarrier: false }, registers(), keys, d('2026-03-01'));
    expect(during.facts).toMatchObject({ admittedToCarrier: true, vJuchangTenant: true });
    expect(during.sources.admittedToCarrier).toMatchObject({ source: 'register', register: 'carrier-tenants', entryId: 'e1', asOf: '2026-03-01' });
    expect(during.sources.applicantKind).toEqual({ source: 'claimed' });
    const after = answerFacts(['admittedToCarrier'], { admittedToCarrier: true }, registers(), keys, d('2026-07-01'));
    expect(after.facts.admittedToCarrier).toBe(false);
    expect(after.sources.admittedToCarrier).toMatchObject({ source: 'register', entryId: null });
  });

  it('gives the day of admission from the carrier register, never as typed', () => {
    const typed = { applicantKind: 'company' as const, admittedToCarrier: true, admittedOn: d('2026-12-01') };
    const during = answerFacts(['applicantKind', 'admittedToCarrier'], typed, registers(), keys, d('2026-03-01'));
    expect(during.facts.admittedOn).toBe('2026-01-01');
    expect(during.sources).not.toHaveProperty('admittedOn');
    // No entry holding on the day: no day of admission, whatever was typed.
    expect(answerFacts(['admittedToCarrier'], typed, registers(), keys, d('2026-07-01')).facts).not.toHaveProperty('admittedOn');
    const person = answerFacts(['admittedToCarrier'], { ...typed, applicantKind: 'individual-creator' }, registers(), { applicantAccountId: 'acct-x' }, d('2026-03-01'));
    expect(person.facts).not.toHaveProperty('admittedOn');
  });

  it('takes the LPR last published on or before the day, of the loan’s tenor', () => {
    const before = answerFacts(['lprBasisPoints', 'termMonths'], { lprBasisPoints: 100, termMonths: 12 }, registers(), keys, d('2026-11-19'));
    expect(before.facts.lprBasisPoints).toBe(300);
    const longLoan = answerFacts(['lprBasisPoints', 'termMonths'], { termMonths: 84 }, registers(), keys, d('2026-11-20'));
    expect(longLoan.facts.lprBasisPoints).toBe(340);
    expect(longLoan.sources.lprBasisPoints).toMatchObject({ entryId: 'l11' });
  });

  it('asks an organisation for its 统一社会信用代码; a person’s fact stays their claim', () => {
    expect(refusal(() => answerFacts(['admittedToCarrier'], { applicantKind: 'company' }, registers(), { applicantAccountId: 'acct-x' }, d('2026-03-01'))).message).toContain('统一社会信用代码');
    const person = answerFacts(['admittedToCarrier'], { applicantKind: 'individual-creator', admittedToCarrier: true }, registers(), { applicantAccountId: 'acct-x' }, d('2026-03-01'));
    expect(person.sources.admittedToCarrier).toEqual({ source: 'claimed' });
  });
});

describe('unverifiedClaims', () => {
  it('names the claims no official verified; a case without sources has none', () => {
    const sources = { applicantKind: { source: 'claimed' as const }, monthlyRentFen: { source: 'claimed' as const } };
    expect(unverifiedClaims(sources, { applicantKind: { against: '营业执照' } })).toEqual(['monthlyRentFen']);
    expect(unverifiedClaims(undefined, undefined)).toEqual([]);
  });
});
