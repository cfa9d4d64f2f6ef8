/** One difference between two states: where (a path like `instalments[2].paidFen`) and what. */
export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A structural diff of two JSON-like values: objects key by key, arrays element by element (an
 * element present on one side only is added or removed), anything else compared by value.
 */
export function structuralDiff(before: unknown, after: unknown, path = ''): Change[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const at = path ? `${path}.${key}` : key;
      if (!(key in after) || after[key] === undefined) return before[key] === undefined ? [] : [{ path: at, kind: 'removed' as const, before: before[key] }];
      if (!(key in before) || before[key] === undefined) return [{ path: at, kind: 'added' as const, after: after[key] }];
      return structuralDiff(before[key], after[key], at);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: Change[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= after.length) changes.push({ path: at, kind: 'removed', before: before[i] });
      else if (i >= before.length) changes.push({ path: at, kind: 'added', after: after[i] });
      else changes.push(...structuralDiff(before[i], after[i], at));
    }
    return changes;
  }
  if (Object.is(before, after)) return [];
  return [{ path: path || '(whole state)', kind: 'changed', before, after }];
}
