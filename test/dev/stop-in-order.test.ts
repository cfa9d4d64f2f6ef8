import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stopInOrder } from '../../dev/stop-in-order.js';

const MODULE = fileURLToPath(new URL('../../dev/stop-in-order.ts', import.meta.url));

describe("npm start's shutdown on Ctrl-C", () => {
  it('stops each in order, says which failed or hung, and goes on with the rest', async () => {
    const done: string[] = [];
    const lines: string[] = [];
    await stopInOrder(
      [
        { what: 'the API', stop: async () => void done.push('api') },
        { what: 'the audit log', stop: async () => Promise.reject(new Error('disk full')) },
        { what: 'embedded PostgreSQL', stop: () => new Promise(() => undefined), timeoutMs: 50 },
        { what: 'tracing', stop: async () => void done.push('tracing') },
      ],
      (line) => lines.push(line),
      5_000,
    );
    expect(done).toEqual(['api', 'tracing']);
    expect(lines).toEqual(['while stopping the audit log: disk full', 'while stopping: embedded PostgreSQL did not stop within 0.05 s; going on']);
  });

  it('keeps the process alive to the end when a step waits for something that never comes (a server already gone)', () => {
    // Nothing else is left to run in this process: without the shutdown's own timer, Node ends it at the hung step.
    const code = [
      `const { stopInOrder } = await import(${JSON.stringify(MODULE)});`,
      `await stopInOrder([{ what: 'a server already gone', stop: () => new Promise(() => {}) }, { what: 'the last', stop: async () => console.log('last stopped') }], (line) => console.log(line), 300);`,
      `console.log('stopped');`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim().split('\n')).toEqual(['while stopping: a server already gone did not stop within 0.3 s; going on', 'last stopped', 'stopped']);
    expect(child.status).toBe(0);
  });
});
