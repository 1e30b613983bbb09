/**
 * One streamed chat turn: `POST /api/{tenant}/chat` with `Accept: text/event-stream`, read with
 * `fetch` and a stream reader (EventSource cannot POST or send a bearer token).
 *
 * The request goes through `authFetch`, so an expired access token is refreshed (once,
 * single-flight) and the request replayed before any event is read. Errors found before the
 * turn starts come back as a plain problem+json answer: they raise an `ApiError`. Once the
 * stream runs, it ends with exactly one `done` (resolved) or `error` event (raised as a
 * `ChatStreamError` carrying the problem and `retryable`); a stream that stops without either
 * is raised as a retryable `ChatStreamError` too, and so is one that goes silent for `idleMs`
 * (the API writes a `: ping` every 15 s, so silence means a dead connection). Aborting the
 * signal (the screen unmounted, the user pressed Stop) cancels the read and raises the fetch's
 * `AbortError`.
 */
import { authFetch } from "../../api/client";
import { ApiError, toProblem, type Problem } from "../../api/problem";
import { readCitation, readDetails, readRouting, readTool, type Citation, type Routing, type ToolRun, type TurnDetails } from "./model";
import { SseParser, type SseFrame } from "./sse";

export interface ChatDone {
  answer: string;
  agent: string;
  sessionId: string;
  messageId: string;
  details: TurnDetails;
}

export type ChatStreamEvent =
  | { type: "session"; sessionId: string; messageId: string }
  | { type: "routing"; routing: Routing }
  | { type: "token"; text: string }
  | { type: "tool_call"; tool: ToolRun }
  | { type: "tool_result"; tool: ToolRun }
  | { type: "citation"; citation: Citation };

export class ChatStreamError extends ApiError {
  readonly retryable: boolean;

  constructor(problem: Problem, retryable: boolean) {
    super(problem);
    this.name = "ChatStreamError";
    this.retryable = retryable;
  }
}

const CUT_OFF: Problem = {
  type: "about:blank",
  title: "Bad Gateway",
  status: 502,
  detail: "The answer was cut off before it finished. Try again.",
};

const STALLED: Problem = {
  type: "about:blank",
  title: "Gateway Timeout",
  status: 504,
  detail: "The answer stopped arriving. Try again.",
};

/** Three missed heartbeats (the API pings every 15 s). */
export const IDLE_MS = 45_000;

function parseData(frame: SseFrame): unknown {
  try {
    return JSON.parse(frame.data);
  } catch {
    return undefined;
  }
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** An event of the stream as the app uses it; null for a frame it does not know (skipped). */
export function toStreamEvent(frame: SseFrame): ChatStreamEvent | ChatDone | ChatStreamError | null {
  const data = parseData(frame);
  const body = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  switch (frame.event) {
    case "session":
      return { type: "session", sessionId: str(body.session_id), messageId: str(body.message_id) };
    case "routing": {
      const routing = readRouting(body);
      return routing ? { type: "routing", routing } : null;
    }
    case "token":
      return typeof body.text === "string" ? { type: "token", text: body.text } : null;
    case "tool_call":
    case "tool_result": {
      const tool = readTool(body);
      return tool ? { type: frame.event, tool } : null;
    }
    case "citation": {
      const citation = readCitation(body);
      return citation ? { type: "citation", citation } : null;
    }
    case "done":
      return {
        answer: str(body.response),
        agent: str(body.agent),
        sessionId: str(body.session_id),
        messageId: str(body.message_id),
        details: readDetails(body.metadata),
      };
    case "error":
      return new ChatStreamError(toProblem(typeof body.status === "number" ? body.status : 500, body), body.retryable === true);
    default:
      return null;
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = (response.headers.get("content-type") ?? "").includes("json") ? await response.json() : undefined;
  } catch {
    body = undefined;
  }
  return new ApiError(toProblem(response.status, body));
}

export interface ChatRequest {
  tenantId: string;
  message: string;
  sessionId?: string;
}

export async function streamChat(
  { tenantId, message, sessionId }: ChatRequest,
  onEvent: (event: ChatStreamEvent) => void,
  signal: AbortSignal,
  idleMs = IDLE_MS,
): Promise<ChatDone> {
  const request = new Request(`${window.location.origin}/api/${encodeURIComponent(tenantId)}/chat`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify({ message, session_id: sessionId ?? null, stream: true }),
    signal,
  });
  const response = await authFetch(request);
  if (!response.ok) throw await problemOf(response);
  if (!response.body || !(response.headers.get("content-type") ?? "").includes("text/event-stream")) throw new ChatStreamError(CUT_OFF, true);

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", onAbort);
  let stalled = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      stalled = true;
      onAbort();
    }, idleMs);
  };
  try {
    for (;;) {
      watch();
      const { value, done } = await reader.read();
      signal.throwIfAborted();
      if (stalled) throw new ChatStreamError(STALLED, true);
      const frames = done ? parser.push(decoder.decode()) : parser.push(decoder.decode(value, { stream: true }));
      for (const frame of frames) {
        const event = toStreamEvent(frame);
        if (event instanceof ChatStreamError) throw event;
        if (event && "answer" in event) return event;
        if (event) onEvent(event);
      }
      if (done) {
        parser.end();
        throw new ChatStreamError(CUT_OFF, true);
      }
    }
  } finally {
    clearTimeout(idle);
    signal.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
