import { createHash } from 'node:crypto';
import { GENESIS_HASH } from '../db/hash-chain.js';
import { sha256Hex } from './event-hash.js';

/**
 * What a checkpoint commits to, in two forms (tools/verify-bundle.mjs recomputes both without
 * this code; keep the two in step):
 *
 * - the log digest, a running SHA-256 over (global position, stream, version, event hash) of every
 *   event in position order. It changes when an event is altered, deleted, inserted, moved to
 *   another position, or when the log is cut short, even if every stream's own chain was
 *   recomputed consistently. Checking it needs the whole log up to the checkpoint.
 * - the streams root, a Merkle root over every stream's head (stream, version, hash of its last
 *   event) at the checkpoint's position, sorted by stream id. A single case's bundle carries the
 *   path from its head to the root, so an outside auditor can check that case against the signed
 *   checkpoint without seeing any other case.
 */
export const GENESIS_DIGEST = GENESIS_HASH;

export interface LogEntry {
  globalPosition: number;
  streamId: string;
  streamVersion: number;
  hash: string;
}

/** One-shot SHA-256 (sha256Hex): the digest is the sequential part of verifying a store, a hash per event on one thread. */
export function nextLogDigest(previous: string, entry: LogEntry): string {
  return sha256Hex(`${previous}\n${JSON.stringify([entry.globalPosition, entry.streamId, entry.streamVersion, entry.hash])}`);
}

export interface StreamHead {
  streamId: string;
  version: number;
  hash: string;
}

export function streamLeafHash(head: StreamHead): string {
  return createHash('sha256').update(`youchuang-stream-head\n${JSON.stringify([head.streamId, head.version, head.hash])}`).digest('hex');
}

function nodeHash(left: string, right: string): string {
  return createHash('sha256').update(`youchuang-node\n${left}${right}`).digest('hex');
}

export const EMPTY_STREAMS_ROOT = createHash('sha256').update('youchuang-no-streams').digest('hex');

/** Heads in the order the root is built: by stream id, compared by UTF-16 code unit. */
export function sortHeads<T extends { streamId: string }>(heads: T[]): T[] {
  return heads.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
}

/** One step of an inclusion proof: the sibling's hash and on which side it sits. */
export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

/** The Merkle root of leaf hashes; an odd node at the end of a level moves up unchanged. */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return EMPTY_STREAMS_ROOT;
  let level = [...leaves];
  while (level.length > 1) level = nextLevel(level);
  return level[0]!;
}

function nextLevel(level: readonly string[]): string[] {
  const next: string[] = [];
  for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
  return next;
}

export function inclusionProof(leaves: readonly string[], index: number): ProofStep[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`no leaf ${index} among ${leaves.length}`);
  const proof: ProofStep[] = [];
  let level = [...leaves];
  let i = index;
  while (level.length > 1) {
    if (i % 2 === 1) proof.push({ side: 'left', hash: level[i - 1]! });
    else if (i + 1 < level.length) proof.push({ side: 'right', hash: level[i + 1]! });
    level = nextLevel(level);
    i = Math.floor(i / 2);
  }
  return proof;
}

export function rootFromProof(leaf: string, proof: readonly ProofStep[]): string {
  return proof.reduce((hash, step) => (step.side === 'left' ? nodeHash(step.hash, hash) : nodeHash(hash, step.hash)), leaf);
}

export function streamsRoot(heads: StreamHead[]): string {
  return merkleRoot(sortHeads(heads).map(streamLeafHash));
}
