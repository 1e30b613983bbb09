"""Prometheus with several uvicorn workers: /metrics shows the whole server, not one worker.

A real ``uvicorn http_api.asgi:app --workers 2`` over the test PostgreSQL and Redis, with
``PROMETHEUS_MULTIPROC_DIR`` set as compose sets it. Requests are spread over both workers (new
connections until each worker has answered some); every scrape, whichever worker answers it,
must then count all of them, and the pool gauge must add up the live workers only: a live
gauge left by a worker that died before the server started is dropped, and the workers' own
go when they exit.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.mmap_dict import MmapedDict, mmap_key
from prometheus_client.parser import text_string_to_metric_families

WORKERS = 2
POOL_MAX = 3
COUNTED = {"path": "/ready", "method": "GET", "status_code": "200"}
READY_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dead_pid() -> int:
    """The pid of a process that has exited (a worker that crashed before this start)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def leave_stale_pool_gauge(directory: Path, pid: int) -> None:
    """What a killed worker leaves behind: its live pool gauge, here at an absurd value."""
    stale = MmapedDict(str(directory / f"gauge_livesum_{pid}.db"))
    key = mmap_key(
        "itl_db_pool_connections",
        "itl_db_pool_connections",
        ["state"],
        ["max"],
        "PostgreSQL pool connections by state",
    )
    stale.write_value(key, 1000.0, 0.0)
    stale.close()


def ready_count_per_worker(directory: Path) -> dict[str, float]:
    """``/ready`` answers counted in each worker's own file (``counter_<pid>.db``)."""
    counts: dict[str, float] = {}
    for file in directory.glob("counter_*.db"):
        for key, value, *_ in MmapedDict.read_all_values_from_file(str(file)):
            _, name, labels, _ = json.loads(key)
            if name == "itl_api_requests_total" and COUNTED.items() <= labels.items():
                counts[file.stem] = counts.get(file.stem, 0.0) + value
    return counts


def scraped(text: str, name: str, **labels: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


@pytest.fixture
def server(
    tmp_path: Path, pg_runtime_url: str, redis_url: str
) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    leave_stale_pool_gauge(metrics_dir, dead_pid())
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITL_", "PROMETHEUS_"))}
    env |= {
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "ITL_DATA_DIR": str(tmp_path / "data"),
        "ITL_DATABASE_URL": pg_runtime_url,
        "ITL_MIGRATE_ON_START": "false",
        "ITL_DATABASE_POOL_MAX": str(POOL_MAX),
        "ITL_REDIS_URL": redis_url,
        "ITL_LOG_LEVEL": "WARNING",
    }
    log = (tmp_path / "uvicorn.log").open("w")
    uvicorn = Path(sys.executable).parent / "uvicorn"
    process = subprocess.Popen(
        [str(uvicorn), "http_api.asgi:app", "--port", str(port), "--workers", str(WORKERS)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}", metrics_dir, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not ready after {READY_TIMEOUT}s:\n{log.read_text()}")


async def test_every_scrape_shows_the_sum_of_all_workers(
    server: tuple[str, Path, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, metrics_dir, process = server
    await asyncio.to_thread(wait_ready, base, process, tmp_path / "uvicorn.log")

    # A fresh connection per request lets the kernel hand each to either worker.
    sent = 0
    no_keepalive = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=no_keepalive, timeout=30) as http:
        for _ in range(30):
            answers = await asyncio.gather(*(http.get("/ready") for _ in range(10)))
            assert {a.status_code for a in answers} == {200}, answers[0].text
            sent += len(answers)
            if len(ready_count_per_worker(metrics_dir)) == WORKERS:
                break
        per_worker = ready_count_per_worker(metrics_dir)
        assert len(per_worker) == WORKERS, f"one worker answered all {sent} requests"
        assert sum(per_worker.values()) == sent

        scrapes = [(await http.get("/metrics")).text for _ in range(6)]
    for text in scrapes:
        assert scraped(text, "itl_api_requests_total", **COUNTED) == sent
        # Both live workers' pools, and nothing of the dead worker's stale 1000.
        assert scraped(text, "itl_db_pool_connections", state="max") == WORKERS * POOL_MAX

    process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(process.wait, 30) == 0
    assert list(metrics_dir.glob("gauge_live*.db")) == []  # every worker marked itself dead
    assert len(list(metrics_dir.glob("counter_*.db"))) >= WORKERS  # totals outlive workers
