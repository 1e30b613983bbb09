import { describe, expect, it, vi } from "vitest";
import { installFakeApi } from "../test/fakeApi";
import { api, session, unwrap } from "./client";
import { ApiError } from "./problem";

async function signIn() {
  const pair = await unwrap(api.POST("/api/auth/login", { body: { email: "admin@demo.local", password: "demo-password-1" } }));
  session.store(pair);
  return pair;
}

describe("the API client", () => {
  it("sends the access token as a bearer token", async () => {
    const fake = installFakeApi();
    await signIn();
    const agents = await unwrap(api.GET("/api/admin/agents"));
    expect(agents.items.map((a) => a.name)).toEqual(fake.agents.map((a) => a.name));
  });

  it("on a 401 refreshes once and replays the request, body included", async () => {
    const fake = installFakeApi();
    const first = await signIn();
    fake.expireAccessTokens();
    const created = await unwrap(api.POST("/api/admin/agents", { body: { name: "Billing", description: "", system_prompt: "", provider: "offline", model: "offline-1", temperature: 0.2, max_tokens: 10, is_active: true } }));
    expect(created.name).toBe("Billing");
    expect(fake.calls.filter((c) => c === "POST /api/auth/refresh")).toHaveLength(1);
    expect(session.accessToken).not.toBe(first.access_token);
  });

  it("expires the session when the refresh is refused, and reports the 401", async () => {
    const fake = installFakeApi();
    await signIn();
    const expired = vi.fn();
    const stop = session.onExpired(expired);
    fake.expireAccessTokens();
    fake.revokeRefreshTokens();
    const failure = await unwrap(api.GET("/api/admin/agents")).catch((e: unknown) => e);
    stop();
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(401);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(session.refreshToken).toBeNull();
  });

  it("does not try to refresh when the sign-in itself is refused", async () => {
    const fake = installFakeApi();
    const failure = await unwrap(api.POST("/api/auth/login", { body: { email: "admin@demo.local", password: "wrong" } })).catch((e: unknown) => e);
    expect((failure as ApiError).problem.detail).toBe("Invalid email or password.");
    expect(fake.calls).toEqual(["POST /api/auth/login"]);
  });
});
