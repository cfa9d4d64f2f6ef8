import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { AuditKey } from './signing-key.js';

/** What the audit endpoints need beyond the database and Temporal: the checkpoint key and the current workflow code. */
export interface AuditSettings {
  /** Signs on-demand checkpoints (with its private half) and is the key signatures are checked against. */
  key?: AuditKey;
  /** The workflow bundle the worker runs, for replays; bundled on first use when absent. */
  workflowBundle?: () => Promise<WorkflowBundleWithSourceMap>;
}
