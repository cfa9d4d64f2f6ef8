import { connect, type Socket } from 'node:net';

/**
 * A minimal SMTP client over node:net (RFC 5321: EHLO, MAIL FROM, RCPT TO, DATA, QUIT), enough to
 * hand a plain-text notice to the office's relay. No TLS and no AUTH: the relay is expected on a
 * trusted network (or a local MTA that relays on). No npm dependency.
 */
export interface SmtpServer {
  host: string;
  port: number;
  /** The name this client gives in EHLO. */
  heloName: string;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** With angle brackets: `<id@youchuang>`. */
  messageId: string;
  date: Date;
}

/** Points between connecting and recording where a fault test can stop the process (see notice-sender.ts). */
export interface SmtpHooks {
  /** After the message and its terminating dot were handed to the kernel, before the server's reply is read. */
  afterData?: () => Promise<void> | void;
}

/** `smtp://host:port` (port 25 by default) → the server; undefined for an empty or `off` value. */
export function parseSmtpUrl(text: string | undefined, heloName = 'youchuang.local'): SmtpServer | undefined {
  if (!text || text === 'off') return undefined;
  const url = new URL(text);
  if (url.protocol !== 'smtp:') throw new Error(`SMTP_URL must be smtp://host:port, not ${text}`);
  return { host: url.hostname, port: url.port ? Number(url.port) : 25, heloName };
}

/** RFC 2047: a UTF-8 header value as encoded words, split so that no word exceeds 75 characters and no character is cut. */
export function encodeHeaderWord(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** The message as sent after DATA: headers, then the body in base64 (so no line starts with a dot). */
export function formatMessage(message: MailMessage): string {
  const body = Buffer.from(message.text, 'utf8').toString('base64').replace(/.{1,76}/g, '$&\r\n');
  return [
    `From: ${message.from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeaderWord(message.subject)}`,
    `Date: ${message.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${message.messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ].join('\r\n');
}

class SmtpReplies {
  private buffer = '';
  private waiting: { resolve: (reply: { code: number; text: string }) => void; reject: (error: Error) => void } | undefined;
  private queued: { code: number; text: string }[] = [];
  private failure: Error | undefined;

  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      // A reply ends with a line whose code is followed by a space (not a dash).
      for (;;) {
        const match = /^(?:\d{3}-[^\r\n]*\r\n)*(\d{3})(?: [^\r\n]*)?\r\n/.exec(this.buffer);
        if (!match) break;
        this.buffer = this.buffer.slice(match[0].length);
        this.deliver({ code: Number(match[1]), text: match[0].trim() });
      }
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      this.waiting?.reject(this.failure);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the SMTP server closed the connection')));
  }

  private deliver(reply: { code: number; text: string }) {
    if (this.waiting) {
      this.waiting.resolve(reply);
      this.waiting = undefined;
    } else this.queued.push(reply);
  }

  next(): Promise<{ code: number; text: string }> {
    const reply = this.queued.shift();
    if (reply) return Promise.resolve(reply);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}

function write(socket: Socket, text: string): Promise<void> {
  return new Promise((resolve, reject) => socket.write(text, 'utf8', (error) => (error ? reject(error) : resolve())));
}

/** Sends one message; resolves once the server accepted it (250 after DATA), throws with the server's words otherwise. */
export async function sendMail(server: SmtpServer, message: MailMessage, options: { timeoutMs?: number; hooks?: SmtpHooks } = {}): Promise<void> {
  const socket = connect({ host: server.host, port: server.port });
  socket.setTimeout(options.timeoutMs ?? 30_000, () => socket.destroy(new Error(`no answer from the SMTP server ${server.host}:${server.port}`)));
  const replies = new SmtpReplies(socket);
  const expect = async (codes: number[], after: string) => {
    const reply = await replies.next();
    if (!codes.includes(reply.code)) throw new Error(`SMTP ${after}: ${reply.text}`);
  };
  try {
    await expect([220], 'greeting');
    await write(socket, `EHLO ${server.heloName}\r\n`);
    await expect([250], 'EHLO');
    await write(socket, `MAIL FROM:<${message.from}>\r\n`);
    await expect([250], 'MAIL FROM');
    await write(socket, `RCPT TO:<${message.to}>\r\n`);
    await expect([250, 251], 'RCPT TO');
    await write(socket, 'DATA\r\n');
    await expect([354], 'DATA');
    await write(socket, `${formatMessage(message)}\r\n.\r\n`);
    await options.hooks?.afterData?.();
    await expect([250], 'end of DATA');
    // Accepted: QUIT is a courtesy, and its failure does not unsend the message.
    await write(socket, 'QUIT\r\n').catch(() => undefined);
  } finally {
    socket.end();
    socket.destroy();
  }
}
