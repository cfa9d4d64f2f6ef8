/**
 * Clauses said in one line, parted by ；: each one's own full stop (or ；) is dropped before the next,
 * so that no "。；" appears where a decider's notes ending in 。 meet what follows (…经处长批准。；钱审批
 * 于…答复异议). Blank parts are left out; the last keeps its ending. Pure.
 */
export function joinClauses(parts: readonly (string | null | undefined | false)[], separator = '；'): string {
  const kept = parts.map((p) => (typeof p === 'string' ? p.trim() : '')).filter((p) => p.length > 0);
  return kept.map((p, i) => (i < kept.length - 1 ? withoutEnding(p) : p)).join(separator);
}

/** The same clauses as one sentence: ending in 。 unless the last already ends in 。, ！ or ？. */
export function clausesAsSentence(parts: readonly (string | null | undefined | false)[]): string {
  const joined = joinClauses(parts);
  if (!joined) return '';
  return /[。！？]$/.test(joined) ? joined : `${withoutEnding(joined)}。`;
}

const withoutEnding = (clause: string) => clause.replace(/[。；;\s]+$/u, '');
