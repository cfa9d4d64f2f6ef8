/**
 * `npm run audit -- <command>`: the auditor's tools against DATABASE_URL (and TEMPORAL_ADDRESS for
 * replay). Without DATABASE_URL it uses the embedded database of a running `npm start`, whose URL
 * that process writes to .data/database-url. Exit code 0: intact; 1: problems found; 2: cannot run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironment, temporalConnectionOptions } from '../config/environment.js';
import { createDb, type Db } from '../db/client.js';
import { buildCaseBundle, exportCaseBundle, fullyCovered, writeCaseBundle } from './case-bundle.js';
import { auditedEvent, caseAsOf, caseDiff, caseStream } from './case-history.js';
import { createCheckpoint, listCheckpoints, type Checkpoint } from './checkpoints.js';
import { describeInstant, INSTANT_HELP, parseInstant } from './instants.js';
import { rebuildAndCompare } from './read-model-drift.js';
import { generateSigningKeyPem, loadAuditKey, parseSigningKey, type AuditKey } from './signing-key.js';
import { verifyCase, verifyStore, type VerificationProblem } from './verify-store.js';

const DATA = fileURLToPath(new URL('../.data/', import.meta.url));
export const DATABASE_URL_FILE = path.join(DATA, 'database-url');
export const TEMPORAL_ADDRESS_FILE = path.join(DATA, 'temporal-address');
export const DEV_SIGNING_KEY_FILE = path.join(DATA, 'audit-signing-key.pem');

const USAGE = `usage: npm run audit -- <command>

  verify [--case CASE_ID] [--checkpoints FILE]   verify the whole store (or one case); FILE: checkpoints exported earlier
  events CASE_ID                                  the case's events: who, when, what, hash
  as-of CASE_ID INSTANT                           the case as it was at INSTANT
  diff CASE_ID FROM TO                            what changed between two instants, and who changed it
  export CASE_ID DIR [--no-checkpoint]            a bundle for tools/verify-bundle.mjs (signs a fresh checkpoint first when the key is at hand)
  replay CASE_ID [--history FILE]                 replay the case's workflow history against the current code
  drift [--keep-scratch]                          rebuild every read model from the events and list rows that differ
  checkpoint [create|list|export FILE]            sign a checkpoint now, list them, or export them as JSON
  keygen FILE                                     write a new Ed25519 signing key (PKCS#8 PEM) for AUDIT_SIGNING_KEY_FILE

  INSTANT is ${INSTANT_HELP}.
  Add --json to any command for machine-readable output.`;

class UsageError extends Error {}

interface Options {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Options {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const withValue = new Set(['--case', '--checkpoints', '--history']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (withValue.has(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      flags.set(arg, value);
    } else if (arg.startsWith('--')) flags.set(arg, true);
    else positional.push(arg);
  }
  return { positional, flags };
}

function need(options: Options, count: number, what: string): string[] {
  const args = options.positional.slice(1, 1 + count);
  if (args.length < count) throw new UsageError(`${options.positional[0]} needs ${what}`);
  return args;
}

function instantArg(text: string): Date {
  const at = parseInstant(text);
  if (!at) throw new UsageError(`"${text}" is not ${INSTANT_HELP}`);
  return at;
}

const err = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');

/** DATABASE_URL, or the one `npm start` wrote for its embedded database. */
function databaseUrl(): { url: string; embedded: boolean } {
  const environment = readEnvironment();
  if (environment.databaseUrl) return { url: environment.databaseUrl, embedded: false };
  if (existsSync(DATABASE_URL_FILE)) {
    const url = readFileSync(DATABASE_URL_FILE, 'utf8').trim();
    err(`(DATABASE_URL is not set: using the embedded database of \`npm start\`, ${url.replace(/:[^:@/]*@/, ':…@')}, from .data/database-url)`);
    return { url, embedded: true };
  }
  throw new UsageError(
    'DATABASE_URL is not set, and no `npm start` is running here.\n' +
      '  Either start the system with `npm start` in another terminal (it writes the URL of its embedded database to .data/database-url, which this command reads),\n' +
      '  or point this command at a database: DATABASE_URL=postgres://user:password@host:5432/youchuang npm run audit -- …',
  );
}

function progressBar(label: string) {
  const started = performance.now();
  let lastTenth = -1;
  return (done: number, total: number) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
    const text = `${label} ${fmt(done)}/${fmt(total)} events, ${fmt(rate)} events/s`;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${text}  `);
      if (done >= total) process.stderr.write('\n');
    } else if (Math.floor(fraction * 10) > lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      err(`${String(Math.round(fraction * 100)).padStart(3)}% ${text}`);
    }
  };
}

function printProblems(problems: readonly VerificationProblem[], total: number) {
  for (const p of problems.slice(0, 50)) console.log(`  ✗ [${p.kind}] ${p.message}`);
  if (total > 50) console.log(`  … and ${fmt(total - 50)} more (--json lists up to 1,000)`);
}

async function readCheckpointFile(file: string): Promise<Checkpoint[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { checkpoints?: Checkpoint[] } | Checkpoint[];
  const list = Array.isArray(parsed) ? parsed : parsed.checkpoints;
  if (!Array.isArray(list)) throw new UsageError(`${file} holds no checkpoints (expected the output of \`npm run audit -- checkpoint export FILE\`)`);
  return list;
}

async function run(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  const json = options.flags.has('--json');
  const command = options.positional[0];
  const out = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  if (!command || command === 'help' || options.flags.has('--help')) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'keygen') {
    const [file] = need(options, 1, 'a FILE to write the key to');
    await writeFile(file!, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
    const key = parseSigningKey(await readFile(file!, 'utf8'), file!);
    console.log(`wrote ${file} (key id ${key.keyId}); publish the public key below, keep the file secret, and set AUDIT_SIGNING_KEY_FILE=${file}\n\n${key.publicKeyPem}`);
    return 0;
  }

  const { url, embedded } = databaseUrl();
  const key = await loadAuditKey(readEnvironment(), embedded ? DEV_SIGNING_KEY_FILE : undefined);
  const db = createDb(url, { max: 4 });
  try {
    return await runWithDb(db, key, command, options, json, out);
  } catch (error) {
    if ((error as { code?: string }).code === 'ECONNREFUSED') {
      throw new UsageError(`cannot reach the database (${(error as Error).message})${embedded ? ': is `npm start` still running?' : ''}`);
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

async function runWithDb(db: Db, key: AuditKey | undefined, command: string, options: Options, json: boolean, out: (value: unknown) => void): Promise<number> {
  const now = () => new Date();
  switch (command) {
    case 'verify': {
      const caseId = options.flags.get('--case');
      const file = options.flags.get('--checkpoints');
      const exported = typeof file === 'string' ? await readCheckpointFile(file) : undefined;
      if (typeof caseId === 'string') {
        const report = await verifyCase(db, caseId, { trustedKey: key, ...(exported?.length ? { checkpoint: exported.reduce((a, c) => (c.checkpointNo > a.checkpointNo ? c : a)) } : {}) });
        if (json) out(report);
        else {
          console.log(`Case ${caseId} (${report.streamType}): ${report.events} events${report.head ? `, head version ${report.head.version} ${report.head.hash.slice(0, 16)}…` : ''}`);
          if (report.checkpoint) console.log(`Checkpoint #${report.checkpoint.checkpointNo} (position ${fmt(report.checkpoint.position)}, ${report.checkpoint.createdAt}) covers versions 1–${report.checkpoint.coveredVersion}: signature ${report.checkpoint.signature}, streams root ${report.checkpoint.streamsRoot}`);
          for (const w of report.warnings) console.log(`  ! ${w}`);
          if (report.intact) console.log('Intact.');
          else {
            console.log(`NOT intact. First problem: ${report.firstProblem?.message}`);
            printProblems(report.problems, report.problems.length);
          }
        }
        return report.intact ? 0 : 1;
      }
      const report = await verifyStore(db, { trustedKey: key, exported, onProgress: json ? undefined : progressBar('verified') });
      if (json) out(report);
      else {
        console.log(`Verified ${fmt(report.eventsChecked)} events in ${fmt(report.streamsChecked)} streams in ${report.seconds.toFixed(1)} s (${fmt(report.eventsPerSecond)} events/s).`);
        const latest = report.checkpoints.latest;
        console.log(
          report.checkpoints.checked
            ? `Checkpoints: ${report.checkpoints.checked} checked${report.checkpoints.trustedKeyId ? ` against key ${report.checkpoints.trustedKeyId}` : ''}; latest #${latest!.checkpointNo} at position ${fmt(latest!.position)} (${latest!.createdAt}); ${fmt(report.checkpoints.eventsAfterLatest)} events after it (chain-checked only).`
            : 'Checkpoints: none yet (sign one with `npm run audit -- checkpoint`): only the chains were checked.',
        );
        for (const w of report.warnings) console.log(`  ! ${w}`);
        if (report.intact) console.log('No problems: the record is intact.');
        else {
          console.log(`${fmt(report.problemCount)} problem(s):`);
          printProblems(report.problems, report.problemCount);
        }
      }
      return report.intact ? 0 : 1;
    }
    case 'events': {
      const [caseId] = need(options, 1, 'a CASE_ID');
      const { caseType, events } = await caseStream(db, caseId!);
      if (json) out({ caseId, caseType, events: events.map(auditedEvent) });
      else {
        console.log(`Case ${caseId} (${caseType}), ${events.length} events:`);
        for (const e of events) {
          const a = e.metadata.actor;
          console.log(`  v${e.streamVersion}  ${describeInstant(e.recordedAt).shanghai}  ${e.type.padEnd(26)} ${a?.displayName ?? '?'} (${a?.role ?? '?'}${a?.department ? `, ${a.department}` : ''})  ${e.hash.slice(0, 12)}…`);
        }
      }
      return 0;
    }
    case 'as-of': {
      const [caseId, at] = need(options, 2, 'a CASE_ID and an INSTANT');
      const report = await caseAsOf(db, caseId!, instantArg(at!));
      if (json) out(report);
      else {
        console.log(`Case ${caseId} (${report.caseType}) as of ${report.at.shanghai} (${report.at.utc}):`);
        if (!report.existed) console.log('  it did not exist yet.');
        else {
          const last = report.lastEvent!;
          console.log(`  version ${report.version}, after ${last.type} recorded ${last.recordedAt} by ${last.actor?.displayName ?? '?'} (${last.actor?.role ?? '?'}); ${report.laterEvents} event(s) recorded since.`);
          console.log(JSON.stringify(report.state, null, 2));
        }
        for (const w of report.warnings) console.log(`  ! ${w}`);
      }
      return 0;
    }
    case 'diff': {
      const [caseId, from, to] = need(options, 3, 'a CASE_ID and two INSTANTs');
      const report = await caseDiff(db, caseId!, instantArg(from!), instantArg(to!));
      if (json) out(report);
      else {
        console.log(`Case ${caseId} (${report.caseType}) from ${report.from.at.shanghai} (version ${report.from.version}) to ${report.to.at.shanghai} (version ${report.to.version}):`);
        console.log(`${report.events.length} event(s) in between:`);
        for (const e of report.events) console.log(`  v${e.version}  ${describeInstant(new Date(e.recordedAt)).shanghai}  ${e.type} by ${e.actor?.displayName ?? '?'} (${e.actor?.role ?? '?'}${e.actor?.department ? `, ${e.actor.department}` : ''})`);
        console.log(`${report.changes.length} field(s) changed:`);
        const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v).slice(0, 120));
        for (const c of report.changes) console.log(`  ${c.path}: ${show(c.before)} → ${show(c.after)}`);
      }
      return 0;
    }
    case 'export': {
      const [caseId, dir] = need(options, 2, 'a CASE_ID and a DIR');
      const exportedBy = `npm run audit (${process.env.USER ?? 'unknown user'})`;
      // A fresh checkpoint first (when the key can sign), so that every event of the bundle is under the signature.
      const bundle = options.flags.has('--no-checkpoint')
        ? await buildCaseBundle(db, caseId!, { now, exportedBy })
        : await exportCaseBundle(db, caseId!, { now, exportedBy, key, requestedBy: 'cli export' });
      const files = await writeCaseBundle(dir!, bundle);
      if (json) out({ files, manifest: bundle.manifest, fullyCovered: fullyCovered(bundle.manifest) });
      else {
        console.log(`Wrote ${files.join(', ')}`);
        const { checkpoint: c, inclusion, events } = bundle.manifest;
        const signed = inclusion?.version ?? 0;
        console.log(c ? `Under checkpoint #${c.checkpointNo} (position ${fmt(c.position)}), key ${c.keyId}: versions 1–${signed} of ${events.count}.` : 'No checkpoint: the bundle proves its chain only (configure AUDIT_SIGNING_KEY to sign one).');
        if (!fullyCovered(bundle.manifest)) {
          console.log(`  ! ${fmt(events.count - signed)} event(s) are not under a signature: tools/verify-bundle.mjs fails this bundle unless given --allow-unsigned-tail${key?.privateKey ? '' : ' (configure AUDIT_SIGNING_KEY so that the export signs a fresh checkpoint)'}.`);
        }
        console.log(`Check it anywhere with: node tools/verify-bundle.mjs ${dir}${c ? ` --key-id ${c.keyId}` : ''}`);
      }
      return 0;
    }
    case 'replay': {
      const [caseId] = need(options, 1, 'a CASE_ID');
      const { DefaultLogger, Runtime } = await import('@temporalio/worker');
      Runtime.install({ logger: new DefaultLogger('ERROR') });
      const { replayHistory, fetchCaseHistory } = await import('./workflow-replay.js');
      const { bundleWorkflows } = await import('../worker/create-worker.js');
      const historyFile = options.flags.get('--history');
      let history;
      if (typeof historyFile === 'string') history = JSON.parse(await readFile(historyFile, 'utf8'));
      else {
        const environment = readEnvironment();
        const address = environment.temporalAddress ?? (existsSync(TEMPORAL_ADDRESS_FILE) ? readFileSync(TEMPORAL_ADDRESS_FILE, 'utf8').trim() : undefined);
        if (!address) throw new UsageError('TEMPORAL_ADDRESS is not set and no `npm start` is running here (it writes .data/temporal-address); or replay a saved history with --history FILE');
        const { Client, Connection } = await import('@temporalio/client');
        const connection = await Connection.connect(temporalConnectionOptions(environment, address));
        try {
          history = await fetchCaseHistory(new Client({ connection, namespace: environment.temporalNamespace }), caseId!);
        } finally {
          await connection.close();
        }
      }
      err('bundling the current workflow code …');
      const report = await replayHistory(caseId!, history, await bundleWorkflows());
      if (json) out(report);
      else console.log(report.deterministic ? `✓ ${report.summary}` : `✗ ${report.summary}`);
      return report.deterministic ? 0 : 1;
    }
    case 'drift': {
      const report = await rebuildAndCompare(db, { keepScratchSchema: options.flags.has('--keep-scratch'), onProgress: json ? undefined : progressBar('rebuilt') });
      if (json) out(report);
      else {
        console.log(`Rebuilt the read models from ${fmt(report.eventsReplayed)} events (up to position ${fmt(report.position)}) in ${report.seconds.toFixed(1)} s${report.scratchSchemaKept ? ` into schema ${report.scratchSchema}` : ''}:`);
        for (const t of report.tables) console.log(`  ${t.table.padEnd(18)} live ${fmt(t.liveRows)} rows, rebuilt ${fmt(t.rebuiltRows)}: ${t.changed} changed, ${t.missing} missing, ${t.extra} extra`);
        for (const d of report.drift.slice(0, 50)) {
          const what = d.kind === 'changed' ? d.columns!.map((c) => `${c.column}: live ${JSON.stringify(c.live)?.slice(0, 60)} ≠ rebuilt ${JSON.stringify(c.rebuilt)?.slice(0, 60)}`).join('; ') : d.kind === 'missing' ? 'the events make this row; the live read model lacks it' : 'the live read model has this row; no event explains it';
          console.log(`  ✗ ${d.table} ${JSON.stringify(d.key)}: ${what}`);
        }
        console.log(report.intact ? 'No drift: every read model matches its events.' : `${report.driftCount} row(s) drifted.`);
      }
      return report.intact ? 0 : 1;
    }
    case 'checkpoint': {
      const sub = options.positional[1] ?? 'create';
      if (sub === 'create') {
        if (!key?.privateKey) throw new UsageError('no signing key: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE (npm start generates .data/audit-signing-key.pem for the embedded setup)');
        const { checkpoint, created } = await createCheckpoint(db, key, { now, reason: 'on-demand', requestedBy: 'cli' });
        if (json) out({ created, checkpoint });
        else console.log(`${created ? 'Signed' : 'Nothing new since'} checkpoint #${checkpoint.checkpointNo}: ${fmt(checkpoint.eventCount)} events up to position ${fmt(checkpoint.position)}, ${fmt(checkpoint.streamCount)} streams, key ${checkpoint.keyId}.`);
        return 0;
      }
      const checkpoints = await listCheckpoints(db);
      if (sub === 'list') {
        if (json) out(checkpoints);
        else for (const c of checkpoints) console.log(`#${c.checkpointNo}  ${c.createdAt}  position ${fmt(c.position)}  ${fmt(c.eventCount)} events  ${c.reason} by ${c.requestedBy}  key ${c.keyId}`);
        return 0;
      }
      if (sub === 'export') {
        const file = options.positional[2];
        if (!file) throw new UsageError('checkpoint export needs a FILE');
        await writeFile(file, `${JSON.stringify({ exportedAt: now().toISOString(), keyId: key?.keyId ?? null, publicKey: key?.publicKeyPem ?? null, checkpoints }, null, 2)}\n`);
        console.log(`wrote ${checkpoints.length} checkpoint(s) to ${file}; keep it outside the system and verify against it with: npm run audit -- verify --checkpoints ${file}`);
        return 0;
      }
      throw new UsageError(`unknown checkpoint command ${sub}: create, list or export FILE`);
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      if (error instanceof UsageError) {
        err(error.message);
        if (/^unknown command|needs/.test(error.message)) err(`\n${USAGE}`);
      } else err(`audit: ${error.message}`);
      process.exitCode = 2;
    },
  );
}
