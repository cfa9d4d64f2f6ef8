import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Each npm script installs only what it needs: dev/bootstrap.mjs is asked, with --plan, what the
 * script's own arguments would install (nothing is installed here: --plan stops before npm, pip and
 * apt-get). `npm start` must not install a browser or the API-schema tools; `npm test` must, as on a
 * fresh clone the browser tests and the OpenAPI validation need them.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The arguments a script passes to dev/bootstrap.mjs, or undefined when it does not run it. */
function devBootstrapArgs(script: string): string[] | undefined {
  const match = /(?:^|&&\s*)node dev\/bootstrap\.mjs((?:\s+--[a-z-]+)*)\s*(?:&&|$)/.exec(scripts[script] ?? '');
  return match ? match[1]!.trim().split(/\s+/).filter(Boolean) : undefined;
}

async function planOf(script: string) {
  const args = devBootstrapArgs(script);
  expect(args, `${script} runs dev/bootstrap.mjs: ${scripts[script]}`).toBeDefined();
  const { stdout } = await run(process.execPath, ['dev/bootstrap.mjs', ...args!, '--plan'], { cwd: root, timeout: 30_000 });
  return JSON.parse(stdout) as { npmPackages: boolean; temporalServers: boolean; apiTools: boolean; browser: boolean };
}

describe('what each npm script installs', () => {
  it('npm start: the npm packages and the Temporal servers, no browser, no API-schema tools, no SMTP server', async () => {
    expect(await planOf('start')).toEqual({ npmPackages: true, temporalServers: true, apiTools: false, smtp: false, browser: false });
  });

  it('npm test: also Chromium with a Chinese font, the OpenAPI validator with the S3 server, and the SMTP server, as the browser, OpenAPI, document-store and notice tests need', async () => {
    expect(await planOf('test')).toEqual({ npmPackages: true, temporalServers: true, apiTools: true, smtp: true, browser: true });
  });

  it('npm run test:faults: the SMTP server the email outbox is killed against', async () => {
    expect(await planOf('test:faults')).toMatchObject({ smtp: true });
  });

  it('npm run test:api-schema: Schemathesis, no browser', async () => {
    expect(await planOf('test:api-schema')).toMatchObject({ apiTools: true, browser: false });
  });

  it.each(['test:faults', 'bench'])('npm run %s: neither browser nor API-schema tools', async (script) => {
    expect(await planOf(script)).toMatchObject({ apiTools: false, browser: false });
  });

  it('npm run bootstrap (a real deployment) installs nothing: it migrates and creates the first administrators', () => {
    expect(scripts.bootstrap).toBe('tsx db/bootstrap.ts');
    expect(devBootstrapArgs('bootstrap')).toBeUndefined();
  });

  it('refuses an argument it does not know rather than install everything or nothing silently', async () => {
    await expect(run(process.execPath, ['dev/bootstrap.mjs', '--browsr', '--plan'], { cwd: root })).rejects.toMatchObject({ code: 2 });
  });
});
