"""The use cases' half of the composition root: every use case as a provider, fed from the
``infra`` and ``repos`` containers that ``itl_adapters.containers.Application`` passes in.

Kept apart from the adapters' wiring (``containers``): this module says which ports each use
case gets, that one which adapter stands behind each port.
"""

from __future__ import annotations

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
from itl_adapters.observability.chat import ObservedChatTurn
from itl_adapters.observability.tracing import (
    maybe_traced_resolver,
    maybe_traced_tool_factory,
    maybe_traced_turn,
)
from itl_adapters.resources import (
    model_resolver_resource,
)
from itl_adapters.settings import Settings
from itl_adapters.tools.factory import HANDOFF_BUILDERS, KindToolFactory
from itl_adapters.tools.http_tool import HttpToolBuilder

__all__ = ["UseCases"]


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
