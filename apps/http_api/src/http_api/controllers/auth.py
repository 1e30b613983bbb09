"""Sign-in, token refresh, sign-out, the current user, and the public signing keys."""

from __future__ import annotations

from typing import Any

from itl_core.access import Principal
from itl_core.auth.use_cases import GetCurrentUser, Login, LoginRequest, Logout, RefreshTokens
from itl_web.client_ip import client_ip
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from http_api.dto.auth import LoginIn, RefreshIn, TokenOut, UserOut

AUTH = {"rate_class": "auth"}  # anonymous: limited per client IP (itl_web.ratelimit)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        summary="Exchange email and password for tokens",
        opt=AUTH,
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginIn],
        login: NamedDependency[Login],
    ) -> TokenOut:
        pair = await login.execute(
            LoginRequest(email=data.email, password=data.password, client_ip=client_ip(request))
        )
        return TokenOut.of(pair)

    @post(
        "/refresh",
        operation_id="refresh",
        status_code=200,
        summary="Rotate a refresh token",
        opt=AUTH,
    )
    async def refresh(
        self, data: JSONBody[RefreshIn], refresh_tokens: NamedDependency[RefreshTokens]
    ) -> TokenOut:
        return TokenOut.of(await refresh_tokens.execute(data.refresh_token))

    @post(
        "/logout",
        operation_id="logout",
        status_code=204,
        summary="Revoke a refresh token family",
        opt=AUTH,
    )
    async def logout(self, data: JSONBody[RefreshIn], logout: NamedDependency[Logout]) -> None:
        await logout.execute(data.refresh_token)

    @get("/me", operation_id="me", summary="The signed-in user", security=[{"BearerToken": []}])
    async def me(
        self, principal: NamedDependency[Principal], current_user: NamedDependency[GetCurrentUser]
    ) -> UserOut:
        return UserOut.of(await current_user.execute(principal))
