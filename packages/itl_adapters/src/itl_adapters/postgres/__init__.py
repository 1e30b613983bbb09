"""PostgreSQL + pgvector adapters, with tenant isolation enforced by row-level security.

``database`` (the pool and the tenant/platform units of work), ``migrate`` (schema migrations
and the runtime login role), ``errors`` (driver errors to domain errors), and one repository
module per aggregate.
"""

from itl_adapters.postgres.agents import PgAgentRepository
from itl_adapters.postgres.database import (
    Database,
    UnsafeDatabaseRole,
    assert_runtime_role_is_safe,
    open_database,
)
from itl_adapters.postgres.knowledge import PgDocumentRepository
from itl_adapters.postgres.migrate import RUNTIME_GROUP, ensure_runtime_login, migrate
from itl_adapters.postgres.refresh_tokens import PgRefreshTokenRepository
from itl_adapters.postgres.sessions import PgMessageRepository, PgSessionRepository
from itl_adapters.postgres.tenants import PgTenantRepository
from itl_adapters.postgres.tools import PgToolSpecRepository
from itl_adapters.postgres.users import PgUserRepository
from itl_adapters.postgres.widgets import PgWidgetConfigRepository

__all__ = [
    "RUNTIME_GROUP",
    "Database",
    "PgAgentRepository",
    "PgDocumentRepository",
    "PgMessageRepository",
    "PgRefreshTokenRepository",
    "PgSessionRepository",
    "PgTenantRepository",
    "PgToolSpecRepository",
    "PgUserRepository",
    "PgWidgetConfigRepository",
    "UnsafeDatabaseRole",
    "assert_runtime_role_is_safe",
    "ensure_runtime_login",
    "migrate",
    "open_database",
]
