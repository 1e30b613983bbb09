/**
 * What a chat turn carries (API.md "Chat"): routing, tool runs, citations, usage, read
 * defensively from the stream's events and from a stored message's `metadata` (the schema
 * types both as open JSON). Unknown or malformed fields are dropped, never rendered raw.
 */
import type { components } from "../../api/schema";

export type ChatSession = components["schemas"]["SessionOut"];
export type ChatMessage = components["schemas"]["MessageOut"];

export interface Routing {
  agent: string;
  agentId?: string;
  method: string;
  confidence?: number;
}

export interface ToolRun {
  id: string;
  name: string;
  /** Arguments as the model sent them (JSON text), when known. */
  arguments?: string;
  /** Undefined while the tool is running. */
  ok?: boolean;
  latencyMs?: number;
}

export interface Citation {
  documentId: string;
  title: string;
  chunkId: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface TurnDetails {
  routing?: Routing;
  tools: ToolRun[];
  citations: Citation[];
  usage?: Usage;
  latencyMs?: number;
  provider?: string;
  model?: string;
  error?: string;
  handoff?: boolean;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function readRouting(value: unknown): Routing | undefined {
  const r = record(value);
  const agent = text(r?.agent);
  const method = text(r?.method);
  if (!r || !agent || !method) return undefined;
  return { agent, agentId: text(r.agent_id), method, confidence: number(r.confidence) };
}

export function readTool(value: unknown): ToolRun | undefined {
  const t = record(value);
  const name = text(t?.name);
  if (!t || !name) return undefined;
  const args = record(t.arguments);
  return {
    id: text(t.id) ?? name,
    name,
    arguments: args ? JSON.stringify(args) : undefined,
    ok: typeof t.ok === "boolean" ? t.ok : undefined,
    latencyMs: number(t.latency_ms),
  };
}

export function readCitation(value: unknown): Citation | undefined {
  const c = record(value);
  const documentId = text(c?.document_id);
  if (!c || !documentId) return undefined;
  return { documentId, title: text(c.title) || "Untitled document", chunkId: text(c.chunk_id) ?? "" };
}

function list<T>(value: unknown, read: (item: unknown) => T | undefined): T[] {
  return Array.isArray(value) ? value.map(read).filter((item): item is T => item !== undefined) : [];
}

/** The details of a turn from a message's (or a `done` event's) metadata. */
export function readDetails(metadata: unknown): TurnDetails {
  const m = record(metadata) ?? {};
  const usage = record(m.usage);
  const error = record(m.error);
  return {
    routing: readRouting(m.routing),
    tools: list(m.tools, readTool),
    citations: list(m.citations, readCitation),
    usage: usage
      ? {
          inputTokens: number(usage.input_tokens) ?? 0,
          outputTokens: number(usage.output_tokens) ?? 0,
          costUsd: number(usage.cost_usd) ?? 0,
        }
      : undefined,
    latencyMs: number(m.latency_ms),
    provider: text(m.provider),
    model: text(m.model),
    error: text(error?.message),
    handoff: m.handoff === true,
  };
}

/** How the supervisor chose the agent, in words (RoutingMethod of the core). */
export const ROUTING_METHODS: Record<string, string> = {
  rule: "rules",
  similarity: "similarity",
  llm: "classifier",
  sticky: "same agent as before",
  fallback: "fallback",
};

/** The label of `key` in `labels`, or `key` itself (never an inherited property). */
export function labelOf(labels: Record<string, string>, key: string): string {
  return Object.hasOwn(labels, key) ? labels[key]! : key;
}

export function methodLabel(method: string): string {
  return labelOf(ROUTING_METHODS, method);
}

export const SESSION_STATUSES: Record<string, string> = {
  active: "Active",
  waiting_for_human: "Waiting for a human",
  closed: "Closed",
};

export const MESSAGE_STATUSES: Record<string, string> = {
  pending: "In progress",
  complete: "Complete",
  interrupted: "Interrupted",
  failed: "Failed",
};
