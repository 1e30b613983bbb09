/** Sessions and transcripts over the typed client (the chat turn itself is `stream.ts`). */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { PAGE_SIZE, usePagedList } from "../../api/paging";
import type { ChatMessage } from "./model";

export interface SessionFilters {
  /** Only the caller's own sessions (staff otherwise see the whole tenant's). */
  mine?: boolean;
  agentId?: string;
  status?: "active" | "waiting_for_human" | "closed";
}

export const sessionKeys = {
  all: (tenant: string) => ["sessions", tenant] as const,
  list: (tenant: string, filters: SessionFilters) => ["sessions", tenant, "list", filters] as const,
  one: (tenant: string, id: string) => ["sessions", tenant, "one", id] as const,
  messages: (tenant: string, id: string) => ["sessions", tenant, "messages", id] as const,
};

/** Sessions newest first, with the filters the API takes. */
export function useSessionList(tenant: string, filters: SessionFilters) {
  return usePagedList(sessionKeys.list(tenant, filters), (cursor) =>
    unwrap(
      api.GET("/api/{tenant_id}/sessions", {
        params: {
          path: { tenant_id: tenant },
          query: {
            limit: PAGE_SIZE,
            cursor,
            order: "newest",
            mine: filters.mine || undefined,
            agent_id: filters.agentId || undefined,
            status: filters.status,
          },
        },
      }),
    ),
  );
}

export function useSession(tenant: string, id: string | undefined) {
  return useQuery({
    queryKey: sessionKeys.one(tenant, id ?? ""),
    queryFn: () => unwrap(api.GET("/api/{tenant_id}/sessions/{session_id}", { params: { path: { tenant_id: tenant, session_id: id! } } })),
    enabled: id !== undefined,
  });
}

/** A transcript page by page, oldest first (the Sessions screen). */
export function useTranscriptPages(tenant: string, id: string) {
  return usePagedList(["sessions", tenant, "transcript", id], (cursor) =>
    unwrap(
      api.GET("/api/{tenant_id}/sessions/{session_id}/messages", {
        params: { path: { tenant_id: tenant, session_id: id }, query: { limit: 200, cursor } },
      }),
    ),
  );
}

/** Transcripts the chat shows whole: longer ones show their first messages and say so. */
export const HISTORY_LIMIT = 1000;

async function wholeTranscript(tenant: string, id: string): Promise<{ items: ChatMessage[]; truncated: boolean }> {
  const items: ChatMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api.GET("/api/{tenant_id}/sessions/{session_id}/messages", {
        params: { path: { tenant_id: tenant, session_id: id }, query: { limit: 200, cursor } },
      }),
    );
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && items.length < HISTORY_LIMIT);
  return { items, truncated: cursor !== undefined };
}

export function historyQuery(tenant: string, id: string) {
  return { queryKey: sessionKeys.messages(tenant, id), queryFn: () => wholeTranscript(tenant, id) };
}

/** While an answer is still being settled (stopped a moment ago, or streaming elsewhere). */
export const PENDING_POLL_MS = 1000;

/**
 * The chat's history of one session; not refetched behind a turn that is streaming here, and
 * re-read every second while its last answer is still `pending`.
 */
export function useHistory(tenant: string, id: string | undefined, paused: boolean) {
  return useQuery({
    ...historyQuery(tenant, id ?? ""),
    enabled: id !== undefined && !paused,
    refetchOnWindowFocus: false,
    refetchInterval: (query) => (query.state.data?.items.at(-1)?.status === "pending" ? PENDING_POLL_MS : false),
  });
}

/** After a turn: its session's history fresh in the cache, the session lists refetched. */
export async function settleTurn(client: QueryClient, tenant: string, id: string): Promise<void> {
  await Promise.all([
    client.fetchQuery({ ...historyQuery(tenant, id), staleTime: 0 }),
    client.invalidateQueries({ queryKey: ["sessions", tenant, "list"] }),
    client.invalidateQueries({ queryKey: sessionKeys.one(tenant, id) }),
  ]);
}

export function useCloseSession(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST("/api/{tenant_id}/sessions/{session_id}/close", { params: { path: { tenant_id: tenant, session_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: sessionKeys.all(tenant) }),
  });
}
