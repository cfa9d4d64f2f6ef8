import type { ProgrammeFamily } from './programme.js';

/**
 * The policy documents behind the catalogue (shared/seeds 000–004), named once: the 办事指南's
 * 政策依据 (served by the API) and the decision letters both read this table, so the two can never
 * name one document two ways again.
 *
 * A catalogue `source` names seed files by number and the place within them ("002 Q9 / 001 黄浦 ①");
 * people know the documents by their titles, so that code never reaches them.
 */

/** A document: its title as issued (in 《》 where it was issued under that title), and the short name people use. */
interface SourceDocument {
  title: string;
  knownAs?: string;
}

// Titles as the seeds print them: 001 and 003 both name 《杨浦区打造互联网优质内容创作集聚区支持政策》
// (003: 简称“YOUNG立方”); 004 names 《上海市加快推进人工智能赋能微短剧高质量发展的若干措施》 (简称AI微短剧“沪8条”).
// 黄浦 and 徐汇 announced their measures in the press without a formal title: described as announced.
const HU9: SourceDocument = { title: '《上海市关于支持互联网优质内容创作的若干举措》', knownAs: '沪九条' };
const YANGPU: SourceDocument = { title: '《杨浦区打造互联网优质内容创作集聚区支持政策》', knownAs: '“YOUNG立方”' };
const HUANGPU: SourceDocument = { title: '黄浦区支持互联网优质内容创作四大维度举措' };
const HU8: SourceDocument = { title: '《上海市加快推进人工智能赋能微短剧高质量发展的若干措施》', knownAs: 'AI微短剧“沪8条”' };
const XUHUI: SourceDocument = { title: '徐汇区AI+微短剧产业集聚区配套扶持举措' };
// 000 and 003 are reports about the policies, cited where a rule is stated only there.
const ACTIVITY_MONTH: SourceDocument = { title: '上海“互联网优质内容创作活动月”相关报道' };
const YANGPU_CASE: SourceDocument = { title: '杨浦区改革案例《打造优质内容“梦工厂”，培育发展新质生产力》' };

/** The document each family's decisions rest on: what a decision letter says the applicant meets. */
const DOCUMENT_OF_FAMILY: Readonly<Record<ProgrammeFamily, SourceDocument>> = {
  hu9: HU9,
  yangpu: YANGPU,
  huangpu: HUANGPU,
  'drama-hu8': HU8,
  xuhui: XUHUI,
};

/** One document and, where the source names it, the place within it (政策问答第 9 问, “奖”维度, 第三条 …). */
interface Citation {
  document: SourceDocument;
  place?: string;
}

// The catalogue numbers 黄浦's measures as DOMAIN.md lists them (①–④); the announcement groups them
// under four headings, which is how a reader finds them: ① platforms and ② creators both sit under the first.
const HUANGPU_HEADINGS: Readonly<Record<string, string>> = { '①': '聚企聚才强根基', '②': '聚企聚才强根基', '③': '优空间强服务', '④': '促交流拓影响' };
// 003 tells its story in five parts (时空端 … 治理端); the catalogue cites two of them by their subject.
const YANGPU_CASE_PARTS: Readonly<Record<string, string>> = { 人才: '人才端', 管: '治理端' };

const CITATIONS: readonly [RegExp, (m: RegExpMatchArray) => Citation][] = [
  [/^000$/, () => ({ document: ACTIVITY_MONTH })],
  [/^001 黄浦(?: ?([①②③④]))?$/, (m) => ({ document: HUANGPU, ...(m[1] ? { place: `“${HUANGPU_HEADINGS[m[1]]}”` } : {}) })],
  [/^001(?: ([免奖服投补管]))?$/, (m) => ({ document: YANGPU, ...(m[1] ? { place: `“${m[1]}”维度` } : {}) })],
  [/^002 Q(\d+)(?:[–-](\d+))?$/, (m) => ({ document: HU9, place: `政策问答第 ${m[1]}${m[2] ? `–${m[2]}` : ''} 问` })],
  [/^003(?: (.+))?$/, (m) => ({ document: YANGPU_CASE, ...(m[1] ? { place: `（${YANGPU_CASE_PARTS[m[1]] ?? m[1]}）` } : {}) })],
  [/^004 沪8条 ([一二三四五六七八])$/, (m) => ({ document: HU8, place: `第${m[1]}条` })],
  // 004: 五是完善公共服务 … 对普通微短剧规划备案和完成片上线备案，实行工作日随报随审.
  [/^004 随报随审$/, () => ({ document: HU8, place: '第五条' })],
  [/^004 徐汇$/, () => ({ document: XUHUI })],
];

function nameOf(document: SourceDocument): string {
  return document.knownAs ? `${document.title}（${document.knownAs}）` : document.title;
}

function citationsOf(source: string): (Citation | string)[] {
  return source
    .split('/')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      for (const [pattern, cite] of CITATIONS) {
        const match = part.match(pattern);
        if (match) return cite(match);
      }
      // Unknown to the table: shown as written rather than dropped (the catalogue test keeps this from happening).
      return part;
    });
}

function inWords(citation: Citation | string): string {
  return typeof citation === 'string' ? citation : `${nameOf(citation.document)}${citation.place ?? ''}`;
}

/** 政策依据 in words: "002 Q9 / 001 黄浦 ①" → each document by its title, and the place within it. */
export function sourceInWords(source: string): string {
  return citationsOf(source).map(inWords).join('；');
}

/** The document a family's decisions rest on, as a letter names it: 《…》（short name）. */
export function documentOf(family: ProgrammeFamily): string {
  return nameOf(DOCUMENT_OF_FAMILY[family]);
}

/**
 * Where in the sources a measure stands, for a letter that has already named the family's document:
 * the place within that document, and any other document in full ("政策问答第 9 问；黄浦区…"). Empty
 * when the source names the family's document and no place in it.
 */
export function placeInSources(family: ProgrammeFamily, source: string): string {
  const own = DOCUMENT_OF_FAMILY[family];
  return citationsOf(source)
    .map((citation) => (typeof citation !== 'string' && citation.document === own ? (citation.place ?? '') : inWords(citation)))
    .filter((words) => words !== '')
    .join('；');
}
