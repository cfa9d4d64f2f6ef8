import { describe, expect, it } from 'vitest';
import { ageOn, birthDateOf, bornAfter, statedAgeProblem } from '../../domain/personal-data/identity.js';
import type { LocalDate } from '../../domain/time/local-date.js';

const d = (s: string) => s as LocalDate;

describe('周岁 from a 身份证号', () => {
  it('counts a year on the birthday itself, not the day before; 29 February from 1 March in other years', () => {
    expect(birthDateOf('310110201012060011')).toBe('2010-12-06');
    expect(ageOn(d('2010-12-06'), d('2026-12-05'))).toBe(15);
    expect(ageOn(d('2010-12-06'), d('2026-12-06'))).toBe(16);
    expect(ageOn(d('2008-02-29'), d('2024-02-28'))).toBe(15);
    expect(ageOn(d('2008-02-29'), d('2024-02-29'))).toBe(16);
    expect(ageOn(d('2008-02-29'), d('2025-02-28'))).toBe(16);
    expect(ageOn(d('2008-02-29'), d('2025-03-01'))).toBe(17);
  });

  it('refuses a stated age the identity contradicts (an outsider stated 16 for someone 15 that day), naming the birth date', () => {
    expect(statedAgeProblem('310110201012060011', 16, d('2026-12-05'))).toBe('年龄与身份证号不符：身份证号的出生日期为2010年12月6日，2026年12月5日为 15 周岁');
    expect(statedAgeProblem('310110201012060011', 16, d('2026-12-06'))).toBeUndefined();
  });

  it('refuses a 身份证号 whose birth date is after the day (an outsider applied with one born 2030)', () => {
    expect(bornAfter('310110203012011235', d('2026-12-05'))).toBe('身份证号中的出生日期2030年12月1日晚于今天（2026年12月5日），请核对');
    expect(bornAfter('310110201012060011', d('2026-12-05'))).toBeUndefined();
  });
});
