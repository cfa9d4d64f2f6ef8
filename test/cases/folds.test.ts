import { describe, expect, it } from 'vitest';
import { CASE_MODULES } from '../../cases/registry.js';
import { FOLDED_STREAM_TYPES, loadFold } from '../../cases/folds.js';

describe('the folds a verification worker loads on their own', () => {
  it('are each case module’s own initial state and evolve, for every stream type and no other', async () => {
    const streamTypes = CASE_MODULES.flatMap((module) => module.streamTypes);
    expect([...FOLDED_STREAM_TYPES].sort()).toEqual([...streamTypes].sort());
    for (const module of CASE_MODULES) {
      for (const streamType of module.streamTypes) {
        const fold = await loadFold(streamType);
        expect(fold.evolve, streamType).toBe(module.evolve);
        expect(fold.initial, streamType).toBe(module.initialState);
      }
    }
  });

  it('refuses a stream type nobody folds', async () => {
    await expect(loadFold('no-such-case-type')).rejects.toThrow('no fold is registered for case type no-such-case-type');
  });
});
