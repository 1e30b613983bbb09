"""The public side of the widget: its look, visitor sessions (widget tokens), own transcripts.

Who may start a visitor session is decided by the embedding page's origin, which must be one
of the tenant's ``allowed_origins``:

- a page calling the public API itself sends that origin as ``Origin``;
- the widget host's own iframe (``widget.html``) calls from the widget host's origin and states
  the page that frames it (``page_origin``); the browser renders that iframe only inside the
  tenant's allowed origins (CSP ``frame-ancestors``), so a page elsewhere gets neither a frame
  nor, calling directly, a session.

The widget token is short-lived and carries the tenant, the visitor (its subject) and the
embedding origin (claim ``origin``).
"""

from __future__ import annotations

from dataclasses import dataclass

from itl_core.clock import Clock
from itl_core.errors import AuthenticationFailed, NotFound, PermissionDenied
from itl_core.pagination import Page, PageRequest
from itl_core.ratelimit import RateLimiter
from itl_core.security.ports import AccessClaims, SecretBox, TokenIssuer, TokenKind
from itl_core.sessions.model import Channel, Message
from itl_core.sessions.ports import MessageRepository, SessionRepository
from itl_core.tenants.ports import TenantRepository
from itl_core.widgets.identity import (
    SignedIdentity,
    is_anonymous_id,
    new_anonymous_id,
    verify_identity,
)
from itl_core.widgets.limits import WidgetPolicy, enforce, session_limits
from itl_core.widgets.model import WidgetConfig
from itl_core.widgets.ports import WidgetConfigRepository
from itl_core.widgets.use_cases import identity_context

VISITOR_ROLE = "visitor"


@dataclass(frozen=True, slots=True, kw_only=True)
class WidgetVisitor:
    """The visitor of a verified widget token, on the tenant of the request's path."""

    tenant_id: str
    visitor_id: str
    origin: str

    @classmethod
    def from_claims(cls, claims: AccessClaims, path_tenant: str) -> WidgetVisitor:
        if claims.tenant_id != path_tenant:
            raise NotFound("The tenant does not exist.")
        return cls(
            tenant_id=path_tenant, visitor_id=claims.subject, origin=claims.extra.get("origin", "")
        )


class WidgetConfigs:
    """A tenant's configuration for public use: defaults when unsaved; NotFound without tenant."""

    def __init__(
        self, widgets: WidgetConfigRepository, tenants: TenantRepository, clock: Clock
    ) -> None:
        self._widgets, self._tenants, self._clock = widgets, tenants, clock

    async def execute(self, tenant_id: str) -> WidgetConfig:
        if (config := await self._widgets.get(tenant_id)) is not None:
            return config
        if await self._tenants.get(tenant_id) is None:
            raise NotFound("The tenant does not exist.")
        return WidgetConfig(tenant_id=tenant_id, updated_at=self._clock.now())


@dataclass(frozen=True, slots=True, kw_only=True)
class StartVisitorSessionRequest:
    tenant_id: str
    origin: str  # the request's Origin header ("" when absent)
    from_widget_host: bool  # Origin is the widget host itself: its iframe is calling
    page_origin: str | None  # the page framing that iframe, as the iframe states it
    client_ip: str
    identity: SignedIdentity | None = None
    anonymous_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VisitorSession:
    widget_token: str
    visitor_id: str
    expires_in: int


class StartVisitorSession:
    def __init__(
        self,
        configs: WidgetConfigs,
        issuer: TokenIssuer,
        box: SecretBox,
        limiter: RateLimiter,
        clock: Clock,
        policy: WidgetPolicy,
    ) -> None:
        self._configs, self._issuer, self._box = configs, issuer, box
        self._limiter, self._clock, self._policy = limiter, clock, policy

    async def execute(self, request: StartVisitorSessionRequest) -> VisitorSession:
        config = await self._configs.execute(request.tenant_id)
        embed = (request.page_origin or "") if request.from_widget_host else request.origin
        if not embed or embed not in config.allowed_origins:
            raise PermissionDenied("This origin may not embed the widget of this tenant.")
        claimed = request.identity.visitor_id[:128] if request.identity else None
        if request.anonymous_id and is_anonymous_id(request.anonymous_id):
            claimed = request.anonymous_id
        await enforce(
            self._limiter,
            session_limits(self._policy, request.tenant_id, request.client_ip, claimed),
        )
        visitor_id = self._visitor_id(config, request)
        token = self._issuer.issue(
            kind=TokenKind.WIDGET,
            subject=visitor_id,
            tenant_id=request.tenant_id,
            role=VISITOR_ROLE,
            extra={"origin": embed},
        )
        return VisitorSession(
            widget_token=token.token, visitor_id=visitor_id, expires_in=token.expires_in
        )

    def _visitor_id(self, config: WidgetConfig, request: StartVisitorSessionRequest) -> str:
        if request.identity is not None:
            if config.sealed_identity_secret is None:
                raise AuthenticationFailed("This tenant does not accept signed visitor identities.")
            secret = self._box.open(
                config.sealed_identity_secret, context=identity_context(config.tenant_id)
            )
            now = int(self._clock.now().timestamp())
            return verify_identity(secret, config.tenant_id, request.identity, now)
        if request.anonymous_id and is_anonymous_id(request.anonymous_id):
            return request.anonymous_id  # a random id this visitor's browser kept from before
        return new_anonymous_id()


class ListVisitorMessages:
    """A visitor's own widget session only; any other session answers NotFound."""

    def __init__(self, sessions: SessionRepository, messages: MessageRepository) -> None:
        self._sessions, self._messages = sessions, messages

    async def execute(
        self, visitor: WidgetVisitor, session_id: str, page: PageRequest
    ) -> Page[Message]:
        session = await self._sessions.get(visitor.tenant_id, session_id)
        if (
            session is None
            or session.channel is not Channel.WIDGET
            or session.visitor_id != visitor.visitor_id
        ):
            raise NotFound("The session does not exist.")
        return await self._messages.list(visitor.tenant_id, session_id, page)
