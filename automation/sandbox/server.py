"""Threaded werkzeug servers for the sandbox's two sites (sign-in, app) on 127.0.0.1."""

from __future__ import annotations

import errno
import json
import logging
import socket
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from werkzeug.exceptions import NotFound
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from automation.sandbox.app import ASSETS_PREFIX, create_app, seed_plugins
from automation.sandbox.shell import ORIGINS_KEY, SIGNIN_PATH, SITE_KEY
from automation.sandbox.state import SESSION_COOKIE, SandboxState
from tracking.csvstore import atomic_write_text

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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
            raise OSError(exc.errno or errno.EADDRINUSE, f"port {port} already in use") from None


class _QuietHandler(WSGIRequestHandler):
    """Serves requests without a log line for each one (tests make thousands)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def _on_signin_site(path: str) -> bool:
    return path == SIGNIN_PATH or path.startswith((SIGNIN_PATH + "/", ASSETS_PREFIX))


class _Site:
    """One of the two sites in front of the app: the sign-in site serves only the sign-in pages
    (and assets); the app site serves everything else. A page asked of the wrong site is a 404,
    as it would be on the real, separate hosts.
    """

    def __init__(self, app: WSGIApplication, name: str, origins: dict[str, str]) -> None:
        self.app, self.name, self.origins = app, name, origins

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ[SITE_KEY] = self.name
        environ[ORIGINS_KEY] = self.origins
        path = environ.get("PATH_INFO", "") or "/"
        theirs = (
            _on_signin_site(path) if self.name == "signin" else not path.startswith(SIGNIN_PATH)
        )
        if not theirs and not path.startswith(ASSETS_PREFIX):
            return NotFound(f"{path} is not a page of the {self.name} site.")(
                environ, start_response
            )
        return self.app(environ, start_response)


class SandboxServer:
    """The sandbox served on 127.0.0.1 as two sites, like the real platform's two hosts.

    The app site (media library, campaigns, the control API) listens on `port` (a random one by
    default); the sign-in site on `signin_port`, by default the next port (`port` + 1), or a
    random one when `port` is 0.
    """

    def __init__(
        self,
        db_path: Path | str | None = None,
        port: int = 0,
        captcha: bool = True,
        seed: int = 0,
        log_requests: bool = False,
        variant: str = "default",
        signin_port: int | None = None,
    ) -> None:
        self.state = SandboxState(db_path, captcha=captcha, variant=variant)
        self.app = create_app(self.state)
        if seed and not self.state.creatives():
            seed_demo(self.state, seed)
        self._ports = {"app": port, "signin": (port + 1 if port else 0)}
        if signin_port is not None:
            self._ports["signin"] = signin_port
        self._origins: dict[str, str] = {}
        self._handler = WSGIRequestHandler if log_requests else _QuietHandler
        self._servers: dict[str, BaseWSGIServer] = {}
        self._threads: list[threading.Thread] = []

    def _port_of(self, site: str) -> int:
        if site not in self._servers:
            raise RuntimeError("the sandbox server is not running")
        return int(self._servers[site].server_port)

    @property
    def port(self) -> int:
        """The app site's port."""
        return self._port_of("app")

    @property
    def signin_port(self) -> int:
        return self._port_of("signin")

    @property
    def url(self) -> str:
        """The app site's base URL, e.g. http://127.0.0.1:54321 (no trailing slash); the control
        API, the ExoClick API and the media site live there too."""
        return f"http://{HOST}:{self.port}"

    @property
    def signin_url(self) -> str:
        """The public sign-in page, on the sign-in site."""
        return f"http://{HOST}:{self.signin_port}{SIGNIN_PATH}"

    @property
    def app_url(self) -> str:
        return self.url

    def write_session(self, workspace: Path) -> Path:
        """Save a signed-in session of the demo account where the tool looks for it (0600).

        For rehearsals and benchmarks on this machine: no captcha to solve. The cookie is the
        app site's, as a real sign-in leaves it.
        """
        cookie: dict[str, object] = {
            "name": SESSION_COOKIE, "value": self.state.create_session(), "domain": HOST,
            "path": "/", "expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax",
        }  # fmt: skip
        path = workspace / "sessions" / "trafficjunky.json"
        atomic_write_text(path, json.dumps({"cookies": [cookie], "origins": []}), mode=0o600)
        return path

    def start(self) -> SandboxServer:
        """Listen on both sites and serve each in a daemon thread; returns self."""
        if self._servers:
            return self
        for port in self._ports.values():
            _check_port_free(port)
        try:
            for site, port in self._ports.items():
                self._servers[site] = make_server(
                    HOST, port, _Site(self.app, site, self._origins),
                    threaded=True, request_handler=self._handler,
                )  # fmt: skip
        except BaseException:
            for made in self._servers.values():  # never served: nothing to shut down
                made.server_close()
            self._servers.clear()
            raise
        for site, server in self._servers.items():
            self._origins[site] = f"http://{HOST}:{server.server_port}"
            thread = threading.Thread(
                target=server.serve_forever, name=f"tj-sandbox-{site}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        log.info("sandbox serving the app on %s, sign-in on %s", self.url, self.signin_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the ports (the state file stays unless temporary)."""
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        self._servers.clear()
        self._threads.clear()

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
