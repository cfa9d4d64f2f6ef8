import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { renderDecisionLetterPdf, sha256Hex } from '../../activities/decision-letter-pdf.js';
import { letterForChuyingLoan } from '../../domain/decisions/case-letters.js';
import type { LetterContent } from '../../domain/decisions/letter.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { event, history, REFERENCE_NO } from '../domain/chuying-loan.fixtures.js';
import { pdfText } from '../support/pdf-text.js';

const rejection = (): LetterContent => {
  const before = foldChuyingLoan(history.fundingDecision);
  const decision = { ...event.fundingRejected(), data: { ...event.fundingRejected().data, reasons: ['项目尚不成熟', '预算表与项目计划不一致'] } };
  return letterForChuyingLoan(decision, foldChuyingLoan([decision], before), before.version + 1)!;
};
const approval = (): LetterContent => {
  const before = foldChuyingLoan(history.fundingDecision);
  const decision = event.fundingApproved(36_000_000);
  return letterForChuyingLoan(decision, foldChuyingLoan([decision], before), before.version + 1)!;
};

describe('a decision letter as a PDF in Chinese', () => {
  it('reads back, by text extraction, the reference, the number, the amount, the reasons and the rights of review and suit', async () => {
    const content = approval();
    const text = await pdfText(await renderDecisionLetterPdf(content));
    expect(text).toContain('资助决定书');
    expect(text).toContain(REFERENCE_NO);
    expect(text).toContain(content.letterNo);
    expect(text).toContain('人民币360,000.00元');
    // The amount once: the decision sentence states it, so no 金额 line repeats it.
    expect(text.split('360,000.00').length - 1).toBe(1);
    // The application by its 申请编号, as every page names it.
    expect(text).toContain(`申请编号${REFERENCE_NO}`);
    expect(text).toContain('同意');
    expect(text).toContain('《杨浦区打造互联网优质内容创作集聚区支持政策》（“YOUNG立方”）');
    // The measure is placed in the sources in words, never by the catalogue's file codes (政策资料 003).
    expect(text).not.toContain('政策资料');
    expect(text).toContain('决定人：李决策（杨浦区V聚场基金）');
    expect(text).toContain('2026年1月22日');
    expect(text).toContain('60日内向杨浦区人民政府申请行政复议');
    expect(text).toContain('六个月内向有管辖权的人民法院提起行政诉讼');
  });

  it('a rejection lists every reason and states no amount', async () => {
    const text = await pdfText(await renderDecisionLetterPdf(rejection()));
    expect(text).toContain('不予资助决定书');
    expect(text).toContain('1.项目尚不成熟');
    expect(text).toContain('2.预算表与项目计划不一致');
    expect(text).not.toContain('金额：');
  });

  it('is deterministic: the same content gives the same bytes, other content another hash', async () => {
    const [first, second, other] = await Promise.all([renderDecisionLetterPdf(approval()), renderDecisionLetterPdf(approval()), renderDecisionLetterPdf(rejection())]);
    expect(sha256Hex(first)).toBe(sha256Hex(second));
    expect(sha256Hex(first)).not.toBe(sha256Hex(other));
    // The CJK font is embedded as a subset: the letter carries the glyphs it uses, not the 8 MB font.
    expect(first.length).toBeLessThan(200_000);
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Its fonts are its own two, from the first name on: no standard font was set up beside them (pdfkit's Helvetica took F1 and cost every letter 2.5 ms).
    expect([...first.toString('latin1').matchAll(/\/(F\d+) \d+ 0 R/g)].map((m) => m[1])).toEqual(['F1', 'F2']);
  });

  it('embeds the fonts bootstrap prepared without subroutines, so a letter carries its glyphs and nothing of the rest', async () => {
    // `node dev/bootstrap.mjs` (run by `npm test`) writes them; the package's fonts carry hundreds of global subroutines and more per font dictionary.
    for (const file of ['NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf']) {
      const prepared = fontkit.create(readFileSync(fileURLToPath(new URL(`../../.tools/letter-fonts/${file}`, import.meta.url)))) as fontkit.Font & { 'CFF ': { globalSubrIndex: unknown[] } };
      const packaged = fontkit.create(readFileSync(join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts', file))) as fontkit.Font & { 'CFF ': { globalSubrIndex: unknown[] } };
      expect(prepared['CFF '].globalSubrIndex).toHaveLength(0);
      expect(packaged['CFF '].globalSubrIndex.length).toBeGreaterThan(500);
      expect(prepared.numGlyphs).toBe(packaged.numGlyphs);
    }
    // With the packaged fonts this letter was 121 KB: every subroutine index travelled in its subset.
    expect((await renderDecisionLetterPdf(approval())).length).toBeLessThan(60_000);
  });
});
