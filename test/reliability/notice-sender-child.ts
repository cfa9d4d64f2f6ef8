/**
 * The notice sender in a process of its own, for the email outbox's fault test, which SIGKILLs it.
 * It is the worker's sender (worker/notices/notice-sender.ts) against DATABASE_URL and SMTP_URL, plus
 * the sender's own test hook NOTICE_SENDER_CRASH_AT (before-connect | after-data | after-accept):
 * at that point of the first send the process kills itself. NOTICE_SENDER_LEASE_MS sets the lease.
 * Sends until nothing is due, prints `drained N`, and exits.
 */
import { createDb } from '../../db/client.js';
import { sendDueNotices, smtpTransport, type CrashPoint } from '../../worker/notices/notice-sender.js';
import { parseSmtpUrl } from '../../worker/notices/smtp-client.js';

const { DATABASE_URL, SMTP_URL, NOTICE_SENDER_CRASH_AT, NOTICE_SENDER_LEASE_MS } = process.env;
const smtp = parseSmtpUrl(SMTP_URL);
if (!DATABASE_URL || !smtp) throw new Error('notice-sender-child needs DATABASE_URL and SMTP_URL');
const db = createDb(DATABASE_URL, { max: 2 });
const clock = () => new Date();
let total = 0;
for (;;) {
  const sent = await sendDueNotices({
    db,
    clock,
    transports: { email: smtpTransport(smtp, 'noreply@youchuang.example', clock) },
    leaseMs: Number(NOTICE_SENDER_LEASE_MS ?? 120_000),
    batch: 1,
    crashAt: NOTICE_SENDER_CRASH_AT as CrashPoint | undefined,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (sent === 0) break;
  total += sent;
}
process.stdout.write(`drained ${total}\n`);
await db.destroy();
