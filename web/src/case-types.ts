import { get } from './api.js';
import { learnEventTitles } from './events-text.js';

/** A case type as GET /api/case-types describes it: the zh-CN labels of its statuses and actions. */
export interface CaseTypeInfo {
  caseType: string;
  streamTypes: string[];
  name: string;
  statuses: Record<string, string>;
  actions: Record<string, string>;
  /** zh-CN titles of its events, where the case type declares them. */
  events?: Record<string, string>;
}

let loaded: Promise<CaseTypeInfo[]> | undefined;

/** Fetched once per page load: the labels change only with a release. A failed fetch is tried again next time. */
export function caseTypes(): Promise<CaseTypeInfo[]> {
  loaded ??= get<CaseTypeInfo[] | { caseTypes: CaseTypeInfo[] }>('/api/case-types').then(
    (answer) => {
      const types = Array.isArray(answer) ? answer : answer.caseTypes;
      for (const type of types) learnEventTitles(type.events ?? {});
      return types;
    },
    () => {
      loaded = undefined;
      return [];
    },
  );
  return loaded;
}

/** The case type a case's `caseType` names: a module's own, or one of its stream types (a filing's kind). */
export async function caseTypeOf(caseType: string): Promise<CaseTypeInfo | undefined> {
  const types = await caseTypes();
  return types.find((t) => t.caseType === caseType) ?? types.find((t) => t.streamTypes.includes(caseType));
}

/** A status as people know it, with the recorded value beside it: 待补正（awaiting-supplement）. */
export function statusText(status: unknown, labels: Readonly<Record<string, string>>): string {
  if (typeof status !== 'string') return '—';
  // A status no label names is one this UI does not know yet: said so, never by its code.
  return labels[status] ?? '其他环节';
}
