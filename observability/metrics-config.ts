/**
 * Where the metrics endpoints listen, from the environment. Unset, a process serves no metrics:
 * several API and worker processes may share a host, so each is given its port explicitly.
 */
export interface MetricsAddress {
  host: string;
  port: number;
}

export function metricsAddress(name: 'API_METRICS_PORT' | 'WORKER_METRICS_PORT', env: NodeJS.ProcessEnv = process.env): MetricsAddress | undefined {
  const text = env[name];
  if (!text || text === 'off') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a TCP port number or off, got "${text}"`);
  return { host: env.METRICS_HOST || 'localhost', port };
}
