import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock no holder keeps longer than this: one left by a process that died is taken over after it. */
const STALE_AFTER_MS = 2 * 60_000;

/**
 * A lock shared by every process on this machine (a directory in the temp folder: mkdir is atomic),
 * for a step that must not run twice at once: choosing a free port and starting a server on it. Two
 * `npm start`s launched in the same second both found 7233 free; one server failed to bind, and its
 * API and worker went on with the other's, writing cases into the other's database.
 * Resolves to the release; waits (polling) while another process holds it.
 */
export async function machineLock(name: string, options: { waitMs?: number } = {}): Promise<() => Promise<void>> {
  const dir = path.join(tmpdir(), `youchuang-${name}.lock`);
  const giveUpAt = Date.now() + (options.waitMs ?? STALE_AFTER_MS + 30_000);
  for (;;) {
    try {
      await mkdir(dir);
      return () => rm(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(dir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (held > STALE_AFTER_MS) await rm(dir, { recursive: true, force: true });
      else if (Date.now() > giveUpAt) throw new Error(`another process has held ${dir} for ${Math.round(held / 1000)} s: remove it if no other npm start is running`);
      else await sleep(200);
    }
  }
}
