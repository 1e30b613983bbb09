/**
 * The typed API client: `openapi-fetch` over the generated `schema.d.ts`, so a path, a query
 * parameter or a body that the API does not publish fails to compile.
 *
 * Every request goes through `authFetch`: it adds the bearer token, and on a 401 tries one
 * refresh and replays the request once; if the refresh is refused the session expires (the app
 * returns to sign-in). `unwrap` turns an error answer into an `ApiError` carrying the problem.
 */
import createClient from "openapi-fetch";
import { ApiError, toProblem } from "./problem";
import type { paths } from "./schema";
import { Session, type TokenPair } from "./session";

const AUTH_PATHS = ["/api/auth/login", "/api/auth/refresh", "/api/auth/logout"];

function origin(): string {
  return typeof window === "undefined" ? "http://localhost" : window.location.origin;
}

async function readBody(response: Response): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** POST /api/auth/refresh outside the client (it must not itself trigger a refresh). */
async function refreshPair(refreshToken: string): Promise<TokenPair | null> {
  const response = await fetch(`${origin()}/api/auth/refresh`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  return response.ok ? ((await response.json()) as TokenPair) : null;
}

export const session = new Session(window.sessionStorage, refreshPair);

function withBearer(request: Request, token: string | null): Request {
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}

export async function authFetch(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const replay = request.clone();
  const response = await fetch(withBearer(request, session.accessToken));
  if (response.status !== 401 || AUTH_PATHS.includes(path)) return response;
  const pair = await session.refresh();
  if (!pair) return response; // the session expired: the app is back at sign-in
  const retried = await fetch(withBearer(replay, pair.access_token));
  if (retried.status === 401) session.expire();
  return retried;
}

export const api = createClient<paths>({ baseUrl: origin(), fetch: authFetch });

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an `ApiError` with the problem it carried. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw new ApiError(toProblem(response.status, error ?? (await readBody(response))));
}
