import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { ServerExecutable } from '../dev/temporal-binaries.js';

/** What the figures were measured on: the results file carries it, since absolute numbers mean nothing without it. */
export async function describeMachine(db: Db, temporal: ServerExecutable) {
  const cpus = os.cpus();
  const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(db);
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: rows[0]?.server_version ?? 'unknown',
    temporal: temporal.type === 'existing-path' ? commandVersion(temporal.path) : 'the SDK’s downloaded dev server',
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function commandVersion(path: string): string {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return path;
  }
}
