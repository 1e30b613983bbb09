"""Reading the app's own OpenAPI schema: operations, and minimal valid bodies built from it.

The route sweep and the input-robustness tests iterate the published schema rather than a
hand-written list, so a route added tomorrow is swept without anyone editing a test.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")
WRITE_METHODS = frozenset({"post", "put", "patch"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    method: str
    path: str
    operation_id: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    body_schema: dict[str, Any] | None
    secured: bool
    components: dict[str, Any] = field(repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS and self.body_schema is not None

    def url(self, values: dict[str, str]) -> str:
        url = self.path
        for name in self.path_params:
            url = url.replace("{" + name + "}", values[name])
        return url

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        return resolve(schema, self.components)

    def body_properties(self) -> dict[str, dict[str, Any]]:
        schema = self.resolve(self.body_schema or {})
        return {k: self.resolve(v) for k, v in schema.get("properties", {}).items()}


def operations(schema: dict[str, Any]) -> list[Operation]:
    components = schema.get("components", {})
    found = []
    for path, item in schema["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [resolve(p, components) for p in shared + op.get("parameters", [])]
            body = op.get("requestBody")
            body_schema = None
            if body is not None:
                content = resolve(body, components).get("content", {})
                media = content.get("application/json") or next(iter(content.values()), {})
                body_schema = media.get("schema", {})
            found.append(
                Operation(
                    method=method,
                    path=path,
                    operation_id=op.get("operationId", f"{method} {path}"),
                    path_params=tuple(p["name"] for p in params if p.get("in") == "path"),
                    query_params=tuple(p["name"] for p in params if p.get("in") == "query"),
                    body_schema=body_schema,
                    secured=bool(op.get("security", schema.get("security"))),
                    components=components,
                )
            )
    return found


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while isinstance(schema, dict) and "$ref" in schema:
        _, _, kind, name = schema["$ref"].split("/", 3)
        schema = components[kind][name]
    return schema


_counter = itertools.count()


def example(schema: dict[str, Any], components: dict[str, Any], name: str = "") -> Any:
    """A small value that satisfies ``schema``: required members only, bounds respected."""
    schema = resolve(schema, components)
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            options = [resolve(s, components) for s in schema[combinator]]
            options = [s for s in options if s.get("type") != "null"] or options
            return example(options[0], components, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return _prefer(schema["enum"], name)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: example(props[k], components, k) for k in schema.get("required", [])}
    if kind == "array":
        return [
            example(schema.get("items", {}), components, name)
            for _ in range(schema.get("minItems", 0))
        ]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 0.5))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema, name)


def _prefer(options: list[Any], name: str) -> Any:
    # The least privileged role, so a sweep never tries to mint an admin by accident.
    return "member" if name == "role" and "member" in options else options[0]


def _string(schema: dict[str, Any], name: str) -> str:
    n = next(_counter)
    lowered = name.lower()
    if "email" in lowered or schema.get("format") == "email":
        value = f"sweep-{n}@other.test"
    elif "password" in lowered:
        value = "sweep-password-123"
    elif lowered == "id" or lowered.endswith("_id"):
        value = f"sweep-{n}"
    else:
        value = f"Sweep {n}"
    value = value.ljust(schema.get("minLength", 0), "x")
    if "maxLength" in schema:
        value = value[: schema["maxLength"]]
    return value


def minimal_body(op: Operation) -> Any:
    return example(op.body_schema or {}, op.components)


_JSON_TYPES: tuple[tuple[str, Any], ...] = (
    ("string", "not-the-right-type"),
    ("integer", 12345),
    ("boolean", True),
    ("array", ["x"]),
    ("object", {"x": 1}),
)


def allowed_types(schema: dict[str, Any], components: dict[str, Any]) -> set[str]:
    """The JSON types a schema admits (through refs, anyOf/oneOf and enums)."""
    schema = resolve(schema, components)
    types: set[str] = set()
    for combinator in ("oneOf", "anyOf"):
        for option in schema.get(combinator, []):
            types |= allowed_types(option, components)
    if "enum" in schema:
        types |= {_json_type(v) for v in schema["enum"]}
    kind = schema.get("type")
    if isinstance(kind, str):
        types.add(kind)
    elif isinstance(kind, list):
        types |= set(kind)
    if "properties" in schema:
        types.add("object")
    if "number" in types:
        types.add("integer")
    return types or {"string", "integer", "number", "boolean", "array", "object", "null"}


def wrong_type_value(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value of a JSON type the schema does not admit, or ``...`` when it admits everything."""
    allowed = allowed_types(schema, components)
    for kind, value in _JSON_TYPES:
        if kind not in allowed:
            return value
    return ...


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def offline_schema() -> dict[str, Any]:
    """The REST API's OpenAPI schema without opening any resource (for test collection)."""
    import tempfile
    from pathlib import Path

    from http_api.app import create_app
    from itl_adapters.containers import Application
    from itl_adapters.settings import Settings

    settings = Settings(
        data_dir=Path(tempfile.gettempdir()) / "itl-schema-only",
        database_url="postgresql://unused",
        redis_url="redis://unused",
        migrate_on_start=False,
    )
    return create_app(Application(settings=settings)).openapi_schema.to_schema()
