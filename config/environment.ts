/**
 * Everything configurable, read from the environment once. Unset, the system runs on embedded
 * defaults (see dev/start.ts); set, it points at real deployments.
 */
export interface Environment {
  /** An existing PostgreSQL, as the application role the API and the worker use; unset, `npm start` runs an embedded one with data under .data/. */
  databaseUrl: string | undefined;
  /** The same database as the role that owns the schema: migrations log in as it, then grant DATABASE_URL's role what it needs (db/privileges.ts). */
  databaseOwnerUrl: string | undefined;
  /** An existing Temporal cluster or Temporal Cloud (host:port); unset, a local dev server. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  /** Temporal Cloud API key; implies TLS. */
  temporalApiKey: string | undefined;
  temporalTls: boolean;
  host: string;
  port: number;
  /** Create the demo accounts (on by default for the embedded setup, off against real deployments). */
  seedDemoAccounts: boolean;
  /** Ed25519 key that signs audit checkpoints: PKCS#8 PEM or a base64 32-byte seed (AUDIT_SIGNING_KEY), or a file holding one. */
  auditSigningKey: string | undefined;
  auditSigningKeyFile: string | undefined;
  /** The public key (SPKI PEM) verification trusts where the signing key is not at hand, e.g. an auditor's machine. */
  auditPublicKey: string | undefined;
  /** Milliseconds between interval checkpoints; 0 turns them off. */
  auditCheckpointIntervalMs: number;
  /** AES-256 key (base64 or hex, 32 bytes) that encrypts 身份证号 and phone numbers at rest (PERSONAL_DATA_KEY), or a file holding one. */
  personalDataKey: string | undefined;
  personalDataKeyFile: string | undefined;
  /** Behind a reverse proxy: trust its X-Forwarded-For / -Proto (client address for sign-in limits; HTTPS for Secure cookies). */
  trustProxy: boolean | string[];
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a TCP port number, got "${env.PORT}"`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    databaseOwnerUrl: env.DATABASE_OWNER_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalApiKey: env.TEMPORAL_API_KEY || undefined,
    temporalTls: env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY),
    host: env.HOST || 'localhost',
    port,
    seedDemoAccounts: env.SEED_DEMO_ACCOUNTS ? env.SEED_DEMO_ACCOUNTS === 'true' : !env.DATABASE_URL,
    auditSigningKey: env.AUDIT_SIGNING_KEY || undefined,
    auditSigningKeyFile: env.AUDIT_SIGNING_KEY_FILE || undefined,
    auditPublicKey: env.AUDIT_PUBLIC_KEY || undefined,
    auditCheckpointIntervalMs: parseInterval('AUDIT_CHECKPOINT_INTERVAL', env.AUDIT_CHECKPOINT_INTERVAL ?? '15m'),
    personalDataKey: env.PERSONAL_DATA_KEY || undefined,
    personalDataKeyFile: env.PERSONAL_DATA_KEY_FILE || undefined,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}

/** TRUST_PROXY: unset or "false"; "true" (any proxy); or the proxies' addresses, comma-separated ("loopback", "10.0.0.0/8"). */
function parseTrustProxy(text: string | undefined): boolean | string[] {
  if (!text || text === 'false') return false;
  if (text === 'true') return true;
  return text.split(',').map((a) => a.trim()).filter(Boolean);
}

/** "30s", "15m", "2h"; "0" or "off" for never. */
export function parseInterval(name: string, text: string): number {
  if (text === '0' || text === 'off') return 0;
  const match = /^(\d{1,6})(s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`${name} must be a number with s, m or h (e.g. 15m), or off; got "${text}"`);
  const ms = Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  if (ms < 1000) throw new Error(`${name} must be at least 1s, or off; got "${text}"`);
  return ms;
}

/** Connection options shared by the worker's NativeConnection and the client's Connection. */
export function temporalConnectionOptions(environment: Environment, address: string) {
  return {
    address,
    ...(environment.temporalTls ? { tls: true as const } : {}),
    ...(environment.temporalApiKey ? { apiKey: environment.temporalApiKey } : {}),
  };
}
