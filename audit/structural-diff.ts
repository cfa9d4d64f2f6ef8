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
  if (Array.isArray(before) && Array.isArray(after)) return elementwise(before, after, path, structuralDiff);
  if (Object.is(before, after)) return [];
  return [{ path: path || '(whole state)', kind: 'changed', before, after }];
}

/** Two lists element by element: an element on one side only is added or removed; the others are compared by `compare`. */
function elementwise(before: readonly unknown[], after: readonly unknown[], path: string, compare: (before: unknown, after: unknown, path: string) => Change[]): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const at = `${path}[${i}]`;
    if (i >= after.length) changes.push({ path: at, kind: 'removed', before: before[i] });
    else if (i >= before.length) changes.push({ path: at, kind: 'added', after: after[i] });
    else changes.push(...compare(before[i], after[i], at));
  }
  return changes;
}

/** A person's reference in a state ({ accountId, displayName }): read as one value, the name. */
export const isPersonRef = (value: unknown): value is { accountId: string; displayName: string } =>
  isObject(value) && typeof value.accountId === 'string' && typeof value.displayName === 'string';

/** Nothing a person would call a value: absent, null, an empty text, list or object. */
const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.values(value).every(isBlank));

const isScalarList = (value: unknown): value is unknown[] => Array.isArray(value) && value.every((v) => !isObject(v) && !Array.isArray(v));

/**
 * The diff as people read it (the auditor's page): objects field by field down to their leaves, a
 * person's reference as one value, a list of plain values as one value (经办人 A → A、B), a list of
 * records element by element; and no change from nothing to nothing (absent → an empty list).
 */
export function readableDiff(before: unknown, after: unknown, path = ''): Change[] {
  if (isBlank(before) && isBlank(after)) return [];
  const bothLists = (Array.isArray(before) || isBlank(before)) && (Array.isArray(after) || isBlank(after));
  if (isPersonRef(before) || isPersonRef(after) || (bothLists && (isScalarList(before ?? []) && isScalarList(after ?? [])))) {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return [isBlank(before) ? { path, kind: 'added', after } : isBlank(after) ? { path, kind: 'removed', before } : { path, kind: 'changed', before, after }];
  }
  if ((isObject(before) || isBlank(before)) && (isObject(after) || isBlank(after))) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    return [...new Set([...Object.keys(b), ...Object.keys(a)])].sort().flatMap((key) => readableDiff(b[key], a[key], path ? `${path}.${key}` : key));
  }
  if (bothLists) return elementwise(Array.isArray(before) ? before : [], Array.isArray(after) ? after : [], path, readableDiff);
  if (Object.is(before, after)) return [];
  return [isBlank(before) ? { path, kind: 'added', after } : isBlank(after) ? { path, kind: 'removed', before } : { path: path || '(whole state)', kind: 'changed', before, after }];
}
