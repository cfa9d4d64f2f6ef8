import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CASE_SEARCH_ATTRIBUTES } from '../workflows/case-search-attributes.js';
import { freePort, isPortFree } from './free-port.js';
import { temporalCli } from './temporal-binaries.js';
import { startTopologyPostgres, type TopologyPostgres } from './topology-postgres.js';

/**
 * A production-style Temporal cluster on one machine: the Temporal server built from its Go module
 * (`go install go.temporal.io/server/cmd/server@v1.32.1`, and the SQL schema tool), PostgreSQL
 * persistence (`temporal` and `temporal_visibility`, set up and migrated by the schema tool), four
 * history shards, and the four services — frontend, history, matching, worker — as four processes
 * that find each other through membership, as they would on four hosts. Used by the topology test
 * (test/topology/) and the cluster benchmark; `npx tsx dev/temporal-cluster.ts` runs one by hand.
 *
 * The binaries are built once per version into .tools/temporal-server-<version>/ (about 6.5 minutes
 * and 2.6 GB of memory on two cores, cold) and reused after that; the schema files are copied next
 * to them, so a kept .tools/ needs neither the Go module cache nor the network.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.32.1';
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOOLS_DIR = path.join(ROOT, '.tools', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
const MODULE = 'go.temporal.io/server';
const PACKAGES = [`${MODULE}/cmd/server`, `${MODULE}/cmd/tools/sql`];

export const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof SERVICES)[number];

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12, with temporal/ and visibility/ (each with versioned/). */
  schemaDir: string;
}

const say0 = (line: string) => console.log(`[temporal-cluster] ${line}`);

function goExecutable(): string {
  if (process.env.GO) return process.env.GO;
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

/**
 * The server and schema tool of TEMPORAL_SERVER_VERSION: reused when .tools/ holds them (the
 * stamp names the version), otherwise built with `go install` into a scratch folder that is moved
 * into place only once everything is there, so an interrupted build is never taken for a finished one.
 */
export async function ensureTemporalServerBinaries(say: (line: string) => void = say0): Promise<TemporalServerBinaries> {
  const binaries = {
    server: path.join(TOOLS_DIR, 'server'),
    sqlTool: path.join(TOOLS_DIR, 'sql'),
    schemaDir: path.join(TOOLS_DIR, 'schema', 'postgresql', 'v12'),
  };
  const stamp = path.join(TOOLS_DIR, '.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === TEMPORAL_SERVER_VERSION && existsSync(binaries.server) && existsSync(binaries.sqlTool)) return binaries;

  const go = goExecutable();
  if (spawnSync(go, ['version']).status !== 0) {
    throw new Error(`the Temporal server ${TEMPORAL_SERVER_VERSION} is not in ${TOOLS_DIR} and there is no Go toolchain to build it (set GO to a go binary, or install Go 1.26)`);
  }
  const scratch = `${TOOLS_DIR}.partial`;
  await mkdir(scratch, { recursive: true });
  say(`building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL schema tool with go install into .tools/ (several minutes, once) …`);
  const started = Date.now();
  // Asynchronous: a test runner waiting on this keeps its own timers and reporters going meanwhile.
  const built = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(go, ['install', ...PACKAGES.map((p) => `${p}@${TEMPORAL_SERVER_VERSION}`)], {
      cwd: scratch,
      env: { ...process.env, GOBIN: scratch, GOFLAGS: '' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (built !== 0) throw new Error(`go install of the Temporal server ${TEMPORAL_SERVER_VERSION} failed (exit ${built})`);
  const modCache = spawnSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
  await rm(path.join(scratch, 'schema'), { recursive: true, force: true });
  await cp(path.join(modCache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql'), path.join(scratch, 'schema', 'postgresql'), { recursive: true });
  await writeFile(path.join(scratch, '.installed'), `${TEMPORAL_SERVER_VERSION}\n`);
  await rm(TOOLS_DIR, { recursive: true, force: true });
  await rename(scratch, TOOLS_DIR);
  say(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binaries;
}

export interface TemporalCluster {
  /** The frontend's gRPC address, what TEMPORAL_ADDRESS gets. */
  address: string;
  namespace: string;
  postgres: TopologyPostgres;
  binaries: TemporalServerBinaries;
  /** Stops one service (SIGTERM, as an orchestrator would; SIGKILL after 15 s) and starts it again on the same ports. */
  restart(service: TemporalService): Promise<void>;
  /** The Temporal CLI against this cluster; resolves with stdout, rejects on a non-zero exit. */
  cli(args: string[]): Promise<string>;
  /** Each service's log, for a failed test's message. */
  logTail(service: TemporalService, lines?: number): string;
  stop(): Promise<void>;
}

interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
  http?: number;
}

/** The rendered server config: one file per service, differing only in the Prometheus port each process binds. */
function serverConfig(options: { postgres: TopologyPostgres; ports: Record<TemporalService, ServicePorts>; service: TemporalService; dynamicConfig: string }) {
  const { postgres, ports } = options;
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.temporal.user,
      password: postgres.temporal.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (service: TemporalService) => ({
    grpcPort: ports[service].grpc,
    membershipPort: ports[service].membership,
    bindOnLocalHost: true,
    ...(ports[service].http ? { httpPort: ports[service].http } : {}),
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: { 'postgres-default': store('temporal', 20), 'postgres-visibility': store('temporal_visibility', 2) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports[options.service].metrics}` } },
    },
    services: Object.fromEntries(SERVICES.map((s) => [s, { rpc: rpc(s) }])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend.grpc}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: options.dynamicConfig, pollInterval: '10s' },
  };
}

/**
 * Dynamic config: IDs up to 255 characters (the project's workflow ids are short, but the
 * development default is the same), and a namespace cache that refreshes every 2 s so that a
 * namespace registered by this script is usable a moment later instead of 10 s later.
 */
const DYNAMIC_CONFIG = {
  'limit.maxIDLength': [{ value: 255, constraints: {} }],
  'system.namespaceCacheRefreshInterval': [{ value: '2s', constraints: {} }],
  'frontend.enableUpdateWorkflowExecution': [{ value: true, constraints: {} }],
};

const CLI_TYPES: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', KEYWORD_LIST: 'KeywordList' };

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await attempt();
      if (result !== undefined) return result;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The cluster_membership table stores a member's port as a smallint, so a membership port above
 * 32767 (where the OS hands out ephemeral ports) stops the service at start. A free one below,
 * picked at random so that clusters side by side rarely try the same.
 */
const taken = new Set<number>();
async function freeMembershipPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await isPortFree(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000 for Temporal membership');
}

/** Processes this module started and has not seen exit: killed on the way out if a caller never stopped them. */
const living = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of living) child.kill('SIGKILL');
});

/**
 * Starts PostgreSQL (unless given one), sets up Temporal's two databases with the schema tool,
 * starts the four services, registers the namespace and the case search attributes, and resolves
 * once a client can use the namespace.
 */
export async function startTemporalCluster(options: { dataDir: string; namespace?: string; say?: (line: string) => void }): Promise<TemporalCluster> {
  const say = options.say ?? say0;
  const namespace = options.namespace ?? 'default';
  const binaries = await ensureTemporalServerBinaries(say);
  const cliExecutable = temporalCli();
  if (cliExecutable.type !== 'existing-path') throw new Error('the Temporal CLI is not in .tools/python/bin: run `node dev/bootstrap.mjs` first');
  const cliPath = cliExecutable.path;

  const dataDir = path.resolve(options.dataDir);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(path.join(dataDir, 'logs'), { recursive: true });
  const postgres = await startTopologyPostgres({ dataDir: path.join(dataDir, 'postgres') });
  const children = new Map<TemporalService, ChildProcess>();
  const stopAll = async () => {
    await Promise.all([...children.keys()].map((service) => stopService(service)));
    await postgres.stop().catch(() => {});
  };

  async function stopService(service: TemporalService): Promise<void> {
    const child = children.get(service);
    if (!child) return;
    children.delete(service);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  try {
    say(`PostgreSQL on ${postgres.port}; setting up the temporal and temporal_visibility schemas …`);
    for (const [database, folder] of [
      ['temporal', 'temporal'],
      ['temporal_visibility', 'visibility'],
    ] as const) {
      const base = ['--plugin', 'postgres12', '--endpoint', postgres.host, '--port', String(postgres.port), '--user', postgres.temporal.user, '--password', postgres.temporal.password, '--database', database];
      for (const step of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', path.join(binaries.schemaDir, folder, 'versioned')]]) {
        const result = await run(binaries.sqlTool, [...base, ...step]);
        if (result.code !== 0) throw new Error(`temporal sql tool ${step[0]} on ${database} failed: ${result.stderr || result.stdout}`);
      }
    }

    const ports = {} as Record<TemporalService, ServicePorts>;
    for (const service of SERVICES) ports[service] = { grpc: await freePort(), membership: await freeMembershipPort(), metrics: await freePort() };
    ports.frontend.http = await freePort();
    const dynamicConfig = path.join(dataDir, 'dynamicconfig.yaml');
    // JSON is YAML: the server reads these files with its YAML loader.
    await writeFile(dynamicConfig, JSON.stringify(DYNAMIC_CONFIG, null, 2));
    for (const service of SERVICES) {
      await writeFile(path.join(dataDir, `${service}.yaml`), JSON.stringify(serverConfig({ postgres, ports, service, dynamicConfig }), null, 2));
    }

    const startService = async (service: TemporalService) => {
      const log = createWriteStream(path.join(dataDir, 'logs', `${service}.log`), { flags: 'a' });
      const child = spawn(binaries.server, ['--config-file', path.join(dataDir, `${service}.yaml`), '--allow-no-auth', 'start', '--service', service], {
        cwd: dataDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Both into one file: neither may end it while the other still writes.
      child.stdout!.pipe(log, { end: false });
      child.stderr!.pipe(log, { end: false });
      child.once('exit', () => log.end());
      living.add(child);
      child.once('exit', () => living.delete(child));
      children.set(service, child);
      // A started service serves its Prometheus endpoint; until then it is not up.
      await until(`the ${service} service to start`, 60_000, async () => {
        if (child.exitCode !== null) throw new Error(`the ${service} service exited with ${child.exitCode}: ${tail(service, 20)}`);
        const response = await fetch(`http://127.0.0.1:${ports[service].metrics}/metrics`).catch(() => undefined);
        return response?.ok ? true : undefined;
      });
    };
    const tail = (service: TemporalService, lines = 40) => {
      const file = path.join(dataDir, 'logs', `${service}.log`);
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
    };

    say('starting frontend, history, matching and worker as four processes …');
    // The first service to start writes the cluster's metadata; two writing it at once, one fails on the
    // duplicate key and exits. So one first, until the row is there, then the other three together.
    await startService('history');
    await until('the cluster metadata to be written', 60_000, async () => {
      const client = new pg.Client({ connectionString: `postgres://${postgres.temporal.user}:${postgres.temporal.password}@${postgres.host}:${postgres.port}/temporal` });
      await client.connect();
      try {
        return (await client.query('SELECT 1 FROM cluster_metadata_info')).rowCount ? true : undefined;
      } finally {
        await client.end();
      }
    });
    await Promise.all(SERVICES.filter((s) => s !== 'history').map(startService));
    const address = `127.0.0.1:${ports.frontend.grpc}`;
    const cli = async (args: string[]) => {
      const result = await run(cliPath, [...args, '--address', address]);
      if (result.code !== 0) throw new Error(`temporal ${args.join(' ')}: ${(result.stderr || result.stdout).trim()}`);
      return result.stdout;
    };
    await until('the frontend to serve', 60_000, async () => ((await cli(['operator', 'cluster', 'health'])).includes('SERVING') ? true : undefined));

    await until(`namespace ${namespace} to be registered`, 60_000, async () => {
      await cli(['operator', 'namespace', 'create', '--namespace', namespace, '--retention', '72h']).catch((error: Error) => {
        if (!/already (exists|registered)/i.test(error.message)) throw error;
      });
      return true;
    });
    // Listing is what every client call needs: it fails until the frontend's namespace cache has the new one.
    await until(`namespace ${namespace} to be usable`, 60_000, async () => (await cli(['workflow', 'list', '--namespace', namespace, '--limit', '1']), true));
    // Registered before any worker starts (README, "Finding cases in Temporal"): the history service reads them from its cache.
    const wanted = CASE_SEARCH_ATTRIBUTES.map((key) => ['--name', key.name, '--type', CLI_TYPES[key.type] ?? key.type]).flat();
    await until('the case search attributes to be registered', 60_000, async () => {
      await cli(['operator', 'search-attribute', 'create', '--namespace', namespace, ...wanted]);
      const listed = await cli(['operator', 'search-attribute', 'list', '--namespace', namespace]);
      return CASE_SEARCH_ATTRIBUTES.every((key) => listed.includes(key.name)) ? true : undefined;
    });
    // On SQL visibility the keys are aliases kept in the namespace, which each service reads from its
    // namespace cache (refreshed every 2 s here): usable once the frontend accepts a query over all of
    // them, and a refresh later in history, whose upserts would otherwise fail the workflow task.
    const probe = CASE_SEARCH_ATTRIBUTES.map((key) => `${key.name} IS NULL`).join(' AND ');
    await until('the case search attributes to be usable', 60_000, async () => (await cli(['workflow', 'count', '--namespace', namespace, '--query', probe]), true));
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    say(`Temporal ${TEMPORAL_SERVER_VERSION} cluster ready at ${address} (namespace ${namespace})`);

    return {
      address,
      namespace,
      postgres,
      binaries,
      cli,
      logTail: tail,
      async restart(service) {
        await stopService(service);
        await startService(service);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// `npx tsx dev/temporal-cluster.ts [--build-only]`: builds (or finds) the binaries; then, unless
// --build-only, runs a cluster under .data/temporal-cluster until Ctrl-C, printing what to point the system at.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--build-only')) {
    const binaries = await ensureTemporalServerBinaries();
    say0(`server: ${binaries.server}\n[temporal-cluster] schema tool: ${binaries.sqlTool}`);
  } else {
    const cluster = await startTemporalCluster({ dataDir: path.join(ROOT, '.data', 'temporal-cluster') });
    console.log(`
TEMPORAL_ADDRESS=${cluster.address}
DATABASE_OWNER_URL=${cluster.postgres.app.ownerUrl}
DATABASE_URL=${cluster.postgres.app.appUrl}
(superuser: ${cluster.postgres.app.url}; Ctrl-C stops the cluster and deletes its data)`);
    const stop = async () => {
      await cluster.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  }
}
