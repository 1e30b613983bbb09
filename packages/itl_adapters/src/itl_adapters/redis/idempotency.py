"""``IdempotencyStore`` on Redis: one hash per (scope, key), claimed and settled by Lua scripts.

Each script runs atomically on the server, so two requests racing for one key get exactly one
``NEW``. The hash holds ``state`` (pending | done), the request ``fp``, the holder's ``lease``
and, once done, ``status``, ``headers`` (JSON) and ``body``. A pending entry expires after the
lease time, a done one after the retention time. The client's key is hashed into the Redis key,
so any characters it holds are harmless; the scope carries tenant and user.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from itl_core.errors import UpstreamUnavailable
from itl_core.idempotency import Begin, BeginOutcome, StoredResponse
from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["RedisIdempotencyStore"]

_BEGIN = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'fp', ARGV[1], 'lease', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'new'}
end
if redis.call('HGET', KEYS[1], 'fp') ~= ARGV[1] then return {'mismatch'} end
if state == 'pending' then return {'in_flight'} end
return {'replay', redis.call('HGET', KEYS[1], 'status'), redis.call('HGET', KEYS[1], 'headers'),
        redis.call('HGET', KEYS[1], 'body')}
"""

_COMPLETE = """
if redis.call('HGET', KEYS[1], 'lease') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'status', ARGV[2], 'headers', ARGV[3], 'body', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""

_RELEASE = """
if redis.call('HGET', KEYS[1], 'lease') == ARGV[1]
   and redis.call('HGET', KEYS[1], 'state') == 'pending' then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisIdempotencyStore:
    """Leases last ``lease_seconds``; completed responses are kept ``ttl_seconds``."""

    def __init__(
        self,
        client: Redis,
        *,
        namespace: str = "itl:",
        lease_seconds: float = 120.0,
        ttl_seconds: float = 24 * 3600.0,
    ) -> None:
        self._ns = namespace
        self._lease_ms = int(lease_seconds * 1000)
        self._ttl_ms = int(ttl_seconds * 1000)
        self._begin = client.register_script(_BEGIN)
        self._complete = client.register_script(_COMPLETE)
        self._release = client.register_script(_RELEASE)

    def _key(self, scope: str, key: str) -> str:
        return f"{self._ns}idem:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"

    async def begin(self, scope: str, key: str, fingerprint: str) -> Begin:
        lease = secrets.token_hex(16)
        try:
            reply = await self._begin(
                keys=[self._key(scope, key)], args=[fingerprint, lease, self._lease_ms]
            )
        except RedisError as e:
            raise UpstreamUnavailable("idempotency store unavailable") from e
        outcome = BeginOutcome(reply[0].decode())
        if outcome is BeginOutcome.NEW:
            return Begin(outcome=outcome, lease=lease)
        if outcome is BeginOutcome.REPLAY:
            status, headers, body = reply[1:]
            stored = StoredResponse(
                status=int(status),
                headers=tuple((str(n), str(v)) for n, v in json.loads(headers)),
                body=bytes(body),
            )
            return Begin(outcome=outcome, response=stored)
        return Begin(outcome=outcome)

    async def complete(self, scope: str, key: str, lease: str, response: StoredResponse) -> None:
        headers = json.dumps([list(h) for h in response.headers])
        args = [lease, response.status, headers, response.body, self._ttl_ms]
        try:
            await self._complete(keys=[self._key(scope, key)], args=args)
        except RedisError as e:
            raise UpstreamUnavailable("idempotency store unavailable") from e

    async def release(self, scope: str, key: str, lease: str) -> None:
        try:
            await self._release(keys=[self._key(scope, key)], args=[lease])
        except RedisError as e:
            raise UpstreamUnavailable("idempotency store unavailable") from e
