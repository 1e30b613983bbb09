"""Redis adapters: the best-effort ``Cache`` and the one-round-trip ``RateLimiter``."""

from itl_adapters.redis.cache import RedisCache
from itl_adapters.redis.client import open_redis, ping
from itl_adapters.redis.ratelimit import RedisRateLimiter

__all__ = ["RedisCache", "RedisRateLimiter", "open_redis", "ping"]
