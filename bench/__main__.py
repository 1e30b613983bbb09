"""`python -m bench`: run every benchmark and print one line per measurement.

Measured in-process on the real adapters: the cost of the security steps every request or
login pays (token verification, Argon2id), and of one rate-limit decision.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from itl_adapters.memory.ratelimit import InMemoryRateLimiter
from itl_adapters.security.jwt import JwtService
from itl_adapters.security.keys import load_or_create_dev_keys, load_signing_keys
from itl_adapters.security.passwords import Argon2PasswordHasher
from itl_adapters.system import SystemClock
from itl_core.ratelimit import Limit
from itl_core.security.ports import TokenKind


def report(name: str, samples_s: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples_s)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"{name:<40} p50 {statistics.median(ms):8.3f} ms   p99 {p99:8.3f} ms   n={len(ms)}")


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


async def timed_async(fn: Callable[[], Awaitable[object]], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - t)
    return out


async def main() -> None:
    keys = load_or_create_dev_keys(Path(tempfile.mkdtemp()))
    jwt = JwtService(
        load_signing_keys(keys.jwt_private_jwks),
        issuer="bench",
        audience="bench",
        ttls={TokenKind.ACCESS: 900},
        clock=SystemClock(),
    )
    token = jwt.issue(kind=TokenKind.ACCESS, subject="u", tenant_id="demo", role="member").token
    report(
        "jwt issue (RS256)",
        timed(
            lambda: jwt.issue(kind=TokenKind.ACCESS, subject="u", tenant_id="t", role="member"), 500
        ),
    )
    fresh = iter(
        [
            jwt.issue(kind=TokenKind.ACCESS, subject="u", tenant_id="demo", role="member").token
            for _ in range(2000)
        ]
    )
    report(
        "jwt verify, a new token (RS256 + claims)",
        timed(lambda: jwt.verify(next(fresh), kind=TokenKind.ACCESS), 2000),
    )
    report(
        "jwt verify, a token verified before",
        timed(lambda: jwt.verify(token, kind=TokenKind.ACCESS), 2000),
    )

    hasher = Argon2PasswordHasher()
    encoded = hasher.hash("correct horse battery")
    report(
        "argon2id verify (m=19MiB, t=2, p=1)",
        timed(lambda: hasher.verify("correct horse battery", encoded), 20),
    )

    limiter = InMemoryRateLimiter(SystemClock())
    limits = [
        Limit(key="bench:ip", limit=10**9, period_seconds=60),
        Limit(key="bench:user", limit=10**9, period_seconds=60),
    ]
    report(
        "rate limit decision (in-process, 2 limits)",
        await timed_async(lambda: limiter.hit(limits), 5000),
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["retrieval"]:  # `python -m bench retrieval`: the retrieval benchmark only
        from bench import retrieval

        retrieval.main()
    elif sys.argv[1:] == ["ratelimit"]:  # `python -m bench ratelimit`: limiter decision cost
        from bench import ratelimit

        ratelimit.main()
    elif sys.argv[1:2] == ["sessions"]:  # `python -m bench sessions [--rounds N]`: polling
        from bench import sessions

        sessions.main(sys.argv[2:])
    elif sys.argv[1:2] == ["chat"]:  # `python -m bench chat [--quick] [--profile FILE]`
        from bench import chat

        chat.main(sys.argv[2:])
    else:
        asyncio.run(main())
