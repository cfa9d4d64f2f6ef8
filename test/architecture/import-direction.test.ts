import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('the lint rules keep the architecture', () => {
  it('refuses Node built-ins and I/O packages in workflow code', async () => {
    expect(await problems('workflows/example.workflow.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([
      expect.stringContaining('replay deterministically'),
    ]);
    expect(await problems('workflows/example.workflow.ts', "import pg from 'pg';\nexport const x = pg;\n")).toHaveLength(1);
  });

  it('lets workflows import activity types but not activity values', async () => {
    expect(await problems('workflows/example.workflow.ts', "import type { CaseActivities } from '../activities/case-events.activities.js';\nexport type X = CaseActivities;\n")).toEqual([]);
    expect(await problems('workflows/example.workflow.ts', "import { createCaseActivities } from '../activities/case-events.activities.js';\nexport const x = createCaseActivities;\n")).toEqual([
      expect.stringContaining('activity types only'),
    ]);
  });

  it('keeps domain/ free of I/O, frameworks and the clock', async () => {
    expect(await problems('domain/example.ts', "import { createHash } from 'node:crypto';\nexport const x = createHash;\n")).toEqual([expect.stringContaining('domain/ is pure')]);
    expect(await problems('domain/example.ts', "import { sql } from 'kysely';\nexport const x = sql;\n")).toEqual([expect.stringContaining('domain/ is pure')]);
    expect(await problems('domain/example.ts', "import { appendToStream } from '../db/event-store.js';\nexport const x = appendToStream;\n")).toEqual([
      expect.stringContaining('domain/ imports nothing but domain/'),
    ]);
    expect(await problems('domain/example.ts', 'export const now = () => Date.now();\n')).toEqual([expect.stringContaining('takes time as an argument')]);
    expect(await problems('domain/example.ts', 'export const now = () => new Date();\n')).toEqual([expect.stringContaining('never reads the clock')]);
    expect(await problems('domain/example.ts', 'export const at = (ms: number) => new Date(ms).toISOString();\n')).toEqual([]);
  });

  it('keeps a case module (cases/) pure: no I/O, no Temporal, no clock, activities as types only', async () => {
    expect(await problems('cases/example.case.ts', "import { sql } from 'kysely';\nexport const x = sql;\n")).toEqual([expect.stringContaining('a case module is pure')]);
    expect(await problems('cases/example.case.ts', "import { patched } from '@temporalio/workflow';\nexport const x = patched;\n")).toEqual([expect.stringContaining('a case module is pure')]);
    expect(await problems('cases/example.case.ts', "import { visibleCase } from '../api/authorization/case-access.js';\nexport const x = visibleCase;\n")).toEqual([
      expect.stringContaining('imports domain/ and cases/ only'),
    ]);
    expect(await problems('cases/example.case.ts', 'export const now = () => Date.now();\n')).toEqual([expect.stringContaining('takes time from the driver')]);
    expect(await problems('cases/example.case.ts', "import type { CaseActivities } from '../activities/case-events.activities.js';\nexport type X = CaseActivities;\n")).toEqual([]);
  });

  it('keeps module-level state out of the case modules and the domain, which every workflow of a worker thread shares', async () => {
    expect(await problems('cases/example.case.ts', 'export let count = 0;\nexport const bump = () => ++count;\n')).toEqual([expect.stringContaining('module-level bindings are const')]);
    expect(await problems('domain/example.ts', 'let seen = 0;\nexport const next = () => ++seen;\n')).toEqual([expect.stringContaining('module-level bindings are const')]);
    expect(await problems('domain/example.ts', 'const cache = new Map<string, number>();\nexport const remember = (k: string) => cache.set(k, 1);\n')).toEqual([expect.stringContaining('typed ReadonlyMap or ReadonlySet')]);
    expect(await problems('cases/example.case.ts', 'export const SEEN: Set<string> = new Set();\n')).toEqual([expect.stringContaining('typed ReadonlyMap or ReadonlySet')]);
    expect(await problems('cases/example.case.ts', 'const cache = new WeakMap<object, number>();\nexport const get = (o: object) => cache.get(o);\n')).toEqual([expect.stringContaining('typed ReadonlyMap or ReadonlySet')]);
    // A lookup table, and state inside a function (each call its own), are fine.
    expect(await problems('domain/example.ts', "const KINDS: ReadonlySet<string> = new Set(['a']);\nexport const known = (k: string) => KINDS.has(k);\n")).toEqual([]);
    expect(await problems('domain/example.ts', 'export function count(xs: number[]) {\n  let n = 0;\n  const seen = new Set<number>();\n  for (const x of xs) if (!seen.has(x)) { seen.add(x); n++; }\n  return n;\n}\n')).toEqual([]);
  });

  it('keeps db/ from depending on workflows or the worker', async () => {
    expect(await problems('db/example.ts', "import { chuyingLoanWorkflow } from '../workflows/chuying-loan.workflow.js';\nexport const x = chuyingLoanWorkflow;\n")).toEqual([
      expect.stringContaining('do not depend on workflows'),
    ]);
  });
});
