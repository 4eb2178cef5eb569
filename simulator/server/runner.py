"""Running the fake payer: uvicorn in a thread, and the background work a running server does.

:class:`Background` runs the realtime clock's ticks and the file mailbox's polling in one
daemon thread. :class:`ServerThread` serves an app with uvicorn in a thread on a free port
(what the pytest plugin uses); ``payersim serve`` runs uvicorn in the foreground instead.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import uvicorn

from simulator.server.mailbox import FileMailbox
from simulator.server.service import FakePayerService

__all__ = ["Background", "ServerThread"]

log = logging.getLogger(__name__)


class Background:
    """Ticks a realtime clock and polls a file mailbox every ``interval`` seconds until stopped."""

    def __init__(
        self, service: FakePayerService, mailbox: str | Path | None = None, interval: float = 0.2
    ) -> None:
        self.service = service
        self.mailbox = FileMailbox(service, mailbox) if mailbox else None
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def needed(self) -> bool:
        """True when there is background work: a realtime clock or a file mailbox."""
        return self.mailbox is not None or self.service.clock.mode == "realtime"

    def run_once(self) -> None:
        """One round: catch up with the clock, then poll the mailbox folder."""
        if self.service.clock.mode == "realtime":
            self.service.tick()
        if self.mailbox is not None:
            self.mailbox.poll()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("background work failed; retrying")
            self._stop.wait(self.interval)

    def start(self) -> None:
        """Start the background thread (when there is work for it)."""
        if self.needed and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="payersim-background", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the background thread and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


class ServerThread:
    """Serve ``app`` with uvicorn in a daemon thread on ``host`` (port 0 picks a free port)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0) -> None:
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.host = host
        self.port = port
        self._thread = threading.Thread(target=self.server.run, name="payersim-uvicorn", daemon=True)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> ServerThread:
        """Start serving and wait until the socket listens."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake payer server did not start")
            time.sleep(0.01)
        sockets = [s for server in self.server.servers for s in server.sockets]
        self.port = sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self.server.should_exit = True
        self._thread.join(timeout=10)
