#!/usr/bin/env node
/**
 * Checks a 优创 Youchuang case bundle with nothing but Node.js (18 or later): no database, no running
 * system, no packages. What an outside auditor runs:
 *
 *   node tools/verify-bundle.mjs BUNDLE_DIR [--key-id ed25519:…] [--public-key signer.pem] [--json]
 *
 * It checks the files against the manifest, recomputes every event's hash and the chain between
 * them, checks summary.csv against the events, checks the checkpoint's Ed25519 signature, and
 * follows the path from the case's head at the checkpoint to the signed streams root, and checks that
 * every document an event references (documentId and sha256) is in documents/<sha256> with that hash. Give the
 * signer's key fingerprint (--key-id) or public key (--public-key) as published by the programme
 * office: without one, a bundle forged together with its own key would pass the signature check.
 *
 * Exit code 0: every check passed; 1: a check failed; 2: the bundle could not be read.
 * The formats it reads are written by audit/case-bundle.ts, audit/checkpoints.ts and
 * audit/log-digest.ts, and the event hash by db/hash-chain.ts: keep them in step.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const GENESIS_HASH = '0'.repeat(64);
const BUNDLE_FORMAT = 'youchuang-case-bundle/1';
const CHECKPOINT_FORMAT = 'youchuang-audit-checkpoint/1';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Object keys sorted by code unit, no white space: db/hash-chain.ts canonicalJson. */
export function canonicalJson(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot hash a value of type ${typeof value}`);
  }
}

function eventHash(e) {
  return sha256(
    canonicalJson({
      prevHash: e.prevHash,
      streamId: e.streamId,
      streamVersion: e.streamVersion,
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      recordedAt: e.recordedAt,
    }),
  );
}

function checkpointStatement(c) {
  return canonicalJson({
    format: CHECKPOINT_FORMAT,
    checkpointNo: c.checkpointNo,
    position: c.position,
    eventCount: c.eventCount,
    logDigest: c.logDigest,
    streamCount: c.streamCount,
    streamsRoot: c.streamsRoot,
    createdAt: c.createdAt,
    reason: c.reason,
    requestedBy: c.requestedBy,
    keyId: c.keyId,
  });
}

function keyIdOf(publicKeyPem) {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return `ed25519:${sha256(der.subarray(der.length - 32)).slice(0, 32)}`;
}

const streamLeafHash = (streamId, version, hash) => sha256(`youchuang-stream-head\n${JSON.stringify([streamId, version, hash])}`);
const nodeHash = (left, right) => sha256(`youchuang-node\n${left}${right}`);
const rootFromProof = (leaf, proof) => proof.reduce((h, step) => (step.side === 'left' ? nodeHash(step.hash, h) : nodeHash(h, step.hash)), leaf);

/** Splits one CSV line (RFC 4180 quoting). */
function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Verifies the bundle in `dir`. Returns { ok, checks: [{ name, ok, detail }], warnings, facts }.
 * Throws only when the bundle cannot be read at all.
 */
export async function verifyBundle(dir, options = {}) {
  const checks = [];
  const warnings = [];
  const facts = {};
  const check = (name, ok, detail) => {
    checks.push({ name, ok, detail });
    return ok;
  };

  const manifestText = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  const manifest = JSON.parse(manifestText);
  if (!check('format', manifest.format === BUNDLE_FORMAT, manifest.format === BUNDLE_FORMAT ? `${BUNDLE_FORMAT}, case ${manifest.caseId} (${manifest.caseType}), exported ${manifest.exportedAt}` : `not a case bundle this verifier knows: ${manifest.format}`)) {
    return { ok: false, checks, warnings, facts };
  }
  facts.caseId = manifest.caseId;

  // 1. The files are the ones the manifest names.
  const contents = {};
  for (const [name, expected] of Object.entries(manifest.files ?? {})) {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) {
      check(`file ${name}`, false, 'the manifest names a file outside the bundle');
      continue;
    }
    const bytes = await readFile(path.join(dir, name)).catch(() => undefined);
    if (!bytes) {
      check(`file ${name}`, false, 'missing from the bundle');
      continue;
    }
    contents[name] = bytes.toString('utf8');
    const actual = sha256(bytes);
    check(`file ${name}`, actual === expected.sha256, actual === expected.sha256 ? `sha256 ${actual.slice(0, 16)}…, ${bytes.length} bytes` : `its sha256 is ${actual}, the manifest says ${expected.sha256}: the file was changed`);
  }
  for (const required of ['events.jsonl', 'summary.csv']) {
    if (!(required in (manifest.files ?? {}))) check(`file ${required}`, false, 'the manifest does not list it');
  }
  if (contents['events.jsonl'] === undefined) return { ok: false, checks, warnings, facts };

  // 2. The chain: every event's hash recomputed, each linked to the one before, versions 1..n.
  const lines = contents['events.jsonl'].split('\n').filter((l) => l.length > 0);
  const events = [];
  for (const [i, line] of lines.entries()) {
    try {
      events.push(JSON.parse(line));
    } catch {
      check('events', false, `line ${i + 1} of events.jsonl is not JSON`);
      return { ok: false, checks, warnings, facts };
    }
  }
  let chainProblem;
  let prevHash = GENESIS_HASH;
  let prevPosition = 0;
  for (const [i, e] of events.entries()) {
    const where = `version ${e.streamVersion} (line ${i + 1})`;
    if (e.streamId !== manifest.caseId) chainProblem = `${where} belongs to stream ${e.streamId}, not to case ${manifest.caseId}`;
    else if (e.streamVersion !== i + 1) chainProblem = `line ${i + 1} holds version ${e.streamVersion}, expected ${i + 1}: an event is missing or out of order`;
    else if (e.prevHash !== prevHash) chainProblem = `${where}: its previous-hash does not match the hash of the event before it`;
    else if (eventHash(e) !== e.hash) chainProblem = `${where}: its content does not match its hash (altered after it was written)`;
    else if (!(e.globalPosition > prevPosition)) chainProblem = `${where}: its log position ${e.globalPosition} is not after the previous event's ${prevPosition}`;
    if (chainProblem) break;
    prevHash = e.hash;
    prevPosition = e.globalPosition;
  }
  check('hash chain', !chainProblem, chainProblem ?? `${events.length} events, versions 1–${events.length}, every hash recomputed`);
  const last = events[events.length - 1];
  const head = manifest.events?.head;
  const headMatches = events.length === manifest.events?.count && (last ? head?.version === last.streamVersion && head?.hash === last.hash : head === null);
  check('head', headMatches, headMatches ? (last ? `version ${last.streamVersion}, ${last.hash.slice(0, 16)}…` : 'no events') : `the manifest says ${manifest.events?.count} events ending at version ${head?.version} (${head?.hash?.slice(0, 16)}…), events.jsonl has ${events.length}${last ? ` ending at version ${last.streamVersion} (${last.hash.slice(0, 16)}…)` : ''}: events were removed or added`);

  // 3. The summary lists the same events.
  if (contents['summary.csv'] !== undefined) {
    const rows = contents['summary.csv'].replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0).map(csvFields);
    const [header, ...body] = rows;
    const col = (name) => header.indexOf(name);
    let summaryProblem;
    if (body.length !== events.length) summaryProblem = `summary.csv has ${body.length} rows, events.jsonl ${events.length} events`;
    else {
      for (const [i, row] of body.entries()) {
        const e = events[i];
        if (row[col('version')] !== String(e.streamVersion) || row[col('event_type')] !== e.type || row[col('hash')] !== e.hash || row[col('recorded_at')] !== e.recordedAt || row[col('actor_name')] !== (e.metadata?.actor?.displayName ?? '')) {
          summaryProblem = `row ${i + 1} of summary.csv does not describe event version ${e.streamVersion}`;
          break;
        }
      }
    }
    check('summary.csv', !summaryProblem, summaryProblem ?? `${body.length} rows, one per event`);
  }

  // 4. The checkpoint: signed by the trusted key, and this case's head at its position on the path to its streams root.
  const c = manifest.checkpoint;
  if (!c) {
    warnings.push('the bundle carries no checkpoint: only the chain is checked, which someone who rewrote every hash would pass. Ask for a bundle exported after a signed checkpoint.');
  } else {
    facts.checkpoint = { checkpointNo: c.checkpointNo, position: c.position, createdAt: c.createdAt, keyId: c.keyId };
    let signatureOk = false;
    let signatureDetail;
    try {
      signatureOk = verify(null, Buffer.from(checkpointStatement(c), 'utf8'), createPublicKey(c.publicKey), Buffer.from(c.signature, 'base64'));
      signatureDetail = signatureOk ? `checkpoint #${c.checkpointNo} (position ${c.position}, ${c.eventCount} events, signed ${c.createdAt})` : `the signature of checkpoint #${c.checkpointNo} does not match its contents: the checkpoint was altered`;
    } catch (error) {
      signatureDetail = `the checkpoint's key or signature cannot be read: ${error.message}`;
    }
    check('checkpoint signature', signatureOk, signatureDetail);

    const actualKeyId = (() => {
      try {
        return keyIdOf(c.publicKey);
      } catch {
        return undefined;
      }
    })();
    facts.keyId = actualKeyId;
    if (actualKeyId !== c.keyId) check('signing key', false, `the checkpoint names key ${c.keyId} but carries key ${actualKeyId}`);
    else if (options.publicKeyPem || options.keyId) {
      const trusted = options.publicKeyPem ? keyIdOf(options.publicKeyPem) : options.keyId;
      check('signing key', actualKeyId === trusted, actualKeyId === trusted ? `${actualKeyId} is the trusted key` : `signed by ${actualKeyId}, not by the trusted key ${trusted}`);
    } else {
      warnings.push(`the checkpoint is signed by ${actualKeyId}; no trusted key was given, so check this fingerprint against the one the programme office publishes (or pass --key-id / --public-key)`);
    }

    const covered = events.filter((e) => e.globalPosition <= c.position);
    facts.coveredVersion = covered.length;
    facts.eventsAfterCheckpoint = events.length - covered.length;
    const inc = manifest.inclusion;
    if (covered.length === 0) {
      check('checkpoint coverage', inc === null || inc === undefined, inc ? 'the manifest carries a path for a case that had no events at the checkpoint' : `the case had no events at checkpoint #${c.checkpointNo}`);
    } else if (!inc) {
      check('checkpoint coverage', false, `${covered.length} events are at or before the checkpoint's position, but the manifest carries no path to its streams root`);
    } else {
      const coveredHead = covered[covered.length - 1];
      const inOrder = covered.every((e, i) => e.streamVersion === i + 1) && events.slice(covered.length).every((e) => e.globalPosition > c.position);
      const root = rootFromProof(streamLeafHash(manifest.caseId, coveredHead.streamVersion, coveredHead.hash), inc.proof ?? []);
      const ok = inOrder && inc.version === coveredHead.streamVersion && inc.hash === coveredHead.hash && root === c.streamsRoot;
      check(
        'checkpoint coverage',
        ok,
        ok
          ? `versions 1–${coveredHead.streamVersion} are exactly the events signed in checkpoint #${c.checkpointNo}`
          : `the case's head at the checkpoint (version ${coveredHead.streamVersion}, ${coveredHead.hash.slice(0, 16)}…) does not lead to the signed streams root: the events up to position ${c.position} are not the ones signed`,
      );
    }
    if (facts.eventsAfterCheckpoint > 0) warnings.push(`${facts.eventsAfterCheckpoint} event(s) were recorded after checkpoint #${c.checkpointNo}: they are chain-checked but not yet under a signature`);
  }

  // 5. The documents: every file an event references is in the bundle, exactly as the event's hash says.
  const referenced = new Map();
  const walk = (value, version) => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, version));
    else if (value !== null && typeof value === 'object') {
      if (typeof value.documentId === 'string' && typeof value.sha256 === 'string') {
        const seen = referenced.get(value.sha256) ?? { names: new Set(), versions: new Set() };
        seen.names.add(String(value.name ?? value.documentId));
        seen.versions.add(version);
        referenced.set(value.sha256, seen);
      }
      Object.values(value).forEach((v) => walk(v, version));
    }
  };
  for (const e of events) walk(e.data, e.streamVersion);
  facts.documents = referenced.size;
  for (const [hash, { names, versions }] of referenced) {
    const label = `document ${[...names].join(' / ')}`;
    const where = `referenced by version ${[...versions].join(', ')}`;
    if (!/^[0-9a-f]{64}$/.test(hash)) {
      check(label, false, `${where} with the hash "${hash}", which is not a SHA-256`);
      continue;
    }
    const bytes = await readFile(path.join(dir, 'documents', hash)).catch(() => undefined);
    if (!bytes) {
      check(label, false, `${where}, but documents/${hash} is missing from the bundle: the file decided on cannot be shown`);
      continue;
    }
    const actual = sha256(bytes);
    check(label, actual === hash, actual === hash ? `${where}: documents/${hash.slice(0, 16)}…, ${bytes.length} bytes, its SHA-256 is the one the event recorded` : `${where}: the event recorded SHA-256 ${hash}, the file in the bundle hashes to ${actual}: it is not the file decided on`);
  }

  return { ok: checks.every((x) => x.ok), checks, warnings, facts };
}

async function main(argv) {
  const args = [...argv];
  const json = args.includes('--json');
  const valueOf = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = args.find((a, i) => !a.startsWith('--') && !['--key-id', '--public-key'].includes(args[i - 1]));
  if (!dir) {
    console.error('usage: node tools/verify-bundle.mjs BUNDLE_DIR [--key-id ed25519:…] [--public-key signer.pem] [--json]');
    return 2;
  }
  const publicKeyFile = valueOf('--public-key');
  let result;
  try {
    result = await verifyBundle(dir, { keyId: valueOf('--key-id'), publicKeyPem: publicKeyFile ? await readFile(publicKeyFile, 'utf8') : undefined });
  } catch (error) {
    console.error(`cannot read the bundle in ${dir}: ${error.message}`);
    return 2;
  }
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    for (const c of result.checks) console.log(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
    for (const w of result.warnings) console.log(`! ${w}`);
    console.log(result.ok ? `\nThe bundle of case ${result.facts.caseId} is intact.` : `\nThe bundle of case ${result.facts.caseId ?? '?'} FAILED verification.`);
  }
  return result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
