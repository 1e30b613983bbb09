"""The REST API's OpenAPI schema as the web app consumes it (``web/openapi.json``).

The web app's typed client (``web/src/api/schema.d.ts``) is generated from that file by
``npm run gen:api``, which stamps the file's SHA-256 into the generated header. A test compares
the committed file with the schema ``create_app`` publishes today, so the UI cannot drift from
the API. ``make web-schema`` (``python -m tests.support.web_schema``, then ``npm run gen:api``)
refreshes both after an API change.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from tests.integration.api._schema import offline_schema

WEB = Path(__file__).resolve().parents[2] / "web"
SCHEMA_FILE = WEB / "openapi.json"
TYPES_FILE = WEB / "src" / "api" / "schema.d.ts"
STAMP_PREFIX = "// source: openapi.json sha256="


def render(schema: dict[str, Any]) -> str:
    """The committed form: stable key order as published, two-space indent, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def live_schema() -> dict[str, Any]:
    """What ``create_app`` publishes at /schema/openapi.json, built without opening resources."""
    # One JSON round trip: the committed file holds plain JSON values (no tuples, no enums).
    return json.loads(json.dumps(offline_schema()))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def types_stamp(path: Path = TYPES_FILE) -> str | None:
    """The schema hash the generated types were built from (None when unstamped)."""
    for line in path.read_text(encoding="utf-8").splitlines()[:5]:
        if line.startswith(STAMP_PREFIX):
            return line.removeprefix(STAMP_PREFIX).strip()
    return None


def main() -> int:
    SCHEMA_FILE.write_text(render(live_schema()), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}; now run `npm run gen:api` in web/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
