import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseInterval, readEnvironment } from '../../config/environment.js';
import { checkpointSignatureProblem, checkpointStatement, type Checkpoint } from '../../audit/checkpoints.js';
import { fastCanonicalJson } from '../../audit/event-hash.js';
import { parseInstant } from '../../audit/instants.js';
import { canonicalJson } from '../../db/hash-chain.js';
import { EMPTY_STREAMS_ROOT, inclusionProof, merkleRoot, rootFromProof, streamLeafHash, streamsRoot } from '../../audit/log-digest.js';
import { generateSigningKeyPem, parsePublicKey, parseSigningKey, signStatement } from '../../audit/signing-key.js';
import { structuralDiff } from '../../audit/structural-diff.js';
import { summaryCsv } from '../../audit/case-bundle.js';
import { applicationCase } from '../../cases/application.case.js';
import type { StoredEvent } from '../../db/event-store.js';
import { PUBLIC_OBJECTOR } from '../../domain/applications/in-call.js';
import { DEPARTMENTS, SYSTEM_ACTOR, type Actor } from '../../domain/cases/actor.js';

const leaf = (i: number) => createHash('sha256').update(`leaf ${i}`).digest('hex');

describe('the streams root and inclusion proofs', () => {
  it('proves every leaf of trees of every size from 1 to 33, and no leaf at another place', () => {
    for (let size = 1; size <= 33; size++) {
      const leaves = Array.from({ length: size }, (_, i) => leaf(i));
      const root = merkleRoot(leaves);
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(leaves, i);
        expect(rootFromProof(leaves[i]!, proof), `leaf ${i} of ${size}`).toBe(root);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        if (size > 1) expect(rootFromProof(leaf(1000), proof)).not.toBe(root);
      }
    }
    expect(merkleRoot([])).toBe(EMPTY_STREAMS_ROOT);
  });

  it('depends on every head, and not on the order they are given in', () => {
    const heads = [
      { streamId: 'b', version: 2, hash: 'f'.repeat(64) },
      { streamId: 'a', version: 1, hash: 'e'.repeat(64) },
      { streamId: 'c', version: 7, hash: 'd'.repeat(64) },
    ];
    const root = streamsRoot([...heads]);
    expect(streamsRoot([...heads].reverse())).toBe(root);
    expect(streamsRoot(heads.map((h) => (h.streamId === 'c' ? { ...h, version: 6 } : h)))).not.toBe(root);
    expect(streamsRoot(heads.slice(1))).not.toBe(root);
    // One stream: the root is its leaf.
    expect(streamsRoot([heads[0]!])).toBe(streamLeafHash(heads[0]!));
  });
});

describe('checkpoint signatures', () => {
  const key = parseSigningKey(generateSigningKeyPem(), 'test');
  const unsigned = { checkpointNo: 3, position: 120, eventCount: 118, logDigest: 'a'.repeat(64), streamCount: 9, streamsRoot: 'b'.repeat(64), createdAt: '2026-06-01T00:00:00.000Z', reason: 'interval' as const, requestedBy: 'interval', keyId: key.keyId };
  const checkpoint: Checkpoint = { ...unsigned, publicKey: key.publicKeyPem, signature: signStatement(key, checkpointStatement(unsigned)) };

  it('holds for the checkpoint as signed, with the trusted key or only the public half of it', () => {
    expect(checkpointSignatureProblem(checkpoint, key)).toBeUndefined();
    expect(checkpointSignatureProblem(checkpoint, parsePublicKey(key.publicKeyPem, 'AUDIT_PUBLIC_KEY'))).toBeUndefined();
  });

  it('fails for any field changed after signing', () => {
    for (const change of [{ position: 121 }, { eventCount: 117 }, { logDigest: 'c'.repeat(64) }, { streamsRoot: 'c'.repeat(64) }, { createdAt: '2026-06-02T00:00:00.000Z' }, { checkpointNo: 4 }]) {
      expect(checkpointSignatureProblem({ ...checkpoint, ...change }, key), JSON.stringify(change)).toContain('签署后内容被改动过');
    }
  });

  it('fails for a checkpoint signed by another key, even one carrying that key beside it', () => {
    const forger = parseSigningKey(generateSigningKeyPem(), 'forger');
    const forged: Checkpoint = { ...unsigned, keyId: forger.keyId, publicKey: forger.publicKeyPem, signature: signStatement(forger, checkpointStatement({ ...unsigned, keyId: forger.keyId })) };
    expect(checkpointSignatureProblem(forged, undefined)).toBeUndefined();
    expect(checkpointSignatureProblem(forged, key)).toBe(`检查点 #3 由密钥 ${forger.keyId} 签署，不是所信任的密钥 ${key.keyId}`);
  });
});

describe('audit keys from configuration', () => {
  it('reads a PKCS#8 PEM and the same key as a base64 or hex seed, to the same key id', () => {
    const pem = generateSigningKeyPem();
    const fromPem = parseSigningKey(pem, 'pem');
    const seed = fromPem.privateKey!.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    expect(parseSigningKey(seed.toString('base64'), 'b64').keyId).toBe(fromPem.keyId);
    expect(parseSigningKey(seed.toString('hex'), 'hex').keyId).toBe(fromPem.keyId);
    expect(fromPem.keyId).toMatch(/^ed25519:[0-9a-f]{32}$/);
  });

  it('refuses what is not an Ed25519 private key, saying what is expected', () => {
    expect(() => parseSigningKey('c2hvcnQ=', 'AUDIT_SIGNING_KEY')).toThrow('AUDIT_SIGNING_KEY 不是 Ed25519 私钥（应为 PKCS#8 PEM，或 base64 编码的 32 字节种子）：种子应为 32 字节，这个是 5 字节');
    expect(() => signStatement(parsePublicKey(parseSigningKey(generateSigningKeyPem(), 'k').publicKeyPem, 'AUDIT_PUBLIC_KEY'), 'x')).toThrow('AUDIT_PUBLIC_KEY 给出的审计密钥只有公钥：能核验检查点，不能签署');
  });

  it('reads the checkpoint interval, defaulting to 15 minutes', () => {
    expect(readEnvironment({}).auditCheckpointIntervalMs).toBe(15 * 60_000);
    expect(parseInterval('X', '30s')).toBe(30_000);
    expect(parseInterval('X', '2h')).toBe(7_200_000);
    expect(parseInterval('X', 'off')).toBe(0);
    expect(() => parseInterval('AUDIT_CHECKPOINT_INTERVAL', '15 minutes')).toThrow('AUDIT_CHECKPOINT_INTERVAL must be a number with s, m or h (e.g. 15m), or off; got "15 minutes"');
  });
});

describe('instants an auditor can give', () => {
  it('reads an instant with its offset, and a date as the last moment of that day in Shanghai', () => {
    expect(parseInstant('2026-03-05T10:00:00+08:00')?.toISOString()).toBe('2026-03-05T02:00:00.000Z');
    expect(parseInstant('2026-03-05T02:00:00.250Z')?.toISOString()).toBe('2026-03-05T02:00:00.250Z');
    expect(parseInstant('2026-03-05')?.toISOString()).toBe('2026-03-05T15:59:59.999Z');
  });

  it('refuses an instant without an offset and anything that is not a date', () => {
    for (const text of ['2026-03-05T10:00:00', '2026-02-30', 'yesterday', '2026-03-05T25:00:00Z', '', '0000-01-01', '0001-06-15', '0001-01-01T00:00:00Z', '1989-12-31', '2200-01-01T00:00:00Z']) expect(parseInstant(text), text).toBeUndefined();
  });
});

describe('the structural diff of two states', () => {
  it('names each changed, added and removed field by its path, arrays element by element', () => {
    const before = { status: 'repaying', approved: 100, supplement: { round: 1 }, instalments: [{ n: 1, paid: 0 }, { n: 2, paid: 0 }], tags: ['a'] };
    const after = { status: 'completed', approved: 100, closedAt: 'x', instalments: [{ n: 1, paid: 5 }, { n: 2, paid: 0 }, { n: 3, paid: 0 }], tags: [] };
    expect(structuralDiff(before, after)).toEqual([
      { path: 'closedAt', kind: 'added', after: 'x' },
      { path: 'instalments[0].paid', kind: 'changed', before: 0, after: 5 },
      { path: 'instalments[2]', kind: 'added', after: { n: 3, paid: 0 } },
      { path: 'status', kind: 'changed', before: 'repaying', after: 'completed' },
      { path: 'supplement', kind: 'removed', before: { round: 1 } },
      { path: 'tags[0]', kind: 'removed', before: 'a' },
    ]);
    expect(structuralDiff(after, after)).toEqual([]);
  });
});

describe('the verifier\'s canonical JSON', () => {
  it('writes exactly what the event store hashes, for every kind of value an event holds', () => {
    const values: unknown[] = [
      null, true, false, 0, -0, 1.5, 1e21, -7, '', '引号"与\\反斜杠\n', '😀',
      [], [1, [2, [3]], { b: 1, a: 2 }],
      { b: 1, a: { d: [null, { z: 'z', y: undefined }], c: new Date('2026-03-05T02:00:00.123Z') }, gone: undefined },
      // Keys that sort differently by code unit, by code point and by length: astral, CJK, case, digits.
      { '😀': 1, '\uffff': 2, 'é': 3, E: 4, e: 5, '10': 6, '9': 7, 审计: 8, aa: 9, a: 10 },
      { actor: { accountId: 'demo-fund-reviewer', displayName: '王审查', role: 'official', department: 'yangpu-fund' }, amountFen: 36_000_000, allocations: [{ number: 1, amountFen: 1_000_000 }] },
    ];
    for (const value of values) expect(fastCanonicalJson(value), JSON.stringify(value)).toBe(canonicalJson(value));
    for (const bad of [Number.NaN, Infinity, { n: Number.NaN }, () => 1, 1n]) expect(() => fastCanonicalJson(bad)).toThrow(TypeError);
  });
});

describe("the case bundle's summary.csv", () => {
  const event = (actor: Actor, version: number): StoredEvent => ({
    globalPosition: 100 + version, streamId: 'c-1', streamVersion: version, eventId: `e-${version}`, type: 'ObjectionLodged', schemaVersion: 1,
    data: {}, metadata: { actor, correlationId: 'c', causationId: null } as unknown as StoredEvent['metadata'], recordedAt: new Date('2026-12-07T02:00:00.000Z'), prevHash: '0'.repeat(64), hash: 'a'.repeat(64), hashVersion: 2,
  });

  it('names roles and departments in Chinese, the public as 公众, and the time in Beijing time beside UTC', () => {
    const rows = summaryCsv([event(PUBLIC_OBJECTOR, 1), event({ accountId: 'acct-x', displayName: '王审查', role: 'official', department: 'xuhui' }, 2), event(SYSTEM_ACTOR, 3)]).split('\r\n');
    expect(rows[1]).toBe(`1,101,2026-12-07T02:00:00.000Z,2026-12-07 10:00:00,ObjectionLodged,ObjectionLodged,公众,公众,,public,,${'a'.repeat(64)}`);
    expect(rows[2]).toContain(`,王审查,工作人员,${DEPARTMENTS.xuhui},acct-x,`);
    expect(rows[3]).toContain(',系统,系统,,system,');
  });

  it('names who decided where the system recorded someone else’s decision (a director’s batch), and nobody twice', () => {
    const director = { accountId: 'demo-yangpu-director', displayName: '郑处长' };
    const batch: StoredEvent = { ...event(SYSTEM_ACTOR, 1), type: 'ApplicationApproved', data: { by: director, approvedAmountFen: 1 } };
    const own: StoredEvent = { ...event({ ...director, role: 'official', department: 'yangpu-fund' }, 2), type: 'FundingApproved', data: { by: director } };
    const [, first, second] = summaryCsv([batch, own]).split('\r\n');
    expect(first!.split(',').slice(6, 11)).toEqual(['系统', '系统', '', 'system', '郑处长']);
    expect(second!.split(',')[10]).toBe('');
  });

  it('names each event by its title as the timeline does: the early types’ own, a case type’s declared ones, the recorded type otherwise', () => {
    const typed = (type: string): StoredEvent => ({ ...event(SYSTEM_ACTOR, 1), type });
    const title = (type: string, caseType?: string) => summaryCsv([typed(type)], caseType).split('\r\n')[1]!.split(',')[5];
    expect(title('FundingApproved', 'chuying-loan')).toBe('评审决策：同意资助');
    expect(title('ObjectionLodged', 'application')).toBe(applicationCase.eventLabels!.ObjectionLodged);
    expect(title('CallCloseRecorded', 'application')).toBe('申报截止时间变更');
    expect(title('SomethingNew')).toBe('SomethingNew');
  });
});
