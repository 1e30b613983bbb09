"""Who is chatting: a signed-in user or a widget visitor, always inside one tenant.

The tenant of every chat and session use case comes from the ``Actor``, which is built from a
verified token only. Building one is also where the path's tenant is checked: a tenant that is
not the token's answers ``NotFound``, as a missing tenant would.
"""

from __future__ import annotations

from dataclasses import dataclass

from itl_core.access import Principal, Role
from itl_core.errors import NotFound
from itl_core.sessions.model import Channel, ChatSession

# Roles that read (and may close) every session of their tenant, not only their own.
STAFF_ROLES = frozenset({Role.TENANT_ADMIN, Role.OPERATOR})


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """Exactly one of ``user_id`` (a signed-in user, with ``role``) or ``visitor_id`` is set."""

    tenant_id: str
    channel: Channel
    user_id: str | None = None
    visitor_id: str | None = None
    role: Role | None = None

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.visitor_id is None):
            raise ValueError("an actor is either a user or a visitor")

    @classmethod
    def from_principal(
        cls, principal: Principal, tenant_id: str | None = None, channel: Channel = Channel.WEB
    ) -> Actor:
        """The user of an access token; ``tenant_id`` (the path's) must be the token's."""
        own = principal.tenant_id
        if own is None or (tenant_id is not None and tenant_id != own):
            raise NotFound("The tenant does not exist.")  # platform admins do not chat
        return cls(tenant_id=own, channel=channel, user_id=principal.user_id, role=principal.role)

    @classmethod
    def visitor(cls, tenant_id: str, visitor_id: str) -> Actor:
        """The visitor of a verified widget token."""
        return cls(tenant_id=tenant_id, channel=Channel.WIDGET, visitor_id=visitor_id)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def owns(self, session: ChatSession) -> bool:
        if session.tenant_id != self.tenant_id:
            return False
        if self.user_id is not None:
            return session.user_id == self.user_id
        return session.visitor_id == self.visitor_id

    def can_read(self, session: ChatSession) -> bool:
        """Staff read all of their tenant's sessions; everyone else only their own."""
        return self.owns(session) or (self.is_staff and session.tenant_id == self.tenant_id)
