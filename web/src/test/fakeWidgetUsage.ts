/**
 * The widget and usage routes of the fake API (`fakeApi.ts` delegates to this), on the real
 * wire format and with the API's rules: the whole-configuration PUT with field errors named as
 * the API names them (`allowed_origins[1]`, `theme.primary_color`), the identity secret shown
 * once, and `GET /api/admin/usage` with its day range (default 30 days, 422 when reversed).
 */
import type { components } from "../api/schema";

type WidgetConfig = components["schemas"]["WidgetConfigOut"];
type UsageReport = components["schemas"]["UsageReportOut"];
type Figures = components["schemas"]["FiguresOut"];

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::[1-9][0-9]{0,4})?$/;
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
export const TODAY = "2026-11-26";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function problem(status: number, detail: string, errors?: { field: string; message: string }[]): Response {
  const body = { type: "about:blank", title: "Error", status, detail, ...(errors ? { errors } : {}) };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json" } });
}

const ZERO: Figures = { turns: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced_turns: 0 };

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export interface UsageRow {
  date: string;
  agent_id: string | null;
  figures: Partial<Figures>;
}

export class FakeWidgetUsage {
  widget: WidgetConfig = {
    tenant_id: "demo",
    widget_url: "http://127.0.0.1:8001",
    title: "Chat with us",
    welcome_message: "Hello! How can we help?",
    theme: { primary_color: "#0b5fff" },
    position: "bottom-right",
    starter_prompts: [],
    allowed_origins: [],
    identity_secret_set: false,
    updated_at: "2026-01-05T10:00:00Z",
  };
  /** Every secret the fake rotated to, in order. */
  secrets: string[] = [];
  /** Usage per (day, agent), summed by the report like the API does. */
  usage: UsageRow[] = [];
  /** Query strings of every usage request, in order. */
  usageQueries: string[] = [];

  route(key: string, url: URL, body: any): Response | undefined {
    if (key === "GET /api/admin/widget") return json(200, this.widget);
    if (key === "PUT /api/admin/widget") return this.put(body);
    if (key === "POST /api/admin/widget/identity-secret") {
      const secret = `whsec-${this.secrets.length + 1}-a1b2c3d4e5f6`;
      this.secrets.push(secret);
      this.widget = { ...this.widget, identity_secret_set: true };
      return json(200, { identity_secret: secret, identity_secret_set: true });
    }
    if (key === "GET /api/admin/usage") return this.report(url);
    return undefined;
  }

  private put(body: any): Response {
    const errors: { field: string; message: string }[] = [];
    (body.allowed_origins ?? []).forEach((origin: string, i: number) => {
      if (!ORIGIN.test(origin)) errors.push({ field: `allowed_origins[${i}]`, message: "must be scheme://host[:port] (http or https)" });
    });
    for (const [k, v] of Object.entries<string>(body.theme ?? {}))
      if (!COLOR.test(v)) errors.push({ field: `theme.${k}`, message: "must be a #rgb or #rrggbb colour" });
    if (!String(body.title ?? "").trim()) errors.push({ field: "title", message: "must be 1 to 100 characters" });
    if (errors.length) return problem(422, errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
    this.widget = {
      ...this.widget,
      title: body.title,
      welcome_message: body.welcome_message ?? "",
      theme: body.theme ?? {},
      position: body.position ?? "bottom-right",
      starter_prompts: body.starter_prompts ?? [],
      allowed_origins: body.allowed_origins ?? [],
      updated_at: new Date(Date.parse(this.widget.updated_at) + 1000).toISOString(),
    };
    return json(200, this.widget);
  }

  private report(url: URL): Response {
    this.usageQueries.push(url.search);
    const to = url.searchParams.get("to") ?? TODAY;
    const from = url.searchParams.get("from") ?? addDays(to, -29);
    if (from > to) return problem(422, "from: must not be after to", [{ field: "from", message: "must not be after to" }]);
    const add = (a: Figures, b: Partial<Figures>): Figures => ({
      turns: a.turns + (b.turns ?? 0),
      input_tokens: a.input_tokens + (b.input_tokens ?? 0),
      output_tokens: a.output_tokens + (b.output_tokens ?? 0),
      cost_usd: a.cost_usd + (b.cost_usd ?? 0),
      unpriced_turns: a.unpriced_turns + (b.unpriced_turns ?? 0),
    });
    const rows = this.usage.filter((r) => r.date >= from && r.date <= to);
    const days: UsageReport["days"] = [];
    for (let day = from; day <= to; day = addDays(day, 1))
      days.push({ date: day, ...rows.filter((r) => r.date === day).reduce((sum, r) => add(sum, r.figures), ZERO) });
    const agents = new Map<string | null, Figures>();
    for (const r of rows) agents.set(r.agent_id, add(agents.get(r.agent_id) ?? ZERO, r.figures));
    const report: UsageReport = {
      from,
      to,
      totals: rows.reduce((sum, r) => add(sum, r.figures), ZERO),
      days,
      agents: [...agents]
        .map(([agent_id, f]) => ({ agent_id, ...f }))
        .sort((a, b) => b.input_tokens + b.output_tokens - (a.input_tokens + a.output_tokens)),
    };
    return json(200, report);
  }
}
