import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeIdOf } from '../../db/notices/notice-projection.js';
import { seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The email outbox against a real SMTP server (aiosmtpd, installed into .tools/smtp by
 * dev/bootstrap.mjs), with the sender in a child process that kills itself (SIGKILL) at each point of
 * sending: before connecting, after the message but before the server's reply, and after the server
 * accepted it but before the delivery was recorded. Afterwards every notice was received, and every
 * copy received twice carries the first copy's Message-ID.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SMTP_TOOLS = `${ROOT}.tools/smtp`;
const LEASE_MS = 400;

interface Received {
  messageId: string;
  to: string[];
  subject: string;
  body: string;
}

let database: TestDatabase;
let smtp: ChildProcess;
let smtpPort: number;
const received: Received[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startSmtpSink(port: number): Promise<ChildProcess> {
  const child = spawn('python3', [`${ROOT}test/reliability/smtp-sink.py`, String(port)], { env: { ...process.env, PYTHONPATH: SMTP_TOOLS }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ready ')) resolve(child);
        else if (line.startsWith('{')) received.push(JSON.parse(line) as Received);
      }
    });
    child.once('exit', (code) => reject(new Error(`the SMTP server exited (${code}): ${stderr}`)));
  });
}

/** Runs the sender once in a child process; answers how it ended. */
function runSender(crashAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/reliability/notice-sender-child.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: database.appUrl, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, NOTICE_SENDER_LEASE_MS: String(LEASE_MS), ...(crashAt ? { NOTICE_SENDER_CRASH_AT: crashAt } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const notices = ['补正', '受理', '决定', '公示'].map((what, i) => ({
  notice_id: noticeIdOf(`fault-test:${i}`),
  recipient_account_id: 'demo-applicant',
  recipient_department: null,
  kind: 'decision',
  title: `测试通知：${what}（YC-2026-00000${i}）`,
  body: `第${i + 1}条通知，金额12,345.67元。`,
  case_id: null,
  reference_no: `YC-2026-00000${i}`,
  event_id: null,
  // Oldest first, so each run of the sender takes the next one.
  created_at: new Date(Date.now() - (10 - i) * 60_000),
}));

beforeAll(async () => {
  if (!existsSync(`${SMTP_TOOLS}/aiosmtpd`)) throw new Error('aiosmtpd is not installed in .tools/smtp: run `node dev/bootstrap.mjs --smtp`');
  database = await createTestDatabase();
  await seedDemoAccounts(database.db, new Date());
  smtpPort = await freePort();
  smtp = await startSmtpSink(smtpPort);
  await database.db.insertInto('notices').values(notices).execute();
});

afterAll(async () => {
  smtp?.kill('SIGTERM');
  await database?.drop();
});

describe('the email outbox, its sender killed at each point of sending', () => {
  it('loses no notice, and a copy sent again carries the first copy’s Message-ID', async () => {
    const deliveries = await database.db.selectFrom('notice_deliveries').selectAll().execute();
    expect(deliveries.map((d) => [d.notice_id, d.address, d.message_id]).sort()).toEqual(notices.map((n) => [n.notice_id, 'creator@youchuang.example', `<${n.notice_id}@youchuang>`]).sort());

    for (const crashAt of ['before-connect', 'after-data', 'after-accept']) {
      const run = await runSender(crashAt);
      expect(run.signal, `${crashAt}: ${run.stderr}`).toBe('SIGKILL');
      // Let the lease of the delivery it held run out, as after a real crash.
      await sleep(LEASE_MS + 100);
    }
    // Each run took the oldest due delivery. Killed before connecting (the first notice): nothing reached
    // the server; killed after the message (the second) or after its acceptance (the third): the server has it.
    const idOf = (i: number) => `<${notices[i]!.notice_id}@youchuang>`;
    expect(received.map((r) => r.messageId).sort()).toEqual([idOf(1), idOf(2)].sort());

    const drained = await runSender();
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toMatch(/^drained [1-9]/m);
    await sleep(300);

    for (const notice of notices) {
      const copies = received.filter((r) => r.messageId === `<${notice.notice_id}@youchuang>`);
      expect(copies.length, notice.title).toBeGreaterThanOrEqual(1);
      expect(copies.every((c) => c.subject === notice.title && c.body.startsWith(notice.body) && c.to.join() === 'creator@youchuang.example')).toBe(true);
    }
    // Sent but not recorded: sent again, recognisably the same message; the others once.
    expect(notices.map((_, i) => received.filter((r) => r.messageId === idOf(i)).length)).toEqual([1, 2, 2, 1]);
    // Every Message-ID the server saw is one of the notices'; nothing else was sent.
    expect(new Set(received.map((r) => r.messageId))).toEqual(new Set(notices.map((n) => `<${n.notice_id}@youchuang>`)));

    const after = await database.db.selectFrom('notice_deliveries').select(['notice_id', 'sent_at', 'attempts']).execute();
    expect(after.every((d) => d.sent_at !== null)).toBe(true);
    expect(after.find((d) => d.notice_id === notices[0]!.notice_id)!.attempts).toBe(2);
  });
});
