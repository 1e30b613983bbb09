"""`make run`'s code path, start to finish: `itl serve` on the embedded default.

A real process with no database or Redis configured: it must start PostgreSQL and Redis from
its data directory, migrate, seed, print working demo credentials, answer /ready, serve the
demo agents, shut down cleanly on SIGINT, and start again warm on the same data directory
without printing passwords a second time.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

READY_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    def __init__(self, data_dir: Path, **extra_env: str) -> None:
        self.api_port, self.widget_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ITL_")}
        env |= {
            "ITL_DATA_DIR": str(data_dir),
            "ITL_API_PORT": str(self.api_port),
            "ITL_WIDGET_PORT": str(self.widget_port),
            # Every port free, so a test never collides with a `make run` on the defaults.
            "ITL_DEMO_SITE_PORT": str(free_port()),
            **extra_env,
        }
        itl = Path(sys.executable).parent / "itl"
        self.log = data_dir.parent / f"serve-{self.api_port}.log"
        self._out = self.log.open("w")
        self.process = subprocess.Popen(
            [str(itl), "serve"], env=env, stdout=self._out, stderr=subprocess.STDOUT
        )
        self.api = f"http://127.0.0.1:{self.api_port}"

    def wait_ready(self) -> float:
        start = time.monotonic()
        while time.monotonic() - start < READY_TIMEOUT:
            assert self.process.poll() is None, self.output()
            try:
                if httpx.get(f"{self.api}/ready", timeout=1).status_code == 200:
                    return time.monotonic() - start
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"not ready after {READY_TIMEOUT}s:\n{self.output()}")

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        self._out.close()
        return code


@pytest.fixture
def data_dir(server_root: Path) -> Iterator[Path]:
    yield server_root / ".itl"


def test_itl_serve_starts_on_the_embedded_default_and_serves_the_demo(data_dir: Path) -> None:
    serve = Serve(data_dir)
    try:
        cold = serve.wait_ready()
        banner = serve.output()
        password = re.search(r"admin@demo\.local\s+password: (\S+)", banner)
        assert password, banner
        assert re.search(r"admin@itl\.local\s+password: \S+", banner), banner
        login = httpx.post(
            f"{serve.api}/api/auth/login",
            json={"email": "admin@demo.local", "password": password.group(1)},
        )
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        agents = httpx.get(
            f"{serve.api}/api/admin/agents", headers={"Authorization": f"Bearer {token}"}
        )
        assert agents.status_code == 200
        names = {a["name"] for a in agents.json()["items"]}
        assert {"Concierge", "Shipment Tracking", "Customs & Documents"} <= names
        assert httpx.get(f"http://127.0.0.1:{serve.widget_port}/health").json() == {"status": "ok"}
        # `make test` builds the web app first, so the banner names the console and it answers.
        assert f"Web console    {serve.api}/" in banner, banner
        console = httpx.get(f"{serve.api}/")
        assert console.status_code == 200
        assert console.headers["content-type"].startswith("text/html")
    finally:
        assert serve.stop() == 0, serve.output()

    warm = Serve(data_dir)
    try:
        warm_seconds = warm.wait_ready()
        assert "password:" not in warm.output(), "passwords are shown once, on first start only"
        relogin = httpx.post(
            f"{warm.api}/api/auth/login",
            json={"email": "admin@demo.local", "password": password.group(1)},
        )
        assert relogin.status_code == 200, "the seeded demo admin survives a restart"
    finally:
        assert warm.stop() == 0, warm.output()
    print(f"make run to ready: cold {cold:.2f}s, warm {warm_seconds:.2f}s")
