import type { Db } from '../../db/client.js';
import { claimDueDeliveries, recordFailure, recordSent, scheduleReminders, type ClaimedDelivery } from '../../db/notices/outbox.js';
import { parseSmtpUrl, sendMail, type SmtpHooks, type SmtpServer } from './smtp-client.js';

/** A channel notices go out on: email over SMTP, SMS through a gateway. */
export interface NoticeTransport {
  send(delivery: ClaimedDelivery, hooks?: SmtpHooks): Promise<void>;
}

export function smtpTransport(server: SmtpServer, from: string, clock: () => Date): NoticeTransport {
  return {
    send: (d, hooks) =>
      sendMail(server, { from, to: d.address, subject: d.title, text: `${d.body}\n\n——\n优创 · 上海创作者扶持服务（系统通知，请勿回复）${d.referenceNo ? `\n案件编号：${d.referenceNo}` : ''}\n`, messageId: d.messageId, date: clock() }, { hooks }),
  };
}

/** An SMS gateway: the office's contract is not chosen yet, so the one implementation writes what it would send to the log. */
export interface SmsGateway {
  sendText(to: string, text: string, messageId: string): Promise<void>;
}

export function loggingSmsGateway(log: (line: string) => void): SmsGateway {
  return { sendText: async (to, text, messageId) => log(`[sms] to ${to.replace(/\d(?=\d{4})/g, '*')} ${messageId}: ${text}`) };
}

export function smsTransport(gateway: SmsGateway): NoticeTransport {
  return { send: (d) => gateway.sendText(d.address, `【优创】${d.title}`, d.messageId) };
}

/**
 * Where a fault test stops the sender (NOTICE_SENDER_CRASH_AT): before connecting, after the
 * message was sent but before the server's reply, or after the server accepted it but before the
 * delivery was recorded. The process kills itself there, as a crash would.
 */
export type CrashPoint = 'before-connect' | 'after-data' | 'after-accept';

export interface NoticeSenderOptions {
  db: Db;
  clock: () => Date;
  transports: Partial<Record<'email' | 'sms', NoticeTransport>>;
  /** How long a claimed delivery is left to its sender before another may send it again. */
  leaseMs?: number;
  batch?: number;
  log?: (line: string) => void;
  crashAt?: CrashPoint;
}

const crash = () => {
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
};

/** One pass: claims what is due and sends it, one by one; answers how many were sent. */
export async function sendDueNotices(options: NoticeSenderOptions): Promise<number> {
  const channels = (['email', 'sms'] as const).filter((c) => options.transports[c]);
  const claimed = await claimDueDeliveries(options.db, { now: options.clock(), leaseMs: options.leaseMs ?? 120_000, limit: options.batch ?? 20, channels });
  let sent = 0;
  for (const delivery of claimed) {
    const transport = options.transports[delivery.channel]!;
    try {
      if (options.crashAt === 'before-connect') await crash();
      await transport.send(delivery, options.crashAt === 'after-data' ? { afterData: crash } : undefined);
      if (options.crashAt === 'after-accept') await crash();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      options.log?.(`notice ${delivery.noticeId} by ${delivery.channel} failed (attempt ${delivery.attempts}): ${why}`);
      await recordFailure(options.db, delivery, options.clock(), why);
      continue;
    }
    await recordSent(options.db, delivery, options.clock());
    sent++;
  }
  return sent;
}

/**
 * The sender as a loop in the worker process (not a workflow: sending is I/O with its own retry
 * state in the outbox). Every `intervalMs` it adds the reminders that came due and sends what is due.
 */
export function startNoticeSender(options: NoticeSenderOptions & { intervalMs?: number }): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        await scheduleReminders(options.db, options.clock());
        while (!stopped && (await sendDueNotices(options)) > 0);
      } catch (error) {
        options.log?.(`notice sender: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, options.intervalMs ?? 10_000);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}

/**
 * The sender as `npm run worker` (and `npm start`) runs it: email only where SMTP_URL names a relay
 * (smtp://host:port; from NOTICE_EMAIL_FROM), SMS to the log until the office has a gateway.
 * Deliveries on a channel that is off wait in the outbox until it is on.
 */
export function startNoticeSenderFromEnvironment(db: Db, env: NodeJS.ProcessEnv, log: (line: string) => void): { stop(): Promise<void>; description: string } {
  const clock = () => new Date();
  const smtp = parseSmtpUrl(env.SMTP_URL);
  const sender = startNoticeSender({
    db,
    clock,
    transports: { ...(smtp ? { email: smtpTransport(smtp, env.NOTICE_EMAIL_FROM || 'noreply@youchuang.example', clock) } : {}), sms: smsTransport(loggingSmsGateway(log)) },
    log,
  });
  return { stop: () => sender.stop(), description: `notices: email ${smtp ? `via ${smtp.host}:${smtp.port}` : 'off (set SMTP_URL=smtp://host:port)'}, SMS to the log` };
}
