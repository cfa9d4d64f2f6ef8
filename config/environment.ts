/**
 * Everything configurable, read from the environment once. Unset, the system runs on embedded
 * defaults (see dev/start.ts); set, it points at real deployments.
 */
export interface Environment {
  /** An existing PostgreSQL; unset, `npm start` runs an embedded one with data under .data/. */
  databaseUrl: string | undefined;
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
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a TCP port number, got "${env.PORT}"`);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalApiKey: env.TEMPORAL_API_KEY || undefined,
    temporalTls: env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY),
    host: env.HOST || 'localhost',
    port,
    seedDemoAccounts: env.SEED_DEMO_ACCOUNTS ? env.SEED_DEMO_ACCOUNTS === 'true' : !env.DATABASE_URL,
  };
}

/** Connection options shared by the worker's NativeConnection and the client's Connection. */
export function temporalConnectionOptions(environment: Environment, address: string) {
  return {
    address,
    ...(environment.temporalTls ? { tls: true as const } : {}),
    ...(environment.temporalApiKey ? { apiKey: environment.temporalApiKey } : {}),
  };
}
