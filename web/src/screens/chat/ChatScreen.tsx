/**
 * Chat with the tenant's agents, as customers will: the user's own sessions on the side (newest
 * first), the selected session's history, and a composer whose answer streams in token by
 * token with the answering agent, how it was routed, the tools it ran and the sources it cited.
 *
 * The selected session lives in the URL (`?session=`), so a conversation can be linked and
 * reloaded. A turn that starts a new session adopts it in place (the stream is not cut short).
 * Leaving the screen or switching sessions aborts a streaming turn; the API keeps its answer as
 * `interrupted`.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../../api/problem";
import { useUser } from "../../auth/AuthProvider";
import { formatDate } from "../../ui/format";
import { Alert, Empty, ErrorState, Loading } from "../../ui/States";
import { useAgentNames } from "./agentNames";
import { labelOf, SESSION_STATUSES, type Citation, type Routing, type ToolRun } from "./model";
import { settleTurn, useHistory, useSession, useSessionList, HISTORY_LIMIT } from "./queries";
import { ChatStreamError, streamChat, type ChatStreamEvent } from "./stream";
import { AgentBadge, Citations, MessageView, ToolCalls } from "./Turn";
import "./chat.css";

interface LiveTurn {
  question: string;
  answer: string;
  routing?: Routing;
  tools: ToolRun[];
  citations: Citation[];
  streaming: boolean;
  /** The session the finished turn is stored in: once it is shown, its history replaces this. */
  settledIn?: string;
}

interface Failure {
  error: unknown;
  question: string;
  retryable: boolean;
}

function applyEvent(turn: LiveTurn, event: ChatStreamEvent): LiveTurn {
  switch (event.type) {
    case "routing":
      return { ...turn, routing: event.routing };
    case "token":
      return { ...turn, answer: turn.answer + event.text };
    case "tool_call":
      return { ...turn, tools: [...turn.tools.filter((t) => t.id !== event.tool.id), event.tool] };
    case "tool_result":
      return {
        ...turn,
        tools: turn.tools.some((t) => t.id === event.tool.id)
          ? turn.tools.map((t) => (t.id === event.tool.id ? { ...t, ok: event.tool.ok, latencyMs: event.tool.latencyMs } : t))
          : [...turn.tools, event.tool],
      };
    case "citation":
      return { ...turn, citations: [...turn.citations, event.citation] };
    default:
      return turn;
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ChatStreamError) return error.retryable;
  if (error instanceof ApiError) return error.status === 429 || error.status >= 500;
  return true; // the network failed: sending again is safe (a new turn)
}

function LiveView({ turn }: { turn: LiveTurn }) {
  return (
    <>
      <li className="turn turn-user">
        <div className="turn-head">
          <span className="turn-role">You</span>
        </div>
        <p className="turn-text">{turn.question}</p>
      </li>
      <li className="turn turn-assistant" aria-busy={turn.streaming} data-testid="live-answer">
        <div className="turn-head">
          <span className="turn-role">Assistant</span>
          {turn.streaming && <span className="spinner" aria-hidden="true" />}
        </div>
        {turn.routing ? <AgentBadge routing={turn.routing} /> : <p className="muted small">Choosing an agent…</p>}
        <ToolCalls tools={turn.tools} />
        {turn.answer && <p className="turn-text">{turn.answer}</p>}
        <Citations citations={turn.citations} />
      </li>
    </>
  );
}

function Conversation({ tenant, sessionId, onStarted }: { tenant: string; sessionId: string | undefined; onStarted: (id: string) => void }) {
  const client = useQueryClient();
  const [live, setLive] = useState<LiveTurn | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [draft, setDraft] = useState("");
  const [announcement, setAnnouncement] = useState("");
  const abort = useRef<AbortController | null>(null);
  const mounted = useRef(true);
  const end = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  // A settled turn gives way to the history as soon as its session is the one shown (a new
  // chat's session is adopted through the URL, which applies a render later).
  const shown = live !== null && !(live.settledIn !== undefined && live.settledIn === sessionId) ? live : null;
  const session = useSession(tenant, sessionId);
  const history = useHistory(tenant, sessionId, shown !== null);
  const closed = session.data?.status === "closed";
  const busy = live !== null && live.settledIn === undefined;

  useEffect(() => {
    if (live?.settledIn !== undefined && live.settledIn === sessionId) setLive(null);
  }, [live, sessionId]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      abort.current?.abort();
    };
  }, []);

  // Follow the conversation as it grows (not on every re-read of an unchanged history).
  const length = history.data?.items.length;
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [shown?.answer, length]);

  async function send(question: string) {
    const controller = new AbortController();
    abort.current = controller;
    let started = sessionId;
    setFailure(null);
    setDraft("");
    setAnnouncement("Answering…");
    setLive({ question, answer: "", tools: [], citations: [], streaming: true });
    let error: unknown = null;
    try {
      const done = await streamChat(
        { tenantId: tenant, message: question, sessionId },
        (event) => {
          if (event.type === "session") started = event.sessionId;
          setLive((turn) => (turn ? applyEvent(turn, event) : turn));
        },
        controller.signal,
      );
      started = done.sessionId;
      setLive((turn) =>
        turn && {
          ...turn,
          answer: done.answer,
          routing: done.details.routing ?? turn.routing,
          tools: done.details.tools.length > 0 ? done.details.tools : turn.tools,
          citations: done.details.citations.length > 0 ? done.details.citations : turn.citations,
          streaming: false,
        },
      );
      setAnnouncement("Answer complete.");
    } catch (e) {
      if (!mounted.current) return; // left the screen: the stream was aborted on purpose
      if (!controller.signal.aborted) error = e;
      setAnnouncement(controller.signal.aborted ? "Stopped." : "The answer failed.");
    } finally {
      if (abort.current === controller) abort.current = null;
    }
    // The transcript is the record: show the turn from it, as stored (complete or not).
    if (started) {
      try {
        await settleTurn(client, tenant, started);
      } catch {
        // the history query shows its own error state
      }
    }
    if (!mounted.current) return;
    if (error !== null) {
      setFailure({ error, question, retryable: isRetryable(error) });
      if (!started) setDraft(question); // nothing was stored: the question is not lost
    }
    if (started) {
      setLive((turn) => turn && { ...turn, streaming: false, settledIn: started });
      if (started !== sessionId) onStarted(started);
    } else {
      setLive(null);
    }
    input.current?.focus();
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const question = draft.trim();
    if (!question || busy || closed) return;
    void send(question);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  const messages = sessionId ? history.data?.items ?? [] : [];
  return (
    <div className="chat-main">
      <div className="chat-log" aria-label="Conversation" role="region">
        {sessionId && history.isPending && !shown ? (
          <Loading label="Loading the conversation" />
        ) : sessionId && history.isError && !shown ? (
          <ErrorState error={history.error} onRetry={() => void history.refetch()} />
        ) : messages.length === 0 && !shown ? (
          <Empty title="Ask anything.">
            <p className="muted">The supervisor picks the agent that answers; you will see which one, and why.</p>
          </Empty>
        ) : (
          <>
            {history.data?.truncated && <p className="notice small">This conversation is long: it shows its first {HISTORY_LIMIT} messages. The Sessions screen pages through all of it.</p>}
            <ol className="turns">
              {messages.map((message) => (
                <MessageView key={message.id} message={message} />
              ))}
              {shown && <LiveView turn={shown} />}
            </ol>
          </>
        )}
        <div ref={end} />
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {failure && (
        <div className="chat-failure">
          <Alert error={failure.error} />
          {failure.retryable && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void send(failure.question)} disabled={busy || closed}>
              Try again
            </button>
          )}
        </div>
      )}
      {closed ? (
        <p className="notice">
          This session is closed. <Link to="/chat">Start a new chat</Link>.
        </p>
      ) : (
        <form className="composer" onSubmit={submit} aria-label="Send a message">
          <label htmlFor="chat-message" className="visually-hidden">
            Message
          </label>
          <textarea
            id="chat-message"
            ref={input}
            rows={2}
            value={draft}
            placeholder="Ask a question… (Enter to send, Shift+Enter for a new line)"
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            maxLength={20000}
            autoFocus
          />
          {busy ? (
            <button type="button" className="btn btn-secondary" onClick={() => abort.current?.abort()}>
              Stop
            </button>
          ) : (
            <button type="submit" className="btn btn-primary" disabled={!draft.trim()}>
              Send
            </button>
          )}
        </form>
      )}
    </div>
  );
}

function SessionList({ tenant, selected, onNew }: { tenant: string; selected: string | undefined; onNew: () => void }) {
  const sessions = useSessionList(tenant, { mine: true });
  const agents = useAgentNames();
  return (
    <aside className="chat-sessions" aria-labelledby="chat-sessions-title">
      <div className="chat-sessions-head">
        <h2 id="chat-sessions-title">Your sessions</h2>
        <button type="button" className="btn btn-primary btn-small" onClick={onNew}>
          New chat
        </button>
      </div>
      {sessions.isPending ? (
        <Loading label="Loading sessions" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : sessions.items.length === 0 ? (
        <p className="muted small">No sessions yet: your first question starts one.</p>
      ) : (
        <ul className="chat-session-list">
          {sessions.items.map((s) => (
            <li key={s.id}>
              <Link to={`/chat?session=${encodeURIComponent(s.id)}`} className="chat-session-link" aria-current={s.id === selected ? "page" : undefined}>
                <span>{formatDate(s.created_at)}</span>
                <span className="muted small">
                  {(s.agent && agents.get(s.agent)) || (s.agent ? "Agent chosen" : "New")}
                  {s.status !== "active" && ` · ${labelOf(SESSION_STATUSES, s.status)}`}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {sessions.hasNextPage && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => void sessions.fetchNextPage()} disabled={sessions.isFetchingNextPage}>
          {sessions.isFetchingNextPage ? "Loading…" : "Older sessions"}
        </button>
      )}
    </aside>
  );
}

export function ChatScreen() {
  const user = useUser();
  const tenant = user.tenant_id ?? "";
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const selected = params.get("session") ?? undefined;
  // A new conversation keeps its component (and its finishing stream) when it adopts the
  // session its first turn opened; every "New chat" starts a fresh one.
  const [adopted, setAdopted] = useState<string | null>(null);
  const [draftKey, setDraftKey] = useState(0);
  const key = selected === undefined || selected === adopted ? `draft-${draftKey}` : selected;

  return (
    <section className="page chat-page" aria-labelledby="chat-title">
      <header className="page-header">
        <div>
          <h1 id="chat-title">Chat</h1>
          <p className="muted">Talk to your agents the way your customers will.</p>
        </div>
      </header>
      <div className="chat-layout">
        <SessionList
          tenant={tenant}
          selected={selected}
          onNew={() => {
            setAdopted(null);
            setDraftKey((k) => k + 1);
            navigate("/chat");
          }}
        />
        <Conversation
          key={key}
          tenant={tenant}
          sessionId={selected}
          onStarted={(id) => {
            setAdopted(id);
            navigate(`/chat?session=${encodeURIComponent(id)}`, { replace: true });
          }}
        />
      </div>
    </section>
  );
}
