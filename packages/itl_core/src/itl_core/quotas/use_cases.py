"""The quota rules the edges call: a request's rate-limit decision and the chat turn's budget."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itl_core.clock import Clock
from itl_core.errors import QuotaExceeded, UpstreamUnavailable
from itl_core.quotas.budget import Budget, seconds_until_reset
from itl_core.quotas.limits import RatePolicy, RequestSubject, request_limits
from itl_core.quotas.ports import UsageLedger
from itl_core.quotas.validation import quota_errors
from itl_core.ratelimit import Decision, RateLimiter
from itl_core.tenants.ports import TenantRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Quotas:
    """A tenant's effective rate policy and budget (None: unlimited)."""

    rates: RatePolicy
    budget: Budget | None = None


@dataclass(slots=True)
class _Memo:
    quotas: Quotas
    expires: float


class TenantQuotas:
    """A tenant's quotas from its settings, remembered for ``ttl`` seconds in this process.

    Every request needs them, so reading the tenant each time would add a database query to
    every call: a change of a tenant's limits or budget takes effect within ``ttl`` instead.
    If the tenant cannot be read (database down), the last known quotas, else the defaults,
    apply: limiting must not become the reason a request fails.
    """

    def __init__(
        self,
        tenants: TenantRepository,
        *,
        defaults: RatePolicy | None = None,
        ttl: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tenants, self._ttl, self._monotonic = tenants, ttl, monotonic
        self._defaults = Quotas(rates=defaults or RatePolicy())
        self._memo: dict[str, _Memo] = {}

    @property
    def defaults(self) -> Quotas:
        return self._defaults

    async def get(self, tenant_id: str | None) -> Quotas:
        if tenant_id is None:
            return self._defaults
        now = self._monotonic()
        memo = self._memo.get(tenant_id)
        if memo is not None and memo.expires > now:
            return memo.quotas
        try:
            tenant = await self._tenants.get(tenant_id)
        except UpstreamUnavailable as error:
            log.warning("tenant quotas unreadable (%s); using the last known", type(error).__name__)
            return memo.quotas if memo is not None else self._defaults
        quotas = self._defaults
        if tenant is not None:
            settings = tenant.settings
            if quota_errors(settings):  # stored before validation existed: ignore, loudly
                log.warning("tenant %s has invalid quota settings; defaults apply", tenant_id)
            else:
                quotas = Quotas(
                    rates=self._defaults.rates.with_overrides(settings.get("limits")),
                    budget=Budget.from_settings(settings.get("budget")),
                )
        self._memo[tenant_id] = _Memo(quotas, now + self._ttl)
        return quotas


class AdmitRequest:
    """One rate-limit decision for a request: all its limits counted in one limiter call."""

    def __init__(self, limiter: RateLimiter, quotas: TenantQuotas) -> None:
        self._limiter, self._quotas = limiter, quotas

    async def execute(self, subject: RequestSubject) -> Decision:
        """The decision of an admitted request; ``RateLimited`` when any limit refuses it."""
        quotas = await self._quotas.get(subject.tenant_id)
        decision = await self._limiter.hit(request_limits(quotas.rates, subject))
        if not decision.allowed:
            raise decision.refusal()
        return decision


class BudgetGuard:
    """The chat turn's budget collaborator: ``check`` before the model, ``record`` after."""

    def __init__(self, ledger: UsageLedger, quotas: TenantQuotas, clock: Clock) -> None:
        self._ledger, self._quotas, self._clock = ledger, quotas, clock

    async def check(self, tenant_id: str) -> None:
        """Raises ``QuotaExceeded`` when a limit of the tenant's budget is reached."""
        budget = (await self._quotas.get(tenant_id)).budget
        if budget is None:
            return
        now = self._clock.now()
        spent = budget.spent(await self._ledger.totals(tenant_id, now))
        if spent:
            # Turns resume once every spent limit's period has reset (a spent month outlasts
            # a spent day): that is the Retry-After, and the line the message names.
            line = max(spent, key=lambda line: seconds_until_reset(line.period, now))
            raise QuotaExceeded(
                f"The tenant's {line.field.replace('_', ' ')} budget is spent"
                f" ({line.used:g} of {line.limit:g}); try again next {line.period}.",
                retry_after=seconds_until_reset(line.period, now),
            )

    async def prepare(self, tenant_id: str) -> None:
        """Make sure the tenant's budget is at hand, so that a ``record`` right after reads
        nothing but the ledger (call it before opening the transaction ``record`` joins)."""
        await self._quotas.get(tenant_id)

    async def record(
        self, tenant_id: str, tokens: int, cost_usd: float | None
    ) -> dict[str, Any] | None:
        """Adds a turn's usage; the ``budget_warning`` to report, if a soft limit is reached.

        Never raises: a turn whose answer exists must not fail for its bookkeeping (logged).
        """
        try:
            budget = (await self._quotas.get(tenant_id)).budget
            now = self._clock.now()
            if tokens > 0 or cost_usd:
                totals = await self._ledger.add(tenant_id, now, tokens, float(cost_usd or 0.0))
            elif budget is not None:
                totals = await self._ledger.totals(tenant_id, now)
            else:
                return None
        except Exception:
            log.exception("usage of a chat turn was not recorded")
            return None
        return budget.warning(totals) if budget is not None else None
