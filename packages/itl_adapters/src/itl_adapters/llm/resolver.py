"""The real ``ChatModelResolver``: the tenant's own provider key, our retry policy, a fallback.

For an agent on ``openai`` / ``anthropic`` / ``google``:

- the tenant has a key for that provider: the provider's adapter, built with the key (opened
  from the ``SecretBox`` here and nowhere else, never logged) and the operator's base URL and
  timeout, wrapped in ``RetryingChatModel`` that fails over to the tenant's fallback;
- the tenant has no key: the offline model, reported as provider ``offline``.

An agent on ``offline`` gets the offline model. The fallback is
``tenant.settings["fallback_provider"]`` (default ``offline``; ``none`` disables failover): a
provider with a key of the tenant's (other than the agent's own) gets its own retries and
then the offline model, with ``settings["fallback_model"]`` or that provider's default model;
anything else falls back to the offline model.

Built adapters hold an HTTP connection pool, so they are cached per (tenant, provider, key
fingerprint): the fingerprint is a hash of the sealed key, so a changed (or rotated) key builds a
new adapter and the old entry ages out. The cache is an LRU of ``max_cached`` entries. Evicted
adapters are not closed here (a turn may still be using one; the garbage collector reclaims
it); ``aclose`` closes those still cached, at shutdown.

The tenant's fallback settings are read once per ``settings_ttl`` seconds per tenant in this
process (like its quotas, ``itl_core.quotas.TenantQuotas``): every turn needs them, and a
changed fallback taking effect a few seconds later is worth a database read less per turn.
The keys come through the repository given, which the composition root caches and invalidates
on write (``itl_adapters.cache``): a changed key is used from the next turn.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from itl_core.agents.model import Agent
from itl_core.errors import UpstreamUnavailable
from itl_core.llm.ports import ChatModel, ResolvedModel
from itl_core.llm.retry import Fallback, RetryingChatModel, RetryPolicy
from itl_core.provider_keys.model import KEY_PROVIDERS
from itl_core.provider_keys.ports import ProviderKeyRepository
from itl_core.security.ports import SecretBox, secret_context
from itl_core.tenants.ports import TenantRepository

from itl_adapters.llm.anthropic import AnthropicChatModel
from itl_adapters.llm.google import GoogleChatModel
from itl_adapters.llm.offline import OfflineChatModel
from itl_adapters.llm.openai import OpenAIChatModel

__all__ = ["OFFLINE", "OFFLINE_MODEL", "ProviderModelResolver"]

log = logging.getLogger(__name__)

OFFLINE = "offline"
OFFLINE_MODEL = "offline-1"
DEFAULT_FALLBACK_MODELS = {
    "openai": "gpt-4o-mini",
    "anthropic": "claude-3-5-haiku-latest",
    "google": "gemini-2.0-flash",
}


class ClosableChatModel(ChatModel, Protocol):
    async def aclose(self) -> None: ...


# (api_key, base_url, timeout) -> adapter
Builder = Callable[[str, str | None, float], ClosableChatModel]

BUILDERS: Mapping[str, Builder] = {
    "openai": lambda key, url, timeout: OpenAIChatModel(api_key=key, base_url=url, timeout=timeout),
    "anthropic": lambda key, url, timeout: AnthropicChatModel(
        api_key=key, base_url=url, timeout=timeout
    ),
    "google": lambda key, url, timeout: GoogleChatModel(api_key=key, base_url=url, timeout=timeout),
}


class ProviderModelResolver:
    """``ChatModelResolver`` over the tenant's sealed keys; ``base_urls`` maps provider to URL
    (None: the vendor's own), ``builders`` may replace the adapter constructors."""

    def __init__(
        self,
        *,
        keys: ProviderKeyRepository,
        tenants: TenantRepository,
        box: SecretBox,
        base_urls: Mapping[str, str | None] | None = None,
        timeout: float = 60.0,
        policy: RetryPolicy | None = None,
        max_cached: int = 256,
        builders: Mapping[str, Builder] = BUILDERS,
        settings_ttl: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys, self._tenants, self._box = keys, tenants, box
        self._base_urls = dict(base_urls or {})
        self._timeout = timeout
        self._policy = policy or RetryPolicy()
        self._max_cached = max_cached
        self._builders = builders
        self._offline = OfflineChatModel()
        self._adapters: OrderedDict[tuple[str, str, str], ClosableChatModel] = OrderedDict()
        self._settings_ttl, self._monotonic = settings_ttl, monotonic
        self._settings: OrderedDict[str, tuple[float, Mapping[str, Any]]] = OrderedDict()

    async def for_agent(self, tenant_id: str, agent: Agent) -> ResolvedModel:
        if agent.provider not in KEY_PROVIDERS:
            return ResolvedModel(chat_model=self._offline, provider=OFFLINE, model=agent.model)
        primary = await self._adapter(tenant_id, agent.provider)
        if primary is None:
            return ResolvedModel(chat_model=self._offline, provider=OFFLINE, model=OFFLINE_MODEL)
        model = RetryingChatModel(
            primary, policy=self._policy, fallback=await self._fallback(tenant_id, agent.provider)
        )
        return ResolvedModel(chat_model=model, provider=agent.provider, model=agent.model)

    async def _tenant_settings(self, tenant_id: str) -> Mapping[str, Any]:
        now = self._monotonic()
        memo = self._settings.get(tenant_id)
        if memo is not None and memo[0] > now:
            return memo[1]
        tenant = await self._tenants.get(tenant_id)
        settings: Mapping[str, Any] = tenant.settings if tenant is not None else {}
        self._settings[tenant_id] = (now + self._settings_ttl, settings)
        self._settings.move_to_end(tenant_id)
        while len(self._settings) > self._max_cached:
            self._settings.popitem(last=False)
        return settings

    async def _fallback(self, tenant_id: str, primary: str) -> Fallback | None:
        settings = await self._tenant_settings(tenant_id)
        name = settings.get("fallback_provider") or OFFLINE
        if name == "none":
            return None
        offline = Fallback(chat_model=self._offline, model=OFFLINE_MODEL)
        if name not in KEY_PROVIDERS or name == primary:
            return offline
        try:
            adapter = await self._adapter(tenant_id, name)
        except UpstreamUnavailable as error:  # an unreadable fallback key: do not fail the turn
            log.warning("fallback key of tenant %s unusable (%s)", tenant_id, type(error).__name__)
            adapter = None
        if adapter is None:
            return offline
        model = settings.get("fallback_model")
        return Fallback(
            chat_model=RetryingChatModel(adapter, policy=self._policy, fallback=offline),
            model=model if isinstance(model, str) and model else DEFAULT_FALLBACK_MODELS[name],
        )

    async def _adapter(self, tenant_id: str, provider: str) -> ClosableChatModel | None:
        """The cached adapter for the tenant's current key, built on a miss; None without a key."""
        stored = await self._keys.get(tenant_id, provider)
        if stored is None:
            return None
        slot = (tenant_id, provider, hashlib.sha256(stored.sealed_key).hexdigest())
        adapter = self._adapters.get(slot)
        if adapter is not None:
            self._adapters.move_to_end(slot)
            return adapter
        api_key = self._box.open(
            stored.sealed_key, context=secret_context(tenant_id, "provider_key", provider)
        )
        adapter = self._builders[provider](api_key, self._base_urls.get(provider), self._timeout)
        self._adapters[slot] = adapter
        while len(self._adapters) > self._max_cached:
            self._adapters.popitem(last=False)
        return adapter

    async def aclose(self) -> None:
        adapters, self._adapters = list(self._adapters.values()), OrderedDict()
        for adapter in adapters:
            await adapter.aclose()
