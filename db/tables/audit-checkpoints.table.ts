/** A signed checkpoint of the global event log (append-only; see audit/checkpoints.ts). */
export interface AuditCheckpointsTable {
  checkpoint_no: number;
  /** Covers every event with a global position up to and including this one. */
  global_position: number;
  event_count: number;
  log_digest: string;
  stream_count: number;
  streams_root: string;
  created_at: Date;
  reason: string;
  requested_by: string;
  key_id: string;
  /** The signer's Ed25519 public key (SPKI PEM), for convenience only: verification trusts a configured key. */
  public_key: string;
  /** Ed25519 signature (base64) of the checkpoint's canonical statement. */
  signature: string;
}
