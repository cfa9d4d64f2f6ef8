import { describe, expect, it } from 'vitest';
import { checkpointLine, dashboardSectionsFor, monthsWithData } from '../../web/src/views/staff-rules.js';

describe('数据看板: what each viewer is shown and asked for', () => {
  it('shows the 雏鹰 loan book to 杨浦区 V聚场基金 and auditors only, the filing time limits to 市文旅局 and auditors only', () => {
    expect(dashboardSectionsFor({ role: 'official', department: 'culture-tourism' })).toEqual({ loanBook: false, filingSla: true });
    expect(dashboardSectionsFor({ role: 'official', department: 'yangpu-fund' })).toEqual({ loanBook: true, filingSla: false });
    expect(dashboardSectionsFor({ role: 'official', department: 'cac' })).toEqual({ loanBook: false, filingSla: false });
    expect(dashboardSectionsFor({ role: 'auditor', department: null })).toEqual({ loanBook: true, filingSla: true });
    expect(dashboardSectionsFor({ role: 'applicant', department: null })).toEqual({ loanBook: false, filingSla: false });
  });

  it('offers the months from the oldest case to now, newest first, and no month before any case', () => {
    expect(monthsWithData('2026-12', '2026-12', undefined)).toEqual(['2026-12']);
    expect(monthsWithData('2027-02', '2026-11', undefined)).toEqual(['2027-02', '2027-01', '2026-12', '2026-11']);
    // No case yet: this month alone.
    expect(monthsWithData('2026-12', undefined, undefined)).toEqual(['2026-12']);
    // A month from the address outside the range stays selectable, so the form shows what the page counts.
    expect(monthsWithData('2026-12', '2026-12', '2025-01')).toEqual(['2026-12', '2025-01']);
  });
});

describe('the audit page names what a signed checkpoint covers in words', () => {
  const checkpoint = { checkpointNo: 1, signature: 'valid', streamsRoot: 'matches', createdAt: '2026-12-03T06:00:00Z' } as const;

  it('never says 第 0 版: a checkpoint signed before the case began covers none of its events', () => {
    const line = checkpointLine({ ...checkpoint, coveredVersion: 0 });
    expect(line).not.toContain('第 0 版');
    expect(line).toContain('签名时本案尚无记录');
  });

  it('names the events it covers, from the first', () => {
    expect(checkpointLine({ ...checkpoint, coveredVersion: 1 })).toBe('已签名检查点 #1 覆盖本案第 1 版（签名有效）');
    expect(checkpointLine({ ...checkpoint, coveredVersion: 7, signature: 'invalid' })).toBe('已签名检查点 #1 覆盖本案第 1 至第 7 版（签名无效）');
  });
});
