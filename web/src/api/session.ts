/**
 * The signed-in session: who holds which token, and the one place that refreshes them.
 *
 * Storage (why): the access token (short-lived, ~15 min) lives in memory only, so it is never
 * persisted anywhere script or disk can find it later. The refresh token lives in
 * `sessionStorage`: it survives a reload of the tab (signing in again on every F5 is not a
 * product), is scoped to this tab and gone when the tab closes, and is never sent
 * automatically (no cookie: no CSRF surface). Its exposure to an XSS in the page is bounded by
 * the server: refresh tokens rotate on every use and a replayed one revokes its whole family;
 * the app renders no HTML from the API and is served with a strict CSP. An httpOnly cookie
 * would be stronger still, but the API's contract takes the refresh token in the body.
 *
 * Refresh is single-flight: concurrent 401s share one refresh call. Two refreshes with the same
 * token would look like a replay to the server and revoke the family.
 */
import type { components } from "./schema";

export type TokenPair = components["schemas"]["TokenOut"];
export type CurrentUser = components["schemas"]["UserOut"];

export const REFRESH_KEY = "itl.refresh_token";

type ExpiredListener = () => void;
type Refresher = (refreshToken: string) => Promise<TokenPair | null>;

export class Session {
  private access: string | null = null;
  private inflight: Promise<TokenPair | null> | null = null;
  private readonly listeners = new Set<ExpiredListener>();

  constructor(
    private readonly storage: Storage,
    private readonly refresher: Refresher,
  ) {}

  get accessToken(): string | null {
    return this.access;
  }

  get refreshToken(): string | null {
    return this.storage.getItem(REFRESH_KEY);
  }

  /** Keep a freshly issued pair (after sign-in or refresh). */
  store(pair: TokenPair): void {
    this.access = pair.access_token;
    this.storage.setItem(REFRESH_KEY, pair.refresh_token);
  }

  /** Forget both tokens (sign-out, or a session the server no longer honours). */
  clear(): void {
    this.access = null;
    this.storage.removeItem(REFRESH_KEY);
  }

  /** Exchange the refresh token for a new pair; when the server refuses, the session expires. */
  refresh(): Promise<TokenPair | null> {
    if (this.inflight) return this.inflight;
    const token = this.refreshToken;
    if (!token) return Promise.resolve(null);
    this.inflight = this.refresher(token)
      .then((pair) => {
        if (pair) this.store(pair);
        else this.expire();
        return pair;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** The server no longer accepts this session: forget it and tell the app (back to sign-in). */
  expire(): void {
    const hadSession = this.access !== null || this.refreshToken !== null;
    this.clear();
    if (hadSession) this.listeners.forEach((listener) => listener());
  }

  onExpired(listener: ExpiredListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
