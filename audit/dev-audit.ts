import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Environment } from '../config/environment.js';
import type { Db } from '../db/client.js';
import type { AuditSettings } from './audit-settings.js';
import { scheduleCheckpoints } from './checkpoints.js';
import { loadOrCreateDevAuditKey } from './signing-key.js';

/**
 * The audit side of `npm start`: the checkpoint key (generated into .data/ on first start unless
 * configured), interval checkpoints, and the files through which `npm run audit` finds the
 * embedded database and Temporal server of this process.
 */
export async function startAuditForDev(options: {
  db: Db;
  environment: Environment;
  dataDir: string;
  /** Set when this process runs the embedded database / dev server: written for the CLI. */
  embeddedDatabaseUrl: string | undefined;
  localTemporalAddress: string | undefined;
  workflowBundle: WorkflowBundleWithSourceMap;
  say: (line: string) => void;
}): Promise<{ audit: AuditSettings; stop: () => Promise<void> }> {
  const { db, environment, dataDir, say } = options;
  const written: string[] = [];
  for (const [name, value] of [['database-url', options.embeddedDatabaseUrl], ['temporal-address', options.localTemporalAddress]] as const) {
    if (!value) continue;
    const file = path.join(dataDir, name);
    await writeFile(file, `${value}\n`, { mode: 0o600 });
    written.push(file);
  }
  const { key, generated } = await loadOrCreateDevAuditKey(environment, path.join(dataDir, 'audit-signing-key.pem'));
  if (generated) say(`generated an audit checkpoint signing key in ${key.source} (key id ${key.keyId}); in production set AUDIT_SIGNING_KEY instead`);
  else say(`audit checkpoints are signed with the key from ${key.source} (key id ${key.keyId})`);
  const schedule =
    environment.auditCheckpointIntervalMs > 0 && key.privateKey
      ? scheduleCheckpoints(db, key, { intervalMs: environment.auditCheckpointIntervalMs, now: () => new Date(), log: say })
      : undefined;
  return {
    audit: { key, workflowBundle: async () => options.workflowBundle },
    async stop() {
      await schedule?.stop();
      for (const file of written) await rm(file, { force: true });
    },
  };
}
