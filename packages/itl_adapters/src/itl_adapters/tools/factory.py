"""``KindToolFactory``: the ``ToolFactory`` that dispatches on ``ToolSpec.kind``.

Each kind has one builder, ``ToolSpec -> Tool``. The composition root passes the table
(``Infrastructure.tool_factory`` in ``itl_adapters.containers``); adding a kind is one line
there, e.g. ``ToolKind.RAG: providers.Factory(RagToolBuilder, ...)`` or
``ToolKind.HTTP: providers.Object(build_http_tool)``. ``HANDOFF_BUILDERS`` holds the kinds that
need nothing but the spec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from itl_core.errors import ValidationFailed
from itl_core.tools.handoff import HandoffTool
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.tools.ports import Tool

ToolBuilder = Callable[[ToolSpec], Tool]

HANDOFF_BUILDERS: Mapping[ToolKind, ToolBuilder] = {ToolKind.HANDOFF: HandoffTool.from_spec}


class KindToolFactory:
    """Builds a spec's tool with the builder of its kind; ValidationFailed for a kind with none."""

    def __init__(self, builders: Mapping[ToolKind, ToolBuilder]) -> None:
        self._builders = dict(builders)

    def build(self, spec: ToolSpec) -> Tool:
        builder = self._builders.get(spec.kind)
        if builder is None:
            raise ValidationFailed.single("kind", f"tools of kind '{spec.kind}' are not available")
        return builder(spec)
