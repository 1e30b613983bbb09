"""The one composition root: dependency-injector containers shared by both apps and the CLI.

``Application(settings=...)`` wires everything from settings::

    Application
     ├── infra          clock, ids, keys, tokens, hasher, secret box,
     │                  database (Resource: pool), redis (Resource: client), cache, rate limiter
     ├── repositories   one Factory per repository port (PostgreSQL)
     └── use_cases      one Factory per use case, fed from the two above

Tests override ``repositories`` (and parts of ``infra``) with in-memory fakes: see
``itl_adapters.memory.container``. Pools and clients are Resources (async generators with
cleanup), opened by ``init_resources()`` in the app's lifespan and closed by
``shutdown_resources()``. A provider that depends on an async Resource returns an awaitable;
``resolve`` awaits only when needed, so a sync fake can replace an async Resource.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from dependency_injector import containers, providers
from itl_core.agents import use_cases as agents
from itl_core.auth import use_cases as auth
from itl_core.chat import sessions as chat_sessions
from itl_core.chat.turn import ChatTurn
from itl_core.jobs import use_cases as jobs
from itl_core.jobs.runner import JobRunner
from itl_core.knowledge import embedding as knowledge_embedding
from itl_core.knowledge import ingest as knowledge_ingest
from itl_core.knowledge import use_cases as knowledge
from itl_core.provider_keys import use_cases as provider_keys
from itl_core.quotas import use_cases as quotas
from itl_core.routing import SupervisorRouter
from itl_core.tenants import use_cases as tenants
from itl_core.tools import use_cases as tools
from itl_core.tools.model import ToolKind
from itl_core.tools.rag import RagToolBuilder
from itl_core.tools.registry import ToolRegistry
from itl_core.usage import use_cases as usage_reports
from itl_core.users import use_cases as users
from itl_core.widgets import limits as widget_limits
from itl_core.widgets import use_cases as widget_admin
from itl_core.widgets import visitors as widget_visitors

from itl_adapters.background import job_handlers, optional_index_scheduler
from itl_adapters.cache import (
    CacheAwareTransactions,
    CachedAgentRepository,
    CachedProviderKeyRepository,
    CachedSessionRepository,
    CachedToolSpecRepository,
    CachedWidgetConfigRepository,
    ConfigCache,
    SessionCache,
)
from itl_adapters.knowledge.parsers import FileParser
from itl_adapters.llm.embedders import default_embedding_catalog, provider_embedders_resource
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.memory.ratelimit import InMemoryRateLimiter
from itl_adapters.observability.chat import ObservedChatTurn
from itl_adapters.observability.tracing import (
    maybe_traced_resolver,
    maybe_traced_tool_factory,
    maybe_traced_turn,
    process_tracing,
)
from itl_adapters.postgres import (
    PgAgentRepository,
    PgDocumentRepository,
    PgMessageRepository,
    PgRefreshTokenRepository,
    PgSessionRepository,
    PgTenantRepository,
    PgToolSpecRepository,
    PgUserRepository,
    PgWidgetConfigRepository,
)
from itl_adapters.postgres.database import PgTransactions
from itl_adapters.postgres.embeddings import PgEmbeddingStore
from itl_adapters.postgres.jobs import PgJobQueue
from itl_adapters.postgres.knowledge import EMBEDDING_DIMENSIONS
from itl_adapters.postgres.knowledge_search import PgKnowledgeSearch
from itl_adapters.postgres.provider_keys import PgProviderKeyRepository
from itl_adapters.postgres.tenant_indexing import optional_tenant_indexer
from itl_adapters.postgres.usage import PgUsageLedger
from itl_adapters.postgres.usage_reports import PgUsageReports
from itl_adapters.ratelimit import BreakerRateLimiter, FailOpenRateLimiter
from itl_adapters.redis.breaker import CircuitBreaker
from itl_adapters.redis.cache import RedisCache
from itl_adapters.redis.idempotency import RedisIdempotencyStore
from itl_adapters.redis.ratelimit import RedisRateLimiter
from itl_adapters.resources import (
    database_resource,
    jwt_service,
    key_material,
    model_resolver_resource,
    redis_resource,
    resolve,
)
from itl_adapters.security.passwords import Argon2PasswordHasher
from itl_adapters.security.secretbox import FernetSecretBox
from itl_adapters.settings import Settings
from itl_adapters.system import SystemClock, UuidGenerator
from itl_adapters.tools.factory import HANDOFF_BUILDERS, KindToolFactory
from itl_adapters.tools.guarded_http import GuardedHttpClient
from itl_adapters.tools.http_tool import HttpToolBuilder

__all__ = ["Application", "Infrastructure", "Repositories", "UseCases", "resolve"]


class Infrastructure(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(UuidGenerator)
    keys = providers.Singleton(key_material, settings)
    tokens = providers.Singleton(jwt_service, settings, keys, clock)
    hasher = providers.Singleton(Argon2PasswordHasher)
    secret_box = providers.Singleton(FernetSecretBox, keys.provided.secret_keys)
    database = providers.Resource(database_resource, settings)
    redis = providers.Resource(redis_resource, settings)
    cache = providers.Singleton(RedisCache, redis)
    # Agent/tool/widget configs, shared by every worker (see itl_adapters.cache.versioned).
    config_cache = providers.Singleton(
        ConfigCache, cache, ttl_seconds=settings.provided.config_cache_ttl
    )
    # Session records for the reads outside the chat turn (polling, widget transcripts), shared
    # by every worker (see itl_adapters.cache.sessions).
    session_cache = providers.Singleton(
        SessionCache, cache, ttl_seconds=settings.provided.session_cache_ttl
    )
    # One breaker for the one Redis: all its users share its health (itl_adapters.redis.breaker).
    redis_breaker = providers.Singleton(
        CircuitBreaker,
        failures=settings.provided.redis_breaker_failures,
        cooldown=settings.provided.redis_breaker_cooldown,
    )
    # Fails closed (login): Redis down -> UpstreamUnavailable -> 503, at once while circuit is open.
    rate_limiter = providers.Singleton(
        BreakerRateLimiter, providers.Singleton(RedisRateLimiter, redis, clock), redis_breaker
    )
    # Fails open onto this process's limiter (every other route, chat included): a Factory, so a
    # test's override of ``rate_limiter`` takes effect; the local limiter keeps its state.
    local_rate_limiter = providers.Singleton(InMemoryRateLimiter, clock)
    open_rate_limiter = providers.Factory(FailOpenRateLimiter, rate_limiter, local_rate_limiter)
    outbound_http = providers.Singleton(GuardedHttpClient)  # THE client for tenant/model URLs
    idempotency = providers.Singleton(RedisIdempotencyStore, redis)
    embedder = providers.Singleton(OfflineEmbedder)  # routing, and the default knowledge model
    # OpenTelemetry, when an OTLP endpoint is set (else None: nothing is traced or imported).
    tracing = providers.Singleton(process_tracing, settings)
    words_embedder = providers.Singleton(OfflineEmbedder, EMBEDDING_DIMENSIONS, char_trigrams=False)
    document_parser = providers.Singleton(FileParser)


class Repositories(containers.DeclarativeContainer):
    infra = providers.DependenciesContainer()
    tenants = providers.Factory(PgTenantRepository, infra.database)
    users = providers.Factory(PgUserRepository, infra.database)
    refresh_tokens = providers.Factory(PgRefreshTokenRepository, infra.database)
    agents = providers.Factory(
        CachedAgentRepository,
        providers.Factory(PgAgentRepository, infra.database),
        infra.config_cache,
    )
    tools = providers.Factory(
        CachedToolSpecRepository,
        providers.Factory(PgToolSpecRepository, infra.database),
        infra.config_cache,
    )
    # Read through the session cache outside transactions; writes invalidate it, inside a
    # transaction once it ended (``transactions`` below), so the two are wired together.
    sessions = providers.Factory(
        CachedSessionRepository,
        providers.Factory(PgSessionRepository, infra.database),
        infra.session_cache,
    )
    messages = providers.Factory(PgMessageRepository, infra.database)
    # Groups a use case's calls of one tenant into one transaction (the chat turn's three).
    transactions = providers.Factory(
        CacheAwareTransactions,
        providers.Factory(
            PgTransactions,
            infra.database,
            sync_commit=infra.settings.provided.chat_sync_commit,
        ),
        infra.session_cache,
    )
    widgets = providers.Factory(
        CachedWidgetConfigRepository,
        providers.Factory(PgWidgetConfigRepository, infra.database),
        infra.config_cache,
    )
    documents = providers.Factory(PgDocumentRepository, infra.database)
    jobs = providers.Factory(PgJobQueue, infra.database)
    # None without a schema-owner URL: then no tenant gets its own indexes (tenant_indexing).
    tenant_indexer = providers.Factory(optional_tenant_indexer, infra.database, infra.settings)
    provider_keys = providers.Factory(
        CachedProviderKeyRepository,
        providers.Factory(PgProviderKeyRepository, infra.database),
        infra.config_cache,
    )
    usage = providers.Factory(PgUsageLedger, infra.database)
    usage_reports = providers.Factory(PgUsageReports, infra.database)
    # The models tenants may choose for their knowledge (itl_core.knowledge.embedding); the
    # providers' ones use the tenant's key, so they come after ``provider_keys``.
    provider_embedders = providers.Resource(
        provider_embedders_resource, infra.settings, keys=provider_keys, box=infra.secret_box
    )
    embedding_models = providers.Factory(
        default_embedding_catalog,
        infra.embedder,
        infra.words_embedder,
        provider_embedders,
        index_dimensions=EMBEDDING_DIMENSIONS,
    )
    # Each tenant's knowledge is embedded and searched with its active model.
    embeddings = providers.Factory(PgEmbeddingStore, infra.database)
    tenant_embedders = providers.Factory(
        knowledge_embedding.TenantEmbedders, embeddings, embedding_models
    )
    model_search = providers.Factory(functools.partial, PgKnowledgeSearch, infra.database)
    knowledge_search = providers.Factory(
        knowledge_embedding.ActiveModelSearch, model_search, tenant_embedders
    )


class UseCases(containers.DeclarativeContainer):
    """Every use case by the name handlers ask for it (``NamedDependency``)."""

    infra = providers.DependenciesContainer()
    repos = providers.DependenciesContainer()
    settings = providers.Dependency(instance_of=Settings)

    auth_policy = providers.Singleton(
        auth.AuthPolicy,
        refresh_ttl=providers.Factory(timedelta, seconds=settings.provided.refresh_token_ttl),
    )
    login = providers.Factory(
        auth.Login,
        users=repos.users,
        hasher=infra.hasher,
        refresh_tokens=repos.refresh_tokens,
        issuer=infra.tokens,
        limiter=infra.rate_limiter,
        clock=infra.clock,
        ids=infra.ids,
        policy=auth_policy,
    )
    refresh_tokens = providers.Factory(
        auth.RefreshTokens,
        users=repos.users,
        refresh_tokens=repos.refresh_tokens,
        issuer=infra.tokens,
        clock=infra.clock,
        ids=infra.ids,
        policy=auth_policy,
    )
    logout = providers.Factory(auth.Logout, refresh_tokens=repos.refresh_tokens, clock=infra.clock)
    current_user = providers.Factory(auth.GetCurrentUser, users=repos.users)

    # Queues re-embedding when a tenant's embedding model changes (itl_core.knowledge.embedding).
    reembed_scheduler = providers.Factory(
        knowledge_embedding.ReembedScheduler,
        models=repos.embedding_models,
        store=repos.embeddings,
        jobs=repos.jobs,
        clock=infra.clock,
        ids=infra.ids,
    )
    create_tenant = providers.Factory(
        tenants.CreateTenant, tenants=repos.tenants, clock=infra.clock, embedding=reembed_scheduler
    )
    get_tenant = providers.Factory(tenants.GetTenant, tenants=repos.tenants)
    list_tenants = providers.Factory(tenants.ListTenants, tenants=repos.tenants)
    update_tenant = providers.Factory(
        tenants.UpdateTenant, tenants=repos.tenants, clock=infra.clock, embedding=reembed_scheduler
    )
    delete_tenant = providers.Factory(tenants.DeleteTenant, tenants=repos.tenants)

    create_user = providers.Factory(
        users.CreateUser,
        users=repos.users,
        tenants=repos.tenants,
        hasher=infra.hasher,
        clock=infra.clock,
        ids=infra.ids,
    )
    get_user = providers.Factory(users.GetUser, users=repos.users)
    list_users = providers.Factory(users.ListUsers, users=repos.users)
    update_user = providers.Factory(
        users.UpdateUser, users=repos.users, hasher=infra.hasher, clock=infra.clock
    )
    delete_user = providers.Factory(users.DeleteUser, users=repos.users)

    create_agent = providers.Factory(
        agents.CreateAgent, agents=repos.agents, tools=repos.tools, clock=infra.clock, ids=infra.ids
    )
    get_agent = providers.Factory(agents.GetAgent, agents=repos.agents)
    list_agents = providers.Factory(agents.ListAgents, agents=repos.agents)
    update_agent = providers.Factory(
        agents.UpdateAgent, agents=repos.agents, tools=repos.tools, clock=infra.clock
    )
    replace_agent = providers.Factory(
        agents.ReplaceAgent, agents=repos.agents, tools=repos.tools, clock=infra.clock
    )
    delete_agent = providers.Factory(agents.DeleteAgent, agents=repos.agents)

    http_tools = providers.Factory(
        HttpToolBuilder, client=infra.outbound_http, secrets=infra.secret_box, tenants=repos.tenants
    )
    create_tool = providers.Factory(
        tools.CreateTool, tools=repos.tools, box=infra.secret_box, clock=infra.clock, ids=infra.ids
    )
    get_tool = providers.Factory(tools.GetTool, tools=repos.tools)
    list_tools = providers.Factory(tools.ListTools, tools=repos.tools)
    update_tool = providers.Factory(
        tools.UpdateTool, tools=repos.tools, box=infra.secret_box, clock=infra.clock
    )
    replace_tool = providers.Factory(
        tools.ReplaceTool, tools=repos.tools, box=infra.secret_box, clock=infra.clock
    )
    delete_tool = providers.Factory(tools.DeleteTool, tools=repos.tools, agents=repos.agents)
    rag_tools = providers.Factory(RagToolBuilder, search=repos.knowledge_search)
    # The knowledge base: ingestion, documents, search (itl_core.knowledge).
    index_scheduler = providers.Factory(
        optional_index_scheduler,
        indexer=repos.tenant_indexer,
        jobs=repos.jobs,
        clock=infra.clock,
        ids=infra.ids,
    )
    ingest_document = providers.Factory(
        knowledge_ingest.IngestDocument,
        documents=repos.documents,
        parser=infra.document_parser,
        embedders=repos.tenant_embedders,
        clock=infra.clock,
        ids=infra.ids,
        max_bytes=settings.provided.max_upload_bytes,
        indexes=index_scheduler,
    )
    list_documents = providers.Factory(knowledge.ListDocuments, documents=repos.documents)
    get_document = providers.Factory(knowledge.GetDocument, documents=repos.documents)
    delete_document = providers.Factory(knowledge.DeleteDocument, documents=repos.documents)
    search_knowledge = providers.Factory(knowledge.SearchKnowledge, search=repos.knowledge_search)
    get_embedding_settings = providers.Factory(
        knowledge_embedding.GetEmbeddingSettings,
        tenants=repos.tenants,
        store=repos.embeddings,
        models=repos.embedding_models,
    )
    change_embedding_model = providers.Factory(
        knowledge_embedding.ChangeEmbeddingModel,
        tenants=repos.tenants,
        store=repos.embeddings,
        models=repos.embedding_models,
        scheduler=reembed_scheduler,
        clock=infra.clock,
    )
    # Background jobs (itl_core.jobs): the status routes, and the runner the worker loop drives
    # (one handler per job kind).
    list_jobs = providers.Factory(jobs.ListJobs, jobs=repos.jobs)
    get_job = providers.Factory(jobs.GetJob, jobs=repos.jobs)
    reembed_tenant = providers.Factory(
        knowledge_embedding.ReembedTenant,
        tenants=repos.tenants,
        store=repos.embeddings,
        models=repos.embedding_models,
        clock=infra.clock,
        indexes=index_scheduler,
    )
    job_runner = providers.Factory(
        JobRunner,
        queue=repos.jobs,
        handlers=providers.Factory(
            job_handlers, reembed=reembed_tenant, indexer=repos.tenant_indexer
        ),
        clock=infra.clock,
        lease=providers.Factory(timedelta, seconds=settings.provided.job_lease_seconds),
    )
    # One builder per tool kind; a new kind is one line here (see itl_adapters.tools.factory).
    tool_factory = providers.Singleton(
        KindToolFactory,
        providers.Dict(
            {
                **HANDOFF_BUILDERS,
                ToolKind.HTTP: http_tools.provided.build,
                ToolKind.RAG: rag_tools.provided.build,
            }
        ),
    )
    test_tool = providers.Factory(tools.TestTool, tools=repos.tools, factory=tool_factory)

    # The embeddable widget: admin configuration, visitor sessions, limits of public traffic.
    widget_policy = providers.Singleton(widget_limits.WidgetPolicy)
    widget_stream_slots = providers.Singleton(widget_limits.StreamSlots)
    get_widget_config = providers.Factory(
        widget_admin.GetWidgetConfig,
        widgets=repos.widgets,
        tenants=repos.tenants,
        clock=infra.clock,
    )
    update_widget_config = providers.Factory(
        widget_admin.UpdateWidgetConfig,
        widgets=repos.widgets,
        tenants=repos.tenants,
        clock=infra.clock,
    )
    rotate_widget_identity_secret = providers.Factory(
        widget_admin.RotateIdentitySecret,
        widgets=repos.widgets,
        tenants=repos.tenants,
        clock=infra.clock,
        box=infra.secret_box,
    )
    widget_configs = providers.Factory(
        widget_visitors.WidgetConfigs,
        widgets=repos.widgets,
        tenants=repos.tenants,
        clock=infra.clock,
    )
    start_visitor_session = providers.Factory(
        widget_visitors.StartVisitorSession,
        configs=widget_configs,
        issuer=infra.tokens,
        box=infra.secret_box,
        limiter=infra.open_rate_limiter,
        clock=infra.clock,
        policy=widget_policy,
    )
    list_visitor_messages = providers.Factory(
        widget_visitors.ListVisitorMessages, sessions=repos.sessions, messages=repos.messages
    )
    admit_widget_chat = providers.Factory(
        widget_limits.AdmitWidgetChat,
        limiter=infra.open_rate_limiter,
        slots=widget_stream_slots,
        policy=widget_policy,
    )

    list_provider_keys = providers.Factory(provider_keys.ListProviderKeys, keys=repos.provider_keys)
    put_provider_key = providers.Factory(
        provider_keys.PutProviderKey,
        keys=repos.provider_keys,
        box=infra.secret_box,
        clock=infra.clock,
    )
    delete_provider_key = providers.Factory(
        provider_keys.DeleteProviderKey, keys=repos.provider_keys
    )
    # A Resource, not an infra provider: it reads keys and tenants through the (overridable)
    # repositories, and closes its cached provider clients at shutdown.
    model_resolver = providers.Resource(
        model_resolver_resource,
        settings,
        keys=repos.provider_keys,
        tenants=repos.tenants,
        box=infra.secret_box,
    )

    # Fair use (itl_core.quotas): each request's rate limits (RateLimitMiddleware calls
    # ``admit_request``) and the tenants' budgets (the chat turn calls ``budget_guard``).
    tenant_quotas = providers.Singleton(quotas.TenantQuotas, repos.tenants)
    admit_request = providers.Factory(
        quotas.AdmitRequest, limiter=infra.open_rate_limiter, quotas=tenant_quotas
    )
    budget_guard = providers.Factory(
        quotas.BudgetGuard, ledger=repos.usage, quotas=tenant_quotas, clock=infra.clock
    )
    # Usage reports (itl_core.usage): tokens and cost per day and agent, for the admin console.
    get_usage_report = providers.Factory(
        usage_reports.GetUsageReport, reports=repos.usage_reports, clock=infra.clock
    )

    # The chat (itl_core.chat): one turn, and the sessions routes. Model calls, tool runs and
    # turns are spans when tracing is on (itl_adapters.observability.tracing).
    traced_resolver = providers.Factory(maybe_traced_resolver, model_resolver, infra.tracing)
    router = providers.Singleton(
        SupervisorRouter, embedder=infra.embedder, resolver=traced_resolver
    )
    tool_registry = providers.Factory(
        ToolRegistry,
        specs=repos.tools,
        factory=providers.Factory(maybe_traced_tool_factory, tool_factory, infra.tracing),
    )
    chat_turn_core = providers.Factory(
        ChatTurn,
        sessions=repos.sessions,
        messages=repos.messages,
        agents=repos.agents,
        router=router,
        resolver=traced_resolver,
        tools=tool_registry,
        clock=infra.clock,
        ids=infra.ids,
        budget=budget_guard,
        transactions=repos.transactions,
    )
    # The turn as served: measured from its events (itl_adapters.observability.chat).
    chat_turn = providers.Factory(
        maybe_traced_turn,
        providers.Factory(ObservedChatTurn, chat_turn_core, tools=repos.tools),
        infra.tracing,
    )
    list_sessions = providers.Factory(chat_sessions.ListSessions, sessions=repos.sessions)
    get_session = providers.Factory(chat_sessions.GetSession, sessions=repos.sessions)
    list_messages = providers.Factory(
        chat_sessions.ListMessages, sessions=repos.sessions, messages=repos.messages
    )
    close_session = providers.Factory(
        chat_sessions.CloseSession, sessions=repos.sessions, clock=infra.clock
    )


class Application(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    infra = providers.Container(Infrastructure, settings=settings)
    repositories = providers.Container(Repositories, infra=infra)
    use_cases = providers.Container(UseCases, infra=infra, repos=repositories, settings=settings)
