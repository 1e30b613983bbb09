"""The chat turn: a message goes in, the right agent answers, and nothing is lost.

``ChatTurn.execute(request)`` is an async generator of ``ChatEvent``s (see ``events``):

1. The message is checked (1..``max_message_chars`` characters, not blank), the session is
   loaded (someone else's, or another tenant's: ``NotFound``; closed: ``Conflict``) or opened,
   and the tenant's agents are loaded (none active: ``Conflict``). These errors RAISE from the
   first ``__anext__()``, before any event, so an HTTP edge can still answer a plain 4xx.
2. The user message is stored, and the assistant's answer as ``pending`` (no agent yet),
   before any model is called.
3. The supervisor routes (one hop). A routing failure settles the answer as ``failed`` and
   raises (still before any event). ``SessionStarted`` and ``Routed`` go out.
4. The agent runs (``AgentRun``), its events go out as they happen.
5. The assistant message is settled, exactly once, with its agent and metadata:
   ``complete`` (then ``Done``), ``failed`` when the provider failed after our retries (then
   ``Failed``), or ``interrupted`` when the consumer went away (``aclose()``, cancellation:
   settled in a ``finally``, shielded from the cancellation). The session takes the agent
   that answered (the next turn's sticky choice) and, after a handoff, waits for a human.

The store sees two transactions of the turn's own (``Transactions.atomic``): steps 1-2 (a
request error stores nothing) and step 5 (the usage, the answer and the session's new state
together; ``SessionRepository.after_turn`` applies the turn's mark to the session as it is
then, so a change made meanwhile, such as closing it, is kept). The first is committed before
any model call but does not wait for the disk (``durable=False``): the settlement's durable
commit makes the whole turn durable, so what a database crash can lose is a turn that had not
finished anyway. Nothing is written between routing and the first token. The budget's check
runs before the first transaction and its tenant read before the last: each may read the
tenant, a platform-scoped query on a connection of its own, and a turn holding one pooled
connection while waiting for another could starve the pool under load.
The model sees the newest messages of the session (``MessageRepository.recent``), never a
paging of the whole transcript.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itl_core.agents.model import Agent, AgentKind
from itl_core.agents.ports import AgentRepository
from itl_core.chat.actor import Actor
from itl_core.chat.events import ChatEvent, ChatResult, Done, Failed, Routed, SessionStarted
from itl_core.chat.history import window
from itl_core.chat.limits import TurnLimits
from itl_core.chat.pricing import cost_usd
from itl_core.chat.runner import AgentRun
from itl_core.clock import Clock
from itl_core.errors import Conflict, DomainError, NotFound, ValidationFailed
from itl_core.ids import IdGenerator
from itl_core.llm.model import ChatMessage
from itl_core.llm.ports import ChatModelResolver, ResolvedModel
from itl_core.pagination import MAX_LIMIT, PageRequest, decode_cursor
from itl_core.quotas.use_cases import BudgetGuard
from itl_core.routing.model import RoutingDecision
from itl_core.routing.router import SupervisorRouter
from itl_core.sessions.model import (
    ChatSession,
    Message,
    MessageRole,
    MessageStatus,
    SessionStatus,
)
from itl_core.sessions.ports import MessageRepository, SessionRepository
from itl_core.tools.ports import Tool, ToolContext
from itl_core.tools.registry import ToolRegistry
from itl_core.transactions import NoTransactions, Transactions

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatTurnRequest:
    """``session_id`` None opens a new session; the tenant and owner come from ``actor``."""

    actor: Actor
    message: str
    session_id: str | None = None


class ChatTurn:
    """Runs one chat turn; see the module docstring for the contract."""

    def __init__(
        self,
        *,
        sessions: SessionRepository,
        messages: MessageRepository,
        agents: AgentRepository,
        router: SupervisorRouter,
        resolver: ChatModelResolver,
        tools: ToolRegistry,
        clock: Clock,
        ids: IdGenerator,
        limits: TurnLimits | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        budget: BudgetGuard | None = None,
        transactions: Transactions | None = None,
    ) -> None:
        self._sessions, self._messages, self._agents = sessions, messages, agents
        self._transactions = transactions or NoTransactions()
        self._router, self._resolver, self._tools = router, resolver, tools
        self._clock, self._ids, self._monotonic = clock, ids, monotonic
        self._limits = limits or TurnLimits()
        self._budget = budget  # None: no budgets (e.g. embedders' own tests)

    async def execute(self, request: ChatTurnRequest) -> AsyncIterator[ChatEvent]:
        started = self._monotonic()
        actor, text = request.actor, request.message
        tenant_id = actor.tenant_id
        if not text.strip() or len(text) > self._limits.max_message_chars:
            raise ValidationFailed.single(
                "message", f"must be 1 to {self._limits.max_message_chars} characters, not blank"
            )
        # One transaction: the request's checks, and the user message stored before any model
        # call (routing may call one). A request error rolls it all back (no empty session).
        # Not waiting for the log flush here and below: the settlement's durable commit flushes
        # these with it (see the module docstring).
        if self._budget is not None:  # a spent budget refuses the turn before anything runs
            await self._budget.check(tenant_id)
        # Read (from the configuration cache) before the transaction: its statements then go
        # to the database together.
        domain, supervisor = await self._active_agents(tenant_id)
        async with self._transactions.atomic(tenant_id, durable=False):
            session = await self._session_for(actor, request.session_id)  # 404 comes first
            if not domain and supervisor is None:
                raise Conflict("No active agent can answer; an administrator must add one.")
            earlier = (
                []
                if request.session_id is None
                # Every other message may be one the model does not see (a failed answer).
                else await self._messages.recent(
                    tenant_id, session.id, 2 * self._limits.history_messages + 1
                )
            )
            user_message = Message(
                id=self._ids.new_id(),
                tenant_id=tenant_id,
                session_id=session.id,
                role=MessageRole.USER,
                content=text,
                status=MessageStatus.COMPLETE,
                created_at=_after(self._clock.now(), earlier[-1].created_at if earlier else None),
            )
            await self._messages.add(user_message)
            # Stored now, with no agent yet: routing may call a model, and the answer must
            # exist before any model call, so that every end (even a failed routing) settles it.
            answer = Message(
                id=self._ids.new_id(),
                tenant_id=tenant_id,
                session_id=session.id,
                role=MessageRole.ASSISTANT,
                content="",
                status=MessageStatus.PENDING,
                created_at=_after(self._clock.now(), user_message.created_at),
            )
            await self._messages.add(answer)

        settle = _Settlement(
            self._messages,
            self._sessions,
            self._transactions,
            self._clock,
            tenant_id,
            session.id,
            answer.id,
            self._budget,
        )
        setting_up: asyncio.Future[tuple[ResolvedModel, dict[str, Tool]]] | None = None
        try:
            try:
                decision = await self._router.route(
                    text, agents=domain, supervisor=supervisor, current_agent_id=session.agent_id
                )
            except Exception as error:  # raised before any event: a plain problem answer
                await settle(MessageStatus.FAILED, self._latency(started), error)
                raise
            settle.decision, agent = decision, decision.agent
            # The agent's model and tools (a cache read each) are looked up while the first two
            # events go out to the client.
            setting_up = asyncio.ensure_future(self._model_and_tools(tenant_id, agent))
            yield SessionStarted(session_id=session.id, message_id=answer.id)
            yield Routed(
                agent_id=agent.id,
                agent_name=agent.name,
                method=decision.method.value,
                confidence=decision.confidence,
            )
            try:
                settle.resolved, tools = await setting_up
                settle.run = run = AgentRun(
                    agent=agent,
                    model=settle.resolved,
                    history=[*window(earlier, self._limits), ChatMessage.user(text)],
                    tools=tools,
                    context=ToolContext(
                        tenant_id=tenant_id, session_id=session.id, agent_id=agent.id
                    ),
                    limits=self._limits,
                )
                async for event in run.events():
                    yield event
            except DomainError as error:
                await settle(MessageStatus.FAILED, self._latency(started), error)
                yield Failed(error=error, retryable=bool(getattr(error, "retryable", False)))
                return
            except Exception as error:  # a bug: log it, but still settle and tell the client
                logger.exception("chat turn failed")
                await settle(MessageStatus.FAILED, self._latency(started), error)
                yield Failed(error=DomainError(), retryable=False)
                return
            metadata = await settle(MessageStatus.COMPLETE, self._latency(started))
            yield Done(
                result=ChatResult(
                    response=run.text,
                    agent=agent.name,
                    agent_id=agent.id,
                    session_id=session.id,
                    message_id=answer.id,
                    metadata=metadata,
                )
            )
        finally:
            if setting_up is not None and not setting_up.done():
                setting_up.cancel()  # the consumer left before the model was needed
            elif setting_up is not None and not setting_up.cancelled():
                setting_up.exception()  # read, so a lookup that failed meanwhile is not logged
            if not settle.done:
                # The consumer went away (aclose or cancellation): keep what was generated.
                await asyncio.shield(settle(MessageStatus.INTERRUPTED, self._latency(started)))

    async def _model_and_tools(
        self, tenant_id: str, agent: Agent
    ) -> tuple[ResolvedModel, dict[str, Tool]]:
        return (
            await self._resolver.for_agent(tenant_id, agent),
            await self._tools.for_agent(tenant_id, agent),
        )

    def _latency(self, started: float) -> int:
        return round((self._monotonic() - started) * 1000)

    async def _session_for(self, actor: Actor, session_id: str | None) -> ChatSession:
        if session_id is not None:
            session = await self._sessions.get(actor.tenant_id, session_id)
            if session is None or not actor.owns(session):
                raise NotFound("The session does not exist.")
            if session.status is SessionStatus.CLOSED:
                raise Conflict("The session is closed; start a new one.")
            return session
        now = self._clock.now()
        session = ChatSession(
            id=self._ids.new_id(),
            tenant_id=actor.tenant_id,
            channel=actor.channel,
            status=SessionStatus.ACTIVE,
            user_id=actor.user_id,
            visitor_id=actor.visitor_id,
            created_at=now,
            updated_at=now,
        )
        await self._sessions.add(session)
        return session

    async def _active_agents(self, tenant_id: str) -> tuple[list[Agent], Agent | None]:
        """The active domain agents in a stable order (oldest first), and the supervisor."""
        agents: list[Agent] = []
        page = PageRequest(limit=MAX_LIMIT)
        while True:
            batch = await self._agents.list(tenant_id, page)
            agents.extend(a for a in batch.items if a.is_active)
            if batch.next_cursor is None:
                break
            page = PageRequest(limit=MAX_LIMIT, after=decode_cursor(batch.next_cursor))
        domain = [a for a in agents if a.kind is AgentKind.DOMAIN]
        supervisor = next((a for a in agents if a.is_active_supervisor), None)
        return domain, supervisor


def _after(now: datetime, previous: datetime | None) -> datetime:
    """``now``, or just after ``previous``: a transcript is ordered by ``created_at``, and a
    coarse clock (or a fast turn) must not put two messages of a session at the same instant."""
    if previous is None or now > previous:
        return now
    return previous + timedelta(microseconds=1)


class _Settlement:
    """Finishes the assistant message exactly once, with the metadata of what happened, in one
    unit with the turn's usage and the session's new state (its agent; waiting for a human
    after a handoff)."""

    def __init__(
        self,
        messages: MessageRepository,
        sessions: SessionRepository,
        transactions: Transactions,
        clock: Clock,
        tenant_id: str,
        session_id: str,
        message_id: str,
        budget: BudgetGuard | None = None,
    ) -> None:
        self._messages, self._sessions, self._transactions = messages, sessions, transactions
        self._clock, self._budget = clock, budget
        self._tenant_id, self._session_id, self._message_id = tenant_id, session_id, message_id
        self.decision: RoutingDecision | None = None
        self.run: AgentRun | None = None
        self.resolved: ResolvedModel | None = None
        self.done = False
        self._recorded = False

    async def __call__(
        self, status: MessageStatus, latency_ms: int, error: BaseException | None = None
    ) -> Mapping[str, Any]:
        self.done = True
        metadata = self.metadata(latency_ms, error)
        agent_id = self.decision.agent.id if self.decision is not None else None
        try:
            if self._budget is not None:
                # Read the tenant's budget now, not inside the unit below: that read takes a
                # pooled connection of its own, and the unit already holds one.
                await self._budget.prepare(self._tenant_id)
            async with self._transactions.atomic(self._tenant_id):
                if self._budget is not None and not self._recorded:  # failed turns count too
                    usage = metadata["usage"]
                    tokens = usage["input_tokens"] + usage["output_tokens"]
                    warning = await self._budget.record(self._tenant_id, tokens, usage["cost_usd"])
                    if warning is not None:
                        metadata["budget_warning"] = warning
                await self._messages.finish(
                    self._tenant_id,
                    self._message_id,
                    status=status,
                    content=self.run.text if self.run is not None else "",
                    metadata=metadata,
                    agent_id=agent_id,
                )
                await self._sessions.after_turn(
                    self._tenant_id,
                    self._session_id,
                    agent_id=agent_id,
                    handoff=self.run is not None and self.run.handoff,
                    at=self._clock.now(),
                )
            self._recorded = True  # once, even if the message is settled again
        except asyncio.CancelledError:
            self.done = False  # not settled: the turn's finally settles it as interrupted
            raise
        return metadata

    def metadata(self, latency_ms: int, error: BaseException | None) -> dict[str, Any]:
        run, resolved = self.run, self.resolved
        provider = resolved.provider if resolved else None
        model = resolved.model if resolved else None
        usage = {"input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}
        if run is not None and resolved is not None:
            usage = {
                "input_tokens": run.usage.input_tokens,
                "output_tokens": run.usage.output_tokens,
                "cost_usd": cost_usd(resolved.provider, resolved.model, run.usage),
            }
        metadata: dict[str, Any] = {
            "routing": self.decision.as_metadata() if self.decision is not None else None,
            "tools": list(run.tools) if run else [],
            "citations": [
                {"document_id": c.document_id, "title": c.title, "chunk_id": c.chunk_id}
                for c in (run.citations if run else [])
            ],
            "usage": usage,
            "latency_ms": latency_ms,
            "provider": provider,
            "model": model,
        }
        if run is not None and run.stopped:
            metadata["stopped"] = run.stopped
        if run is not None and run.handoff:
            metadata["handoff"] = True
        if error is not None:
            message = (
                error.message if isinstance(error, DomainError) else DomainError.default_message
            )
            metadata["error"] = {"type": type(error).__name__, "message": message}
        return metadata
