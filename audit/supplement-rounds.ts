import { chineseDate, chineseInstant, isLocalDate, type LocalDate } from '../domain/time/local-date.js';

/**
 * Every 补正 (request for more material) of a case up to a moment, as the auditor reads it: what was
 * asked (the items, by whom, when, the day to answer by, and each move of that day) and what was
 * answered. The case's own state keeps a 补正 only while it is open (its evolve drops it on the
 * reply: the deciders and the read model need no more), so the as-of view reads the rounds from the
 * events themselves, beside the state: neither the deciders' state nor any read-model row changes.
 */
export interface SupplementRound {
  /** 第 N 次补正, counted in the case's order. */
  round: number;
  /** The stream version of its SupplementRequested event. */
  requestedInVersion: number;
  requestedAt: string;
  requestedBy: { accountId: string; displayName: string } | null;
  missingItems: string[];
  /** The day to answer by, as of the moment (a holiday arrangement loaded may have moved it). */
  replyDueOn: LocalDate | null;
  /** Whether that day was still provisional (its year's holiday arrangement not yet loaded). */
  provisional: boolean;
  /** Each move of the day to answer by, in order: the day before and the day after. */
  replyDueMoves: { from: LocalDate | null; to: LocalDate | null; at: string | null; version: number }[];
  /** The applicant's answer, once given by the moment; null while the request was open, or if none came. */
  answer: {
    version: number;
    providedAt: string;
    by: { accountId: string; displayName: string } | null;
    responses: { item: string; response: string; documents: string[] }[];
  } | null;
}

/** An event of the stream as the auditor's tools read it. */
export interface SupplementHistoryEvent {
  type: string;
  data: Record<string, unknown>;
  streamVersion: number;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const day = (v: unknown): LocalDate | null => (typeof v === 'string' && isLocalDate(v) ? v : null);
const actor = (v: unknown): SupplementRound['requestedBy'] => {
  const a = v as { accountId?: unknown; displayName?: unknown } | string | null | undefined;
  if (typeof a === 'string') return { accountId: a, displayName: a };
  return a && typeof a.accountId === 'string' ? { accountId: a.accountId, displayName: typeof a.displayName === 'string' ? a.displayName : a.accountId } : null;
};

/** The 补正 rounds of the events given (a prefix of a stream: the case as of a moment), oldest first. */
export function supplementRounds(events: readonly SupplementHistoryEvent[]): SupplementRound[] {
  const rounds: SupplementRound[] = [];
  const open = () => {
    const last = rounds[rounds.length - 1];
    return last && !last.answer ? last : undefined;
  };
  for (const e of events) {
    const d = e.data;
    switch (e.type) {
      case 'SupplementRequested':
        rounds.push({
          round: rounds.length + 1,
          requestedInVersion: e.streamVersion,
          requestedAt: text(d.requestedAt) ?? '',
          requestedBy: actor(d.by),
          missingItems: Array.isArray(d.missingItems) ? d.missingItems.filter((i): i is string => typeof i === 'string') : [],
          replyDueOn: day(d.replyDueOn),
          provisional: (d.replyPeriod as { provisional?: unknown } | undefined)?.provisional === true,
          replyDueMoves: [],
          answer: null,
        });
        break;
      case 'SupplementReplyRecomputed': {
        const round = open();
        if (!round) break;
        const current = d.current as { replyDueOn?: unknown; provisional?: unknown } | undefined;
        const to = day(current?.replyDueOn);
        round.replyDueMoves.push({ from: round.replyDueOn, to, at: text(d.at), version: e.streamVersion });
        round.replyDueOn = to ?? round.replyDueOn;
        round.provisional = current?.provisional === true;
        break;
      }
      case 'SupplementProvided': {
        const round = open();
        if (!round) break;
        const responses = Array.isArray(d.responses) ? (d.responses as { item?: unknown; response?: unknown; documents?: unknown }[]) : [];
        round.answer = {
          version: e.streamVersion,
          providedAt: text(d.providedAt) ?? '',
          by: actor(d.by),
          responses: responses.map((r) => ({
            item: text(r.item) ?? '',
            response: text(r.response) ?? '',
            documents: Array.isArray(r.documents) ? r.documents.map((doc) => text((doc as { name?: unknown }).name) ?? '').filter((n) => n !== '') : [],
          })),
        };
        break;
      }
    }
  }
  return rounds;
}

/**
 * The rounds as lines for people (the audit CLI's as-of without --json): each request with its
 * items, who asked and when, the day to answer by (暂定 while its year's arrangement was not loaded)
 * and each move of that day, then the answer item by item with its files, or that none had come.
 */
export function supplementRoundLines(rounds: readonly SupplementRound[]): string[] {
  if (rounds.length === 0) return ['补正：无。'];
  const lines: string[] = [];
  const when = (iso: string) => (iso && !Number.isNaN(Date.parse(iso)) ? chineseInstant(iso) : '时间不明');
  const due = (d: LocalDate | null) => (d ? chineseDate(d) : '不明');
  for (const r of rounds) {
    lines.push(`第 ${r.round} 次补正（第 ${r.requestedInVersion} 版，${when(r.requestedAt)}，${r.requestedBy?.displayName ?? '不明'}）：${r.missingItems.join('；') || '未列材料'}`);
    lines.push(`  补正期限：${due(r.replyDueOn)}${r.provisional ? '（暂定：该年节假日安排尚未载入）' : ''}`);
    for (const m of r.replyDueMoves) lines.push(`  期限变更（第 ${m.version} 版${m.at ? `，${when(m.at)}` : ''}）：${due(m.from)} → ${due(m.to)}`);
    if (!r.answer) {
      lines.push('  答复：尚未答复');
      continue;
    }
    lines.push(`  答复（第 ${r.answer.version} 版，${when(r.answer.providedAt)}，${r.answer.by?.displayName ?? '不明'}）：`);
    for (const a of r.answer.responses) lines.push(`    ${a.item}：${a.response}${a.documents.length ? `（附件：${a.documents.join('、')}）` : ''}`);
  }
  return lines;
}
