"""Test-harness wiring of the config cache (``itl_adapters.cache``).

The API and widget suites share one app per session, served on another event loop than the
tests' (Litestar's test client runs it in a portal thread), while fixtures seed data through
the same container from the test loop. A Redis connection belongs to the loop that opened it,
so a Redis-backed config cache reached from both loops would poison the shared client. These
suites therefore give each test a fresh in-process config cache: same ``ConfigCache`` code,
no state carried over from a test whose tables were truncated since. Cross-worker invalidation
over real Redis is tested in ``tests/integration/operability/test_config_cache.py`` (configs)
and ``tests/contract/test_session_cache.py`` (session records).
"""

from __future__ import annotations

from dependency_injector import providers
from itl_adapters.cache import ConfigCache, SessionCache
from itl_adapters.containers import Application
from itl_adapters.memory.cache import InMemoryCache
from itl_adapters.system import SystemClock


def isolate_config_cache(container: Application) -> None:
    """Point ``infra.config_cache`` and ``infra.session_cache`` at a new, empty in-process
    cache."""
    cache = InMemoryCache(SystemClock())
    container.infra.config_cache.override(providers.Object(ConfigCache(cache)))
    container.infra.session_cache.override(providers.Object(SessionCache(cache)))
