"""The circuit breaker: closed, open after N failures, one half-open probe, closed again."""

from __future__ import annotations

import pytest
from itl_adapters.redis.breaker import BreakerState, CircuitBreaker
from itl_core.errors import UpstreamUnavailable


class Dependency:
    def __init__(self) -> None:
        self.up, self.calls = True, 0

    async def __call__(self) -> str:
        self.calls += 1
        if not self.up:
            raise UpstreamUnavailable("down")
        return "ok"


@pytest.fixture
def clock() -> list[float]:
    return [0.0]


def breaker(clock: list[float]) -> CircuitBreaker:
    return CircuitBreaker(failures=3, cooldown=5.0, monotonic=lambda: clock[0])


async def test_the_circuit_opens_after_consecutive_failures_and_then_spares_the_dependency(
    clock: list[float],
) -> None:
    cb, dep = breaker(clock), Dependency()
    dep.up = False
    for _ in range(3):
        with pytest.raises(UpstreamUnavailable):
            await cb.call(dep)
    assert cb.state is BreakerState.OPEN and dep.calls == 3
    with pytest.raises(UpstreamUnavailable):
        await cb.call(dep)
    assert dep.calls == 3  # refused without a call


async def test_a_success_resets_the_count_of_failures(clock: list[float]) -> None:
    cb, dep = breaker(clock), Dependency()
    for up in (False, False, True, False, False):
        dep.up = up
        try:
            await cb.call(dep)
        except UpstreamUnavailable:
            pass
    assert cb.state is BreakerState.CLOSED


async def test_after_the_cooldown_one_probe_decides(clock: list[float]) -> None:
    cb, dep = breaker(clock), Dependency()
    dep.up = False
    for _ in range(3):
        with pytest.raises(UpstreamUnavailable):
            await cb.call(dep)
    clock[0] = 5.0
    assert cb.state is BreakerState.HALF_OPEN
    with pytest.raises(UpstreamUnavailable):
        await cb.call(dep)  # the probe fails: open for another cool-down
    assert cb.state is BreakerState.OPEN and dep.calls == 4
    clock[0] = 10.0
    dep.up = True
    assert await cb.call(dep) == "ok"
    assert cb.state is BreakerState.CLOSED


async def test_other_errors_pass_through_uncounted(clock: list[float]) -> None:
    cb = breaker(clock)

    async def bug() -> None:
        raise ValueError("a bug, not an outage")

    for _ in range(5):
        with pytest.raises(ValueError):
            await cb.call(bug)
    assert cb.state is BreakerState.CLOSED
