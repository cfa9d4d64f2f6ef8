import { describe, expect, it } from 'vitest';
import { answerFilingNo, filingCheckOf, filingFactSource, filingNoInWords, filingNoProblem, systemFilingNo, type FilingOnRecord } from '../../domain/drama-filing/filing-number.js';
import { yuan } from '../../domain/money/fen.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import { checkApplication } from '../../domain/programmes/check.js';
import type { Programme } from '../../domain/programmes/programme.js';
import { fundedItemKey, itemMatchKey, sameFundedItem, type LedgerAward } from '../../domain/programmes/stacking.js';
import { parseLocalDate } from '../../domain/time/local-date.js';

const ON = parseLocalDate('2026-12-03');
const programme = (id: string): Programme => findProgramme(id)!;
const filing = (overrides: Partial<FilingOnRecord> = {}): FilingOnRecord => ({
  caseId: '00000000-0000-4000-8000-000000000001', referenceNo: 'BA-2026-000123', filingType: 'drama-planning-filing', status: 'approved', applicantAccountId: 'me', title: '外滩往事', ...overrides,
});

describe('a 微短剧备案号 answered by the filings the system keeps', () => {
  it('knows the system’s own numbers however typed, and leaves numbers filed elsewhere alone', () => {
    expect(systemFilingNo('BA-2026-000123')).toBe('BA-2026-000123');
    expect(systemFilingNo(' ba 2026 000123 ')).toBe('BA-2026-000123');
    expect(systemFilingNo('ＢＡ－２０２６－０００１２３')).toBe('BA-2026-000123');
    expect(systemFilingNo('沪剧备2026-001')).toBeUndefined();
    // Wherever it sits in what was typed (an outside tester's prefixed and suffixed numbers passed as filed elsewhere).
    for (const typed of ['备案号BA-2026-000123', 'No.BA-2026-000123', 'BA-2026-000123（规划备案）', 'BA2026000123', 'BA/2026/000123']) expect(systemFilingNo(typed), typed).toBe('BA-2026-000123');
    // A sequence written short is the same number.
    expect(systemFilingNo('BA-2026-123')).toBe('BA-2026-000123');
    expect(systemFilingNo('BA-2026-12345')).toBe('BA-2026-012345');
    // Not inside a longer word, nor in an id's hex: a band's name, an item of another scheme, a random item id are no filing numbers.
    for (const other of ['BAND-2026-01', 'HBA-2026-000123', 'drama-3f2a9c1e-4b7d-ba79-90c1-2d4e6f8a0b1c', 'BA-26-000123', 'BA-2026-1234567', 'BA-2026-000123X']) expect(systemFilingNo(other), other).toBeUndefined();
  });

  it('refuses a number of the system’s format no filing has, at the field, in plain Chinese', () => {
    const answer = answerFilingNo('BA-2099-999999', undefined, 'me');
    expect(answer).toEqual({ kind: 'missing', referenceNo: 'BA-2099-999999' });
    expect(filingNoProblem(answer)).toMatchObject({ field: 'facts.dramaFilingNo', code: 'drama-filing-not-found', message: expect.stringContaining('本系统没有备案号为 BA-2099-999999 的微短剧备案') });
    expect(filingFactSource(answer, ON)).toBeUndefined();
  });

  it('refuses another applicant’s filing without saying whose', () => {
    const answer = answerFilingNo('BA-2026-000123', filing({ applicantAccountId: 'someone-else' }), 'me');
    const problem = filingNoProblem(answer)!;
    expect(problem).toMatchObject({ field: 'facts.dramaFilingNo', code: 'drama-filing-of-another-applicant' });
    expect(problem.message).toMatch(/^该备案号不是您的备案/);
    expect(problem.message).not.toContain('someone-else');
    expect(filingFactSource(answer, ON)).toBeUndefined();
  });

  it('answers the applicant’s own filing as a register would, and tells the reviewer one not yet approved without refusing it', () => {
    const approved = answerFilingNo('ba2026000123', filing(), 'me');
    expect(filingNoProblem(approved)).toBeUndefined();
    expect(filingFactSource(approved, ON)).toMatchObject({ source: 'register', register: 'drama-filings', entryId: 'BA-2026-000123', asOf: ON });
    expect(filingNoInWords(approved)).toBe('本系统微短剧规划备案 BA-2026-000123《外滩往事》：备案通过；备案申请人即本申请人');
    expect(filingCheckOf(approved)).toMatchObject({ inSystem: true, filingType: 'drama-planning-filing', status: 'approved', approved: true, sameApplicant: true });

    const inReview = answerFilingNo('BA-2026-000123', filing({ status: 'in-review', filingType: 'drama-release-filing' }), 'me');
    expect(filingNoProblem(inReview)).toBeUndefined();
    expect(filingNoInWords(inReview)).toBe('本系统微短剧完成片上线备案 BA-2026-000123《外滩往事》：审查中，尚未通过备案，请确认后再作决定；备案申请人即本申请人');
    expect(filingCheckOf(inReview)).toMatchObject({ approved: false, statusLabel: '审查中' });
    // A rejection is final: not "not yet".
    const rejected = filingNoInWords(answerFilingNo('BA-2026-000123', filing({ status: 'rejected' }), 'me'));
    expect(rejected).toContain('：不予备案，请核实；');
    expect(rejected).not.toContain('尚未');
  });

  it('lets a number filed elsewhere stand as a claim, to be checked against the original', () => {
    const outside = answerFilingNo('沪剧备2026-001', undefined, 'me');
    expect(filingNoProblem(outside)).toBeUndefined();
    expect(filingFactSource(outside, ON)).toBeUndefined();
    expect(filingNoInWords(outside)).toBe('未在本系统备案，需核对原件');
  });
});

describe('one drama, one funded item on 沪8条 and 徐汇 alike', () => {
  const excellent = { applicantKind: 'drama-producer' as const, dramaFilingNo: 'BA-2026-000123', requestedAmountFen: yuan(1_000_000), promotesCityImage: false };
  const hu8Key = fundedItemKey(programme('drama-excellent-project'), excellent)!;
  const award = (programmeId: string, itemId: string): LedgerAward => ({
    awardId: `AW-${programmeId}`, caseId: '00000000-0000-4000-8000-000000000009', applicantAccountId: 'acct-1', programmeId, itemId, amountFen: yuan(1_000_000), awardedOn: parseLocalDate('2026-06-01'),
  });

  it('compares 沪8条’s content-item:<备案号> with the 备案号 stated as 徐汇’s item, keys kept as derived', () => {
    expect(hu8Key).toBe('content-item:BA-2026-000123');
    expect(sameFundedItem(hu8Key, 'BA-2026-000123')).toBe(true);
    expect(sameFundedItem(hu8Key, 'ba 2026 000123')).toBe(true);
    expect(sameFundedItem(hu8Key, 'BA-2026-000124')).toBe(false);
    expect(itemMatchKey('W-1')).toBe('W1');
  });

  it('flags a 徐汇 优质作品 application for a drama 沪8条 funded (叠加资助待审核), and the other way round', () => {
    const xuhui = checkApplication(programme('xuhui-quality-works'), { applicantKind: 'drama-producer', requestedAmountFen: yuan(500_000), itemId: 'BA-2026-000123', registeredDistrict: '徐汇区' }, { on: ON, ledger: [award('drama-excellent-project', hu8Key)] });
    expect(xuhui.eligible).toBe(true);
    expect(xuhui.notes).toEqual([expect.objectContaining({ rule: 'stacking-unspecified', message: expect.stringContaining('AW-drama-excellent-project') })]);

    const hu8 = checkApplication(programme('drama-excellent-project'), excellent, { on: ON, ledger: [award('xuhui-quality-works', 'BA-2026-000123')] });
    expect(hu8.notes.map((n) => n.rule)).toEqual(['stacking-unspecified']);
  });
});
