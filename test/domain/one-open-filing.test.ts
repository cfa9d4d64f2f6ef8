import { describe, expect, it } from 'vitest';
import { filingTitleKey, holdsTheTitle, secondFilingRefusal } from '../../domain/drama-filing/one-open-filing.js';

describe('one open filing per applicant, filing type and title', () => {
  it('takes a title however it is typed: width, spaces, typed separators and letter case aside', () => {
    const key = filingTitleKey('外滩往事 AI');
    for (const typed of ['外滩往事AI', ' 外滩　往事 ａｉ ', '外滩·往事－AI', '《外滩往事》ai', '外滩—往事/AI', '外滩往事AI\u200B', '\uFEFF外滩\u200D往事AI']) expect(filingTitleKey(typed), JSON.stringify(typed)).toBe(key);
    expect(filingTitleKey('外滩往事 第二季')).not.toBe(key);
    // A title of separators only is kept as typed, not folded to nothing (and so to every other such title).
    expect(filingTitleKey('——')).toBe('——');
  });

  it('an open filing holds its title; a decided one, or one never opened, does not', () => {
    expect(['awaiting-claim', 'in-review', 'returned'].map(holdsTheTitle)).toEqual([true, true, true]);
    expect(['approved', 'rejected', 'withdrawn', 'not-submitted'].map(holdsTheTitle)).toEqual([false, false, false, false]);
  });

  it('refuses with 409, naming the open filing’s 备案编号 and its status in plain Chinese', () => {
    const refusal = secondFilingRefusal('drama-release-filing', { referenceNo: 'BA-2026-000011', status: 'in-review' });
    expect(refusal).toMatchObject({ kind: 'conflict', code: 'one-open-filing-per-title', params: { heldBy: 'BA-2026-000011', status: 'in-review' } });
    expect(refusal.message).toBe('您已有同名的完成片上线备案 BA-2026-000011（审查中），请勿重复提交；如需修改，请在该备案页面办理。');
    expect(secondFilingRefusal('drama-planning-filing', { referenceNo: 'BA-2026-000012', status: 'returned' }).message).toBe(
      '您已有同名的规划备案 BA-2026-000012（退回修改），请勿重复提交；如需修改，请在该备案页面办理。',
    );
  });
});
