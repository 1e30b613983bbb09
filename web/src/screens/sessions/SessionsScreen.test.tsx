import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi, problem, user as fakeUser } from "../../test/fakeApi";
import { ROUTING } from "../../test/fakeChat";
import { renderApp } from "../../test/render";

function signedIn(email: string) {
  const fake = installFakeApi();
  window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh(email));
  return fake;
}

function seed(fake: ReturnType<typeof installFakeApi>) {
  const member = fake.users.get("member@demo.local")!.user;
  const tracked = fake.chat.addSession(member, { agent: ROUTING.agent_id });
  fake.chat.addMessage(tracked.id, "user", "Where is ITL-123456?");
  fake.chat.addMessage(tracked.id, "assistant", "In transit to Rotterdam.", {
    routing: ROUTING,
    tools: [{ id: "call-1", name: "track_shipment", ok: true, latency_ms: 12 }],
    citations: [{ document_id: "doc-1", title: "Tracking guide", chunk_id: "c-1" }],
    usage: { input_tokens: 30, output_tokens: 7, cost_usd: 0.0012 },
    latency_ms: 40,
    provider: "offline",
    model: "offline-1",
  });
  const closed = fake.chat.addSession(fakeUser("other@demo.local", "member"), { agent: "a-concierge", status: "closed" });
  fake.chat.addMessage(closed.id, "user", "Hello?");
  fake.chat.addMessage(closed.id, "assistant", "", { routing: { ...ROUTING, method: "fallback" }, error: { type: "Upstream", message: "The provider timed out." } }, "failed");
  return { tracked, closed };
}

describe("sessions", () => {
  it("lists every session for staff and filters them by agent and status through the API", async () => {
    const fake = signedIn("admin@demo.local");
    seed(fake);
    renderApp("/sessions");
    const user = userEvent.setup({ delay: null });
    const table = await screen.findByRole("table");
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(within(table).getByText("Shipment Tracking")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Status"), "closed");
    await waitFor(() => expect(within(screen.getByRole("table")).getAllByRole("row")).toHaveLength(2));
    expect(within(screen.getByRole("table")).getByText("Concierge")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Agent"), "Shipment Tracking");
    expect(await screen.findByText("No session matches these filters.")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Status"), "");
    await waitFor(() => expect(within(screen.getByRole("table")).getAllByRole("row")).toHaveLength(2));
    expect(within(screen.getByRole("table")).getByText("Shipment Tracking")).toBeInTheDocument();

    const sent = fake.chat.listQueries.at(-1)!;
    expect(sent.get("agent_id")).toBe(ROUTING.agent_id);
    expect(sent.get("status")).toBeNull();
    expect(sent.get("order")).toBe("newest");
  });

  it("opens a transcript with routing, tool calls, sources, usage and failures per message", async () => {
    const fake = signedIn("admin@demo.local");
    const { tracked, closed } = seed(fake);
    renderApp(`/sessions?session=${tracked.id}`);
    const transcript = within(await screen.findByRole("region", { name: "Transcript" }));
    expect(await transcript.findByText("In transit to Rotterdam.")).toBeInTheDocument();
    expect(transcript.getByText("routed by rules · 100% confidence")).toBeInTheDocument();
    expect(transcript.getByText("track_shipment")).toBeInTheDocument();
    expect(transcript.getByText("ok · 12 ms")).toBeInTheDocument();
    expect(transcript.getByText("Tracking guide")).toBeInTheDocument();
    expect(transcript.getByText("offline · offline-1 · 30 in / 7 out tokens · $0.0012 · 40 ms")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Transcript" })).toHaveFocus();

    const user = userEvent.setup({ delay: null });
    await user.click(screen.getAllByRole("link", { name: /Open the transcript/ })[0]!);
    const other = within(await screen.findByRole("region", { name: "Transcript" }));
    expect(await other.findByText("Error: The provider timed out.")).toBeInTheDocument();
    expect(other.getByText("Failed")).toBeInTheDocument();
    expect(other.getByText("routed by fallback · 100% confidence")).toBeInTheDocument();
    expect(other.queryByRole("button", { name: "Close session" })).not.toBeInTheDocument();
    expect(closed.status).toBe("closed");
  });

  it("closes an open session after asking once", async () => {
    const fake = signedIn("admin@demo.local");
    const { tracked } = seed(fake);
    renderApp(`/sessions?session=${tracked.id}`);
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole("button", { name: "Close session" }));
    await user.click(screen.getByRole("button", { name: "Close this session" }));
    await waitFor(() => expect(tracked.status).toBe("closed"));
    const transcript = within(screen.getByRole("region", { name: "Transcript" }));
    expect(await transcript.findByText("Closed")).toBeInTheDocument();
  });

  it("shows members only their own sessions, without an agent filter", async () => {
    const fake = signedIn("member@demo.local");
    seed(fake);
    renderApp("/sessions");
    const table = await screen.findByRole("table");
    expect(within(table).getAllByRole("row")).toHaveLength(2);
    expect(screen.queryByLabelText("Agent")).not.toBeInTheDocument();
    expect(fake.calls).not.toContain("GET /api/admin/agents");
  });

  it("shows the API's detail when the list fails, and an empty state when there is nothing", async () => {
    const fake = signedIn("admin@demo.local");
    fake.overrides.set("GET /api/demo/sessions", () => problem(503, "PostgreSQL is unavailable."));
    renderApp("/sessions");
    expect(await screen.findByRole("alert")).toHaveTextContent("PostgreSQL is unavailable.");
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No sessions yet.")).toBeInTheDocument();
  });
});
