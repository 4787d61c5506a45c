"""A local SMTP sink for the demo (and the tests): accepts every message sent
to 127.0.0.1 and keeps it as a readable ``.eml`` file; nothing leaves this
machine. Addresses listed with ``--refuse`` are refused at RCPT time (550), as
a real server refuses an unknown mailbox.

    python3 setup/mailsink.py --port 2525 --dir .local/mail [--refuse a@b.c]

Built on aiosmtpd (PyPI)."""

import argparse
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class SinkHandler:
    """Keeps each message as ``<sequence>-<recipient>.eml`` in ``directory``."""

    def __init__(self, directory, refuse=()):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.refuse = {address.lower() for address in refuse}
        self._lock = threading.Lock()
        self.received = []  # [(recipients, path)]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            sequence = len(list(self.directory.glob("*.eml"))) + 1
            first = (envelope.rcpt_tos[0] if envelope.rcpt_tos else "nobody").replace("/", "_")
            path = self.directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{sequence:05d}-{first}.eml"
            path.write_bytes(envelope.original_content or envelope.content)
            self.received.append((list(envelope.rcpt_tos), path))
        return "250 Message accepted for delivery"


def start(port, directory, refuse=(), hostname="127.0.0.1"):
    """A running sink (``controller.stop()`` ends it); ``controller.handler``
    lists what it received."""
    controller = Controller(SinkHandler(directory, refuse), hostname=hostname, port=port)
    controller.start()
    return controller


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", default=".local/mail")
    parser.add_argument("--refuse", action="append", default=[])
    args = parser.parse_args()
    controller = start(args.port, args.dir, args.refuse)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"mail sink on 127.0.0.1:{args.port}, messages kept in {args.dir}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
