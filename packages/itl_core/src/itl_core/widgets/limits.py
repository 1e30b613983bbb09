"""The bounds on what anonymous widget traffic may cost a tenant.

Rate limits (per IP and per visitor, on session creation and on chat) go through the
``RateLimiter`` port, so they hold across processes. The cap on concurrent streams per tenant
is an in-process counter (``StreamSlots``): each widget-host process admits at most
``max_streams_per_tenant`` open streams per tenant, so N replicas admit at most N times that.
"""

from __future__ import annotations

from dataclasses import dataclass

from itl_core.errors import RateLimited, ValidationFailed
from itl_core.ratelimit import Limit, RateLimiter


@dataclass(frozen=True, slots=True, kw_only=True)
class WidgetPolicy:
    """Counts per ``window`` seconds; ``max_message_chars`` bounds one visitor message."""

    window: float = 60.0
    sessions_per_ip: int = 30
    sessions_per_visitor: int = 10
    chats_per_ip: int = 60
    chats_per_visitor: int = 20
    max_message_chars: int = 4_000
    max_streams_per_tenant: int = 50


async def enforce(limiter: RateLimiter, limits: list[Limit]) -> None:
    decision = await limiter.hit(limits)
    if not decision.allowed:
        raise decision.refusal()


def session_limits(
    policy: WidgetPolicy, tenant_id: str, ip: str, visitor: str | None
) -> list[Limit]:
    prefix = f"t:{tenant_id}:widget:session"
    limits = [
        Limit(key=f"{prefix}:ip:{ip}", limit=policy.sessions_per_ip, period_seconds=policy.window)
    ]
    if visitor:
        limits.append(
            Limit(
                key=f"{prefix}:v:{visitor}",
                limit=policy.sessions_per_visitor,
                period_seconds=policy.window,
            )
        )
    return limits


class StreamSlots:
    """Per-tenant count of open streams in this process (see the module docstring)."""

    def __init__(self) -> None:
        self._open: dict[str, int] = {}

    def acquire(self, tenant_id: str, cap: int) -> bool:
        if self._open.get(tenant_id, 0) >= cap:
            return False
        self._open[tenant_id] = self._open.get(tenant_id, 0) + 1
        return True

    def release(self, tenant_id: str) -> None:
        left = self._open.get(tenant_id, 0) - 1
        if left > 0:
            self._open[tenant_id] = left
        else:
            self._open.pop(tenant_id, None)

    def open_streams(self, tenant_id: str) -> int:
        return self._open.get(tenant_id, 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatAdmission:
    """Admission to stream one answer; ``release`` must run when the stream ends (exactly once)."""

    tenant_id: str
    slots: StreamSlots

    def release(self) -> None:
        self.slots.release(self.tenant_id)


class AdmitWidgetChat:
    """Checks a visitor's chat message against the policy and takes one stream slot."""

    def __init__(self, limiter: RateLimiter, slots: StreamSlots, policy: WidgetPolicy) -> None:
        self._limiter, self._slots, self._policy = limiter, slots, policy

    async def execute(
        self, *, tenant_id: str, visitor_id: str, ip: str, message: str
    ) -> ChatAdmission:
        policy = self._policy
        if not message.strip() or len(message) > policy.max_message_chars:
            raise ValidationFailed.single(
                "message", f"must be 1 to {policy.max_message_chars} characters"
            )
        prefix = f"t:{tenant_id}:widget:chat"
        await enforce(
            self._limiter,
            [
                Limit(
                    key=f"{prefix}:ip:{ip}", limit=policy.chats_per_ip, period_seconds=policy.window
                ),
                Limit(
                    key=f"{prefix}:v:{visitor_id}",
                    limit=policy.chats_per_visitor,
                    period_seconds=policy.window,
                ),
            ],
        )
        if not self._slots.acquire(tenant_id, policy.max_streams_per_tenant):
            raise RateLimited(1.0, "Too many conversations are streaming right now; retry shortly.")
        return ChatAdmission(tenant_id=tenant_id, slots=self._slots)
