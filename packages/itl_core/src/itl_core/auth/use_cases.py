"""Login, refresh, logout and "who am I"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from itl_core.access import Principal
from itl_core.auth.model import (
    RefreshTokenRecord,
    SpendOutcome,
    TokenPair,
    digest,
    hash_refresh_token,
    new_refresh_token,
)
from itl_core.auth.ports import RefreshTokenRepository
from itl_core.clock import Clock
from itl_core.errors import AuthenticationFailed
from itl_core.ids import IdGenerator
from itl_core.ratelimit import Limit, RateLimiter
from itl_core.security.ports import PasswordHasher, TokenIssuer, TokenKind
from itl_core.users.model import MAX_PASSWORD, User, normalize_email
from itl_core.users.ports import UserRepository


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthPolicy:
    """Refresh-token lifetime and the login attempt limits (per client IP and per account)."""

    refresh_ttl: timedelta = timedelta(days=14)
    login_per_ip: int = 30
    login_per_account: int = 10
    login_period_seconds: float = 300.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginRequest:
    email: str
    password: str
    client_ip: str


class _Tokens:
    """Issues an access token and a refresh token of a family for a user."""

    def __init__(
        self,
        refresh_tokens: RefreshTokenRepository,
        issuer: TokenIssuer,
        clock: Clock,
        ids: IdGenerator,
        policy: AuthPolicy,
    ) -> None:
        self._refresh, self._issuer, self._clock = refresh_tokens, issuer, clock
        self._ids, self._policy = ids, policy

    async def pair(self, user: User, family_id: str) -> TokenPair:
        access = self._issuer.issue(
            kind=TokenKind.ACCESS, subject=user.id, tenant_id=user.tenant_id, role=user.role.value
        )
        refresh = new_refresh_token()
        now = self._clock.now()
        await self._refresh.add(
            RefreshTokenRecord(
                id=self._ids.new_id(),
                family_id=family_id,
                user_id=user.id,
                tenant_id=user.tenant_id,
                token_hash=hash_refresh_token(refresh),
                created_at=now,
                expires_at=now + self._policy.refresh_ttl,
            )
        )
        return TokenPair(
            access_token=access.token,
            refresh_token=refresh,
            expires_in=access.expires_in,
            user=user,
        )


class Login:
    """Same error, and about the same time, for an unknown email and a wrong password.

    Attempts are limited per client IP and per account before any lookup; a limiter that is
    down raises ``UpstreamUnavailable``, so login fails closed.
    """

    def __init__(
        self,
        users: UserRepository,
        hasher: PasswordHasher,
        refresh_tokens: RefreshTokenRepository,
        issuer: TokenIssuer,
        limiter: RateLimiter,
        clock: Clock,
        ids: IdGenerator,
        policy: AuthPolicy,
    ) -> None:
        self._users, self._hasher, self._ids = users, hasher, ids
        self._limiter, self._policy = limiter, policy
        self._tokens = _Tokens(refresh_tokens, issuer, clock, ids, policy)

    async def execute(self, request: LoginRequest) -> TokenPair:
        email = normalize_email(request.email)
        await self._check_attempts(email, request.client_ip)
        if len(request.password) > MAX_PASSWORD:
            raise AuthenticationFailed()
        user = await self._users.find_for_login(email)
        if user is None:
            self._hasher.verify_dummy(request.password)
            raise AuthenticationFailed()
        if not self._hasher.verify(request.password, user.password_hash) or not user.is_active:
            raise AuthenticationFailed()
        return await self._tokens.pair(user, family_id=self._ids.new_id())

    async def _check_attempts(self, email: str, client_ip: str) -> None:
        period = self._policy.login_period_seconds
        decision = await self._limiter.hit(
            [
                Limit(
                    key=f"login:ip:{client_ip}",
                    limit=self._policy.login_per_ip,
                    period_seconds=period,
                ),
                Limit(
                    key=f"login:account:{digest(email)[:32]}",
                    limit=self._policy.login_per_account,
                    period_seconds=period,
                ),
            ]
        )
        if not decision.allowed:
            raise decision.refusal("Too many sign-in attempts; try again later.")


class RefreshTokens:
    def __init__(
        self,
        users: UserRepository,
        refresh_tokens: RefreshTokenRepository,
        issuer: TokenIssuer,
        clock: Clock,
        ids: IdGenerator,
        policy: AuthPolicy,
    ) -> None:
        self._users, self._refresh, self._clock = users, refresh_tokens, clock
        self._tokens = _Tokens(refresh_tokens, issuer, clock, ids, policy)

    async def execute(self, refresh_token: str) -> TokenPair:
        now = self._clock.now()
        result = await self._refresh.spend(hash_refresh_token(refresh_token), now)
        if result.outcome is SpendOutcome.REPLAYED and result.record is not None:
            await self._refresh.revoke_family(result.record.family_id, now)
            raise AuthenticationFailed("This refresh token was already used; sign in again.")
        record = result.record
        if result.outcome is not SpendOutcome.SPENT or record is None or record.expires_at <= now:
            raise AuthenticationFailed()
        user = await self._users.get(record.tenant_id, record.user_id)
        if user is None or not user.is_active:
            await self._refresh.revoke_family(record.family_id, now)
            raise AuthenticationFailed()
        return await self._tokens.pair(user, family_id=record.family_id)


class Logout:
    """Revokes the refresh token's family; unknown tokens are ignored (logout is idempotent)."""

    def __init__(self, refresh_tokens: RefreshTokenRepository, clock: Clock) -> None:
        self._refresh, self._clock = refresh_tokens, clock

    async def execute(self, refresh_token: str) -> None:
        now = self._clock.now()
        result = await self._refresh.spend(hash_refresh_token(refresh_token), now)
        if result.record is not None:
            await self._refresh.revoke_family(result.record.family_id, now)


class GetCurrentUser:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(self, principal: Principal) -> User:
        user = await self._users.get(principal.tenant_id, principal.user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed("The account no longer exists or is disabled.")
        return user
