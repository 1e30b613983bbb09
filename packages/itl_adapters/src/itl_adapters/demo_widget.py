"""The demo tenant's widget: its look, and the demo customer site among its allowed origins.

Idempotent like the rest of the seed: a first start writes the whole configuration; later
starts only add the demo site's origins when they are missing (``ITL_DEMO_SITE_PORT`` changed),
keeping whatever an admin edited.
"""

from __future__ import annotations

from itl_core.access import Principal
from itl_core.widgets.use_cases import WidgetDraft

from itl_adapters.containers import Application, resolve
from itl_adapters.settings import Settings

DEMO_STARTERS = (
    "Where is shipment ITL-123456?",
    "What documents do I need for customs?",
    "How much to ship two pallets from Rotterdam to Lyon?",
)


def demo_site_origins(settings: Settings) -> tuple[str, ...]:
    port = settings.demo_site_port
    return (f"http://127.0.0.1:{port}", f"http://localhost:{port}")


async def ensure_demo_widget(
    container: Application, settings: Settings, tenant_id: str, principal: Principal
) -> None:
    repository = await resolve(container.repositories.widgets)
    current = await repository.get(tenant_id)
    origins = demo_site_origins(settings)
    if current is not None and set(origins) <= set(current.allowed_origins):
        return
    update = await resolve(container.use_cases.update_widget_config)
    if current is None:
        draft = WidgetDraft(
            title="Demo Logistics",
            welcome_message="Hello! Ask about a shipment, customs papers or a freight quote.",
            theme={"primary_color": "#0b5fff"},
            position="bottom-right",
            starter_prompts=DEMO_STARTERS,
            allowed_origins=origins,
        )
    else:
        draft = WidgetDraft(
            title=current.title,
            welcome_message=current.welcome_message,
            theme=current.theme,
            position=current.position,
            starter_prompts=current.starter_prompts,
            allowed_origins=(*current.allowed_origins, *origins),
        )
    await update.execute(principal, draft, tenant_id)
