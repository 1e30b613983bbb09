import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi, user as fakeUser } from "../../test/fakeApi";
import { ROUTING } from "../../test/fakeChat";
import { renderApp } from "../../test/render";

// A streamed turn is many chunks and renders: under a loaded machine it takes more than the
// default second.
const STREAMED = { timeout: 5000 };

function signedIn(email = "member@demo.local") {
  const fake = installFakeApi();
  window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh(email));
  return fake;
}

async function ask(question: string) {
  const user = userEvent.setup({ delay: null });
  await user.type(await screen.findByLabelText("Message"), question);
  await user.keyboard("{Enter}");
  return user;
}

function conversation() {
  return within(screen.getByRole("region", { name: "Conversation" }));
}

describe("chat", () => {
  it("streams an answer token by token with its agent badge, tool calls and sources", async () => {
    const fake = signedIn();
    fake.chat.hold();
    renderApp("/chat");
    await ask("Where is ITL-123456?");

    const live = await screen.findByTestId("live-answer");
    await waitFor(() => expect(live).toHaveTextContent("Shipment ITL-123456"), STREAMED);
    expect(live).not.toHaveTextContent("Rotterdam");
    expect(live).toHaveAttribute("aria-busy", "true");
    expect(within(live).getByText("Shipment Tracking")).toBeInTheDocument();
    expect(live).toHaveTextContent("routed by rules · 100% confidence");
    expect(live).toHaveTextContent('track_shipment{"number":"ITL-123456"}ok · 12 ms');
    expect(screen.getByRole("button", { name: "Stop" })).toBeInTheDocument();

    act(() => fake.chat.release());
    await waitFor(() => expect(screen.queryByTestId("live-answer")).not.toBeInTheDocument(), STREAMED);
    const log = conversation();
    expect(log.getByText("Shipment ITL-123456 is in transit to Rotterdam.")).toBeInTheDocument();
    expect(log.getByText("Where is ITL-123456?")).toBeInTheDocument();
    expect(log.getByText("Tracking guide")).toBeInTheDocument();
    expect(screen.getByRole("status", { name: "" })).toHaveTextContent("Answer complete.");

    // The turn opened a session: it is selected, in the side list, and the next turn continues it.
    const sessions = within(screen.getByRole("complementary", { name: "Your sessions" }));
    expect(await sessions.findByRole("link", { current: "page" })).toBeInTheDocument();
    await ask("And the ETA?");
    await waitFor(() => expect(conversation().getAllByText("Shipment ITL-123456 is in transit to Rotterdam.")).toHaveLength(2), STREAMED);
    expect(fake.chat.sessions).toHaveLength(1);
  });

  it("shows a past session's history and starts a new chat from the side list", async () => {
    const fake = signedIn();
    const me = fake.users.get("member@demo.local")!.user;
    const old = fake.chat.addSession(me, { agent: ROUTING.agent_id });
    fake.chat.addMessage(old.id, "user", "Do you ship to Oslo?");
    fake.chat.addMessage(old.id, "assistant", "<img src=x onerror=alert(1)> Yes, weekly.", { routing: { ...ROUTING, method: "similarity", confidence: 0.42 } });
    fake.chat.addSession(fakeUser("someone@demo.local", "member")); // not mine: never listed
    renderApp("/chat");
    const user = userEvent.setup({ delay: null });
    const sessions = within(await screen.findByRole("complementary", { name: "Your sessions" }));
    await user.click(await sessions.findByRole("link"));
    // Model output is text: the markup shows as written, no element is created from it.
    expect(await conversation().findByText("<img src=x onerror=alert(1)> Yes, weekly.", {}, STREAMED)).toBeInTheDocument();
    expect(document.querySelector("img")).toBeNull();
    expect(conversation().getByText("routed by similarity · 42% confidence")).toBeInTheDocument();
    await user.click(sessions.getByRole("button", { name: "New chat" }));
    expect(await conversation().findByText("Ask anything.", {}, STREAMED)).toBeInTheDocument();
    expect(fake.calls.filter((c) => c === "GET /api/demo/sessions").length).toBeGreaterThan(0);
  });

  it("re-reads a session whose last answer is still being settled", async () => {
    const fake = signedIn();
    const me = fake.users.get("member@demo.local")!.user;
    const chat = fake.chat.addSession(me);
    fake.chat.addMessage(chat.id, "user", "Where is ITL-123456?");
    const answer = fake.chat.addMessage(chat.id, "assistant", "", {}, "pending");
    renderApp(`/chat?session=${chat.id}`);
    await screen.findByRole("region", { name: "Conversation" });
    expect(await conversation().findByText("In progress", {}, STREAMED)).toBeInTheDocument();
    Object.assign(answer, { status: "interrupted", content: "Shipment ITL-123456" });
    expect(await conversation().findByText("Interrupted", {}, STREAMED)).toBeInTheDocument();
    expect(conversation().getByText("Shipment ITL-123456")).toBeInTheDocument();
  });

  it("shows a retryable error event's detail, keeps the stored turn, and tries again", async () => {
    const fake = signedIn();
    fake.chat.failWith = { status: 503, detail: "The model provider is unavailable.", retryable: true };
    renderApp("/chat");
    const user = await ask("Where is ITL-123456?");
    expect(await screen.findByRole("alert", {}, STREAMED)).toHaveTextContent("The model provider is unavailable.");
    expect(await conversation().findByText("Failed", {}, STREAMED)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await conversation().findByText("Shipment ITL-123456 is in transit to Rotterdam.", {}, STREAMED)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows a refusal before the stream as the problem's detail and keeps the question", async () => {
    const fake = signedIn();
    fake.overrides.set("POST /api/demo/chat", () =>
      new Response(JSON.stringify({ type: "about:blank", title: "Too Many Requests", status: 429, detail: "Slow down: 20 messages a minute." }), {
        status: 429,
        headers: { "content-type": "application/problem+json" },
      }),
    );
    renderApp("/chat");
    await ask("Where is ITL-123456?");
    expect(await screen.findByRole("alert", {}, STREAMED)).toHaveTextContent("Slow down: 20 messages a minute.");
    expect(screen.getByLabelText("Message")).toHaveValue("Where is ITL-123456?");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    expect(fake.chat.sessions).toHaveLength(0);
  });

  it("offers no composer in a closed session", async () => {
    const fake = signedIn();
    const me = fake.users.get("member@demo.local")!.user;
    const closed = fake.chat.addSession(me, { status: "closed" });
    renderApp(`/chat?session=${closed.id}`);
    expect(await screen.findByText(/This session is closed/, {}, STREAMED)).toBeInTheDocument();
    expect(screen.queryByLabelText("Message")).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Start a new chat" })).toHaveAttribute("href", "/chat");
  });

  it("refreshes an expired access token before the stream starts", async () => {
    const fake = signedIn();
    renderApp("/chat");
    await screen.findByRole("heading", { name: "Chat" });
    fake.expireAccessTokens();
    await ask("Where is ITL-123456?");
    expect(await conversation().findByText("Shipment ITL-123456 is in transit to Rotterdam.", {}, STREAMED)).toBeInTheDocument();
    const first = fake.calls.indexOf("POST /api/demo/chat");
    // Refused with the old token, refreshed once, replayed: one stream, one stored turn.
    expect(fake.calls.slice(first, first + 3)).toEqual(["POST /api/demo/chat", "POST /api/auth/refresh", "POST /api/demo/chat"]);
    await waitFor(() => expect(fake.chat.messages.get("s-1")).toHaveLength(2), STREAMED);
  });

  it("aborts a streaming answer when the user leaves the screen", async () => {
    const fake = signedIn();
    fake.chat.hold();
    renderApp("/chat");
    const user = await ask("Where is ITL-123456?");
    await waitFor(() => expect(screen.getByTestId("live-answer")).toHaveTextContent("Shipment"), STREAMED);
    await user.click(within(screen.getByRole("navigation", { name: "Primary" })).getByRole("link", { name: /Sessions/ }));
    await screen.findByRole("heading", { name: "Sessions" });
    await waitFor(() => expect(fake.chat.aborted).toBe(true), STREAMED);
  });
});
