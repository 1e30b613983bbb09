"""``RateLimiter`` on Redis: every limit checked and counted by one Lua script, one round trip.

Same semantics as ``memory.InMemoryRateLimiter`` (see ``itl_adapters._ratelimit``). The script
is atomic, so concurrent hits from any number of processes never over-admit. ``now`` comes from
the injected clock rather than Redis ``TIME``, so the two implementations share one contract
suite in which tests move time instead of sleeping; app servers are NTP-synced, and a skew of a
few milliseconds only shifts a window's edge by as much.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from itl_core.clock import Clock
from itl_core.errors import UpstreamUnavailable
from itl_core.ratelimit import Decision, Limit
from redis.asyncio import Redis
from redis.exceptions import RedisError

from itl_adapters._ratelimit import LimitState, check_limits, decide, period_ms

__all__ = ["RedisRateLimiter"]

# KEYS[i]: the sorted set of admitted event times (ms) of limit i's (key, period).
# ARGV: now_ms, member (unique per hit), then limit_i, period_ms_i for each i.
# Returns: allowed (0/1), then remaining_i, reset_after_ms_i, retry_after_ms_i for each i.
_SCRIPT = """
local now = tonumber(ARGV[1])
local member = ARGV[2]
local counts = {}
local allowed = true
for i = 1, #KEYS do
  local limit = tonumber(ARGV[1 + 2 * i])
  local period = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - period)
  counts[i] = redis.call('ZCARD', KEYS[i])
  if counts[i] >= limit then allowed = false end
end
local out = {allowed and 1 or 0}
for i = 1, #KEYS do
  local limit = tonumber(ARGV[1 + 2 * i])
  local period = tonumber(ARGV[2 + 2 * i])
  local count = counts[i]
  local remaining, reset, retry = 0, 0, 0
  if allowed then
    -- the same member twice in one set (a duplicated limit) is one event, as it should be
    redis.call('ZADD', KEYS[i], now, member)
    redis.call('PEXPIRE', KEYS[i], period)
    remaining, reset = limit - count - 1, period
  else
    remaining = math.max(limit - count, 0)
    if count >= limit then
      local freeing = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
      retry = tonumber(freeing[2]) + period - now
    end
    if count > 0 then
      local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
      reset = tonumber(newest[2]) + period - now
    end
  end
  table.insert(out, remaining)
  table.insert(out, reset)
  table.insert(out, retry)
end
return out
"""


class RedisRateLimiter:
    """Redis keys are ``namespace + limit.key + ":" + period_ms`` and expire with their window.

    A Redis failure raises ``UpstreamUnavailable``: whether to fail open (chat, onto a local
    ``InMemoryRateLimiter``) or closed (login) is the caller's policy, not the adapter's.
    """

    def __init__(self, client: Redis, clock: Clock, *, namespace: str = "itl:rl:") -> None:
        self._script = client.register_script(_SCRIPT)
        self._clock = clock
        self._ns = namespace

    async def hit(self, limits: Sequence[Limit]) -> Decision:
        check_limits(limits)
        periods = [period_ms(limit) for limit in limits]
        keys = [
            f"{self._ns}{limit.key}:{period}" for limit, period in zip(limits, periods, strict=True)
        ]
        args: list[int | str] = [round(self._clock.now().timestamp() * 1000), secrets.token_hex(8)]
        for limit, period in zip(limits, periods, strict=True):
            args += [limit.limit, period]
        try:
            reply = await self._script(keys=keys, args=args)
        except (RedisError, OSError) as error:
            raise UpstreamUnavailable("The rate limiter is unavailable.") from error
        values = [int(v) for v in reply]
        states = [
            LimitState(limit.limit, *values[1 + 3 * i : 4 + 3 * i])
            for i, limit in enumerate(limits)
        ]
        return decide(bool(values[0]), states)
