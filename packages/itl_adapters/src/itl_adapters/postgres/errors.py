"""The one place where psycopg errors become domain errors.

``Database.tenant()`` and ``Database.platform()`` wrap every unit of work in
``translate_errors()``, so repositories never catch driver errors themselves:

- unique violation          -> Conflict (message chosen by constraint name)
- foreign-key violation     -> ValidationFailed (missing tenant) or NotFound (missing parent row)
- data errors (NUL bytes, wrong vector size, out-of-range numbers) -> ValidationFailed
- statement timeout         -> UpstreamUnavailable("database statement timed out")
- connection/pool failures  -> UpstreamUnavailable("database unavailable")

RLS ``WITH CHECK`` violations are deliberately NOT translated: repositories always write in the
row's own tenant, so one can only come from a bug, and a bug should surface as one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from itl_core.errors import (
    Conflict,
    DomainError,
    NotFound,
    UpstreamUnavailable,
    ValidationFailed,
)
from psycopg import errors as pg

__all__ = ["translate_errors"]

_CONFLICTS = {
    "tenants_pkey": "A tenant with this id already exists.",
    "users_email_key": "A user with this email already exists.",
    "agents_name_key": "An agent with this name already exists.",
    "agents_one_active_supervisor_key": "The tenant already has an active supervisor.",
    "tool_specs_name_key": "A tool with this name already exists.",
    "knowledge_documents_hash_key": "A document with the same content already exists.",
    "refresh_tokens_hash_key": "This refresh token is already stored.",
}

_MISSING_PARENTS: dict[str, DomainError] = {
    "messages_session_fkey": NotFound("The session does not exist."),
    "knowledge_chunks_document_fkey": NotFound("The document does not exist."),
    "refresh_tokens_user_id_fkey": NotFound("The user does not exist."),
}


def _conflict(e: pg.UniqueViolation) -> Conflict:
    name = e.diag.constraint_name or ""
    if name in _CONFLICTS:
        return Conflict(_CONFLICTS[name])
    if name.endswith("_pkey"):
        return Conflict("A record with this id already exists.")
    return Conflict()


def _missing_parent(e: pg.ForeignKeyViolation) -> DomainError:
    name = e.diag.constraint_name or ""
    if name in _MISSING_PARENTS:
        known = _MISSING_PARENTS[name]
        return type(known)(known.message)
    if name.endswith("_tenant_id_fkey"):
        return ValidationFailed.single("tenant_id", "the tenant does not exist")
    return ValidationFailed.single("reference", "refers to a record that does not exist")


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise driver errors raised inside the block as domain errors (``from`` the original)."""
    try:
        yield
    except pg.UniqueViolation as e:
        raise _conflict(e) from e
    except pg.ForeignKeyViolation as e:
        raise _missing_parent(e) from e
    except psycopg.DataError as e:
        raise ValidationFailed.single("input", "contains a value the database cannot store") from e
    except pg.QueryCanceled as e:
        raise UpstreamUnavailable("database statement timed out") from e
    except psycopg.OperationalError as e:  # includes psycopg_pool.PoolTimeout
        raise UpstreamUnavailable("database unavailable") from e
