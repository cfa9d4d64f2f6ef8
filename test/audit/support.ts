import { createHash, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { Db } from '../../db/client.js';
import { appendToStream, type Projection } from '../../db/event-store.js';
import { CHUYING_LOAN_STREAM } from '../../db/projections/chuying-loan.projection.js';
import { projectReadModels } from '../../db/projections/index.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ChuyingLoanAction } from '../../domain/chuying/commands.js';
import { decideAction, decideSubmission } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { repaymentSchedule, type ScheduledInstalment } from '../../domain/chuying/repayment-schedule.js';
import { evolveChuyingLoan, initialChuyingLoanState, type ChuyingLoanState } from '../../domain/chuying/state.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { applicant, cacReviewer, fundApprover, fundReviewer, loanApplication } from '../support/actors.js';
import { summaryCsv, type BundleManifest } from '../../audit/case-bundle.js';
import { rebuildCaseAndCompare, type RowDrift } from '../../audit/read-model-drift.js';
import { createCheckpoint, listCheckpoints, type Checkpoint } from '../../audit/checkpoints.js';
import type { StoredEvent } from '../../db/event-store.js';
import { recomputedHash } from '../../db/hash-chain.js';
import { generateSigningKeyPem, parseSigningKey, type AuditKey } from '../../audit/signing-key.js';
import { fixedClock, metadataFor, newEvent } from '../db/support.js';

/** A signing key of the test's own, as configuration would give it. */
export function testKey(): AuditKey {
  return parseSigningKey(generateSigningKeyPem(), 'test signing key');
}

/** Exported checkpoints: JSON out of the system and back, as an auditor would keep them. */
export async function exportCheckpoints(db: Db): Promise<Checkpoint[]> {
  return JSON.parse(JSON.stringify(await listCheckpoints(db))) as Checkpoint[];
}

export const STREAMS = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003'] as const;

/**
 * Three streams of four events each, appended round by round so their positions interleave
 * (A1 B1 C1 A2 B2 C2 …), an hour apart from 2026-05-06T01:00Z.
 */
export async function interleavedStore(db: Db, options: { rounds?: number; streamType?: string; project?: Projection } = {}): Promise<void> {
  const rounds = options.rounds ?? 4;
  let hour = 0;
  for (let round = 1; round <= rounds; round++) {
    for (const streamId of STREAMS) {
      const at = new Date(Date.parse('2026-05-06T01:00:00.000Z') + hour++ * 3600_000).toISOString();
      await appendToStream(
        db,
        { streamId, streamType: options.streamType ?? 'audit-test', expectedVersion: round - 1, events: [newEvent('Noted', { round, note: `第 ${round} 轮 ${streamId.slice(0, 4)}` })] },
        { now: fixedClock(at), ...(options.project ? { project: options.project } : {}) },
      );
    }
  }
}

export async function checkpointNow(db: Db, key: AuditKey, at = '2026-06-01T00:00:00.000Z'): Promise<Checkpoint> {
  return (await createCheckpoint(db, key, { now: fixedClock(at), reason: 'on-demand', requestedBy: 'test' })).checkpoint;
}

/** Positions of a stream's events, by version. */
export async function positionsOf(db: Db, streamId: string): Promise<number[]> {
  const rows = await db.selectFrom('events').select('global_position').where('stream_id', '=', streamId).orderBy('stream_version').execute();
  return rows.map((r) => r.global_position);
}

/** As the database superuser, with the checkpoints' append-only trigger off inside one transaction. */
export async function tamperWithCheckpoints(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
    for (const statement of statements) await client.query(statement);
    await client.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** One 雏鹰 loan case driven through the domain's own decide functions and appended as the workflow does. */
export class LoanCase {
  state: ChuyingLoanState = initialChuyingLoanState();
  readonly domainEvents: ChuyingLoanEvent[] = [];
  readonly input = loanApplication();
  readonly caseId = this.input.caseId;

  constructor(private readonly db: Db) {}

  async submit(at: string): Promise<this> {
    const { caseId, referenceNo, company, project, requestedAmountFen, terms } = this.input;
    const events = decideSubmission({ caseId, referenceNo, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, company, project, requestedAmountFen }, terms, Date.parse(at));
    await this.record(events, applicant, at);
    return this;
  }

  async act(actor: Actor, action: ChuyingLoanAction, at: string, schedule?: ScheduledInstalment[]): Promise<this> {
    await this.record(decideAction(this.state, action, { actor, now: Date.parse(at), schedule }), actor, at);
    return this;
  }

  /** Submitted, accepted, passed review, approved for 360,000.00: one day apart from 2 March 2026, 10:00 Shanghai. */
  async toApproval(): Promise<this> {
    await this.submit('2026-03-02T02:00:00.000Z');
    await this.act(fundReviewer, { type: 'AcceptMaterials' }, '2026-03-03T02:00:00.000Z');
    await this.act(cacReviewer, { type: 'PassComplianceReview', notes: '内容积极健康' }, '2026-03-04T02:00:00.000Z');
    return this.act(fundApprover, { type: 'ApproveFunding', approvedAmountFen: 36_000_000, notes: '核减至 36 万元' }, '2026-03-05T02:00:00.000Z');
  }

  /** Then disbursed on 10 March and the first instalment and a half repaid on 10 April. */
  async toFirstRepayment(): Promise<this> {
    await this.toApproval();
    const schedule = repaymentSchedule(packagedCalendar(), 36_000_000, parseLocalDate('2026-03-10'), CHUYING_LOAN_TERMS.instalmentCount);
    await this.act(fundReviewer, { type: 'RecordDisbursement', disbursedOn: parseLocalDate('2026-03-10'), bankReference: `BANK-${this.caseId.slice(0, 8)}` }, '2026-03-10T02:00:00.000Z', schedule);
    return this.act(fundReviewer, { type: 'RecordRepayment', amountFen: 1_500_000, paidOn: parseLocalDate('2026-04-10'), reference: `R1-${this.caseId.slice(0, 8)}` }, '2026-04-10T03:00:00.000Z');
  }

  private async record(events: ChuyingLoanEvent[], actor: Actor, at: string): Promise<void> {
    await appendToStream(
      this.db,
      {
        streamId: this.caseId,
        streamType: CHUYING_LOAN_STREAM,
        expectedVersion: this.state.version,
        events: events.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: metadataFor(actor) })),
      },
      { now: fixedClock(at), project: projectReadModels },
    );
    this.domainEvents.push(...events);
    this.state = events.reduce(evolveChuyingLoan, this.state);
  }
}

/** One event of a bundle's events.jsonl, as a forger edits it. */
export type BundleLine = Record<string, unknown> & { streamVersion: number; globalPosition: number; hash: string; prevHash: string; data: Record<string, unknown>; recordedAt: string; metadata: StoredEvent['metadata'] };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Rewrites an exported bundle as a forger would: changes its events, recomputes every hash in the
 * chain, the summary, and the manifest's file hashes, count, head and positions, so that only the
 * signed checkpoint can tell; `manifestChange` changes the rest of the (unsigned) manifest.
 */
export async function forgeBundle(dir: string, change: (lines: BundleLine[]) => BundleLine[], manifestChange: (m: BundleManifest) => void = () => {}): Promise<void> {
  const lines = change((await readFile(path.join(dir, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as BundleLine));
  let prevHash = '0'.repeat(64);
  for (const line of lines) {
    line.prevHash = prevHash;
    line.hash = recomputedHash({ streamId: line.streamId as string, streamVersion: line.streamVersion, eventId: line.eventId as string, type: line.type as string, schemaVersion: line.schemaVersion as number, data: line.data, metadata: line.metadata, recordedAt: new Date(line.recordedAt), prevHash, hash: '', hashVersion: line.hashVersion as number | undefined });
    prevHash = line.hash;
  }
  const events = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  const summary = summaryCsv(lines.map((l) => ({ ...l, recordedAt: new Date(l.recordedAt) }) as unknown as StoredEvent));
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
  manifest.files['events.jsonl'] = { sha256: sha256(events), bytes: Buffer.byteLength(events) };
  manifest.files['summary.csv'] = { sha256: sha256(summary), bytes: Buffer.byteLength(summary) };
  manifest.events = { count: lines.length, head: { version: lines[lines.length - 1]!.streamVersion, hash: prevHash }, firstPosition: lines[0]!.globalPosition, lastPosition: lines[lines.length - 1]!.globalPosition };
  manifestChange(manifest);
  await writeFile(path.join(dir, 'events.jsonl'), events);
  await writeFile(path.join(dir, 'summary.csv'), summary);
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/**
 * What `verify --case` finds of each case's own read-model rows (its row in `cases`, its instalments,
 * its filing's rounds) rebuilt from its events alone: nothing, where the whole rebuild finds nothing.
 * The cases of the real workflows are the ones whose projections read more than their own events.
 */
export async function eachCaseAgainstItsRows(db: Db): Promise<{ cases: number; drift: RowDrift[] }> {
  const rows = await db.selectFrom('cases').select('case_id').execute();
  const drift: RowDrift[] = [];
  for (const { case_id } of rows) drift.push(...(await rebuildCaseAndCompare(db, case_id)).drift);
  return { cases: rows.length, drift };
}
