import { describe, expect, it } from 'vitest';
import { supplementRoundLines, supplementRounds, type SupplementHistoryEvent } from '../../audit/supplement-rounds.js';

const reviewer = { accountId: 'acct-huangpu-reviewer', displayName: '陈评审' };
const creator = { accountId: 'acct-applicant', displayName: '上海星河文化传媒有限公司' };
const event = (streamVersion: number, type: string, data: Record<string, unknown>): SupplementHistoryEvent => ({ streamVersion, type, data });

describe('the 补正 rounds an auditor reads as of a moment', () => {
  // Given an application asked twice for more material: the first answered, the second's day moved by a holiday arrangement, then answered.
  const history = [
    event(1, 'ApplicationSubmitted', { referenceNo: 'AP-2026-000001' }),
    event(2, 'SupplementRequested', { by: reviewer, missingItems: ['集聚创作者名单'], requestedAt: '2026-12-01T02:00:00.000Z', replyDueOn: '2026-12-31' }),
    event(3, 'SupplementProvided', {
      by: creator,
      responses: [{ item: '集聚创作者名单', response: '名单见附件', documents: [{ documentId: 'd1', sha256: 'a'.repeat(64), name: '创作者名单.xlsx', mediaType: 'application/vnd.ms-excel', size: 10 }] }],
      providedAt: '2026-12-02T02:00:00.000Z',
    }),
    event(4, 'SupplementRequested', {
      by: reviewer,
      missingItems: ['完税证明', '社保缴纳记录'],
      requestedAt: '2026-12-20T02:00:00.000Z',
      replyDueOn: '2027-01-19',
      replyPeriod: { countedFrom: '2026-12-20', days: 30, provisional: true },
    }),
    event(5, 'SupplementReplyRecomputed', { previous: { replyDueOn: '2027-01-19', provisional: true }, current: { replyDueOn: '2027-01-20', provisional: false }, at: '2026-12-25T01:00:00.000Z' }),
    event(6, 'SupplementProvided', { by: creator, responses: [{ item: '完税证明', response: '已上传' }, { item: '社保缴纳记录', response: '已上传' }], providedAt: '2027-01-05T02:00:00.000Z' }),
  ];

  it('keeps each request with its items and day once answered, beside its answer', () => {
    const [first, second] = supplementRounds(history);
    expect(first).toEqual({
      round: 1,
      requestedInVersion: 2,
      requestedAt: '2026-12-01T02:00:00.000Z',
      requestedBy: reviewer,
      missingItems: ['集聚创作者名单'],
      replyDueOn: '2026-12-31',
      provisional: false,
      replyDueMoves: [],
      answer: { version: 3, providedAt: '2026-12-02T02:00:00.000Z', by: creator, responses: [{ item: '集聚创作者名单', response: '名单见附件', documents: ['创作者名单.xlsx'] }] },
    });
    expect(second).toMatchObject({
      round: 2,
      missingItems: ['完税证明', '社保缴纳记录'],
      replyDueOn: '2027-01-20',
      provisional: false,
      replyDueMoves: [{ from: '2027-01-19', to: '2027-01-20', at: '2026-12-25T01:00:00.000Z', version: 5 }],
      answer: { version: 6, responses: [{ item: '完税证明', response: '已上传', documents: [] }, { item: '社保缴纳记录', response: '已上传', documents: [] }] },
    });
  });

  it('reads in words for people: each request, its day and each move of it, then the answer item by item with its files', () => {
    expect(supplementRoundLines(supplementRounds(history))).toEqual([
      '第 1 次补正（第 2 版，2026年12月1日 10:00，陈评审）：集聚创作者名单',
      '  补正期限：2026年12月31日',
      '  答复（第 3 版，2026年12月2日 10:00，上海星河文化传媒有限公司）：',
      '    集聚创作者名单：名单见附件（附件：创作者名单.xlsx）',
      '第 2 次补正（第 4 版，2026年12月20日 10:00，陈评审）：完税证明；社保缴纳记录',
      '  补正期限：2027年1月20日',
      '  期限变更（第 5 版，2026年12月25日 09:00）：2027年1月19日 → 2027年1月20日',
      '  答复（第 6 版，2027年1月5日 10:00，上海星河文化传媒有限公司）：',
      '    完税证明：已上传',
      '    社保缴纳记录：已上传',
    ]);
    // As of before the move: the day still provisional, no answer yet.
    expect(supplementRoundLines(supplementRounds(history.slice(0, 4))).slice(4)).toEqual([
      '第 2 次补正（第 4 版，2026年12月20日 10:00，陈评审）：完税证明；社保缴纳记录',
      '  补正期限：2027年1月19日（暂定：该年节假日安排尚未载入）',
      '  答复：尚未答复',
    ]);
    expect(supplementRoundLines([])).toEqual(['补正：无。']);
  });

  it('as of each earlier moment, shows what had been asked by then, the day as it then stood, and no answer not yet given', () => {
    expect(supplementRounds(history.slice(0, 1))).toEqual([]);
    expect(supplementRounds(history.slice(0, 2))).toMatchObject([{ round: 1, missingItems: ['集聚创作者名单'], answer: null }]);
    const beforeTheMove = supplementRounds(history.slice(0, 4));
    expect(beforeTheMove).toHaveLength(2);
    expect(beforeTheMove[0]!.answer).not.toBeNull();
    expect(beforeTheMove[1]).toMatchObject({ replyDueOn: '2027-01-19', provisional: true, replyDueMoves: [], answer: null });
    expect(supplementRounds(history.slice(0, 5))[1]).toMatchObject({ replyDueOn: '2027-01-20', provisional: false, answer: null });
  });

  it('reads nothing into a case with no 补正', () => {
    expect(supplementRounds([event(1, 'FilingSubmitted', {}), event(2, 'FilingReturnedForRevision', { reasons: ['剧本不全'] })])).toEqual([]);
  });
});
