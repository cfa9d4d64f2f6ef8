"""A real SMTP server (aiosmtpd) for the email outbox's fault test: prints one JSON line per message it accepts.

Usage: python3 smtp-sink.py PORT   (with .tools/smtp on PYTHONPATH). Prints `ready PORT` once listening.
"""
import asyncio
import json
import sys
from email import message_from_bytes
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        print(json.dumps({
            "messageId": message.get("Message-ID"),
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(make_header(decode_header(message.get("Subject", "")))),
            "body": message.get_payload(decode=True).decode("utf-8"),
        }, ensure_ascii=False), flush=True)
        return "250 Message accepted for delivery"


async def main(port):
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"ready {port}", flush=True)
    await asyncio.Event().wait()


asyncio.run(main(int(sys.argv[1])))
