import { describe, expect, it } from 'vitest';
import { CASE_MODULES } from '../../cases/registry.js';
import * as workflows from '../../workflows/index.js';

/**
 * workflows/index.ts names each workflow without loading its case module (a workflow loads its own
 * when it starts). The client takes a workflow's type from its function's name, so each export must
 * be named as its module's `workflowType`, and every case type must have one.
 */
describe('the workflow bundle’s entry point', () => {
  it('exports one workflow per case module, named as the module names its workflow type', () => {
    const exported = Object.entries(workflows).map(([exportName, workflow]) => ({ exportName, name: (workflow as { name: string }).name }));
    expect(exported.map((e) => e.name)).toEqual(exported.map((e) => e.exportName));
    expect(exported.map((e) => e.exportName).sort()).toEqual(CASE_MODULES.map((m) => m.workflowType).sort());
  });
});
