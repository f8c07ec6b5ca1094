#!/usr/bin/env python3
"""A real SMTP server for the integration tests: stores every message it accepts as files.

Usage: python3 server/tests/smtp_sink.py --dir DIR [--port N]

Binds 127.0.0.1:N (0, the default, picks a free port), prints one line `LISTENING <port>`
and serves until killed. Each accepted message becomes DIR/<seq>.json (envelope) and then
DIR/<seq>.eml (the DATA bytes as received), each written to a temporary name and renamed,
so a reader that sees the .eml sees both. The counter continues after a restart on DIR.

Faults are read from DIR/rules.json at every RCPT and DATA (no file: accept everything):
  {"rcpt": {"<address, lower-case>": "451 4.3.0 Try again later"},
   "data": "421 4.3.0 closing" or null,
   "delay_ms": 2000}
  "xoauth2": {"user": "sender@example.org", "tokens": ["token-1"]}
With an xoauth2 rule, MAIL FROM needs a prior AUTH XOAUTH2 (RFC 7628's Google/Microsoft
form, `user=...^Aauth=Bearer <token>^A^A`) naming that user and one of those tokens; each
stored envelope records the token it logged in with.
A rcpt rule is the reply to RCPT TO for that address; a data rule is the reply to every
message once its content has been sent (it is then not stored); delay_ms is a pause before
that reply, during which a client that disconnects leaves nothing stored.

Exit codes: 75 when the port is taken (worth retrying), 3 when aiosmtpd is missing.
"""
import argparse
import asyncio
import base64
import errno
import json
import os
import sys
import time
from pathlib import Path

try:
    from aiosmtpd.smtp import SMTP, AuthResult
except ImportError:
    sys.stderr.write("smtp_sink.py: the Python package aiosmtpd is missing; run bin/setup\n")
    sys.exit(3)

PORT_TAKEN = 75  # EX_TEMPFAIL; Python itself exits 2 for a bad command line


class Sink:
    """The aiosmtpd handler: applies rules.json and stores accepted messages."""

    def __init__(self, directory: Path):
        self.dir = directory
        numbers = (
            int(path.name.split(".")[0])
            for path in directory.iterdir()
            if path.suffix in (".eml", ".json") and path.name.split(".")[0].isdigit()
        )
        self.seq = max(numbers, default=0)

    def rules(self) -> dict:
        try:
            return json.loads((self.dir / "rules.json").read_text())
        except FileNotFoundError:
            return {}

    async def auth_XOAUTH2(self, server, args):
        rule = self.rules().get("xoauth2") or {}
        try:
            text = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        except (ValueError, UnicodeDecodeError):
            return AuthResult(success=False)
        fields = dict(part.split("=", 1) for part in text.split("\x01") if "=" in part)
        bearer = fields.get("auth", "")
        token = bearer[len("Bearer "):] if bearer.startswith("Bearer ") else None
        if fields.get("user") == rule.get("user") and token in (rule.get("tokens") or []):
            return AuthResult(success=True, auth_data={"user": fields["user"], "token": token})
        return AuthResult(success=False)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.rules().get("xoauth2") and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = (self.rules().get("rcpt") or {}).get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        rules = self.rules()
        if rules.get("delay_ms"):
            await asyncio.sleep(rules["delay_ms"] / 1000)
        if rules.get("data"):
            return rules["data"]
        self.seq += 1
        name = f"{self.seq:06d}"
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "received_at": time.time(),
            "auth": session.auth_data if session.authenticated else None,
        }
        self.write(f"{name}.json", json.dumps(meta).encode())
        self.write(f"{name}.eml", envelope.original_content)
        return f"250 OK queued as {name}"

    def write(self, name: str, data: bytes) -> None:
        # A hidden temporary name, so readers never list a half-written file.
        temporary = self.dir / f".{name}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, self.dir / name)


async def serve(directory: Path, port: int) -> None:
    loop = asyncio.get_running_loop()
    handler = Sink(directory)
    # A fixed hostname: the default, socket.getfqdn(), may wait on DNS.
    factory = lambda: SMTP(  # noqa: E731
        handler,
        hostname="smtp-sink.test",
        decode_data=False,
        enable_SMTPUTF8=True,
        # AUTH is offered without TLS: this server only ever listens on 127.0.0.1.
        auth_require_tls=False,
        loop=loop,
    )
    try:
        server = await loop.create_server(factory, host="127.0.0.1", port=port)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        sys.stderr.write(f"smtp_sink.py: cannot listen on 127.0.0.1:{port}: {error}\n")
        sys.exit(PORT_TAKEN)
    print(f"LISTENING {server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, type=Path, help="where messages are stored")
    parser.add_argument("--port", default=0, type=int, help="0 picks a free port")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.dir, args.port))


if __name__ == "__main__":
    main()
