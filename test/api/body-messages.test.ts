import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { apiRoutes } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { fieldPaths } from '../../api/field-names.js';
import { concreteRoutes } from '../../api/route.js';
import { alternatives } from '../support/schema-alternatives.js';
import '../../api/validation-messages.js';
import { CASE_MODULES } from '../../cases/registry.js';
import { LATIN_ALLOWED } from '../support/latin-allowed.js';

/**
 * What a person types goes in a body (a form's fields): whatever is wrong with it is told in plain
 * Chinese. Every field of every body the API reads, and of every case action, is sent values that
 * are wrong in the usual ways, alone; no refusal may answer in English. Values the API takes as codes
 * are quoted (只能是以下之一：“ordinary”、“key”) and are not counted as English.
 */
const WRONG: unknown[] = [-1, 1.5, 1e13, 0, '', '   ', 'abc', 'x'.repeat(6000), null, true, [], {}, [null], '2026-02-30', '12:00'];

const routes = concreteRoutes(apiRoutes({ db: {}, temporal: {}, taskQueue: 'messages', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies));


/** A body holding `value` at `path` and nothing else. */
function bodyWith(path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  return /^\d+$/.test(head!) ? [bodyWith(rest, value)] : { [head!]: bodyWith(rest, value) };
}

function englishRefusals(where: string, schema: ZodType): string[] {
  const found = new Set<string>();
  for (const path of fieldPaths(schema)) {
    for (const value of WRONG) {
      for (const issue of schema.safeParse(bodyWith(path, value)).error?.issues ?? []) {
        // Quoted codes, and the words people read in Chinese as they are written (MCN 机构), are not English.
        const words = issue.message.replace(/“[^”]*”/g, '').match(/[A-Za-z]{3,}/g) ?? [];
        if (words.some((w) => !LATIN_ALLOWED.includes(w))) found.add(`${where} ${issue.path.join('.')}: ${issue.message}`);
      }
    }
  }
  return [...found];
}

describe('every body field is refused in plain Chinese', () => {
  it('the API’s bodies', () => {
    const bodies = routes.flatMap((route) => alternatives(route.body).map((schema) => ({ where: `${route.method} ${route.url}`, schema })));
    expect(bodies.length).toBeGreaterThan(60);
    expect(bodies.flatMap(({ where, schema }) => englishRefusals(where, schema))).toEqual([]);
  });

  it('every case action’s form', () => {
    const forms = CASE_MODULES.flatMap((module) => module.actions.filter((action) => action.body).map((action) => ({ where: `${module.caseType} ${action.name}`, schema: action.body as ZodType })));
    expect(forms.length).toBeGreaterThan(40);
    expect(forms.flatMap(({ where, schema }) => englishRefusals(where, schema))).toEqual([]);
  });
});
