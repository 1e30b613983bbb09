"""Public widget routes: the look, visitor sessions, and a visitor's own transcript."""

from __future__ import annotations

from typing import Any

from itl_core.pagination import PageRequest
from itl_core.widgets.visitors import (
    ListVisitorMessages,
    StartVisitorSession,
    StartVisitorSessionRequest,
    WidgetConfigs,
    WidgetVisitor,
)
from itl_web.transcript import MessageOut, MessagePageOut
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from widget_host.dto import PublicConfigOut, SessionIn, SessionOut
from widget_host.visitor import client_ip, is_own_origin, request_origin


class PublicWidgetController(Controller):
    path = "/{tenant_id:str}"
    tags = ["widget"]

    @get("/config", operation_id="getPublicWidgetConfig", summary="The widget's public look")
    async def config(
        self, tenant_id: FromPath[str], widget_configs: NamedDependency[WidgetConfigs]
    ) -> PublicConfigOut:
        return PublicConfigOut.of(await widget_configs.execute(tenant_id))

    @post("/session", operation_id="startVisitorSession", status_code=200)
    async def session(
        self,
        request: Request[Any, Any, Any],
        tenant_id: FromPath[str],
        data: JSONBody[SessionIn],
        start_visitor_session: NamedDependency[StartVisitorSession],
    ) -> SessionOut:
        origin = request_origin(request)
        started = await start_visitor_session.execute(
            StartVisitorSessionRequest(
                tenant_id=tenant_id,
                origin=origin,
                from_widget_host=is_own_origin(request, origin),
                page_origin=data.page_origin,
                client_ip=client_ip(request),
                identity=data.visitor.to_core() if data.visitor else None,
                anonymous_id=data.anonymous_id,
            )
        )
        return SessionOut(
            widget_token=started.widget_token,
            visitor_id=started.visitor_id,
            expires_in=started.expires_in,
        )

    @get(
        "/sessions/{session_id:str}/messages",
        operation_id="listVisitorMessages",
        security=[{"BearerToken": []}],
    )
    async def messages(
        self,
        session_id: FromPath[str],
        visitor: NamedDependency[WidgetVisitor],
        list_visitor_messages: NamedDependency[ListVisitorMessages],
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> MessagePageOut:
        page = await list_visitor_messages.execute(
            visitor, session_id, PageRequest.parse(limit, cursor)
        )
        return MessagePageOut(
            items=[MessageOut.of(m) for m in page.items], next_cursor=page.next_cursor
        )
