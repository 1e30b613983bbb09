/**
 * The chat and sessions routes of the fake API (`fakeApi.ts` delegates to this), on the real
 * wire format: `POST /api/{tenant}/chat` answers Server-Sent Events (`session`, `routing`,
 * `tool_call`, `tool_result`, `token`..., `citation`, then `done` or `error`, with `: ping`
 * comments), written in small chunks that split frames, lines and CRLFs anywhere, as a network
 * may. A test can hold the stream after its first tokens (`hold()`), script a failure
 * (`failWith`), and see whether the client aborted (`aborted`).
 */
import type { components } from "../api/schema";

type User = components["schemas"]["UserOut"];
type Session = components["schemas"]["SessionOut"];
type Message = components["schemas"]["MessageOut"];

const TOKENS = ["Shipment ", "ITL-123456 ", "is ", "in ", "transit ", "to ", "Rotterdam."];
export const ROUTING = { agent: "Shipment Tracking", agent_id: "a-shipment-tracking", method: "rule", confidence: 1 };

function problemResponse(status: number, detail: string): Response {
  const body = { type: "about:blank", title: "Error", status, detail };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json" } });
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`;
}

/** `text` cut into pieces of `size` characters: frames, lines and CRLFs end up split. */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export class FakeChat {
  sessions: (Session & { owner: string })[] = [];
  messages = new Map<string, Message[]>();
  /** The next turn ends with this `error` event (after its first tokens) instead of `done`. */
  failWith: { status: number; detail: string; retryable: boolean } | null = null;
  /** The query of every session list request, in order. */
  listQueries: URLSearchParams[] = [];
  /** Set when a client aborted a stream in flight. */
  aborted = false;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private serial = 0;

  /** Stop the next streams after their first tokens until `release()`. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  addSession(owner: User, extra: Partial<Session> = {}): Session & { owner: string } {
    const at = new Date(Date.UTC(2026, 0, 5, 10, this.serial)).toISOString();
    const session = { id: `s-${++this.serial}`, status: "active", agent: null, channel: "web", created_at: at, updated_at: at, owner: owner.id, ...extra };
    this.sessions.push(session);
    this.messages.set(session.id, []);
    return session;
  }

  addMessage(sessionId: string, role: "user" | "assistant", content: string, metadata: Record<string, unknown> = {}, status = "complete"): Message {
    const message = { id: `m-${++this.serial}`, role, content, agent: role === "assistant" ? ROUTING.agent_id : null, status, created_at: new Date(Date.UTC(2026, 0, 5, 11, this.serial)).toISOString(), metadata };
    this.messages.get(sessionId)!.push(message);
    return message;
  }

  private readable(me: User, id: string): (Session & { owner: string }) | undefined {
    const staff = me.role === "tenant_admin" || me.role === "operator";
    return this.sessions.find((s) => s.id === id && (staff || s.owner === me.id));
  }

  /** The answer to a chat or sessions route, or null for any other path. */
  route(request: Request, url: URL, me: User, body: any): Response | null {
    const base = url.pathname.match(/^\/api\/([^/]+)\/(chat|sessions)(?:\/([^/]+))?(?:\/(messages|close))?$/);
    if (!base) return null;
    const [, tenant, kind, id, sub] = base;
    if (tenant !== me.tenant_id) return problemResponse(404, "The tenant does not exist.");
    if (kind === "chat" && request.method === "POST") return this.chat(request, me, body);
    if (kind !== "sessions") return null;
    if (!id && request.method === "GET") return this.list(url, me);
    const session = id ? this.readable(me, id) : undefined;
    if (!session) return problemResponse(404, "The session does not exist.");
    if (!sub && request.method === "GET") return json(session);
    if (sub === "messages") return json({ items: this.messages.get(session.id) ?? [], next_cursor: null });
    if (sub === "close" && request.method === "POST") {
      session.status = "closed";
      return json(session);
    }
    return null;
  }

  private list(url: URL, me: User): Response {
    const q = url.searchParams;
    this.listQueries.push(new URLSearchParams(q));
    const staff = me.role === "tenant_admin" || me.role === "operator";
    const own = q.get("mine") === "true" || !staff;
    let items = this.sessions.filter(
      (s) =>
        (!own || s.owner === me.id) &&
        (!q.get("agent_id") || s.agent === q.get("agent_id")) &&
        (!q.get("status") || s.status === q.get("status")),
    );
    if (q.get("order") === "newest") items = [...items].reverse();
    return json({ items: items.map(({ owner: _owner, ...s }) => s), next_cursor: null });
  }

  private chat(request: Request, me: User, body: { message: string; session_id?: string | null }): Response {
    let session = body.session_id ? this.readable(me, body.session_id) : this.addSession(me);
    if (!session || session.owner !== me.id) return problemResponse(404, "The session does not exist.");
    if (session.status === "closed") return problemResponse(409, "This session is closed.");
    session.agent = ROUTING.agent_id;
    this.addMessage(session.id, "user", body.message);
    const failure = this.failWith;
    this.failWith = null;
    const tools = [{ id: "call-1", name: "track_shipment", ok: true, latency_ms: 12 }];
    const citations = [{ document_id: "doc-1", title: "Tracking guide", chunk_id: "c-1" }];
    const answer = TOKENS.join("");
    const metadata = { routing: ROUTING, tools, citations, usage: { input_tokens: 30, output_tokens: 7, cost_usd: 0 }, latency_ms: 40, provider: "offline", model: "offline-1" };
    const head =
      ": ping\r\n\r\n" +
      frame("session", { session_id: session.id, message_id: `m-${this.serial + 1}` }) +
      frame("routing", ROUTING) +
      frame("tool_call", { id: "call-1", name: "track_shipment", arguments: { number: "ITL-123456" } }) +
      frame("tool_result", { id: "call-1", name: "track_shipment", ok: true, latency_ms: 12 }) +
      TOKENS.slice(0, 2).map((text) => frame("token", { text })).join("");
    const tail = failure
      ? frame("error", { type: "about:blank", title: "Error", status: failure.status, detail: failure.detail, retryable: failure.retryable })
      : TOKENS.slice(2).map((text) => frame("token", { text })).join("") + frame("citation", citations[0]) + frame("done", { response: answer, agent: ROUTING.agent, session_id: session.id, message_id: `m-${this.serial + 1}`, metadata });
    const stored = failure ? TOKENS.slice(0, 2).join("") : answer;
    const gate = this.gate;
    const encoder = new TextEncoder();
    const signal = request.signal;
    const chunks = pieces(head, 29);
    const rest = pieces(tail, 41);
    const settle = () => this.addMessage(session!.id, "assistant", stored, failure ? { routing: ROUTING, error: { type: "Upstream", message: failure.detail } } : metadata, failure ? "failed" : "complete");
    const stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (signal.aborted) {
          this.aborted = true;
          controller.error(new DOMException("The operation was aborted.", "AbortError"));
          return;
        }
        if (chunks.length === 0 && rest.length > 0) {
          if (gate) await Promise.race([gate, new Promise((resolve) => signal.addEventListener("abort", resolve))]);
          if (signal.aborted) {
            this.aborted = true;
            controller.error(new DOMException("The operation was aborted.", "AbortError"));
            return;
          }
          chunks.push(...rest.splice(0));
        }
        const next = chunks.shift();
        if (next === undefined) {
          controller.close();
          return;
        }
        if (chunks.length === 0 && rest.length === 0) settle(); // stored before `done` goes out, as the API does
        controller.enqueue(encoder.encode(next));
      },
      cancel: () => {
        this.aborted = true;
      },
    });
    return new Response(stream, { status: 200, headers: { "content-type": "text/event-stream; charset=utf-8" } });
  }
}
