import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_WORKFLOW_MODULES } from '../../worker/create-worker.js';
import { workflowBundle } from '../support/temporal.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the case modules are evaluated once per worker thread, not once per workflow', () => {
  it('names every case module the workflows load', () => {
    const caseModules = ['chuying-loan', 'drama-filing', 'application', 'recovery', 'call'].map((name) => `cases/${name}.case.ts`);
    expect(SHARED_WORKFLOW_MODULES.map((path) => relative(ROOT, path)).sort()).toEqual(caseModules.sort());
  });

  it('the bundle every worker runs preloads them, under the ids the workflows import them by', async () => {
    const { code } = await workflowBundle();
    const preloaded = /function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
    for (const path of SHARED_WORKFLOW_MODULES) {
      const id = `"./${relative(ROOT, path)}"`;
      expect(preloaded).toContain(id);
      // workflows/index.ts loads the same module: one id, so the workflow finds it already evaluated.
      expect(code.split(id).length - 1).toBeGreaterThan(1);
    }
  });
});
