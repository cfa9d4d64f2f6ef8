import { ensureTemporalServerBinaries } from '../../dev/temporal-cluster.js';

/**
 * Builds the Temporal server and its schema tool into .tools/ before any test file starts, when they
 * are not there yet: minutes on a fresh machine (more when the machine is busy), which no hook
 * timeout should have to guess. Kept afterwards, so later runs find them at once.
 */
export default async function setup(): Promise<void> {
  await ensureTemporalServerBinaries((line) => console.log(`[topology] ${line}`));
}
