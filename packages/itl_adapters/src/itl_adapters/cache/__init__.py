"""Cache-aside decorators around the configuration repositories the chat hot path reads.

``ConfigCache`` (``versioned``) stores entries stamped with a per-tenant, per-kind version;
``CachedAgentRepository``, ``CachedToolSpecRepository``, ``CachedWidgetConfigRepository`` and
``CachedProviderKeyRepository`` (``repositories``) read through it and bump the version on every
write, which invalidates the entries of every worker sharing the cache at once.

``SessionCache`` (``sessions``) holds session records, one version per session;
``CachedSessionRepository`` reads through it outside transactions and invalidates a session's
entry after each write, ``CacheAwareTransactions`` once the enclosing transaction ended.
"""

from itl_adapters.cache.repositories import (
    CachedAgentRepository,
    CachedProviderKeyRepository,
    CachedToolSpecRepository,
    CachedWidgetConfigRepository,
)
from itl_adapters.cache.sessions import (
    CacheAwareTransactions,
    CachedSessionRepository,
    SessionCache,
)
from itl_adapters.cache.versioned import ConfigCache

__all__ = [
    "CacheAwareTransactions",
    "CachedAgentRepository",
    "CachedProviderKeyRepository",
    "CachedSessionRepository",
    "CachedToolSpecRepository",
    "CachedWidgetConfigRepository",
    "ConfigCache",
    "SessionCache",
]
