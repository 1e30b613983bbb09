"""The subset of JSON Schema tool parameters may use, and a validator for it.

Supported keywords: ``type`` (object, string, integer, number, boolean, array, null),
``properties``, ``required``, ``additionalProperties`` (boolean), ``items``, ``enum``,
``pattern``, ``minLength``/``maxLength``, ``minimum``/``maximum``, ``description``, ``title``,
``default``. A schema using anything else is refused when the tool is configured, so a keyword
the model is told about is never silently ignored when its arguments are checked. (The
``jsonschema`` package would add a dependency for features tool parameters do not need.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TYPES = ("object", "string", "integer", "number", "boolean", "array", "null")
KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "description",
        "title",
        "default",
    }
)
MAX_DEPTH = 8


def schema_errors(schema: Any, path: str = "parameters", depth: int = 0) -> list[str]:
    """Why ``schema`` is not a usable schema of the supported subset (empty when it is)."""
    if not isinstance(schema, Mapping):
        return [f"{path}: must be an object"]
    if depth > MAX_DEPTH:
        return [f"{path}: nests deeper than {MAX_DEPTH} levels"]
    errors = [f"{path}: unsupported keyword {k!r}" for k in schema if k not in KEYWORDS]
    kind = schema.get("type")
    if kind is not None and kind not in TYPES:
        errors.append(f"{path}.type: must be one of {', '.join(TYPES)}")
    if "pattern" in schema:
        try:
            re.compile(schema["pattern"])
        except (re.error, TypeError):
            errors.append(f"{path}.pattern: is not a valid regular expression")
    for key in ("minLength", "maxLength"):
        if key in schema and (type(schema[key]) is not int or schema[key] < 0):
            errors.append(f"{path}.{key}: must be a non-negative integer")
    for key in ("minimum", "maximum"):
        if key in schema and (type(schema[key]) not in (int, float)):
            errors.append(f"{path}.{key}: must be a number")
    if "enum" in schema and (not isinstance(schema["enum"], list) or not schema["enum"]):
        errors.append(f"{path}.enum: must be a non-empty list")
    if "additionalProperties" in schema and not isinstance(schema["additionalProperties"], bool):
        errors.append(f"{path}.additionalProperties: only true or false is supported")
    properties = schema.get("properties", {})
    if not isinstance(properties, Mapping):
        errors.append(f"{path}.properties: must be an object")
        properties = {}
    for name, sub in properties.items():
        errors += schema_errors(sub, f"{path}.properties.{name}", depth + 1)
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        errors.append(f"{path}.required: must be a list of property names")
    if "items" in schema:
        errors += schema_errors(schema["items"], f"{path}.items", depth + 1)
    return errors


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "integer":
        return type(value) is int or (type(value) is float and value.is_integer())
    if kind == "number":
        return type(value) in (int, float)
    python = {"object": Mapping, "string": str, "boolean": bool, "array": list, "null": type(None)}
    return isinstance(value, python[kind]) and not (kind != "boolean" and isinstance(value, bool))


def validate(schema: Mapping[str, Any], value: Any, path: str = "") -> list[str]:
    """Why ``value`` breaks ``schema`` (a schema ``schema_errors`` accepted); empty when valid."""
    where = path or "arguments"
    kind = schema.get("type")
    if kind is not None and not _type_ok(kind, value):
        return [f"{where}: must be of type {kind}"]
    errors: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: must be one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: must be at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: must be at most {schema['maxLength']} characters")
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            errors.append(f"{where}: must match {schema['pattern']}")
    if type(value) in (int, float):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: must be at most {schema['maximum']}")
    if isinstance(value, Mapping):
        properties = schema.get("properties", {})
        errors += [
            f"{path + '.' if path else ''}{r}: is required"
            for r in schema.get("required", [])
            if r not in value
        ]
        for key, item in value.items():
            sub_path = f"{path}.{key}" if path else str(key)
            if key in properties:
                errors += validate(properties[key], item, sub_path)
            elif schema.get("additionalProperties") is False:
                errors.append(f"{sub_path}: is not an accepted argument")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(schema["items"], item, f"{where}[{i}]")
    return errors
