import type { Db } from '../db/client.js';
import { readStream, type StoredEvent } from '../db/event-store.js';
import { CASE_FOLDS, foldCase } from '../cases/registry.js';
import { DomainError, caseNotFound, validationError } from '../domain/errors.js';
import { formatShanghaiInstant } from '../domain/time/local-date.js';
import { diffInWords, stateInWords, statusLabelsOf, type FieldInWords, type RowInWords, type WordsContext } from './diff-in-words.js';
import { describeInstant } from './instants.js';
import { structuralDiff, type Change } from './structural-diff.js';
import { supplementRounds, type SupplementRound } from './supplement-rounds.js';
import type { AuditKey } from './signing-key.js';
import { caseChainProblems, caseStandingAgainstCheckpoint, firstProblemOf, type CaseVerificationReport } from './verify-store.js';

/** An event as an auditor reads it: what, who (with role and department), when, and its place in the chain. */
export function auditedEvent(e: StoredEvent) {
  return {
    version: e.streamVersion,
    position: e.globalPosition,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    recordedAt: e.recordedAt.toISOString(),
    actor: e.metadata.actor,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId,
    workflowId: e.metadata.workflowId ?? null,
    data: e.data,
    prevHash: e.prevHash,
    hash: e.hash,
    hashVersion: e.hashVersion,
  };
}

export type AuditedEvent = ReturnType<typeof auditedEvent>;

export async function caseStream(db: Db, caseId: string): Promise<{ caseType: string; events: StoredEvent[]; head: { version: number; hash: string } }> {
  const stream = await db.selectFrom('streams').select(['stream_type', 'version', 'head_hash']).where('stream_id', '=', caseId).executeTakeFirst();
  if (!stream) throw caseNotFound(caseId);
  return { caseType: stream.stream_type, events: await readStream(db, caseId), head: { version: stream.version, hash: stream.head_hash } };
}

/** Whether the case's own chain and head row hold, and its events stand against the latest signed checkpoint (as `verify --case` checks them); if not, the warning said first. */
interface ChainCheck {
  chainIntact: boolean;
  warnings: string[];
  /** Where the case stands against the latest signed checkpoint: which of its versions the signature proves; null before there is one. */
  checkpoint: CaseVerificationReport['checkpoint'];
}

/**
 * An outside auditor rewrote an event in the database and as-of showed the forged state as if it
 * were the record. The state is folded from the events as stored, so what is folded is checked first:
 * the chain, and the checkpoint, which a chain rewritten with every hash recomputed fails.
 */
async function checkChain(db: Db, caseId: string, head: { version: number; hash: string }, events: readonly StoredEvent[], trustedKey: AuditKey | undefined): Promise<ChainCheck> {
  const problems = caseChainProblems(caseId, head, events);
  const standing = await caseStandingAgainstCheckpoint(db, caseId, events, { trustedKey });
  const warnings: string[] = [];
  const first = firstProblemOf(problems);
  if (first) warnings.push(`本案记录的哈希链未通过核验（${first.message}${problems.length > 1 ? `，共 ${problems.length} 处问题` : ''}）：以下内容可能已被改动，不能作为证据`);
  for (const p of standing.problems) warnings.push(`签名检查点核验未通过（${p.message}）：以下内容可能已被改动，不能作为证据`);
  // Only what makes the record no evidence: that there is no checkpoint yet, or no trusted key, `checkpoint` and verify --case say.
  return { chainIntact: problems.length === 0 && standing.problems.length === 0, warnings, checkpoint: standing.checkpoint };
}

function requireFold(caseType: string, caseId: string): void {
  if (!CASE_FOLDS[caseType]) {
    throw new DomainError('illegal-state', {
      code: 'no-case-fold',
      zh: `事件流 ${caseId} 记录的是 ${caseType} 事件，而 ${caseType} 没有登记案件推演（CASE_FOLDS），推演不出它的状态；as-of 和 diff 适用于这些案件类型：${Object.keys(CASE_FOLDS).join('、')}`,
      en: `stream ${caseId} holds ${caseType} events, and no case fold is registered for ${caseType}; as-of and diff work for the case types ${Object.keys(CASE_FOLDS).join(', ')}`,
      params: { caseId, caseType },
    });
  }
}

/**
 * How many of a stream's events had been recorded at an instant. recorded_at is when the system
 * stored an event (it is under the hash, so it cannot be moved quietly); the state "as of" an
 * instant is what the system knew then. Events are folded as a prefix of the stream, up to the
 * last version recorded by the instant: if a clock ever stepped back, an earlier version with a
 * later timestamp was still there before the later version, so it belongs to the state too.
 */
function versionAt(events: readonly StoredEvent[], at: Date): number {
  let version = 0;
  for (const e of events) if (e.recordedAt.getTime() <= at.getTime()) version = e.streamVersion;
  return version;
}

function clockAnomalies(events: readonly StoredEvent[]): string[] {
  const anomalies: string[] = [];
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.recordedAt < events[i - 1]!.recordedAt) {
      const [earlier, later] = [events[i - 1]!, events[i]!];
      anomalies.push(
        `第 ${later.streamVersion} 版的记录时间（${describeInstant(later.recordedAt).shanghai}）早于第 ${earlier.streamVersion} 版（${describeInstant(earlier.recordedAt).shanghai}）：记录时的时钟曾经回拨，按时点推演时第 ${earlier.streamVersion} 版也算在内`,
      );
    }
  }
  return anomalies;
}

export interface CaseAsOf {
  caseId: string;
  caseType: string;
  at: { utc: string; shanghai: string };
  /** False when the case had no event yet at that instant. */
  existed: boolean;
  version: number;
  /** The state folded with the case type's own evolve (domain/case-types.ts), or null before the case existed. */
  state: unknown;
  /** The same state for people: each field named and valued in words, as the diff names them (empty before the case existed). */
  fields: FieldInWords[];
  lastEvent: AuditedEvent | null;
  /**
   * Every 补正 asked by then, with its items, its day to answer by and the answer if one had come:
   * read from the events, since the state keeps a 补正 only while it is open (audit/supplement-rounds.ts).
   */
  supplements: SupplementRound[];
  /** Versions recorded after the instant: what the diff to now would show. */
  laterEvents: number;
  /** False when the case's chain, head row or standing against the signed checkpoint fails the check `verify --case` makes: the state may be folded from altered events (said first in `warnings`). */
  chainIntact: boolean;
  warnings: string[];
  /** Which of the case's versions the latest signed checkpoint proves (null before there is one). */
  checkpoint: CaseVerificationReport['checkpoint'];
}

/**
 * A moment of a case: an instant, or a version (just after its n-th event). Events of one append
 * share their instant, so only a version tells them apart: 第 2 版 of an approval recorded with its
 * 公示 in one append is not the instant, which already includes the 公示.
 */
export type Moment = Date | { version: number };

export async function caseAsOf(db: Db, caseId: string, at: Moment, options: { trustedKey?: AuditKey } = {}): Promise<CaseAsOf> {
  const { caseType, events, head } = await caseStream(db, caseId);
  requireFold(caseType, caseId);
  const report = asOf(caseId, caseType, events, at, await checkChain(db, caseId, head, events, options.trustedKey));
  return { ...report, fields: report.existed ? stateInWords(report.state, await wordsContext(db, caseType, [report.state])) : [] };
}

/** What naming a case type's states in words needs: its statuses, and the accounts those states keep by id (经办人). */
async function wordsContext(db: Db, caseType: string, states: readonly unknown[]): Promise<WordsContext> {
  const ids = states.flatMap((s) => ((s as { reviewerIds?: unknown } | null)?.reviewerIds as string[] | undefined) ?? []);
  const names = ids.length ? await db.selectFrom('accounts').select(['account_id', 'display_name']).where('account_id', 'in', [...new Set(ids)]).execute() : [];
  return { statuses: statusLabelsOf(caseType), names: new Map(names.map((n) => [n.account_id, n.display_name])) };
}

/** The version a moment names, and the instant it stands for (a version: its event's; version 0: just before the first). */
function momentOf(events: readonly StoredEvent[], moment: Moment): { version: number; at: Date } {
  if (moment instanceof Date) return { version: versionAt(events, moment), at: moment };
  // A version the case never reached is said, not quietly read as its last (an outside tester's 第 999 版 showed 第 12 版).
  if (moment.version > events.length) {
    throw validationError(
      { code: 'validation', zh: `本案件共 ${events.length} 版，没有第 ${moment.version} 版：请填 0 至 ${events.length} 之间的版本。`, en: `the case has ${events.length} versions, not ${moment.version}` },
      [{ field: 'version', message: `本案件共 ${events.length} 版` }],
    );
  }
  const version = Math.max(0, moment.version);
  return { version, at: version > 0 ? events[version - 1]!.recordedAt : new Date((events[0]?.recordedAt.getTime() ?? 0) - 1) };
}

function asOf(caseId: string, caseType: string, events: readonly StoredEvent[], moment: Moment, chain: ChainCheck): Omit<CaseAsOf, 'fields'> {
  const { version, at } = momentOf(events, moment);
  const folded = events.slice(0, version);
  return {
    caseId,
    caseType,
    at: describeInstant(at),
    existed: version > 0,
    version,
    state: version > 0 ? foldCase(caseType, folded.map((e) => ({ type: e.type, data: e.data }))) : null,
    lastEvent: version > 0 ? auditedEvent(folded[folded.length - 1]!) : null,
    supplements: supplementRounds(folded),
    laterEvents: events.length - version,
    chainIntact: chain.chainIntact,
    warnings: [...chain.warnings, ...clockAnomalies(events)],
    checkpoint: chain.checkpoint,
  };
}

export interface CaseDiff {
  caseId: string;
  caseType: string;
  from: { at: { utc: string; shanghai: string }; version: number };
  to: { at: { utc: string; shanghai: string }; version: number };
  /** Every field that differs between the two states, as the data has it: for tools. */
  changes: Change[];
  /** The same difference for people: each change a person would call one, named and valued in words (audit/diff-in-words.ts). */
  rows: RowInWords[];
  /** The events that made the difference, with who recorded them and when. */
  events: AuditedEvent[];
  /** As in CaseAsOf: false when the case's chain, head row or standing against the checkpoint fails its check. */
  chainIntact: boolean;
  warnings: string[];
  checkpoint: CaseVerificationReport['checkpoint'];
}

export async function caseDiff(db: Db, caseId: string, from: Moment, to: Moment, options: { trustedKey?: AuditKey } = {}): Promise<CaseDiff> {
  if (!(from instanceof Date) && !(to instanceof Date) && from.version > to.version) {
    throw validationError({
      code: 'validation',
      zh: `起始版本（第 ${from.version} 版）晚于结束版本（第 ${to.version} 版）：请先填较早的版本。`,
      en: `the first version (${from.version}) is after the second (${to.version}): give them in order`,
    });
  }
  if (from instanceof Date && to instanceof Date && from.getTime() > to.getTime()) {
    throw validationError({
      code: 'validation',
      zh: `起始时间（${formatShanghaiInstant(from.getTime())}）晚于结束时间（${formatShanghaiInstant(to.getTime())}）：请先填较早的时间。`,
      en: `the first instant (${from.toISOString()}) is after the second (${to.toISOString()}): give them in order`,
    });
  }
  const { caseType, events, head } = await caseStream(db, caseId);
  requireFold(caseType, caseId);
  const chain = await checkChain(db, caseId, head, events, options.trustedKey);
  const before = asOf(caseId, caseType, events, from, chain);
  const after = asOf(caseId, caseType, events, to, chain);
  // A time at one end and a version at the other are put in order by the versions they come to.
  if (before.version > after.version) {
    const said = (moment: Moment, version: number) => (moment instanceof Date ? `时间（${formatShanghaiInstant(moment.getTime())}，即第 ${version} 版）` : `版本（第 ${version} 版）`);
    throw validationError({
      code: 'validation',
      zh: `起始${said(from, before.version)}晚于结束${said(to, after.version)}：请先填较早的一端。`,
      en: `the first end (version ${before.version}) is after the second (version ${after.version}): give them in order`,
    });
  }
  return {
    caseId,
    caseType,
    from: { at: before.at, version: before.version },
    to: { at: after.at, version: after.version },
    changes: structuralDiff(before.state ?? {}, after.state ?? {}),
    rows: diffInWords(before.state, after.state, await wordsContext(db, caseType, [before.state, after.state])),
    events: events.slice(before.version, after.version).map(auditedEvent),
    chainIntact: chain.chainIntact,
    warnings: before.warnings,
    checkpoint: chain.checkpoint,
  };
}
