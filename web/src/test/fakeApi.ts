/**
 * A small in-memory fake of the REST API (the routes the app calls), installed as `fetch`.
 *
 * It speaks the real wire format: JSON bodies, problem+json errors with `detail` and
 * `errors[{field, message}]`, bearer tokens that it can expire on demand, refresh tokens that
 * rotate and are spent on use. Tests drive the app against it instead of mocking modules.
 */
import { vi } from "vitest";
import type { components } from "../api/schema";
import { FakeChat } from "./fakeChat";
import { FakeWidgetUsage } from "./fakeWidgetUsage";

type Agent = components["schemas"]["AgentOut"];
type User = components["schemas"]["UserOut"];
type Tenant = components["schemas"]["TenantOut"];
type Tool = components["schemas"]["ToolOut"];
type KnowledgeDocument = components["schemas"]["DocumentOut"];

const NOW = "2026-01-05T10:00:00Z";

export function user(email: string, role: string, tenant_id: string | null = "demo"): User {
  return { id: `u-${email}`, email, role, tenant_id, is_active: true, created_at: NOW, updated_at: NOW };
}

export function agent(name: string, extra: Partial<Agent> = {}): Agent {
  return {
    id: `a-${name.toLowerCase().replace(/\W+/g, "-")}`,
    name,
    kind: "domain",
    description: `${name} answers.`,
    system_prompt: "",
    provider: "offline",
    model: "offline-1",
    temperature: 0.2,
    max_tokens: 1024,
    tool_ids: [],
    routing: { keywords: [], patterns: [], examples: [], priority: 0 },
    is_active: true,
    created_at: NOW,
    updated_at: NOW,
    ...extra,
  };
}

export function tool(name: string, extra: Partial<Tool> = {}): Tool {
  return {
    id: `t-${name}`,
    name,
    kind: "http",
    description: `${name} looks things up.`,
    config: { method: "GET", url: "https://carrier.example/track/{number}", parameters: { type: "object", properties: { number: { type: "string", pattern: "^ITL-[0-9]{6}$" } }, required: ["number"] }, headers: {}, timeout_s: 10, max_response_bytes: 262144, response_fields: [] },
    secret_names: [],
    created_at: NOW,
    updated_at: NOW,
    ...extra,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

export function problem(status: number, detail: string, errors?: { field: string; message: string }[]): Response {
  const body = { type: "about:blank", title: "Error", status, detail, ...(errors ? { errors } : {}) };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json" } });
}

export class FakeApi {
  users = new Map<string, { user: User; password: string }>();
  agents: Agent[] = [agent("Concierge", { kind: "supervisor" }), agent("Shipment Tracking")];
  tenants: Tenant[] = [{ id: "demo", name: "Demo Logistics", settings: {}, created_at: NOW, updated_at: NOW }];
  /** Access tokens the fake honours, and the user each one names. */
  access = new Map<string, User>();
  /** Live refresh tokens (spent on use). */
  refresh = new Map<string, User>();
  /** Stored provider keys, whole (the fake's secret); the API answers only their last four. */
  providerKeys = new Map<string, string>();
  tools: Tool[] = [tool("track_shipment", { secret_names: ["X-Api-Key"] })];
  /** Secret header values by tool id (the fake's secret); the API answers only their names. */
  toolSecrets = new Map<string, Record<string, string>>([["t-track_shipment", { "X-Api-Key": "stored-secret-value" }]]);
  /** Arguments of every tool test call, in order. */
  toolTests: { id: string; arguments: Record<string, unknown> }[] = [];
  documents: KnowledgeDocument[] = [];
  /** Each document's text, for the fake's search (every word of the query must appear). */
  documentText = new Map<string, string>();
  /** Document id -> list reads left before a "processing" document turns ready. */
  processing = new Map<string, number>();
  /** How many list reads a new upload stays "processing" for (0: ready at once). */
  processingReads = 0;
  calls: string[] = [];
  /** Chat turns (streamed) and sessions: see fakeChat.ts. */
  chat = new FakeChat();
  /** Widget configuration and usage reports: see fakeWidgetUsage.ts. */
  widgetUsage = new FakeWidgetUsage();
  /** The next answer to a path, overriding the fake's own (for error states). */
  overrides = new Map<string, () => Response>();
  private serial = 0;

  constructor() {
    this.addUser(user("admin@demo.local", "tenant_admin"), "demo-password-1");
    this.addUser(user("member@demo.local", "member"), "member-password-1");
    this.addUser(user("admin@itl.local", "platform_admin", null), "platform-password-1");
  }

  addUser(u: User, password: string): void {
    this.users.set(u.email, { user: u, password });
  }

  /** Make every access token invalid, as if they all expired. */
  expireAccessTokens(): void {
    this.access.clear();
  }

  /** Refuse every refresh token, as after a logout elsewhere or a revoked family. */
  revokeRefreshTokens(): void {
    this.refresh.clear();
  }

  /** A refresh token the fake honours, as if a sign-in earlier in this tab had kept it. */
  grantRefresh(email: string): string {
    const token = `r-${++this.serial}`;
    this.refresh.set(token, this.users.get(email)!.user);
    return token;
  }

  private pair(u: User) {
    const access_token = `a-${++this.serial}`;
    const refresh_token = `r-${++this.serial}`;
    this.access.set(access_token, u);
    this.refresh.set(refresh_token, u);
    return { access_token, refresh_token, token_type: "bearer", expires_in: 900, user: u };
  }

  fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname}`;
    this.calls.push(key);
    const override = this.overrides.get(key);
    if (override) {
      this.overrides.delete(key);
      return override();
    }
    const body = request.method === "GET" || request.method === "DELETE" ? undefined : await readBody(request);
    if (key === "POST /api/auth/login") {
      const found = this.users.get(body.email);
      if (!found || found.password !== body.password) return problem(401, "Invalid email or password.");
      return json(200, this.pair(found.user));
    }
    if (key === "POST /api/auth/refresh") {
      const u = this.refresh.get(body.refresh_token);
      if (!u) return problem(401, "Sign in again.");
      this.refresh.delete(body.refresh_token);
      return json(200, this.pair(u));
    }
    if (key === "POST /api/auth/logout") {
      this.refresh.delete(body.refresh_token);
      return new Response(null, { status: 204 });
    }
    const bearer = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    const me = this.access.get(bearer);
    if (!me) return problem(401, "Send a valid bearer token.");
    return this.chat.route(request, url, me, body) ?? this.route(key, url, me, body);
  };

  private route(key: string, url: URL, me: User, body: any): Response {
    if (key === "GET /api/auth/me") return json(200, me);
    if (key === "GET /api/admin/agents") return json(200, { items: this.agents, next_cursor: null });
    if (key === "POST /api/admin/agents") {
      if (body.kind === "supervisor" && body.is_active && this.agents.some((a) => a.kind === "supervisor" && a.is_active))
        return problem(409, "'Concierge' is already the active supervisor; deactivate it first.");
      if (body.temperature > 2) return problem(422, "temperature: must be between 0 and 2.0", [{ field: "temperature", message: "must be between 0 and 2.0" }]);
      const created = agent(body.name, { ...body, id: `a-${++this.serial}` });
      this.agents.push(created);
      return json(201, created);
    }
    const agentMatch = url.pathname.match(/^\/api\/admin\/agents\/([^/]+)$/);
    if (agentMatch) {
      const found = this.agents.find((a) => a.id === agentMatch[1]);
      if (!found) return problem(404, "Not found.");
      if (key.startsWith("GET")) return json(200, found);
      if (key.startsWith("PATCH") || key.startsWith("PUT")) {
        Object.assign(found, body);
        return json(200, found);
      }
    }
    if (key === "GET /api/admin/tenants") {
      if (me.role !== "platform_admin") return problem(403, "You are not allowed to do this.");
      return json(200, { items: this.tenants, next_cursor: null });
    }
    if (key === "GET /api/admin/provider-keys") {
      const items = [...this.providerKeys].map(([provider, k]) => ({ provider, last4: k.slice(-4), updated_at: NOW }));
      return json(200, { items, next_cursor: null });
    }
    const keyMatch = url.pathname.match(/^\/api\/admin\/provider-keys\/([^/]+)$/);
    if (keyMatch) {
      const provider = keyMatch[1]!;
      if (key.startsWith("DELETE")) {
        this.providerKeys.delete(provider);
        return new Response(null, { status: 204 });
      }
      if (body.api_key.length < 8) return problem(422, "api_key: too short", [{ field: "api_key", message: "too short" }]);
      this.providerKeys.set(provider, body.api_key);
      return json(200, { provider, last4: body.api_key.slice(-4), updated_at: NOW });
    }
    const widgetUsage = this.widgetUsage.route(key, url, body);
    if (widgetUsage) return widgetUsage;
    const tools = this.toolRoute(key, url, body);
    if (tools) return tools;
    const knowledge = this.knowledgeRoute(key, url, body);
    if (knowledge) return knowledge;
    if (key === "GET /api/admin/users") return json(200, { items: [...this.users.values()].map((u) => u.user), next_cursor: null });
    return problem(404, "Not Found");
  }

  private toolOut(t: Tool): Tool {
    return { ...t, secret_names: Object.keys(this.toolSecrets.get(t.id) ?? {}).sort() };
  }

  private toolRoute(key: string, url: URL, body: any): Response | undefined {
    if (key === "GET /api/admin/tools") return json(200, { items: this.tools.map((t) => this.toolOut(t)), next_cursor: null });
    const refused = body && typeof body.config?.url === "string" && body.config.url.includes("blocked.example");
    if (refused) return problem(422, "config.url: the host is not on the tenant's egress allow-list", [{ field: "config.url", message: "the host is not on the tenant's egress allow-list" }]);
    if (key === "POST /api/admin/tools") {
      const { secrets, ...fields } = body;
      const created = tool(body.name, { ...fields, id: `t-${++this.serial}` });
      this.tools.push(created);
      if (secrets) this.toolSecrets.set(created.id, { ...secrets });
      return json(201, this.toolOut(created));
    }
    const test = url.pathname.match(/^\/api\/admin\/tools\/([^/]+)\/test$/);
    if (test && key.startsWith("POST")) {
      this.toolTests.push({ id: test[1]!, arguments: body.arguments });
      const number = String(body.arguments?.number ?? "");
      if (!/^ITL-\d{6}$/.test(number)) return json(200, { content: `Error: number: does not match the pattern`, is_error: true, handoff: false, citations: [], data: {} });
      return json(200, { content: `{"number": "${number}", "status": "in_transit"}`, is_error: false, handoff: false, citations: [], data: { status: 200 } });
    }
    const one = url.pathname.match(/^\/api\/admin\/tools\/([^/]+)$/);
    if (!one) return undefined;
    const found = this.tools.find((t) => t.id === one[1]);
    if (!found) return problem(404, "The tool does not exist.");
    if (key.startsWith("GET")) return json(200, this.toolOut(found));
    if (key.startsWith("DELETE")) {
      this.tools = this.tools.filter((t) => t !== found);
      return new Response(null, { status: 204 });
    }
    const { secrets, ...changes } = body;
    Object.assign(found, changes, { updated_at: new Date(Date.parse(found.updated_at) + 1000).toISOString() });
    const stored = { ...(this.toolSecrets.get(found.id) ?? {}) };
    for (const [name, value] of Object.entries(secrets ?? {})) {
      if (value === null) delete stored[name];
      else stored[name] = value as string;
    }
    this.toolSecrets.set(found.id, stored);
    return json(200, this.toolOut(found));
  }

  private knowledgeRoute(key: string, url: URL, body: any): Response | undefined {
    if (key === "GET /api/admin/knowledge/documents") {
      for (const [id, left] of this.processing) {
        if (left > 0) this.processing.set(id, left - 1);
        else {
          this.processing.delete(id);
          const doc = this.documents.find((d) => d.id === id);
          if (doc) Object.assign(doc, { status: "ready", chunks: 1 });
        }
      }
      return json(200, { items: this.documents, next_cursor: null });
    }
    if (key === "POST /api/admin/knowledge/documents") {
      if (!body.text.trim()) return problem(422, "file: the document is empty", [{ field: "file", message: "the document is empty" }]);
      const id = `d-${++this.serial}`;
      const waiting = this.processingReads > 0;
      const doc: KnowledgeDocument = { id, title: body.title, status: waiting ? "processing" : "ready", chunks: waiting ? 0 : 1, bytes: new TextEncoder().encode(body.text).length, failure_reason: null, created_at: NOW };
      this.documents.push(doc);
      this.documentText.set(id, body.text);
      if (waiting) this.processing.set(id, this.processingReads);
      return json(201, doc);
    }
    if (key === "POST /api/admin/knowledge/search") {
      const words = String(body.query).toLowerCase().split(/\s+/).filter(Boolean);
      const items = this.documents
        .filter((d) => d.status === "ready" && words.every((w) => this.documentText.get(d.id)!.toLowerCase().includes(w)))
        .slice(0, body.k ?? 5)
        .map((d, i) => ({ document_id: d.id, chunk_id: `${d.id}-c1`, title: d.title, text: this.documentText.get(d.id)!, score: 0.9 - i * 0.1, heading_path: [d.title, "Overview"] }));
      return json(200, { items });
    }
    const one = url.pathname.match(/^\/api\/admin\/knowledge\/documents\/([^/]+)$/);
    if (one && key.startsWith("DELETE")) {
      this.documents = this.documents.filter((d) => d.id !== one[1]);
      return new Response(null, { status: 204 });
    }
    return undefined;
  }
}

/** A request's body as the routes read it: JSON, or a multipart upload's title, text and file name. */
async function readBody(request: Request): Promise<any> {
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const text = await request.text(); // a POST may have no body (closing a session)
    return text ? JSON.parse(text) : undefined;
  }
  const form = await request.formData();
  const file = form.get("file") as File;
  return { title: (form.get("title") as string | null) ?? file.name, text: await file.text(), filename: file.name };
}

/** Install a fresh fake as the global `fetch` for one test. */
export function installFakeApi(): FakeApi {
  const fake = new FakeApi();
  vi.stubGlobal("fetch", vi.fn(fake.fetch));
  return fake;
}
