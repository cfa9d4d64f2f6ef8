import { describe, expect, it } from 'vitest';
import { sourceOf } from '../../../domain/decisions/letter.js';
import { PROGRAMMES, PROGRAMMES_2026_11_23 } from '../../../domain/programmes/catalogue.js';
import type { ProgrammeFamily } from '../../../domain/programmes/programme.js';
import { documentOf, placeInSources, sourceInWords } from '../../../domain/programmes/sources.js';

/**
 * One table names the policy documents for the 办事指南 and the decision letters: every source the
 * catalogue cites reads as the documents' titles, and the two can never name a document two ways.
 */

// Every catalogue a case may have opened under, and the referrals' sources, as the catalogue writes them.
const CATALOGUED = [...PROGRAMMES_2026_11_23, ...PROGRAMMES];
const SOURCES = [...new Set([...CATALOGUED.map((p) => p.source), ...CATALOGUED.flatMap((p) => (p.referral ? [p.referral.source] : [])), '004 随报随审'])];
const FAMILIES: readonly ProgrammeFamily[] = ['hu9', 'yangpu', 'huangpu', 'drama-hu8', 'xuhui'];
// What a catalogue code looks like: a seed file's number (000–004), a 沪九条 question (Q9), a ①–④.
const RAW_CODE = /\b00\d\b|Q\d|[①②③④]|沪8条 [一二三四五六七八]/;

describe('sourceInWords: 政策依据 as people read it', () => {
  it.each(SOURCES)('%s is named by its documents, with no catalogue code left', (source) => {
    const words = sourceInWords(source);
    expect(words).not.toMatch(RAW_CODE);
    expect(words).not.toBe('');
    // One sentence per document the source cites.
    expect(words.split('；')).toHaveLength(source.split('/').length);
  });

  it('names 杨浦’s policy by the title it was issued under (001, 003), with the name people know it by', () => {
    expect(sourceInWords('001 奖')).toBe('《杨浦区打造互联网优质内容创作集聚区支持政策》（“YOUNG立方”）“奖”维度');
    expect(sourceInWords('001')).toBe('《杨浦区打造互联网优质内容创作集聚区支持政策》（“YOUNG立方”）');
  });

  it('cites the 沪九条 Q&A by question, the 沪8条 by article, and 黄浦 by the heading its measure stands under', () => {
    expect(sourceInWords('002 Q6–7')).toBe('《上海市关于支持互联网优质内容创作的若干举措》（沪九条）政策问答第 6–7 问');
    expect(sourceInWords('004 沪8条 三')).toBe('《上海市加快推进人工智能赋能微短剧高质量发展的若干措施》（AI微短剧“沪8条”）第三条');
    // 004: 五是完善公共服务 … 实行工作日随报随审.
    expect(sourceInWords('004 随报随审')).toBe('《上海市加快推进人工智能赋能微短剧高质量发展的若干措施》（AI微短剧“沪8条”）第五条');
    // 001 黄浦: the platforms (①) and the creators (②) both stand under 聚企聚才强根基; carriers (③) under 优空间强服务.
    expect(sourceInWords('001 黄浦 ②')).toBe('黄浦区支持互联网优质内容创作四大维度举措“聚企聚才强根基”');
    expect(sourceInWords('001 黄浦 ③')).toBe('黄浦区支持互联网优质内容创作四大维度举措“优空间强服务”');
  });

  it('names each document a source cites, in order', () => {
    expect(sourceInWords('002 Q9 / 001 黄浦 ①')).toBe(
      '《上海市关于支持互联网优质内容创作的若干举措》（沪九条）政策问答第 9 问；黄浦区支持互联网优质内容创作四大维度举措“聚企聚才强根基”',
    );
    expect(sourceInWords('003 人才')).toBe('杨浦区改革案例《打造优质内容“梦工厂”，培育发展新质生产力》（人才端）');
  });
});

describe('the letters name the same documents as the guide', () => {
  it.each(FAMILIES)('%s: the document a letter cites is the one the guide names for the family’s own measures', (family) => {
    const own = CATALOGUED.filter((p) => p.family === family && placeInSources(family, p.source) !== sourceInWords(p.source));
    expect(own.length).toBeGreaterThan(0);
    for (const p of own) expect(sourceInWords(p.source).startsWith(documentOf(family))).toBe(true);
  });

  it('a letter cites 杨浦’s measures under 《杨浦区打造互联网优质内容创作集聚区支持政策》 and says where, with no catalogue code', () => {
    expect(sourceOf('yangpu', '杨浦“奖” 优质内容综合评比', '001 奖')).toEqual({
      document: '《杨浦区打造互联网优质内容创作集聚区支持政策》（“YOUNG立方”）',
      measure: '杨浦“奖” 优质内容综合评比（“奖”维度）',
    });
    // 雏鹰计划 is told in 003, a report, not in the policy: the letter names the report in full.
    expect(sourceOf('yangpu', 'V聚场基金“雏鹰计划”', '003').measure).toBe('V聚场基金“雏鹰计划”（杨浦区改革案例《打造优质内容“梦工厂”，培育发展新质生产力》）');
    // A measure the family's document names without a place: the measure alone.
    expect(sourceOf('xuhui', '徐汇 优质作品奖励', '004 徐汇')).toEqual({ document: '徐汇区AI+微短剧产业集聚区配套扶持举措', measure: '徐汇 优质作品奖励' });
    // A case whose programme is no longer known (no source): the measure alone, never an empty bracket.
    expect(sourceOf('hu9', '落户支持', '').measure).toBe('落户支持');
  });

  it.each(CATALOGUED.map((p) => [p.id, p.family, p.source] as const))('%s: its letter carries no catalogue code', (_id, family, source) => {
    const { document, measure } = sourceOf(family, '事项', source);
    expect(`${document}，${measure}`).not.toMatch(RAW_CODE);
  });
});
