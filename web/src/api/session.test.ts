import { describe, expect, it, vi } from "vitest";
import { REFRESH_KEY, Session, type TokenPair } from "./session";

function pair(n: number): TokenPair {
  const user = { id: "u1", email: "a@b.c", role: "member", tenant_id: "demo", is_active: true, created_at: "", updated_at: "" };
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: "bearer", expires_in: 900, user };
}

describe("Session", () => {
  it("keeps the access token in memory only and the refresh token in sessionStorage", () => {
    const session = new Session(window.sessionStorage, async () => null);
    session.store(pair(1));
    expect(session.accessToken).toBe("access-1");
    expect(window.sessionStorage.getItem(REFRESH_KEY)).toBe("refresh-1");
    expect(JSON.stringify({ ...window.sessionStorage })).not.toContain("access-1");
    expect(JSON.stringify({ ...window.localStorage })).not.toContain("refresh-1");
  });

  it("sends one refresh for concurrent callers, so the server never sees a replay", async () => {
    let release!: (p: TokenPair) => void;
    const refresher = vi.fn(() => new Promise<TokenPair | null>((resolve) => (release = resolve)));
    const session = new Session(window.sessionStorage, refresher);
    session.store(pair(1));
    const both = Promise.all([session.refresh(), session.refresh()]);
    release(pair(2));
    expect(await both).toEqual([pair(2), pair(2)]);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(refresher).toHaveBeenCalledWith("refresh-1");
    expect(session.refreshToken).toBe("refresh-2");
  });

  it("forgets both tokens when the server refuses the refresh", async () => {
    const session = new Session(window.sessionStorage, async () => null);
    session.store(pair(1));
    expect(await session.refresh()).toBeNull();
    expect(session.accessToken).toBeNull();
    expect(session.refreshToken).toBeNull();
  });

  it("tells listeners once when a live session expires, not when nobody was signed in", () => {
    const session = new Session(window.sessionStorage, async () => null);
    const listener = vi.fn();
    session.onExpired(listener);
    session.expire();
    expect(listener).not.toHaveBeenCalled();
    session.store(pair(1));
    session.expire();
    session.expire();
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
