"""The ``http`` tool kind: a tenant's own API, called through the guarded client.

A run: validate the model's arguments against the tool's JSON schema (bad arguments: an
``is_error`` outcome and no request), fill the URL template, open the sealed secret headers,
read the tenant's egress allow-list, call through ``GuardedHttpClient``, and hand the model only
the configured response fields. Secret values never appear in an outcome (an upstream that
echoes one back is redacted) nor in a log line (only tool name, host, status, latency).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

from itl_core.errors import DomainError, ValidationFailed
from itl_core.llm.model import ToolDefinition
from itl_core.security.ports import SecretBox, secret_context
from itl_core.tenants.ports import TenantRepository
from itl_core.tools.egress import EgressAllowList
from itl_core.tools.http_config import BODYLESS, HttpToolConfig, http_config_errors, select_fields
from itl_core.tools.json_schema import validate
from itl_core.tools.model import ToolKind, ToolSpec
from itl_core.tools.ports import Tool, ToolContext, ToolOutcome

from itl_adapters.tools.guarded_http import FetchResult, GuardedHttpClient

__all__ = ["HttpTool", "HttpToolBuilder"]

log = logging.getLogger(__name__)
REDACTED = "[redacted]"


class HttpTool:
    def __init__(
        self,
        spec: ToolSpec,
        client: GuardedHttpClient,
        secrets: SecretBox,
        tenants: TenantRepository,
    ) -> None:
        self._spec, self._client, self._secrets, self._tenants = spec, client, secrets, tenants
        self._config = HttpToolConfig.parse(spec.config)
        self._definition = ToolDefinition(
            name=spec.name, description=spec.description, parameters=self._config.parameters
        )

    @property
    def definition(self) -> ToolDefinition:
        return self._definition

    async def run(self, arguments: Mapping[str, Any], context: ToolContext) -> ToolOutcome:
        if context.tenant_id != self._spec.tenant_id:  # a wiring bug, never a model's doing
            raise AssertionError("an http tool ran for another tenant")
        problems = validate(self._config.parameters, dict(arguments))
        if problems:
            return _error(f"The arguments are not valid: {'; '.join(problems)}.")
        try:
            url, rest = self._config.render(arguments)
        except ValueError as e:
            return _error(f"The arguments are not valid: {e}.")
        started = time.perf_counter()
        secrets: dict[str, str] = {}
        try:
            secrets = self._open_secrets()
            result = await self._client.fetch(
                self._config.method,
                url,
                allow=await self._allow_list(),
                headers={**self._config.headers, **secrets},
                json_body=(rest or None) if self._config.method not in BODYLESS else None,
                timeout_s=self._config.timeout_s,
                max_bytes=self._config.max_response_bytes,
            )
        except DomainError as e:
            log.info("http tool %s refused or failed: %s", self._spec.name, type(e).__name__)
            return _error(_redact(f"The {self._spec.name} call failed: {e.message}", secrets))
        latency_ms = round((time.perf_counter() - started) * 1000)
        log.info("http tool %s -> %s in %d ms", self._spec.name, result.status, latency_ms)
        return self._outcome(result, secrets, latency_ms)

    def _open_secrets(self) -> dict[str, str]:
        spec = self._spec
        return {
            name: self._secrets.open(
                ciphertext, context=secret_context(spec.tenant_id, "tool", spec.id, name)
            )
            for name, ciphertext in spec.sealed_secrets.items()
        }

    async def _allow_list(self) -> EgressAllowList:
        tenant = await self._tenants.get(self._spec.tenant_id)
        return EgressAllowList.from_settings(tenant.settings if tenant else {})

    def _outcome(
        self, result: FetchResult, secrets: Mapping[str, str], latency_ms: int
    ) -> ToolOutcome:
        try:
            document: Any = json.loads(result.body)
        except (ValueError, UnicodeDecodeError):
            document = None
        if self._config.response_fields:
            if document is None:
                return _error(
                    f"The {self._spec.name} call answered {result.status}"
                    " with a body that is not JSON."
                )
            selected: Any = select_fields(document, self._config.response_fields)
        else:
            selected = document if document is not None else result.body.decode("utf-8", "replace")
        payload = json.loads(
            _redact(json.dumps({"status": result.status, "result": selected}), secrets)
        )
        return ToolOutcome(
            content=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            is_error=result.status >= 400,
            data={**payload, "latency_ms": latency_ms},
        )


def _error(message: str) -> ToolOutcome:
    return ToolOutcome(content=message, is_error=True)


def _redact(text: str, secrets: Mapping[str, str]) -> str:
    """Remove every secret value, raw or JSON-escaped, from ``text``."""
    for value in secrets.values():
        for form in {value, json.dumps(value)[1:-1]}:
            if form:
                text = text.replace(form, REDACTED)
    return text


class HttpToolBuilder:
    """Builds ``HttpTool``s (a ``ToolFactory`` for ``http`` specs); ValidationFailed otherwise."""

    def __init__(
        self, client: GuardedHttpClient, secrets: SecretBox, tenants: TenantRepository
    ) -> None:
        self._client, self._secrets, self._tenants = client, secrets, tenants

    def build(self, spec: ToolSpec) -> Tool:
        if spec.kind is not ToolKind.HTTP:
            raise ValidationFailed.single("kind", f"'{spec.kind}' tools are not built here")
        if errors := http_config_errors(spec.config, list(spec.sealed_secrets)):
            raise ValidationFailed(errors)
        return HttpTool(spec, self._client, self._secrets, self._tenants)
