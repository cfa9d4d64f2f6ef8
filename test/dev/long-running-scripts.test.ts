import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The scripts that run until stopped (`npm start`, `npm run worker`, `npm run api`) drain on
 * Ctrl-C or SIGTERM: the API stops taking requests, the worker finishes its activities, and
 * `npm start` then stops its servers and says `[youchuang] stopped`. Under tsx's launcher (`tsx
 * <file>`) the script runs in a child process, and the launcher SIGKILLs that child when it does not
 * confirm a signal within about 60 ms, which a busy process (PostgreSQL and Temporal shutting down
 * on the same two cores) did not: the shutdown was cut off part way, with no error. Run as one
 * Node process with tsx as a loader, nothing stands between the signal and the script's handler.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the scripts that run until stopped', () => {
  it.each([
    ['start', 'dev/start.ts'],
    ['worker', 'worker/main.ts'],
    ['api', 'api/server.ts'],
  ])('npm run %s runs %s in one Node process, with tsx as a loader, not under the tsx launcher', (script, file) => {
    const commands = (scripts[script] ?? '').split('&&').map((command) => command.trim());
    expect(commands.at(-1)).toBe(`node --import tsx ${file}`);
    expect(commands.some((command) => /^tsx\s/.test(command))).toBe(false);
  });
});
