"""Widget configuration; the tenant is the token's (platform admins add ``?tenant_id=``)."""

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
        tenant_id: FromQuery[str | None] = None,
    ) -> WidgetConfigOut:
        return WidgetConfigOut.of(await get_widget_config.execute(principal, tenant_id))

    @put("/", operation_id="putWidgetConfig")
    async def put_config(
        self,
        data: JSONBody[WidgetConfigIn],
        principal: NamedDependency[Principal],
        update_widget_config: NamedDependency[UpdateWidgetConfig],
        tenant_id: FromQuery[str | None] = None,
    ) -> WidgetConfigOut:
        return WidgetConfigOut.of(
            await update_widget_config.execute(principal, data.to_draft(), tenant_id)
        )

    @post("/identity-secret", operation_id="rotateWidgetIdentitySecret", status_code=200)
    async def rotate_secret(
        self,
        principal: NamedDependency[Principal],
        rotate_widget_identity_secret: NamedDependency[RotateIdentitySecret],
        tenant_id: FromQuery[str | None] = None,
    ) -> IdentitySecretOut:
        rotated = await rotate_widget_identity_secret.execute(principal, tenant_id)
        return IdentitySecretOut(identity_secret=rotated.secret)
