import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Environment } from '../config/environment.js';

/**
 * The Ed25519 key of the audit checkpoints. The private half signs (the system, from configuration);
 * the public half verifies (anyone, from configuration or published out of band). A key stored in
 * the database would prove nothing: whoever can rewrite the rows could replace it.
 */
export interface AuditKey {
  /** Absent where only verification is possible (AUDIT_PUBLIC_KEY). */
  privateKey?: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key, as exported with checkpoints and bundles. */
  publicKeyPem: string;
  /** Fingerprint: "ed25519:" and the first 32 hex digits of SHA-256 over the raw 32-byte public key. */
  keyId: string;
  /** Where it came from, for messages ("AUDIT_SIGNING_KEY", a file path). */
  source: string;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A private key from PKCS#8 PEM or from a 32-byte seed written in base64 (or hex). */
export function parseSigningKey(text: string, source: string): AuditKey {
  const trimmed = text.trim();
  let privateKey: KeyObject;
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      privateKey = createPrivateKey(trimmed);
    } else {
      const seed = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
      if (seed.length !== 32) throw new Error(`种子应为 32 字节，这个是 ${seed.length} 字节`);
      privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    }
  } catch (error) {
    throw new Error(`${source} 不是 Ed25519 私钥（应为 PKCS#8 PEM，或 base64 编码的 32 字节种子）：${(error as Error).message}`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${source} 是 ${privateKey.asymmetricKeyType} 密钥；审计检查点用 Ed25519 签名`);
  return { privateKey, ...describePublicKey(createPublicKey(privateKey)), source };
}

/** A public key (SPKI PEM) that verification trusts. */
export function parsePublicKey(text: string, source: string): AuditKey {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(text.trim());
  } catch (error) {
    throw new Error(`${source} 不是 SPKI PEM 格式的公钥：${(error as Error).message}`, { cause: error });
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`${source} 是 ${publicKey.asymmetricKeyType} 密钥；审计检查点用 Ed25519 签名`);
  return { ...describePublicKey(publicKey), source };
}

function describePublicKey(publicKey: KeyObject): Pick<AuditKey, 'publicKey' | 'publicKeyPem' | 'keyId'> {
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { publicKey, publicKeyPem, keyId: keyIdOf(publicKeyPem) };
}

/** The fingerprint of a public key given as SPKI PEM (the raw key is the last 32 bytes of its DER). */
export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der.subarray(der.length - 32)).digest('hex').slice(0, 32)}`;
}

export function generateSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function signStatement(key: AuditKey, statement: string): string {
  if (!key.privateKey) throw new Error(`${key.source} 给出的审计密钥只有公钥：能核验检查点，不能签署`);
  return sign(null, Buffer.from(statement, 'utf8'), key.privateKey).toString('base64');
}

export function signatureIsValid(publicKeyPem: string, statement: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(statement, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The configured audit key: AUDIT_SIGNING_KEY, else AUDIT_SIGNING_KEY_FILE, else AUDIT_PUBLIC_KEY
 * (verification only), else the fallback file if one is given and exists (the embedded setup's).
 */
export async function loadAuditKey(environment: Environment, fallbackFile?: string): Promise<AuditKey | undefined> {
  if (environment.auditSigningKey) return parseSigningKey(environment.auditSigningKey, 'AUDIT_SIGNING_KEY');
  if (environment.auditSigningKeyFile) {
    const text = await readFile(environment.auditSigningKeyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`AUDIT_SIGNING_KEY_FILE 指定的 ${environment.auditSigningKeyFile} 无法读取：${error.code === 'ENOENT' ? '文件不存在' : error.message}`, { cause: error });
    });
    return parseSigningKey(text, environment.auditSigningKeyFile);
  }
  if (environment.auditPublicKey) return parsePublicKey(environment.auditPublicKey, 'AUDIT_PUBLIC_KEY');
  if (fallbackFile && existsSync(fallbackFile)) return parseSigningKey(await readFile(fallbackFile, 'utf8'), fallbackFile);
  return undefined;
}

/** The embedded setup's key: the configured one, or one generated into `file` on first start. */
export async function loadOrCreateDevAuditKey(environment: Environment, file: string): Promise<{ key: AuditKey; generated: boolean }> {
  const configured = await loadAuditKey(environment, file);
  if (configured) return { key: configured, generated: false };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
  return { key: parseSigningKey(await readFile(file, 'utf8'), file), generated: true };
}
