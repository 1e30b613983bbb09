import { describe, expect, it } from "vitest";
import { session } from "../../api/client";
import { ApiError } from "../../api/problem";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi, problem } from "../../test/fakeApi";
import { ChatStreamError, streamChat, type ChatStreamEvent } from "./stream";

async function signedIn() {
  const fake = installFakeApi();
  window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("member@demo.local"));
  await session.refresh();
  return fake;
}

function sse(body: string): Response {
  return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
}

const ASK = { tenantId: "demo", message: "Where is ITL-123456?" };

describe("streamChat", () => {
  it("delivers the events in order and resolves with the done answer", async () => {
    await signedIn();
    const events: ChatStreamEvent[] = [];
    const done = await streamChat(ASK, (e) => events.push(e), new AbortController().signal);
    expect(events.map((e) => e.type)).toEqual(["session", "routing", "tool_call", "tool_result", ...Array(7).fill("token"), "citation"]);
    expect(events.filter((e) => e.type === "token").map((e) => (e as { text: string }).text).join("")).toBe(done.answer);
    expect(done.details.routing?.agent).toBe("Shipment Tracking");
    expect(done.sessionId).toBe("s-1");
  });

  it("skips unknown events and frames whose data is not JSON", async () => {
    const fake = await signedIn();
    fake.overrides.set("POST /api/demo/chat", () =>
      sse('event: future\ndata: {}\n\nevent: token\ndata: not json\n\nevent: token\ndata: {"text":"ok"}\n\nevent: done\ndata: {"response":"ok","session_id":"s-9","metadata":{}}\n\n'),
    );
    const events: ChatStreamEvent[] = [];
    const done = await streamChat(ASK, (e) => events.push(e), new AbortController().signal);
    expect(events).toEqual([{ type: "token", text: "ok" }]);
    expect(done).toMatchObject({ answer: "ok", sessionId: "s-9" });
  });

  it("raises an error event as a ChatStreamError with the problem and retryable", async () => {
    const fake = await signedIn();
    fake.chat.failWith = { status: 429, detail: "The tenant's daily token budget is spent.", retryable: false };
    const failed = streamChat(ASK, () => undefined, new AbortController().signal);
    await expect(failed).rejects.toBeInstanceOf(ChatStreamError);
    await expect(failed).rejects.toMatchObject({ retryable: false, status: 429, message: "The tenant's daily token budget is spent." });
  });

  it("raises a refusal before the stream as the ApiError of its problem", async () => {
    const fake = await signedIn();
    fake.overrides.set("POST /api/demo/chat", () => problem(409, "This session is closed."));
    const refused = streamChat({ ...ASK, sessionId: "s-1" }, () => undefined, new AbortController().signal);
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.not.toBeInstanceOf(ChatStreamError);
    await expect(refused).rejects.toMatchObject({ status: 409, message: "This session is closed." });
  });

  it("raises a stream that ends without done or error as cut off, retryable", async () => {
    const fake = await signedIn();
    fake.overrides.set("POST /api/demo/chat", () => sse('event: token\ndata: {"text":"Ship"}\n\nevent: token\ndata: {"te'));
    const cut = streamChat(ASK, () => undefined, new AbortController().signal);
    await expect(cut).rejects.toMatchObject({ retryable: true, status: 502 });
  });

  it("gives up on a stream that goes silent, and stops reading it", async () => {
    const fake = await signedIn();
    fake.chat.hold();
    const silent = streamChat(ASK, () => undefined, new AbortController().signal, 50);
    await expect(silent).rejects.toMatchObject({ retryable: true, status: 504, message: "The answer stopped arriving. Try again." });
    expect(fake.chat.aborted).toBe(true);
  });

  it("stops reading when its signal aborts", async () => {
    const fake = await signedIn();
    fake.chat.hold();
    const controller = new AbortController();
    const stopped = streamChat(ASK, (e) => e.type === "token" && controller.abort(), controller.signal);
    await expect(stopped).rejects.toMatchObject({ name: "AbortError" });
    expect(fake.chat.aborted).toBe(true);
  });
});
