"""`python -m bench ratelimit`: what one rate-limit decision costs a request.

A request's decision counts three limits (tenant, user, IP of its route class) in one call.
Measured sequentially (latency, not throughput), p50/p99 per decision:

- in-process: ``InMemoryRateLimiter`` (the fallback while Redis is down);
- Redis: ``RedisRateLimiter`` as production composes it (behind the circuit breaker, failing
  open), against a local redis-server on a unix socket (``EmbeddedRedis``): one Lua script, one
  round trip; a networked Redis adds its round-trip time;
- ``AdmitRequest`` over the Redis limiter: the whole decision the middleware asks for (tenant
  quotas from the in-process memo, limits built, one round trip).

Keys rotate over 100 users so the sorted sets stay the size real traffic gives them.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from itl_adapters.embedded import EmbeddedRedis
from itl_adapters.memory.ratelimit import InMemoryRateLimiter
from itl_adapters.memory.repositories import MemoryTenantRepository
from itl_adapters.memory.store import MemoryStore
from itl_adapters.ratelimit import BreakerRateLimiter, FailOpenRateLimiter
from itl_adapters.redis import RedisRateLimiter, open_redis
from itl_adapters.redis.breaker import CircuitBreaker
from itl_adapters.system import SystemClock
from itl_core.quotas.limits import RateClass, RatePolicy, RequestSubject, request_limits
from itl_core.quotas.use_cases import AdmitRequest, TenantQuotas
from itl_core.ratelimit import RateLimiter
from itl_core.tenants.model import Tenant

from bench.__main__ import report, timed_async

N = 5_000
# Generous counts: every hit is admitted, as for the vast majority of real requests.
POLICY = RatePolicy(classes={"api": RateClass(tenant=10**8, actor=10**8, ip=10**8)})


def subjects() -> itertools.cycle[RequestSubject]:
    return itertools.cycle(
        RequestSubject(route_class="api", ip=f"10.0.0.{i}", tenant_id="bench", user_id=f"u{i}")
        for i in range(100)
    )


async def decisions(name: str, limiter: RateLimiter) -> None:
    who = subjects()
    await timed_async(lambda: limiter.hit(request_limits(POLICY, next(who))), 200)  # warm up
    report(name, await timed_async(lambda: limiter.hit(request_limits(POLICY, next(who))), N))


async def admissions(name: str, limiter: RateLimiter) -> None:
    tenants = MemoryTenantRepository(MemoryStore())
    now = datetime.now(UTC)
    await tenants.add(Tenant(id="bench", name="Bench", created_at=now, updated_at=now))
    admit = AdmitRequest(limiter, TenantQuotas(tenants, defaults=POLICY))
    who = subjects()
    await timed_async(lambda: admit.execute(next(who)), 200)
    report(name, await timed_async(lambda: admit.execute(next(who)), N))


async def run() -> None:
    clock = SystemClock()
    local = InMemoryRateLimiter(clock)
    await decisions("rate limit, in-process (3 limits)", local)
    root = Path(tempfile.mkdtemp(prefix="itl-bench-redis-"))
    server = EmbeddedRedis(root)
    client = open_redis(await asyncio.to_thread(server.start))
    try:
        redis = RedisRateLimiter(client, clock, namespace="itl:bench:rl:")
        await decisions("rate limit, Redis script (3 limits)", redis)
        composed = FailOpenRateLimiter(BreakerRateLimiter(redis, CircuitBreaker()), local)
        await decisions("rate limit, Redis + breaker + fail-open", composed)
        await admissions("AdmitRequest over Redis (whole decision)", composed)
    finally:
        await client.aclose()
        await asyncio.to_thread(server.stop)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    asyncio.run(run())
