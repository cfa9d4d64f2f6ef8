import { describe, expect, it } from 'vitest';
import { encodeHeaderWord, formatMessage, parseSmtpUrl } from '../../worker/notices/smtp-client.js';

const decodeWords = (header: string) =>
  header
    .split('\r\n ')
    .map((word) => /^=\?UTF-8\?B\?(.*)\?=$/.exec(word)![1]!)
    .map((b64) => Buffer.from(b64, 'base64'))
    .reduce((all, part) => Buffer.concat([all, part]), Buffer.alloc(0))
    .toString('utf8');

describe('the SMTP client', () => {
  it('encodes a Chinese subject as RFC 2047 words of at most 75 characters, never cutting a character', () => {
    const subject = '请补正材料：雏鹰计划贷款申请（CY-2026-000123）——营业执照副本、项目预算表、近三年财务报表';
    const encoded = encodeHeaderWord(subject);
    expect(encoded.split('\r\n ').every((w) => w.length <= 75)).toBe(true);
    expect(decodeWords(encoded)).toBe(subject);
    expect(encodeHeaderWord('plain ASCII')).toBe('plain ASCII');
  });

  it('writes the Message-ID it is given and a base64 body whose lines never start with a dot', () => {
    const text = `.${'还款提醒。'.repeat(40)}\n.`;
    const message = formatMessage({ from: 'noreply@youchuang.example', to: 'creator@youchuang.example', subject: '测试', text, messageId: '<abc@youchuang>', date: new Date('2026-12-03T02:00:00Z') });
    const [headers, body] = message.split('\r\n\r\n');
    expect(headers).toContain('Message-ID: <abc@youchuang>');
    expect(headers).toContain('Date: Thu, 03 Dec 2026 02:00:00 +0000');
    const lines = body!.split('\r\n').filter(Boolean);
    expect(lines.every((l) => l.length <= 76 && !l.startsWith('.'))).toBe(true);
    expect(Buffer.from(lines.join(''), 'base64').toString('utf8')).toBe(text);
  });

  it('reads SMTP_URL, and takes an empty or "off" one as email off', () => {
    expect(parseSmtpUrl('smtp://mail.internal:2525')).toMatchObject({ host: 'mail.internal', port: 2525 });
    expect(parseSmtpUrl('smtp://mail.internal')).toMatchObject({ port: 25 });
    expect(parseSmtpUrl(undefined)).toBeUndefined();
    expect(parseSmtpUrl('off')).toBeUndefined();
    expect(() => parseSmtpUrl('http://x')).toThrow('SMTP_URL must be smtp://host:port');
  });
});
