import { randomUUID } from 'node:crypto';
import { mkdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineLock } from '../../dev/machine-lock.js';

describe('the machine-wide lock two npm starts choose their Temporal ports under', () => {
  it('lets one holder in at a time: the second waits for the first to release', async () => {
    const name = `test-${randomUUID()}`;
    const order: string[] = [];
    const first = await machineLock(name);
    const second = machineLock(name).then((release) => {
      order.push('second in');
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    order.push('first out');
    await first();
    await (await second)();
    expect(order).toEqual(['first out', 'second in']);
  });

  it('takes over a lock left by a process that died, and gives up on a live one after its wait', async () => {
    const name = `test-${randomUUID()}`;
    const dir = path.join(tmpdir(), `youchuang-${name}.lock`);
    await mkdir(dir);
    const oldEnough = new Date(Date.now() - 10 * 60_000);
    await utimes(dir, oldEnough, oldEnough);
    await (await machineLock(name))();

    const held = await machineLock(name);
    await expect(machineLock(name, { waitMs: 300 })).rejects.toThrow(/another process has held/);
    await held();
  });
});
