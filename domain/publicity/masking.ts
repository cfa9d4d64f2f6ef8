import { validationError } from '../errors.js';

/**
 * 复姓 (two-character surnames): a person's surname is the part of the name a 公示 may show.
 * Only these are kept as a whole; any other name keeps its first character.
 */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '夏侯', '轩辕', '端木', '独孤',
  '南宫', '西门', '司徒', '司空', '申屠', '太史', '闻人', '澹台', '公冶', '宗政', '濮阳', '淳于', '单于', '太叔', '仲孙', '钟离',
  '万俟', '呼延', '百里', '东郭', '第五', '赫连', '拓跋', '左丘', '公羊', '梁丘', '谷梁', '子车', '亓官', '羊舌', '微生', '段干',
]);

/** Characters that separate parts of a name (·, the full-width ・ and ．, spaces, hyphens): kept, so the masked name still reads as a name. */
const SEPARATOR = /^[\s·・．.\-‧•]$/u;

/**
 * A person's name as a 公示 shows it: the surname and one * for each other character
 * (张三 → 张*, 欧阳娜娜 → 欧阳**). PIPL's minimum-necessary rule: the public needs to see that
 * the award went to a real, distinguishable person, not who exactly; the given name identifies,
 * so none of it is shown (欧**娜 would show a character of it).
 *
 * - A compound surname is kept whole only when a given name follows it (欧阳 alone is 欧 + 阳 → 欧*).
 * - A one-character name shows nothing: the character is both all there is and the identifying part.
 * - Names without a surname first (买买提·艾力, John Smith, mixed 张Lily) keep their first
 *   character only; separators stay, every other character becomes *.
 * - Characters are counted as code points, so a name with a rare character (𠮷) masks right.
 */
export function maskPersonName(name: string): string {
  const chars = [...name.trim().replace(/\s+/gu, ' ')];
  if (chars.length === 0) throw validationError('姓名不能为空。', [{ field: 'recipient.name', message: '必填' }]);
  if (chars.length === 1) return '*';
  const twoFirst = chars.slice(0, 2).join('');
  const kept = chars.length >= 3 && COMPOUND_SURNAMES.has(twoFirst) ? 2 : 1;
  return chars.map((c, i) => (i < kept || SEPARATOR.test(c) ? c : '*')).join('');
}

export type Recipient = { kind: 'company'; name: string } | { kind: 'person'; name: string };

/** How a recipient is named on the public list: a company by its full registered name, a person masked. */
export function publicRecipientName(recipient: Recipient): string {
  if (recipient.kind === 'person') return maskPersonName(recipient.name);
  const name = recipient.name.trim();
  if (name === '') throw validationError('单位名称不能为空。', [{ field: 'recipient.name', message: '必填' }]);
  return name;
}
