/**
 * How a turn is shown, in the chat and in transcripts: the agent badge (agent, routing method,
 * confidence), tool calls, citations, and the message text. Everything from the API or the
 * model is rendered as text (React escapes it); nothing is ever set as HTML.
 */
import { formatDate } from "../../ui/format";
import { labelOf, MESSAGE_STATUSES, methodLabel, readDetails, type ChatMessage, type Citation, type Routing, type ToolRun, type TurnDetails } from "./model";

export function AgentBadge({ routing }: { routing: Routing }) {
  const confidence = routing.confidence !== undefined ? ` · ${Math.round(routing.confidence * 100)}% confidence` : "";
  return (
    <p className="agent-badge">
      <span className="badge badge-supervisor">{routing.agent}</span>
      <span className="muted small">
        routed by {methodLabel(routing.method)}
        {confidence}
      </span>
    </p>
  );
}

function toolOutcome(tool: ToolRun): string {
  if (tool.ok === undefined) return "running…";
  const latency = tool.latencyMs !== undefined ? ` · ${tool.latencyMs} ms` : "";
  return `${tool.ok ? "ok" : "failed"}${latency}`;
}

export function ToolCalls({ tools }: { tools: readonly ToolRun[] }) {
  if (tools.length === 0) return null;
  return (
    <div className="turn-extra">
      <p className="turn-extra-title">Tool calls</p>
      <ul className="turn-list">
        {tools.map((tool) => (
          <li key={tool.id}>
            <code>{tool.name}</code>
            {tool.arguments && <code className="tool-args">{tool.arguments}</code>}
            <span className={tool.ok === false ? "tool-failed small" : "muted small"}>{toolOutcome(tool)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Citations({ citations }: { citations: readonly Citation[] }) {
  if (citations.length === 0) return null;
  return (
    <div className="turn-extra">
      <p className="turn-extra-title">Sources</p>
      <ol className="turn-list">
        {citations.map((citation) => (
          <li key={`${citation.documentId}/${citation.chunkId}`}>
            {citation.title} <span className="muted small">({citation.documentId})</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Usage, latency, model: the operator's view of a turn. */
export function TurnFacts({ details }: { details: TurnDetails }) {
  const facts: string[] = [];
  if (details.provider || details.model) facts.push([details.provider, details.model].filter(Boolean).join(" · "));
  if (details.usage) facts.push(`${details.usage.inputTokens} in / ${details.usage.outputTokens} out tokens`, `$${details.usage.costUsd.toFixed(4)}`);
  if (details.latencyMs !== undefined) facts.push(`${details.latencyMs} ms`);
  if (details.handoff) facts.push("handed to a human");
  if (facts.length === 0) return null;
  return <p className="muted small turn-facts">{facts.join(" · ")}</p>;
}

function StatusBadge({ status }: { status: string }) {
  if (status === "complete") return null;
  const tone = status === "failed" ? "badge badge-danger" : "badge badge-warn";
  return <span className={tone}>{labelOf(MESSAGE_STATUSES, status)}</span>;
}

/** One stored message. `facts`: also show usage, latency and the model (transcripts). */
export function MessageView({ message, facts = false }: { message: ChatMessage; facts?: boolean }) {
  const mine = message.role === "user";
  const details = mine ? undefined : readDetails(message.metadata);
  return (
    <li className={mine ? "turn turn-user" : "turn turn-assistant"}>
      <div className="turn-head">
        <span className="turn-role">{mine ? "You" : message.role === "assistant" ? "Assistant" : "System"}</span>
        <time className="muted small" dateTime={message.created_at}>
          {formatDate(message.created_at)}
        </time>
        <StatusBadge status={message.status} />
      </div>
      {details?.routing && <AgentBadge routing={details.routing} />}
      {details && <ToolCalls tools={details.tools} />}
      {message.content ? <p className="turn-text">{message.content}</p> : !mine && <p className="muted small">No answer text.</p>}
      {details?.error && <p className="tool-failed small">Error: {details.error}</p>}
      {details && <Citations citations={details.citations} />}
      {details && facts && <TurnFacts details={details} />}
    </li>
  );
}
