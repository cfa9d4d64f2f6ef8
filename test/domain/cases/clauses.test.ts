import { describe, expect, it } from 'vitest';
import { clausesAsSentence, joinClauses } from '../../../domain/cases/clauses.js';

describe('clauses said in one line, parted by ；', () => {
  it('drops a clause’s own full stop before the next, so no 。； appears; the last keeps its ending', () => {
    expect(joinClauses(['钱审批，2026年12月3日批准', '决定意见：经评审委员会评审，列入资助名单，经处长批准。', '钱审批于2026年12月5日答复异议，核定金额调减为 5,000.00 元'])).toBe(
      '钱审批，2026年12月3日批准；决定意见：经评审委员会评审，列入资助名单，经处长批准；钱审批于2026年12月5日答复异议，核定金额调减为 5,000.00 元',
    );
    expect(joinClauses(['核定 5,000.00 元', '经处长批准。'])).toBe('核定 5,000.00 元；经处长批准。');
    expect(joinClauses(['材料不全；', '金额超限。 ', ''])).toBe('材料不全；金额超限。');
  });

  it('leaves blank parts out and answers nothing for none', () => {
    expect(joinClauses(['', null, undefined, false, '  '])).toBe('');
    expect(joinClauses([undefined, '只有一句。'])).toBe('只有一句。');
  });

  it('as a sentence: one 。 at the end, not 。。, and a 。！？ already there kept', () => {
    expect(clausesAsSentence(['材料不全。', '金额超限。'])).toBe('材料不全；金额超限。');
    expect(clausesAsSentence(['材料不全', '金额超限'])).toBe('材料不全；金额超限。');
    expect(clausesAsSentence(['为什么？'])).toBe('为什么？');
    expect(clausesAsSentence([])).toBe('');
  });
});
