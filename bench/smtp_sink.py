"""The benchmark's SMTP sink: accepts every message and only counts it, so the figure
measures Soundings' outbox rather than a sink writing files. Prints `LISTENING <port>`,
then serves until killed. Usage: python3 bench/smtp_sink.py PORT"""
import asyncio
import sys

from aiosmtpd.smtp import SMTP


class Count:
    def __init__(self):
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"


async def main(port):
    loop = asyncio.get_running_loop()
    handler = Count()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="bench-sink", decode_data=False), "127.0.0.1", port
    )
    print(f"LISTENING {port}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main(int(sys.argv[1])))
