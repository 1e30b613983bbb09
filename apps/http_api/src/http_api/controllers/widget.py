"""Widget configuration; the tenant is the token's (platform admins add ``?tenant_id=``).

``widget_url`` (the widget host's public base URL, from settings) is an app dependency, so the
answers carry what the admin console needs to show the embed snippet.
"""

from __future__ import annotations

from itl_core.access import Principal
from itl_core.widgets.use_cases import GetWidgetConfig, RotateIdentitySecret, UpdateWidgetConfig
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from http_api.dto.widget import IdentitySecretOut, WidgetConfigIn, WidgetConfigOut


class WidgetAdminController(Controller):
    path = "/api/admin/widget"
    tags = ["widget"]
    security = [{"BearerToken": []}]

    @get("/", operation_id="getWidgetConfig")
    async def get_config(
        self,
        principal: NamedDependency[Principal],
        get_widget_config: NamedDependency[GetWidgetConfig],
        widget_url: NamedDependency[str],
        tenant_id: FromQuery[str | None] = None,
    ) -> WidgetConfigOut:
        config = await get_widget_config.execute(principal, tenant_id)
        return WidgetConfigOut.of(config, widget_url)

    @put("/", operation_id="putWidgetConfig")
    async def put_config(
        self,
        data: JSONBody[WidgetConfigIn],
        principal: NamedDependency[Principal],
        update_widget_config: NamedDependency[UpdateWidgetConfig],
        widget_url: NamedDependency[str],
        tenant_id: FromQuery[str | None] = None,
    ) -> WidgetConfigOut:
        config = await update_widget_config.execute(principal, data.to_draft(), tenant_id)
        return WidgetConfigOut.of(config, widget_url)

    @post("/identity-secret", operation_id="rotateWidgetIdentitySecret", status_code=200)
    async def rotate_secret(
        self,
        principal: NamedDependency[Principal],
        rotate_widget_identity_secret: NamedDependency[RotateIdentitySecret],
        tenant_id: FromQuery[str | None] = None,
    ) -> IdentitySecretOut:
        rotated = await rotate_widget_identity_secret.execute(principal, tenant_id)
        return IdentitySecretOut(identity_secret=rotated.secret)
