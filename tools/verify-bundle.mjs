#!/usr/bin/env node
/**
 * Checks a 优创 Youchuang case bundle with nothing but Node.js (18 or later): no database, no running
 * system, no packages. What an outside auditor runs:
 *
 *   node tools/verify-bundle.mjs BUNDLE [--key-id ed25519:…] [--public-key signer.pem] [--allow-unsigned-tail] [--json]
 *
 * BUNDLE is either the directory `npm run audit -- export CASE_ID DIR` writes (manifest.json,
 * events.jsonl, summary.csv, documents/<sha256>), or the single file <ref>-bundle.json the audit page
 * (导出案件证据包, GET /api/audit/cases/:caseId/export) downloads: the same content as JSON,
 * { manifest, files: { "manifest.json", "events.jsonl", "summary.csv" }, documents: { <sha256>: base64 } }.
 * Both are read into the same form and go through the same checks.
 *
 * It checks the files against the manifest, recomputes every event's hash and the chain between
 * them, checks summary.csv against the events, checks the checkpoint's Ed25519 signature, follows the
 * path from the case's signed head to the signed streams root, and checks that every document an event
 * references (documentId and sha256) is in the bundle with that hash. Give the signer's key
 * fingerprint (--key-id) or public key (--public-key) as published by the programme office: without
 * one, a bundle forged together with its own key would pass the signature check.
 *
 * What the signature covers is decided by signed data only. The checkpoint signs a streams root, a
 * Merkle root over every stream's head (stream id, version, hash of its last event) at the
 * checkpoint. The manifest's `inclusion` names this case's head there (version v, hash h) with the
 * path to that root; the verifier recomputes the root from (case id, v, h) and the path, and requires
 * the bundle's event at version v to have hash h, so the chain ties versions 1..v to the signature.
 * Events after v only chain on from it: they are NOT under the signature. Nothing unsigned decides
 * this: not the events' globalPosition (outside the event hash), not the manifest's counts or file
 * hashes (the manifest is unsigned), not a missing `inclusion`.
 *
 * A bundle whose last event is not proven by a signed checkpoint — no checkpoint, no inclusion path,
 * or events after the signed head — FAILS. --allow-unsigned-tail accepts those events after all
 * (chain-checked only, which anyone who recomputes every hash passes) and says so in a loud warning;
 * use it only for a bundle from a system without a signing key, knowing what it does not prove.
 *
 * Output: for people, in Chinese; with --json, the result as JSON (English keys: ok, checks[{ name,
 * ok, title, detail }], warnings, facts; `name` is a stable English identifier, title and detail are
 * the Chinese text).
 * Exit code 0: every check passed; 1: a check failed; 2: the bundle could not be read.
 * The formats it reads are written by audit/case-bundle.ts (and api/routes/audit.routes.ts for the
 * single file), audit/checkpoints.ts and audit/log-digest.ts, and the event hash by db/hash-chain.ts:
 * keep them in step.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const GENESIS_HASH = '0'.repeat(64);
const BUNDLE_FORMAT = 'youchuang-case-bundle/2';
/** Bundles written before events carried their hash version: every event in them has version 1. */
const BUNDLE_FORMATS = ['youchuang-case-bundle/1', BUNDLE_FORMAT];
const CHECKPOINT_FORMAT = 'youchuang-audit-checkpoint/1';
const DOCUMENTS_DIR = 'documents';
const USAGE = '用法：node tools/verify-bundle.mjs 证据包目录或-bundle.json文件 [--key-id ed25519:…] [--public-key signer.pem] [--allow-unsigned-tail] [--json]';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const short = (hash) => `${String(hash).slice(0, 16)}…`;
const versions = (from, to) => (from === to ? `第 ${from} 版` : `第 ${from}–${to} 版`);

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

/**
 * The text PostgreSQL writes out for the jsonb a value becomes: db/hash-chain.ts jsonbText. Keys
 * shortest first (in UTF-8 bytes), then byte by byte; ", " and ": "; numbers never in exponent form.
 */
export function jsonbText(value) {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return numericText(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
      const bytes = (k) => Buffer.from(k, 'utf8');
      const keys = Object.keys(value)
        .filter((k) => value[k] !== undefined)
        .sort((a, b) => bytes(a).length - bytes(b).length || Buffer.compare(bytes(a), bytes(b)));
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText(value[k])}`).join(', ')}}`;
    }
    default:
      throw new TypeError(`cannot write a value of type ${typeof value} as jsonb`);
  }
}

function numericText(n) {
  if (!Number.isFinite(n)) throw new TypeError(`cannot write the number ${n} as jsonb`);
  const text = JSON.stringify(n);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const point = mantissa.indexOf('.');
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const pointAt = (point < 0 ? mantissa.length : point) + Number(text.slice(e + 1));
  const out = pointAt <= 0 ? `0.${'0'.repeat(-pointAt)}${digits}` : pointAt >= digits.length ? digits + '0'.repeat(pointAt - digits.length) : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

/** An event's hash by the version it was written with (db/hash-chain.ts): 1, canonical JSON; 2, the database's text of data and metadata. */
function eventHash(e) {
  const version = e.hashVersion ?? 1;
  if (version === 2) {
    return sha256(
      `youchuang-event/2\n${e.prevHash}\n${JSON.stringify(e.streamId)}\n${e.streamVersion}\n${e.eventId}\n${JSON.stringify(e.type)}\n${e.schemaVersion}\n${e.recordedAt}\n${jsonbText(e.metadata)}\n${jsonbText(e.data)}`,
    );
  }
  if (version !== 1) return undefined;
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

/**
 * A summary cell against the event's text: the same, or (from 2026-12-07) with the apostrophe that
 * keeps a spreadsheet from reading a text starting with = + - @ as a formula.
 */
function sameCellText(cell, text) {
  return cell === text || (/^[=+\-@\t\r]/.test(text) && cell === `'${text}`);
}

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
 * The bundle at `location`, a directory or the single JSON file, as one form: the manifest's text,
 * a file by name and a document by SHA-256 (bytes, or undefined when absent). Throws when it cannot
 * be read at all.
 */
export async function openBundle(location) {
  const info = await stat(location);
  if (info.isDirectory()) {
    return {
      kind: 'directory',
      manifestText: await readFile(path.join(location, 'manifest.json'), 'utf8'),
      file: (name) => readFile(path.join(location, name)).catch(() => undefined),
      document: (hash) => readFile(path.join(location, DOCUMENTS_DIR, hash)).catch(() => undefined),
    };
  }
  let parsed;
  try {
    parsed = JSON.parse(await readFile(location, 'utf8'));
  } catch (error) {
    // The parser's own words are English: the place is what a reader can use.
    const at = /position (\d+)/.exec(String(error.message))?.[1];
    throw new Error(`既不是证据包目录，也不是 JSON 证据包文件：JSON 格式有误${at ? `（约在第 ${Number(at) + 1} 个字符处）` : ''}，文件可能被截断或改动过`, { cause: error });
  }
  const files = parsed !== null && typeof parsed === 'object' && parsed.files !== null && typeof parsed.files === 'object' ? parsed.files : undefined;
  if (!files) throw new Error('这个 JSON 文件不是证据包：缺少 files（应为审计页面“导出案件证据包”下载的 …-bundle.json）');
  const text = (name) => (Object.hasOwn(files, name) && typeof files[name] === 'string' ? files[name] : undefined);
  const manifestText = text('manifest.json') ?? (parsed.manifest ? JSON.stringify(parsed.manifest) : undefined);
  if (manifestText === undefined) throw new Error('这个 JSON 文件不是证据包：缺少清单 manifest.json');
  const documents = parsed.documents !== null && typeof parsed.documents === 'object' ? parsed.documents : {};
  return {
    kind: 'file',
    manifestText,
    // The single file carries the manifest twice (as `manifest` and as files["manifest.json"]): they must agree.
    manifestCopy: text('manifest.json') !== undefined && parsed.manifest ? parsed.manifest : undefined,
    file: async (name) => (text(name) === undefined ? undefined : Buffer.from(text(name), 'utf8')),
    document: async (hash) => (Object.hasOwn(documents, hash) && typeof documents[hash] === 'string' ? Buffer.from(documents[hash], 'base64') : undefined),
  };
}

/**
 * Verifies the bundle at `location` (a directory or the single JSON file). Returns
 * { ok, checks: [{ name, ok, title, detail }], warnings, facts }. Throws only when the bundle cannot
 * be read at all. options: { keyId, publicKeyPem, allowUnsignedTail }.
 */
export async function verifyBundle(location, options = {}) {
  const checks = [];
  const warnings = [];
  const facts = {};
  const check = (name, title, ok, detail) => {
    checks.push({ name, ok, title, detail });
    return ok;
  };
  const done = () => ({ ok: checks.every((x) => x.ok), checks, warnings, facts });

  const bundle = await openBundle(location);
  const manifest = JSON.parse(bundle.manifestText);
  const formatOk = BUNDLE_FORMATS.includes(manifest?.format);
  if (!check('format', formatOk ? '格式正确' : '格式不符', formatOk, formatOk ? `${manifest.format}，案件 ${manifest.caseId}（${manifest.caseType}）${bundle.kind === 'file' ? '（单文件 JSON 证据包）' : ''}；清单记载由 ${manifest.exportedBy ?? '（未记载）'}导出于 ${manifest.exportedAt ?? '（未记载）'}（清单未签名：导出人和导出时间仅供参考，不是校验结论）` : `不是本校验程序认识的案件证据包：格式为 ${manifest?.format}`)) {
    return done();
  }
  facts.caseId = manifest.caseId;
  if (bundle.manifestCopy !== undefined && canonicalJson(bundle.manifestCopy) !== canonicalJson(manifest)) {
    check('manifest', '清单不一致', false, '单文件证据包中的 manifest 与 files["manifest.json"] 内容不同：文件被改动过');
  }

  // 1. The files are the ones the manifest names (the manifest is unsigned: this finds accidents and careless edits, it proves nothing).
  const contents = {};
  for (const [name, expected] of Object.entries(manifest.files ?? {})) {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) {
      check(`file ${name}`, `文件 ${name}`, false, '清单列出的文件在证据包之外');
      continue;
    }
    const bytes = await bundle.file(name);
    if (!bytes) {
      check(`file ${name}`, `文件 ${name} 缺失`, false, '证据包中没有这个文件');
      continue;
    }
    contents[name] = bytes.toString('utf8');
    const actual = sha256(bytes);
    const ok = actual === expected?.sha256;
    check(`file ${name}`, ok ? `文件 ${name} 与清单一致` : `文件 ${name} 被改动`, ok, ok ? `sha256 ${short(actual)}，${bytes.length} 字节` : `其 sha256 为 ${actual}，清单记载为 ${expected?.sha256}：文件被改动过`);
  }
  for (const required of ['events.jsonl', 'summary.csv']) {
    if (!(required in (manifest.files ?? {}))) check(`file ${required}`, `文件 ${required} 未列入清单`, false, '清单没有列出这个文件');
  }
  if (contents['events.jsonl'] === undefined) return done();

  // 2. The chain: every event's hash recomputed, each linked to the one before, versions 1..n.
  const lines = contents['events.jsonl'].split('\n').filter((l) => l.length > 0);
  const events = [];
  for (const [i, line] of lines.entries()) {
    try {
      events.push(JSON.parse(line));
    } catch {
      check('events', '事件无法读取', false, `events.jsonl 第 ${i + 1} 行不是 JSON`);
      return done();
    }
  }
  let chainProblem;
  let prevHash = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    const where = `第 ${e.streamVersion} 版（第 ${i + 1} 行）`;
    if (e.streamId !== manifest.caseId) chainProblem = `${where}属于流 ${e.streamId}，不属于案件 ${manifest.caseId}`;
    else if (e.streamVersion !== i + 1) chainProblem = `第 ${i + 1} 行是第 ${e.streamVersion} 版，应为第 ${i + 1} 版：有事件缺失或顺序被打乱`;
    else if (e.prevHash !== prevHash) chainProblem = `${where}：其“前一哈希”与前一个事件的哈希不符`;
    else if (e.hashVersion !== undefined && e.hashVersion !== 1 && e.hashVersion !== 2) chainProblem = `${where}：哈希版本 ${e.hashVersion} 本程序不认识`;
    else if (eventHash(e) !== e.hash) chainProblem = `${where}：内容与其哈希不符（写入后被改动）`;
    if (chainProblem) break;
    prevHash = e.hash;
  }
  check('hash chain', chainProblem ? '哈希链断裂' : '哈希链完整', !chainProblem, chainProblem ?? `${events.length} 个事件，第 1–${events.length} 版，每个哈希都已重算`);
  const last = events[events.length - 1];
  const head = manifest.events?.head;
  const headMatches = events.length === manifest.events?.count && (last ? head?.version === last.streamVersion && head?.hash === last.hash : head === null);
  check(
    'head',
    headMatches ? '链头与清单一致' : '链头与清单不符',
    headMatches,
    headMatches
      ? last
        ? `第 ${last.streamVersion} 版，${short(last.hash)}`
        : '没有事件'
      : `清单记载 ${manifest.events?.count} 个事件、链头为第 ${head?.version} 版（${short(head?.hash)}），events.jsonl 有 ${events.length} 个${last ? `、链头为第 ${last.streamVersion} 版（${short(last.hash)}）` : ''}：事件被删除或添加`,
  );

  // 3. The summary lists the same events.
  if (contents['summary.csv'] !== undefined) {
    const rows = contents['summary.csv'].replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0).map(csvFields);
    const [header = [], ...body] = rows;
    // The columns by name: Chinese since 2026-12-04, English in bundles exported before.
    const col = (chinese, english) => (header.includes(chinese) ? header.indexOf(chinese) : header.indexOf(english));
    let summaryProblem;
    if (body.length !== events.length) summaryProblem = `summary.csv 有 ${body.length} 行，events.jsonl 有 ${events.length} 个事件`;
    else {
      for (const [i, row] of body.entries()) {
        const e = events[i];
        if (
          row[col('版本', 'version')] !== String(e.streamVersion) ||
          row[col('事件类型', 'event_type')] !== e.type ||
          row[col('哈希', 'hash')] !== e.hash ||
          row[col('记录时间（UTC）', 'recorded_at')] !== e.recordedAt ||
          !sameCellText(row[col('操作人', 'actor_name')], e.metadata?.actor?.displayName ?? '')
        ) {
          summaryProblem = `summary.csv 第 ${i + 1} 行与第 ${e.streamVersion} 版事件不符`;
          break;
        }
      }
    }
    check('summary.csv', summaryProblem ? '摘要与事件不符' : '摘要与事件一致', !summaryProblem, summaryProblem ?? `${body.length} 行，每个事件一行`);
  }

  // 4. The checkpoint: signed by the trusted key; this case's signed head on the path to its streams root, and the bundle's events up to it.
  const c = manifest.checkpoint;
  let signedVersion = 0;
  let coverageFailed = false;
  let noSignedHead;
  if (!c) {
    noSignedHead = '证据包不含签名检查点';
  } else {
    facts.checkpoint = { checkpointNo: c.checkpointNo, position: c.position, createdAt: c.createdAt, keyId: c.keyId };
    let signatureOk = false;
    let signatureDetail;
    try {
      signatureOk = verify(null, Buffer.from(checkpointStatement(c), 'utf8'), createPublicKey(c.publicKey), Buffer.from(c.signature, 'base64'));
      signatureDetail = signatureOk ? `检查点 #${c.checkpointNo}（日志位置 ${c.position}，${c.eventCount} 个事件，签署于 ${c.createdAt}）` : `检查点 #${c.checkpointNo} 的签名与其内容不符：检查点被改动过`;
    } catch (error) {
      signatureDetail = `无法读取检查点的公钥或签名：${error.message}`;
    }
    check('checkpoint signature', signatureOk ? '检查点签名有效' : '检查点签名无效', signatureOk, signatureDetail);

    const actualKeyId = (() => {
      try {
        return keyIdOf(c.publicKey);
      } catch {
        return undefined;
      }
    })();
    facts.keyId = actualKeyId;
    if (actualKeyId !== c.keyId) check('signing key', '签名密钥不符', false, `检查点写明密钥 ${c.keyId}，所附公钥却是 ${actualKeyId}`);
    else if (options.publicKeyPem || options.keyId) {
      const trusted = options.publicKeyPem ? keyIdOf(options.publicKeyPem) : options.keyId;
      const ok = actualKeyId === trusted;
      check('signing key', ok ? '签名密钥可信' : '签名密钥不可信', ok, ok ? `${actualKeyId} 是所信任的密钥` : `由 ${actualKeyId} 签署，不是所信任的密钥 ${trusted}`);
    } else {
      warnings.push(`检查点由密钥 ${actualKeyId} 签署；未指定可信密钥，请将此指纹与项目办公布的指纹核对（或用 --key-id / --public-key 指定）`);
    }

    const inc = manifest.inclusion;
    if (!inc) {
      noSignedHead = `检查点 #${c.checkpointNo} 没有为本案签署任何版本：清单中没有从本案链头到签名流根的包含路径（inclusion 为空）`;
    } else {
      const leafRoot = (() => {
        try {
          return rootFromProof(streamLeafHash(manifest.caseId, inc.version, inc.hash), Array.isArray(inc.proof) ? inc.proof : []);
        } catch {
          return undefined;
        }
      })();
      const signed = events[inc.version - 1];
      let coverageProblem;
      if (!Number.isInteger(inc.version) || inc.version < 1 || leafRoot !== c.streamsRoot) {
        coverageProblem = `清单中的本案链头（第 ${inc.version} 版，${short(inc.hash)}）及其包含路径推不出检查点 #${c.checkpointNo} 签署的流根：这不是签名所证明的链头`;
      } else if (!signed) {
        coverageProblem = `检查点 #${c.checkpointNo} 签署的本案链头是第 ${inc.version} 版（${short(inc.hash)}），证据包却只有 ${events.length} 个事件：签名覆盖的事件被删除或截短`;
      } else if (signed.hash !== inc.hash) {
        coverageProblem = `检查点 #${c.checkpointNo} 签署的本案链头是第 ${inc.version} 版 ${short(inc.hash)}，证据包中的第 ${inc.version} 版却是 ${short(signed.hash)}：签名覆盖的事件被改动、删除、重排或截短`;
      } else {
        // globalPosition is outside the event hash: it decides nothing, but a genuine export has it on the right side of the checkpoint.
        const misplaced = events.find((e, i) => (i < inc.version ? !(e.globalPosition <= c.position) : !(e.globalPosition > c.position)));
        if (misplaced) coverageProblem = `第 ${misplaced.streamVersion} 版的日志位置 ${misplaced.globalPosition} 与检查点 #${c.checkpointNo}（位置 ${c.position}）签署的链头第 ${inc.version} 版矛盾：日志位置不受事件哈希保护，被改动过`;
      }
      coverageFailed = Boolean(coverageProblem);
      if (!coverageFailed) signedVersion = inc.version;
      check('checkpoint coverage', coverageFailed ? '签名覆盖不成立' : '签名覆盖成立', !coverageFailed, coverageProblem ?? `${versions(1, inc.version)}正是检查点 #${c.checkpointNo} 签署的事件`);
    }
  }
  facts.signedHead = signedVersion > 0 ? { version: signedVersion, hash: events[signedVersion - 1].hash } : null;
  facts.coveredVersion = signedVersion;
  facts.eventsAfterCheckpoint = coverageFailed ? 0 : events.length - signedVersion;

  // The unsigned export time cannot precede what the bundle proves was already there: an outsider dated a bundle a year before its case, and it passed.
  const exportedAt = Date.parse(manifest.exportedAt);
  const latestEvent = events.reduce((latest, e) => (Date.parse(e.recordedAt) > Date.parse(latest?.recordedAt ?? '') ? e : latest), undefined);
  const exportProblem = Number.isNaN(exportedAt)
    ? `清单记载的导出时间“${manifest.exportedAt}”不是时间`
    : latestEvent && exportedAt < Date.parse(latestEvent.recordedAt)
      ? `清单记载导出于 ${manifest.exportedAt}，早于第 ${latestEvent.streamVersion} 版事件的记录时间 ${latestEvent.recordedAt}`
      : c && exportedAt < Date.parse(c.createdAt)
        ? `清单记载导出于 ${manifest.exportedAt}，早于检查点 #${c.checkpointNo} 的签署时间 ${c.createdAt}`
        : undefined;
  if (exportProblem) check('export time', '导出时间与证据矛盾', false, `${exportProblem}：清单未签名，被改动过`);

  // 5. Every event must be under the signature; the unsigned tail passes only when asked for, and loudly.
  if (!coverageFailed && events.length > signedVersion) {
    const tail = versions(signedVersion + 1, events.length);
    const why = noSignedHead ?? `检查点 #${c.checkpointNo} 签署的本案链头是第 ${signedVersion} 版，其后的事件是签署之后才记录的`;
    const risk = `${tail}（共 ${events.length - signedVersion} 个事件）未经签名证明，只做了哈希链校验，而改写后重算全部哈希的伪造者同样能通过哈希链校验`;
    if (options.allowUnsignedTail) {
      check('unsigned tail', '未签名事件（已按 --allow-unsigned-tail 放行）', true, `${why}；${risk}`);
      warnings.push(`！！！注意：${tail}没有任何签名证明，只因指定了 --allow-unsigned-tail 才放行。${why}。这些事件可能是伪造的，不能作为证据；请让对方签署检查点后重新导出。`);
    } else {
      check('unsigned tail', '有未经签名证明的事件', false, `${why}；${risk}。请在签署检查点后重新导出（npm run audit -- export 和审计页面的导出会先签署检查点；需配置 AUDIT_SIGNING_KEY），或明确加 --allow-unsigned-tail 接受未签名的事件`);
    }
  }

  // 6. The documents: every file an event references is in the bundle, exactly as the event's hash says.
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
  for (const [hash, { names, versions: at }] of referenced) {
    const name = `document ${[...names].join(' / ')}`;
    const label = `材料 ${[...names].join(' / ')}`;
    const where = `第 ${[...at].join('、')} 版引用`;
    if (!/^[0-9a-f]{64}$/.test(hash)) {
      check(name, `${label} 的哈希无效`, false, `${where}的哈希“${hash}”不是 SHA-256`);
      continue;
    }
    const bytes = await bundle.document(hash);
    if (!bytes) {
      check(name, `${label} 缺失`, false, `${where}，但证据包中没有 ${DOCUMENTS_DIR}/${hash}：无法出示据以决定的文件`);
      continue;
    }
    const actual = sha256(bytes);
    const ok = actual === hash;
    check(name, ok ? `${label} 与事件记载一致` : `${label} 被调换或改动`, ok, ok ? `${where}：${DOCUMENTS_DIR}/${short(hash)}，${bytes.length} 字节，其 SHA-256 正是事件记载的` : `${where}：事件记载的 SHA-256 为 ${hash}，证据包中的文件却是 ${actual}：这不是据以决定的文件`);
  }

  return done();
}

/** The closing line for people. */
function conclusion(result) {
  const caseId = result.facts.caseId ?? '?';
  if (!result.ok) return `校验未通过：案件 ${caseId} 的证据包有 ${result.checks.filter((c) => !c.ok).length} 项检查未通过（见上方 ✗）。`;
  const { coveredVersion = 0, eventsAfterCheckpoint = 0, checkpoint } = result.facts;
  if (eventsAfterCheckpoint > 0) {
    return `校验通过，但有保留：案件 ${caseId} 的证据包中${coveredVersion > 0 ? `只有${versions(1, coveredVersion)}经检查点 #${checkpoint.checkpointNo} 签名证明，` : '没有任何事件经签名证明，'}另有 ${eventsAfterCheckpoint} 个事件仅因 --allow-unsigned-tail 放行（见上方警告）。`;
  }
  return `校验通过：案件 ${caseId} 的证据包完整${coveredVersion > 0 ? `，${versions(1, coveredVersion)}全部由检查点 #${checkpoint.checkpointNo} 的签名证明` : '（没有事件）'}。`;
}

async function main(argv) {
  const args = [...argv];
  const json = args.includes('--json');
  const withValue = ['--key-id', '--public-key'];
  const valueOf = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const location = args.find((a, i) => !a.startsWith('--') && !withValue.includes(args[i - 1]));
  if (!location) {
    console.error(USAGE);
    return 2;
  }
  const publicKeyFile = valueOf('--public-key');
  let publicKeyPem;
  if (publicKeyFile) {
    try {
      publicKeyPem = await readFile(publicKeyFile, 'utf8');
    } catch (error) {
      console.error(`无法读取公钥文件 ${publicKeyFile}：${error.message}`);
      return 2;
    }
  }
  let result;
  try {
    result = await verifyBundle(location, { keyId: valueOf('--key-id'), publicKeyPem, allowUnsignedTail: args.includes('--allow-unsigned-tail') });
  } catch (error) {
    console.error(`无法读取证据包 ${location}：${error.message}`);
    return 2;
  }
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    for (const c of result.checks) console.log(`${c.ok ? '✓' : '✗'} ${c.title}：${c.detail}`);
    for (const w of result.warnings) console.log(`! ${w}`);
    console.log(`\n${conclusion(result)}`);
  }
  return result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
