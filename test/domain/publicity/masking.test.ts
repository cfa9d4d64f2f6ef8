import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors.js';
import { maskPersonName, publicRecipientName } from '../../../domain/publicity/masking.js';

describe('a person on the 公示 list: the surname, and one * for each other character (PIPL: minimum necessary)', () => {
  it.each([
    ['张三', '张*'],
    ['李小龙', '李**'],
    ['欧阳娜娜', '欧阳**'],
    ['司马光', '司马*'],
    ['诸葛孔明', '诸葛**'],
    // Two characters that begin like a compound surname are surname + given name.
    ['欧阳', '欧*'],
    // One character: the whole name would identify; nothing is shown.
    ['王', '*'],
    // Names without a surname first keep their first character; the separator stays.
    ['买买提·艾力', '买**·**'],
    ['阿依古丽・吐尔逊', '阿***・***'],
    ['John Smith', 'J*** *****'],
    ['Zhang San', 'Z**** ***'],
    // Mixed scripts.
    ['张Lily', '张****'],
    ['Anna李', 'A****'],
    // A character outside the Basic Multilingual Plane counts as one.
    ['𠮷野家', '𠮷**'],
    // Surrounding and repeated spaces are not part of the name.
    ['  赵  六 ', '赵 *'],
  ])('%s → %s', (name, masked) => {
    expect(maskPersonName(name)).toBe(masked);
  });

  it('never shows a character of the given name', () => {
    for (const [name, given] of [['张三丰', '三丰'], ['欧阳娜娜', '娜娜'], ['上官婉儿', '婉儿'], ['娜扎', '扎']] as const) {
      const masked = maskPersonName(name);
      for (const ch of given) expect(masked).not.toContain(ch);
    }
  });

  it('refuses an empty name in Chinese', () => {
    expect(() => maskPersonName('   ')).toThrow(DomainError);
    expect(() => maskPersonName('')).toThrow('姓名不能为空。');
  });
});

describe('the recipient as the public list names it', () => {
  it('a company by its full registered name, unmasked', () => {
    expect(publicRecipientName({ kind: 'company', name: ' 上海星河文化传媒有限公司 ' })).toBe('上海星河文化传媒有限公司');
  });

  it('a person masked', () => {
    expect(publicRecipientName({ kind: 'person', name: '欧阳娜娜' })).toBe('欧阳**');
  });

  it('refuses a company without a name', () => {
    expect(() => publicRecipientName({ kind: 'company', name: '' })).toThrow('单位名称不能为空。');
  });
});
