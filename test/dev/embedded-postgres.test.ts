import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it, vi } from 'vitest';
import { createDb } from '../../db/client.js';
import { appendToStream, readStream, verifyChain } from '../../db/event-store.js';
import { migrateToLatest } from '../../db/migrations/index.js';
import { migrateWithRoles, privilegeWarnings } from '../../db/privileges.js';
import { ensureDatabase, ensureLocalRoles, OWNER_ROLE, startEmbeddedPostgres } from '../../dev/embedded-postgres.js';
import { someEvents } from '../db/support.js';

const MODULE = fileURLToPath(new URL('../../dev/embedded-postgres.ts', import.meta.url));

/** The server's process id, as PostgreSQL writes it in the data folder. */
const postmasterPid = async (dataDir: string) => Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

describe('loading embedded-postgres', () => {
  it("keeps the process's exit code (a failed test run must not exit 0)", () => {
    // The package's own exit hook calls process.exit(0) on 'beforeExit'; our loader removes it.
    const code = `const m = await import(${JSON.stringify(MODULE)}); await m.loadEmbeddedPostgres(); process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
  });
});

describe('stopping embedded PostgreSQL', () => {
  it('returns when a Ctrl-C (the terminal signals the whole process group) has already shut the server down', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'youchuang-stop-'));
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), database: 'stop_test', persistent: false });
    const postmaster = await postmasterPid(server.dataDir);
    process.kill(postmaster, 'SIGINT');
    await vi.waitFor(() => expect(() => process.kill(postmaster, 0)).toThrow(), { timeout: 20_000, interval: 50 });
    // Node has seen the exit by now; before, stop() waited for that exit again, for ever.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = await Promise.race([server.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000))]);
    expect(stopped).toBe('stopped');
    // Not persistent: its data is removed, as a stop that found it running does.
    expect(existsSync(server.dataDir)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('starting embedded PostgreSQL on a data folder a server already runs on', () => {
  it('says another PostgreSQL runs there, with its process id, and what to do (a second `npm start`)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'youchuang-twice-'));
    const dataDir = path.join(dir, 'data');
    const first = await startEmbeddedPostgres({ dataDir, database: 'twice_test', persistent: true });
    try {
      const postmaster = await postmasterPid(first.dataDir);
      const refused = await startEmbeddedPostgres({ dataDir, database: 'twice_test', persistent: true }).then(
        (second) => second.stop().then(() => 'started twice'),
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toContain(`another PostgreSQL (process ${postmaster}) is already running on this data folder`);
      expect((refused as Error).message).toContain('Stop it (Ctrl-C)');
      // The first server was left alone.
      const client = new pg.Client(first.url);
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
    } finally {
      await first.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the two roles of an embedded cluster', () => {
  it('hands a database made before them (tables owned by the superuser) to the owner role, idempotently, and the application role may append but not rewrite', async () => {
    const adminUrl = inject('postgresAdminUrl');
    const name = `legacy_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const superuserUrl = adminUrl.replace(/\/[^/?]*$/, `/${name}`);
    try {
      // As `npm start` did before: migrated and written to by the superuser.
      const legacy = createDb(superuserUrl, { max: 1 });
      await migrateToLatest(legacy);
      await appendToStream(legacy, { streamId: 'legacy', streamType: 'test-stream', expectedVersion: 0, events: someEvents(2) }, { now: () => new Date('2026-11-30T02:00:00Z') });
      await legacy.destroy();

      await ensureLocalRoles(adminUrl, name);
      const { ownerUrl, appUrl } = await ensureLocalRoles(adminUrl, name);
      const said: string[] = [];
      expect(await migrateWithRoles({ ownerUrl, appUrl, say: (line) => said.push(line) })).toEqual([]);
      expect(said).toEqual([]);

      const app = createDb(appUrl, { max: 1 });
      try {
        const { rows: owners } = await sql<{ owner: string }>`
          SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
          UNION SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()`.execute(app);
        expect(owners).toEqual([{ owner: OWNER_ROLE }]);
        await expect(sql`UPDATE events SET event_type = 'Rewritten'`.execute(app)).rejects.toMatchObject({ code: '42501' });
        await expect(sql`ALTER TABLE events DISABLE TRIGGER events_append_only`.execute(app)).rejects.toMatchObject({ code: '42501' });
        await appendToStream(app, { streamId: 'legacy', streamType: 'test-stream', expectedVersion: 2, events: someEvents(1) }, { now: () => new Date('2026-12-01T02:00:00Z') });
        expect(verifyChain(await readStream(app, 'legacy'))).toBeUndefined();
        expect(await privilegeWarnings(app)).toEqual([]);
      } finally {
        await app.destroy();
      }
    } finally {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
    }
  });

  it('without an owner URL, migrates as the one role it has, as a single-role deployment did, and says what that leaves open', async () => {
    const adminUrl = inject('postgresAdminUrl');
    const name = `single_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const url = adminUrl.replace(/\/[^/?]*$/, `/${name}`);
    try {
      const said: string[] = [];
      expect(await migrateWithRoles({ ownerUrl: undefined, appUrl: url, say: (line) => said.push(line) })).toContain('2026-11-23T00-00_event-store');
      expect(await migrateWithRoles({ ownerUrl: url, appUrl: url, say: (line) => said.push(line) })).toEqual([]);
      expect(said).toHaveLength(2);
      for (const line of said) expect(line).toMatch(/^warning: migrating as youchuang, the role the API and worker use: it owns the tables and can disable the append-only triggers\. Set DATABASE_OWNER_URL/);
    } finally {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
    }
  });
});
