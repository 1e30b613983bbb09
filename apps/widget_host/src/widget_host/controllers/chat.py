"""``POST /api/public/widgets/{tenant_id}/chat``: a visitor's chat turn, JSON or streamed.

Order of checks: widget token (``visitor``), then the widget limits (message bound, per-IP and
per-visitor rates, the tenant's concurrent-stream cap: ``AdmitWidgetChat``), then the turn. The
stream slot taken on admission is released when the answer ends, however it ends.
"""

from __future__ import annotations

from typing import Any

from itl_core.chat.actor import Actor
from itl_core.chat.events import collect_result
from itl_core.chat.turn import ChatTurnRequest
from itl_core.widgets.limits import AdmitWidgetChat
from itl_core.widgets.visitors import WidgetVisitor
from itl_web.chat_sse import ChatTurns, chat_sse, primed, wants_stream
from itl_web.sse import sse_response
from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from widget_host.dto import WidgetChatIn
from widget_host.visitor import client_ip


class WidgetChatController(Controller):
    path = "/{tenant_id:str}"
    tags = ["widget"]

    @post(
        "/chat",
        operation_id="widgetChat",
        status_code=200,
        security=[{"BearerToken": []}],
        opt={"rate_class": "chat"},  # itl_web.ratelimit
    )
    async def chat(
        self,
        request: Request[Any, Any, Any],
        tenant_id: FromPath[str],
        data: JSONBody[WidgetChatIn],
        visitor: NamedDependency[WidgetVisitor],
        admit_widget_chat: NamedDependency[AdmitWidgetChat],
        chat_turn: NamedDependency[ChatTurns],
    ) -> Response[Any]:
        admission = await admit_widget_chat.execute(
            tenant_id=visitor.tenant_id,
            visitor_id=visitor.visitor_id,
            ip=client_ip(request),
            message=data.message,
        )
        turn = ChatTurnRequest(
            actor=Actor.visitor(visitor.tenant_id, visitor.visitor_id),
            message=data.message,
            session_id=data.session_id,
        )
        try:
            events = await primed(chat_turn.execute(turn))
            if wants_stream(request, data.stream):
                return sse_response(chat_sse(events), on_close=admission.release)
            try:
                result = await collect_result(events)
            finally:
                await events.aclose()  # type: ignore[attr-defined]
        except BaseException:
            admission.release()
            raise
        admission.release()
        return Response(result.as_dict())
