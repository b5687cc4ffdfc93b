"""A threaded werkzeug server for the sandbox on 127.0.0.1, in a daemon thread."""

from __future__ import annotations

import errno
import json
import logging
import socket
import threading
from pathlib import Path
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from automation.sandbox.app import create_app, seed_plugins
from automation.sandbox.state import SESSION_COOKIE, SandboxState
from tracking.csvstore import atomic_write_text

log = logging.getLogger(__name__)
HOST = "127.0.0.1"  # never any other address: the sandbox is for this machine only


def seed_demo(state: SandboxState, creatives: int) -> None:
    """Demo data: `creatives` creatives across every tab, two campaigns, the plug-ins' own."""
    state.seed_creatives(creatives)
    state.seed_campaign("Demo Native - Straight", "straight", ad_format="native")
    state.seed_campaign("Demo Pre-roll - Gay", "gay", ad_format="preroll")
    seed_plugins(state)


def _check_port_free(port: int) -> None:
    """OSError when the port is taken (werkzeug would print and exit the process instead)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise OSError(exc.errno or errno.EADDRINUSE, "port already in use") from None


class _QuietHandler(WSGIRequestHandler):
    """Serves requests without a log line for each one (tests make thousands)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class SandboxServer:
    """The sandbox app served on 127.0.0.1 (a random port by default) until stopped."""

    def __init__(
        self,
        db_path: Path | str | None = None,
        port: int = 0,
        captcha: bool = True,
        seed: int = 0,
        log_requests: bool = False,
        variant: str = "default",
    ) -> None:
        self.state = SandboxState(db_path, captcha=captcha, variant=variant)
        self.app = create_app(self.state)
        if seed and not self.state.creatives():
            seed_demo(self.state, seed)
        self._port = port
        self._handler = WSGIRequestHandler if log_requests else _QuietHandler
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox server is not running")
        return int(self._server.server_port)

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321 (no trailing slash)."""
        return f"http://{HOST}:{self.port}"

    @property
    def signin_url(self) -> str:
        return f"{self.url}/sign-in"

    @property
    def app_url(self) -> str:
        return self.url

    def write_session(self, workspace: Path) -> Path:
        """Save a signed-in session of the demo account where the tool looks for it (0600).

        For rehearsals and benchmarks on this machine: no captcha to solve.
        """
        cookie: dict[str, object] = {
            "name": SESSION_COOKIE, "value": self.state.create_session(), "domain": HOST,
            "path": "/", "expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax",
        }  # fmt: skip
        path = workspace / "sessions" / "trafficjunky.json"
        atomic_write_text(path, json.dumps({"cookies": [cookie], "origins": []}), mode=0o600)
        return path

    def start(self) -> SandboxServer:
        """Listen and serve in a daemon thread; returns self."""
        if self._server is not None:
            return self
        _check_port_free(self._port)
        self._server = make_server(
            HOST, self._port, self.app, threaded=True, request_handler=self._handler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="tj-sandbox", daemon=True
        )
        self._thread.start()
        log.info("sandbox serving on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port (the state file stays unless temporary)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def close(self) -> None:
        """Stop and close the state (a temporary state file is removed)."""
        self.stop()
        self.state.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
