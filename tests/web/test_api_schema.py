"""The web app's typed client cannot drift from the API it calls.

``web/openapi.json`` must be exactly what ``create_app`` publishes today, and the committed
``web/src/api/schema.d.ts`` must have been generated from that very file. After an API change,
``make web-schema`` refreshes both (it needs npm for the second step).
"""

from __future__ import annotations

import json

from tests.support.web_schema import SCHEMA_FILE, TYPES_FILE, live_schema, sha256, types_stamp

REFRESH = "run `make web-schema` (dumps the schema, then `npm run gen:api` in web/)"


def test_the_committed_schema_is_what_the_api_publishes() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    live = live_schema()
    changed = sorted(
        f"{method.upper()} {path}"
        for path in committed["paths"].keys() | live["paths"].keys()
        for method in ("get", "post", "put", "patch", "delete")
        if committed["paths"].get(path, {}).get(method) != live["paths"].get(path, {}).get(method)
    )
    assert committed == live, (
        f"web/openapi.json is stale ({', '.join(changed) or 'components'}): {REFRESH}"
    )


def test_the_generated_types_come_from_the_committed_schema() -> None:
    assert types_stamp() == sha256(SCHEMA_FILE), f"{TYPES_FILE.name} is stale: {REFRESH}"
